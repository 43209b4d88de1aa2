# SPDX-License-Identifier: EUPL-1.2
"""Django settings, read from the environment (see docs/configuration.md).

Secure by default: no debug, strict cookies and headers, a content security policy that only
allows this origin, and a refusal to start without a secret key outside demo mode. Importing this
module has one side effect: ``import sqlite3`` gives the bundled, current SQLite where it is
installed (:mod:`kansenaudit.web.sqlite_library`).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kansenaudit import config
from kansenaudit.web.sqlite_library import use_current_sqlite

# First, before any database is opened (see the module): a current SQLite where it is installed.
SQLITE_VERSION = use_current_sqlite()

WEB_DIR = Path(__file__).resolve().parent
DATA_DIR = config.data_dir()
DEMO_MODE = config.demo_mode()
DEBUG = config.env_bool("KANSENAUDIT_DEBUG")
# Production is everything that is neither the demo nor a developer's debug run: there the
# secure defaults below apply and weak choices are refused or warned about.
PRODUCTION = not (DEMO_MODE or DEBUG)
# Django's own yardstick (security.W009): at least 50 characters, at least 5 different ones.
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_UNIQUE_CHARACTERS = 5


def _check_secret_key(key: str) -> str:
    weak = (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith("django-insecure-")
    )
    if PRODUCTION and weak:
        raise ImproperlyConfigured(
            f"KANSENAUDIT_SECRET_KEY is too weak: it needs at least {SECRET_KEY_MIN_LENGTH} "
            f"characters with at least {SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones. "
            "Generate one with python3 -c 'import secrets; print(secrets.token_urlsafe(50))'."
        )
    return key


def _secret_key() -> str:
    key = config.env_str("KANSENAUDIT_SECRET_KEY")
    if key:
        return _check_secret_key(key)
    if DEMO_MODE:
        path = config.demo_secret_key_path()
        if path.exists():
            return path.read_text(encoding="utf-8").strip()
        raise ImproperlyConfigured(
            f"Demo mode needs its key file {path}; start through `kansenaudit`, which creates it."
        )
    raise ImproperlyConfigured(
        "KANSENAUDIT_SECRET_KEY is not set. Set it to a long random value "
        "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
        "or run the demo with KANSENAUDIT_DEMO=1."
    )


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = config.env_list("KANSENAUDIT_ALLOWED_HOSTS") or ["127.0.0.1", "localhost"]
CSRF_TRUSTED_ORIGINS = config.env_list("KANSENAUDIT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "kansenaudit.web.core",
    "kansenaudit.web.accounts",
    "kansenaudit.web.dossiers",
    "kansenaudit.web.areas",
    "kansenaudit.web.indicators",
    "kansenaudit.web.evidence",
    "kansenaudit.web.policy",
    "kansenaudit.web.uitvraag",
    "kansenaudit.web.judgements",
    "kansenaudit.web.council",
    "kansenaudit.web.fieldwork",
    "kansenaudit.web.coding",
    "kansenaudit.web.network",
    "kansenaudit.web.findings",
    "kansenaudit.web.reports",
    "kansenaudit.web.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before anything reads the body (the CSRF check reads form posts): refuses a body larger
    # than the client may send, so an anonymous client cannot make the server spool it to disk.
    "kansenaudit.web.core.middleware.RequestBodyLimitMiddleware",
    "kansenaudit.web.core.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A password set by someone else: nothing but the password page until the user changes it.
    "kansenaudit.web.accounts.middleware.PasswordChangeRequiredMiddleware",
    # Downloads and denied dossier access into the audit log.
    "kansenaudit.web.core.security_log.SecurityLogMiddleware",
    "kansenaudit.web.core.middleware.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "kansenaudit.web.core.error_pages.StyledErrorsMiddleware",  # 405 and 414 as pages
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "kansenaudit.web.core.middleware.PermissionsPolicyMiddleware",
    # Axes must come last: it turns lockouts raised during authentication into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kansenaudit.web.urls"
WSGI_APPLICATION = "kansenaudit.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The admin's base_site.html override (branding, stylesheet) comes before the admin's.
        "DIRS": [WEB_DIR / "core" / "admin_templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kansenaudit.web.core.context_processors.product",
            ],
        },
    },
]


def _database() -> dict:
    url = config.database_url()
    try:
        db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except ValueError as exc:
        raise ImproperlyConfigured(
            f"DATABASE_URL is not a database URL I understand: {exc}"
        ) from exc
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions avoid "database is locked" under concurrent writers;
        # WAL lets readers go on while one user writes. Searches read in DEFERRED
        # transactions instead, which take no write lock (core/db.py).
        # Recursive triggers make a REPLACE that removes a conflicting row fire its DELETE
        # triggers, which the append-only tables need (core/append_only.py); SQLite's default is
        # off, per connection. The timeout (seconds) is how long a writer waits for the write
        # lock: a long import holds it, and the audit event of a download must wait for it
        # rather than fail after Python's default of 5 s.
        db["CONN_MAX_AGE"] = 0
        db["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
            "init_command": (
                "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA recursive_triggers=ON;"
            ),
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache holds counters that must be shared by every web process (the failed look-ups of
# the uitvraag's personal links): a per-process memory cache would multiply the limit by the
# number of gunicorn workers. The database is the one store every process already shares; the
# table is created by migration core/0003.
CACHE_TABLE = "kansenaudit_cache"
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": CACHE_TABLE,
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dossiers:list"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username + address pair after repeated failures, and
# an address after repeated failures over any usernames (password spraying); see
# kansenaudit.web.core.login_throttle for how the two limits are combined.
AXES_FAILURE_LIMIT = config.env_int("KANSENAUDIT_LOGIN_FAILURE_LIMIT", 5)
LOGIN_ADDRESS_FAILURE_LIMIT = config.env_int("KANSENAUDIT_LOGIN_ADDRESS_FAILURE_LIMIT", 20)
AXES_COOLOFF_TIME = timedelta(minutes=config.env_int("KANSENAUDIT_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "kansenaudit.web.core.login_throttle.AccountAndAddressHandler"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
BEHIND_PROXY = config.env_bool("KANSENAUDIT_BEHIND_PROXY")
# One definition of "the client's address" for every per-address limit (see the module).
AXES_CLIENT_IP_CALLABLE = "kansenaudit.web.core.client_address.client_address"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [WEB_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
# One date style in templates and in reporting.formatting (see kansenaudit/web/formats/).
FORMAT_MODULE_PATH = ["kansenaudit.web.formats"]

STATIC_URL = "/static/"
# Demo and development serve static files straight from the apps (no collectstatic step);
# production serves the hashed, compressed files that `kansenaudit manage collectstatic` made.
SERVE_STATIC_FROM_APPS = DEMO_MODE or DEBUG
STATIC_ROOT = None if SERVE_STATIC_FROM_APPS else DATA_DIR / "static"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if SERVE_STATIC_FROM_APPS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = SERVE_STATIC_FROM_APPS
# The report's own stylesheet lives with the Django-free renderer (kansenaudit.reports), which
# ships it in the publication site and the PDF; the preview loads it as a static file.
STATICFILES_DIRS = [("rapport", Path(__file__).resolve().parent.parent / "reports" / "static")]
WHITENOISE_AUTOREFRESH = DEBUG

# Request bodies other than files are capped; uploaded files beyond 2 MB go to disk, not
# memory. Per-feature upload size limits are enforced by the services that accept files.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
# Whole request bodies (core.middleware.RequestBodyLimitMiddleware answers 413 beyond them):
# a signed-in user may send the largest upload (one evidence file of 100 MB, which the upload
# page sends one at a time) plus the form around it; an anonymous client only a login form,
# except on the public page of an uitvraag link, which takes one workbook (10 MB).
MAX_REQUEST_BODY_BYTES = 101 * 1024 * 1024
ANONYMOUS_MAX_REQUEST_BODY_BYTES = 64 * 1024
TOKEN_MAX_REQUEST_BODY_BYTES = 11 * 1024 * 1024
# Uploads that do not fit in memory are spooled here (0700), not in the shared /tmp; the server
# empties the folder of leftovers of a crash when it starts (core.uploads).
FILE_UPLOAD_TEMP_DIR = str(DATA_DIR / "tmp" / "uploads")
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
FILE_UPLOAD_HANDLERS = [
    "kansenaudit.web.core.uploads.BodyLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "kansenaudit.web.core.uploads.PrivateTemporaryFileUploadHandler",
]

# Sessions, cookies and headers.
SESSION_COOKIE_AGE = 8 * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "kansenaudit.web.core.views.csrf_failure"
# In production cookies are Secure and HSTS is sent (on HTTPS responses) unless switched off
# explicitly with KANSENAUDIT_SECURE_COOKIES=0, which the server warns about at every start
# (core.startup.warn_insecure_settings). The demo and debug runs serve plain HTTP locally.
SECURE_COOKIES = config.env_bool("KANSENAUDIT_SECURE_COOKIES", default=PRODUCTION)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_SSL_REDIRECT = config.env_bool("KANSENAUDIT_SSL_REDIRECT")
SECURE_HSTS_SECONDS = 31536000 if (SECURE_COOKIES or SECURE_SSL_REDIRECT) else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = bool(SECURE_HSTS_SECONDS)
# HSTS preloading is a promise for the whole registered domain that only its owner can make
# (and hard to take back); the header is sent without it, so Django's hint is silenced.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy: only this origin; no inline script; no third-party resources.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

LOG_LEVEL = config.env_str("KANSENAUDIT_LOG_LEVEL") or "INFO"
# One console handler for everything. Its filter takes the secret of an uitvraag link out of
# every line (request paths in CSRF warnings, errors, referrers). Every error response (500) is
# logged by django.request with its traceback; without a handler here it would vanish.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_tokens": {"()": "kansenaudit.web.core.logfilters.RedactTokensFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_tokens"],
        }
    },
    "loggers": {
        "kansenaudit": {"handlers": ["console"], "level": LOG_LEVEL},
        "django.request": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "ERROR", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["console"], "level": "WARNING"},
        # The worker's lines (task started, finished, failed): `kansenaudit worker`.
        "django_tasks": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
        "django_tasks_db": {"handlers": ["console"], "level": LOG_LEVEL, "propagate": False},
    },
}
# Background work (uploads, council searches; ADR 0015): tasks stored in the database and run by
# `kansenaudit worker`. The tests run each task at once in the caller (test_settings.py).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
