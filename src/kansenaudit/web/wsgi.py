# SPDX-License-Identifier: EUPL-1.2
"""WSGI entry point for gunicorn (``gunicorn kansenaudit.web.wsgi``).

Outside demo mode the server refuses to start while migrations are pending, so that a new
release never runs against an old schema. It warns when production security defaults were
switched off, and removes spooled uploads that a crashed worker left behind. Background work
(uploads, council searches) runs in ``kansenaudit worker``, not here (ADR 0015).
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansenaudit.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from kansenaudit.web.core.startup import (  # noqa: E402
    refuse_pending_migrations,
    warn_insecure_settings,
)
from kansenaudit.web.core.uploads import clean_upload_temp_dir  # noqa: E402

refuse_pending_migrations()
warn_insecure_settings()
# Other workers may be parsing uploads right now: only what no request can still be using.
clean_upload_temp_dir(older_than_seconds=60 * 60)
