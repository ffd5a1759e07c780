"""`liyang-ip data extract` (registered by liyang_ip.cli under `data`).

    liyang-ip data extract DOCUMENT [--region 溧阳市] [--year 2020] [--source-id ID] [--out CSV]
                                    [--append RAW_CSV] [--changes CSV] [--unattributed CSV] [--keep-lines]

DOCUMENT is a bulletin as PDF (text layer), a web page saved from a browser, or plain text (UTF-8,
UTF-16, GBK/GB18030). Region and year default to those in the document's title. Level rows go to stdout
as UTF-8 CSV (or to --out, or are appended to --append), each note starting with the location (page,
paragraph or table row); a summary, the growth statements and the figures that were not attributed
go to stderr (and in full to --changes / --unattributed). Errors are one line, exit code 2.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

#: Encodings tried, in order, for bulletin text files (UTF-8 with or without BOM, then GBK's superset).
ENCODINGS = ("utf-8-sig", "gb18030")


def read_text(path: str | Path) -> tuple[str, str]:
    """Text of a file and the encoding it was read with (utf-8-sig, then gb18030).

    Raises
    ------
    OSError
        When the file cannot be read.
    UnicodeDecodeError
        When it is neither UTF-8 nor GB18030/GBK.
    """
    data = Path(path).read_bytes()
    last: UnicodeDecodeError | None = None
    for enc in ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError as exc:
            last = exc
    assert last is not None
    raise last


def register(data_subparsers) -> None:
    """Add `extract` to the `data` sub-command group."""
    from ..clitable import Command, add_commands, arg

    add_commands(data_subparsers, [Command(
        "extract", run, "extract indicator figures from a bulletin (统计公报: PDF, web page, text) with quotes",
        parser=dict(description=(
            "Find catalogue indicators and their figures in a bulletin (PDF, saved web page or text; "
            "paragraphs and tables) and write raw-ready rows (status official, estimate for approximate "
            "figures) with the exact quote and its location. Growth statements are kept apart from levels; "
            "figures that cannot be attributed to one indicator are listed on stderr, never guessed.")),
        args=(
            arg("document", metavar="DOCUMENT",
                help="bulletin as PDF, saved web page (.html) or text (UTF-8, UTF-16, GBK/GB18030)"),
            arg("--region", help="region the document is about, e.g. 溧阳市 (default: from its title)"),
            arg("--year", type=int, help="year it reports on, e.g. 2020 (default: from its title)"),
            arg("--source-id", default="", help="key into the sources table, copied to every row"),
            arg("--out", help="write the rows to this CSV (UTF-8) instead of stdout"),
            arg("--append", metavar="RAW_CSV",
                help="append the rows to this raw tidy CSV (created with a header if absent)"),
            arg("--changes", metavar="CSV", help="write growth and change statements to this CSV"),
            arg("--unattributed", metavar="CSV", help="write unattributed figures to this CSV"),
            arg("--keep-lines", action="store_true",
                help="treat every line break as the end of a sentence (default: join lines a PDF wrapped)"),
        ))])


def _err(msg: str) -> None:
    print(msg, file=sys.stderr)


def _append(rows, path: Path) -> None:
    """Append rows to a raw CSV, in the column order of its header."""
    from .figures import RAW_COLUMNS

    if not path.exists() or path.stat().st_size == 0:
        path.parent.mkdir(parents=True, exist_ok=True)
        rows.to_csv(path, index=False, encoding="utf-8")
        return
    data = path.read_bytes()
    try:
        head = data.decode("utf-8-sig").splitlines()[0]
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path} is not UTF-8; convert it before appending (found {exc.reason})") from exc
    header = next(csv.reader([head]))
    missing = [c for c in RAW_COLUMNS if c not in header]
    if missing:
        raise ValueError(f"{path}: header lacks column(s) {', '.join(missing)}; expected {','.join(RAW_COLUMNS)}")
    out = rows.reindex(columns=header).fillna("")
    buf = io.StringIO()
    out.to_csv(buf, index=False, header=False, lineterminator="\n")
    with path.open("a", encoding="utf-8", newline="") as fh:
        if not data.endswith(b"\n"):
            fh.write("\n")
        fh.write(buf.getvalue())


_SUMMARY_LABELS = [("figures", "figures seen"), ("extracted", "extracted (rows)"),
                   ("changes", "growth/change statements"), ("ambiguous", "ambiguous (reported)"),
                   ("refused", "refused (reported)"), ("repeat", "repeats of a level"),
                   ("unrelated", "not a catalogue indicator")]


def _write_csv(frame, path: str) -> None:
    from liyang_ip.fsutil import atomic_write_text

    atomic_write_text(path, frame.to_csv(index=False, lineterminator="\n"))


def run(args) -> int:
    """Handler for `liyang-ip data extract`; returns the exit code."""
    from .bulletin import extract_document
    from .documents import DocumentError, read_document

    path = Path(args.document)
    try:
        doc = read_document(path, keep_lines=args.keep_lines)
    except DocumentError as exc:
        _err(str(exc))
        return 2
    pages = max((b.page for b in doc.blocks), default=0)
    n_par = sum(b.kind != "table" for b in doc.blocks)
    n_tab = sum(b.kind == "table" for b in doc.blocks)
    how = {"pdf": "PDF", "html": "web page", "text": "text"}[doc.format]
    _err(f"read {path} as {how} ({doc.detail}): {f'{pages} page(s), ' if pages else ''}"
         f"{n_par} paragraph(s), {n_tab} table(s)")
    try:
        ex = extract_document(doc, region=args.region, year=args.year, source_id=args.source_id)
    except ValueError as exc:  # DocumentError (no region/year in the title) or an unknown region
        _err(str(exc))
        return 2
    if ex.from_title:
        _err(f"{' and '.join(ex.from_title)} from the title: {ex.region} {ex.year} 「{ex.title[:60]}」")

    try:
        if args.out:
            _write_csv(ex.rows, args.out)
            _err(f"wrote {len(ex.rows)} row(s) to {args.out}")
        if args.append:
            try:
                _append(ex.rows, Path(args.append))
            except (OSError, ValueError) as exc:
                _err(f"cannot append to {args.append}: {exc}")
                return 2
            _err(f"appended {len(ex.rows)} row(s) to {args.append}")
        if args.changes:
            _write_csv(ex.changes, args.changes)
        if args.unattributed:
            _write_csv(ex.unattributed, args.unattributed)
    except OSError as exc:
        _err(f"cannot write {exc.filename}: {exc.strerror or exc}")
        return 2
    if not args.out and not args.append:
        sys.stdout.write(ex.rows.to_csv(index=False, lineterminator="\n"))

    summary = ex.summary
    has_ip = bool(summary.loc["figures", "ip_sections"])
    _err(f"{'':28}{'科技/知识产权 sections':>24}{'whole document':>16}" if has_ip
         else f"{'':28}{'whole document':>16}   (no 科技/知识产权 section heading found)")
    for key, label in _SUMMARY_LABELS:
        ip = f"{summary.loc[key, 'ip_sections']:>24}" if has_ip else ""
        _err(f"  {label:<26}{ip}{summary.loc[key, 'document']:>16}")
    for r in ex.changes.itertuples():
        _err(f"  change  {r.indicator} {r.year} {r.kind} {r.value:g} {r.unit}  「{r.raw}」 ({r.location})")
    shown = ex.unattributed[ex.unattributed["category"] != "unrelated"]
    for r in shown.itertuples():
        who = f" [{r.indicator}]" if r.indicator else ""
        _err(f"  {r.category}{who} 「{r.raw}」 {r.reason}: {r.clause} ({r.location})")
    unrelated = len(ex.unattributed) - len(shown)
    if unrelated:
        _err(f"  {unrelated} figure(s) name no catalogue indicator"
             f"{'' if args.unattributed else '; --unattributed FILE lists them'}")
    return 0
