"""gunicorn ``benchmarks.wsgi``: the portal (``flemingsberg.wsgi``) with the bench's own
URLs in front (``/bench/fortunes/``); nothing of it is in the portal's URLs."""

from django.conf import settings

from flemingsberg.wsgi import application

settings.ROOT_URLCONF = "benchmarks.urls"  # read by the handler on every request

__all__ = ["application"]
