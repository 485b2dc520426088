"""Project-level pages that belong to no app: the accessibility statement.

The 403, 404 and 500 pages are Django's default handlers with our templates/403.html,
404.html and 500.html (500.html renders with an empty context, so needs no database)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language

from .cache import cache_public_page

# When the statement was first published, when it was last changed and when the site was
# last assessed; update the last two with the text.
STATEMENT_PUBLISHED = datetime.date(2026, 11, 23)
STATEMENT_DATE = datetime.date(2026, 12, 1)
LAST_ASSESSED = datetime.date(2026, 12, 1)
# What the statement promises a visitor who reports a problem.
RESPONSE_WORKING_DAYS = 5

# DIGG (Myndigheten för digital förvaltning) supervises the law; its form for reporting an
# inaccessible public website.
DIGG_REPORT_URL = (
    "https://www.digg.se/analys-och-uppfoljning/lagen-om-tillganglighet-till-digital-offentlig-"
    "service-dos-lagen/anmal-bristande-tillganglighet"
)


@cache_public_page
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    """The tillgänglighetsredogörelse that the DOS law requires, one template per language."""
    language = "en" if get_language() == "en" else "sv"
    return render(
        request,
        f"pages/accessibility_{language}.html",
        {
            "statement_published": STATEMENT_PUBLISHED,
            "statement_date": STATEMENT_DATE,
            "last_assessed": LAST_ASSESSED,
            "response_days": RESPONSE_WORKING_DAYS,
            "digg_report_url": DIGG_REPORT_URL,
            "contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL,
            "contact_address": settings.ACCESSIBILITY_CONTACT_ADDRESS,
        },
    )
