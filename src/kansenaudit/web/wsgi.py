"""WSGI entry point for gunicorn (``gunicorn kansenaudit.web.wsgi``).

Outside demo mode the server refuses to start while migrations are pending, so that a new
release never runs against an old schema.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansenaudit.web.settings")

from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()

from kansenaudit.web.core.startup import refuse_pending_migrations  # noqa: E402

refuse_pending_migrations()

from kansenaudit.web.evidence import worker  # noqa: E402

# Uploads cut off by a stopped or crashed process are taken up as the workers start.
worker.start()
