"""Follow-up rounds in the admin (imported by ``admin.py``).

Editors open a round with the add form and close it (the change page's button, or the
list's action); every staff member reads rounds; the change page shows each party's
coverage and, to whoever ``programme.roles`` allows, the buttons to sign off, withdraw
and mark actions "no change since last round". Those buttons POST to the views below
(CSRF-protected, permission checked on the server, by the services in ``rounds.py``):

* ``admin:actionplan_followupround_signoff`` (round id; ``organisation`` for an editor,
  else the coordinator's own), ``…_withdraw`` the same;
* ``admin:actionplan_followupround_nochange`` (round id; one or more ``action`` ids);
* ``admin:actionplan_followupround_close`` (round id).

Each redirects to a safe ``next`` (a page of this site) or to the round's change page.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from flemingsberg.history import ReadableHistoryAdmin
from programme import roles
from programme.admin_rules import RulesAdminMixin, RulesInlineMixin
from programme.models import Organisation

from . import rounds
from .models import Action, ActionPlan, FollowUpRound, RoundSignOff


class RoundSignOffInline(RulesInlineMixin, admin.TabularInline):
    """The sign-offs, withdrawn ones too: a record, written only by the sign-off views."""

    model = RoundSignOff
    extra = 0
    can_delete = False
    fields = ["organisation", "signed_by", "signed_at", "withdrawn_by", "withdrawn_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.action(description=_("Close the selected follow-up rounds"), permissions=["close"])
def close_rounds(modeladmin, request, queryset):
    for round in queryset.open():
        _close(modeladmin, request, round)


@admin.action(
    description=_("Store the missing reports of the selected closed rounds"), permissions=["close"]
)
def store_missing_reports(modeladmin, request, queryset):
    """Queue the report again for closed rounds without both stored languages (a render
    that failed, a worker that was down); a stored report is never replaced."""
    from .round_report import LANGUAGES, render_round_report

    queued = 0
    for round in queryset.closed().prefetch_related("report_documents"):
        if {d.language for d in round.report_documents.all()} < set(LANGUAGES):
            render_round_report.enqueue(round.pk)
            queued += 1
    modeladmin.message_user(
        request,
        ngettext(
            "The report of %(count)d round is queued.",
            "The reports of %(count)d rounds are queued.",
            queued,
        )
        % {"count": queued},
        messages.SUCCESS,
    )


def _close(modeladmin, request, round) -> None:
    try:
        rounds.close_round(round=round, by=request.user)
    except ValidationError as error:
        modeladmin.message_user(request, " ".join(error.messages), messages.ERROR)
        return
    missing = [c.organisation.name for c in round.coverage_by_party() if not c.is_signed_off]
    message = gettext("The round “%(round)s” is closed and its snapshot taken.") % {"round": round}
    if missing:
        message += " " + gettext("Not signed off: %(parties)s.") % {"parties": ", ".join(missing)}
    modeladmin.message_user(request, message, messages.SUCCESS)


class FollowUpRoundForm(forms.ModelForm):
    class Meta:
        model = FollowUpRound
        fields = "__all__"  # noqa: DJ007 – the admin decides what is shown

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "plan" in self.fields:
            self.fields["plan"].queryset = ActionPlan.objects.filter(
                status=ActionPlan.Status.ADOPTED
            )


@admin.register(FollowUpRound)
class FollowUpRoundAdmin(RulesAdminMixin, ReadableHistoryAdmin, TranslationAdmin):
    form = FollowUpRoundForm
    list_display = ["title", "plan", "status", "reports_on", "deadline", "closed_at"]
    list_filter = ["status", "plan"]
    list_select_related = ["plan"]
    search_fields = ["title"]
    inlines = [RoundSignOffInline]
    actions = [close_rounds, store_missing_reports]
    change_form_template = "actionplan/admin/round_change_form.html"
    fields = [
        "plan",
        "title",
        "reports_on",
        "deadline",
        "message",
        "status",
        "opened_by",
        "opened_at",
        "closed_by",
        "closed_at",
    ]

    def has_close_permission(self, request):
        return roles.may_run_rounds(request.user)

    def has_change_permission(self, request, obj=None):
        # A closed round is a record: its snapshot and report stand as they were.
        if obj is not None and obj.is_closed:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_closed:
            return False
        return super().has_delete_permission(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = ["status", "opened_by", "opened_at", "closed_by", "closed_at"]
        if obj is not None:
            readonly.append("plan")
        return readonly

    def save_model(self, request, obj, form, change):
        if not change:
            obj.opened_by = request.user
        super().save_model(request, obj, form, change)

    def revert_refusal(self, request, obj):
        if obj.is_closed:
            return gettext("The round “%(round)s” is closed.") % {"round": obj}
        return None

    # --- the round's page: coverage and buttons ---------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        round = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if round is not None:
            user = request.user
            coverage = round.coverage_by_party()
            followable = set(
                Action.objects.followable_by(user)
                .filter(plan=round.plan_id)
                .values_list("pk", flat=True)
            )
            for party in coverage:
                party.may_sign_off = roles.may_sign_off(user, round, party.organisation)
                party.markable = [a for a in party.missing if a.pk in followable]
            extra_context.update(
                round=round,
                coverage=coverage,
                can_close=round.is_open and roles.may_run_rounds(user),
            )
        return super().change_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        def view(name, function):
            return path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(function),
                name=f"actionplan_followupround_{name}",
            )

        return [
            view("signoff", self.sign_off_view),
            view("withdraw", self.withdraw_view),
            view("nochange", self.no_change_view),
            view("close", self.close_view),
            *super().get_urls(),
        ]

    def _back(self, request, round) -> HttpResponseRedirect:
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("admin:actionplan_followupround_change", args=[round.pk])
        return HttpResponseRedirect(target)

    def _organisation(self, request) -> Organisation:
        """The party acted for: a coordinator's own; an editor names one."""
        chosen = request.POST.get("organisation")
        if chosen and roles.is_editor(request.user):
            return get_object_or_404(Organisation, pk=chosen)
        organisation_id = roles.organisation_id_of(request.user)
        if organisation_id is None:
            raise PermissionDenied
        return Organisation.objects.get(pk=organisation_id)

    def _post_only(self, request, object_id):
        if request.method != "POST":
            return None, HttpResponseNotAllowed(["POST"])
        round = get_object_or_404(FollowUpRound.objects.select_related("plan"), pk=object_id)
        if not self.has_view_permission(request, round):
            raise PermissionDenied
        return round, None

    def sign_off_view(self, request, object_id):
        round, refused = self._post_only(request, object_id)
        if refused:
            return refused
        organisation = self._organisation(request)
        try:
            rounds.sign_off(round=round, organisation=organisation, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("%(party)s has signed off “%(round)s”.")
                % {"party": organisation, "round": round},
                messages.SUCCESS,
            )
        return self._back(request, round)

    def withdraw_view(self, request, object_id):
        round, refused = self._post_only(request, object_id)
        if refused:
            return refused
        organisation = self._organisation(request)
        try:
            rounds.withdraw_sign_off(round=round, organisation=organisation, by=request.user)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(
                request,
                gettext("The sign-off of %(party)s is withdrawn.") % {"party": organisation},
                messages.SUCCESS,
            )
        return self._back(request, round)

    def no_change_view(self, request, object_id):
        round, refused = self._post_only(request, object_id)
        if refused:
            return refused
        if not round.is_open:
            self.message_user(
                request, gettext("The round “%(round)s” is closed.") % {"round": round}
            )
            return self._back(request, round)
        ids = [value for value in request.POST.getlist("action") if value.isdigit()]
        chosen = list(Action.objects.in_plan(round.plan_id).filter(pk__in=ids))
        if not chosen:
            self.message_user(request, gettext("Choose at least one action."), messages.ERROR)
            return self._back(request, round)
        # Every one is checked (roles) before any is written: all or nothing.
        refused_actions = [a for a in chosen if not roles.may_mark_no_change(request.user, a)]
        if refused_actions:
            raise PermissionDenied
        with transaction.atomic():
            for action in chosen:
                rounds.record_no_change(action=action, by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d action marked “no change since last round”.",
                "%(count)d actions marked “no change since last round”.",
                len(chosen),
            )
            % {"count": len(chosen)},
            messages.SUCCESS,
        )
        return self._back(request, round)

    def close_view(self, request, object_id):
        round, refused = self._post_only(request, object_id)
        if refused:
            return refused
        if not roles.may_run_rounds(request.user):
            raise PermissionDenied
        _close(self, request, round)
        return self._back(request, round)
