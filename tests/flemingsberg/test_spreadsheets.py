"""The spreadsheet writer: formula-like text never runs, Swedish Excel reads the characters."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from flemingsberg.spreadsheets import (
    EXCEL_SV,
    csv_bytes,
    is_formula_like,
    neutralise_formula,
    xlsx_bytes,
)

DANGEROUS = ["=1+1", "+SUM(A1:A9)", "-2+3", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")']


@pytest.mark.parametrize("text", DANGEROUS)
def test_formula_like_text_gets_an_apostrophe(text):
    assert is_formula_like(text)
    assert neutralise_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["-12", "+3.5", "-0,5", "Åtgärd 1", "", "a=b", 12, None])
def test_numbers_and_ordinary_text_are_left_alone(value):
    assert neutralise_formula(value) == value


def test_csv_has_a_bom_crlf_and_no_live_formula():
    content = csv_bytes(["title", "value"], [["=1+1", Decimal("12.50")], ["Å", -3]])
    assert content.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in content
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows == [["title", "value"], ["'=1+1", "12.5"], ["Å", "-3"]]


def test_the_swedish_excel_variant_has_semicolons_and_decimal_commas():
    content = csv_bytes(["title", "value"], [["@x", Decimal("2500.50")]], EXCEL_SV)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows == [["title", "value"], ["'@x", "2500,5"]]


def test_xlsx_writes_formula_like_text_as_text_unchanged():
    content = xlsx_bytes(["title", "number"], [["=1+1", 5], ["-2+3", -2]])
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = list(sheet.iter_rows(min_row=2))
    assert [(cell.value, cell.data_type) for cell in cells[0]] == [("=1+1", "s"), (5, "n")]
    assert [(cell.value, cell.data_type) for cell in cells[1]] == [("-2+3", "s"), (-2, "n")]
    assert cells[0][0].quotePrefix
