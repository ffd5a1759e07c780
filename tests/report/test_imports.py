"""What a batch process imports (issue 16): the report package keeps jsonschema's IRI checker out."""

from __future__ import annotations

import subprocess
import sys


def test_reading_and_validating_a_notebook_does_not_import_rfc3987_syntax():
    code = (
        "import sys, liyang_ip.report, nbformat\n"
        "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell('# 标题')])\n"
        "nbformat.validate(nb)\n"
        "nbformat.reads(nbformat.writes(nb), as_version=4)\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() in ("None", "absent")  # blocked (or not installed at all)
