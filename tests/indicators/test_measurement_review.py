"""Measurements: impossible values are refused; coordinators enter drafts, an editor reviews
and publishes them, and who did so and when is kept (issue 11, 7)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from indicators.models import Measurement, SubTarget
from tests.admin_forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def huddinge_target(sub_target, parties):
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    return sub_target


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("kind", "value", "possible"),
    [
        (SubTarget.Kind.ABSOLUTE, "-5", False),  # a negative count of homes
        (SubTarget.Kind.ABSOLUTE, "0", True),
        (SubTarget.Kind.MULTIPLE, "-1", False),
        (SubTarget.Kind.SHARE, "100.5", False),
        (SubTarget.Kind.SHARE, "-0.5", False),
        (SubTarget.Kind.SHARE, "100", True),
    ],
)
def test_values_outside_the_indicators_range_are_refused(sub_target, kind, value, possible):
    sub_target.kind = kind
    sub_target.target_value = None
    sub_target.save()
    measurement = Measurement(sub_target=sub_target, period_year=2020, value=Decimal(value))
    if possible:
        measurement.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            measurement.full_clean()
        assert "value" in error.value.message_dict


def test_the_admin_says_why_a_negative_count_is_refused(huddinge_target, coordinator_huddinge):
    client = _client(coordinator_huddinge)
    response = client.post(
        reverse("admin:indicators_measurement_add"),
        {"sub_target": huddinge_target.pk, "period_year": "2020", "value": "-5"},
    )
    assert response.status_code == 200
    assert "inte ett möjligt värde" in response.content.decode()
    assert not Measurement.objects.exists()


def test_coordinator_enters_a_draft_and_an_editor_reviews_and_publishes_it(
    huddinge_target, coordinator_huddinge, editor
):
    client = _client(coordinator_huddinge)
    response = client.post(
        reverse("admin:indicators_measurement_add"),
        {
            "sub_target": huddinge_target.pk,
            "period_year": "2020",
            "value": "120",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get()
    assert not measurement.is_published  # the coordinator's box is read-only
    assert (measurement.reviewed_by, measurement.reviewed_at) == (None, None)

    response = _client(editor).post(
        reverse("admin:indicators_measurement_changelist"),
        {"action": "publish", "_selected_action": [measurement.pk]},
    )
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert measurement.is_published
    assert measurement.reviewed_by == editor
    assert measurement.reviewed_at is not None
    history = measurement.history.order_by("-history_id").first()
    assert (history.reviewed_by_id, history.history_user) == (editor.pk, editor)


def test_publishing_in_the_change_form_records_the_review(huddinge_target, editor):
    measurement = Measurement.objects.create(
        sub_target=huddinge_target, period_year=2020, value=Decimal(120)
    )
    client = _client(editor)
    url = reverse("admin:indicators_measurement_change", args=[measurement.pk])
    response = client.post(url, form_data(client.get(url), is_published="on"))
    assert response.status_code == 302
    measurement.refresh_from_db()
    assert (measurement.is_published, measurement.reviewed_by) == (True, editor)


def test_unpublishing_makes_it_a_draft_awaiting_review_again(huddinge_target, editor):
    measurement = Measurement(sub_target=huddinge_target, period_year=2020, value=Decimal(1))
    measurement.is_published = True
    measurement._history_user = editor
    measurement.save()
    assert measurement.reviewed_by == editor
    measurement.is_published = False
    measurement.save(update_fields=["is_published"])
    measurement.refresh_from_db()
    assert (measurement.reviewed_by, measurement.reviewed_at) == (None, None)


def test_a_coordinator_cannot_change_a_reviewed_value_but_keeps_the_input(
    huddinge_target, coordinator_huddinge, editor
):
    measurement = Measurement(sub_target=huddinge_target, period_year=2020, value=Decimal(120))
    measurement.is_published = True
    measurement._history_user = editor
    measurement.save()
    client = _client(coordinator_huddinge)
    url = reverse("admin:indicators_subtarget_change", args=[huddinge_target.pk])
    page = client.get(url)
    data = form_data(
        page, **{"measurements-0-value": "999", "measurements-0-source_note": "SCB 2021"}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "är publicerat" in text
    assert 'value="SCB 2021"' in text
    measurement.refresh_from_db()
    assert measurement.value == 120
    delete_url = reverse("admin:indicators_measurement_delete", args=[measurement.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    assert Measurement.objects.filter(pk=measurement.pk).exists()
