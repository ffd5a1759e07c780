"""`liyang-ip data extract` (registered by liyang_ip.cli under `data`).

    liyang-ip data extract TEXTFILE --region 溧阳市 --year 2020 [--source-id ID] [--out CSV]
                                    [--append RAW_CSV] [--changes CSV] [--unattributed CSV]

Level rows go to stdout as UTF-8 CSV (or to --out, or are appended to --append); growth statements and
unattributed figures are summarised on stderr (and written in full with --changes / --unattributed).
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
    p = data_subparsers.add_parser(
        "extract",
        help="extract indicator figures from bulletin text (统计公报) with quotes",
        description=(
            "Find catalogue indicators and their figures in a bulletin or news text and write raw-ready "
            "rows (status official) with the exact quote. Growth statements are kept apart from levels; "
            "figures that cannot be attributed to one indicator are listed on stderr, never guessed."
        ),
    )
    p.add_argument("textfile", help="text file (UTF-8 or GBK/GB18030)")
    p.add_argument("--region", required=True, help="region the text is about, e.g. 溧阳市")
    p.add_argument("--year", required=True, type=int, help="year the text reports on, e.g. 2020")
    p.add_argument("--source-id", default="", help="key into the sources table, copied to every row")
    p.add_argument("--out", help="write the rows to this CSV (UTF-8) instead of stdout")
    p.add_argument("--append", metavar="RAW_CSV",
                   help="append the rows to this raw tidy CSV (created with a header if absent)")
    p.add_argument("--changes", metavar="CSV", help="write growth and change statements to this CSV")
    p.add_argument("--unattributed", metavar="CSV", help="write unattributed figures to this CSV")
    p.add_argument("--keep-lines", action="store_true",
                   help="treat every line break as the end of a sentence (default: join lines a PDF wrapped)")
    p.set_defaults(func=run)


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


def run(args) -> int:
    """Handler for `liyang-ip data extract`; returns the exit code."""
    from .figures import extract_figures

    path = Path(args.textfile)
    try:
        text, encoding = read_text(path)
    except OSError as exc:
        _err(f"cannot read {path}: {exc.strerror or exc}")
        return 2
    except UnicodeDecodeError as exc:
        _err(f"{path}: neither UTF-8 nor GB18030/GBK (byte {exc.start}: {exc.reason})")
        return 2
    _err(f"read {path} as {'UTF-8' if encoding == 'utf-8-sig' else 'GB18030 (GBK)'}")
    try:
        ex = extract_figures(text, region=args.region, year=args.year, source_id=args.source_id,
                             join_wrapped_lines=not args.keep_lines)
    except ValueError as exc:
        _err(str(exc))
        return 2

    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        ex.rows.to_csv(args.out, index=False, encoding="utf-8")
        _err(f"wrote {len(ex.rows)} row(s) to {args.out}")
    if args.append:
        try:
            _append(ex.rows, Path(args.append))
        except (OSError, ValueError) as exc:
            _err(f"cannot append to {args.append}: {exc}")
            return 2
        _err(f"appended {len(ex.rows)} row(s) to {args.append}")
    if not args.out and not args.append:
        sys.stdout.write(ex.rows.to_csv(index=False, lineterminator="\n"))
    if args.changes:
        ex.changes.to_csv(args.changes, index=False, encoding="utf-8")
    if args.unattributed:
        ex.unattributed.to_csv(args.unattributed, index=False, encoding="utf-8")

    _err(f"{len(ex.rows)} level row(s), {len(ex.changes)} growth/change statement(s) (not rows), "
         f"{len(ex.unattributed)} unattributed figure(s)")
    for r in ex.changes.itertuples():
        _err(f"  change  {r.indicator} {r.year} {r.kind} {r.value:g} {r.unit}  「{r.raw}」")
    for r in ex.unattributed.itertuples():
        who = f" [{r.indicator}]" if r.indicator else ""
        _err(f"  unattributed{who} 「{r.raw}」 {r.reason}: {r.clause}")
    return 0
