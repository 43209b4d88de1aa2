# SPDX-License-Identifier: EUPL-1.2
"""Keeping secrets out of the logs: the token of an uitvraag link is a password.

The public page of a directie's personal link lives at ``/uitvraag/<token>/`` (see
``web/uitvraag/urls.py``). Whoever reads a log line with that path can upload in the directie's
name, so every log line is rewritten before it is written: Django's own loggers (CSRF warnings,
errors with their request path), the application's, and gunicorn's access log (the request line
and the ``Referer`` of every file the public page loads).

No Django import: gunicorn's logger class (``kansenaudit.cli.server``) uses this module before
Django is set up.
"""

from __future__ import annotations

import logging
import re

REDACTED = "[verborgen]"

# The segment after /uitvraag/, except in the staff pages (/dossiers/<id>/uitvraag/…), which
# hold no secret. The segment ends at a slash, a query string, a fragment, white space or a
# quote (log formats quote the request line).
_TOKEN_IN_PATH = re.compile(r"(/dossiers/\d+)?(/uitvraag/)([^/?#\s\"']+)")


def _replace(match: re.Match[str]) -> str:
    return match.group(0) if match.group(1) else match.group(2) + REDACTED


def redact(text: str) -> str:
    """``text`` with the token of every uitvraag link replaced.

    >>> redact('"GET /uitvraag/Abc-123_x/sjabloon.xlsx HTTP/1.1" 200')
    '"GET /uitvraag/[verborgen]/sjabloon.xlsx HTTP/1.1" 200'
    >>> redact("Forbidden (CSRF cookie not set.): /dossiers/4/uitvraag/nieuw/")
    'Forbidden (CSRF cookie not set.): /dossiers/4/uitvraag/nieuw/'
    """
    return _TOKEN_IN_PATH.sub(_replace, text)


class RedactTokensFilter(logging.Filter):
    """Rewrites a record's message (and its traceback text) without uitvraag tokens.

    The message is formatted once here and the arguments dropped, so the handler writes the
    redacted text. Never drops a record.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        cleaned = redact(message)
        if cleaned != message or record.args:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            # Exception messages can quote the path too (e.g. a resolver error).
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def add_redaction(logger: logging.Logger) -> None:
    """Attach the filter to ``logger`` once (records logged to it directly)."""
    if not any(isinstance(f, RedactTokensFilter) for f in logger.filters):
        logger.addFilter(RedactTokensFilter())
