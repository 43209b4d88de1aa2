"""Ambtelijk and bestuurlijk wederhoor, and the follow-up: frozen versions, the personal link
attacked (expired, revoked, another version, another contact, another dossier, hostile input),
the handling of comments, the diff between versions, the college's reaction and the nawoord."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from kansenaudit.web.core.append_only import AppendOnlyError
from kansenaudit.web.dossiers.models import SubQuestion
from kansenaudit.web.findings import selectors, services, wederhoor
from kansenaudit.web.findings.models import (
    CollegeReaction,
    NotaVersion,
    WederhoorComment,
    WederhoorLink,
)
from kansenaudit.web.findings.services import FindingsError
from tests.helpers.judgements_support import citation

LATER = timezone.localdate() + dt.timedelta(days=14)


@pytest.fixture
def w(team):
    users = team["users"]
    oz = users["onderzoeker"]
    sq = SubQuestion.objects.get(dossier=team["dossier"], number=1)
    finding = services.finding_create(
        dossier=team["dossier"],
        sub_question=sq,
        code="B1",
        title="Vastgesteld beleid",
        text="Eerste alinea.\n\nTweede alinea.",
        actor=oz,
    )
    version = wederhoor.version_freeze(dossier=team["dossier"], comments_until=LATER, actor=oz)
    link, raw = wederhoor.link_create(version=version, contact_name="M. de Vries", actor=oz)
    link2, raw2 = wederhoor.link_create(version=version, contact_name="J. Jansen", actor=oz)
    return {
        **team,
        "oz": oz,
        "sq": sq,
        "finding": finding,
        "version": version,
        "link": link,
        "raw": raw,
        "link2": link2,
        "raw2": raw2,
    }


def _public(raw):
    return reverse("findings:public", args=[raw])


def test_frozen_version_never_changes(w):
    v = w["version"]
    assert v.content["sections"][0]["key"] == "B1"
    v.comments_until = LATER + dt.timedelta(days=1)
    with pytest.raises(AppendOnlyError):
        v.save()
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE findings_notaversion SET content_sha256 = 'x'")
    # Changing the finding afterwards leaves the frozen text as it was.
    services.finding_change(
        finding=w["finding"],
        title="Nieuw",
        text="Anders.",
        verdict="",
        norms=[],
        sub_question=w["sq"],
        actor=w["oz"],
    )
    v = NotaVersion.objects.get(pk=v.pk)
    assert v.content["sections"][0]["text"] == "Eerste alinea.\n\nTweede alinea."


def test_contact_sees_own_version_and_own_comments_only(w, client):
    wederhoor.comment_add(link=w["link2"], section_key="B1", text="Opmerking van Jansen")
    response = client.post(
        _public(w["raw"]), {"section": "B1", "paragraph": "2", "text": "Het was 2023."}
    )
    assert response.status_code == 302
    page = client.get(_public(w["raw"])).content.decode()
    assert "Het was 2023." in page
    assert "Opmerking van Jansen" not in page
    assert "J. Jansen" not in page
    assert "Tweede alinea." in page
    comment = WederhoorComment.objects.get(text="Het was 2023.")
    assert comment.link == w["link"]
    assert comment.paragraph == 2


def test_expired_revoked_and_unknown_links_show_nothing(w):
    client = Client()
    WederhoorLink.objects.filter(pk=w["link"].pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    wederhoor.link_revoke(link=w["link2"], actor=w["oz"])
    for raw in (w["raw"], w["raw2"], "x" * 43, "../../etc/passwd", "a" * 500):
        response = client.get("/wederhoor/" + raw + "/")
        assert response.status_code == 404
        assert "Vastgesteld beleid" not in response.content.decode()
        response = client.post("/wederhoor/" + raw + "/", {"section": "B1", "text": "x"})
        assert response.status_code == 404
    assert not WederhoorComment.objects.exists()


def test_many_failures_from_one_address_are_refused(w, settings):
    client = Client()
    codes = [client.get(_public("b" * 43)).status_code for _ in range(32)]
    assert codes[0] == 404
    assert codes[-1] == 429
    # Even the right link is refused from that address for the rest of the window.
    assert client.get(_public(w["raw"])).status_code == 429


def test_link_cannot_comment_on_another_version_or_after_closing(w):
    oz = w["oz"]
    services.finding_change(
        finding=w["finding"],
        title="Vastgesteld beleid",
        text="Eerste alinea, herzien.\n\nTweede alinea.",
        verdict="",
        norms=[],
        sub_question=w["sq"],
        actor=oz,
    )
    v2 = wederhoor.version_freeze(dossier=w["dossier"], comments_until=LATER, actor=oz)
    # The old link still shows its own version, but takes no more comments.
    client = Client()
    page = client.get(_public(w["raw"])).content.decode()
    assert "Eerste alinea." in page
    assert "herzien" not in page
    response = client.post(_public(w["raw"]), {"section": "B1", "text": "Nog iets"})
    assert response.status_code == 400
    assert not WederhoorComment.objects.filter(text="Nog iets").exists()
    with pytest.raises(FindingsError, match=r"no longer open|niet meer open"):
        wederhoor.link_create(version=w["version"], contact_name="Laat", actor=oz)
    # The diff of version 2 shows the changed paragraph.
    diff = selectors.version_diff(v2)
    assert diff[0].status == "gewijzigd"
    assert ("+", "Eerste alinea, herzien.") in diff[0].lines
    assert ("-", "Eerste alinea.") in diff[0].lines
    # A version past its closing date is closed.
    link3, _raw3 = wederhoor.link_create(version=v2, contact_name="Nieuw", actor=oz)
    tomorrow = LATER + dt.timedelta(days=1)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
        with pytest.raises(FindingsError, match=r"no longer open|niet meer open"):
            wederhoor.comment_add(link=link3, section_key="B1", text="te laat")


def test_hostile_and_oversized_input_is_refused_and_nothing_is_lost(w):
    client = Client()
    url = _public(w["raw"])
    cases = [
        {"section": "B2", "text": "bestaat niet"},
        {"section": "B1", "paragraph": "9", "text": "geen alinea 9"},
        {"section": "B1", "text": "x" * 4001},
        {"section": "B1", "text": "   "},
        {"section": "B1' OR 1=1 --", "text": "sql"},
    ]
    for data in cases:
        assert client.post(url, data).status_code == 400
    assert not WederhoorComment.objects.exists()
    response = client.post(url, {"section": "B1", "text": "<script>alert(1)</script>"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_link_of_one_dossier_never_reaches_another(w):
    other_oz = w["outsider"]
    sq = SubQuestion.objects.create(dossier=w["other"], number=1, question="Geheim?")
    services.finding_create(
        dossier=w["other"],
        sub_question=sq,
        code="G1",
        title="Geheime bevinding",
        text="Geheim.",
        actor=other_oz,
    )
    wederhoor.version_freeze(dossier=w["other"], comments_until=LATER, actor=other_oz)
    response = Client().post(_public(w["raw"]), {"section": "G1", "text": "x"})
    assert response.status_code == 400
    assert "Geheime bevinding" not in Client().get(_public(w["raw"])).content.decode()
    # The team cannot handle or see another dossier's comments through its own pages.
    comment = wederhoor.comment_add(link=w["link"], section_key="B1", text="Eigen")
    assert selectors.comment_in_dossier(w["other"], comment.pk) is None


def test_token_is_stored_only_as_a_hash(w):
    assert w["raw"] not in w["link"].token_hash
    assert re.fullmatch(r"[0-9a-f]{64}", w["link"].token_hash)


def test_team_handles_every_comment_with_a_reason(w):
    comment = wederhoor.comment_add(link=w["link"], section_key="B1", paragraph=1, text="Fout")
    with pytest.raises(FindingsError, match="reason"):
        wederhoor.comment_handle(comment=comment, handling="niet_verwerkt", actor=w["oz"])
    with pytest.raises(FindingsError):
        wederhoor.comment_handle(comment=comment, handling="verwerkt", actor=w["users"]["meelezer"])
    wederhoor.comment_handle(
        comment=comment, handling="deels", reason="Jaartal aangepast", actor=w["oz"]
    )
    status = selectors.wederhoor_status(w["dossier"])
    assert status[0]["reacties"]["deels"] == 1
    assert status[0]["reacties"]["open"] == 0


def test_college_reaction_quotes_its_letter_and_nawoord(w):
    oz = w["oz"]
    conclusion = services.conclusion_create(
        dossier=w["dossier"], code="C1", text="c", findings=[w["finding"]], actor=oz
    )
    rec = services.recommendation_create(
        dossier=w["dossier"],
        code="A1",
        text="Stel doelen.",
        addressee="college",
        conclusions=[conclusion],
        actor=oz,
    )
    letter = citation(
        w["dossier"], "Het college neemt aanbeveling 1 over en stelt doelen."
    ).document
    with pytest.raises(FindingsError, match="does not appear"):
        wederhoor.reaction_set(
            recommendation=rec,
            position="overgenomen",
            quote="Wij wijzen af",
            letter=letter,
            actor=oz,
        )
    other_letter = citation(w["other"], "Het college neemt aanbeveling 1 over.").document
    with pytest.raises(FindingsError, match="this dossier"):
        wederhoor.reaction_set(
            recommendation=rec,
            position="overgenomen",
            quote="neemt aanbeveling 1 over",
            letter=other_letter,
            actor=oz,
        )
    reaction = wederhoor.reaction_set(
        recommendation=rec,
        position="overgenomen",
        quote="neemt  aanbeveling 1 over",
        letter=letter,
        commitment="Doelen in 2026",
        actor=oz,
    )
    assert reaction.position == "overgenomen"
    nawoord = wederhoor.nawoord_set(dossier=w["dossier"], text="De rekenkamer dankt.", actor=oz)
    assert nawoord.text == "De rekenkamer dankt."
    wederhoor.follow_up_add(recommendation=rec, year=2026, status="deels", note="Half", actor=oz)
    with pytest.raises(FindingsError, match="already"):
        wederhoor.follow_up_add(recommendation=rec, year=2026, status="niet", actor=oz)
    register = selectors.follow_up_register(w["users"]["meelezer"])
    assert [r.code for r in register] == ["A1"]
    assert selectors.follow_up_register(w["outsider"]) == []
    rows = selectors.follow_up_rows(register)
    assert rows[0][4] == str(CollegeReaction.Position.ACCEPTED.label)
    assert rows[0][6] == 2026


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are matched by their English msgid (the Dutch catalogue is tested apart)."""
    from django.utils import translation

    with translation.override("en"):
        yield
