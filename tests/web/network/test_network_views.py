"""The network pages through Django's test client: the map page with its text version, the
JSON the interactive map reads, every export, and the forms (which store nothing on error)."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from lxml import etree

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


def test_the_map_page_shows_the_table_checks_and_measures(site):
    body = site["client"].get(_url(site, "map")).content.decode()
    assert 'id="netwerkkaart"' in body
    assert "network/vendor/cytoscape.min.js" in body
    assert "<script>" not in body  # the CSP forbids inline scripts
    # The text version: every tie, with its evidence or "no evidence".
    assert body.count('<tr id="relatie-') == 3
    assert body.count('class="ka-network-noevidence"') == 2  # money is cited, the others not
    # NW3: the school board has a mandate but no money; its id is stable and linkable.
    school = site["school"].pk
    assert f'id="net-{site["map"].pk}-NW3:{school}"' in body
    listing = (
        site["client"].get(reverse("network:maps", args=[site["dossier"].pk])).content.decode()
    )
    assert _url(site, "map") in listing


def test_the_json_gives_positions_and_evidence(site):
    data = site["client"].get(_url(site, "map_data")).json()
    assert len(data["nodes"]) == 4
    assert len(data["ties"]) == 3
    money = next(t for t in data["ties"] if t["kind"] == "money")
    [evidence] = money["evidence"]
    assert evidence["page"] == 1
    assert "citaat=" in evidence["url"]
    assert all(t["evidence"] == [] for t in data["ties"] if t["kind"] != "money")
    assert all(isinstance(n["x"], float) for n in data["nodes"])


def test_every_export_downloads_and_reads_back(site):
    client = site["client"]
    gexf = client.get(_url(site, "export", "gexf"))
    assert gexf["Content-Disposition"].startswith("attachment")
    assert etree.fromstring(gexf.content).get("version") == "1.3"
    graph = nx.read_graphml(io.BytesIO(client.get(_url(site, "export", "graphml")).content))
    assert graph.number_of_edges() == 3
    kumu = json.loads(client.get(_url(site, "export", "kumu")).content)
    assert len(kumu["connections"]) == 3
    csv_text = client.get(_url(site, "export", "csv")).content.decode("utf-8-sig")
    assert csv_text.splitlines()[0].startswith("id;From;To;Type")
    svg = etree.fromstring(client.get(_url(site, "export", "svg")).content)
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(client.get(_url(site, "export", "xlsx")).content))
    assert book.sheetnames == ["actoren", "relaties", "controles"]
    assert client.get(_url(site, "export", "pdf")).status_code == 404


def test_adding_a_tie_through_the_form(site):
    client = site["client"]
    response = client.post(
        _url(site, "tie_add"),
        {
            "relatie-van": site["school"].pk,
            "relatie-naar": site["directie"].pk,
            "relatie-soort": "money",
            "relatie-bedrag": "1.250,50",
            "relatie-citaat": site["quote"].pk,
        },
    )
    assert response.status_code == 302
    tie = Tie.objects.get(source=site["school"], kind="money")
    assert str(tie.amount) == "1250.50"
    assert tie.evidence.count() == 1
    count = Tie.objects.count()
    client.post(
        _url(site, "tie_add"),
        {
            "relatie-van": site["school"].pk,
            "relatie-naar": site["school"].pk,
            "relatie-soort": "information",
        },
    )
    response = client.post(
        _url(site, "tie_add"),
        {
            "relatie-van": site["school"].pk,
            "relatie-naar": site["directie"].pk,
            "relatie-soort": "money",
            "relatie-bedrag": "-5",
        },
    )
    assert Tie.objects.count() == count
    assert any(
        "negative" in str(m) or "negatief" in str(m) for m in get_messages(response.wsgi_request)
    )


def test_import_errors_are_shown_and_nothing_is_stored(site):
    from django.core.files.uploadedfile import SimpleUploadedFile

    count = Tie.objects.count()
    upload = SimpleUploadedFile("lijst.csv", b"From;To;Type\nBuurtteam;Buurtteam;kennis\n")
    response = site["client"].post(_url(site, "ties_import"), {"import-bestand": upload})
    text = " ".join(str(m) for m in get_messages(response.wsgi_request))
    assert "Rij 2, kolom B" in text
    assert Tie.objects.count() == count
    upload = SimpleUploadedFile("lijst.csv", b"From;To;Type\nBuurtteam;Schoolbestuur;kennis\n")
    site["client"].post(_url(site, "ties_import"), {"import-bestand": upload})
    assert Tie.objects.count() == count + 1


def test_layout_is_saved_as_json_and_a_reader_cannot(site, client):
    key = str(site["partner"].pk)
    response = site["client"].post(
        _url(site, "layout_save"),
        json.dumps({"positions": {key: [1.5, 2.5]}}),
        content_type="application/json",
    )
    assert response.json() == {"saved": 1}
    bad = site["client"].post(_url(site, "layout_save"), "{", content_type="application/json")
    assert bad.status_code == 400
    client.force_login(site["users"]["meelezer"])
    assert (
        client.post(_url(site, "layout_save"), "{}", content_type="application/json").status_code
        == 403
    )


def test_compare_and_a_new_version(site):
    client = site["client"]
    response = client.post(_url(site, "map_copy"), {"versie-versie": "2027"})
    assert response.status_code == 302
    body = client.get(_url(site, "compare")).content.decode()
    assert "2027" in body or "2026" in body
