"""The bench server's URLs: the Fortunes yardstick, then every portal URL (benchmarks.wsgi)."""

from benchmarks.fortunes import urlpatterns as _urlpatterns

urlpatterns = _urlpatterns()
