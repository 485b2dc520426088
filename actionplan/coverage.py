"""Coverage of an action plan: how many of its actions serve each development goal, each
main strategy and each party, and which goals and strategies no action serves.

The one place this is counted (:func:`compute_coverage`): the public coverage page and the
editors' start page call :func:`plan_coverage`, the plan and follow-up PDFs pass the rows
they fetched already.

* An action serves a goal it is linked to.
* It serves a main strategy it is linked to directly or through one of its sub-strategies
  (as the plan's strategy filter counts it), once however many links it has.
* A party is counted for the actions it leads or is co-responsible for (as the party
  filter counts them).

An action serving two goals counts under both: the rows do not add up to the plan's total.
:func:`plan_coverage` queries goals, strategies, parties, the plan's actions, and their
links to goals, strategies, sub-strategies and partners (8, whatever the size of the plan).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from programme.models import DevelopmentGoal, Organisation, Strategy

from .models import Action, ActionPartner, ActionPlan


@dataclass(frozen=True)
class CoverageRow:
    goal: DevelopmentGoal
    strategy_counts: list[tuple[Strategy, int]]  # in the order of Coverage.strategies
    party_counts: list[tuple[Organisation, int]]  # in the order of Coverage.parties
    total: int  # actions serving the goal

    @property
    def uncovered(self) -> bool:
        return self.total == 0

    @property
    def by_strategy(self) -> list[int]:
        return [number for _strategy, number in self.strategy_counts]

    @property
    def by_party(self) -> list[int]:
        return [number for _party, number in self.party_counts]


@dataclass(frozen=True)
class Coverage:
    plan: ActionPlan
    goals: list[DevelopmentGoal]
    strategies: list[Strategy]
    parties: list[Organisation]
    rows: list[CoverageRow]
    strategy_totals: list[int]  # actions serving each strategy, whatever their goals
    party_totals: list[int]
    action_count: int
    without_goal: int  # actions linked to no goal
    without_strategy: int  # actions linked to no strategy or sub-strategy

    @property
    def uncovered_goals(self) -> list[DevelopmentGoal]:
        return [row.goal for row in self.rows if row.uncovered]

    @property
    def uncovered_strategies(self) -> list[Strategy]:
        return [strategy for strategy, total in self.strategy_columns if not total]

    @property
    def strategy_columns(self) -> list[tuple[Strategy, int]]:
        return list(zip(self.strategies, self.strategy_totals, strict=True))

    @property
    def party_columns(self) -> list[tuple[Organisation, int]]:
        return list(zip(self.parties, self.party_totals, strict=True))

    @property
    def has_structure(self) -> bool:
        """The plan's programme has goals or strategies to count against (the 2007 one has
        neither)."""
        return bool(self.goals or self.strategies)


def strategies_of_actions(plan: ActionPlan) -> dict[int, set[int]]:
    """Action id → the main strategies it serves, directly or through a sub-strategy
    (2 queries)."""
    served: dict[int, set[int]] = defaultdict(set)
    for action_id, strategy_id in Action.strategies.through.objects.filter(
        action__plan=plan
    ).values_list("action_id", "strategy_id"):
        served[action_id].add(strategy_id)
    for action_id, strategy_id in Action.sub_strategies.through.objects.filter(
        action__plan=plan
    ).values_list("action_id", "substrategy__strategy_id"):
        served[action_id].add(strategy_id)
    return served


def plan_strategies(plan: ActionPlan) -> list[Strategy]:
    return list(
        Strategy.objects.public()
        .for_programme(plan.programme_id)
        .only(
            "id",
            "slug",
            "order",
            "title",
            "title_sv",
            "title_en",
            "short_title",
            "short_title_sv",
            "short_title_en",
            "programme_id",
        )
    )


def plan_coverage(plan: ActionPlan) -> Coverage:
    """Count the plan's actions per goal × strategy and goal × party (8 queries)."""
    goals = list(
        DevelopmentGoal.objects.public()
        .for_programme(plan.programme_id)
        .only("id", "slug", "order", "title", "title_sv", "title_en", "programme_id")
    )
    leads = dict(Action.objects.in_plan(plan).values_list("pk", "lead_organisation_id"))
    goals_of: dict[int, set[int]] = defaultdict(set)
    for action_id, goal_id in Action.goals.through.objects.filter(action__plan=plan).values_list(
        "action_id", "developmentgoal_id"
    ):
        goals_of[action_id].add(goal_id)
    parties_of: dict[int, set[int]] = defaultdict(set)
    for action_id, lead_id in leads.items():
        if lead_id is not None:
            parties_of[action_id].add(lead_id)
    for action_id, organisation_id in ActionPartner.objects.filter(action__plan=plan).values_list(
        "action_id", "organisation_id"
    ):
        parties_of[action_id].add(organisation_id)
    return compute_coverage(
        plan,
        goals=goals,
        strategies=plan_strategies(plan),
        parties=list(Organisation.objects.filter(is_party=True)),
        action_ids=list(leads),
        goals_of=goals_of,
        strategies_of=strategies_of_actions(plan),
        parties_of=parties_of,
    )


def compute_coverage(
    plan: ActionPlan,
    *,
    goals: list[DevelopmentGoal],
    strategies: list[Strategy],
    parties: list[Organisation],
    action_ids: list[int],
    goals_of: dict[int, set[int]],
    strategies_of: dict[int, set[int]],
    parties_of: dict[int, set[int]],
) -> Coverage:
    """The counting itself, over rows fetched already (the PDFs pass what they hold): for
    each action id the goals, strategies and parties (lead and co-responsible) it has."""
    empty: set[int] = set()

    def count(predicate) -> int:
        return sum(1 for action_id in action_ids if predicate(action_id))

    def serving(goal_id: int, links: dict[int, set[int]], other_id: int) -> int:
        return count(
            lambda a: goal_id in goals_of.get(a, empty) and other_id in links.get(a, empty)
        )

    rows = [
        CoverageRow(
            goal=goal,
            strategy_counts=[(s, serving(goal.pk, strategies_of, s.pk)) for s in strategies],
            party_counts=[(p, serving(goal.pk, parties_of, p.pk)) for p in parties],
            total=count(lambda a, g=goal: g.pk in goals_of.get(a, empty)),
        )
        for goal in goals
    ]
    return Coverage(
        plan=plan,
        goals=goals,
        strategies=strategies,
        parties=parties,
        rows=rows,
        strategy_totals=[
            count(lambda a, s=strategy: s.pk in strategies_of.get(a, empty))
            for strategy in strategies
        ],
        party_totals=[
            count(lambda a, p=party: p.pk in parties_of.get(a, empty)) for party in parties
        ],
        action_count=len(action_ids),
        without_goal=count(lambda a: not goals_of.get(a)),
        without_strategy=count(lambda a: not strategies_of.get(a)),
    )
