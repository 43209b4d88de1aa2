# SPDX-License-Identifier: EUPL-1.2
"""gunicorn's threaded worker, answering an address that is too long (414) with a page in
words instead of gunicorn's bare "Request Line is too large (… > 4094)".

gunicorn refuses such a request before Django sees it, so the page cannot come from a
template: it is a small fixed page in Dutch and English. A module of its own because it
imports gunicorn, which `kansenaudit --help` should not.
"""

from __future__ import annotations

from typing import Any

from gunicorn import util
from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker

TOO_LONG_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Het adres is te lang – Kansenaudit</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem;
line-height: 1.5; color: #1b1b1b">
<main>
<h1>Het adres is te lang</h1>
<p>Het adres van deze pagina is langer dan de server aanneemt, meestal omdat een zoekvraag of
filter erg veel tekst bevat. Er is niets gewijzigd.</p>
<p>Ga terug en zoek met minder of kortere woorden, of met minder filters.</p>
<p><a href="/">Naar de startpagina</a></p>
<h2 lang="en">The address is too long</h2>
<p lang="en">The address of this page is longer than the server accepts, usually because a
search or filter holds very much text. Go back and search with fewer or shorter words.</p>
</main></body></html>
"""


def write_too_long(sock: Any) -> None:
    body = TOO_LONG_PAGE.encode("utf-8")
    head = (
        "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\n"
        "Content-Type: text/html; charset=utf-8\r\n"
        "X-Content-Type-Options: nosniff\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    util.write_nonblock(sock, head.encode("latin-1") + body)


class StyledErrorsWorker(ThreadWorker):
    def handle_error(self, req: Any, client: Any, addr: Any, exc: BaseException) -> None:
        if isinstance(exc, LimitRequestLine):
            addr = addr or ("", -1)
            self.log.warning("Invalid request from ip=%s: %s", addr[0], exc)
            try:
                write_too_long(client)
            except Exception:  # the client went away; as gunicorn itself does
                self.log.debug("Failed to send error message.")
            return
        super().handle_error(req, client, addr, exc)
