"""Post an admin change form as a browser would: what the page shows, with changes."""

from __future__ import annotations


def _field_values(form) -> dict:
    data = {}
    for bound in form:
        value = bound.value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        elif value is False:
            continue  # an unticked checkbox is not sent
        elif value is True:
            data[bound.html_name] = "on"
        else:
            data[bound.html_name] = str(value)
    return data


def form_data(response, **changes) -> dict:
    """The data a browser would post back from an admin change page, with ``changes``."""
    context = response.context
    data = _field_values(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        formset = inline.formset
        data.update(_field_values(formset.management_form))
        for form in formset.initial_forms:
            data.update(_field_values(form))
        data[f"{formset.prefix}-TOTAL_FORMS"] = str(len(formset.initial_forms))
    data.update(changes)
    return data
