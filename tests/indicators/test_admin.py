"""Who may enter measurements in the admin: editors everywhere, a coordinator for the
sub-targets their organisation measures, nobody else (allowed and denied, from outside)."""

import pytest
from django.urls import reverse

from indicators.models import Measurement, SubTarget

pytestmark = pytest.mark.django_db


@pytest.fixture
def huddinge_target(sub_target, parties):
    sub_target.measuring_organisation = parties["huddinge"]
    sub_target.save()
    return sub_target


def _login(client, user):
    client.force_login(user)
    return client


def _change_url(sub_target) -> str:
    return reverse("admin:indicators_subtarget_change", args=[sub_target.pk])


def _form_data(client, url: str, **measurement) -> dict:
    """What the change form posts back unchanged, plus one new measurement row."""
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is True:
            data[name] = "on"
        elif value not in (None, False):
            data[name] = value
    # Every inline posts its management form; the first (measurements) gets one new row.
    for number, inline in enumerate(response.context["inline_admin_formsets"]):
        prefix = inline.formset.prefix
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "1" if number == 0 else "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    prefix = response.context["inline_admin_formsets"][0].formset.prefix
    data.update({f"{prefix}-0-{key}": value for key, value in measurement.items()})
    return data


def test_editor_enters_a_measurement_inline(client, editor, huddinge_target):
    _login(client, editor)
    url = _change_url(huddinge_target)
    data = _form_data(client, url, period_year="2019", value="1500", source_note="SCB")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    measurement = Measurement.objects.get()
    assert (measurement.period_year, measurement.entered_by) == (2019, editor)
    assert measurement.history.count() == 1


def test_coordinator_of_the_measuring_organisation_enters_a_measurement(
    client, coordinator_huddinge, huddinge_target
):
    _login(client, coordinator_huddinge)
    url = _change_url(huddinge_target)
    data = _form_data(client, url, period_year="2019", value="1500")
    data["target_value"] = "1"  # read-only for a coordinator: ignored
    response = client.post(url, data)
    assert response.status_code == 302
    assert Measurement.objects.get().entered_by == coordinator_huddinge
    assert SubTarget.objects.get(pk=huddinge_target.pk).target_value == 10000


def test_coordinator_of_another_organisation_is_denied(
    client, coordinator_botkyrka, huddinge_target
):
    _login(client, coordinator_botkyrka)
    url = _change_url(huddinge_target)
    response = client.get(url)
    assert response.status_code == 200  # may read it
    assert not response.context["has_change_permission"]
    response = client.post(url, {"measurements-TOTAL_FORMS": "1"})
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_steering_member_reads_but_may_not_change(client, steering_member, huddinge_target):
    _login(client, steering_member)
    url = _change_url(huddinge_target)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 403


def test_coordinator_may_not_change_another_organisations_measurement(
    client, coordinator_botkyrka, coordinator_huddinge, huddinge_target, measure
):
    measurement = measure(huddinge_target, 2019, 1500, published=False)  # a draft
    url = reverse("admin:indicators_measurement_change", args=[measurement.pk])
    data = {"sub_target": huddinge_target.pk, "period_year": "2019", "value": "1"}
    _login(client, coordinator_botkyrka)
    assert client.post(url, data).status_code == 403
    _login(client, coordinator_huddinge)
    assert client.post(url, data).status_code == 302
    assert Measurement.objects.get().value == 1


def test_modifiable_by_matrix(huddinge_target, editor, coordinator_huddinge, make_staff):
    botkyrka = make_staff("coordinator", "botkyrka")
    steering = make_staff("steering")
    assert list(SubTarget.objects.modifiable_by(editor)) == list(SubTarget.objects.all())
    assert list(SubTarget.objects.modifiable_by(coordinator_huddinge)) == [huddinge_target]
    assert not SubTarget.objects.modifiable_by(botkyrka).exists()
    assert not SubTarget.objects.modifiable_by(steering).exists()
    assert not SubTarget.objects.modifiable_by(None).exists()


def test_changelist_status_column_in_few_queries(
    client, editor, sub_target, measure, django_assert_max_num_queries
):
    measure(sub_target, 2018, 1000)
    _login(client, editor)
    url = reverse("admin:indicators_subtarget_changelist")
    client.get(url)
    # 12 with 2 or 6 rows: session, user, permissions, counts, rows, their published
    # measurements (one prefetch) and the filters' choices; it does not grow with the rows.
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
