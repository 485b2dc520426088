"""A password validator that estimates how guessable a password is (zxcvbn).

Django's own validators refuse short, common, numeric and username-like passwords, but let
``huddinge1234`` and ``aaaaaaaaaaaa`` through: 12 characters, not in the common list. zxcvbn
(Dropbox's estimator, the one django-zxcvbn-password-validator wraps) scores a password by
the guesses an attacker needs, knowing dictionary words, names, dates, keyboard patterns and
repetition, and the words we give it: the portal's and the parties' names and the user's
own. A password must reach ``PASSWORD_MINIMUM_STRENGTH`` (3 of 4: "safely unguessable") —
a passphrase of a few unrelated words does.

The thin class here instead of the wrapper package: the words that make a password
guessable *here* (Flemingsberg, Huddinge, Botkyrka, the user's organisation), and our own
Swedish and English messages through the catalogue.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.translation import gettext as _

# Words anyone attacking this portal would try first.
CONTEXT_WORDS = (
    "flemingsberg",
    "huddinge",
    "botkyrka",
    "region",
    "stockholm",
    "landsting",
    "kommun",
    "handlingsplan",
    "admin",
    "administrator",
    "password",
    "lösenord",
    "portal",
    "2050",
)


def _user_words(user) -> list[str]:
    if user is None:
        return []
    words = [
        getattr(user, name, "") or "" for name in ("username", "first_name", "last_name", "email")
    ]
    try:
        organisation = user.membership.organisation
    except (ObjectDoesNotExist, AttributeError, ValueError):
        organisation = None
    if organisation is not None:
        words += [organisation.name, organisation.short_name, organisation.slug]
    return [word for word in words if word]


class GuessabilityValidator:
    def __init__(self, minimum_strength: int | None = None):
        self.minimum_strength = minimum_strength or getattr(
            settings, "PASSWORD_MINIMUM_STRENGTH", 3
        )

    def validate(self, password: str, user=None) -> None:
        from zxcvbn import zxcvbn

        # zxcvbn's run time grows with the length; nothing of 100+ characters is weak.
        result = zxcvbn(password[:100], user_inputs=[*CONTEXT_WORDS, *_user_words(user)])
        if result["score"] < self.minimum_strength:
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is built from a common word, a "
                    "name (such as the portal's, a party's or your own), a date, a keyboard "
                    "pattern or repeated characters. Use a passphrase of three or four "
                    "unrelated words instead."
                ),
                code="password_too_guessable",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password must not be easy to guess: no names of the portal, the parties "
            "or yourself, no dates, keyboard patterns or repeated characters. A passphrase "
            "of three or four unrelated words works well."
        )
