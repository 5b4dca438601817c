"""Tables as downloads: CSV (UTF-8 with a byte-order mark, so Excel reads accents) and
Excel workbooks (openpyxl), the same headers and rows for both.

Labels and quotes come from documents, so a cell that starts like a formula (``=``,
``+``, ``-``, ``@``) is written as text: in CSV behind an apostrophe (OWASP's advice for
CSV injection), in the workbook as a string cell, never a formula.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Cell = str | int | float | None


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Cell) -> Cell:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows([_csv_cell(v) for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(sheet: str, headers: Sequence[str], rows: Sequence[Sequence[Cell]],
               notes: Sequence[str] = ()) -> bytes:
    """One sheet with a bold, frozen header row and filters; ``notes`` on a second sheet
    (what the figures mean, where they come from)."""
    book = Workbook()
    table = book.active
    assert table is not None
    table.title = sheet[:31]
    table.append(list(headers))
    for cell in table[1]:
        cell.font = Font(bold=True)
    for row in rows:
        table.append(list(row))
        for cell in table[table.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(_FORMULA_START):
                cell.data_type = "s"  # text as written, never a formula
    table.freeze_panes = "B2"
    table.auto_filter.ref = table.dimensions
    for column, header in enumerate(headers, 1):
        width = max([len(str(header)), *(len(str(r[column - 1] or "")) for r in rows[:200])])
        table.column_dimensions[get_column_letter(column)].width = min(60, max(8, width + 2))
    if notes:
        about = book.create_sheet("About")
        for line in notes:
            about.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(kind: str, name: str, sheet: str, headers: Sequence[str],
             rows: Sequence[Sequence[Cell]], notes: Sequence[str] = ()) -> Response:
    """``kind`` "csv" or "xlsx", as an attachment called ``name.kind``."""
    disposition = {"Content-Disposition": f'attachment; filename="{name}.{kind}"'}
    if kind == "csv":
        return Response(csv_bytes(headers, rows), media_type="text/csv; charset=utf-8",
                        headers=disposition)
    return Response(xlsx_bytes(sheet, headers, rows, notes), media_type=XLSX,
                    headers=disposition)


def plain(value: Any) -> Cell:
    """An RDF term or Python value as a spreadsheet cell."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return value
    return str(value)
