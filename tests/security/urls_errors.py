"""The real URLs plus two that fail, for the error page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from flemingsberg.urls import urlpatterns as real_urlpatterns


def boom(request):
    raise RuntimeError("secret detail: SECRET_KEY and /etc/passwd")


def forbidden(request):
    raise PermissionDenied("secret detail of the permission check")


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    *real_urlpatterns,
]
