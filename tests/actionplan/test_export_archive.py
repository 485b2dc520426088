"""manage.py export_archive YEAR: a package an e-archive can check file by file."""

import datetime
import hashlib
import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actionplan.models import AdoptedPlanDocument
from flemingsberg import archive
from tests.decisions import coordination_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted_plans(make_plan, make_action):
    """Two plans decided in 2025 (with stored documents), one in 2026, one draft."""
    plans = []
    for year, decided in ((2026, datetime.date(2025, 12, 10)), (2025, datetime.date(2025, 1, 20))):
        plan = make_plan(
            year=year,
            status="adopted",
            decision=coordination_decision(decided, paragraph=f"§ {year % 100}"),
        )
        make_action(plan, f"{year}:01", title="=Formel i en titel")
        for language in ("sv", "en"):
            pdf = f"%PDF-1.7 {year} {language}".encode()
            AdoptedPlanDocument.objects.create(
                plan=plan,
                language=language,
                pdf=pdf,
                sha256=hashlib.sha256(pdf).hexdigest(),
                size=len(pdf),
                variant=AdoptedPlanDocument.Variant.PDF_A_3A,
            )
        plans.append(plan)
    make_plan(
        year=2027, status="adopted", decision=coordination_decision(datetime.date(2026, 12, 1))
    )
    make_plan(year=2028)
    return plans


def _read(path: Path) -> dict[str, bytes]:
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as bundle:
            return {
                name.split("/", 1)[1]: bundle.read(name)
                for name in bundle.namelist()
                if not name.endswith("/")
            }
    return {f.relative_to(path).as_posix(): f.read_bytes() for f in path.rglob("*") if f.is_file()}


@pytest.mark.parametrize("as_zip", [False, True])
def test_export_round_trip_every_checksum_matches(adopted_plans, tmp_path, as_zip):
    out = io.StringIO()
    call_command("export_archive", "2025", output=str(tmp_path), zip=as_zip, stdout=out)
    (package,) = list(tmp_path.iterdir())
    assert package.name.startswith("flemingsberg-2050-archive-2025-")
    files = _read(package)
    manifest = json.loads(files["manifest.json"])
    listed = {entry["path"]: entry for entry in manifest["files"]}
    # Every file but the manifest and the checksum list is listed, and each checks out.
    assert set(listed) == set(files) - {"manifest.json", "sha256sums.txt"}
    for path, entry in listed.items():
        assert hashlib.sha256(files[path]).hexdigest() == entry["sha256"], path
        assert len(files[path]) == entry["size"], path
        assert entry["media_type"]
    checksums = dict(
        reversed(line.split("  ", 1)) for line in files["sha256sums.txt"].decode().splitlines()
    )
    assert checksums == {path: entry["sha256"] for path, entry in listed.items()}

    # The two plans decided in 2025, each PDF as stored, nothing of 2026.
    pdfs = sorted(path for path in listed if path.endswith(".pdf"))
    assert pdfs == [
        "records/action-plan/action-plan-2025/action-plan-2025-en.pdf",
        "records/action-plan/action-plan-2025/action-plan-2025-sv.pdf",
        "records/action-plan/action-plan-2026/action-plan-2026-en.pdf",
        "records/action-plan/action-plan-2026/action-plan-2026-sv.pdf",
    ]
    assert files[pdfs[3]] == b"%PDF-1.7 2026 sv"
    assert all(listed[path]["media_type"] == "application/pdf" for path in pdfs)
    content = json.loads(files["content.json"])
    assert content["year"] == 2025
    records = {record["identifier"]: record for record in content["records"]}
    assert set(records) == {"action-plan-2025", "action-plan-2026"}
    assert records["action-plan-2026"]["decision"] == {
        "body": "Politiska samordningsgruppen",
        "date": "2025-12-10",
        "reference": "§ 26",
    }
    assert records["action-plan-2026"]["content"]["actions"][0]["title_sv"] == "=Formel i en titel"
    assert manifest["package"]["records"] == 2
    assert manifest["package"]["checksum_algorithm"] == "SHA-256"
    assert archive.verify_package(package) == []
    assert "checked against the manifest" in out.getvalue()


def test_a_damaged_stored_document_stops_the_export(adopted_plans, tmp_path):
    AdoptedPlanDocument.objects.filter(plan=adopted_plans[0], language="sv").update(
        pdf=b"%PDF-1.7 changed afterwards"
    )
    with pytest.raises(CommandError, match="does not match the SHA-256 recorded"):
        call_command("export_archive", "2025", output=str(tmp_path))
    assert not list(tmp_path.iterdir())


def test_verify_finds_a_changed_file(adopted_plans, tmp_path):
    package = archive.write_package(2025, tmp_path)
    target = next(package.rglob("*-sv.pdf"))
    target.write_bytes(b"tampered")
    assert archive.verify_package(package) == [
        f"checksum or size differs: {target.relative_to(package).as_posix()}"
    ]


def test_another_kind_of_record_needs_one_registration(adopted_plans, tmp_path, monkeypatch):
    monkeypatch.setattr(archive, "_PROVIDERS", dict(archive._PROVIDERS))

    def rounds(year):
        yield archive.ArchiveRecord(
            kind="follow-up-round",
            identifier=f"round-{year}-1",
            title="Uppföljningsomgång",
            date=datetime.date(year, 6, 1),
            content={"round": 1},
            files=[archive.ArchiveFile("report-sv.pdf", b"%PDF report", "application/pdf")],
        )

    archive.register("follow-up-round", rounds)
    package = archive.write_package(2025, tmp_path)
    assert (package / "records/follow-up-round/round-2025-1/report-sv.pdf").read_bytes() == (
        b"%PDF report"
    )
    manifest = json.loads((package / "manifest.json").read_text())
    assert manifest["package"]["kinds"] == ["action-plan", "follow-up-round"]
    assert archive.verify_package(package) == []
