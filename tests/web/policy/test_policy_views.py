"""Policy pages in the test client: forms create, rules show as messages, dossiers stay apart,
the evidence widget, and the exports (XLSX opened with openpyxl, CSV escaping)."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from kansenaudit.web.policy import services
from kansenaudit.web.policy.models import Actor, EvidenceLink, Goal, Measure, TheoryStep
from tests.helpers.policy_fixtures import build_register, make_citation


@pytest.fixture
def reg(team):
    return build_register(team["dossier"])


def _login(client, team, role="onderzoeker"):
    client.force_login(team["users"][role])


def test_forms_create_register_entries(client, team, reg):
    _login(client, team)
    d = team["dossier"].pk
    response = client.post(
        reverse("policy:actor_new", args=[d]), {"name": "Directie Werk", "kind": "directie"}
    )
    assert response.status_code == 302
    werk = Actor.objects.get(dossier=team["dossier"], name="Directie Werk")
    response = client.post(
        reverse("policy:goal_new", args=[d]),
        {
            "title": "Meer werk",
            "level": "directie",
            "parent": reg["goals"]["c2"].pk,
            "domains": "werk, inkomen",
        },
    )
    goal = Goal.objects.get(title="Meer werk")
    assert response.status_code == 302
    assert goal.parent == reg["goals"]["c2"]
    assert goal.domains == ["werk", "inkomen"]
    response = client.post(
        reverse("policy:measure_new", args=[d]),
        {
            "name": "Werkroute",
            "owner": werk.pk,
            "goals": [goal.pk],
            "budgets": "2025: 150.000\n2026: 1000,50",
        },
    )
    assert response.status_code == 302
    measure = Measure.objects.get(name="Werkroute")
    assert [(b.year, str(b.amount)) for b in measure.budgets.all()] == [
        (2025, "150000.00"),
        (2026, "1000.50"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Werkroute" in page
    assert "Meer werk" in page
    client.post(
        reverse("policy:step_add", args=[d, measure.pk]),
        {"stap-kind": "activiteit", "stap-text": "Coaching"},
    )
    client.post(
        reverse("policy:step_add", args=[d, measure.pk]),
        {"stap-kind": "outcome", "stap-text": "Baan"},
    )
    a, o = TheoryStep.objects.filter(measure=measure).order_by("pk")
    client.post(
        reverse("policy:link_add", args=[d, measure.pk]),
        {"schakel-source": a.pk, "schakel-target": o.pk, "schakel-rationale": "Coaching helpt"},
    )
    assert measure.theory_links.get().rationale == "Coaching helpt"
    page = client.get(reverse("policy:measure_detail", args=[d, measure.pk])).content.decode()
    assert "ka-policy-chain" in page
    assert "Coaching helpt" in page
    assert "Coaching" in page


def test_rule_violations_are_shown_not_raised(client, team, reg):
    _login(client, team)
    d = team["dossier"].pk
    response = client.post(
        reverse("policy:measure_new", args=[d]),
        {"name": "X", "owner": reg["actors"]["kinderen"].pk},
    )
    assert response.status_code == 400  # a target group is not in the directie choices
    response = client.post(
        reverse("policy:measure_new", args=[d]), {"name": "X", "budgets": "2025: -5"}
    )
    assert response.status_code == 400
    response = client.post(
        reverse("policy:goal_delete", args=[d, reg["goals"]["c1"].pk]), follow=True
    )
    assert "nog gebruikt door" in response.content.decode()
    assert Goal.objects.filter(pk=reg["goals"]["c1"].pk).exists()
    m1 = reg["measures"]["m1"]
    t = reg["steps"]
    response = client.post(
        reverse("policy:link_add", args=[d, m1.pk]),
        {"schakel-source": t["g1"].pk, "schakel-target": t["a1"].pk, "schakel-rationale": "terug"},
        follow=True,
    )
    assert "vooruit in de keten" in response.content.decode()


def test_other_dossiers_objects_are_404(client, team, reg):
    other_goal = services.goal_create(
        dossier=team["other"], title="Geheim doel", level="directie", actor=None
    )
    _login(client, team, "projectleider")
    d = team["dossier"].pk
    assert client.get(reverse("policy:goal_detail", args=[d, other_goal.pk])).status_code == 404
    assert client.post(reverse("policy:goal_delete", args=[d, other_goal.pk])).status_code == 404
    assert client.get(reverse("policy:export_csv", args=[d, "geheimen"])).status_code == 404
    # Not a member of the other dossier: its pages do not exist.
    assert client.get(reverse("policy:overview", args=[team["other"].pk])).status_code == 404
    citation = reg["citation"]
    response = client.post(
        reverse("policy:evidence_add", args=[d]),
        {"onderwerp": f"policy.goal:{other_goal.pk}", "citaat": citation.pk},
    )
    assert response.status_code == 404
    for bad in ("auth.user:1", "core.auditevent:1", "policy.evidencelink:1", "nonsense"):
        response = client.post(
            reverse("policy:evidence_add", args=[d]), {"onderwerp": bad, "citaat": citation.pk}
        )
        assert response.status_code == 404, bad
    assert Goal.objects.get(pk=other_goal.pk).title == "Geheim doel"


def test_evidence_widget_attaches_and_detaches(client, team, reg):
    _login(client, team)
    d = team["dossier"].pk
    goal = reg["goals"]["c2"]
    url = reverse("policy:goal_detail", args=[d, goal.pk])
    response = client.post(
        reverse("policy:evidence_add", args=[d]),
        {"onderwerp": f"policy.goal:{goal.pk}", "citaat": reg["citation"].pk, "volgende": url},
    )
    assert response.status_code == 302
    assert response["Location"] == url
    link = EvidenceLink.objects.get(object_id=goal.pk, content_type__model="goal")
    page = client.get(url).content.decode()
    assert "bijles de toetsscores verbetert" in page
    assert reverse("evidence:document", args=[d, reg["citation"].document_id]) in page
    # A return address off this site is not followed.
    response = client.post(
        reverse("policy:evidence_remove", args=[d, link.pk]), {"volgende": "https://evil.example/"}
    )
    assert response["Location"] == reverse("policy:overview", args=[d])
    assert not EvidenceLink.objects.filter(pk=link.pk).exists()


def test_reader_sees_pages_but_no_forms(client, team, reg):
    _login(client, team, "meelezer")
    d = team["dossier"].pk
    page = client.get(
        reverse("policy:measure_detail", args=[d, reg["measures"]["m1"].pk])
    ).content.decode()
    assert "Bijles" in page
    assert 'name="citaat"' not in page
    assert (
        client.post(
            reverse("policy:actor_new", args=[d]), {"name": "X", "kind": "directie"}
        ).status_code
        == 403
    )
    for name in (
        "monitoring",
        "consistency",
        "overview",
        "goals",
        "measures",
        "indicators",
        "actors",
    ):
        assert client.get(reverse(f"policy:{name}", args=[d])).status_code == 200, name


def test_monitoring_page_shows_distance_and_gaps(client, team, reg):
    _login(client, team)
    page = client.get(reverse("policy:monitoring", args=[team["dossier"].pk])).content.decode()
    assert "Minder armoede" in page
    assert "Losse maatregel" in page
    assert "ka-monitoring-state--underway" in page
    assert "ka-monitoring-state--reached" in page


def test_xlsx_export_has_a_sheet_per_register(client, team, reg):
    services.actor_create(
        dossier=team["dossier"], name='=HYPERLINK("http://x")', kind="partner", actor=None
    )
    _login(client, team, "meelezer")
    response = client.get(reverse("policy:export_xlsx", args=[team["dossier"].pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "over",
        "actoren",
        "doelen",
        "maatregelen",
        "begrotingen",
        "beleidstheorie",
        "indicatoren",
        "waarden",
        "bewijs",
        "hiaten",
    ]
    rows = list(book["actoren"].values)
    assert rows[0][:3] == ("id", "naam", "soort")
    assert len(rows) == 1 + 5
    # Guarded as in CSV (a leading ') and stored as a string cell, never as a formula.
    formula = next(r for r in rows if str(r[1]).startswith("'="))
    assert book["actoren"].cell(row=rows.index(formula) + 1, column=2).data_type == "s"
    assert len(list(book["doelen"].values)) == 1 + 5
    budgets = list(book["begrotingen"].values)
    assert budgets[1][3:] == (2024, 100000)
    assert budgets[2][3:] == (2025, 120000)
    theory = list(book["beleidstheorie"].values)
    assert sum(1 for r in theory if r[2] == "stap") == 4
    assert sum(1 for r in theory if r[2] == "schakel") == 3
    assert len(list(book["waarden"].values)) == 1 + 7
    assert len(list(book["bewijs"].values)) == 1 + 1
    assert len(list(book["hiaten"].values)) == 1 + 10
    assert "Fictieve" not in str(list(book["over"].values))


def test_csv_export_escapes_formulas_and_labels_demo(client, team, reg):
    services.goal_create(dossier=team["dossier"], title="@SUM(A1)", level="directie", actor=None)
    _login(client, team)
    response = client.get(reverse("policy:export_csv", args=[team["dossier"].pk, "doelen"]))
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["id", "code", "doel"]
    assert "'@SUM(A1)" in [r[2] for r in rows[1:]]
    assert not text.startswith("#")
    team["dossier"].is_demo = True
    team["dossier"].save()
    text = client.get(
        reverse("policy:export_csv", args=[team["dossier"].pk, "hiaten"])
    ).content.decode("utf-8-sig")
    assert text.startswith("# Fictieve demodata")
    data = json.loads(client.get(reverse("policy:export_json", args=[team["dossier"].pk])).content)
    assert data["notice"].startswith("Fictieve")
    assert len(data["measures"]) == 3
    book = load_workbook(
        io.BytesIO(client.get(reverse("policy:export_xlsx", args=[team["dossier"].pk])).content)
    )
    assert "Fictieve" in str(list(book["over"].values))


def test_foreign_citation_cannot_be_attached(client, team, reg):
    foreign = make_citation(team["other"], title="Vreemd")
    _login(client, team)
    d = team["dossier"].pk
    response = client.post(
        reverse("policy:evidence_add", args=[d]),
        {"onderwerp": f"policy.goal:{reg['goals']['c1'].pk}", "citaat": foreign.pk},
        follow=True,
    )
    assert "Kies een citaat" in response.content.decode() or "citation" in response.content.decode()
    assert not EvidenceLink.objects.filter(citation=foreign).exists()


def test_registers_json_import_through_the_page(client, team, reg):
    """The export of one dossier imported into another on the page: all or nothing, errors
    named, a second import changes nothing, a reader gets no form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kansenaudit.web.dossiers.services import membership_set

    _login(client, team)
    exported = client.get(reverse("policy:export_json", args=[team["dossier"].pk])).content
    target = team["other"]
    membership_set(
        dossier=target, user=team["users"]["onderzoeker"], role="onderzoeker", actor=None
    )
    url = reverse("policy:import_json", args=[target.pk])
    overview = reverse("policy:overview", args=[target.pk])
    assert 'name="bestand"' in client.get(overview).content.decode()

    def upload(data, name="registers.json"):
        response = client.post(url, {"bestand": SimpleUploadedFile(name, data)}, follow=True)
        assert response.status_code == 200
        return response.content.decode()

    # Not JSON: the line and column are named, nothing is imported.
    page = upload(b'{"format": \n  oops}', "kapot.json")
    assert "Niets ingelezen uit kapot.json" in page
    assert "regel 2, kolom 3" in page
    # Valid JSON but a wrong record: every error named, nothing imported.
    broken = json.loads(exported)
    broken["measures"][0]["owner"] = "Directie die niet bestaat"
    page = upload(json.dumps(broken).encode())
    assert "Niets ingelezen" in page
    assert "Directie die niet bestaat" in page
    assert not Measure.objects.filter(dossier=target).exists()
    assert not Actor.objects.filter(dossier=target).exists()
    # The real file: everything is there; the same file again changes nothing.
    page = upload(exported)
    assert "Ingelezen uit registers.json" in page
    assert sorted(Measure.objects.filter(dossier=target).values_list("name", flat=True)) == sorted(
        Measure.objects.filter(dossier=team["dossier"]).values_list("name", flat=True)
    )
    page = upload(exported)
    assert "0 toegevoegd, 0 gewijzigd" in page
    # A reader has no form and is refused.
    membership_set(dossier=target, user=team["users"]["meelezer"], role="meelezer", actor=None)
    _login(client, team, "meelezer")
    assert 'name="bestand"' not in client.get(overview).content.decode()
    response = client.post(url, {"bestand": SimpleUploadedFile("r.json", exported)})
    assert response.status_code == 403


def test_registers_file_above_the_limit_is_not_read(client, team, reg, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kansenaudit.web.policy import transfer

    monkeypatch.setattr(transfer, "MAX_IMPORT_BYTES", 2**20)
    _login(client, team)
    before = Actor.objects.count()
    response = client.post(
        reverse("policy:import_json", args=[team["dossier"].pk]),
        {"bestand": SimpleUploadedFile("groot.json", b" " * (2**20 + 1))},
        follow=True,
    )
    assert "groot.json: groter dan 1 MB" in response.content.decode()
    assert Actor.objects.count() == before
