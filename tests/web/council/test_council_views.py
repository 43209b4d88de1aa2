"""The council pages in the test client: list, form, timeline, matrix, exports, refusals."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.council import services
from kansenaudit.web.council.models import InformationItem
from tests.helpers.council_builders import document, goal, measure


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def setup(team, client):
    dossier = team["dossier"]
    g1, g2 = goal(dossier, "Gelijke start", order=1), goal(dossier, "Nooit genoemd doel", order=2)
    m = measure(dossier, "Voorschool")
    registered = document(dossier, "Voortgangsbrief 2023", dt.date(2023, 4, 1))
    unregistered = document(dossier, "Jaarverslag 2024", dt.date(2025, 5, 1), "jaarverslag")
    item = services.item_register(
        dossier=dossier, document=registered, reports_on="beide", goals=[g1], actor=None
    )
    client.force_login(team["users"]["onderzoeker"])
    return {
        "dossier": dossier,
        "g1": g1,
        "g2": g2,
        "m": m,
        "item": item,
        "free": unregistered,
        "client": client,
        "team": team,
    }


def _url(name, s, *extra):
    return reverse(f"council:{name}", args=[s["dossier"].pk, *extra])


def test_items_page_lists_items_and_suggestions(setup):
    body = setup["client"].get(_url("items", setup)).content.decode()
    assert "Voortgangsbrief 2023" in body
    assert "1 april 2023" in body
    assert "Gelijke start" in body
    suggestions = body[body.index('id="suggestions"') :]
    assert "Jaarverslag 2024" in suggestions
    assert "Voortgangsbrief 2023" not in suggestions
    assert f"?document={setup['free'].pk}" in suggestions
    assert "JUDGEMENTS" not in body  # the placeholder is a template comment, not output
    # Scripts only from our own static files (progressive enhancement), never inline.
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)", body) == []
    assert "style=" not in body


def test_items_filters_and_bad_filter(setup):
    client = setup["client"]
    empty = client.get(_url("items", setup), {"over": "effecten"}).content.decode()
    assert "Voortgangsbrief 2023" not in empty.split('id="items"')[1].split("</table>")[0]
    hit = client.get(_url("items", setup), {"doel": setup["g1"].pk, "jaar": 2023})
    assert hit.status_code == 200
    assert "Voortgangsbrief 2023" in hit.content.decode()
    assert client.get(_url("items", setup), {"jaar": "abc"}).status_code == 400
    assert client.get(_url("items", setup), {"over": "onzin"}).status_code == 400


def test_add_form_registers_with_defaults(setup):
    client, free = setup["client"], setup["free"]
    page = client.get(_url("item_add", setup), {"document": free.pk}).content.decode()
    assert f'<option value="{free.pk}" selected>' in page
    select = page[page.index('name="document"') :].split("</select>")[0]
    assert "Jaarverslag 2024" in select
    assert "Voortgangsbrief 2023" not in select  # a registered document is not offered again
    response = client.post(
        _url("item_add", setup),
        {
            "document": free.pk,
            "reports_on": "effecten",
            "goals": [setup["g1"].pk, setup["g2"].pk],
            "measures": [setup["m"].pk],
        },
    )
    created = InformationItem.objects.get(document=free)
    assert response.status_code == 302
    assert response["Location"] == _url("item", setup, created.pk)
    assert (created.title, created.date, created.reports_on) == (
        "Jaarverslag 2024",
        dt.date(2025, 5, 1),
        "effecten",
    )
    assert set(created.goals.all()) == {setup["g1"], setup["g2"]}
    event = AuditEvent.objects.get(action="council.item_register", object_id=str(created.pk))
    assert event.actor == setup["team"]["users"]["onderzoeker"]


def test_add_form_refuses_other_dossiers_objects(setup):
    team, client = setup["team"], setup["client"]
    foreign_goal = goal(team["other"], "Vreemd doel")
    foreign_doc = document(team["other"], "Vreemde brief", dt.date(2024, 1, 1))
    before = InformationItem.objects.count()
    response = client.post(
        _url("item_add", setup),
        {"document": setup["free"].pk, "reports_on": "outputs", "goals": [foreign_goal.pk]},
    )
    assert response.status_code == 400
    response = client.post(
        _url("item_add", setup), {"document": foreign_doc.pk, "reports_on": "outputs"}
    )
    assert response.status_code == 400
    response = client.post(_url("item_add", setup), {"document": setup["free"].pk})
    assert response.status_code == 400
    assert "ka-field--invalid" in response.content.decode()  # reports_on is required
    assert InformationItem.objects.count() == before


def test_edit_and_remove(setup):
    client, item = setup["client"], setup["item"]
    page = client.get(_url("item_edit", setup, item.pk)).content.decode()
    assert 'value="Voortgangsbrief 2023"' in page
    response = client.post(
        _url("item_edit", setup, item.pk),
        {"title": "Nieuwe titel", "date": "2023-04-02", "reports_on": "outputs", "goals": []},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.title, item.date, item.reports_on) == (
        "Nieuwe titel",
        dt.date(2023, 4, 2),
        "outputs",
    )
    assert item.goals.count() == 0
    assert (
        client.post(_url("item_edit", setup, item.pk), {"title": "", "reports_on": "x"}).status_code
        == 400
    )
    response = client.post(_url("item_remove", setup, item.pk))
    assert response.status_code == 302
    assert not InformationItem.objects.filter(pk=item.pk).exists()
    assert AuditEvent.objects.filter(action="council.item_remove").count() == 1


def test_items_of_another_dossier_are_404(setup):
    team, client = setup["team"], setup["client"]
    other_item = services.item_register(
        dossier=team["other"],
        document=document(team["other"], "Elders", dt.date(2024, 1, 1)),
        reports_on="outputs",
        actor=None,
    )
    for name, method in [("item", "get"), ("item_edit", "get"), ("item_remove", "post")]:
        response = getattr(client, method)(_url(name, setup, other_item.pk))
        assert response.status_code == 404, name
    assert InformationItem.objects.filter(pk=other_item.pk).exists()


def test_read_only_member_cannot_write(setup):
    client = setup["client"]
    client.force_login(setup["team"]["users"]["meelezer"])
    before = InformationItem.objects.count()
    assert (
        client.post(
            _url("item_add", setup), {"document": setup["free"].pk, "reports_on": "outputs"}
        ).status_code
        == 403
    )
    assert client.post(_url("item_remove", setup, setup["item"].pk)).status_code == 403
    assert InformationItem.objects.count() == before
    body = client.get(_url("items", setup)).content.decode()
    assert _url("item_add", setup) not in body


def test_timeline_page(setup):
    body = setup["client"].get(_url("timeline", setup)).content.decode()
    assert "<svg" in body
    assert "<rect" in body
    assert 'id="timeline-table"' in body
    assert 'data-state="both"' in body
    assert "Voortgangsbrief 2023" in body
    empty = setup["client"].get(_url("timeline", setup), {"over": "geen"}).content.decode()
    assert "<svg" not in empty


def test_matrix_page(setup):
    dossier = setup["dossier"]
    dossier.period_start, dossier.period_end = dt.date(2022, 1, 1), dt.date(2024, 12, 31)
    dossier.save()
    body = setup["client"].get(_url("matrix", setup)).content.decode()
    table = body[body.index('id="matrix"') :].split("</table>")[0]
    assert table.count('data-state="both"') == 1
    assert table.count('data-state="none"') == 5  # 3 years × 2 goals, one cell reported
    assert "(1)" in table
    never = body[body.index('id="goals-never"') :].split("</ul>")[0]
    assert "Nooit genoemd doel" in never
    assert "Gelijke start" not in never
    years = body[body.index('id="years-without"') :].split("</ul>")[0]
    assert "2022" in years
    assert "2024" in years
    assert "2023" not in years
    assert "Voorschool" in body[body.index('id="measures-never"') :]


def test_web_exports(setup):
    from openpyxl import load_workbook

    client = setup["client"]
    response = client.get(_url("items_csv", setup))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "Voortgangsbrief 2023" in response.content.decode()
    matrix = client.get(_url("matrix_csv", setup)).content.decode()
    assert "prestaties en effecten (1)" in matrix
    response = client.get(_url("export_xlsx", setup))
    book = load_workbook(io.BytesIO(response.content))
    assert book["Raadsinformatie"].cell(row=2, column=3).value == "Voortgangsbrief 2023"
