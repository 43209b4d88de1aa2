"""The judgements pages: blindness in the rendered page, the forms, exports, dossier bounds."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from kansenaudit.web.judgements import services
from kansenaudit.web.judgements.models import Judgement
from tests.helpers.judgements_support import citation, subjects

SECRET_1 = "Uniek-argument-van-beoordelaar-een"
SECRET_2 = "Ander-argument-van-beoordelaar-twee"


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def judgement(team):
    s = subjects(team["dossier"])
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=s["measure"],
        criteria=None,
        mode="dubbel",
        actor=team["users"]["projectleider"],
    )
    return created[0]


def url(name, team, *args):
    return reverse(f"judgements:{name}", args=[team["dossier"].pk, *args])


def test_start_form_creates_judgements(client, team):
    s = subjects(team["dossier"])
    client.force_login(team["users"]["onderzoeker"])
    page = client.get(url("overview", team) + "?kader=smart").content.decode()
    assert "Minder schooluitval" in page
    assert 'name="criteria"' in page
    response = client.post(
        url("start", team),
        {
            "kader": "smart",
            "onderwerp": s["goal"].pk,
            "criteria": ["S", "M"],
            "werkwijze": "dubbel",
        },
    )
    assert response.status_code == 302
    assert sorted(Judgement.objects.values_list("criterion_code", flat=True)) == ["M", "S"]
    matrix = client.get(url("overview", team) + "?kader=smart").content.decode()
    assert "Minder schooluitval" in matrix
    assert "open" in matrix
    # A subject of another kind or another dossier is not offered and not accepted.
    foreign = subjects(team["other"], suffix=" B")
    response = client.post(
        url("start", team),
        {
            "kader": "smart",
            "onderwerp": foreign["goal"].pk,
            "criteria": ["S"],
            "werkwijze": "enkel",
        },
    )
    assert response.status_code == 302
    assert Judgement.objects.count() == 2


def test_assessor_two_page_does_not_show_assessor_one_before_submitting(client, team, judgement):
    services.assessment_submit(
        judgement=judgement, actor=team["users"]["projectleider"], score=5, rationale=SECRET_1
    )
    detail = url("detail", team, judgement.pk)
    for role in ("onderzoeker", "reviewer", "meelezer"):
        client.force_login(team["users"][role])
        body = client.get(detail).content.decode()
        assert SECRET_1 not in body
        assert "effectief volgens sterke aanwijzingen</strong>" not in body
        assert 'value="5" checked' not in body
        for export in ("export_csv", "history_csv"):
            assert SECRET_1 not in client.get(url(export, team)).content.decode()
    # Assessor 1 sees their own.
    client.force_login(team["users"]["projectleider"])
    assert SECRET_1 in client.get(detail).content.decode()
    # Assessor 2 submits through the page; then both see both.
    client.force_login(team["users"]["onderzoeker"])
    response = client.post(
        url("assess", team, judgement.pk), {"eigen-score": "3", "eigen-motivering": SECRET_2}
    )
    assert response.status_code == 302
    body = client.get(detail).content.decode()
    assert SECRET_1 in body
    assert SECRET_2 in body
    rows = list(
        csv.reader(
            io.StringIO(client.get(url("export_csv", team)).content.decode("utf-8-sig")),
            delimiter=";",
        )
    )
    header, row = rows[0], rows[1]
    assert row[header.index("motivering_1")] == SECRET_1
    assert row[header.index("score_2")].startswith("3 –")


def test_consensus_and_sign_off_through_the_pages(client, team, judgement):
    quote = citation(team["dossier"])
    services.assessment_submit(
        judgement=judgement, actor=team["users"]["projectleider"], score=2, rationale="a"
    )
    client.force_login(team["users"]["onderzoeker"])
    client.post(
        url("assess", team, judgement.pk),
        {"eigen-score": "2", "eigen-motivering": "b", "eigen-citaten": [quote.pk]},
    )
    client.post(
        url("consensus", team, judgement.pk),
        {"consensus-score": "2", "consensus-motivering": "Eens: goed onderbouwd"},
    )
    judgement.refresh_from_db()
    assert judgement.status == "consensus"
    # The consensus author cannot sign off; the page says why and the POST is refused.
    client.force_login(team["users"]["projectleider"])
    body = client.get(url("detail", team, judgement.pk)).content.decode()
    assert "opsteller ≠ reviewer" in body
    client.post(url("sign_off", team, judgement.pk))
    judgement.refresh_from_db()
    assert judgement.status == "consensus"
    client.force_login(team["users"]["reviewer"])
    assert client.post(url("sign_off", team, judgement.pk)).status_code == 302
    judgement.refresh_from_db()
    assert judgement.status == "afgetekend"
    # A new consensus reopens it, and the page shows what changed.
    client.force_login(team["users"]["onderzoeker"])
    client.post(
        url("consensus", team, judgement.pk),
        {"consensus-score": "3", "consensus-motivering": "Na nieuw onderzoek: trede 3"},
    )
    judgement.refresh_from_db()
    assert judgement.status == "heropend"
    body = client.get(url("detail", team, judgement.pk)).content.decode()
    assert 'id="wijzigingen"' in body
    assert "<del>Eens: goed onderbouwd</del>" in body
    assert "<ins>Na nieuw onderzoek: trede 3</ins>" in body


def test_invalid_score_is_refused(client, team, judgement):
    client.force_login(team["users"]["onderzoeker"])
    response = client.post(
        url("assess", team, judgement.pk), {"eigen-score": "9", "eigen-motivering": "x"}
    )
    assert response.status_code == 302
    assert not judgement.assessments.exists()


def test_judgement_of_another_dossier_is_404(client, team):
    foreign = subjects(team["other"], suffix=" B")
    created, _ = services.judgements_start(
        dossier=team["other"],
        framework_key="effectladder",
        subject=foreign["measure"],
        criteria=None,
        mode="dubbel",
        actor=team["outsider"],
    )
    client.force_login(team["users"]["projectleider"])
    assert client.get(url("detail", team, created[0].pk)).status_code == 404
    response = client.post(
        url("assess", team, created[0].pk), {"eigen-score": "1", "eigen-motivering": "x"}
    )
    assert response.status_code == 404
    assert not created[0].assessments.exists()


def test_exports_and_agreement_page(client, team, judgement):
    from openpyxl import load_workbook

    client.force_login(team["users"]["meelezer"])
    response = client.get(url("export_xlsx", team))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["oordelen", "historie"]
    assert book["oordelen"]["B2"].value == "effectladder"
    assert book["historie"].max_row == 2
    page = client.get(url("agreement", team) + "?kader=effectladder").content.decode()
    assert "niet gedefinieerd" in page.lower()
    assert client.get(url("frameworks", team)).status_code == 200


def test_formula_like_text_is_neutralised_in_exports(client, team, judgement):
    services.assessment_submit(
        judgement=judgement, actor=team["users"]["onderzoeker"], score=1, rationale="=HYPERLINK(1)"
    )
    services.assessment_submit(
        judgement=Judgement.objects.get(pk=judgement.pk),
        actor=team["users"]["projectleider"],
        score=1,
        rationale="+1",
    )
    client.force_login(team["users"]["onderzoeker"])
    text = client.get(url("export_csv", team)).content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text
    assert "'+1" in text


def test_agreement_page_with_a_defined_alpha(client, team):
    from tests.helpers.judgements_support import measures

    for measure, (a, b) in zip(
        measures(team["dossier"], 4), [(0, 1), (2, 2), (4, 5), (5, 5)], strict=True
    ):
        created, _ = services.judgements_start(
            dossier=team["dossier"],
            framework_key="effectladder",
            subject=measure,
            criteria=None,
            mode="dubbel",
            actor=None,
        )
        services.assessment_submit(
            judgement=created[0], actor=team["users"]["projectleider"], score=a, rationale="m"
        )
        services.assessment_submit(
            judgement=Judgement.objects.get(pk=created[0].pk),
            actor=team["users"]["onderzoeker"],
            score=b,
            rationale="m",
        )
    client.force_login(team["users"]["meelezer"])
    body = client.get(url("agreement", team) + "?kader=effectladder").content.decode()
    assert '<svg class="ka-agreement-chart"' in body
    assert 'id="kruistabel"' in body
    assert "<script" not in body.split("<main", 1)[-1]
    overview = client.get(url("overview", team) + "?kader=effectladder").content.decode()
    assert "Maatregel 3" in overview


def test_remove_button_only_on_own_evidence_and_it_removes(client, team, judgement):
    from kansenaudit.web.judgements import selectors

    quote = citation(team["dossier"])
    services.assessment_submit(
        judgement=judgement,
        actor=team["users"]["onderzoeker"],
        score=2,
        rationale=SECRET_1,
        citations=[quote],
    )
    services.assessment_submit(
        judgement=judgement, actor=team["users"]["projectleider"], score=3, rationale=SECRET_2
    )
    link = selectors.evidence_for(judgement.assessments.get(slot=1))[0]
    remove = url("evidence_remove", team, judgement.pk, link.pk)
    # The other assessor sees the evidence (both are in) but gets no button, and is refused.
    client.force_login(team["users"]["projectleider"])
    page = client.get(url("detail", team, judgement.pk)).content.decode()
    assert quote.quote in page
    assert remove not in page
    response = client.post(remove, follow=True)
    assert "alleen de beoordelaar zelf" in response.content.decode()
    assert selectors.evidence_for(judgement.assessments.get(slot=1)) == [link]
    # A link id of another dossier's judgement is 404, never a removal.
    client.force_login(team["users"]["onderzoeker"])
    page = client.get(url("detail", team, judgement.pk)).content.decode()
    assert remove in page
    response = client.post(url("evidence_remove", team, judgement.pk, link.pk + 999))
    assert response.status_code == 404
    response = client.post(remove, follow=True)
    assert "Bewijs verwijderd" in response.content.decode()
    assert selectors.evidence_for(judgement.assessments.get(slot=1)) == []


def test_policy_widget_cannot_touch_judgement_evidence(client, team, judgement):
    """The generic evidence widget of the policy register refuses judgements as subjects, so
    nobody attaches to or removes from another person's assessment behind the history."""
    from kansenaudit.web.policy.models import EvidenceLink

    quote = citation(team["dossier"])
    assessment = services.assessment_submit(
        judgement=judgement,
        actor=team["users"]["onderzoeker"],
        score=2,
        rationale=SECRET_1,
        citations=[quote],
    )
    client.force_login(team["users"]["projectleider"])
    add = reverse("policy:evidence_add", args=[team["dossier"].pk])
    response = client.post(
        add, {"onderwerp": f"judgements.assessment:{assessment.pk}", "citaat": quote.pk}
    )
    assert response.status_code == 404
    link = EvidenceLink.objects.get()
    response = client.post(reverse("policy:evidence_remove", args=[team["dossier"].pk, link.pk]))
    assert response.status_code == 404
    assert EvidenceLink.objects.count() == 1


def test_assessors_are_named_at_the_start_and_on_the_page(client, team):
    s = subjects(team["dossier"])
    u = team["users"]
    client.force_login(u["projectleider"])
    page = client.get(url("overview", team) + "?kader=effectladder").content.decode()
    assert 'name="beoordelaar_1"' in page
    # Only members with edit rights are offered: not the reviewer or the meelezer.
    assert f'value="{u["onderzoeker"].pk}"' in page
    assert f'value="{u["meelezer"].pk}"' not in page
    response = client.post(
        url("start", team),
        {
            "kader": "effectladder",
            "onderwerp": s["measure"].pk,
            "criteria": ["E"],
            "werkwijze": "dubbel",
            "beoordelaar_1": u["onderzoeker"].pk,
            "beoordelaar_2": u["projectleider"].pk,
        },
    )
    assert response.status_code == 302
    j = Judgement.objects.get()
    assert (j.assigned_1, j.assigned_2) == (u["onderzoeker"], u["projectleider"])
    # The onderzoeker's overview lists it as waiting for them.
    client.force_login(u["onderzoeker"])
    page = client.get(url("overview", team) + "?kader=effectladder").content.decode()
    assert 'id="wacht-op-mij"' in page
    assert url("detail", team, j.pk) in page
    # A team member with edit rights but no place sees why there is no form.
    from django.contrib.auth import get_user_model

    from kansenaudit.web.dossiers.services import membership_set

    third = get_user_model().objects.create_user(username="derde")
    membership_set(dossier=team["dossier"], user=third, role="onderzoeker", actor=None)
    client.force_login(third)
    page = client.get(url("detail", team, j.pk)).content.decode()
    assert 'id="niet-beoordelen"' in page
    assert 'id="mijn-beoordeling"' not in page
    # Reassign place 2 to the third member on the page; now they get the form.
    response = client.post(
        url("assign", team, j.pk),
        {"toewijzen-beoordelaar_1": u["onderzoeker"].pk, "toewijzen-beoordelaar_2": third.pk},
    )
    assert response.status_code == 302
    page = client.get(url("detail", team, j.pk)).content.decode()
    assert 'id="mijn-beoordeling"' in page
    # A user outside the team (or without edit rights) cannot be named.
    response = client.post(
        url("assign", team, j.pk),
        {"toewijzen-beoordelaar_1": u["meelezer"].pk},
        follow=True,
    )
    assert Judgement.objects.get().assigned_1 == u["onderzoeker"]
