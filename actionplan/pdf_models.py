"""The frozen PDF of an adopted action plan (see ``actionplan/pdf.py``).

Kept apart from ``models.py`` (which imports it) so the PDF work does not touch the
action plan team's module beyond one import line; no import of ``models`` here, the
plan is referred to by name.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdoptedPlanDocument(models.Model):
    """The action-plan PDF of a plan as adopted, in one language, never changed afterwards.

    Stored since archival copies exist: PDF/A-3a (also PDF/UA-1) with the plan's actions
    and follow-ups embedded as CSV and JSON and the decision in its metadata – the
    archival copy, the one ``export_archive`` hands to the e-archive. Documents stored
    before are PDF/UA-1 and stay as they are: they are what was decided on.
    """

    class Variant(models.TextChoices):
        PDF_A_3A = "pdf/a-3a", _("PDF/A-3a archival copy (also PDF/UA-1), data attached")
        PDF_UA_1 = "pdf/ua-1", _("PDF/UA-1 (accessible; stored before archival copies)")

    plan = models.ForeignKey(
        "actionplan.ActionPlan",
        on_delete=models.PROTECT,
        related_name="adopted_documents",
        verbose_name=_("action plan"),
    )
    language = models.CharField(_("language"), max_length=8)
    pdf = models.BinaryField(_("PDF"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("size (bytes)"))
    variant = models.CharField(
        _("PDF variant"),
        max_length=16,
        choices=Variant.choices,
        default=Variant.PDF_UA_1,
        help_text=_("PDF/A-3a is the archival copy."),
    )
    stored_at = models.DateTimeField(_("stored at"), auto_now_add=True)
    stored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("stored by"),
    )

    class Meta:
        app_label = "actionplan"
        ordering = ["plan", "language"]
        verbose_name = _("adopted plan document")
        verbose_name_plural = _("adopted plan documents")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "language"], name="adoptedplandocument_one_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.language})"

    @property
    def is_archival_copy(self) -> bool:
        return self.variant == self.Variant.PDF_A_3A
