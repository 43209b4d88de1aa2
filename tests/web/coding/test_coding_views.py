"""The coding pages through the test client: coding a passage (selection or whole turn), the
codebook forms (an unchanged save changes nothing), consensus, and the exports."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from kansenaudit.web.coding import segments, services
from kansenaudit.web.coding.models import Code, Segment
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.services import membership_set
from tests.security.test_form_roundtrip import submit_unchanged
from tests.web.coding.support import transcript, turn


@pytest.fixture
def w(team, client):
    client.force_login(team["users"]["onderzoeker"])
    item = transcript(team["dossier"])
    c = services.code_create(dossier=team["dossier"], actor=None, name="Bereikbaarheid")
    return {**team, "client": client, "t": item, "code": c, "d": team["dossier"].pk}


def test_coding_page_codes_a_selection_and_a_whole_turn(w):
    client, item = w["client"], w["t"]
    url = reverse("coding:transcript", args=[w["d"], item.pk])
    page = client.get(url).content.decode()
    assert 'id="codetekst"' in page
    assert "coding/coding.js" in page
    assert "<script>" not in page
    assert f'data-length="{len(item.text)}"' in page
    t2 = turn(item, 2)
    post = reverse("coding:transcript_code", args=[w["d"], item.pk])
    response = client.post(
        post,
        {
            "start": t2.start + 3,
            "end": t2.start + 20,
            "codes": [w["code"].pk],
            "memo": "Mooi citaat",
        },
    )
    assert response.status_code == 302
    segment = Segment.objects.get()
    assert item.text[segment.start : segment.end].startswith("schoolmaatschappelijk")
    assert segment.memos.get().text == "Mooi citaat"
    client.post(post, {"turn": 5, "new_codes": "Doorverwijzing\nSchuldhulp"})
    last = Segment.objects.order_by("-pk").first()
    assert (last.start, last.end) == (turn(item, 5).start, turn(item, 5).end)
    assert sorted(c.name for c in last.codes.all()) == ["Doorverwijzing", "Schuldhulp"]
    page = client.get(url).content.decode()
    assert page.count('class="ka-coded"') >= 2
    assert "Mooi citaat" in page
    # Nothing selected and no turn: refused with a message, nothing stored.
    client.post(post, {"codes": [w["code"].pk]})
    assert Segment.objects.count() == 2
    # A reader sees the page but gets no form.
    client.force_login(w["users"]["meelezer"])
    assert 'id="coderen"' not in client.get(url).content.decode()


def test_code_form_submitted_unchanged_changes_nothing(w):
    child = services.code_create(
        dossier=w["dossier"],
        actor=None,
        name="Wachtlijst “lang” & <kort>",
        parent=w["code"],
        definition="Eerste regel.\nTweede regel.",
        colour="#123abc",
    )
    page = reverse("coding:code", args=[w["d"], child.pk])
    post = reverse("coding:code_edit", args=[w["d"], child.pk])
    for language in ("nl", "en"):
        problems, response, errors = submit_unchanged(w["client"], page, post, language)
        assert problems == []
        assert errors == []
        assert response.status_code == 302
    w["client"].post(
        post,
        {"name": "Wachtlijst", "parent": "", "colour": "#123abc", "definition": "Nieuw"},
    )
    child.refresh_from_db()
    assert (child.name, child.parent_id, child.definition) == ("Wachtlijst", None, "Nieuw")


def test_codebook_pages_add_merge_split_and_deductive(w):
    client, d = w["client"], w["d"]
    client.post(
        reverse("coding:code_add", args=[d]),
        {"nieuw-name": "Vertrouwen", "nieuw-colour": "#00aa00"},
    )
    new = Code.objects.get(name="Vertrouwen")
    t2 = turn(w["t"], 2)
    s = segments.segment_code(
        actor=w["users"]["onderzoeker"], codes=[new], start=t2.start, end=t2.end, transcript=w["t"]
    )
    client.post(
        reverse("coding:code_split", args=[d, new.pk]),
        {"split-name": "Wantrouwen", "split-segments": [s.pk]},
    )
    assert [c.name for c in s.codes.all()] == ["Wantrouwen"]
    split = Code.objects.get(name="Wantrouwen")
    client.post(reverse("coding:code_merge", args=[d, split.pk]), {"samen-target": w["code"].pk})
    split.refresh_from_db()
    assert split.merged_into_id == w["code"].pk
    client.post(reverse("coding:codes_deductive", args=[d]), {"kader": "effectladder"})
    assert Code.objects.filter(origin=Code.Origin.FRAMEWORK).count() > 1
    page = client.get(reverse("coding:codebook", args=[d])).content.decode()
    assert "Analysekader" in page
    assert 'id="codeboek"' in page


def test_compare_consensus_and_exports(w):
    dossier, client = w["dossier"], w["client"]
    one = w["users"]["onderzoeker"]
    two = get_user_model().objects.create_user(username="codeur-twee")
    membership_set(dossier=dossier, user=two, role="onderzoeker", actor=None)
    sample = segments.double_coding_start(transcript=w["t"], coder_1=one, coder_2=two, actor=None)
    t2 = turn(w["t"], 2)
    for coder in (one, two):
        segments.segment_code(
            actor=coder, codes=[w["code"]], start=t2.start, end=t2.end, transcript=w["t"]
        )
    compare = reverse("coding:compare", args=[w["d"], sample.pk])
    assert "beurt-2" not in client.get(compare).content.decode()  # still blind
    for coder in (one, two):
        segments.double_coding_done(sample=sample, actor=coder)
    page = client.get(compare).content.decode()
    assert f'name="beurt-2" value="{w["code"].pk}"' in page
    assert "checked" in page
    client.post(
        reverse("coding:consensus", args=[w["d"], sample.pk]),
        {"beurt-2": [str(w["code"].pk)], "beurt-3": [""]},
    )
    assert Segment.objects.filter(kind="consensus").count() == 1
    agreement = client.get(reverse("coding:agreement", args=[w["d"]])).content.decode()
    assert 'id="alfa-totaal"' in agreement
    csv = client.get(reverse("coding:segments_csv", args=[w["d"]]))
    assert csv["Content-Disposition"].startswith("attachment")
    body = csv.content.decode("utf-8-sig")
    assert body.count("Bereikbaarheid") == 3
    assert "stakeholdergroep" in body
    xlsx = client.get(reverse("coding:analysis_xlsx", args=[w["d"]]) + f"?code={w['code'].pk}")
    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["segmenten", "codes-x-groepen", "samen-voorkomen"]
    assert AuditEvent.objects.filter(action="coding.exported").count() == 2
