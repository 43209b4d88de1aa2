"""The judgement workflow through the services and selectors: who may do what, blindness,
consensus, sign-off (preparer ≠ reviewer) and reopening after sign-off."""

from __future__ import annotations

import json

import pytest

from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.judgements import selectors, services
from kansenaudit.web.judgements.models import Assessment, DossierFramework, Judgement
from kansenaudit.web.judgements.services import JudgementError
from kansenaudit.web.policy.models import EvidenceLink
from tests.helpers.judgements_support import citation, information_item, subjects


@pytest.fixture(autouse=True)
def _data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KANSENAUDIT_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def s(team):
    return subjects(team["dossier"])


def start(team, subject, key="effectladder", mode="dubbel", criteria=None, assessors=()):
    created, _ = services.judgements_start(
        dossier=team["dossier"],
        framework_key=key,
        subject=subject,
        criteria=criteria,
        mode=mode,
        actor=team["users"]["projectleider"],
        assessors=assessors,
    )
    return created[0]


def assess(team, judgement, role, score, rationale="", **kw):
    return services.assessment_submit(
        judgement=judgement,
        actor=team["users"][role],
        score=score,
        rationale=rationale or f"motivering van {role}",
        **kw,
    )


def fresh(judgement):
    return selectors.judgement_in_dossier(judgement.dossier, judgement.pk)


# --- starting ---------------------------------------------------------------------------------


def test_start_copies_the_shipped_framework_once_and_logs(team, s):
    assert not DossierFramework.objects.exists()
    created, skipped = services.judgements_start(
        dossier=team["dossier"],
        framework_key="analysemodel",
        subject=s["directie"],
        criteria=None,
        mode="dubbel",
        actor=team["users"]["onderzoeker"],
    )
    assert [j.criterion_code for j in created] == ["C1", "C2", "C3", "C4", "C5", "C6"]
    assert skipped == []
    assert all(j.status == "open" and j.subject_label == "Directie Onderwijs" for j in created)
    record = DossierFramework.objects.get()
    assert (record.key, record.version, record.subject_kind) == ("analysemodel", 1, "directie")
    assert AuditEvent.objects.filter(action="judgements.start").count() == 6
    assert AuditEvent.objects.filter(action="judgements.framework_copy").count() == 1
    again, skipped = services.judgements_start(
        dossier=team["dossier"],
        framework_key="analysemodel",
        subject=s["directie"],
        criteria=["C1", "C2"],
        mode="dubbel",
        actor=None,
    )
    assert again == []
    assert skipped == ["C1", "C2"]
    assert DossierFramework.objects.count() == 1


@pytest.mark.parametrize(
    ("key", "subject", "message"),
    [
        ("effectladder", "goal", "beoordeelt een maatregel"),
        ("smart", "measure", "beoordeelt een doel"),
        ("analysemodel", "partner", "beoordeelt een beleid van het college of een directie"),
        ("indicatorkwaliteit", "directie", "beoordeelt een indicator"),
        ("raadsinformatie", "measure", "beoordeelt een raadsinformatie"),
    ],
)
def test_subject_must_fit_the_framework(team, s, key, subject, message):
    with pytest.raises(JudgementError, match=message):
        start(team, s[subject], key=key)
    assert not Judgement.objects.exists()


def test_every_shipped_framework_accepts_its_subject(team, s):
    item = information_item(team["dossier"])
    pairs = {
        "analysemodel": s["directie"],
        "effectladder": s["measure"],
        "smart": s["goal"],
        "indicatorkwaliteit": s["indicator"],
        "raadsinformatie": item,
    }
    for key, subject in pairs.items():
        assert start(team, subject, key=key).framework_key == key


def test_subject_of_another_dossier_is_refused(team, s):
    foreign = subjects(team["other"], suffix=" B")
    with pytest.raises(JudgementError, match="hoort niet bij dit dossier"):
        start(team, foreign["measure"])
    assert not Judgement.objects.exists()


def test_start_validates_criteria_mode_and_role(team, s):
    with pytest.raises(JudgementError, match="geen criterium 'C9'"):
        start(team, s["directie"], key="analysemodel", criteria=["C1", "C9"])
    with pytest.raises(JudgementError, match="minstens één criterium"):
        start(team, s["directie"], key="analysemodel", criteria=[])
    with pytest.raises(JudgementError, match="onbekende werkwijze"):
        start(team, s["measure"], mode="drievoudig")
    with pytest.raises(JudgementError, match="bestaat niet"):
        start(team, s["measure"], key="swot")
    for role in ("reviewer", "meelezer"):
        with pytest.raises(JudgementError, match="mag in dit dossier niet"):
            services.judgements_start(
                dossier=team["dossier"],
                framework_key="effectladder",
                subject=s["measure"],
                criteria=None,
                mode="dubbel",
                actor=team["users"][role],
            )
    with pytest.raises(JudgementError, match="mag in dit dossier niet"):
        services.judgements_start(
            dossier=team["dossier"],
            framework_key="effectladder",
            subject=s["measure"],
            criteria=None,
            mode="dubbel",
            actor=team["outsider"],
        )
    assert not Judgement.objects.exists()


# --- assessing and blindness --------------------------------------------------------------------


def test_second_assessor_cannot_see_the_first_until_both_are_in(team, s):
    j = start(team, s["measure"])
    assess(team, j, "projectleider", 4, "Eerste beoordelaar ziet sterke aanwijzingen")
    j = fresh(j)
    assert j.status == "in_beoordeling"
    for role in ("onderzoeker", "reviewer", "meelezer"):
        views = selectors.visible_assessments(j, team["users"][role])
        assert len(views) == 1
        assert views[0].assessor == "projectleider"
        assert not views[0].visible
        assert views[0].score is None
        assert views[0].rationale == ""
        assert views[0].label == ""
        assert views[0].assessment is None
        history = selectors.judgement_history(j, team["users"][role])
        assessed = [e for e in history if e.action == "beoordeeld"]
        assert assessed
        assert assessed[0].hidden
        assert assessed[0].after is None
        assert "sterke aanwijzingen" not in json.dumps([e.__dict__ for e in history], default=str)
    # Nobody (the CLI: viewer None) sees it either, and the export withholds it.
    assert not selectors.visible_assessments(j, None)[0].visible
    row = selectors.export_rows(team["dossier"], None)[0]
    assert row["score_1"] == selectors.HIDDEN
    assert row["motivering_1"] == ""
    assert "sterke aanwijzingen" not in json.dumps(selectors.history_rows(team["dossier"], None))
    # The assessor sees their own.
    own = selectors.visible_assessments(j, team["users"]["projectleider"])[0]
    assert own.visible
    assert own.score == 4
    assert own.label.startswith("4 – effectief")
    # The audit log (readable by the other assessor) does not carry the score either.
    event = AuditEvent.objects.get(action="judgements.assess")
    assert "sterke aanwijzingen" not in json.dumps([event.before, event.after, event.summary])
    assert event.after == {"slot": 1, "hidden_until_all_in": True}

    assess(team, j, "onderzoeker", 3, "Tweede beoordelaar: eerste aanwijzingen")
    j = fresh(j)
    views = selectors.visible_assessments(j, team["users"]["onderzoeker"])
    assert [(v.slot, v.score, v.visible) for v in views] == [(1, 4, True), (2, 3, True)]
    assert views[0].rationale == "Eerste beoordelaar ziet sterke aanwijzingen"
    assert selectors.export_rows(team["dossier"], None)[0]["score_1"].startswith("4 –")
    assert not any(e.hidden for e in selectors.judgement_history(j, team["users"]["meelezer"]))


def test_same_assessor_twice_and_a_third_assessor_are_refused(team, s):
    j = start(team, s["measure"])
    assess(team, j, "projectleider", 2)
    with pytest.raises(JudgementError, match="niet twee keer"):
        assess(team, fresh(j), "projectleider", 3)
    assess(team, fresh(j), "onderzoeker", 2)
    extra = team["users"]["meelezer"]
    from kansenaudit.web.dossiers.services import membership_set

    membership_set(dossier=team["dossier"], user=extra, role="onderzoeker", actor=None)
    with pytest.raises(JudgementError, match="al 2 beoordelaar"):
        assess(team, fresh(j), "meelezer", 1)
    assert sorted(Assessment.objects.values_list("slot", "assessor__username")) == [
        (1, "projectleider"),
        (2, "onderzoeker"),
    ]
    # And the database itself refuses a second row for one assessor.
    from django.db import IntegrityError, transaction

    a = Assessment.objects.get(slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assessment.objects.create(
            judgement=a.judgement,
            slot=2,
            assessor=a.assessor,
            rationale="x",
            framework_version=1,
            submitted_at=a.submitted_at,
        )


def test_assessors_need_edit(team, s):
    j = start(team, s["measure"])
    for role in ("reviewer", "meelezer"):
        with pytest.raises(JudgementError, match="mag in dit dossier niet beoordelen"):
            assess(team, j, role, 1)
    with pytest.raises(JudgementError, match="mag in dit dossier niet"):
        services.assessment_submit(judgement=j, actor=team["outsider"], score=1, rationale="buiten")
    assert not Assessment.objects.exists()


@pytest.mark.parametrize(
    ("score", "nvt", "rationale", "message"),
    [
        (6, False, "x", "staat niet op de schaal"),
        ("3", False, "x", "staat niet op de schaal"),
        (True, False, "x", "staat niet op de schaal"),
        (None, True, "x", "niet toegestaan"),  # the effectladder has no n.v.t.
        (2, False, "   ", "motivering is verplicht"),
    ],
)
def test_bad_scores_are_refused(team, s, score, nvt, rationale, message):
    j = start(team, s["measure"])
    with pytest.raises(JudgementError, match=message):
        services.assessment_submit(
            judgement=j,
            actor=team["users"]["onderzoeker"],
            score=score,
            not_applicable=nvt,
            rationale=rationale,
        )
    assert not Assessment.objects.exists()


def test_not_applicable_where_the_scale_allows_it(team, s):
    j = start(team, s["directie"], key="analysemodel", criteria=["C2"])
    a = services.assessment_submit(
        judgement=j,
        actor=team["users"]["onderzoeker"],
        score=None,
        not_applicable=True,
        rationale="geen beleid",
    )
    assert a.not_applicable
    assert a.score is None


def test_change_of_own_assessment_is_kept_in_history(team, s):
    j = start(team, s["measure"])
    assess(team, j, "onderzoeker", 1, "eerst")
    with pytest.raises(JudgementError, match="nog niet beoordeeld"):
        services.assessment_change(
            judgement=fresh(j), actor=team["users"]["projectleider"], score=1, rationale="x"
        )
    services.assessment_change(
        judgement=fresh(j), actor=team["users"]["onderzoeker"], score=2, rationale="later"
    )
    history = selectors.judgement_history(fresh(j), team["users"]["onderzoeker"])
    change = history[-1]
    assert change.action == "beoordeling_gewijzigd"
    assert ("Score", "1", "2") in change.changes
    assert ("Onderbouwing", "eerst", "later") in change.changes


# --- consensus and sign-off ---------------------------------------------------------------------


def both_in(team, s, a=3, b=2):
    j = start(team, s["measure"])
    assess(team, j, "projectleider", a)
    assess(team, fresh(j), "onderzoeker", b)
    return fresh(j)


def test_consensus_needs_both_assessments_and_edit(team, s):
    j = start(team, s["measure"])
    assess(team, j, "projectleider", 3)
    with pytest.raises(JudgementError, match="pas als alle beoordelingen binnen zijn"):
        services.consensus_record(
            judgement=fresh(j), actor=team["users"]["onderzoeker"], score=3, rationale="x"
        )
    assess(team, fresh(j), "onderzoeker", 2)
    with pytest.raises(JudgementError, match="mag in dit dossier niet"):
        services.consensus_record(
            judgement=fresh(j), actor=team["users"]["reviewer"], score=3, rationale="x"
        )
    services.consensus_record(
        judgement=fresh(j), actor=team["users"]["onderzoeker"], score=2, rationale="samen: 2"
    )
    j = fresh(j)
    assert j.status == "consensus"
    assert j.consensus_score == 2
    assert j.consensus_by == team["users"]["onderzoeker"]


def test_sign_off_rules(team, s):
    j = both_in(team, s)
    with pytest.raises(JudgementError, match="pas na een consensus"):
        services.sign_off(judgement=j, actor=team["users"]["reviewer"])
    services.consensus_record(
        judgement=j, actor=team["users"]["onderzoeker"], score=2, rationale="samen"
    )
    j = fresh(j)
    # The role is needed: an onderzoeker or meelezer cannot sign off.
    for role in ("onderzoeker", "meelezer"):
        with pytest.raises(JudgementError, match="mag in dit dossier niet aftekenen"):
            services.sign_off(judgement=j, actor=team["users"][role])
    # Preparer ≠ reviewer: the projectleider has SIGN_OFF but assessed this judgement.
    with pytest.raises(JudgementError, match="wie beoordeeld heeft"):
        services.sign_off(judgement=j, actor=team["users"]["projectleider"])
    assert services.sign_off_refusal(j, team["users"]["projectleider"])
    assert services.sign_off_refusal(j, team["users"]["reviewer"]) is None
    services.sign_off(judgement=j, actor=team["users"]["reviewer"])
    j = fresh(j)
    assert j.status == "afgetekend"
    assert j.signed_off_by == team["users"]["reviewer"]
    with pytest.raises(JudgementError, match="al afgetekend"):
        services.sign_off(judgement=j, actor=team["users"]["reviewer"])
    assert AuditEvent.objects.filter(action="judgements.sign_off").count() == 1


def test_consensus_author_cannot_sign_off(team, s):
    """Single assessor (onderzoeker); the projectleider records consensus, so only the
    reviewer may sign off."""
    j = start(team, s["measure"], mode="enkel")
    assess(team, j, "onderzoeker", 1)
    j = fresh(j)
    assert not selectors.is_blind(j)
    services.consensus_record(
        judgement=j, actor=team["users"]["projectleider"], score=1, rationale="voorstel"
    )
    with pytest.raises(JudgementError, match="wie de consensus heeft vastgelegd"):
        services.sign_off(judgement=fresh(j), actor=team["users"]["projectleider"])
    services.sign_off(judgement=fresh(j), actor=team["users"]["reviewer"])


def test_single_assessor_judgement_takes_one_assessment(team, s):
    j = start(team, s["measure"], mode="enkel")
    assess(team, j, "onderzoeker", 1)
    with pytest.raises(JudgementError, match="al 1 beoordelaar"):
        assess(team, fresh(j), "projectleider", 2)


def signed(team, s):
    j = both_in(team, s)
    services.consensus_record(
        judgement=j, actor=team["users"]["onderzoeker"], score=2, rationale="samen twee"
    )
    services.sign_off(judgement=fresh(j), actor=team["users"]["reviewer"])
    return fresh(j)


def test_new_consensus_after_sign_off_reopens_and_shows_what_changed(team, s):
    j = signed(team, s)
    services.consensus_record(
        judgement=j, actor=team["users"]["projectleider"], score=3, rationale="toch drie"
    )
    j = fresh(j)
    assert j.status == "heropend"
    assert j.signed_off_by is None
    assert j.signed_off_at is None
    changes = selectors.changes_since_sign_off(j, team["users"]["reviewer"])
    assert [e.action for e in changes] == ["heropend", "consensus"]
    reopen, consensus = changes
    assert ("Status", "afgetekend", "heropend") in reopen.changes
    # Written for people: no Python values, no ISO time stamps with microseconds.
    for _label, old, new in reopen.changes + consensus.changes:
        assert old not in {"True", "False", "None"}
        assert new not in {"True", "False", "None"}
        assert "T" not in (old or "")[10:11]
    assert ("Score", "2", "3") in consensus.changes
    assert ("Onderbouwing", "samen twee", "toch drie") in consensus.changes
    assert AuditEvent.objects.filter(action="judgements.reopen").count() == 1
    # The new consensus author (projectleider) may not sign off; the reviewer may again.
    with pytest.raises(JudgementError, match="opsteller ≠ reviewer"):
        services.sign_off(judgement=j, actor=team["users"]["projectleider"])
    services.sign_off(judgement=j, actor=team["users"]["reviewer"])
    assert fresh(j).status == "afgetekend"
    assert selectors.changes_since_sign_off(fresh(j), None) == []


def test_changed_assessment_after_sign_off_reopens(team, s):
    j = signed(team, s)
    services.assessment_change(
        judgement=j, actor=team["users"]["projectleider"], score=5, rationale="nieuw bewijs"
    )
    j = fresh(j)
    assert j.status == "heropend"
    assert j.signed_off_at is None
    changes = selectors.changes_since_sign_off(j, team["users"]["meelezer"])
    assert [e.action for e in changes] == ["heropend", "beoordeling_gewijzigd"]
    assert ("Score", "3", "5") in changes[1].changes


def test_unchanged_resubmission_does_not_reopen(team, s):
    j = signed(team, s)
    services.consensus_record(
        judgement=j, actor=team["users"]["onderzoeker"], score=2, rationale="samen twee"
    )
    assert fresh(j).status == "afgetekend"


def test_citations_attach_through_evidence_links(team, s):
    quote = citation(team["dossier"])
    foreign = citation(team["other"], text="Geheim stuk van dossier B.")
    j = start(team, s["measure"])
    with pytest.raises(JudgementError, match="hoort niet bij dit dossier"):
        assess(team, j, "onderzoeker", 2, citations=[foreign])
    assert not Assessment.objects.exists()
    a = assess(team, fresh(j), "onderzoeker", 2, citations=[quote])
    link = EvidenceLink.objects.get()
    assert link.subject == a
    assert link.citation == quote
    # The other assessor does not get the first's evidence before both are in.
    view = selectors.visible_assessments(fresh(j), team["users"]["projectleider"])[0]
    assert view.assessment is None
    assess(team, fresh(j), "projectleider", 2)
    services.consensus_record(
        judgement=fresh(j),
        actor=team["users"]["projectleider"],
        score=2,
        rationale="eens",
        citations=[quote],
    )
    assert [link.citation for link in selectors.evidence_for(fresh(j))] == [quote]


# --- evidence: blind, in the history, removable only by whom it belongs to -----------------------


def test_blind_evidence_stays_out_of_the_audit_log_and_the_policy_register(team, s):
    from kansenaudit.web.policy import exports as policy_exports
    from kansenaudit.web.policy import selectors as policy_selectors

    quote = citation(team["dossier"])
    j = start(team, s["measure"])
    assess(team, j, "onderzoeker", 2, citations=[quote])
    # Nothing in the audit log (readable by the other assessor) says which citation the
    # assessor attached (the citation itself is the dossier's, logged when it was made).
    assert not AuditEvent.objects.filter(action="policy.evidence_add").exists()
    for event in AuditEvent.objects.exclude(action__startswith="evidence."):
        logged = json.dumps([event.summary, event.before, event.after], ensure_ascii=False)
        assert "citation" not in logged
        assert quote.quote not in logged
    # The policy register neither lists nor counts it, nor exports it.
    assert not policy_selectors.evidence_for(team["dossier"]).exists()
    assert policy_selectors.register_counts(team["dossier"])["evidence"] == 0
    assert policy_exports.register_table(team["dossier"], "bewijs").rows == []


def test_evidence_of_an_assessment_is_removed_only_by_its_assessor(team, s):
    from kansenaudit.web.policy import services as policy_services
    from kansenaudit.web.policy.services import PolicyError

    quote = citation(team["dossier"])
    j = start(team, s["measure"])
    assess(team, j, "onderzoeker", 2, citations=[quote])
    link = EvidenceLink.objects.get()
    # Not through the policy register, and not by the other assessor or a meelezer.
    with pytest.raises(PolicyError, match="pagina van het oordeel"):
        policy_services.evidence_link_remove(link=link, actor=team["users"]["projectleider"])
    with pytest.raises(JudgementError, match="alleen de beoordelaar zelf"):
        services.evidence_remove(
            judgement=fresh(j), link=link, actor=team["users"]["projectleider"]
        )
    with pytest.raises(JudgementError, match="mag in dit dossier niet"):
        services.evidence_remove(judgement=fresh(j), link=link, actor=team["users"]["meelezer"])
    # Not through another judgement.
    other = start(team, s["goal"], key="smart", criteria=["S"])
    with pytest.raises(JudgementError, match="hoort niet bij dit oordeel"):
        services.evidence_remove(judgement=other, link=link, actor=team["users"]["onderzoeker"])
    assert EvidenceLink.objects.count() == 1
    services.evidence_remove(judgement=fresh(j), link=link, actor=team["users"]["onderzoeker"])
    assert not EvidenceLink.objects.exists()
    assert quote.__class__.objects.filter(pk=quote.pk).exists()  # the citation stays
    # Blind: the other assessor sees that evidence was removed, not which.
    history = selectors.judgement_history(fresh(j), team["users"]["projectleider"])
    removed = [e for e in history if e.action == "bewijs_verwijderd"]
    assert len(removed) == 1
    assert removed[0].hidden
    assert removed[0].before is None
    own = selectors.judgement_history(fresh(j), team["users"]["onderzoeker"])
    assert [e.before["citation"] for e in own if e.action == "bewijs_verwijderd"] == [quote.pk]
    event = AuditEvent.objects.get(action="judgements.evidence_remove")
    assert event.before == {"hidden_until_all_in": True}


def test_removing_consensus_evidence_after_sign_off_reopens(team, s):
    quote = citation(team["dossier"])
    j = both_in(team, s)
    services.consensus_record(
        judgement=j,
        actor=team["users"]["onderzoeker"],
        score=2,
        rationale="samen",
        citations=[quote],
    )
    services.sign_off(judgement=fresh(j), actor=team["users"]["reviewer"])
    link = EvidenceLink.objects.get(object_id=j.pk)
    # Any member with EDIT may change the consensus evidence, as they may the consensus.
    services.evidence_remove(judgement=fresh(j), link=link, actor=team["users"]["projectleider"])
    j = fresh(j)
    assert j.status == "heropend"
    assert selectors.evidence_for(j) == []
    changes = selectors.changes_since_sign_off(j, team["users"]["reviewer"])
    assert [e.action for e in changes] == ["heropend", "bewijs_verwijderd"]
    assert changes[1].before["quote"] == quote.quote
    event = AuditEvent.objects.get(action="judgements.evidence_remove")
    assert event.before["citation"] == quote.pk
    assert event.after == {"reopened": True}


# --- assessors named in advance -------------------------------------------------------------------


def test_named_places_are_taken_only_by_their_assessors(team, s):
    u = team["users"]
    j = start(team, s["measure"], assessors=[None, u["onderzoeker"]])
    assert (j.assigned_1, j.assigned_2) == (None, u["onderzoeker"])
    assert selectors.awaiting_assessment(team["dossier"], u["onderzoeker"]) == [j]
    assert selectors.awaiting_assessment(team["dossier"], u["projectleider"]) == []
    # The named assessor takes place 2 even when submitting first.
    a = assess(team, fresh(j), "onderzoeker", 2)
    assert a.slot == 2
    assert selectors.awaiting_assessment(team["dossier"], u["onderzoeker"]) == []
    # Place 1 is open: the projectleider takes it; a third person is refused before that.
    assert services.assessment_refusal(fresh(j), u["projectleider"]) is None
    b = assess(team, fresh(j), "projectleider", 3)
    assert b.slot == 1


def test_a_named_place_refuses_others(team, s):
    u = team["users"]
    j = start(team, s["measure"])
    services.assessors_assign(
        judgement=j, assessors=[u["projectleider"], u["onderzoeker"]], actor=u["projectleider"]
    )
    from django.contrib.auth import get_user_model

    from kansenaudit.web.dossiers.services import membership_set

    third = get_user_model().objects.create_user(username="derde")
    membership_set(dossier=team["dossier"], user=third, role="onderzoeker", actor=None)
    assert "toegewezen aan projectleider, onderzoeker" in services.assessment_refusal(
        fresh(j), third
    )
    with pytest.raises(JudgementError, match="toegewezen aan"):
        services.assessment_submit(judgement=fresh(j), actor=third, score=1, rationale="x")
    assert not Assessment.objects.exists()
    event = AuditEvent.objects.get(action="judgements.assign")
    assert event.after == {"assessor_1": "projectleider", "assessor_2": "onderzoeker"}
    assert [e.action for e in selectors.judgement_history(fresh(j), None)][-1] == "toegewezen"


def test_assignment_rules(team, s):
    u = team["users"]
    with pytest.raises(JudgementError, match="verschillende personen"):
        start(team, s["measure"], assessors=[u["onderzoeker"], u["onderzoeker"]])
    for role in ("reviewer", "meelezer"):  # no edit rights: cannot assess, so not named
        with pytest.raises(JudgementError, match="kan in dit dossier niet beoordelen"):
            start(team, s["measure"], mode="enkel", assessors=[u[role]])
    with pytest.raises(JudgementError, match="ten hoogste 1"):
        start(team, s["measure"], mode="enkel", assessors=[u["onderzoeker"], u["projectleider"]])
    assert not Judgement.objects.exists()
    # Once an assessment is in, its place keeps its assessor; the other place can change.
    j = start(team, s["measure"])
    assess(team, j, "onderzoeker", 2)
    with pytest.raises(JudgementError, match="al ingediend door onderzoeker"):
        services.assessors_assign(
            judgement=fresh(j), assessors=[u["projectleider"], None], actor=u["projectleider"]
        )
    with pytest.raises(JudgementError, match="heeft beoordeling 1 al ingediend"):
        services.assessors_assign(
            judgement=fresh(j), assessors=[None, u["onderzoeker"]], actor=u["projectleider"]
        )
    services.assessors_assign(
        judgement=fresh(j), assessors=[None, u["projectleider"]], actor=u["onderzoeker"]
    )
    j = fresh(j)
    # Place 1 was taken without a name and stays so; place 2 is now named.
    assert (j.assigned_1, j.assigned_2) == (None, u["projectleider"])
    with pytest.raises(JudgementError, match="mag in dit dossier niet"):
        services.assessors_assign(judgement=j, assessors=[None, None], actor=u["meelezer"])


# --- the judgement page's one form and its citations ------------------------------------------


def test_assessment_save_submits_the_first_time_and_changes_after(team, s):
    j = start(team, s["measure"])
    user = team["users"]["onderzoeker"]
    first = services.assessment_save(judgement=j, actor=user, score=2, rationale="eerst")
    assert first.changed is False
    assert (first.assessment.slot, first.assessment.score) == (1, 2)
    again = services.assessment_save(judgement=fresh(j), actor=user, score=3, rationale="later")
    assert again.changed is True
    assert again.assessment.pk == first.assessment.pk
    mine = Assessment.objects.get(judgement=j, assessor=user)
    assert (mine.score, mine.rationale) == (3, "later")
    assert AuditEvent.objects.filter(action="judgements.assess").count() == 1
    assert AuditEvent.objects.filter(action="judgements.assessment_change").count() == 1


def test_an_assessor_may_attach_their_own_held_citation_and_the_dossiers(team, s):
    from kansenaudit.web.evidence import services as evidence

    ordinary = citation(team["dossier"])
    j = start(team, s["measure"])
    held = evidence.citation_create(
        document=ordinary.document,
        page_number=1,
        start=0,
        end=3,
        actor=team["users"]["onderzoeker"],
        held_for=j,
    )
    foreign = citation(team["other"])
    own = team["users"]["onderzoeker"]
    other = team["users"]["projectleider"]
    assert selectors.assessment_citations(own, team["dossier"]) == [held, ordinary]
    assert selectors.assessment_citations(other, team["dossier"]) == [ordinary]
    wanted = [held.pk, ordinary.pk, foreign.pk]
    assert set(selectors.citations_chosen(own, team["dossier"], wanted)) == {held, ordinary}
    assert selectors.citations_chosen(other, team["dossier"], wanted) == [ordinary]
