"""Coding workbooks: export a sample to code (XLSX or CSV), import what coders did.

A coded table (what the import returns and the analysis reads) has one row per post a
coder read: ``coder``, ``post_id``, one boolean column per code of the codebook,
``new_codes`` (codes the coder added, ``"; "``-separated, sorted) and ``memo``.
"""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font

from datasaveslives.coding.codebook import Codebook

FIXED = ["order", "post_id", "date", "author", "text"]
TAIL = ["read", "new_code", "memo"]
TRUE = {"1", "x", "yes", "y", "true", "✓"}
FALSE = {"", "0", "no", "n", "false"}
SCIENTIFIC = re.compile(r"^\d(\.\d+)?e\+?\d+$", re.IGNORECASE)


class CodingFileError(ValueError):
    """A coding file that cannot be read as coding of the sample; names file and row."""


def coded_columns(codebook: Codebook) -> list[str]:
    return ["coder", "post_id", *codebook.ids, "new_codes", "memo"]


def empty_coding(codebook: Codebook) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in coded_columns(codebook)})


def _rows(sample: pd.DataFrame, codebook: Codebook, coded: pd.DataFrame | None) -> list[list]:
    # One coder's table: a row a post (a dict lookup a post, not a pandas one).
    done = {r["post_id"]: r for r in coded.to_dict("records")} if coded is not None else {}
    rows = []
    for post in sample.itertuples(index=False):
        got = done.get(post.post_id)
        marks = [1 if got is not None and bool(got[c]) else None for c in codebook.ids]
        rows.append(
            [
                int(post.order),
                str(post.post_id),
                pd.Timestamp(post.created_at).strftime("%Y-%m-%d %H:%M"),
                post.author,
                post.text,
                *marks,
                1 if got is not None else None,
                got["new_codes"] if got is not None and got["new_codes"] else None,
                got["memo"] if got is not None and got["memo"] else None,
            ]
        )
    return rows


def export(
    sample: pd.DataFrame,
    codebook: Codebook,
    path: str | Path,
    coded: pd.DataFrame | None = None,
) -> Path:
    """Write the sample (columns ``order, post_id, created_at, author, text``) as a
    coding workbook: ``.xlsx`` (sheets Coding, Codebook, How to code) or ``.csv`` (the
    codebook beside it as ``<name>_codebook.csv``). ``coded`` (one coder's coded
    table) pre-fills the marks, so that a coding can be handed on."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    header = [*FIXED, *codebook.ids, *TAIL]
    rows = _rows(sample, codebook, coded)
    book_rows = [
        [c.id, c.name, c.definition, "; ".join(c.include), "; ".join(c.exclude)]
        for c in codebook.codes
    ]
    book_header = ["code", "name", "definition", "include", "exclude"]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as fh:
            out = csv.writer(fh, quoting=csv.QUOTE_NONNUMERIC)
            out.writerow(header)
            out.writerows([[("" if v is None else v) for v in row] for row in rows])
        with path.with_name(f"{path.stem}_codebook.csv").open(
            "w", encoding="utf-8-sig", newline=""
        ) as fh:
            out = csv.writer(fh)
            out.writerow(book_header)
            out.writerows(book_rows)
        return path
    if path.suffix.lower() != ".xlsx":
        raise ValueError(f"a coding workbook is .xlsx or .csv, not {path.name}")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Coding"
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].number_format = "@"  # post ids stay text: Excel would round them
    widths = {"A": 7, "B": 21, "C": 17, "D": 18, "E": 70}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=2, min_col=5, max_col=5):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "F2"
    sheet = wb.create_sheet("Codebook")
    sheet.append(book_header)
    for row in book_rows:
        sheet.append(row)
    guide = wb.create_sheet("How to code")
    for line in HOW_TO.strip().splitlines():
        guide.append([line])
    wb.save(path)
    _fixed_dates(path)
    return path


FIXED_DATE = (2021, 2, 16, 0, 0, 0)  # the paper's publication day: no build's clock
_CORE_DATES = re.compile(r"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _fixed_dates(path: Path) -> None:
    """Rewrite an XLSX so that it holds no date of the day it was written (openpyxl
    stamps the document's and each member's): the same sample, the same bytes."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            if info.filename == "docProps/core.xml":
                text = _CORE_DATES.sub(r"\g<1>2021-02-16T00:00:00Z\g<3>", data.decode("utf-8"))
                data = text.encode("utf-8")
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(fixed, data)


HOW_TO = """
Read the posts in the order of the `order` column.
For each post you read, put 1 in `read`, and 1 under every code that applies (codes may overlap).
Leave a code blank when it does not apply. Do not change `order`, `post_id` or `text`.
A code that the codebook lacks goes in `new_code` (several: separate them with ;).
Notes on a post go in `memo`.
Save the file under your name (e.g. coding_alex.xlsx); the coder's name is taken from the file name.
"""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read(
    path: str | Path,
    codebook: Codebook,
    sample_ids: set[str] | None = None,
    coder: str | None = None,
) -> pd.DataFrame:
    """One coder's coded table from a workbook (``.xlsx`` or ``.csv``).

    The coder is ``coder`` or the file name (without ``coding_``). A row is read when
    ``read`` is marked or any code or new code is given. Errors name the file and row:
    an empty sheet, missing columns, a code column not in the codebook, a cell that is
    not a mark, a post id not in ``sample_ids`` or given twice."""
    path = Path(path)
    coder = coder or path.stem.removeprefix("coding_")
    header, rows = _table(path)
    where = str(path)
    if not header:
        raise CodingFileError(f"{where}: the coding sheet is empty")
    header = [_cell(h) for h in header]
    missing = [c for c in ["post_id", *codebook.ids] if c not in header]
    known = set(FIXED) | set(TAIL) | set(codebook.ids)
    unknown = [c for c in header if c and c not in known]
    if unknown:
        raise CodingFileError(
            f"{where}, row 1: unknown code column(s) {', '.join(unknown)}: add them to the "
            f"codebook (data/codebook.yml) or write them in `new_code`"
        )
    if missing:
        raise CodingFileError(f"{where}, row 1: missing column(s) {', '.join(missing)}")
    col = {name: header.index(name) for name in header if name}
    out: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for line, values in rows:
        values = list(values) + [None] * (len(header) - len(values))
        cells = {name: _cell(values[i]) for name, i in col.items()}
        if not any(cells.values()):
            continue
        post_id = cells["post_id"]
        if SCIENTIFIC.match(post_id):
            raise CodingFileError(
                f"{where}, row {line}: post id {post_id} was turned into a number by a "
                f"spreadsheet and lost its digits; format the column as text and re-export"
            )
        marks = {}
        for code in [*codebook.ids, "read"]:
            text = cells.get(code, "").casefold()
            if text in TRUE:
                marks[code] = True
            elif text in FALSE:
                marks[code] = False
            else:
                raise CodingFileError(
                    f"{where}, row {line}, column {code}: {cells[code]!r} is not a mark "
                    f"(use 1 when the code applies, leave blank otherwise)"
                )
        new = sorted({c.strip() for c in cells.get("new_code", "").split(";") if c.strip()})
        memo = cells.get("memo", "")
        if not (marks["read"] or any(marks[c] for c in codebook.ids) or new or memo):
            continue
        if not post_id:
            raise CodingFileError(f"{where}, row {line}: coded row without a post_id")
        if sample_ids is not None and post_id not in sample_ids:
            raise CodingFileError(f"{where}, row {line}: post {post_id} is not in the sample")
        if post_id in seen:
            raise CodingFileError(
                f"{where}, row {line}: post {post_id} is coded twice (also row {seen[post_id]})"
            )
        seen[post_id] = line
        out.append(
            {
                "coder": coder,
                "post_id": post_id,
                **{c: marks[c] for c in codebook.ids},
                "new_codes": "; ".join(new),
                "memo": memo,
            }
        )
    if not out:
        raise CodingFileError(f"{where}: no post is marked as read or coded")
    return pd.DataFrame(out, columns=coded_columns(codebook))


def _table(path: Path) -> tuple[list, list[tuple[int, list]]]:
    """Header and numbered rows of the first sheet (xlsx) or the file (csv)."""
    if not path.is_file():
        raise CodingFileError(f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        try:
            with path.open(encoding="utf-8-sig", newline="") as fh:
                lines: list[list[Any]] = list(csv.reader(fh))
        except UnicodeDecodeError:
            raise CodingFileError(f"{path}: not UTF-8 text; save the CSV as UTF-8") from None
        except csv.Error as err:
            raise CodingFileError(f"{path}: not a readable CSV file ({err})") from None
    elif path.suffix.lower() == ".xlsx":
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as err:  # openpyxl raises many kinds for a damaged file
            raise CodingFileError(f"{path}: not a readable XLSX workbook ({err})") from None
        ws = wb["Coding"] if "Coding" in wb.sheetnames else wb.worksheets[0]
        lines = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
    else:
        raise CodingFileError(f"{path}: a coding file is .xlsx, .csv or .qdpx")
    numbered = list(enumerate(lines, 1))
    while numbered and not any(_cell(v) for v in numbered[0][1]):
        numbered.pop(0)
    if not numbered:
        return [], []
    return numbered[0][1], numbered[1:]
