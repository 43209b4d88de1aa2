# SPDX-License-Identifier: EUPL-1.2
"""What the search tells a person: a query it could not read as typed says so and says what
was searched instead; opening a hit keeps the query and marks the words found on the page."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.urls import reverse

from kansenaudit.ingest.extract import extract
from kansenaudit.ingest.search_query import parse_query, query_problems, searched_for
from kansenaudit.web.evidence import services

TEXT = (
    "Het havo/vwo-advies van de leerkracht telt mee. Een vwo-advies is geen garantie; "
    "ook het Havo-advies telt. Gelijke kansen voor ieder kind."
)


@pytest.fixture
def page(team, tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    data = TEXT.encode()
    document, _ = services.document_store(
        dossier=team["dossier"],
        extracted=extract(data, "advies.txt", ocr=False),
        data=data,
        actor=None,
        overrides={},
    )
    return document


@pytest.mark.parametrize(
    ("query", "problems", "instead"),
    [
        ('"unclosed', ("unclosed_quote",), '"unclosed"'[1:-1]),
        ('"gelijke kansen', ("unclosed_quote",), '"gelijke kansen"'),
        ("NEAR(", ("unsupported",), "NEAR"),
        ("NEAR(kansen, kind)", ("unsupported",), "NEAR(kansen, kind"),
        ("a AND", ("dangling_operator",), "a"),
        ("OR kansen", ("dangling_operator",), "kansen"),
        ("kansen OR", ("dangling_operator",), "kansen"),
        ("ka*", ("short_prefix",), "ka"),
        ("de het een", ("nothing_left",), ""),
        ("kansen OR kind -vwo kans*", (), "kansen OR kind kans* -vwo"),
        ('"gelijke kansen" NOT havo', (), '"gelijke kansen" -havo'),
    ],
)
def test_problems_and_what_was_searched(query, problems, instead):
    assert query_problems(query) == problems
    assert searched_for(parse_query(query)) == instead


def _client(client, team):
    client.force_login(team["users"]["onderzoeker"])
    return client


def test_a_wrong_query_says_what_was_wrong_and_what_was_searched(client, team, page):
    url = reverse("evidence:documents", args=[team["dossier"].pk])
    response = _client(client, team).get(url, {"q": '"gelijke kansen'})
    html = unescape(response.content.decode())
    assert response.status_code == 200
    assert 'id="zoekvraag-melding"' in html
    assert '<code>"gelijke kansen"</code>' in html
    assert "1 pagina gevonden" in html or "1 page found" in html
    nothing = unescape(client.get(url, {"q": "NEAR("}).content.decode())
    assert 'id="zoekvraag-melding"' in nothing
    assert "<code>NEAR</code>" in nothing
    fine = client.get(url, {"q": "vwo"}).content.decode()
    assert 'id="zoekvraag-melding"' not in fine  # a query read as typed gets no note


def test_opening_a_hit_marks_the_query_on_the_page(client, team, page):
    url = reverse("evidence:documents", args=[team["dossier"].pk])
    html = unescape(_client(client, team).get(url, {"q": "vwo-advies"}).content.decode())
    (link,) = re.findall(r'href="([^"]*zoek=[^"]*)"', html)
    assert "zoek=vwo-advies" in link
    viewer = unescape(client.get(link).content.decode())
    marks = re.findall(
        r'<mark class="ka-search-hit" id="treffer-(\d+)"[^>]*>([^<]*)</mark>', viewer
    )
    # Every word with a lexeme of the query is marked, as in the snippets (Havo-advies too).
    assert marks == [("1", "havo/vwo-advies"), ("2", "vwo-advies"), ("3", "Havo-advies")]
    assert 'data-count="3"' in viewer
    assert "search_marks.js" in viewer
    assert "zoek=vwo-advies" in viewer.split('rel="next"')[0] or 'rel="next"' not in viewer
    # The page text itself is unchanged: the marks only wrap it.
    text = re.search(r'<div class="ka-page-text"[^>]*>(.*?)</div>', viewer, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", text) == TEXT
    plain = client.get(link.split("&zoek=")[0].split("?zoek=")[0] + "?pagina=1").content
    assert b"ka-search-hit" not in plain
    assert b"search_marks.js" not in plain
