from django.conf import settings
from rest_framework.throttling import AnonRateThrottle

from flemingsberg.security import client_ip


class AnonymousThrottle(AnonRateThrottle):
    """DRF's anonymous throttle, with the rate read from settings at each request.

    DRF reads ``DEFAULT_THROTTLE_RATES`` once, at import; reading ``API_ANON_THROTTLE_RATE``
    each time lets tests (and an operator's environment) change or switch it off (``None``).
    """

    scope = "anon"

    def get_rate(self):
        return settings.API_ANON_THROTTLE_RATE or None

    def get_ident(self, request):
        # The client's address as the login throttle sees it (TRUSTED_PROXY_COUNT), not
        # DRF's default, which keys on the whole X-Forwarded-For header a client can forge.
        return client_ip(request) or ""
