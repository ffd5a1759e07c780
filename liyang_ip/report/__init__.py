"""Batch execution of notebooks (papermill) and export to HTML/PDF (nbconvert + Chromium)."""
