"""The main pages ask the database a bounded number of questions (issue 12, "under load").

The load benchmark (benchmarks/bench_load.py) found pages that read the same rows twice, asked
one question per term or per logged value, or redrew a bootstrap on every visit. These tests
keep them fixed: the number of queries of each page stays under a ceiling and does not grow
with the data it lists, and what the faster code computes equals what the slower code did.
The demo, with its policy register and judgements, is loaded once for the module.
"""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kansenaudit.web.core import audit_text
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.core.services import audit_record
from kansenaudit.web.dossiers.models import Dossier, Membership
from kansenaudit.web.evidence import search
from kansenaudit.web.evidence.models import Term
from kansenaudit.web.judgements import selectors as judgement_selectors
from kansenaudit.web.judgements.selectors import reliability
from kansenaudit.web.policy import selectors as policy_selectors


@pytest.fixture(scope="module")
def demo_with_policy(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (as ``serve --demo`` loads it), rolled back after the module."""
    import os

    from django.db import transaction

    from kansenaudit.web.demo.services import demo_load

    old_data_dir = os.environ.get("KANSENAUDIT_DATA_DIR")
    os.environ["KANSENAUDIT_DATA_DIR"] = str(tmp_path_factory.mktemp("demo-data"))
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            yield demo_load()
            transaction.set_rollback(True)
    finally:
        if old_data_dir is None:
            os.environ.pop("KANSENAUDIT_DATA_DIR", None)
        else:
            os.environ["KANSENAUDIT_DATA_DIR"] = old_data_dir


@pytest.fixture
def demo(demo_with_policy, db, client):
    client.force_login(get_user_model().objects.get(username="projectleider"))
    return demo_with_policy


def _queries(client, url: str) -> int:
    client.get(url)  # caches that fill once per process (content types, templates) are not counted
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries.captured_queries)


def test_terms_page_reads_the_pages_once_whatever_the_number_of_terms(client, demo):
    url = reverse("evidence:terms", args=[demo.dossier_id])
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    assert Term.objects.filter(dossier=dossier).exists()  # the demo follows terms
    before = _queries(client, url)
    for term in ("gemeente", "onderwijs", "school"):
        Term.objects.get_or_create(dossier=dossier, term=term)
    # Before, every term cost two full readings of the dossier's pages (usage and context).
    assert _queries(client, url) == before <= 16


def test_term_occurrences_of_several_terms_are_those_of_each_term(demo):
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    terms = list(Term.objects.filter(dossier=dossier).values_list("term", flat=True))
    assert len(terms) >= 2
    together = search.term_occurrences(dossier, terms)
    assert together  # the demo's documents use its terms
    assert together == [o for t in terms for o in search.term_occurrences(dossier, [t])]
    usage, occurrences = search.term_usage_and_occurrences(dossier, terms)
    assert occurrences == together
    assert usage == search.term_usage(dossier, terms)


def test_terms_page_with_one_term_shows_that_terms_occurrences(client, demo):
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    term = Term.objects.filter(dossier=dossier).order_by("term").first().term
    response = client.get(reverse("evidence:terms", args=[demo.dossier_id]), {"term": term})
    expected = search.term_occurrences(dossier, [term])
    assert response.context["kwic_total"] == len(expected) > 0
    assert {item["occ"].term for item in response.context["kwic"]} == {term}


def test_policy_overview_counts_what_register_counts_does_in_fewer_queries(client, demo):
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    counts, gaps = policy_selectors.overview(dossier)
    assert counts == policy_selectors.register_counts(dossier)
    assert all(counts[k] for k in ("goals", "measures", "indicators"))  # a real register
    full = policy_selectors.monitoring_gaps(dossier)
    for kind in (
        "goals_without_measures",
        "measures_without_goals",
        "goals_without_indicators",
        "indicators_without_baseline",
        "indicators_without_target",
        "links_without_evidence",
    ):
        assert [o.pk for o in getattr(gaps, kind)] == [o.pk for o in getattr(full, kind)], kind
    # Before: 23 (each register counted apart after the gaps had loaded it).
    assert _queries(client, reverse("policy:overview", args=[demo.dossier_id])) <= 14


def test_judgements_overview_reads_the_judgements_once_and_reuses_the_bootstrap(
    client, demo, monkeypatch
):
    url = reverse("judgements:overview", args=[demo.dossier_id])
    calls = []
    original = reliability.alpha_bootstrap

    def counting(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(reliability, "alpha_bootstrap", counting)
    reliability._alpha_bootstrap.cache_clear()
    # Before: 14 (the frameworks and the judgements read twice).
    assert _queries(client, url) <= 10
    client.get(url)
    assert len(calls) <= 1  # the same scores: the bootstrap is drawn once, not on every visit
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    for info in judgement_selectors.dossier_frameworks(dossier):
        judgements = list(judgement_selectors.judgements_for_dossier(dossier, info.key))
        shared = judgement_selectors.agreement(dossier, info.key, info=info, judgements=judgements)
        assert shared == judgement_selectors.agreement(dossier, info.key)


def test_audit_log_names_related_objects_with_one_query_per_kind(client, demo):
    url = reverse("dossiers:audit_log", args=[demo.dossier_id])
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    memberships = list(Membership.objects.filter(dossier=dossier).select_related("user"))
    assert len(memberships) >= 3

    def log(membership: Membership) -> None:
        audit_record(
            actor=None,
            actor_label="demo-loader",
            action="dossiers.member_add",
            dossier=dossier,
            target=membership,
            after={"user": membership.user_id, "role": membership.role},
        )

    log(memberships[0])
    one = _queries(client, url)
    for membership in memberships[1:]:
        log(membership)
    assert _queries(client, url) == one <= 12  # before: one more query per named user
    page = client.get(url).content.decode()
    for membership in memberships:
        assert str(membership.user) in page


def test_described_events_name_objects_as_one_by_one(demo):
    dossier = Dossier.objects.get(pk=demo.dossier_id)
    events = list(AuditEvent.objects.filter(dossier=dossier).order_by("-pk")[:50])
    user = get_user_model().objects.get(username="reviewer")
    membership = Membership.objects.filter(dossier=dossier, user=user).first()
    events.append(
        AuditEvent(
            action="dossiers.member_add",
            object_type="dossiers.membership",
            object_id=str(membership.pk),
            actor_label="demo-loader",
            before={"user": "0" + str(user.pk)},  # the one-by-one look-up finds it: so must this
            after={"user": user.pk, "dossier": 10**9},  # no such dossier: no name
        )
    )
    batched = audit_text.describe(events)
    one_by_one = [
        audit_text.changes(e.before, e.after, audit_text._model(e.object_type)) for e in events
    ]
    assert [d.changes for d in batched] == one_by_one
    assert any(str(user) in (c.new or "") for c in batched[-1].changes)


def test_council_items_page_counts_in_one_query(client, demo):
    # Before: 14 (three counts of the same items apart).
    assert _queries(client, reverse("council:items", args=[demo.dossier_id])) <= 12
