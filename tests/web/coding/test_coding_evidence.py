"""A finding can rest on a coded segment and on a cell of the mirror (findings' registry):
only in their own dossier, never while blind, and a change shows in the fingerprint."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kansenaudit.web.coding import mirror_services, segments, services
from kansenaudit.web.dossiers.services import membership_set
from kansenaudit.web.findings.registry import fingerprint, kinds
from tests.web.coding.support import measure_with_theory, transcript, turn

pytestmark = pytest.mark.django_db


def test_a_coded_segment_is_evidence_in_its_dossier_unless_blind_or_withdrawn(team):
    dossier, users = team["dossier"], team["users"]
    code = services.code_create(dossier=dossier, actor=None, name="Bereikbaarheid")
    item = transcript(dossier)
    t2 = turn(item, 2)
    segment = segments.segment_code(
        actor=users["onderzoeker"], codes=[code], start=t2.start, end=t2.end, transcript=item
    )
    kind = kinds()["segment"]
    found = kind.load_many(dossier, [segment.pk])[segment.pk]
    assert "Interview 1 [Bereikbaarheid]: “De schoolmaatschappelijk werker" in kind.label(found)
    assert kind.url(found).endswith(f"/transcripten/{item.pk}/#segment-{segment.pk}")
    content = kind.content(found)
    assert content["withdrawn"] is False
    assert "schoolmaatschappelijk" not in str(content)  # a hash of the words, not the words
    before = fingerprint(kind, found)
    assert len(before) == 64
    assert kind.load_many(team["other"], [segment.pk]) == {}
    # Withdrawal: still found, without its words, and the fingerprint changes.
    participant = t2.participant
    participant.withdrawn_at = timezone.now()
    participant.save()
    gone = kind.load_many(dossier, [segment.pk])[segment.pk]
    assert kind.content(gone)["withdrawn"] is True
    assert "schoolmaatschappelijk" not in kind.label(gone)
    assert fingerprint(kind, gone) != before
    # Blind: a segment of a transcript in the double-coding sample is not evidence yet.
    other = get_user_model().objects.create_user(username="tweede")
    membership_set(dossier=dossier, user=other, role="onderzoeker", actor=None)
    blind = transcript(dossier, title="Interview 2")
    hidden = segments.segment_code(
        actor=users["onderzoeker"], codes=[code], start=30, end=60, transcript=blind
    )
    segments.double_coding_start(
        transcript=blind, coder_1=users["onderzoeker"], coder_2=other, actor=None
    )
    assert kind.load_many(dossier, [hidden.pk]) == {}


def test_a_mirror_cell_is_evidence_once_its_consensus_is_recorded(team):
    dossier, users = team["dossier"], team["users"]
    measure, _steps, _links = measure_with_theory(dossier)
    row = mirror_services.mirror_start(dossier=dossier, measure=measure, actor=None)[0]
    kind = kinds()["spiegelcel"]
    assert kind.load_many(dossier, [row.pk]) == {}
    for who, verdict in (("onderzoeker", "niet_aan_bod"), ("projectleider", "niet_aan_bod")):
        mirror_services.mirror_assess(
            row=row, actor=users[who], verdict=verdict, rationale="Niet besproken."
        )
    mirror_services.mirror_consensus(
        row=row, actor=None, verdict="niet_aan_bod", rationale="Kwam niet aan bod."
    )
    found = kind.load_many(dossier, [row.pk])[row.pk]
    assert kind.label(found).startswith(f"Spiegel {measure.name}: ")
    assert kind.url(found).endswith(f"/spiegel/rijen/{row.pk}/")
    before = fingerprint(kind, found)
    mirror_services.mirror_sign_off(row=row, actor=users["reviewer"])
    signed = kind.load_many(dossier, [row.pk])[row.pk]
    assert kind.content(signed)["status"] == "afgetekend"
    assert fingerprint(kind, signed) != before
    assert kind.load_many(team["other"], [row.pk]) == {}
