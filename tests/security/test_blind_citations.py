"""A citation an assessor makes for their blind assessment stays theirs until the judgement is
no longer blind (issue #11, §5).

Assessor A cites a passage in the viewer *for* their assessment (with a note) and attaches it.
Then, as assessor B and as another team member, every GET page of the dossier — discovered
from the URL configuration, so a new page is probed too — its exports and JSON, the viewer and
its data endpoints, the audit log and its CSV, and the CLI must show neither the quote, nor the
note, nor the citation's id. Once B has assessed, the citation is an ordinary one again.
"""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile

import pytest
from click.testing import CliRunner
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from kansenaudit.cli.main import cli
from kansenaudit.ingest.extract import extract
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.council.models import InformationItem
from kansenaudit.web.dossiers.models import Membership
from kansenaudit.web.evidence import services as evidence
from kansenaudit.web.evidence.models import Citation
from kansenaudit.web.judgements import services as judgements
from kansenaudit.web.network.exports import FORMATS as MAP_FORMATS
from kansenaudit.web.policy import exports as policy_exports
from kansenaudit.web.policy.models import Actor, Goal, Indicator, Measure
from kansenaudit.web.reports.services import FORMATS as REPORT_FORMATS
from tests.helpers import (
    matrix_coding,
    matrix_fieldwork,
    matrix_findings,
    matrix_network,
    matrix_reports,
)

QUOTE = "Het zwembad Noordoever sluit in 2027 zonder overleg met de wijkraad"
NOTE = "Notitie-van-beoordelaar-een-ZX81"
# The held citation gets this id, so that finding it in a page is not a coincidence.
CITATION_ID = 9_876_543
TEXT = f"De gemeente investeert in sport voor ieder kind.\n{QUOTE}.\nDe raad is geinformeerd.\n"

# URL keyword arguments the probe does not fill in: the pages behind them show no citations
# (uitvraag requests and their files and links) or are POST-only actions on other objects.
# A new page with any other argument makes the probe fail until it is given a value below.
NOT_PROBED = {"step_id", "link_id", "value_id", "request_id", "token_id", "file_id", "token"}
# Where a page wants fewer values than the world has: a report's files are built from its
# draft (the publication has the same chapters), its publication site from the publication.
ROUTE_VALUES = {
    "reports:version_download": {"number": [1]},
    "reports:build_download": {"number": [2]},
}
# Pages that show the page text itself, where the quote is ordinary text: there the cited
# passage must not be marked, and the page must be the same as before A cited.
PAGE_TEXT_PAGES = {"evidence:document", "coding:page"}


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("KANSENAUDIT_FIELDWORK_KEY", matrix_fieldwork.TEST_KEY)


def _analysis_world(team) -> dict:
    """One object of every kind the coding, fieldwork, findings, network and reports pages
    name in their URLs, made by the permission matrix's builders (each stores its objects in
    ``team``): a code, coded and double-coded transcripts, a session, a participant, a finding
    with a cited passage, a conclusion, a recommendation, a frozen wederhoor version with a
    link and a comment, a network map with cited ties, and a report with a draft (version 1)
    and a publication (version 2) with a built publication site, a mirror row and a norm."""
    coding = matrix_coding._world(team)
    matrix_fieldwork._fieldwork(team)
    findings = matrix_findings._w(team)
    network = matrix_network._world(team)
    report = matrix_reports._report(team)
    network_map = network["map"]
    return {
        "code_id": [coding["code"].pk],
        "transcript_id": [coding["transcript"].pk, team["fw_transcript"].pk],
        "segment_id": [coding["segment"].pk],
        "sample_id": [coding["sample"].pk],
        "session_id": [team["fw_session"].pk],
        "participant_id": [team["fw_participant"].pk],
        "measure_id": [team["fw_measure"].pk, network["measure"].pk],
        "finding_id": [findings["finding"].pk],
        "ref_id": [findings["ref"].pk],
        "note_id": [findings["note"].pk],
        "conclusion_id": [findings["conclusion"].pk],
        "rec_id": [findings["rec"].pk],
        "version_id": [findings["version"].pk],
        "comment_id": [findings["comment"].pk],
        "map_id": [network_map.pk],
        "fmt": list(MAP_FORMATS),
        "member_id": [network_map.members.first().pk],
        "tie_id": [network_map.ties.first().pk],
        "report_id": [report.pk],
        "chapter_id": [report.chapters.first().pk],
        "file_format": list(REPORT_FORMATS),
        "row_id": [coding["row"].pk],
        "norm_id": [findings["norm"].pk],
        # A finished build of the publication site (the tests' task backend runs it at once).
        "job_id": [matrix_reports._with_build(team)[-1]],
    }


@pytest.fixture
def world(team):
    """The dossier with one document, one object of every register and a two-assessor
    judgement: onderzoeker (A) and projectleider (B) are its assessors."""
    dossier, users = team["dossier"], team["users"]
    data = TEXT.encode()
    document, _ = evidence.document_store(
        dossier=dossier,
        extracted=extract(data, "sportnota.txt", ocr=False),
        data=data,
        actor=None,
    )
    directie = Actor.objects.create(dossier=dossier, name="Directie Sport", kind="directie")
    measure = Measure.objects.create(dossier=dossier, name="Zwemles", owner=directie)
    goal = Goal.objects.create(dossier=dossier, title="Iedereen kan zwemmen", level="directie")
    indicator = Indicator.objects.create(dossier=dossier, name="Zwemdiploma's")
    item = InformationItem.objects.create(
        dossier=dossier,
        document=document,
        title="Sportbrief",
        date="2025-03-01",
        reports_on="outputs",
    )
    term = evidence.term_add(dossier=dossier, term="sport", actor=None)
    (judgement,), _ = judgements.judgements_start(
        dossier=dossier,
        framework_key="effectladder",
        subject=measure,
        criteria=None,
        mode="dubbel",
        actor=users["projectleider"],
        assessors=[users["onderzoeker"], users["projectleider"]],
    )
    kwargs = {
        "dossier_id": [dossier.pk],
        "document_id": [document.pk],
        # A page of a document and a sub-question; a report's draft (1) and publication (2).
        "number": [1, 2],
        "judgement_id": [judgement.pk],
        "key": ["effectladder"],
        "term_id": [term.pk],
        "actor_id": [directie.pk],
        "measure_id": [measure.pk],
        "goal_id": [goal.pk],
        "indicator_id": [indicator.pk],
        "item_id": [item.pk],
        "register": [*policy_exports.REGISTERS, policy_exports.GAPS],
        "membership_id": [Membership.objects.get(dossier=dossier, user=users["meelezer"]).pk],
        "milestone_id": [team["milestone"].pk],
    }
    return {**team, "document": document, "judgement": judgement, "kwargs": kwargs}


def _next_citation_id(value: int) -> None:
    """Make the next citation's id ``value`` (on both databases)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('evidence_citation', 'id'), %s)", [value - 1]
            )
            return
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = %s WHERE name = 'evidence_citation'", [value - 1]
        )
        if cursor.rowcount == 0:
            cursor.execute(
                "INSERT INTO sqlite_sequence (name, seq) VALUES ('evidence_citation', %s)",
                [value - 1],
            )


def _routes(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern


def probe_urls(kwargs: dict) -> list[tuple[str, str]]:
    """Every GET URL of the site outside the admin, filled in with the world's objects, plus
    the viewer's and the lists' query variants that name a citation."""
    urls, missing = [], set()
    for name, pattern in _routes(get_resolver().url_patterns):
        if name.startswith("admin:"):
            continue
        wanted = list(pattern.pattern.converters)
        if set(wanted) & NOT_PROBED:
            continue
        if unknown := set(wanted) - set(kwargs):
            missing |= {f"{name} ({', '.join(sorted(unknown))})"}
            continue
        given = {**kwargs, **ROUTE_VALUES.get(name, {})}
        for values in itertools.product(*(given[w] for w in wanted)):
            urls.append((name, reverse(name, kwargs=dict(zip(wanted, values, strict=True)))))
    assert not missing, f"give the probe a value for these URL arguments: {sorted(missing)}"
    dossier, document = kwargs["dossier_id"][0], kwargs["document_id"][0]
    viewer = reverse("evidence:document", args=[dossier, document])
    urls += [
        ("evidence:document", f"{viewer}?citaat={CITATION_ID}"),
        ("evidence:document", f"{viewer}?pagina=1&citaat={CITATION_ID}"),
        ("evidence:documents", reverse("evidence:documents", args=[dossier]) + "?q=zwembad"),
        ("evidence:terms", reverse("evidence:terms", args=[dossier]) + "?term=sport"),
        ("dossiers:audit_log", reverse("dossiers:audit_log", args=[dossier]) + "?q=Citaat"),
    ]
    return urls


def _file_text(body: bytes, kind: str) -> str:
    """What a file shows: the cells of a workbook, the text of a PDF, every file inside a ZIP
    (a Word document, a REFI-QDA project, a publication site), or its text."""
    if "spreadsheetml" in kind:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
        )
    if kind.startswith("image/"):
        return ""
    if kind.startswith("application/pdf"):
        return "\n".join(page.text for page in extract(body, "bestand.pdf", ocr=False).pages)
    if body.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return "\n".join(
                _file_text(archive.read(name), "application/pdf" if name.endswith(".pdf") else "")
                for name in archive.namelist()
            )
    return body.decode("utf-8", errors="replace")


def _text(response) -> str:
    """What a response shows (its text, or what its file shows) and where it redirects."""
    kind = response.get("Content-Type", "")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return _file_text(body, kind) + "\n" + response.get("Location", "")


def _normalised(html: str) -> str:
    """A page without what differs on every request (the masked CSRF token)."""
    return re.sub(r'(csrfmiddlewaretoken" value=|csrf-token" content=)"[^"]*"', r"\1", html)


def cite_for_assessment(client, world) -> Citation:
    """As A: cite the passage in the viewer for the blind assessment, then submit it with it."""
    a = world["users"]["onderzoeker"]
    dossier, document, judgement = world["dossier"], world["document"], world["judgement"]
    client.force_login(a)
    response = client.post(
        reverse("evidence:cite", args=[dossier.pk, document.pk]),
        {"pagina": 1, "citaat": QUOTE, "notitie": NOTE, "oordeel": judgement.pk},
    )
    assert response.status_code == 302
    citation = Citation.objects.get(quote=QUOTE)
    assert citation.pk == CITATION_ID
    assert citation.note == NOTE
    response = client.post(
        reverse("judgements:assess", args=[dossier.pk, judgement.pk]),
        {"eigen-score": "2", "eigen-motivering": "Zie het citaat.", "eigen-citaten": [CITATION_ID]},
    )
    assert response.status_code == 302
    assert citation.policy_links.filter(object_id=judgement.assessments.get().pk).exists()
    return citation


def _cli(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _leaks(text: str, *, page_text: bool) -> list[str]:
    found = [
        label for label, secret in (("note", NOTE), ("id", str(CITATION_ID))) if secret in text
    ]
    if not page_text and QUOTE in text:
        found.append("quote")
    if page_text and re.search(r"<mark[^>]*>[^<]*zwembad Noordoever", text):
        found.append("marked passage")
    return found


def test_a_citation_for_a_blind_assessment_is_hidden_everywhere_until_all_are_in(
    client, world, tmp_path
):
    users, dossier, document = world["users"], world["dossier"], world["document"]
    kwargs = world["kwargs"]
    analysis = _analysis_world(world)
    kwargs["measure_id"] += analysis.pop("measure_id")
    # The public wederhoor page: its link is its key (the "token" argument is not probed).
    public = reverse("findings:public", args=[world["findings"]["raw"]])
    urls = [*probe_urls({**kwargs, **analysis}), ("findings:public", public)]
    assert len(urls) > 60  # the discovery found the site's pages, not a handful
    viewer = reverse("evidence:document", args=[dossier.pk, document.pk])
    # Pages that must not change at all for the others (counts, marks, empty lists).
    unchanged = [
        viewer,
        reverse("evidence:documents", args=[dossier.pk]),
        reverse("evidence:citations", args=[dossier.pk]),
        reverse("evidence:citations_csv", args=[dossier.pk]),
        reverse("coding:page", args=[dossier.pk, document.pk, 1]),
    ]
    # Assessor B and the other members (the reviewer reads the audit log, the meelezer not).
    others = [users["projectleider"], users["reviewer"], users["meelezer"]]
    before = {}
    for user in others:
        client.force_login(user)
        before[user.pk] = [_normalised(_text(client.get(url))) for url in unchanged]

    _next_citation_id(CITATION_ID)
    cite_for_assessment(client, world)
    # A sees their own citation, marked in the viewer and in their citation list.
    assert NOTE in client.get(viewer).content.decode()
    assert NOTE in client.get(reverse("evidence:citations", args=[dossier.pk])).content.decode()

    leaks = []
    for user in others:
        client.force_login(user)
        for name, url in urls:
            # A page may repeat its own address (the language switch): not a leak.
            text = _text(client.get(url)).replace(f"citaat={CITATION_ID}", "")
            page_text = name in PAGE_TEXT_PAGES
            leaks += [f"{user} {url}: {what}" for what in _leaks(text, page_text=page_text)]
        after = [_normalised(_text(client.get(url))) for url in unchanged]
        leaks += [
            f"{user} {url}: the page changed after A cited"
            for url, old, new in zip(unchanged, before[user.pk], after, strict=True)
            if old != new
        ]
    export = tmp_path / "oordelen.csv"
    outputs = [
        _cli("evidence", "page", "--dossier", dossier.pk, "--document", document.pk),
        _cli("evidence", "page", "--dossier", dossier.pk, "--document", document.pk, "--json"),
        _cli("judgements", "export", "--dossier", dossier.pk, "--out", export),
    ]
    outputs += [p.read_text(encoding="utf-8-sig") for p in tmp_path.glob("oordelen*.csv")]
    for output in outputs:
        leaks += [f"CLI: {what}" for what in _leaks(output, page_text=True)]
        if "«" in output:
            leaks.append("CLI: marked passage")
    assert not leaks, "\n".join(leaks)
    # The audit entry of the citation names the judgement only (as for the assessment).
    entry = AuditEvent.objects.filter(action="evidence.citation_add").latest("pk")
    assert entry.object_type == "judgements.Judgement"
    assert entry.after == {"held_for": world["judgement"].pk, "hidden_until_all_in": True}
    assert "p. 1" not in entry.summary

    # B assesses: the judgement is no longer blind, and the citation is an ordinary one.
    judgements.assessment_submit(
        judgement=world["judgement"], actor=users["projectleider"], score=3, rationale="Eigen."
    )
    for user in others:
        client.force_login(user)
        listing = client.get(reverse("evidence:citations", args=[dossier.pk])).content.decode()
        assert NOTE in listing
        assert QUOTE in listing
        page = client.get(viewer).content.decode()
        assert f'id="citaat-{CITATION_ID}"' in page
        assert NOTE in page
        log = client.get(reverse("dossiers:audit_log_csv", args=[dossier.pk]))
        assert log.status_code == 403 or QUOTE in _text(log)  # the log says what was cited
    shown = json.loads(
        _cli("evidence", "page", "--dossier", dossier.pk, "--document", document.pk, "--json")
    )
    assert [c["id"] for c in shown["citations"]] == [CITATION_ID]


def test_a_held_citation_cannot_be_shared_before_the_judgement_is_no_longer_blind(client, world):
    """Attaching A's held citation to the policy register (or the same passage's definition)
    would show it to everyone: refused, and the register's chooser does not offer it."""
    _next_citation_id(CITATION_ID)
    citation = cite_for_assessment(client, world)
    dossier = world["dossier"]
    measure = Measure.objects.get(dossier=dossier)
    page = client.get(reverse("policy:measure_detail", args=[dossier.pk, measure.pk]))
    assert str(CITATION_ID) not in page.content.decode()
    response = client.post(
        reverse("policy:evidence_add", args=[dossier.pk]),
        {"onderwerp": f"policy.measure:{measure.pk}", "citaat": citation.pk},
    )
    assert response.status_code in (302, 404)
    assert not citation.policy_links.exclude(content_type__app_label="judgements").exists()
    from kansenaudit.web.policy.services import PolicyError, evidence_link_add

    with pytest.raises(PolicyError):
        evidence_link_add(
            dossier=dossier, subject=measure, citation=citation, actor=world["users"]["onderzoeker"]
        )


def test_a_held_citation_for_another_judgement_is_refused_in_the_interface_language(client, world):
    """A cannot put the citation held for one judgement in their assessment of another (it
    would show there before the first is no longer blind); the refusal is translated."""
    from django.utils import translation

    _next_citation_id(CITATION_ID)
    citation = cite_for_assessment(client, world)
    users, dossier = world["users"], world["dossier"]
    (other,), _ = judgements.judgements_start(
        dossier=dossier,
        framework_key="effectladder",
        subject=Measure.objects.create(dossier=dossier, name="Zwembad open"),
        criteria=None,
        mode="dubbel",
        actor=users["projectleider"],
        assessors=[users["onderzoeker"], users["projectleider"]],
    )
    with (
        translation.override("en"),
        pytest.raises(judgements.JudgementError, match="still blind; add it to that assessment"),
    ):
        judgements.assessment_submit(
            judgement=other,
            actor=users["onderzoeker"],
            score=3,
            rationale="Zie het citaat.",
            citations=[citation],
        )
    assert not other.assessments.exists()
