"""Import of measurements from CSV or XLSX (django-import-export).

The columns are those of the open-data download (``sub_target``, ``period_year``,
``period_date``, ``value``, ``source_note``; ``goal``, ``indicator`` and ``unit`` are read
past), so a downloaded file can be edited and imported again. Every row is a new value, as
a draft. A bad row gets one error that says what is wrong (unknown sub-target, a value that
is not a number, a year outside 2017–2050, a second value for a period, a sub-target the
user may not change), and when any row is bad nothing is stored.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from flemingsberg.imports import ImportResourceMixin

from .models import FIRST_YEAR, LAST_YEAR, Measurement, SubTarget

OPTIONAL_COLUMNS = ("period_date", "source_note")


class SubTargetWidget(widgets.ForeignKeyWidget):
    def __init__(self):
        super().__init__(SubTarget, field="slug")

    def clean(self, value, row=None, **kwargs):
        slug = str(value or "").strip()
        if not slug:
            raise ValueError(_("The sub-target is missing."))
        try:
            return SubTarget.objects.get(slug=slug)
        except SubTarget.DoesNotExist:
            raise ValueError(_("Unknown sub-target “%(slug)s”.") % {"slug": slug}) from None


class YearWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        try:
            number = Decimal(str(value).strip())
        except (InvalidOperation, TypeError):
            raise ValueError(_("“%(value)s” is not a year.") % {"value": value}) from None
        if number != number.to_integral_value():
            raise ValueError(_("“%(value)s” is not a year.") % {"value": value})
        year = int(number)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(
                _("The year %(year)s lies outside the programme, %(first)s–%(last)s.")
                % {"year": year, "first": FIRST_YEAR, "last": LAST_YEAR}
            )
        return year


class ValueWidget(widgets.DecimalWidget):
    """A number; a dot or a comma as the decimal sign, spaces as thousands separators."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, int | float | Decimal):
            return Decimal(str(value))
        text = str(value or "").strip().replace("\xa0", "").replace(" ", "").replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise ValueError(_("“%(value)s” is not a number.") % {"value": value})
        return number


class MeasurementResource(ImportResourceMixin, resources.ModelResource):
    """Rows of measurements; give it the importing user (who may enter values for which
    sub-targets is ``SubTarget.objects.modifiable_by``)."""

    sub_target = fields.Field(
        attribute="sub_target", column_name="sub_target", widget=SubTargetWidget()
    )
    period_year = fields.Field(
        attribute="period_year", column_name="period_year", widget=YearWidget()
    )
    period_date = fields.Field(
        attribute="period_date", column_name="period_date", widget=widgets.DateWidget("%Y-%m-%d")
    )
    value = fields.Field(attribute="value", column_name="value", widget=ValueWidget())
    source_note = fields.Field(attribute="source_note", column_name="source_note")

    class Meta:
        model = Measurement
        fields = ("sub_target", "period_year", "period_date", "value", "source_note")
        force_init_instance = True  # every row is a new value; corrections are made in the admin
        clean_model_instances = True  # model validation: constraints, date in its year, shares
        use_transactions = True

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self._user = user

    def before_import(self, dataset, **kwargs):
        self._seen_periods: set[tuple[int, int]] = set()
        self._modifiable = set(
            SubTarget.objects.modifiable_by(self._user).values_list("pk", flat=True)
        )
        for column in OPTIONAL_COLUMNS:
            if column not in (dataset.headers or []) and dataset.height:
                dataset.append_col([""] * dataset.height, header=column)

    def import_instance(self, instance, row, **kwargs):
        errors: dict = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if instance.sub_target_id and "sub_target" not in errors:
            if instance.sub_target_id not in self._modifiable:
                errors["sub_target"] = [
                    ValidationError(
                        _("You may not enter values for “%(slug)s”.")
                        % {"slug": instance.sub_target.slug}
                    )
                ]
            elif instance.period_year and "period_year" not in errors:
                period = (instance.sub_target_id, instance.period_year)
                if period in self._seen_periods:
                    # Filed under the year, so the database's own uniqueness check, which
                    # sees the earlier row of this file, does not report it a second time.
                    errors["period_year"] = [
                        ValidationError(
                            _(
                                "Duplicate period: the file has another value "
                                "for “%(slug)s” in %(year)s."
                            )
                            % {"slug": instance.sub_target.slug, "year": instance.period_year}
                        )
                    ]
                self._seen_periods.add(period)
        if errors:
            raise ValidationError(errors)
        instance.is_published = False
        instance.entered_by = self._user if getattr(self._user, "pk", None) else None
