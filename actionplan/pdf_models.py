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
    """The action-plan PDF of a plan as adopted, in one language, never changed afterwards."""

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
