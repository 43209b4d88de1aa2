"""Services log last: no row is written after the audit chain's lock is taken (issue #11,
review).

On PostgreSQL the first audit event of a transaction takes the chain lock until the commit. A
service that logged first and then wrote held that lock while waiting for its rows; another
that had written those rows first and then logged waited for the lock: a deadlock. The order
is checked here on the SQL each service sends, on both engines: after the statement that reads
the chain's head (the first thing an append does, under the lock), only audit events may be
written. The deadlock itself needs two racing transactions and is not reproduced.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connection

from kansenaudit.web.core.models import AuditEvent

CHAIN_HEAD = re.compile(r"FROM\s+\"?core_auditevent\"?\s+ORDER BY id DESC", re.IGNORECASE)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@contextmanager
def _writes_after_the_chain_lock() -> Iterator[list[str]]:
    """Collects every write to a table other than the audit log after the first append."""
    state = {"locked": False}
    late: list[str] = []

    def watch(execute, sql, params, many, context):
        if CHAIN_HEAD.search(sql):
            state["locked"] = True
        elif state["locked"] and WRITE.match(sql) and "core_auditevent" not in sql:
            late.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(watch):
        yield late


def _logged(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).latest("id")


def test_term_remove_logs_after_the_delete(team):
    from kansenaudit.web.evidence.models import Term
    from kansenaudit.web.evidence.services import term_remove

    term = Term.objects.filter(dossier=team["dossier"]).first()
    pk = term.pk
    with _writes_after_the_chain_lock() as late:
        term_remove(term=term, actor=team["users"]["projectleider"])
    assert late == []
    event = _logged("evidence.term_remove")
    assert (event.object_type, event.object_id) == ("evidence.Term", str(pk))
    assert event.before == {"term": term.term}


def test_membership_remove_logs_after_the_delete(team):
    from kansenaudit.web.dossiers.models import Membership
    from kansenaudit.web.dossiers.services import membership_remove

    membership = Membership.objects.get(dossier=team["dossier"], user=team["users"]["meelezer"])
    pk = membership.pk
    with _writes_after_the_chain_lock() as late:
        membership_remove(membership=membership, actor=team["users"]["projectleider"])
    assert late == []
    assert _logged("membership.remove").object_id == str(pk)


def test_a_policy_delete_logs_after_the_delete(team):
    from kansenaudit.web.policy import services

    item = services.actor_create(
        dossier=team["dossier"], name="Partner X", kind="partner", actor=None
    )
    pk = item.pk
    with _writes_after_the_chain_lock() as late:
        services.actor_delete(item=item, actor=None)
    assert late == []
    event = _logged("policy.actor_delete")
    assert (event.object_type, event.object_id) == ("policy.Actor", str(pk))


def test_evidence_link_remove_logs_after_the_delete(team):
    from kansenaudit.web.policy import services
    from tests.helpers.policy_fixtures import make_citation

    dossier = team["dossier"]
    goal = services.goal_create(dossier=dossier, title="Doel", level="coalitieakkoord", actor=None)
    link = services.evidence_link_add(
        dossier=dossier, subject=goal, citation=make_citation(dossier), actor=None
    )
    pk = link.pk
    with _writes_after_the_chain_lock() as late:
        services.evidence_link_remove(link=link, actor=None)
    assert late == []
    assert _logged("policy.evidence_remove").object_id == str(pk)


def test_uitvraag_request_create_logs_after_its_writes(team):
    from kansenaudit.web.uitvraag import services

    with _writes_after_the_chain_lock() as late:
        services.request_create(dossier=team["dossier"], directie_name="Jeugd", actor=None)
    assert late == []
    actions = list(
        AuditEvent.objects.filter(dossier=team["dossier"])
        .order_by("-id")[:2]
        .values_list("action", flat=True)
    )
    assert actions == ["uitvraag.create", "policy.actor_create"]


# --- the judgement services: history rows and the judgement first, the audit entries last ----


@pytest.fixture
def judging(team, tmp_path, monkeypatch):
    """The subjects to judge, with the frameworks already copied into the dossier (a copy logs
    in its own transaction before the service's)."""
    from kansenaudit.web.judgements.services import framework_ensure
    from tests.helpers.judgements_support import subjects

    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))
    for key in ("effectladder", "analysemodel"):
        framework_ensure(dossier=team["dossier"], key=key)
    return subjects(team["dossier"])


def _start(team, subjects, key="effectladder", criteria=None):
    from kansenaudit.web.judgements.services import judgements_start

    created, _ = judgements_start(
        dossier=team["dossier"],
        framework_key=key,
        subject=subjects["measure" if key == "effectladder" else "directie"],
        criteria=criteria,
        mode="dubbel",
        actor=team["users"]["projectleider"],
    )
    return created


def _signed(team, subjects, citations=()):
    """A judgement with both assessments, a consensus (with ``citations``) and a sign-off."""
    from kansenaudit.web.judgements import services

    (judgement,) = _start(team, subjects)
    for role, score in (("projectleider", 3), ("onderzoeker", 2)):
        services.assessment_submit(
            judgement=_fresh(judgement), actor=team["users"][role], score=score, rationale="x"
        )
    services.consensus_record(
        judgement=_fresh(judgement),
        actor=team["users"]["onderzoeker"],
        score=2,
        rationale="y",
        citations=citations,
    )
    services.sign_off(judgement=_fresh(judgement), actor=team["users"]["reviewer"])
    return _fresh(judgement)


def _fresh(judgement):
    return type(judgement).objects.get(pk=judgement.pk)


def _last_actions(team, n: int) -> list[str]:
    events = AuditEvent.objects.filter(dossier=team["dossier"]).order_by("-id")[:n]
    return list(reversed(events.values_list("action", flat=True)))


def test_judgements_start_logs_after_every_judgement(team, judging):
    with _writes_after_the_chain_lock() as late:
        created = _start(team, judging, key="analysemodel", criteria=["C1", "C2"])
    assert len(created) == 2
    assert late == []
    assert _last_actions(team, 2) == ["judgements.start", "judgements.start"]


@pytest.mark.parametrize(
    ("service", "logged"),
    [
        ("assessment_change", "judgements.assessment_change"),
        ("consensus_record", "judgements.consensus"),
    ],
)
def test_a_change_after_sign_off_logs_the_reopening_last(team, judging, service, logged):
    from kansenaudit.web.judgements import services

    judgement = _signed(team, judging)
    with _writes_after_the_chain_lock() as late:
        getattr(services, service)(
            judgement=judgement, actor=team["users"]["projectleider"], score=5, rationale="z"
        )
    assert late == []
    assert _last_actions(team, 2) == ["judgements.reopen", logged]


def test_evidence_removed_after_sign_off_logs_the_reopening_last(team, judging):
    from kansenaudit.web.judgements import services
    from kansenaudit.web.policy.models import EvidenceLink
    from tests.helpers.judgements_support import citation

    judgement = _signed(team, judging, citations=[citation(team["dossier"])])
    link = EvidenceLink.objects.get(object_id=judgement.pk)
    with _writes_after_the_chain_lock() as late:
        services.evidence_remove(
            judgement=_fresh(judgement), link=link, actor=team["users"]["projectleider"]
        )
    assert late == []
    assert _last_actions(team, 2) == ["judgements.reopen", "judgements.evidence_remove"]


def test_sign_off_and_assignment_log_last(team, judging):
    from kansenaudit.web.judgements import services

    (judgement,) = _start(team, judging)
    with _writes_after_the_chain_lock() as late:
        services.assessors_assign(
            judgement=judgement,
            assessors=[team["users"]["projectleider"], team["users"]["onderzoeker"]],
            actor=team["users"]["projectleider"],
        )
    assert late == []
    for role, score in (("projectleider", 3), ("onderzoeker", 2)):
        with _writes_after_the_chain_lock() as late:
            services.assessment_submit(
                judgement=_fresh(judgement), actor=team["users"][role], score=score, rationale="x"
            )
        assert late == []
    services.consensus_record(
        judgement=_fresh(judgement), actor=team["users"]["onderzoeker"], score=2, rationale="y"
    )
    with _writes_after_the_chain_lock() as late:
        services.sign_off(judgement=_fresh(judgement), actor=team["users"]["reviewer"])
    assert late == []
    assert _last_actions(team, 1) == ["judgements.sign_off"]


@pytest.fixture(autouse=True)
def _policy_fixtures_importable(monkeypatch):
    """``policy_fixtures`` lives with the web tests."""
    from pathlib import Path

    monkeypatch.syspath_prepend(str(Path(__file__).resolve().parents[1] / "web"))
