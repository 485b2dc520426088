from django.db import migrations


STEERING_WORDS = ("styrgrupp", "steering")
GROUP_WORDS = (*STEERING_WORDS, "samordningsgrupp", "coordination group")


def move_decisions(apps, schema_editor):
    """Each plan's decision date, body and reference become a Decision row: the body named
    a steering group ("Politiska styrgruppen", 2007) or else the coordination group; a
    reference starting with § is the paragraph of the minutes, any other is kept as the
    decision's source, and a body named otherwise keeps its wording in the text."""
    ActionPlan = apps.get_model("actionplan", "ActionPlan")
    Decision = apps.get_model("programme", "Decision")
    for plan in ActionPlan.objects.exclude(decision_date=None):
        body_sv = plan.decision_body_sv or plan.decision_body or ""
        body_en = plan.decision_body_en or ""
        reference_sv = plan.decision_reference_sv or plan.decision_reference or ""
        reference_en = plan.decision_reference_en or ""
        steering = any(w in f"{body_sv} {body_en}".lower() for w in STEERING_WORDS)
        # A body other than the two groups keeps its name as entered, in the decision's text.
        named = any(w in f"{body_sv} {body_en}".lower() for w in GROUP_WORDS)
        if named:
            body_sv = body_en = ""
        paragraph = reference_sv if reference_sv.strip().startswith("§") else ""
        decision = Decision.objects.create(
            body="steering_group" if steering else "coordination_group",
            kind="decision",
            date=plan.decision_date,
            minutes_paragraph=paragraph[:50],
            source="" if paragraph else reference_sv[:300],
            source_sv="" if paragraph else reference_sv[:300],
            source_en="" if paragraph else reference_en[:300],
            text=body_sv,  # the untranslated column, as modeltranslation keeps it
            text_sv=body_sv,
            text_en=body_en,
        )
        plan.decision = decision
        plan.save(update_fields=["decision"])


def restore_decisions(apps, schema_editor):
    ActionPlan = apps.get_model("actionplan", "ActionPlan")
    for plan in ActionPlan.objects.exclude(decision=None).select_related("decision"):
        decision = plan.decision
        plan.decision_date = decision.date
        plan.decision_body_sv = plan.decision_body = decision.text_sv or decision.body
        plan.decision_body_en = decision.text_en
        plan.decision_reference_sv = plan.decision_reference = (
            decision.minutes_paragraph or decision.source_sv
        )
        plan.decision_reference_en = decision.source_en
        plan.save()


class Migration(migrations.Migration):

    dependencies = [
        ('actionplan', '0010_decision_record'),
    ]

    operations = [
        migrations.RunPython(move_decisions, restore_decisions),
    ]
