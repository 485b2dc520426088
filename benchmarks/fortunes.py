"""The bench's yardstick: a Fortunes-style view (TechEmpower's "Fortunes" test) served by the
same gunicorn and the same Django stack (middleware, template engine, database) as the portal,
but not among the portal's URLs.

One query (the organisations, id and name), one row added at request time, sorted, rendered
through an auto-escaping Django template. ``benchmarks.wsgi`` serves it at ``/bench/fortunes/``
beside every portal URL.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.template import engines
from django.urls import path

TEMPLATE = (
    "<!DOCTYPE html><html><head><title>Fortunes</title></head><body><table>"
    "<tr><th>id</th><th>message</th></tr>"
    "{% for id, message in fortunes %}<tr><td>{{ id }}</td><td>{{ message }}</td></tr>"
    "{% endfor %}</table></body></html>"
)
_template = None


def fortunes(request):
    global _template
    from programme.models import Organisation

    if _template is None:
        _template = engines["django"].from_string(TEMPLATE)
    rows = list(Organisation.objects.values_list("pk", "name"))
    rows.append((0, "Additional fortune added at request time."))
    rows.sort(key=lambda row: row[1])
    return HttpResponse(_template.render({"fortunes": rows}))


def urlpatterns():
    from flemingsberg import urls as portal

    return [path("bench/fortunes/", fortunes, name="bench-fortunes"), *portal.urlpatterns]
