"""The coding services and selectors: the codebook and its history, coding passages, blind
double coding, withdrawal, and the agreement statistic (against the krippendorff package)."""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.utils import DatabaseError, IntegrityError
from django.utils import timezone

from kansenaudit.web.coding import analysis, segments, selectors, services
from kansenaudit.web.coding.agreement import dossier_agreement, turn_codes
from kansenaudit.web.coding.models import Code, CodeEvent, Segment
from kansenaudit.web.coding.services import CodingError
from kansenaudit.web.core.append_only import AppendOnlyError
from kansenaudit.web.core.models import AuditEvent
from kansenaudit.web.dossiers.services import membership_set
from kansenaudit.web.policy.models import Measure, TheoryLink, TheoryStep
from tests.web.coding.support import document, transcript, turn


@pytest.fixture
def w(team):
    second = get_user_model().objects.create_user(username="codeur-twee")
    membership_set(dossier=team["dossier"], user=second, role="onderzoeker", actor=None)
    return {**team, "one": team["users"]["onderzoeker"], "two": second}


def code(w, name, **kw):
    return services.code_create(dossier=w["dossier"], actor=w["one"], name=name, **kw)


def span_of(item, number):
    t = turn(item, number)
    return t.start, t.end


# --- the codebook ------------------------------------------------------------------------------


def test_codebook_tree_history_and_refusals(w):
    parent = code(w, "Toegang", definition="Hoe men de hulp bereikt", colour="#AA0000")
    child = code(w, "Wachtlijst", parent=parent)
    assert [(r.path, r.depth) for r in selectors.codebook_tree(w["dossier"])] == [
        ("Toegang", 0),
        ("Toegang › Wachtlijst", 1),
    ]
    assert parent.colour == "#aa0000"
    with pytest.raises(CodingError):
        code(w, "wachtlijst", parent=parent)  # the same name at the same place
    with pytest.raises(CodingError):
        code(w, "Kleur", colour="rood")
    with pytest.raises(CodingError):  # a cycle
        services.code_update(code=parent, actor=w["one"], parent=child)
    with pytest.raises(CodingError):  # a reader may not change the codebook
        services.code_create(dossier=w["dossier"], actor=w["users"]["meelezer"], name="X")
    with pytest.raises(CodingError):  # a code of another dossier is no parent
        services.code_create(dossier=w["other"], actor=None, name="Y", parent=parent)
    events = CodeEvent.objects.count()
    audits = AuditEvent.objects.count()
    services.code_update(
        code=parent, actor=w["one"], name="Toegang", definition="Hoe men de hulp bereikt"
    )
    assert (CodeEvent.objects.count(), AuditEvent.objects.count()) == (events, audits)
    services.code_update(code=child, actor=w["one"], parent=None, example="„Drie maanden”")
    actions = list(CodeEvent.objects.filter(code=child).values_list("action", flat=True))
    assert actions == ["aangemaakt", "gewijzigd", "verplaatst"]


def test_codebook_history_is_append_only(w):
    item = code(w, "Vertrouwen")
    event = CodeEvent.objects.get(code=item)
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        CodeEvent.objects.filter(pk=event.pk).update(summary="x")
    with pytest.raises(AppendOnlyError):
        event.delete()
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE coding_codeevent SET summary = 'x' WHERE id = %s", [event.pk])
    with (
        pytest.raises((DatabaseError, IntegrityError)),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM coding_codeevent WHERE id = %s", [event.pk])


def test_merge_moves_segments_children_and_memos_and_split_takes_chosen_segments(w):
    item = transcript(w["dossier"])
    a, b = code(w, "Wachttijd"), code(w, "Wachtlijst")
    sub = code(w, "Lange wachttijd", parent=a)
    s1 = segments.segment_code(
        actor=w["one"],
        codes=[a],
        start=span_of(item, 4)[0],
        end=span_of(item, 4)[1],
        transcript=item,
    )
    s2 = segments.segment_code(
        actor=w["one"],
        codes=[a, b],
        start=span_of(item, 2)[0],
        end=span_of(item, 2)[1],
        transcript=item,
    )
    services.memo_add(dossier=w["dossier"], actor=w["one"], text="Let op", code=a)
    with pytest.raises(CodingError):
        services.code_merge(source=a, target=sub, actor=w["one"])  # into its own sub-code
    services.code_merge(source=a, target=b, actor=w["one"])
    a.refresh_from_db()
    sub.refresh_from_db()
    assert a.merged_into_id == b.pk
    assert not a.active
    assert sub.parent_id == b.pk
    assert set(s1.codes.all()) == {b}
    assert set(s2.codes.all()) == {b}
    assert b.memos.count() == 1
    with pytest.raises(CodingError):
        services.code_update(code=a, actor=w["one"], name="Weer terug")
    new = services.code_split(code=b, actor=w["one"], name="Wachtlijst school", segments=[s1])
    assert set(s1.codes.all()) == {new}
    assert set(s2.codes.all()) == {b}
    assert new.parent_id == b.parent_id
    other = transcript(w["dossier"], title="Ander")
    s3 = segments.segment_code(
        actor=w["one"],
        codes=[sub],
        start=span_of(other, 2)[0],
        end=span_of(other, 2)[1],
        transcript=other,
    )
    with pytest.raises(CodingError):  # only segments of this code
        services.code_split(code=b, actor=w["one"], name="Nog een", segments=[s3])


def test_deductive_codes_from_policy_theory_and_framework_start_once(w):
    measure = Measure.objects.create(dossier=w["dossier"], name="Schoolmaatschappelijk werk")
    act = TheoryStep.objects.create(measure=measure, kind="activiteit", text="Spreekuur op school")
    out = TheoryStep.objects.create(measure=measure, kind="outcome", text="Minder schooluitval")
    TheoryLink.objects.create(measure=measure, source=act, target=out, rationale="vroeg erbij")
    made = services.codes_from_policy_theory(
        dossier=w["dossier"], actor=w["one"], measures=[measure]
    )
    assert len(made) == 4
    names = {c.name for c in made}
    assert "Aanname: Spreekuur op school → Minder schooluitval" in names
    assert all(c.origin == Code.Origin.POLICY for c in made)
    assert (
        services.codes_from_policy_theory(dossier=w["dossier"], actor=w["one"], measures=[measure])
        == []
    )
    criteria = services.codes_from_framework(
        dossier=w["dossier"], actor=w["one"], key="effectladder"
    )
    assert len(criteria) > 1
    assert criteria[0].origin == Code.Origin.FRAMEWORK
    assert (
        services.codes_from_framework(dossier=w["dossier"], actor=w["one"], key="effectladder")
        == []
    )
    with pytest.raises(CodingError):
        services.codes_from_framework(dossier=w["dossier"], actor=w["one"], key="bestaat-niet")


# --- coding passages ----------------------------------------------------------------------------


def test_a_selection_is_snapped_to_whole_words_and_inductive_codes_are_added(w):
    item = transcript(w["dossier"])
    start, end = span_of(item, 2)
    text = item.text
    # "chool" … "bereik": half words at both ends, and white space.
    inner = text.index("choolmaatschappelijk", start)
    stop = text.index("bereikbaar", start) + 6
    segment = segments.segment_code(
        actor=w["one"],
        codes=[],
        new_codes=["Bereikbaarheid"],
        start=inner,
        end=stop,
        transcript=item,
    )
    assert text[segment.start : segment.end] == "schoolmaatschappelijk werker was snel bereikbaar"
    assert [c.origin for c in segment.codes.all()] == [Code.Origin.INDUCTIVE]
    assert selectors.snap_to_words("  een woord  ", 0, 13) == (2, 11)
    assert selectors.snap_to_words("café’s zijn", 2, 3) == (0, 6)
    with pytest.raises(CodingError):
        segments.segment_code(actor=w["one"], codes=[], start=start, end=end, transcript=item)
    with pytest.raises(CodingError):  # only white space
        segments.segment_code(
            actor=w["one"], new_codes=["X"], codes=[], start=end, end=end + 2, transcript=item
        )
    foreign = services.code_create(dossier=w["other"], actor=None, name="Vreemd")
    with pytest.raises(CodingError):
        segments.segment_code(
            actor=w["one"], codes=[foreign], start=start, end=end, transcript=item
        )


def test_a_document_page_can_be_coded(w):
    doc = document(w["dossier"])
    c = code(w, "Wachtlijst")
    s = segments.segment_code(
        actor=w["one"], codes=[c], start=35, end=40, document=doc, page_number=1
    )
    assert s.page_number == 1
    assert s.end > s.start
    with pytest.raises(CodingError):
        segments.segment_code(
            actor=w["one"], codes=[c], start=0, end=4, document=doc, page_number=9
        )
    hits = analysis.hits(w["dossier"])
    assert hits[0].text == "wachtlijsten"


def test_withdrawn_words_cannot_be_coded_and_leave_every_output(w):
    item = transcript(w["dossier"])
    c = code(w, "Wachtlijst")
    start, end = span_of(item, 4)
    before = segments.segment_code(actor=w["one"], codes=[c], start=start, end=end, transcript=item)
    quote = item.text[start:end]
    partner = turn(item, 4).participant
    partner.withdrawn_at = timezone.now()
    partner.save()
    with pytest.raises(CodingError):
        segments.segment_code(
            actor=w["one"], codes=[c], start=start - 10, end=start + 5, transcript=item
        )
    hits = analysis.hits(w["dossier"])
    assert [h.withdrawn for h in hits] == [True]
    assert quote not in hits[0].text
    table = analysis.segment_table(hits)
    assert all(quote not in str(cell) for row in table.rows for cell in row)
    assert analysis.group_matrix(w["dossier"]).rows[0][2] == 0
    turns = selectors.transcript_view(item, [before])
    assert turns[3].withdrawn
    assert str(turns[3].html) == ""
    assert all(quote not in str(t.html) for t in turns)


# --- blind double coding ------------------------------------------------------------------------


@pytest.fixture
def sample(w):
    item = transcript(w["dossier"])
    return segments.double_coding_start(
        transcript=item, coder_1=w["one"], coder_2=w["two"], actor=w["users"]["projectleider"]
    )


def test_blind_coders_see_only_their_own_codes_nowhere_else(w, sample, client):
    from django.urls import reverse

    item = sample.transcript
    secret = code(w, "Geheimcode")
    mine = code(w, "Eigencode")
    start, end = span_of(item, 2)
    theirs = segments.segment_code(
        actor=w["two"], codes=[secret], start=start, end=end, transcript=item
    )
    services.memo_add(dossier=w["dossier"], actor=w["two"], text="GEHEIM-MEMO", segment=theirs)
    with pytest.raises(CodingError):  # nobody else writes on a blind segment
        services.memo_add(dossier=w["dossier"], actor=w["one"], text="x", segment=theirs)
    segments.segment_code(actor=w["one"], codes=[mine], start=start, end=end, transcript=item)
    assert [s.coder for s in selectors.visible_segments(viewer=w["one"], transcript=item)] == [
        w["one"]
    ]
    assert selectors.visible_segments(viewer=w["users"]["projectleider"], transcript=item) == []
    # Not in the analysis, the exports, the agreement, the counts, nor the audit log.
    assert analysis.hits(w["dossier"]) == []
    assert dossier_agreement(w["dossier"], n_boot=10).blind == 1
    assert {r.code.name: r.segments for r in selectors.codebook_tree(w["dossier"])} == {
        "Eigencode": 0,
        "Geheimcode": 0,
    }
    for event in AuditEvent.objects.filter(dossier=w["dossier"]):
        assert "GEHEIM-MEMO" not in str(event.after) + event.summary
        if event.action == "coding.segment_coded":
            assert "Geheimcode" not in event.summary
            assert "start" not in (event.after or {})
    # Not on any page for coder 1.
    client.force_login(w["one"])
    d = w["dossier"].pk
    for url in [
        reverse("coding:transcript", args=[d, item.pk]),
        reverse("coding:compare", args=[d, sample.pk]),
        reverse("coding:retrieve", args=[d]) + f"?code={secret.pk}",
        reverse("coding:analysis", args=[d]),
        reverse("coding:agreement", args=[d]),
        reverse("coding:segments_csv", args=[d]),
        reverse("coding:analysis_xlsx", args=[d]),
        reverse("coding:code", args=[d, secret.pk]),
        reverse("coding:codebook", args=[d]),
        reverse("dossiers:audit_log", args=[d]),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode("utf-8", "replace")
        assert "GEHEIM-MEMO" not in body, url
        assert f'data-segments="{theirs.pk}' not in body, url
        assert "codeur-twee</span>" not in body, url
        assert "· codeur-twee" not in body, url
    # Others may not code the blind transcript; coders may not after they are done.
    with pytest.raises(CodingError):
        segments.segment_code(
            actor=w["users"]["projectleider"], codes=[mine], start=start, end=end, transcript=item
        )
    with pytest.raises(CodingError):
        segments.consensus_record(sample=sample, actor=w["one"], choices={})
    segments.double_coding_done(sample=sample, actor=w["one"])
    with pytest.raises(CodingError):
        segments.segment_code(actor=w["one"], codes=[mine], start=start, end=end, transcript=item)
    with pytest.raises(CodingError):
        segments.double_coding_done(sample=sample, actor=w["one"])
    segments.double_coding_done(sample=sample, actor=w["two"])
    assert len(selectors.visible_segments(viewer=w["one"], transcript=item)) == 2
    assert len(analysis.hits(w["dossier"])) == 2


def test_agreement_per_code_and_overall_matches_the_krippendorff_package(w, sample):
    item = sample.transcript
    a, b = code(w, "A"), code(w, "B")
    plan = {  # turn: (codes of coder 1, codes of coder 2)
        1: ([], []),
        2: ([a], [a]),
        3: ([b], []),
        4: ([a, b], [a, b]),
        5: ([], [b]),
    }
    for number, (one, two) in plan.items():
        start, end = span_of(item, number)
        if one:
            segments.segment_code(actor=w["one"], codes=one, start=start, end=end, transcript=item)
        if two:
            segments.segment_code(
                actor=w["two"], codes=two, start=start + 3, end=end, transcript=item
            )
    segments.double_coding_done(sample=sample, actor=w["one"])
    segments.double_coding_done(sample=sample, actor=w["two"])
    result = dossier_agreement(w["dossier"], n_boot=200, with_unitised=True)
    assert result.transcripts == 1
    assert result.turns == 5
    by_code = {c.code: c for c in result.per_code}
    for c in (a, b):
        data = [
            [int(c in plan[n][0]) for n in sorted(plan)],
            [int(c in plan[n][1]) for n in sorted(plan)],
        ]
        expected = krippendorff.alpha(
            reliability_data=np.array(data, float), level_of_measurement="nominal"
        )
        assert by_code[c.name].alpha.alpha == pytest.approx(expected, abs=1e-4)
    pooled = [[], []]
    for c in (a, b):
        for n in sorted(plan):
            pooled[0].append(int(c in plan[n][0]))
            pooled[1].append(int(c in plan[n][1]))
    expected = krippendorff.alpha(
        reliability_data=np.array(pooled, float), level_of_measurement="nominal"
    )
    assert result.overall.alpha == pytest.approx(expected, abs=1e-4)
    assert result.overall.low <= result.overall.alpha <= result.overall.high
    assert by_code["A"].both == 2
    assert by_code["B"].coder_1 == 2
    # The unitised variant: coder 2 started each passage three characters later.
    uni = result.unitised
    assert uni["overall"]["alpha"] is not None
    assert 0 < uni["overall"]["alpha"] < 1
    assert {c["code"] for c in uni["per_code"]} == {"A", "B"}
    # A withdrawn participant's turn leaves the units.
    p = turn(item, 5).participant
    p.withdrawn_at = timezone.now()
    p.save()
    assert dossier_agreement(w["dossier"], n_boot=10).turns == 4
    # Consensus per turn: replaces the earlier one, skips withdrawn turns.
    segments.consensus_record(sample=sample, actor=w["one"], choices={2: [a], 4: [a, b], 5: [b]})
    rows = {r.number: r for r in turn_codes(sample)}
    assert rows[2].consensus == {a.pk}
    assert rows[5].consensus == set()
    segments.consensus_record(sample=sample, actor=w["one"], choices={3: [b]})
    assert Segment.objects.filter(kind="consensus").count() == 1
    # A merged code counts as its target.
    services.code_merge(source=b, target=a, actor=w["one"])
    again = dossier_agreement(w["dossier"], n_boot=10)
    assert [c.code for c in again.per_code] == ["A"]


def test_double_coding_refusals(w, sample):
    with pytest.raises(CodingError):
        segments.double_coding_start(
            transcript=sample.transcript, coder_1=w["one"], coder_2=w["two"], actor=None
        )
    other = transcript(w["dossier"], title="Tweede")
    with pytest.raises(CodingError):
        segments.double_coding_start(
            transcript=other, coder_1=w["one"], coder_2=w["one"], actor=None
        )
    with pytest.raises(CodingError):  # a reviewer may not code
        segments.double_coding_start(
            transcript=other, coder_1=w["one"], coder_2=w["users"]["reviewer"], actor=None
        )
    with pytest.raises(CodingError):
        segments.double_coding_done(sample=sample, actor=w["users"]["projectleider"])


def test_analysis_filters_matrix_and_co_occurrence(w):
    measure = Measure.objects.create(dossier=w["dossier"], name="Vroegsignalering schulden")
    item = transcript(w["dossier"], measure=measure)
    other = transcript(w["dossier"], title="Zonder maatregel")
    a, b = code(w, "Toegang"), code(w, "Schulden")
    sub = code(w, "Snel", parent=a)
    for t in (item, other):
        s, e = span_of(t, 2)
        segments.segment_code(actor=w["one"], codes=[sub, b], start=s, end=e, transcript=t)
    s, e = span_of(item, 5)
    segments.segment_code(actor=w["two"], codes=[a], start=s, end=e, transcript=item)
    assert len(analysis.hits(w["dossier"], analysis.Filters(code=a.pk))) == 3  # with sub-codes
    assert len(analysis.hits(w["dossier"], analysis.Filters(code=a.pk, measure=measure.pk))) == 2
    assert len(analysis.hits(w["dossier"], analysis.Filters(group="civil_servant"))) == 1
    assert len(analysis.hits(w["dossier"], analysis.Filters(coder=w["two"].pk))) == 1
    assert len(analysis.hits(w["dossier"], analysis.Filters(session=other.session_id))) == 1
    matrix = analysis.group_matrix(w["dossier"])
    groups = [g for g, _ in matrix.groups]
    rows = {path: cells for path, cells, _t in matrix.rows}
    assert rows["Toegang"][groups.index("civil_servant")] == 1
    assert rows["Toegang › Snel"][groups.index("resident")] == 2
    assert analysis.co_occurrence(w["dossier"]) == [("Schulden", "Snel", 2)]


def test_unitised_alpha_is_one_for_identical_spans_and_ignores_withdrawn_words(w, sample):
    item = sample.transcript
    a = code(w, "A")
    for number in (2, 4):
        start, end = span_of(item, number)
        for coder in (w["one"], w["two"]):
            segments.segment_code(
                actor=coder, codes=[a], start=start, end=end, transcript=item, snap=False
            )
    # Only coder 1 codes turn 5; then its speaker withdraws: the difference leaves the figure.
    start, end = span_of(item, 5)
    segments.segment_code(actor=w["one"], codes=[a], start=start, end=end, transcript=item)
    p = turn(item, 5).participant
    p.withdrawn_at = timezone.now()
    p.save()
    segments.double_coding_done(sample=sample, actor=w["one"])
    segments.double_coding_done(sample=sample, actor=w["two"])
    result = dossier_agreement(w["dossier"], n_boot=20, with_unitised=True)
    assert result.unitised["overall"]["alpha"] == pytest.approx(1.0)
    assert result.per_code[0].alpha.alpha == pytest.approx(1.0)
