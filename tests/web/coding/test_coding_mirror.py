"""The mirror of practice against policy theory (§4.2.5): rows from the policy theory, two
blind verdicts, a consensus resting on segments or citations, a sign-off by someone else, the
pages, the exports (logged) and the command."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from click.testing import CliRunner
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from kansenaudit.web.coding import mirror_selectors, mirror_services, segments, services
from kansenaudit.web.coding.models import MirrorRow
from kansenaudit.web.coding.services import CodingError
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.services import membership_set
from tests.web.coding.support import measure_with_theory, transcript

pytestmark = pytest.mark.django_db
SUPPORTED = MirrorRow.Verdict.SUPPORTED


@pytest.fixture(autouse=True)
def _english():
    """The refusals are matched by their English msgid."""
    with translation.override("en"):
        yield


@pytest.fixture
def m(team):
    dossier = team["dossier"]
    measure, steps, links = measure_with_theory(dossier)
    codes = services.codes_from_policy_theory(dossier=dossier, actor=None, measures=[measure])
    step_code = next(c for c in codes if c.source_key == f"theorystep:{steps[1].pk}")
    item = transcript(dossier, measure=measure)
    segment = segments.segment_code(
        actor=team["users"]["onderzoeker"], codes=[step_code], start=30, end=80, transcript=item
    )
    return {**team, "measure": measure, "steps": steps, "links": links, "segment": segment}


def _rows(m):
    mirror_services.mirror_start(dossier=m["dossier"], measure=m["measure"], actor=None)
    return list(MirrorRow.objects.filter(measure=m["measure"]).order_by("order"))


def test_the_rows_are_the_steps_and_links_of_the_policy_theory_once(m):
    rows = _rows(m)
    assert [r.element for r in rows] == ["stap"] * 3 + ["schakel"] * 2
    assert rows[3].label == f"{m['steps'][0].text} → {m['steps'][1].text}"
    assert (
        mirror_services.mirror_start(dossier=m["dossier"], measure=m["measure"], actor=None) == []
    )
    bare, _s, _l = measure_with_theory(m["other"], name="Zonder")
    with pytest.raises(CodingError):
        mirror_services.mirror_start(dossier=m["dossier"], measure=bare, actor=None)


def test_two_blind_verdicts_then_consensus_then_sign_off_by_someone_else(m):
    users = m["users"]
    row = _rows(m)[1]  # the step "Gezinnen worden snel bereikt", coded in the transcript
    assert next(h.segment.pk for h in mirror_selectors.candidate_hits(row)) == m["segment"].pk
    one, two = users["onderzoeker"], users["projectleider"]
    mirror_services.mirror_assess(
        row=row,
        actor=one,
        verdict=SUPPORTED,
        rationale="Bewoners noemen het.",
        segments=[m["segment"]],
    )
    # Blind: the other assessor and a reader see nothing of it; the assessor sees their own.
    assert mirror_selectors.visible_assessments(row, two) == []
    assert mirror_selectors.visible_assessments(row, users["meelezer"]) == []
    assert len(mirror_selectors.visible_assessments(row, one)) == 1
    logged = AuditEvent.objects.filter(action="coding.mirror_assessed").get()
    assert "ondersteund" not in json.dumps(logged.after) + logged.summary
    with pytest.raises(CodingError, match="both assessors"):
        mirror_services.mirror_consensus(
            row=row, actor=one, verdict=SUPPORTED, rationale="x", segments=[m["segment"]]
        )
    mirror_services.mirror_assess(
        row=row, actor=two, verdict=MirrorRow.Verdict.PARTLY, rationale="Deels, wachtlijst."
    )
    third = get_user_model().objects.create_user(username="derde")
    membership_set(dossier=m["dossier"], user=third, role="onderzoeker", actor=None)
    with pytest.raises(CodingError, match="two assessors"):
        mirror_services.mirror_assess(row=row, actor=third, verdict=SUPPORTED, rationale="Ik ook.")
    assert len(mirror_selectors.visible_assessments(row, users["meelezer"])) == 2
    # A verdict other than "not addressed" rests on segments or citations.
    with pytest.raises(CodingError, match="rests on"):
        mirror_services.mirror_consensus(row=row, actor=one, verdict=SUPPORTED, rationale="Ja.")
    mirror_services.mirror_consensus(
        row=row,
        actor=third,
        verdict=MirrorRow.Verdict.PARTLY,
        rationale="Samen: deels.",
        segments=[m["segment"]],
    )
    # Preparer ≠ reviewer: the assessors and the consensus author cannot sign off.
    for who in (one, third):
        with pytest.raises(CodingError):
            mirror_services.mirror_sign_off(row=row, actor=who)
    with pytest.raises(CodingError):  # no SIGN_OFF
        mirror_services.mirror_sign_off(row=row, actor=users["meelezer"])
    mirror_services.mirror_sign_off(row=row, actor=users["reviewer"])
    row.refresh_from_db()
    assert (row.status, row.verdict) == ("afgetekend", "deels")
    # A new consensus clears the sign-off.
    mirror_services.mirror_consensus(
        row=row, actor=third, verdict=MirrorRow.Verdict.NOT_ADDRESSED, rationale="Toch niet."
    )
    row.refresh_from_db()
    assert (row.status, row.signed_off_at) == ("consensus", None)
    summary = {s.measure.pk: s for s in mirror_selectors.summary(m["dossier"])}[m["measure"].pk]
    assert (summary.rows, summary.open, summary.verdicts[-1]) == (5, 4, 1)


def test_a_segment_of_a_blind_transcript_cannot_carry_a_verdict(m):
    users = m["users"]
    second = get_user_model().objects.create_user(username="tweede")
    membership_set(dossier=m["dossier"], user=second, role="onderzoeker", actor=None)
    segments.double_coding_start(
        transcript=m["segment"].transcript,
        coder_1=users["onderzoeker"],
        coder_2=second,
        actor=None,
    )
    row = _rows(m)[1]
    assert mirror_selectors.candidate_hits(row) == []
    with pytest.raises(CodingError, match="blind"):
        mirror_services.mirror_assess(
            row=row,
            actor=users["onderzoeker"],
            verdict=SUPPORTED,
            rationale="Ja.",
            segments=[m["segment"]],
        )


def test_the_pages_forms_and_exports(m, client):
    users, d = m["users"], m["dossier"].pk
    client.force_login(users["onderzoeker"])
    page = client.get(reverse("coding:mirror", args=[d])).content.decode()
    assert m["measure"].name in page
    response = client.post(reverse("coding:mirror_start", args=[d, m["measure"].pk]))
    assert response.status_code == 302
    page = client.get(reverse("coding:mirror_measure", args=[d, m["measure"].pk])).content.decode()
    assert 'id="spiegel"' in page
    assert " style=" not in page
    row = MirrorRow.objects.filter(measure=m["measure"]).order_by("order")[1]
    url = reverse("coding:mirror_row", args=[d, row.pk])
    page = client.get(url).content.decode()
    assert 'id="eigen-oordeel"' in page
    assert str(m["segment"].pk) in page
    client.post(
        reverse("coding:mirror_assess", args=[d, row.pk]),
        {
            "eigen-verdict": "ondersteund",
            "eigen-rationale": "Ja.",
            "eigen-segments": [m["segment"].pk],
        },
    )
    assert row.assessments.get().verdict == "ondersteund"
    client.force_login(users["projectleider"])
    assert "Ja." not in client.get(url).content.decode()  # blind for the other assessor
    client.post(
        reverse("coding:mirror_assess", args=[d, row.pk]),
        {"eigen-verdict": "tegengesproken", "eigen-rationale": "Nee."},
    )
    page = client.get(url).content.decode()
    assert "Ja." in page
    assert 'id="consensus-vastleggen"' in page
    client.post(
        reverse("coding:mirror_consensus", args=[d, row.pk]),
        {
            "consensus-verdict": "deels",
            "consensus-rationale": "Deels.",
            "consensus-segments": [m["segment"].pk],
        },
    )
    row.refresh_from_db()
    assert row.verdict == "deels"
    client.force_login(users["reviewer"])
    client.post(reverse("coding:mirror_sign_off", args=[d, row.pk]))
    row.refresh_from_db()
    assert row.status == "afgetekend"
    before = AuditEvent.objects.filter(action="coding.exported").count()
    csv = client.get(reverse("coding:mirror_csv", args=[d]) + f"?maatregel={m['measure'].pk}")
    text = b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode("utf-8-sig")
    assert "deels ondersteund" in text
    assert "Deels." in text
    book = client.get(reverse("coding:mirror_xlsx", args=[d]))
    data = b"".join(book.streaming_content) if book.streaming else book.content
    sheets = openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert sheets[:2] == ["spiegel-per-maatregel", "spiegel"]
    assert AuditEvent.objects.filter(action="coding.exported").count() == before + 2


def test_the_command_writes_the_mirror(m, tmp_path):
    from kansenaudit.cli.main import cli

    _rows(m)
    out = tmp_path / "spiegel.xlsx"
    result = CliRunner().invoke(
        cli, ["fieldwork", "mirror", "--dossier", str(m["dossier"].pk), "--out", str(out), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["rows"] == 5
    assert out.stat().st_size > 0
    assert AuditEvent.objects.filter(action="coding.exported", summary__contains="spiegel").exists()
