"""Bad files on an import page get one plain message (issue 11 item 9), built here: empty,
Swedish Excel's CSV, an old .xls, a zip bomb, too large, too many rows, damaged."""

import io
import zipfile

import openpyxl
import pytest
from django.urls import reverse

from flemingsberg.models import ImportJob
from indicators.models import Measurement

pytestmark = pytest.mark.django_db


@pytest.fixture
def upload(run_import, editor, sub_target):
    """Upload a file of measurements as an editor; the answer is the page or the job."""

    def run(data: bytes, name="matningar.csv", **kwargs):
        return run_import(editor, reverse("admin:indicators_measurement_import"), data, name=name)

    return run


def _refusal(run) -> str:
    """The message of an upload refused on the upload page itself (no job was created)."""
    assert run.job is None
    assert run.response.status_code == 200
    errors = run.response.context["form"].errors["file"]
    assert len(errors) == 1
    assert not ImportJob.objects.exists()
    assert errors[0] in run.response.content.decode()
    return errors[0]


def _xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\r\n\r\n", b" ;;\r\n;;\r\n"])
def test_an_empty_file_says_so(upload, data):
    assert _refusal(upload(data)) == "Filen är tom: den har varken rubrikrad eller rader."


def test_a_header_without_rows_says_so(upload):
    message = _refusal(upload(b"sub_target,period_year,value\n"))
    assert message == "Filen har en rubrikrad men inga rader att importera."


def test_swedish_excel_csv_is_read(upload):
    """Excel in Swedish saves "CSV (semikolonavgränsad)": semicolons, Windows-1252, decimal
    commas."""
    text = (
        "sub_target;period_year;value;source_note\r\ndelmal-1;2019;2 400,5;Källa: SCB, år 2019\r\n"
    )
    run = upload(text.encode("cp1252"))
    assert run.job.state == ImportJob.State.CHECKED, run.job.report
    run.confirm()
    measurement = Measurement.objects.get()
    assert str(measurement.value) == "2400.50"
    assert measurement.source_note == "Källa: SCB, år 2019"


def test_excel_unicode_text_is_read(upload):
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated."""
    text = "sub_target\tperiod_year\tvalue\r\ndelmal-1\t2019\t12\r\n"
    run = upload(text.encode("utf-16"))
    assert run.job.state == ImportJob.State.CHECKED, run.job.report


def test_an_old_xls_file_is_refused_with_how_to_save_it(upload):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    message = _refusal(upload(data, name="matningar.xls"))
    assert message.startswith("Det här är en gammal Excel-fil (.xls), som inte kan importeras.")
    assert "Spara som" in message and "CSV UTF-8 (kommaavgränsad)" in message


def test_a_binary_file_is_refused_with_how_to_save_it(upload):
    message = _refusal(upload(bytes(range(256)) * 4, name="bild.png"))
    assert message.startswith("Filen är varken en Excel-arbetsbok (XLSX) eller en textfil (CSV)")
    assert "Spara som" in message


def test_a_damaged_workbook_is_refused(upload):
    message = _refusal(upload(b"PK\x03\x04 this is not a workbook", name="m.xlsx"))
    assert message.startswith("Filen kan inte läsas som en Excel-arbetsbok (XLSX): den är skadad.")


def _bomb(member_bytes: int, members: int = 1) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number in range(members):
            archive.writestr(f"xl/worksheets/sheet{number}.xml", b"\x00" * member_bytes)
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_unpacked(upload, settings, monkeypatch):
    settings.IMPORT_XLSX_MAX_UNPACKED_BYTES = 10 * 1024 * 1024
    data = _bomb(64 * 1024 * 1024)  # 64 MiB of zeros in 64 KB
    assert len(data) < 100_000

    def never(*args, **kwargs):
        raise AssertionError("openpyxl opened the bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    message = _refusal(upload(data, name="bomb.xlsx"))
    assert message == (
        "Arbetsboken skulle packas upp till 64,0\xa0MB, mer än de 10,0\xa0MB en import tar "
        "emot; den öppnades inte. Dela upp den i mindre filer."
    )


def test_a_workbook_of_too_many_parts_is_refused(upload, settings):
    settings.IMPORT_XLSX_MAX_MEMBERS = 20
    message = _refusal(upload(_bomb(10, members=21), name="many.xlsx"))
    assert message.startswith("Arbetsboken består av 21 delar, fler än de 20 en import tar emot")


def test_a_file_over_the_size_limit_is_refused_up_front(upload, settings):
    settings.IMPORT_MAX_BYTES = 1024
    data = b"sub_target,period_year,value\n" + b"delmal-1,2019,1\n" * 200
    message = _refusal(upload(data))
    assert message == (
        "Filen är 3,2\xa0kB; högst 1,0\xa0kB kan importeras åt gången. Dela upp den i mindre filer."
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_file_over_the_row_limit_is_refused_up_front(upload, settings, kind):
    settings.IMPORT_MAX_ROWS = 3
    rows = [["sub_target", "period_year", "value"]] + [["delmal-1", 2018 + n, 1] for n in range(4)]
    if kind == "csv":
        data = "\n".join(",".join(map(str, row)) for row in rows).encode()
    else:
        data = _xlsx(rows)
    message = _refusal(upload(data, name=f"m.{kind}"))
    assert message == "Filen har fler än 3 rader; dela upp den i filer med högst så många."


def test_empty_rows_are_left_out_and_rows_keep_their_numbers(upload):
    data = b"sub_target,period_year,value\n\ndelmal-1,2019,1\n,,\ndelmal-1,2051,1\n"
    run = upload(data)
    assert run.job.rows == 2
    assert [(row, column) for row, column, _reason in run.problems] == [(5, "period_year")]


def test_a_row_with_more_cells_than_columns_is_named(upload):
    data = b"sub_target,period_year,value\ndelmal-1,2019,2,5\n"
    message = _refusal(upload(data))
    assert message.startswith("Rad 2 har 4 celler men rubrikraden har 3 kolumner.")


def test_a_column_named_twice_is_refused(upload):
    message = _refusal(upload(b"sub_target,value,value\ndelmal-1,1,2\n"))
    assert message == "Kolumnen ”value” finns två gånger i rubrikraden."
