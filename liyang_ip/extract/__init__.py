"""Figures from statistical-bulletin and news text, with the quote kept."""
