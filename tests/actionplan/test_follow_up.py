"""Follow-up in the admin: one source of truth for status and progress, refusals that keep
what was typed, no future dates, authors correcting their own follow-up (issue 11, 1 and 4).
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from actionplan.models import Action, ActionPlan, FollowUpUpdate

from .test_permissions import action_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def adopted(make_plan):
    return make_plan(year=2026, status=ActionPlan.Status.ADOPTED)


@pytest.fixture
def coordinator(make_staff):
    return make_staff("coordinator", "huddinge")


def _recorded(action, by, date, status, progress, text=""):
    """A follow-up as the portal records it (set up directly: the tests are about the admin)."""
    update = FollowUpUpdate.objects.create(
        action=action, date=date, status=status, progress=progress, text=text, author=by
    )
    action.refresh_current_state()
    return update


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _change_url(action) -> str:
    return reverse("admin:actionplan_action_change", args=[action.pk])


def test_status_and_progress_changed_on_the_action_are_kept_as_a_follow_up(
    adopted, make_action, coordinator, editor
):
    action = make_action(adopted, "2026:01", lead="huddinge")
    _recorded(action, editor, datetime.date(2026, 3, 1), "ongoing", 25)
    client = _client(coordinator)
    data = action_form_data(action, status="postponed", progress="60")
    response = client.post(_change_url(action), data, follow=True)
    assert response.status_code == 200
    action.refresh_from_db()
    # Before the fix the latest follow-up (ongoing, 25) was put back after "ändrad".
    assert (action.status, action.progress) == ("postponed", 60)
    latest = action.updates.order_by("-date", "-pk").first()
    assert (latest.status, latest.progress, latest.author) == ("postponed", 60, coordinator)
    assert latest.date == timezone.localdate()
    # What the page said is what was kept.
    page = response.content.decode()
    assert "Ändrade åtgärd" in page
    assert "Uppskjuten" in client.get(_change_url(action)).content.decode()


def test_saving_without_touching_the_state_records_no_follow_up(adopted, make_action, coordinator):
    action = make_action(adopted, "2026:01", lead="huddinge")
    response = _client(coordinator).post(
        _change_url(action), action_form_data(action, contact_person="Eva")
    )
    assert response.status_code == 302
    assert not FollowUpUpdate.objects.exists()


def _add_url() -> str:
    return reverse("admin:actionplan_followupupdate_add")


def _follow_up_data(action, **changes) -> dict:
    return {
        "action": action.pk,
        "date": "2026-04-01",
        "status": "ongoing",
        "progress": "30",
        "text_sv": "Lång text som koordinatorn skrev och inte vill skriva om.",
        **changes,
    }


def test_add_follow_up_offers_only_actions_the_user_may_follow_up(
    adopted, make_plan, make_action, coordinator
):
    own = make_action(adopted, "2026:01", lead="huddinge")
    other = make_action(adopted, "2026:02", lead="botkyrka")
    draft = make_action(make_plan(year=2027), "2027:01", lead="huddinge")
    client = _client(coordinator)
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "actionplan",
            "model_name": "followupupdate",
            "field_name": "action",
            "term": "",
        },
    )
    assert autocomplete.status_code == 200
    offered = {int(row["id"]) for row in autocomplete.json()["results"]}
    assert offered == {own.pk}
    assert other.pk not in offered and draft.pk not in offered


@pytest.mark.parametrize("which", ["other party", "draft"])
def test_a_refused_follow_up_is_an_inline_error_that_keeps_the_text(
    adopted, make_plan, make_action, coordinator, which
):
    if which == "draft":
        action = make_action(make_plan(year=2027), "2027:01", lead="huddinge")
    else:
        action = make_action(adopted, "2026:02", lead="botkyrka")
    data = _follow_up_data(action)
    response = _client(coordinator).post(_add_url(), data)
    # Before the fix: a bare 403, and the text was gone.
    assert response.status_code == 200
    page = response.content.decode()
    assert "Du får inte följa upp den här åtgärden" in page
    assert data["text_sv"] in page
    assert not FollowUpUpdate.objects.exists()


def test_a_follow_up_cannot_be_dated_in_the_future(adopted, make_action, coordinator):
    action = make_action(adopted, "2026:01", lead="huddinge")
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    data = _follow_up_data(action, date=tomorrow.isoformat())
    response = _client(coordinator).post(_add_url(), data)
    assert response.status_code == 200
    assert "kan inte ligga i framtiden" in response.content.decode()
    assert data["text_sv"] in response.content.decode()
    assert not FollowUpUpdate.objects.exists()


def test_own_follow_up_is_added_and_becomes_the_current_state(adopted, make_action, coordinator):
    action = make_action(adopted, "2026:01", lead="huddinge")
    response = _client(coordinator).post(_add_url(), _follow_up_data(action))
    assert response.status_code == 302
    update = FollowUpUpdate.objects.get()
    assert update.author == coordinator
    action.refresh_from_db()
    assert (action.status, action.progress) == ("ongoing", 30)


def test_author_corrects_own_follow_up_and_history_keeps_the_earlier_text(
    adopted, make_action, coordinator, make_staff
):
    action = make_action(adopted, "2026:01", lead="huddinge", partners=["botkyrka"])
    update = _recorded(
        action, coordinator, datetime.date(2026, 3, 1), "ongoing", 20, text="Felskriven text"
    )
    url = reverse("admin:actionplan_followupupdate_change", args=[update.pk])
    data = _follow_up_data(action, date="2026-03-01", progress="20", text_sv="Rättad text")
    data.pop("action")
    response = _client(coordinator).post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    update.refresh_from_db()
    assert update.text_sv == "Rättad text"
    assert [h.text_sv for h in update.history.order_by("history_id")] == [
        "Felskriven text",
        "Rättad text",
    ]
    # Someone else, even of a co-responsible party, does not rewrite it.
    other = make_staff("coordinator", "botkyrka")
    response = _client(other).post(url, {**data, "text_sv": "Skrivet av någon annan"})
    assert response.status_code == 403
    update.refresh_from_db()
    assert update.text_sv == "Rättad text"


def test_drafts_have_no_follow_up(make_plan, make_action, coordinator, adopted):
    draft_action = make_action(make_plan(year=2027), "2027:01", lead="huddinge")
    adopted_action = make_action(adopted, "2026:01", lead="huddinge")
    assert list(Action.objects.followable_by(coordinator)) == [adopted_action]
    from actionplan.services import add_follow_up

    with pytest.raises(PermissionDenied):
        add_follow_up(
            action=draft_action,
            by=coordinator,
            date=datetime.date(2026, 3, 1),
            status="ongoing",
            progress=10,
        )
