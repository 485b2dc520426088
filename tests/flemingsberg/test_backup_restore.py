"""The backup drill: dump the test database, restore it into a new one, compare table by
table and the stored documents' checksums. PostgreSQL only (CI runs it there)."""

from __future__ import annotations

import datetime
import hashlib
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.decisions import coordination_decision

pytestmark = [
    pytest.mark.django_db(transaction=True),  # pg_dump sees only committed rows
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="backup_database/restore_database use pg_dump and pg_restore: PostgreSQL only "
        "(set DATABASE_URL=postgres://…; CI runs this)",
    ),
]


def _connect(name: str):
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=name,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        autocommit=True,
    )


def _row_counts(database) -> dict[str, int]:
    with database.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
        )
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 – names from the catalogue
            counts[table] = cursor.fetchone()[0]
    return counts


def _documents(database) -> dict[int, tuple[str, str]]:
    with database.cursor() as cursor:
        cursor.execute("SELECT id, sha256, pdf FROM actionplan_adoptedplandocument ORDER BY id")
        return {
            pk: (recorded, hashlib.sha256(bytes(pdf)).hexdigest())
            for pk, recorded, pdf in cursor.fetchall()
        }


@pytest.fixture
def content(build_programme, parties, editor):
    from actionplan.models import Action, ActionPlan, AdoptedPlanDocument, FollowUpUpdate

    programme = build_programme(goals=3, strategies=2)
    plan = ActionPlan.objects.create(
        programme=programme,
        year=2026,
        title="Handlingsplan 2026",
        status="adopted",
        decision=coordination_decision(datetime.date(2025, 12, 10)),
    )
    for number in range(1, 6):
        action = Action.objects.create(
            plan=plan,
            number=f"2026:{number:02d}",
            title=f"Åtgärd {number}",
            lead_organisation=parties["huddinge"],
        )
        FollowUpUpdate.objects.create(
            action=action, date=datetime.date(2026, 3, 1), status="ongoing", progress=10
        )
    for language in ("sv", "en"):
        pdf = f"%PDF-1.7 stored {language} ".encode() + bytes(range(256))
        AdoptedPlanDocument.objects.create(
            plan=plan,
            language=language,
            pdf=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            variant="pdf/a-3a",
        )
    return plan


def test_backup_restores_into_a_fresh_database_with_every_row(content, tmp_path):
    dump = tmp_path / "drill.dump"
    call_command("backup_database", output=str(dump))
    assert dump.stat().st_size > 0
    assert (tmp_path / "drill.dump.sha256").read_text().split()[0] == hashlib.sha256(
        dump.read_bytes()
    ).hexdigest()

    restored_name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    call_command("restore_database", str(dump), restored_name)
    source = _connect(connection.settings_dict["NAME"])
    try:
        restored = _connect(restored_name)
        try:
            source_counts = _row_counts(source)
            assert source_counts["actionplan_action"] == 5
            assert source_counts["actionplan_adoptedplandocument"] == 2
            assert _row_counts(restored) == source_counts  # every table, row for row
            documents = _documents(restored)
            assert documents == _documents(source)
            assert len(documents) == 2
            assert all(recorded == actual for recorded, actual in documents.values())
        finally:
            restored.close()
        with pytest.raises(CommandError, match="exists already"):
            call_command("restore_database", str(dump), restored_name)
    finally:
        with source.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{restored_name}"')
        source.close()


def test_a_damaged_backup_is_refused(content, tmp_path):
    dump = tmp_path / "drill.dump"
    call_command("backup_database", output=str(dump))
    dump.write_bytes(dump.read_bytes()[:-10])
    with pytest.raises(CommandError, match="does not match its checksum"):
        call_command("restore_database", str(dump), "never_created_database")
    with pytest.raises(CommandError, match="not a database name"):
        call_command("restore_database", str(dump), "bad-name; DROP")
