"""Batch runs of the notebooks (runner, cluster) and their export to HTML and PDF (export).

Importing this package keeps one optional module out of the process: ``rfc3987_syntax``, which
jsonschema (through nbformat, papermill and nbconvert) imports, if installed, only to check the
``iri``/``iri-reference`` string formats, and which builds a grammar at import: 2.3 s of CPU in every
process that reads a notebook (the ``liyang-ip`` process and each worker of a batch). Notebook
schemas use neither format, so nothing is lost here; other programs are not affected.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)  # `import rfc3987_syntax` now raises ImportError
