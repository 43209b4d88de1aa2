# SPDX-License-Identifier: EUPL-1.2
"""gunicorn's logger for `kansenaudit serve`, without the secret of uitvraag links.

gunicorn writes the request line and the ``Referer`` of every request to its access log; for the
public page of an uitvraag link both hold the token. A module of its own because it imports
gunicorn, which `kansenaudit --help` should not.
"""

from __future__ import annotations

from gunicorn.glogging import Logger

from kansenaudit.web.core.logfilters import add_redaction


class RedactingLogger(Logger):
    """gunicorn's logger with :class:`~kansenaudit.web.core.logfilters.RedactTokensFilter`."""

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            add_redaction(log)
