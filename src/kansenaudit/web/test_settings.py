"""Settings for the test suite: the real settings plus a test key and a fast password hasher.

The database still comes from ``DATABASE_URL`` so the same suite runs on SQLite and PostgreSQL.
"""

import os

os.environ.setdefault("KANSENAUDIT_SECRET_KEY", "test-only-secret-key-not-for-production")

from kansenaudit.web.settings import *  # noqa: F403

# Argon2 is deliberately slow; tests that create many users use a fast hasher instead.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Tests render pages without a collectstatic step.
STATIC_ROOT = None
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
