from django import forms
from django.utils.translation import gettext_lazy as _

from .engine import KINDS, MAX_QUERY_LENGTH


class SearchForm(forms.Form):
    """What a visitor asked for. Invalid filters are dropped, never an error page."""

    q = forms.CharField(label=_("Search for"), required=False, strip=True)
    kind = forms.ChoiceField(label=_("Show"), required=False)
    party = forms.ChoiceField(label=_("Responsible party (actions only)"), required=False)

    def __init__(self, *args, parties=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything"))] + [
            (kind.key, kind.label) for kind in KINDS.values()
        ]
        self.fields["party"].choices = [("", _("Any party"))] + [
            (party.slug, party.display_name) for party in parties
        ]
        self.fields["q"].widget.attrs.update(
            {"type": "search", "maxlength": MAX_QUERY_LENGTH, "autocomplete": "off"}
        )

    def value(self, name: str) -> str:
        """The cleaned value of a field, or empty when it was invalid."""
        if not self.is_bound:
            return ""
        self.is_valid()
        return self.cleaned_data.get(name) or ""
