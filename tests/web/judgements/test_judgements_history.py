"""The judgement history is append-only: the model refuses, and so does the database (raw SQL
through the triggers of migration judgements/0002), on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from kansenaudit.web.core.models import AppendOnlyError
from kansenaudit.web.judgements import services
from kansenaudit.web.judgements.models import JudgementEvent
from tests.helpers.judgements_support import subjects


@pytest.fixture
def history(team):
    measure = subjects(team["dossier"])["measure"]
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key="effectladder",
        subject=measure,
        criteria=None,
        mode="dubbel",
        actor=team["users"]["projectleider"],
    )
    services.assessment_submit(
        judgement=created[0], actor=team["users"]["onderzoeker"], score=2, rationale="onderbouwd"
    )
    assert JudgementEvent.objects.count() == 2
    return created[0]


def test_model_refuses_change_and_delete(history):
    event = JudgementEvent.objects.first()
    event.summary = "vervalst"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        JudgementEvent.objects.filter(pk=event.pk).update(summary="vervalst")
    with pytest.raises(AppendOnlyError):
        JudgementEvent.objects.all().delete()
    assert JudgementEvent.objects.count() == 2
    assert not JudgementEvent.objects.filter(summary="vervalst").exists()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE judgements_judgementevent SET summary = 'vervalst'",
        "UPDATE judgements_judgementevent SET after = NULL",
        "DELETE FROM judgements_judgementevent",
    ],
)
def test_database_refuses_raw_update_and_delete(history, statement):
    refused = pytest.raises(DatabaseError, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    assert JudgementEvent.objects.count() == 2
    assert not JudgementEvent.objects.filter(summary="vervalst").exists()
    assert JudgementEvent.objects.filter(after__isnull=False).count() == 2


def test_judgement_with_history_cannot_be_deleted(history):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        history.delete()


def test_failed_change_leaves_no_history_and_no_audit_entry(team, history):
    from kansenaudit.web.core.models import AuditEvent

    events, audits = JudgementEvent.objects.count(), AuditEvent.objects.count()
    with pytest.raises(services.JudgementError):
        services.assessment_submit(
            judgement=history, actor=team["users"]["onderzoeker"], score=3, rationale="nogmaals"
        )
    assert (JudgementEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
