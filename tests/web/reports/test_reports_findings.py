"""The findings chain in a report: findings per sub-question, conclusions, recommendations and
the normenkader; an unsigned finding is shown in a draft and blocks freezing."""

import pytest

from kansenaudit.web.findings import services as findings
from kansenaudit.web.reports import services
from tests.web.reports.test_reports_services import _citation


@pytest.fixture
def chain(team):
    dossier, users = team["dossier"], team["users"]
    sub = dossier.sub_questions.order_by("number").first()
    norm = findings.norm_create(
        dossier=dossier,
        code="N1",
        title="Doelen zijn meetbaar",
        source_kind="praktijk",
        source="goed gebruik",
        actor=users["projectleider"],
    )
    finding = findings.finding_create(
        dossier=dossier,
        sub_question=sub,
        code="B1",
        title="De doelen zijn niet meetbaar",
        text="Geen enkel doel heeft een streefwaarde.",
        verdict="voldoet_niet",
        norms=[norm],
        actor=users["onderzoeker"],
    )
    findings.evidence_add(
        finding=finding, kind="citaat", object_id=_citation(dossier).pk, actor=users["onderzoeker"]
    )
    conclusion = findings.conclusion_create(
        dossier=dossier,
        code="C1",
        text="Het college stuurt niet op resultaat.",
        sub_question=sub,
        findings=[finding],
        actor=users["onderzoeker"],
    )
    findings.recommendation_create(
        dossier=dossier,
        code="A1",
        text="Maak de doelen meetbaar.",
        addressee="college",
        conclusions=[conclusion],
        actor=users["onderzoeker"],
    )
    return sub, finding, users


def _report_with(team, text):
    report = services.report_create(
        dossier=team["dossier"], kind="nota_van_bevindingen", title="Nota", actor=None
    )
    chapter = report.chapters.get(key="inleiding")
    services.chapter_update(chapter=chapter, title="Inleiding", text=text, actor=None)
    return report


def test_unsigned_findings_show_in_a_draft_and_block_freezing(team, chain):
    sub, finding, users = chain
    report = _report_with(team, "{{findings:" + str(sub.number) + "}}\n\n{{table:norms}}\n")
    draft = services.version_save(report=report, purpose="draft", actor=None)
    assert [(p["reason"], p["detail"]) for p in draft.problems] == [("not_signed_off", "B1")]
    html = services.version_build(version=draft, formats=("html",), actor=None).files["html"]
    text = html.decode()
    assert "B1 De doelen zijn niet meetbaar (nog niet afgetekend)" in text
    assert "Geen enkel doel heeft een streefwaarde." in text
    assert "Doelen zijn meetbaar" in text  # the norms table
    with pytest.raises(services.ReportError, match="kan niet worden bevroren"):
        services.version_save(report=report, purpose="wederhoor", actor=None)

    findings.review_request(finding=finding, actor=users["onderzoeker"])
    findings.sign_off(finding=finding, actor=users["reviewer"])
    frozen = services.version_save(report=report, purpose="wederhoor", actor=None)
    text = (
        services.version_build(version=frozen, formats=("html",), actor=None).files["html"].decode()
    )
    assert "(nog niet afgetekend)" not in text
    assert "Oordeel: " in text


def test_conclusions_and_recommendations_as_lists(team, chain):
    report = _report_with(team, "{{conclusions:all}}\n\n{{recommendations:college}}\n")
    version = services.version_save(report=report, purpose="draft", actor=None)
    assert version.problems == []
    text = (
        services.version_build(version=version, formats=("html",), actor=None)
        .files["html"]
        .decode()
    )
    assert "C1. </strong>Het college stuurt niet op resultaat." in text
    assert "A1 (het college). </strong>Maak de doelen meetbaar." in text
