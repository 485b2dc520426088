"""Reading an uploaded spreadsheet (CSV or XLSX) into a tablib Dataset, safely.

Every import of the portal reads its file here, before django-import-export sees it, so a
bad file gets one plain message instead of a traceback or a hung worker:

- an empty file, a file over ``IMPORT_MAX_BYTES`` or with more than ``IMPORT_MAX_ROWS`` rows
  is refused up front;
- an XLSX workbook is a zip archive: its declared member count and unpacked size are checked
  against ``IMPORT_XLSX_MAX_MEMBERS`` and ``IMPORT_XLSX_MAX_UNPACKED_BYTES`` *before* openpyxl
  opens it (a zip bomb never unpacks; Python's zipfile never inflates a member past its
  declared size, so the declaration bounds the memory);
- a CSV file is decoded as UTF-8 (with or without BOM), UTF-16 with BOM, or else as
  Windows-1252 (what Swedish Excel's "CSV (semikolonavgränsad)" writes), and its separator
  (``,``, ``;`` or tab) is read from the header row;
- an old binary Excel file (.xls) or anything else is refused with a message that says how to
  save the file instead.

Empty rows are left out; ``Table.line_numbers`` keeps each remaining row's number in the
spreadsheet (the header is row 1), so messages point at the row the user sees.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

import tablib
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (Excel 97–2003) and other OLE files
SEPARATORS = (",", ";", "\t")


class SpreadsheetError(Exception):
    """The file cannot be imported; ``str(error)`` says why and what to do, for the user."""


@dataclass
class Table:
    dataset: tablib.Dataset
    line_numbers: list[int]  # the spreadsheet row of each dataset row (header = row 1)
    file_format: str  # "xlsx" or "csv"
    encoding: str = ""  # of a CSV file
    separator: str = ""  # of a CSV file

    def line_of(self, row_number: int) -> int:
        """The spreadsheet row of import-export's ``row_number`` (1 = first data row)."""
        return self.line_numbers[row_number - 1]


def _how_to_save() -> str:
    return _(
        "In Excel, choose File › Save as and “Excel workbook (*.xlsx)” or “CSV UTF-8 "
        "(comma delimited) (*.csv)”, then import that file."
    )


def read_table(data: bytes) -> Table:
    """The uploaded bytes as a table; ``SpreadsheetError`` with the reason when they are not."""
    if not data or not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise SpreadsheetError(_("The file is empty: it has no header row and no rows."))
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise SpreadsheetError(
            _(
                "The file is %(size)s; at most %(limit)s can be imported at a time. "
                "Split it into smaller files."
            )
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(limit)}
        )
    if data.startswith(XLSX_MAGIC):
        rows, file_format, encoding, separator = _xlsx_rows(data), "xlsx", "", ""
    elif data.startswith(OLE_MAGIC):
        raise SpreadsheetError(
            _("This is an old Excel file (.xls), which cannot be imported.") + " " + _how_to_save()
        )
    else:
        text, encoding = _decode(data)
        separator = _separator(text)
        rows, file_format = _csv_rows(text, separator), "csv"
    return _table(rows, file_format, encoding, separator)


def _row_limit_error() -> SpreadsheetError:
    return SpreadsheetError(
        _("The file has more than %(limit)s rows; split it into files of at most that many.")
        % {"limit": number_format(settings.IMPORT_MAX_ROWS, force_grouping=True)}
    )


# --- XLSX ------------------------------------------------------------------------------


def _xlsx_rows(data: bytes):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise SpreadsheetError(
            _("The file cannot be read as an Excel workbook (XLSX): it is damaged.")
            + " "
            + _how_to_save()
        ) from None
    if len(members) > settings.IMPORT_XLSX_MAX_MEMBERS:
        raise SpreadsheetError(
            _(
                "The workbook holds %(count)d parts, more than the %(limit)d an import "
                "accepts; it was not opened."
            )
            % {"count": len(members), "limit": settings.IMPORT_XLSX_MAX_MEMBERS}
            + " "
            + _how_to_save()
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > settings.IMPORT_XLSX_MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _(
                "The workbook would unpack to %(size)s, more than the %(limit)s an import "
                "accepts; it was not opened. Split it into smaller files."
            )
            % {
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(settings.IMPORT_XLSX_MAX_UNPACKED_BYTES),
            }
        )
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (KeyError, InvalidFileException, XML errors)
        raise SpreadsheetError(
            _("The file cannot be read as an Excel workbook (XLSX): it is damaged.")
            + " "
            + _how_to_save()
        ) from None
    try:
        sheet = workbook.active or workbook.worksheets[0]
        # The declared dimension may be wrong (or forged): read only the rows that exist.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    except SpreadsheetError:
        raise
    except Exception:
        raise SpreadsheetError(
            _("The file cannot be read as an Excel workbook (XLSX): it is damaged.")
            + " "
            + _how_to_save()
        ) from None
    finally:
        workbook.close()


# --- CSV -------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" not in data:
        try:
            return data.decode("utf-8-sig"), "UTF-8"
        except UnicodeDecodeError:
            pass
        try:
            # Swedish Excel's "CSV (semikolonavgränsad)" is Windows-1252 (å ä ö are E5 E4 F6).
            return data.decode("cp1252"), "Windows-1252"
        except UnicodeDecodeError:
            pass
    raise SpreadsheetError(
        _("The file is neither an Excel workbook (XLSX) nor a text file (CSV) that can be read.")
        + " "
        + _how_to_save()
    )


def _separator(text: str) -> str:
    """The separator of the header row: the most frequent of , ; and tab outside quotes."""
    header = ""
    for line in text.splitlines():
        if line.strip():
            header = line
            break
    unquoted = "".join(part for index, part in enumerate(header.split('"')) if index % 2 == 0)
    counts = {separator: unquoted.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else ","


def _csv_rows(text: str, separator: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        yield from reader
    except csv.Error as error:
        raise SpreadsheetError(
            _("Row %(row)d cannot be read as CSV (%(error)s).")
            % {"row": reader.line_num, "error": error}
            + " "
            + _how_to_save()
        ) from None


# --- both ------------------------------------------------------------------------------


def _cell(value):
    if isinstance(value, str):
        value = value.strip()
        return value
    return "" if value is None else value


def _table(rows, file_format: str, encoding: str, separator: str) -> Table:
    rows = iter(rows)
    header: list[str] | None = None
    line = 0
    for raw in rows:
        line += 1
        cells = [_cell(value) for value in raw]
        if any(cell != "" for cell in cells):
            header = [str(cell) for cell in cells]
            break
    if header is None:
        raise SpreadsheetError(_("The file is empty: it has no header row and no rows."))
    while header and header[-1] == "":
        header.pop()
    seen = set()
    for name in header:
        if name == "":
            raise SpreadsheetError(
                _("Row %(row)d, the header row, has an empty column name.") % {"row": line}
            )
        if name in seen:
            raise SpreadsheetError(
                _("The column “%(column)s” appears twice in the header row.") % {"column": name}
            )
        seen.add(name)
    width = len(header)
    dataset = tablib.Dataset(headers=header)
    line_numbers: list[int] = []
    limit = settings.IMPORT_MAX_ROWS
    for raw in rows:
        line += 1
        cells = [_cell(value) for value in raw]
        if not any(cell != "" for cell in cells):
            continue
        if len(cells) > width:
            if any(cell != "" for cell in cells[width:]):
                raise SpreadsheetError(
                    _(
                        "Row %(row)d has %(cells)d cells but the header row names %(columns)d "
                        "columns. Is there a separator inside a text or a number without "
                        "quotation marks?"
                    )
                    % {"row": line, "cells": len(cells), "columns": width}
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells += [""] * (width - len(cells))
        if len(line_numbers) >= limit:
            raise _row_limit_error()
        dataset.append(cells)
        line_numbers.append(line)
    if not line_numbers:
        raise SpreadsheetError(_("The file has a header row but no rows to import."))
    return Table(dataset, line_numbers, file_format, encoding, separator)
