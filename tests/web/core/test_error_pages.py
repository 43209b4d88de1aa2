# SPDX-License-Identifier: EUPL-1.2
"""405 and 414 as pages in words, not a blank browser error (gunicorn's own 414 is checked in
tests/browser/test_usability_a_in_chromium.py against the real server)."""

from __future__ import annotations

import socket

from django.urls import reverse

from kansenaudit.web.core.error_pages import MAX_URL_CHARS
from kansenaudit.web.core.gunicorn_worker import TOO_LONG_PAGE, write_too_long


def test_a_get_to_a_form_address_gets_a_page_that_says_what_to_do(client, team):
    client.force_login(team["users"]["onderzoeker"])
    response = client.get(reverse("evidence:upload", args=[team["dossier"].pk]))
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    page = response.content.decode()
    assert '<h1 class="ka-heading ka-heading--1">' in page
    assert f'href="{reverse("dossiers:list")}"' in page  # a way on
    assert "Nothing was changed" in page or "Er is niets gewijzigd" in page


def test_an_address_that_is_too_long_gets_a_page(client, team):
    client.force_login(team["users"]["onderzoeker"])
    url = reverse("evidence:documents", args=[team["dossier"].pk])
    response = client.get(url, {"q": "kansen " * (MAX_URL_CHARS // 7)})
    assert response.status_code == 414
    assert "ka-heading" in response.content.decode()
    assert client.get(url, {"q": "kansen " * 10}).status_code == 200


def test_gunicorns_answer_to_a_too_long_request_line_is_a_page():
    left, right = socket.socketpair()
    with left, right:
        write_too_long(left)
        left.shutdown(socket.SHUT_WR)
        data = b""
        while chunk := right.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 414 ")
    assert f"Content-Length: {len(body)}".encode() in head
    assert body.decode() == TOO_LONG_PAGE
    assert "Het adres is te lang" in TOO_LONG_PAGE
