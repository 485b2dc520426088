"""Settings for the Flemingsberg 2050 portal: one module, configured by environment variables.

Local runs and tests need nothing set (DEBUG on, SQLite file, a throwaway key): ``make
run`` writes ``.env`` with ``DEBUG=1``, read below, so that every ``manage.py`` command
afterwards runs with the same settings.
Production (``DEBUG`` unset or false) fails closed: it refuses to start without
``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


class MissingSetting(ImproperlyConfigured):
    """A setting production needs is not set (manage.py says so without a traceback)."""


def env(name: str, default: str | None = None) -> str | None:
    """Read a variable, or the contents of the file named by ``NAME_FILE`` (Docker secrets)."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = env(name)
    return int(value) if value not in (None, "") else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in (env(name, default) or "").split(",") if item.strip()]


def read_env_file(path: Path) -> None:
    """Defaults from a ``.env`` file beside manage.py (``make run`` writes one with
    ``DEBUG=1``), so that every local command gets the settings ``make run`` uses. Lines
    are ``NAME=value``; ``#`` starts a comment. A variable set in the environment wins."""
    if not path.is_file():
        return
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = (part.strip() for part in line.split("=", 1))
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        os.environ.setdefault(name.removeprefix("export ").strip(), value)


read_env_file(BASE_DIR / ".env")

DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise MissingSetting(
            "SECRET_KEY must be set when DEBUG is off. For a local run, `make run` writes "
            ".env with DEBUG=1 (or set DEBUG=1 yourself)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
if not DEBUG and not ALLOWED_HOSTS:
    raise MissingSetting("ALLOWED_HOSTS must be set when DEBUG is off.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # Django's admin with a start page per role (flemingsberg/admin_site.py).
    "flemingsberg.admin_site.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "import_export",
    "simple_history",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "flemingsberg",
    "programme",
    "indicators",
    "actionplan",
    "search",
    # The open-data API (api/): REST framework, filters, OpenAPI schema and its self-hosted
    # docs (sidecar: no CDN), CORS; settings in the "Open-data API" block at the end.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Permissions-Policy and Cross-Origin-Resource-Policy on everything, static files too.
    "flemingsberg.security.SecurityHeadersMiddleware",
    # Before anything reads the path: a NUL byte is a 400, never a database error.
    "flemingsberg.security.RefuseNulBytesMiddleware",
    "flemingsberg.security.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    # Refuses a locked-out login before any password is checked (django-axes).
    "flemingsberg.security.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "flemingsberg.urls"
WSGI_APPLICATION = "flemingsberg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "flemingsberg.context_processors.site",
            ],
        },
    },
]

# SQLite file for a local run; PostgreSQL (psycopg 3) when DATABASE_URL says postgres://…
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
    }
    if env("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# The progress of running imports, written by the task worker and read by the import page, so
# shared by every process: Redis when REDIS_URL is set, else files on this machine.
CACHES["imports"] = (
    {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env("REDIS_URL"),
        "KEY_PREFIX": "imports",
    }
    if env("REDIS_URL")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": BASE_DIR / "var" / "import-progress",
    }
)

# Background tasks (django-tasks, the backport of Django 6's django.tasks): work that must not
# hold up a request – PDF rendering, e-mail – is queued in the database and run by
# `manage.py db_worker` (make run starts one; production runs it under its own process
# manager, see README). Tests run tasks at once with the immediate backend (tests/conftest.py).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

# PDFs are rendered by the worker (flemingsberg/renders.py): a failed render is tried again
# after RENDER_RETRY_SECONDS × the attempts so far, up to RENDER_MAX_ATTEMPTS, then the editors
# are told; `manage.py check_renders` queues again a job left running or queued longer than
# RENDER_STALE_SECONDS (its worker died) and documents that must exist (adopted plans').
RENDER_MAX_ATTEMPTS = env_int("RENDER_MAX_ATTEMPTS", 3)
RENDER_RETRY_SECONDS = env_int("RENDER_RETRY_SECONDS", 60)
RENDER_STALE_SECONDS = env_int("RENDER_STALE_SECONDS", 30 * 60)
# A plan document of more actions is laid out in parts of this many and merged, so that a
# render's memory stays bounded (actionplan/pdf.py, render_plan_pdf).
PDF_PART_ACTIONS = env_int("PDF_PART_ACTIONS", 500)

# E-mail (reminders, flemingsberg/mail.py): sent by the task worker through Django's SMTP
# backend. EMAIL_URL (smtp://user:password@host:587, smtp+tls:// for STARTTLS, smtps:// for
# TLS from the start) or the usual EMAIL_HOST, EMAIL_PORT, EMAIL_HOST_USER,
# EMAIL_HOST_PASSWORD (or _FILE), EMAIL_USE_TLS, EMAIL_USE_SSL. Neither set: the console
# backend (mail is printed), so a local run needs nothing; in production `send_reminders`
# then refuses to run rather than record reminders nobody received.


def _email_settings(url: str | None) -> dict:
    from urllib.parse import unquote, urlsplit

    if url:
        parts = urlsplit(url)
        schemes = {"smtp": (False, False), "smtp+tls": (True, False), "smtps": (False, True)}
        if parts.scheme not in schemes or not parts.hostname:
            raise ImproperlyConfigured(
                "EMAIL_URL must be smtp://, smtp+tls:// or smtps://[user:password@]host[:port]."
            )
        use_tls, use_ssl = schemes[parts.scheme]
        return {
            "EMAIL_HOST": parts.hostname,
            "EMAIL_PORT": parts.port or (465 if use_ssl else 587 if use_tls else 25),
            "EMAIL_HOST_USER": unquote(parts.username or ""),
            "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
            "EMAIL_USE_TLS": use_tls,
            "EMAIL_USE_SSL": use_ssl,
        }
    use_tls, use_ssl = env_bool("EMAIL_USE_TLS"), env_bool("EMAIL_USE_SSL")
    if use_tls and use_ssl:
        raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both.")
    return {
        "EMAIL_HOST": env("EMAIL_HOST", "") or "",
        "EMAIL_PORT": env_int("EMAIL_PORT", 465 if use_ssl else 587 if use_tls else 25),
        "EMAIL_HOST_USER": env("EMAIL_HOST_USER", "") or "",
        "EMAIL_HOST_PASSWORD": env("EMAIL_HOST_PASSWORD", "") or "",
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }


_email = _email_settings(env("EMAIL_URL"))
EMAIL_HOST = _email["EMAIL_HOST"]
EMAIL_PORT = _email["EMAIL_PORT"]
EMAIL_HOST_USER = _email["EMAIL_HOST_USER"]
EMAIL_HOST_PASSWORD = _email["EMAIL_HOST_PASSWORD"]
EMAIL_USE_TLS = _email["EMAIL_USE_TLS"]
EMAIL_USE_SSL = _email["EMAIL_USE_SSL"]
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
EMAIL_CONFIGURED = bool(EMAIL_HOST)
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_CONFIGURED
    else "django.core.mail.backends.console.EmailBackend"
)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Flemingsberg 2050 <noreply@localhost>")
if EMAIL_CONFIGURED and not DEBUG and DEFAULT_FROM_EMAIL.endswith("@localhost>"):
    raise MissingSetting("DEFAULT_FROM_EMAIL must be set when e-mail is sent (EMAIL_URL/HOST).")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The portal's address, for links in e-mail (no request to take it from): PORTAL_URL, else
# https:// and the first of ALLOWED_HOSTS (http://127.0.0.1:8000 for a local run).
PORTAL_URL = (
    env("PORTAL_URL")
    or (
        f"https://{ALLOWED_HOSTS[0].lstrip('.')}"
        if not DEBUG and ALLOWED_HOSTS
        else "http://127.0.0.1:8000"
    )
).rstrip("/")
# Reminders (`manage.py send_reminders`): this many days before a round's deadline, coordinators
# of parties that have not signed off are reminded (and once more when it has passed); values
# of sub-targets are announced this many days before they are due.
REMINDER_DAYS_BEFORE_DEADLINE = env_int("REMINDER_DAYS_BEFORE_DEADLINE", 7)
REMINDER_DAYS_BEFORE_VALUE_DUE = env_int("REMINDER_DAYS_BEFORE_VALUE_DUE", 14)
# A failed delivery is tried again by the worker this many times, minutes apart (1, 4, 16, …).
EMAIL_SEND_ATTEMPTS = env_int("EMAIL_SEND_ATTEMPTS", 5)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # huddinge1234 and aaaaaaaaaaaa pass the four above; an estimate of guesses does not.
    {"NAME": "flemingsberg.passwords.GuessabilityValidator"},
]
PASSWORD_MINIMUM_STRENGTH = env_int("PASSWORD_MINIMUM_STRENGTH", 3)

# Swedish is the programme's language and the default; English under /en/.
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "sv"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("sv",)
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env("STATIC_ROOT") or BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "media/"

LOGIN_URL = "admin:login"
# What the admin's start page shows each role (flemingsberg/admin_site.py).
ADMIN_START_PAGE = "actionplan.start.context"

# Static files: WhiteNoise serves the hashed names (CompressedManifestStaticFilesStorage) with
# "Cache-Control: max-age=315360000, public, immutable"; this is for the unhashed rest
# (e.g. a file not in the manifest): one day.
WHITENOISE_MAX_AGE = 60 * 60 * 24 if not DEBUG else 0

# Published public pages are cached per language for anonymous visitors
# (flemingsberg/cache.py); every save or delete of content invalidates them at once, so the
# lifetime only bounds how long a page can outlive a deploy that changed its template.
PUBLIC_PAGE_CACHE_SECONDS = env_int("PUBLIC_PAGE_CACHE_SECONDS", 0 if DEBUG else 60 * 10)
# Pages each process keeps in memory in front of the shared cache, and how often it reads the
# shared content version (a change reaches other processes within this time).
PUBLIC_PAGE_LOCAL_ENTRIES = env_int("PUBLIC_PAGE_LOCAL_ENTRIES", 500)
PUBLIC_PAGE_VERSION_SECONDS = float(env("PUBLIC_PAGE_VERSION_SECONDS") or 1.0)
# Parts shared by several public pages (the status band, the plan page's rows: ~1.4 KB each, so
# 5,000 is at most ~7 MB per process), memoised per content version in each process
# (flemingsberg.cache.memoised); 0 turns it off.
PUBLIC_MEMO_ENTRIES = env_int("PUBLIC_MEMO_ENTRIES", 5000)

# Spreadsheet imports (actions of a plan, measurements; flemingsberg/spreadsheets.py): what
# is refused before it is read, and above how many rows an import runs as a task.
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 20 * 1024 * 1024)
IMPORT_MAX_ROWS = env_int("IMPORT_MAX_ROWS", 50_000)
IMPORT_XLSX_MAX_UNPACKED_BYTES = env_int("IMPORT_XLSX_MAX_UNPACKED_BYTES", 200 * 1024 * 1024)
IMPORT_XLSX_MAX_MEMBERS = env_int("IMPORT_XLSX_MAX_MEMBERS", 500)
IMPORT_TASK_ROWS = env_int("IMPORT_TASK_ROWS", 500)
# An uploaded file waits this long for its confirmation; then it is deleted.
IMPORT_KEEP_SECONDS = env_int("IMPORT_KEEP_SECONDS", 24 * 60 * 60)
# django-import-export keeps uploads in its own storage, never in the shared temp folder: the
# "import_export" storage below, outside MEDIA_ROOT so that no web server ever serves it.
IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"
STORAGES["import_export"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {
        "location": Path(env("IMPORT_STORAGE_ROOT") or BASE_DIR / "var" / "imports"),
        "base_url": None,
        "file_permissions_mode": 0o600,
        "directory_permissions_mode": 0o700,
    },
}

# Where visitors report accessibility problems (the accessibility statement shows them): the
# programme office's e-mail address and its postal address (lines separated by "|"). Never
# invented here: unset, the statement says so and names the parties' own contact centres.
ACCESSIBILITY_CONTACT_EMAIL = env("ACCESSIBILITY_CONTACT_EMAIL", "")
ACCESSIBILITY_CONTACT_ADDRESS = [
    line.strip()
    for line in (env("ACCESSIBILITY_CONTACT_ADDRESS", "") or "").split("|")
    if line.strip()
]

# Security: strict by default in production, relaxed only where a local run needs plain HTTP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# No script of ours reads the CSRF token from the cookie; forms carry it in a hidden field.
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Content-Security-Policy (django-csp 4): nothing inline, nothing from other hosts.
# frame-ancestors 'none' is the modern form of X-Frame-Options: DENY (both are sent).
# The admin gets a few hash-pinned exceptions on top: see flemingsberg/security.py.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# How many reverse proxies stand in front of the portal (each appending to X-Forwarded-For).
# 0: the connection's address is the client's and the header is ignored (it can be forged).
# The login throttle and the API's rate limit read the client's address the same way
# (flemingsberg.security.client_ip).
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

# Login throttling on the admin (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for
# one username from one address, that pair (never the account everywhere) is refused for
# AXES_COOLOFF_MINUTES, longer for each further lockout within a day (security.login_cool_off).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30)
AXES_COOLOFF_TIME = "flemingsberg.security.login_cool_off"
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "flemingsberg.security.client_ip"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "pages/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    if SECURE_SSL_REDIRECT:  # off only for plain-HTTP runs on loopback (tests, benchmarks)
        CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# The programme's real content; `manage.py load_programme_content` loads these in order.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]
CONTENT_FIXTURES = env_list(
    "CONTENT_FIXTURES", "organisations,programme,indicators,actionplan_2007"
)


# ----------------------------------------------------------------------------------------------
# Open-data API (/api/v1/, app `api`): Django REST framework, drf-spectacular, CORS.
# Read-only and anonymous: no authentication, so no session, no CSRF, no drafts.
# ----------------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.AnonymousThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    # Measurements are numbers in JSON, not strings.
    "COERCE_DECIMAL_TO_STRING": False,
}
# Per client address; empty switches it off (tests do, through the settings fixture).
API_ANON_THROTTLE_RATE = env("API_ANON_THROTTLE_RATE", "600/hour") or None
# The licence the DCAT catalogue (/api/v1/catalog/) states: the portal's choice, CC0 1.0.
OPEN_DATA_LICENSE = env("OPEN_DATA_LICENSE", "http://creativecommons.org/publicdomain/zero/1.0/")
# The catalogue's contact point (DCAT-AP-SE requires its e-mail address: without one, the
# catalogue names no contact point).
OPEN_DATA_CONTACT_EMAIL = env("OPEN_DATA_CONTACT_EMAIL", "")


def _organisation_numbers(value: str) -> dict[str, str]:
    """``region-stockholm=NNNNNN-NNNN,huddinge=…``: the parties' organisation numbers."""
    import re

    numbers = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        slug, _, number = item.partition("=")
        if not re.fullmatch(r"\d{6}-\d{4}", number.strip()):
            raise ImproperlyConfigured(
                f"OPEN_DATA_ORGANISATION_NUMBERS: “{item}” is not slug=NNNNNN-NNNN."
            )
        numbers[slug.strip()] = number.strip()
    return numbers


# The parties' real organisation numbers (Bolagsverket's register) for the catalogue's
# agents; never invented here: a party without one is published without it.
OPEN_DATA_ORGANISATION_NUMBERS = _organisation_numbers(env("OPEN_DATA_ORGANISATION_NUMBERS", ""))
# The catalogue's publisher: empty for the programme itself (run jointly by the parties), or
# the slug of the one party that publishes on behalf of all.
OPEN_DATA_PUBLISHER = env("OPEN_DATA_PUBLISHER", "")
# Each party's ADMS publisher type (a region, two municipalities).
OPEN_DATA_PUBLISHER_TYPES = {
    "region-stockholm": "RegionalAuthority",
    "huddinge": "LocalAuthority",
    "botkyrka": "LocalAuthority",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Flemingsberg 2050 open-data API",
    "DESCRIPTION": (
        "Read-only open data of Flemingsberg 2050, the development programme of Region "
        "Stockholm, Huddinge kommun and Botkyrka kommun: development goals, strategies, 2030 "
        "sub-targets with their measurements, and the adopted action plans with their actions "
        "and follow-ups. Only published content. Texts in Swedish or English (`lang`). "
        "Lists are paginated (`page`, `page_size` up to 200). Anonymous clients are "
        "rate-limited per address. The datasets are described for harvesting (DCAT-AP-SE "
        "3.0.1) at /api/v1/catalog/ (also /datasets/dcat)."
    ),
    "VERSION": "1.0.0",
    "LICENSE": {"name": "CC0 1.0", "url": "https://creativecommons.org/publicdomain/zero/1.0/"},
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ProgrammeStatusEnum": "programme.models.Programme.Status",
        "ActionPlanStatusEnum": "actionplan.models.ActionPlan.Status",
        "ActionStatusEnum": "actionplan.models.ActionStatus",
        "QuarterEnum": "actionplan.models.Quarter",
    },
}
# CORS: any origin may read the API (GET, HEAD, OPTIONS), without credentials; other paths
# send no CORS headers. The middleware goes before CommonMiddleware, as django-cors-headers asks.
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["Content-Language", "Retry-After"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
    "corsheaders.middleware.CorsMiddleware",
)
