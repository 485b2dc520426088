"""The data migration that turned each plan's decision date, body and reference into a
Decision record (actionplan 0011): nothing entered before is lost."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("actionplan", "0010_decision_record")]
AFTER = [("actionplan", "0011_move_decisions")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_old_decision_columns_become_decision_records():
    old = _migrate(BEFORE)
    try:
        Programme = old.get_model("programme", "Programme")
        ActionPlan = old.get_model("actionplan", "ActionPlan")
        programme = Programme.objects.create(
            slug="p", title="P", version_date=datetime.date(2017, 5, 15)
        )
        coordination = ActionPlan.objects.create(
            programme=programme,
            year=2026,
            title="Handlingsplan 2026",
            status="adopted",
            decision_date=datetime.date(2025, 12, 10),
            decision_body="Politiska samordningsgruppen",
            decision_body_sv="Politiska samordningsgruppen",
            decision_reference_sv="§ 14",
        )
        steering = ActionPlan.objects.create(
            programme=programme,
            year=2007,
            title="Handlingsprogram",
            status="superseded",
            decision_date=datetime.date(2007, 6, 27),
            decision_body_sv="Politiska styrgruppen",
            decision_reference_sv="Tjänsteutlåtande 2007-07-06",
            decision_reference_en="Joint memo of 2007-07-06",
        )
        draft = ActionPlan.objects.create(programme=programme, year=2027, title="Utkast")

        new = _migrate(AFTER)
        ActionPlan = new.get_model("actionplan", "ActionPlan")
        adopted = ActionPlan.objects.select_related("decision").get(pk=coordination.pk)
        assert (adopted.decision.body, adopted.decision.date) == (
            "coordination_group",
            datetime.date(2025, 12, 10),
        )
        assert adopted.decision.minutes_paragraph == "§ 14"
        assert adopted.decision.text_sv == ""  # the body's name is the body, not a text
        old_plan = ActionPlan.objects.select_related("decision").get(pk=steering.pk)
        assert old_plan.decision.body == "steering_group"
        assert old_plan.decision.minutes_paragraph == ""
        assert old_plan.decision.source_sv == "Tjänsteutlåtande 2007-07-06"
        assert old_plan.decision.source_en == "Joint memo of 2007-07-06"
        assert ActionPlan.objects.get(pk=draft.pk).decision_id is None
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
