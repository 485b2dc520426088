"""Measurable 2030 sub-targets of the development goals."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programme.models import DevelopmentGoal, Publishable, PublishableQuerySet


class SubTargetQuerySet(PublishableQuerySet):
    def for_programme(self, programme):
        return self.filter(goal__programme=programme)


class SubTarget(Publishable):
    """A measurable sub-target for 2030 (mätbart delmål 2030) of a development goal."""

    goal = models.ForeignKey(
        DevelopmentGoal,
        on_delete=models.CASCADE,
        related_name="sub_targets",
        verbose_name=_("development goal"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    statement = models.TextField(
        _("statement"), help_text=_("The sub-target as the programme words it.")
    )

    objects = SubTargetQuerySet.as_manager()

    class Meta:
        ordering = ["goal__programme", "goal__order", "order"]
        verbose_name = _("2030 sub-target")
        verbose_name_plural = _("2030 sub-targets")

    def __str__(self) -> str:
        return self.statement

    def get_absolute_url(self) -> str:
        return reverse("indicators:sub_target", kwargs={"slug": self.slug})
