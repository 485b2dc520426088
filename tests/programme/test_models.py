import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from programme.models import DevelopmentGoal, Programme, Strategy

pytestmark = pytest.mark.django_db


def test_goal_slug_is_unique_within_a_programme(build_programme):
    programme = build_programme(goals=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        DevelopmentGoal.objects.create(programme=programme, slug="mal-1", title="Dubblett")


def test_same_goal_slug_is_allowed_in_another_programme(build_programme):
    build_programme(goals=1)
    other = Programme.objects.create(
        slug="annat", title="Annat", version_date=datetime.date(2030, 1, 1)
    )
    DevelopmentGoal.objects.create(programme=other, slug="mal-1", title="Mål")


def test_strategy_slug_is_unique_within_a_programme(build_programme):
    programme = build_programme(strategies=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Strategy.objects.create(programme=programme, slug="strategi-1", title="Dubblett")


def test_current_programme_is_the_newest_not_replaced(build_programme):
    first = build_programme()
    newer = Programme.objects.create(
        slug="nyare",
        title="Nyare",
        version_date=datetime.date(2030, 1, 1),
        status=Programme.Status.REPLACED,
        is_published=True,
    )
    assert Programme.objects.published().current() == first
    newer.status = Programme.Status.ADOPTED
    newer.save()
    assert Programme.objects.published().current() == newer


def test_drafts_are_not_published_but_visible_to_staff(build_programme, editor):
    from django.contrib.auth.models import AnonymousUser

    programme = build_programme()
    DevelopmentGoal.objects.filter(slug="mal-1").update(is_published=False)
    assert list(DevelopmentGoal.objects.visible_to(AnonymousUser()).values_list("slug", flat=True))
    assert "mal-1" not in DevelopmentGoal.objects.published().values_list("slug", flat=True)
    assert "mal-1" in DevelopmentGoal.objects.visible_to(editor).values_list("slug", flat=True)
    assert programme.is_published


def test_new_content_is_a_draft_by_default():
    programme = Programme.objects.create(
        slug="utkast", title="Utkast", version_date=datetime.date(2030, 1, 1)
    )
    assert programme.is_published is False
    assert programme.status == Programme.Status.DRAFT


def test_swedish_is_the_fallback_for_missing_english(build_programme):
    build_programme(goals=1)
    goal = DevelopmentGoal.objects.get(slug="mal-1")
    goal.description_en = ""
    goal.save()
    with translation.override("en"):
        assert goal.title == "Goal 1"
        assert goal.description == "Beskrivning 1"


def test_strategy_serves_goals_and_this_is_editable(build_programme):
    build_programme(goals=2, strategies=1)
    strategy = Strategy.objects.get(slug="strategi-1")
    assert strategy.goals.count() == 2
    strategy.goals.remove(DevelopmentGoal.objects.get(slug="mal-2"))
    assert list(strategy.goals.values_list("slug", flat=True)) == ["mal-1"]
    assert list(DevelopmentGoal.objects.get(slug="mal-1").strategies.all()) == [strategy]


def test_real_content_replaces_the_2007_programme(programme_content):
    old = programme_content.replaces
    assert old.slug == "utvecklingsprogram-2007"
    assert old.status == Programme.Status.REPLACED
    assert programme_content.status == Programme.Status.CONSULTATION
    assert programme_content.version_date == datetime.date(2017, 5, 15)
    assert old.main_tasks.count() == 5
    assert Programme.objects.published().current() == programme_content
