"""Editing a tie (logged with what changed, refused with nothing stored), the PNG of a map
(a logged download), and GEXF and GraphML imports through the page: all or nothing, hostile
XML refused, every problem named by its element."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.network import exports
from kansenaudit.web.network.models import Tie
from tests.web.network.builders import organisation_map, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(team, client):
    dossier = team["dossier"]
    reg = register(dossier)
    item, quote = organisation_map(dossier, reg)
    client.force_login(team["users"]["onderzoeker"])
    return {**team, **reg, "map": item, "quote": quote, "client": client}


def _url(site, name, *extra):
    return reverse(f"network:{name}", args=[site["dossier"].pk, site["map"].pk, *extra])


def _messages(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _edit_data(tie, **changes):
    data = {
        "van": tie.source_id,
        "naar": tie.target_id,
        "soort": tie.kind,
        "begin": tie.start.isoformat() if tie.start else "",
        "einde": tie.end.isoformat() if tie.end else "",
        "sterkte": tie.strength or "",
        "bedrag": "",
        "jaar": tie.year or "",
        "begrotingsregel": tie.budget_id or "",
        "notitie": tie.note,
    }
    data.update(changes)
    return data


def test_a_tie_is_edited_and_the_change_is_logged(site):
    tie = site["map"].ties.get(kind="money")
    page = site["client"].get(_url(site, "tie_edit", tie.pk))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="bedrag"' in body
    assert 'name="citaat"' not in body  # evidence has its own form
    assert _url(site, "tie_edit", tie.pk) in site["client"].get(_url(site, "map")).content.decode()
    response = site["client"].post(
        _url(site, "tie_edit", tie.pk),
        _edit_data(tie, bedrag="2.500", begin="2025-01-01", einde="2025-12-31", sterkte=3),
    )
    assert response.status_code == 302
    tie.refresh_from_db()
    assert (tie.amount, tie.start, tie.end, tie.strength) == (
        Decimal("2500.00"),
        dt.date(2025, 1, 1),
        dt.date(2025, 12, 31),
        3,
    )
    assert tie.evidence.count() == 1  # untouched
    event = AuditEvent.objects.filter(action="network.tie_update").get()
    assert event.before == {"amount": "1000.00", "end": None, "start": None, "strength": None}
    assert event.after == {
        "amount": "2500.00",
        "end": "2025-12-31",
        "start": "2025-01-01",
        "strength": 3,
    }
    assert event.actor == site["users"]["onderzoeker"]
    assert event.dossier == site["dossier"]


def test_a_refused_edit_stores_nothing_and_says_why(site):
    tie = site["map"].ties.get(kind="mandate")
    before = Tie.objects.values().get(pk=tie.pk)
    for changes, words in (
        ({"naar": tie.source_id}, ("different actors", "verschillende actoren")),
        ({"begin": "2026-01-01", "einde": "2025-01-01"}, ("ends before", "eindigt")),
        ({"bedrag": "500"}, ("Only a money tie", "Alleen een geldstroom")),
    ):
        response = site["client"].post(_url(site, "tie_edit", tie.pk), _edit_data(tie, **changes))
        assert response.status_code == 400
        assert any(w in response.content.decode() for w in words), changes
    assert Tie.objects.values().get(pk=tie.pk) == before
    assert not AuditEvent.objects.filter(action="network.tie_update").exists()


def test_a_reader_cannot_edit_and_a_tie_of_another_map_is_not_found(site):
    client = site["client"]
    other, _quote = organisation_map(site["dossier"], site, version="2019")
    foreign = other.ties.get(kind="mandate")
    assert client.get(_url(site, "tie_edit", foreign.pk)).status_code == 404
    tie = site["map"].ties.get(kind="mandate")
    client.force_login(site["users"]["meelezer"])
    assert client.get(_url(site, "tie_edit", tie.pk)).status_code == 403


def test_the_png_is_a_logged_download(site):
    response = site["client"].get(_url(site, "export", "png"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    from PIL import Image

    assert Image.open(io.BytesIO(content)).size[0] == 2000
    event = AuditEvent.objects.filter(action="export.download").get()
    assert event.after["route"] == "network:export"
    assert event.dossier == site["dossier"]


def test_our_own_gexf_and_graphml_import_into_a_new_version(site):
    from kansenaudit.web.network import services

    for fmt in ("gexf", "graphml"):
        exported = exports.export_map(site["map"], fmt)
        target = services.map_create(
            dossier=site["dossier"], version=f"kopie-{fmt}", with_actors=False, actor=None
        )
        url = reverse("network:ties_import", args=[site["dossier"].pk, target.pk])
        upload = SimpleUploadedFile(exported.file_name, exported.content)
        response = site["client"].post(url, {"import-bestand": upload})
        assert response.status_code == 302, fmt
        key = lambda t: (t.source_id, t.target_id, t.kind, t.amount, t.start, t.end)  # noqa: E731
        assert sorted(map(key, target.ties.all())) == sorted(map(key, site["map"].ties.all()))


HOSTILE = b"""<?xml version="1.0"?>
<!DOCTYPE gexf [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>
<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes>
<node id="1" label="&b;"/></nodes><edges/></graph></gexf>"""


def test_a_hostile_or_unsound_graph_file_is_refused_by_element(site):
    count = Tie.objects.count()
    cases = (
        ("kaart.gexf", HOSTILE, "DTD"),
        (
            "kaart.gexf",
            b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><nodes>'
            b'<node id="1" label="Directie Jeugd"/><node id="2" label="Buurtteam"/></nodes>'
            b'<edges><edge id="e1" source="1" target="2" kind="geld"/>'
            b'<edge id="e2" source="1" target="2" kind="vriendschap"/></edges></graph></gexf>',
            '<edge id="e2">',
        ),
        (
            "kaart.gexf",
            b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph><knopen/></graph></gexf>',
            "GEXF-schema",
        ),
        (
            "kaart.graphml",
            b'<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
            b'<node id="a"/><node id="Buurtteam"/><edge id="x7" source="a" target="Buurtteam"/>'
            b"</graph></graphml>",
            '<edge id="x7">',
        ),
    )
    for name, content, expected in cases:
        upload = SimpleUploadedFile(name, content)
        response = site["client"].post(_url(site, "ties_import"), {"import-bestand": upload})
        assert expected in _messages(response), (name, _messages(response))
    # Sound edges with a node that is not in the register: listed by element, nothing stored.
    content = (
        b'<gexf xmlns="http://gexf.net/1.3" version="1.3"><graph defaultedgetype="directed">'
        b'<nodes><node id="1" label="Directie Jeugd"/><node id="2" label="Onbekend"/></nodes>'
        b'<edges><edge id="e5" source="1" target="2" kind="money"/></edges></graph></gexf>'
    )
    upload = SimpleUploadedFile("kaart.gexf", content)
    response = site["client"].post(_url(site, "ties_import"), {"import-bestand": upload})
    assert 'Onbekend (<edge id="e5">)' in _messages(response)
    assert Tie.objects.count() == count
