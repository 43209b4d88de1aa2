"""The findings chain through its services: norms, evidence of every kind, review and sign-off,
reopening, the append-only history, cycles and the quality checks."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction

from kansenaudit.web.core.append_only import AppendOnlyError
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.models import SubQuestion
from kansenaudit.web.findings import selectors, services
from kansenaudit.web.findings.models import Finding, FindingEvent, Norm
from kansenaudit.web.findings.services import FindingsError
from tests.web.findings.builders import evidence_of_every_kind


@pytest.fixture
def t(team):
    users = team["users"]
    sq = SubQuestion.objects.get(dossier=team["dossier"], number=1)
    norm = services.norm_create(
        dossier=team["dossier"],
        code="N1",
        title="Het beleid is formeel vastgesteld",
        source_kind="raad",
        source="Raadsbesluit 2023",
        actor=users["onderzoeker"],
    )
    finding = services.finding_create(
        dossier=team["dossier"],
        sub_question=sq,
        code="B1",
        title="Vastgesteld beleid",
        text="Het college stelde het beleid vast.\n\nDe raad is geïnformeerd.",
        verdict="voldoet",
        norms=[norm],
        actor=users["onderzoeker"],
    )
    return {
        **team,
        "sq": sq,
        "norm": norm,
        "finding": finding,
        "oz": users["onderzoeker"],
        "rv": users["reviewer"],
        "pl": users["projectleider"],
        "ml": users["meelezer"],
    }


def _signed(t):
    f = services.review_request(finding=t["finding"], actor=t["oz"])
    return services.sign_off(finding=f, actor=t["rv"])


def test_norms_seeded_from_every_framework_with_source_and_version(t):
    created = services.norms_seed(dossier=t["dossier"], actor=t["oz"])
    keys = {n.framework_key for n in created}
    assert keys == set(services.FRAMEWORK_KEYS)
    c1 = Norm.objects.get(dossier=t["dossier"], code="analysemodel.C1")
    assert "versie 1" in c1.source
    assert "Onderzoeksopzet" in c1.source
    assert services.norms_seed(dossier=t["dossier"], actor=t["oz"]) == []  # idempotent


def test_norm_change_raises_the_version_only_on_a_real_change(t):
    n = t["norm"]
    same = services.norm_change(
        norm=n,
        title=n.title,
        criteria=n.criteria,
        source_kind=n.source_kind,
        source=n.source,
        actor=t["oz"],
    )
    assert same.version == 1
    changed = services.norm_change(
        norm=n, title="Nieuw", criteria="", source_kind="wet", source="Wet", actor=t["oz"]
    )
    assert changed.version == 2


def test_every_existing_kind_of_evidence_is_referenced_and_labelled(t):
    evidence = evidence_of_every_kind(t["dossier"])
    for kind, obj in evidence.items():
        ref = services.evidence_add(
            finding=t["finding"], kind=kind, object_id=obj.pk, actor=t["oz"]
        )
        assert ref.label
        assert len(ref.fingerprint) == 64
    states = selectors.finding_states(t["finding"])
    assert {s.ref.kind for s in states} == set(evidence)
    assert all(s.state == selectors.UNCHANGED for s in states)
    assert "4.25" in next(
        s.label for s in states if s.ref.kind == "statistiek"
    )  # English formatting (see _messages_in_english)


def test_evidence_of_another_dossier_or_unknown_is_refused(t):
    other = evidence_of_every_kind(t["other"], suffix=" B")
    for kind, obj in other.items():
        if kind == "statistiek":
            continue  # statistics are shared, checked by municipality below
        with pytest.raises(FindingsError, match="in this dossier"):
            services.evidence_add(finding=t["finding"], kind=kind, object_id=obj.pk, actor=t["oz"])
    # The other dossier is GM0599: its area's numbers are not Amsterdam's.
    with pytest.raises(FindingsError, match="in this dossier"):
        services.evidence_add(
            finding=t["finding"], kind="statistiek", object_id=other["statistiek"].pk, actor=t["oz"]
        )
    with pytest.raises(FindingsError, match="Unknown kind"):
        services.evidence_add(finding=t["finding"], kind="<script>", object_id=1, actor=t["oz"])
    with pytest.raises(FindingsError):
        services.evidence_add(
            finding=t["finding"], kind="citaat", object_id="1 OR 1=1", actor=t["oz"]
        )
    assert not t["finding"].refs.exists()


def test_preparer_cannot_sign_off_and_reader_cannot_write(t):
    services.review_request(finding=t["finding"], actor=t["oz"])
    with pytest.raises(FindingsError):
        services.sign_off(finding=t["finding"], actor=t["oz"])  # no SIGN_OFF
    # The project leader may sign off, but not after changing the finding themselves.
    services.evidence_add(
        finding=t["finding"],
        kind="citaat",
        object_id=evidence_of_every_kind(t["dossier"])["citaat"].pk,
        actor=t["pl"],
    )
    with pytest.raises(FindingsError, match="another reviewer"):
        services.sign_off(finding=t["finding"], actor=t["pl"])
    with pytest.raises(FindingsError):
        services.finding_create(
            dossier=t["dossier"],
            sub_question=t["sq"],
            code="B9",
            title="x",
            text="y",
            actor=t["ml"],
        )
    with pytest.raises(FindingsError):
        services.finding_create(
            dossier=t["dossier"],
            sub_question=t["sq"],
            code="B9",
            title="x",
            text="y",
            actor=t["outsider"],
        )


def test_open_review_note_blocks_sign_off_until_resolved(t):
    services.review_request(finding=t["finding"], actor=t["oz"])
    note = services.note_add(finding=t["finding"], text="Bron bij alinea 2?", actor=t["rv"])
    reply = services.note_add(finding=t["finding"], text="Toegevoegd.", actor=t["oz"], parent=note)
    again = services.note_add(finding=t["finding"], text="Dank.", actor=t["rv"], parent=reply)
    assert reply.parent_id == note.pk  # one thread
    assert again.parent_id == note.pk
    with pytest.raises(FindingsError, match="open review notes"):
        services.sign_off(finding=t["finding"], actor=t["rv"])
    services.note_resolve(note=note, actor=t["rv"])
    f = services.sign_off(finding=t["finding"], actor=t["rv"])
    assert f.status == Finding.Status.SIGNED_OFF
    assert f.signed_off_by == t["rv"]


def test_change_after_sign_off_reopens_and_keeps_what_was_signed(t):
    f = _signed(t)
    f = services.finding_change(
        finding=f,
        title=f.title,
        text=f.text,
        verdict=f.verdict,
        norms=[t["norm"]],
        sub_question=t["sq"],
        actor=t["oz"],
    )
    assert f.status == Finding.Status.SIGNED_OFF  # an unchanged save changes nothing
    f = services.finding_change(
        finding=f,
        title=f.title,
        text="Nieuwe tekst.",
        verdict="deels",
        norms=[t["norm"]],
        sub_question=t["sq"],
        actor=t["oz"],
    )
    f.refresh_from_db()
    assert f.status == Finding.Status.REOPENED
    assert f.signed_off_at is None
    reopened = FindingEvent.objects.filter(finding=f, action="heropend").get()
    assert reopened.before["text"].startswith("Het college")
    assert reopened.after["text"] == "Nieuwe tekst."
    # Attaching evidence to a signed-off finding reopens it too.
    services.review_request(finding=f, actor=t["oz"])
    f = services.sign_off(finding=f, actor=t["rv"])
    services.evidence_add(
        finding=f,
        kind="citaat",
        object_id=evidence_of_every_kind(t["dossier"])["citaat"].pk,
        actor=t["oz"],
    )
    f.refresh_from_db()
    assert f.status == Finding.Status.REOPENED


def test_evidence_changed_after_sign_off_is_found(t):
    ev = evidence_of_every_kind(t["dossier"])
    for kind in ("oordeel", "statistiek", "monitoring"):
        services.evidence_add(finding=t["finding"], kind=kind, object_id=ev[kind].pk, actor=t["oz"])
    _signed(t)
    assert selectors.checks(t["dossier"]).changed_after_sign_off == []
    ev["statistiek"].value = 5.0  # a re-ingest changed the number
    ev["statistiek"].save()
    found = selectors.checks(t["dossier"]).changed_after_sign_off
    assert [(f.code, [s.ref.kind for s in refs]) for f, refs in found] == [("B1", ["statistiek"])]
    ev["monitoring"].delete()
    missing = selectors.checks(t["dossier"]).missing_evidence
    assert [s.ref.kind for _f, refs in missing for s in refs] == ["monitoring"]


def test_history_is_append_only_in_the_orm_and_the_database(t):
    event = FindingEvent.objects.filter(finding=t["finding"]).first()
    event.summary = "anders"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        FindingEvent.objects.all().delete()
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE findings_findingevent SET summary = 'x'")
    with (
        pytest.raises(Exception, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM findings_findingevent")


def test_cycle_in_the_chain_is_refused(t):
    a = services.conclusion_create(
        dossier=t["dossier"],
        code="C1",
        text="a",
        sub_question=t["sq"],
        findings=[t["finding"]],
        actor=t["oz"],
    )
    b = services.conclusion_create(
        dossier=t["dossier"], code="C2", text="b", builds_on=[a], actor=t["oz"]
    )
    c = services.conclusion_create(
        dossier=t["dossier"], code="C3", text="c", builds_on=[b], actor=t["oz"]
    )
    with pytest.raises(FindingsError, match="circular"):
        services.conclusion_link(conclusion=a, builds_on=[c], actor=t["oz"])
    with pytest.raises(FindingsError, match="circular"):
        services.conclusion_link(conclusion=a, builds_on=[a], actor=t["oz"])
    assert not a.builds_on.exists()
    # A cycle stored behind the services' back is found by the checks.
    a.builds_on.through.objects.create(from_conclusion=a, to_conclusion=c)
    assert set(selectors.checks(t["dossier"]).cycle) == {"C1", "C2", "C3"}


def test_recommendation_smart_check_and_conclusions_of_the_dossier(t):
    a = services.conclusion_create(
        dossier=t["dossier"], code="C1", text="a", findings=[t["finding"]], actor=t["oz"]
    )
    rec = services.recommendation_create(
        dossier=t["dossier"],
        code="A1",
        text="Stel doelen.",
        addressee="college",
        conclusions=[a],
        smart={"S": "2", "M": "1", "T": ""},
        actor=t["oz"],
    )
    assert rec.smart == {"S": 2, "M": 1}
    with pytest.raises(FindingsError, match="SMART"):
        services.recommendation_create(
            dossier=t["dossier"],
            code="A2",
            text="x",
            addressee="raad",
            conclusions=[a],
            smart={"Q": 1},
            actor=t["oz"],
        )
    other = services.conclusion_create(dossier=t["other"], code="C1", text="b", actor=t["outsider"])
    with pytest.raises(FindingsError, match="another dossier"):
        services.recommendation_create(
            dossier=t["dossier"],
            code="A3",
            text="x",
            addressee="raad",
            conclusions=[other],
            actor=t["oz"],
        )


def test_quality_checks_find_what_they_should(t):
    SubQuestion.objects.create(dossier=t["dossier"], number=2, question="Werkt het?")
    services.norm_create(
        dossier=t["dossier"],
        code="N2",
        title="Ongebruikt",
        source_kind="praktijk",
        source="Goede praktijk",
        actor=t["oz"],
    )
    services.conclusion_create(dossier=t["dossier"], code="C9", text="los", actor=t["oz"])
    found = selectors.checks(t["dossier"]).as_dict()
    assert found["bevinding_zonder_bewijs"] == ["B1"]
    assert found["norm_zonder_bevindingen"] == ["N2"]
    assert found["deelvraag_zonder_bevindingen"] == ["2"]
    assert found["conclusie_zonder_bevindingen"] == ["C9"]
    assert found["cirkel_in_keten"] == []


def test_hostile_text_is_cleaned_and_limited(t):
    with pytest.raises(FindingsError, match="longer"):
        services.finding_create(
            dossier=t["dossier"],
            sub_question=t["sq"],
            code="B2",
            title="x" * 301,
            text="y",
            actor=t["oz"],
        )
    f = services.finding_create(
        dossier=t["dossier"],
        sub_question=t["sq"],
        code="B2",
        title="Titel\x00\x07",
        text="<script>alert(1)</script>",
        actor=t["oz"],
    )
    assert f.title == "Titel"
    with pytest.raises(FindingsError, match="no spaces"):
        services.finding_create(
            dossier=t["dossier"],
            sub_question=t["sq"],
            code="B 3",
            title="x",
            text="y",
            actor=t["oz"],
        )
    with pytest.raises((FindingsError, IntegrityError)):
        services.finding_create(
            dossier=t["dossier"],
            sub_question=t["sq"],
            code="B2",
            title="x",
            text="y",
            actor=t["oz"],
        )


@pytest.fixture(autouse=True)
def _messages_in_english():
    """The refusals are matched by their English msgid (the Dutch catalogue is tested apart)."""
    from django.utils import translation

    with translation.override("en"):
        yield


def test_every_write_is_in_the_audit_log(t):
    actions = set(AuditEvent.objects.filter(dossier=t["dossier"]).values_list("action", flat=True))
    assert {"findings.norm_create", "findings.finding_create"} <= actions
