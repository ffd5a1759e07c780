import os

# Charts are rendered without a display.
os.environ.setdefault("MPLBACKEND", "Agg")

# Subsetted report fonts are kept for the session in a directory of its own (not the user's cache):
# the export tests reuse each other's subsets, and nothing is left in the home directory.
if "LIYANG_IP_FONT_CACHE" not in os.environ:
    import tempfile

    os.environ["LIYANG_IP_FONT_CACHE"] = tempfile.mkdtemp(prefix="liyang-ip-test-fonts-")
