import os

# Charts are rendered without a display.
os.environ.setdefault("MPLBACKEND", "Agg")
