import pytest
from django.contrib import admin
from django.urls import reverse

from programme.models import DevelopmentGoal

pytestmark = pytest.mark.django_db

PROGRAMME_MODELS = [model for model in admin.site._registry if model._meta.app_label == "programme"]


@pytest.mark.parametrize("model", PROGRAMME_MODELS, ids=lambda m: m.__name__)
def test_editor_can_open_every_changelist_and_change_form(editor_client, programme_content, model):
    opts = model._meta
    changelist = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    if opts.model_name == "staffmembership":
        # Who is staff, and in which role, is for superusers only.
        assert editor_client.get(changelist).status_code == 403
        return
    assert editor_client.get(changelist).status_code == 200
    obj = model.objects.first()
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert editor_client.get(change).status_code == 200
    add = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
    assert editor_client.get(add).status_code == 200


def test_change_form_has_swedish_and_english_fields(editor_client, programme_content):
    goal = programme_content.goals.first()
    html = editor_client.get(
        reverse("admin:programme_developmentgoal_change", args=[goal.pk])
    ).content.decode()
    assert 'name="title_sv"' in html
    assert 'name="title_en"' in html


def test_editor_changes_a_goal_and_the_public_page_shows_it(
    editor_client, visitor, programme_content
):
    goal = programme_content.goals.first()
    url = reverse("admin:programme_developmentgoal_change", args=[goal.pk])
    response = editor_client.post(
        url,
        {
            "programme": goal.programme_id,
            "order": goal.order,
            "slug": goal.slug,
            "title_sv": "Ny svensk titel",
            "title_en": "New English title",
            "description_sv": goal.description_sv,
            "description_en": goal.description_en,
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    goal.refresh_from_db()
    assert goal.title_sv == "Ny svensk titel"
    assert "Ny svensk titel" in visitor.get(goal.get_absolute_url()).content.decode()


def test_steering_member_reads_but_cannot_change_programme_content(
    client, steering_member, programme_content
):
    client.force_login(steering_member)
    goal = programme_content.goals.first()
    url = reverse("admin:programme_developmentgoal_change", args=[goal.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"title_sv": "Ändrad", "slug": goal.slug, "order": 1})
    assert response.status_code == 403
    assert DevelopmentGoal.objects.get(pk=goal.pk).title_sv != "Ändrad"


def test_coordinator_cannot_change_programme_content(
    client, coordinator_huddinge, programme_content
):
    client.force_login(coordinator_huddinge)
    goal = programme_content.goals.first()
    url = reverse("admin:programme_developmentgoal_change", args=[goal.pk])
    assert client.post(url, {"title_sv": "Ändrad"}).status_code == 403
    add_url = reverse("admin:programme_developmentgoal_add")
    assert client.get(add_url).status_code == 403


def test_anonymous_visitor_is_sent_to_the_login(visitor):
    response = visitor.get(reverse("admin:programme_developmentgoal_changelist"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
