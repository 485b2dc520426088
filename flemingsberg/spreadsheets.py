"""The one way the portal writes CSV and XLSX files that people open in a spreadsheet.

Two promises, for every export (the admin's action export, the open-data downloads, the
data attached to archival PDFs):

* **No formula runs.** A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
  carriage return is a formula to Excel and LibreOffice ("CSV injection"): a title typed
  as ``=HYPERLINK(…)`` would become a live link in a coordinator's spreadsheet. In CSV
  such a cell gets a leading apostrophe (the OWASP advice; spreadsheets read the cell as
  text). In XLSX the cell is written as a text cell, its value unchanged. A plain number
  (``-12``, ``+3.5``) is no formula and is left alone. django-import-export's and tablib's
  own escaping is not used: it deletes the leading ``=`` (losing data) and knows no other
  prefix.
* **Swedish Excel reads the characters.** CSV files are UTF-8 with a byte-order mark
  (without it Excel reads UTF-8 as Windows-1252: "Ã¥" for "å") and CRLF line ends
  (RFC 4180). :data:`EXCEL_SV` is the variant for double-clicking in Swedish Excel:
  ``;`` between cells and a decimal comma, the list separator and decimal sign of the
  Swedish locale.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

#: What makes a spreadsheet read a text cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
BOM = "\ufeff"


def is_formula_like(value: Any) -> bool:
    """True for a text a spreadsheet would evaluate (a plain number is not one)."""
    return (
        isinstance(value, str)
        and value.startswith(FORMULA_PREFIXES)
        and not _PLAIN_NUMBER.fullmatch(value)
    )


def neutralise_formula(value: Any) -> Any:
    """The cell as CSV should carry it: formula-like text behind an apostrophe."""
    return "'" + value if is_formula_like(value) else value


@dataclass(frozen=True)
class Dialect:
    delimiter: str
    decimal_separator: str


#: RFC 4180: comma, decimal point. For programs, and for Excel's "From Text/CSV".
STANDARD = Dialect(delimiter=",", decimal_separator=".")
#: For double-clicking in Excel with Swedish regional settings.
EXCEL_SV = Dialect(delimiter=";", decimal_separator=",")


def _csv_cell(value: Any, dialect: Dialect) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        text = format(value.normalize(), "f")
        return text.replace(".", dialect.decimal_separator)
    if isinstance(value, float):
        return repr(value).replace(".", dialect.decimal_separator)
    return neutralise_formula(value)


def csv_text(
    header: Sequence[str], rows: Iterable[Sequence[Any]], dialect: Dialect = STANDARD
) -> str:
    """CSV with a byte-order mark, CRLF line ends and every cell neutralised."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, delimiter=dialect.delimiter, lineterminator="\r\n")
    writer.writerow([neutralise_formula(name) for name in header])
    for row in rows:
        writer.writerow([_csv_cell(value, dialect) for value in row])
    return buffer.getvalue()


def csv_bytes(
    header: Sequence[str], rows: Iterable[Sequence[Any]], dialect: Dialect = STANDARD
) -> bytes:
    return csv_text(header, rows, dialect).encode("utf-8")


def xlsx_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], title: str = "") -> bytes:
    """One worksheet, the header row frozen; formula-like text is a text cell."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.title = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
    for row in [list(header), *rows]:
        sheet.append([_xlsx_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if is_formula_like(cell.value):
                # openpyxl took it for a formula (data type "f"): make it text again, and
                # mark it as Excel marks a cell typed with a leading apostrophe.
                cell.data_type = "s"
                cell.quotePrefix = True
    sheet.freeze_panes = "A2"
    stream = io.BytesIO()
    workbook.save(stream)
    return stream.getvalue()


def _xlsx_value(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, Decimal, str)):
        return value
    return str(value)
