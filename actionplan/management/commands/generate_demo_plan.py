"""Generate a clearly marked DEMO action plan (for load tests and screenshots).

Never part of the content fixtures: it runs only when asked. Every title starts with
"[DEMO]", the plan has ``is_demo`` set and its pages carry a DEMO banner.
"""

import datetime
import random

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from actionplan.models import Action, ActionPartner, ActionPlan, ActionStatus
from flemingsberg.cache import content_changed
from programme.models import Decision, Organisation, Programme, SubStrategy


class Command(BaseCommand):
    help = "Create a DEMO action plan with generated (not real) actions. Marked DEMO everywhere."

    def add_arguments(self, parser):
        parser.add_argument("--actions", type=int, default=100)
        parser.add_argument("--year", type=int, default=datetime.date.today().year)
        parser.add_argument("--programme", default="flemingsberg-2050", help="Programme slug")
        parser.add_argument("--seed", type=int, default=2050)

    @transaction.atomic
    def handle(self, *args, actions, year, programme, seed, **options):
        try:
            programme_obj = Programme.objects.get(slug=programme)
        except Programme.DoesNotExist:
            raise CommandError(f"Unknown programme '{programme}'.") from None
        if ActionPlan.objects.filter(programme=programme_obj, year=year, is_demo=True).exists():
            raise CommandError(f"A demo plan for {year} exists already.")
        parties = list(Organisation.objects.filter(is_party=True))
        goals = list(programme_obj.goals.all())
        sub_strategies = list(
            SubStrategy.objects.filter(strategy__programme=programme_obj).select_related("strategy")
        )
        if not parties:
            raise CommandError("No parties: load the content first.")
        rng = random.Random(seed)  # noqa: S311 – demo data, not security
        plan = ActionPlan.objects.create(
            programme=programme_obj,
            year=year,
            title=f"[DEMO] Handlingsplan {year}",
            title_sv=f"[DEMO] Handlingsplan {year}",
            title_en=f"[DEMO] Action plan {year}",
            notes_sv="Genererade demonstrationsdata – inte en verklig handlingsplan.",
            notes_en="Generated demonstration data – not a real action plan.",
            status=ActionPlan.Status.ADOPTED,
            decision=Decision.objects.create(
                body=Decision.Body.COORDINATION_GROUP,
                date=datetime.date(year - 1, 12, 1),
                minutes_paragraph="§ 0",
                reference_number="DEMO",
                text_sv="[DEMO] Genererade demonstrationsdata – inget verkligt beslut.",
                text_en="[DEMO] Generated demonstration data – not a real decision.",
            ),
            is_demo=True,
        )
        statuses = [ActionStatus.PLANNED, ActionStatus.ONGOING, ActionStatus.POSTPONED]
        created = Action.objects.bulk_create(
            Action(
                plan=plan,
                number=f"{year}:{n:04d}",
                title=f"[DEMO] Åtgärd {n}",
                title_sv=f"[DEMO] Åtgärd {n}",
                title_en=f"[DEMO] Action {n}",
                description_sv="Genererad demonstrationsåtgärd.",
                description_en="Generated demonstration action.",
                lead_organisation=rng.choice(parties),
                status=rng.choice(statuses),
                progress=rng.randrange(0, 100),
                start_year=year,
                start_quarter=rng.randint(1, 4),
                end_year=year + rng.randint(0, 2),
                end_quarter=4,
            )
            for n in range(1, actions + 1)
        )
        if goals:
            through = Action.goals.through
            through.objects.bulk_create(
                through(action_id=action.pk, developmentgoal_id=rng.choice(goals).pk)
                for action in created
            )
        if sub_strategies:
            # Each action follows one sub-strategy and its main strategy (the coverage
            # table counts both ways an action can serve a strategy).
            chosen = {action.pk: rng.choice(sub_strategies) for action in created}
            Action.sub_strategies.through.objects.bulk_create(
                Action.sub_strategies.through(action_id=pk, substrategy_id=sub.pk)
                for pk, sub in chosen.items()
            )
            Action.strategies.through.objects.bulk_create(
                Action.strategies.through(action_id=pk, strategy_id=sub.strategy_id)
                for pk, sub in chosen.items()
            )
        ActionPartner.objects.bulk_create(
            ActionPartner(
                action=action,
                # A partner is another party than the lead.
                organisation=rng.choice(
                    [p for p in parties if p.pk != action.lead_organisation_id]
                ),
                role="[DEMO]",
            )
            for action in created[::3]
            if len(parties) > 1
        )
        # bulk_create sends no signals. The cache is this process's unless REDIS_URL is set.
        content_changed()
        self.stdout.write(
            self.style.WARNING(f"Created DEMO plan {plan} with {len(created)} generated actions.")
        )
