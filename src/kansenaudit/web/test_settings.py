# SPDX-License-Identifier: EUPL-1.2
"""Settings for the test suite: the real settings plus a test key and a fast password hasher.

The database still comes from ``DATABASE_URL`` so the same suite runs on SQLite and PostgreSQL.
"""

import atexit
import os
import shutil
import tempfile

# Long enough for the production check (50 characters, 5 different): the suite runs with the
# production settings.
os.environ.setdefault(
    "KANSENAUDIT_SECRET_KEY", "test-only-secret-key-not-for-production-0123456789-abcdefghij"
)
# A data folder of the test run's own (tests that store files point it elsewhere), so /health/
# finds a writable data folder and nothing lands in the checkout's ./var.
if "KANSENAUDIT_DATA_DIR" not in os.environ:
    _data_dir = tempfile.mkdtemp(prefix="kansenaudit-test-data-")
    os.environ["KANSENAUDIT_DATA_DIR"] = _data_dir
    atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)

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

# Background tasks run at once in the caller, so a test sees the outcome (ADR 0015); tests of the
# worker itself use the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
