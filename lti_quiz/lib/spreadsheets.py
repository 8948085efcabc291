"""Tables written as CSV or XLSX, every text cell safe to open in a spreadsheet program.

Spreadsheet programs run a cell that starts with = + - @, a tab or a carriage return as a
formula (OWASP "CSV injection"). Such text is prefixed with a quote so it stays text, in CSV and
in XLSX alike (an XLSX cell is also written as a string, never as a formula). Numbers are
written as numbers: a negative number is a value, not a formula.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
Cell = str | int | float | Decimal | None


@dataclass(frozen=True)
class Table:
    name: str  # the sheet's name (31 characters at most in XLSX)
    header: Sequence[str]
    rows: Sequence[Sequence[Cell]]


def cell_safe(value: Cell) -> str | int | float:
    """A cell as written: numbers as they are, text neutralised (module docstring)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return value
    if isinstance(value, Decimal):
        return float(value)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def table_csv(table: Table) -> bytes:
    """The table as UTF-8 CSV (with a byte order mark, so spreadsheet programs read accents)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell_safe(cell) for cell in table.header])
    for row in table.rows:
        writer.writerow([cell_safe(cell) for cell in row])
    return ("\ufeff" + out.getvalue()).encode()


def _xlsx_cell(value: Cell) -> str | int | float:
    safe = cell_safe(value)
    # XML cannot hold most control characters; openpyxl refuses them rather than drop them.
    return ILLEGAL_CHARACTERS_RE.sub("", safe) if isinstance(safe, str) else safe


def tables_xlsx(tables: Iterable[Table]) -> bytes:
    """The tables as one XLSX workbook, one sheet each."""
    book = Workbook(write_only=True)
    for table in tables:
        sheet = book.create_sheet(title=table.name[:31])
        sheet.append([_xlsx_cell(cell) for cell in table.header])
        for row in table.rows:
            sheet.append([_xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
