"""The fictional Voorbeeldstad policy set: deterministic, its workbooks pass the uitvraag reader,
its quotes are on the pages they name, every reference resolves, its judgements are on the
frameworks' scales, and it has the gaps the monitoring and consistency views should show."""

from __future__ import annotations

import dataclasses
import doctest
import io
import math
import subprocess
import sys
import zipfile

import pytest
from openpyxl import load_workbook

from kansenaudit.data.catalogue import DOMAINS, by_key, catalogue_for_demo
from kansenaudit.demo import policy as demo_policy
from kansenaudit.demo.documents import (
    DEMO_DOCUMENT_LABEL,
    demo_document,
    generate_demo_documents,
    generate_demo_policy_documents,
)
from kansenaudit.demo.policy import INTENDED_GAPS, demo_policy_set, filled_uitvraag_workbooks
from kansenaudit.demo.policy_model import (
    DEMO_DOSSIER_TITLE,
    NOT_APPLICABLE,
    DemoCitation,
    MeasureRef,
    exact_quote,
)
from kansenaudit.ingest.extract import extract
from kansenaudit.policy.frameworks import framework, frameworks
from kansenaudit.policy.uitvraag import STATUSES, read_filled, template_checksum
from kansenaudit.stats.agreement import krippendorff_alpha

# Values of the register models' choices (web/policy/models.py, web/council/models.py), repeated
# here because this test runs without Django.
ACTOR_KINDS = {"college", "raad", "directie", "stadsdeel", "programma", "partner", "doelgroep"}
GOAL_LEVELS = ("coalitieakkoord", "bestuursopdracht", "actielijn", "directie", "programma")
CITY_LEVELS = {"coalitieakkoord", "bestuursopdracht", "actielijn"}
STEP_ORDER = {"activiteit": 0, "output": 1, "outcome": 2, "doel": 3}
VALUE_KINDS = {"nulmeting", "streefwaarde", "realisatie"}
REPORTS = {"outputs", "effecten", "beide", "geen"}
REQUEST_STATUSES = {"concept", "verstuurd", "ontvangen", "teruggestuurd", "geaccepteerd"}
COUNCIL_DOC_TYPES = {"raadsbrief", "voortgangsrapportage", "jaarverslag", "begroting"}

# The workbook's domain dropdown: the labels of the outcome domains (as the workbench lists them).
UITVRAAG_DOMAINS = [label for key, label in DOMAINS.items() if key != "bevolking"]


@pytest.fixture(scope="module")
def policy():
    return demo_policy_set()


@pytest.fixture(scope="module")
def workbooks():
    return filled_uitvraag_workbooks()


@pytest.fixture(scope="module")
def extracted():
    """The canonical page texts of every generated demo document, as the evidence store has
    them: {file name: [page text, ...]}."""
    docs = (*generate_demo_documents(), *generate_demo_policy_documents())
    return {
        d.file_name: [p.text for p in extract(d.data(), d.file_name, ocr=False).pages] for d in docs
    }


@pytest.fixture(scope="module")
def demo_catalogue():
    from kansenaudit.demo.city import generate_demo_city

    city = generate_demo_city()
    values = {
        (v.indicator, v.area_code, v.period): v.value for v in city.values if v.group == "totaal"
    }
    return by_key(catalogue_for_demo(city.indicators)), values


# --- layering and determinism -----------------------------------------------------------------


def test_modules_do_not_import_django():
    code = (
        "import kansenaudit.demo.policy as m, sys; m.demo_policy_set(); "
        "m.filled_uitvraag_workbooks(); "
        "bad = sorted(x for x in sys.modules if x == 'django' or x.startswith('django.')); "
        "print(','.join(bad))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert result.stdout.strip() == ""


def test_the_set_is_deterministic(policy):
    demo_policy.demo_policy_set.cache_clear()
    try:
        again = demo_policy_set()
        assert again is not policy
        assert again == policy
    finally:
        demo_policy.demo_policy_set.cache_clear()


def test_the_workbooks_are_byte_identical_on_every_run(workbooks):
    assert filled_uitvraag_workbooks() == workbooks


def test_every_element_is_immutable(policy):
    with pytest.raises(dataclasses.FrozenInstanceError):
        policy.goals[0].title = "x"  # type: ignore[misc]
    for field in dataclasses.fields(policy):
        assert isinstance(getattr(policy, field.name), (tuple, str)), field.name


def test_doctests():
    assert doctest.testmod(demo_policy).failed == 0


# --- labelling --------------------------------------------------------------------------------


def test_the_set_and_its_documents_are_labelled_fictional(policy):
    assert "Fictieve demodata" in policy.label
    for item in generate_demo_policy_documents():
        for number in range(1, len(item.pages) + 1):
            assert item.page_text(number).startswith(DEMO_DOCUMENT_LABEL)
    for actor in policy.actors_of_kind("partner"):
        assert "(fictief)" in actor.description, actor.name


def test_demo_title_and_accounts_match_the_demo_dossier(policy):
    from kansenaudit.web.demo import content

    assert content.DOSSIER_TITLE == DEMO_DOSSIER_TITLE
    roles = {username: role for username, _name, role in content.DEMO_USERS}
    first, second = policy.assessors
    assert first != second
    assert policy.reviewer not in policy.assessors  # preparer and reviewer differ
    assert roles[first] in ("onderzoeker", "projectleider")
    assert roles[second] in ("onderzoeker", "projectleider")
    assert roles[policy.reviewer] in ("reviewer", "projectleider")


# --- the documents ----------------------------------------------------------------------------


def test_the_evidence_demo_keeps_its_five_documents():
    names = [d.file_name for d in generate_demo_documents()]
    assert len(names) == 5
    policy_names = [d.file_name for d in generate_demo_policy_documents()]
    assert not set(names) & set(policy_names)
    assert len(set(policy_names)) == len(policy_names)
    assert {n.rsplit(".", 1)[1] for n in policy_names} == {"pdf", "docx"}
    with pytest.raises(KeyError):
        demo_document("bestaat-niet.pdf")


def test_page_text_is_what_extraction_gives(extracted):
    for item in (*generate_demo_documents(), *generate_demo_policy_documents()):
        pages = extracted[item.file_name]
        assert len(pages) == len(item.pages), item.file_name
        for number, text in enumerate(pages, start=1):
            assert item.page_text(number) == text, (item.file_name, number)


def test_the_policy_documents_extract_deterministically():
    for item in generate_demo_policy_documents():
        first = extract(item.data(), item.file_name, ocr=False)
        second = extract(item.data(), item.file_name, ocr=False)
        assert first.sha256 == second.sha256
        assert [p.text for p in first.pages] == [p.text for p in second.pages]


def test_every_citation_occurs_verbatim_once_on_its_page(policy, extracted):
    citations = policy.citations()
    assert len(citations) >= 30
    for citation in citations:
        pages = extracted[citation.file_name]
        assert 1 <= citation.page <= len(pages), citation
        text = pages[citation.page - 1]
        assert text.count(citation.quote) == 1, citation
        assert citation.quote.strip() == citation.quote
        assert citation.quote


def test_a_quote_may_cross_a_pdf_line_break(policy):
    crossing = [c for c in policy.citations() if "\n" in c.quote]
    assert crossing, "at least one PDF quote spans a line break, as real ones do"
    assert all(c.file_name.endswith(".pdf") for c in crossing)


def test_exact_quote_refuses_a_quote_that_is_not_there_or_not_unique():
    with pytest.raises(ValueError, match="0 keer"):
        exact_quote("coalitieakkoord-voorbeeldstad-2022-2026.pdf", 1, "Dit staat er niet.")
    with pytest.raises(ValueError, match="3 keer"):
        exact_quote("jaarverslag-2024-kansengelijkheid.pdf", 1, "procent")
    with pytest.raises(ValueError, match="0 keer"):  # right text, wrong page
        exact_quote(
            "coalitieakkoord-voorbeeldstad-2022-2026.pdf",
            2,
            "Wij verlagen het aantal kinderen dat opgroeit in armoede met een derde in 2026.",
        )


# --- the uitvraag workbooks -------------------------------------------------------------------


def test_every_workbook_passes_the_reader_and_gives_back_the_measures(policy, workbooks):
    assert list(workbooks) == list(policy.directies)
    for directie, data in workbooks.items():
        checksum = template_checksum(
            dossier_title=DEMO_DOSSIER_TITLE,
            directie=directie,
            goals=list(policy.goal_titles),
            target_groups=list(policy.target_groups),
            domains=UITVRAAG_DOMAINS,
        )
        result = read_filled(data, expected_version="1", expected_checksum=checksum)
        assert result.ok, [str(e) for e in result.errors]
        assert result.directie == directie
        assert result.dossier_title == DEMO_DOSSIER_TITLE
        assert tuple(result.measures) == policy.uitvraag(directie).measures


def test_a_checksum_of_another_template_is_refused(policy, workbooks):
    data = workbooks[policy.directies[0]]
    other = template_checksum(
        dossier_title=DEMO_DOSSIER_TITLE,
        directie=policy.directies[1],
        goals=list(policy.goal_titles),
        target_groups=list(policy.target_groups),
        domains=UITVRAAG_DOMAINS,
    )
    assert not read_filled(data, expected_checksum=other).ok


def test_the_workbook_cells_are_typed_as_excel_would_type_them(workbooks):
    wb = load_workbook(io.BytesIO(workbooks["Directie Onderwijs"]))
    ws = wb["Maatregelen"]
    headers = {cell.value: cell.column for cell in ws[1]}
    assert ws.cell(row=2, column=headers["Naam maatregel"]).value == "Extra VVE-plaatsen"
    assert ws.cell(row=2, column=headers["Periode van"]).is_date
    assert ws.cell(row=2, column=headers["Budget 2023 (€)"]).data_type == "n"  # a number
    assert isinstance(ws.cell(row=2, column=headers["Bereik (personen per jaar)"]).value, int)
    assert ws.cell(row=6, column=headers["Naam maatregel"]).value is None  # four measures


def test_the_workbooks_have_fixed_timestamps(workbooks):
    for data in workbooks.values():
        archive = zipfile.ZipFile(io.BytesIO(data))
        assert {info.date_time for info in archive.infolist()} == {(2026, 1, 20, 12, 0, 0)}
        assert b"2026-01-20T12:00:00Z" in archive.read("docProps/core.xml")


def test_workbooks_follow_the_dossiers_lists(policy):
    goals = [*policy.goal_titles, "Een extra doel uit het register"]
    books = filled_uitvraag_workbooks(
        goals, policy.target_groups, UITVRAAG_DOMAINS, "Ander dossier"
    )
    for directie, data in books.items():
        result = read_filled(data)
        assert result.ok, [str(e) for e in result.errors]
        assert result.dossier_title == "Ander dossier"
        assert tuple(result.measures) == policy.uitvraag(directie).measures


def test_a_list_without_a_value_the_measures_use_is_refused(policy):
    goals = [g for g in policy.goal_titles if not g.startswith("Ten minste 90 procent")]
    with pytest.raises(ValueError, match=r"Extra VVE-plaatsen.*Ten minste 90 procent"):
        filled_uitvraag_workbooks(goals)
    with pytest.raises(ValueError, match="kinderen in armoede"):
        filled_uitvraag_workbooks(None, [g for g in policy.target_groups if "armoede" not in g])
    with pytest.raises(ValueError, match="Onderwijs"):
        filled_uitvraag_workbooks(None, None, [d for d in UITVRAAG_DOMAINS if d != "Onderwijs"])
    with pytest.raises(ValueError, match="2027"):
        filled_uitvraag_workbooks(budget_years=(2023, 2024, 2025, 2026))


def test_the_uitvragen_are_plausible(policy):
    assert len(policy.uitvragen) == 3
    for uitvraag in policy.uitvragen:
        assert 3 <= len(uitvraag.measures) <= 6, uitvraag.directie
        assert uitvraag.status in REQUEST_STATUSES
        assert uitvraag.sent_on <= uitvraag.deadline
        assert uitvraag.received_on is None or uitvraag.received_on >= uitvraag.sent_on
        assert all(uitvraag.sent_on < r for r in uitvraag.reminders)
        names = [m.name.casefold() for m in uitvraag.measures]
        assert len(set(names)) == len(names)
        for number, row in enumerate(uitvraag.measures, start=1):
            assert row.number == number
            assert row.row == number + 1
            assert row.status in STATUSES
            assert row.end is None or row.start is None or row.end >= row.start
            assert all(a is None or a >= 0 for _y, a in row.budget)
            assert any(a for _y, a in row.budget), row.name
            assert row.reach is not None
            assert row.reach > 0
    rows = list(policy.measures().values())
    assert sum(bool(r.rationale) for r in rows) >= len(rows) - 1
    assert sum(bool(r.assumptions) for r in rows) >= len(rows) - 1
    assert sum(bool(r.indicators) for r in rows) >= len(rows) - 2
    assert sum(bool(r.evidence) for r in rows) >= 4


# --- references -------------------------------------------------------------------------------


def test_actors_and_goals_resolve(policy):
    actors = {a.name: a for a in policy.actors}
    assert len(actors) == len(policy.actors)
    assert {a.kind for a in policy.actors} == ACTOR_KINDS
    assert len(policy.directies) == 3
    assert {"Directie Onderwijs", "Directie Armoede en Schulden", "Directie Wonen"} == set(
        policy.directies
    )
    assert len(policy.actors_of_kind("stadsdeel")) >= 2
    assert len(policy.actors_of_kind("partner")) >= 4
    assert {"kinderen in armoede", "jongeren zonder startkwalificatie"} <= set(policy.target_groups)
    titles = [g.title.casefold() for g in policy.goals]
    assert len(set(titles)) == len(titles)
    codes = [g.code for g in policy.goals]
    assert len(set(codes)) == len(codes)
    for goal in policy.goals:
        assert len(goal.title) <= 200
        assert goal.level in GOAL_LEVELS
        assert goal.owner in actors
        assert actors[goal.owner].kind in ("college", "directie")
        assert set(goal.target_groups) <= set(policy.target_groups)
        assert goal.domains
        assert set(goal.domains) <= set(DOMAINS)
        if goal.parent is not None:
            parent = policy.goal(goal.parent)
            assert GOAL_LEVELS.index(parent.level) < GOAL_LEVELS.index(goal.level), goal.title
        if goal.level == "directie":
            assert actors[goal.owner].kind == "directie"
    levels = {g.level for g in policy.goals}
    assert {"coalitieakkoord", "bestuursopdracht", "actielijn", "directie"} <= levels
    with pytest.raises(KeyError):
        policy.goal("Geen doel")


def test_measures_reference_existing_goals_groups_and_domains(policy):
    refs = list(policy.measures())
    assert len(refs) == len(set(refs)) == sum(len(u.measures) for u in policy.uitvragen)
    for ref, row in policy.measures().items():
        assert ref.directie in policy.directies
        for title in row.goals:
            policy.goal(title)
        assert set(row.target_groups) <= set(policy.target_groups)
        assert row.domain in UITVRAAG_DOMAINS


def test_theories_are_chains_that_end_in_the_measures_goals(policy):
    measures = policy.measures()
    assert len(policy.theories) >= 3
    for theory in policy.theories:
        row = measures[theory.measure]
        texts = [s.text for s in theory.steps]
        assert len(set(texts)) == len(texts)
        kinds = {s.kind for s in theory.steps}
        assert kinds == set(STEP_ORDER), theory.measure
        for step in theory.steps:
            if step.kind == "doel":
                assert step.goal == step.text
                assert step.goal in row.goals, (theory.measure, step.goal)
                policy.goal(step.goal)
            else:
                assert step.goal is None
        by_text = {s.text: s for s in theory.steps}
        pairs = [(link.source, link.target) for link in theory.links]
        assert len(set(pairs)) == len(pairs)
        for link in theory.links:
            source, target = by_text[link.source], by_text[link.target]
            assert link.source != link.target
            assert STEP_ORDER[source.kind] <= STEP_ORDER[target.kind]
            assert link.rationale
        # every step is on a link
        assert {t for pair in pairs for t in pair} == set(texts)


def test_indicators_reference_existing_goals_and_measures(policy):
    names = [i.name for i in policy.indicators]
    assert len(set(names)) == len(names)
    measures = policy.measures()
    for indicator in policy.indicators:
        assert indicator.source in ("catalogus", "handmatig")
        assert indicator.polarity in ("hoger", "lager", "neutraal")
        assert indicator.definition
        assert indicator.unit
        for title in indicator.goals:
            policy.goal(title)
        assert all(ref in measures for ref in indicator.measures)
        keys = [(v.kind, v.year) for v in indicator.values]
        assert len(set(keys)) == len(keys), indicator.name
        assert {v.kind for v in indicator.values} <= VALUE_KINDS
        assert len(indicator.of_kind("nulmeting")) <= 1
        assert all(math.isfinite(v.value) for v in indicator.values)


def test_manual_indicators_have_cited_values(policy):
    manual = [i for i in policy.indicators if i.source == "handmatig"]
    assert len(manual) >= 4
    for indicator in manual:
        assert not indicator.catalogue_key
        assert not indicator.area_code
        assert indicator.of_kind("realisatie"), indicator.name
    values = [v for i in manual for v in i.values]
    cited = [v for v in values if v.citation is not None]
    assert len(cited) >= len(values) // 2
    assert len(cited) < len(values)  # some values cite nothing


def test_catalogue_indicators_exist_in_the_demo_city(policy, demo_catalogue):
    catalogue, values = demo_catalogue
    linked = [i for i in policy.indicators if i.source == "catalogus"]
    assert len(linked) >= 2
    for indicator in linked:
        assert indicator.catalogue_key in catalogue, indicator.catalogue_key
        entry = catalogue[indicator.catalogue_key]
        assert entry.unit == indicator.unit
        assert {1: "hoger", -1: "lager", 0: "neutraal"}[entry.polarity] == indicator.polarity
        # realised values come from the statistics engine, so only baseline and targets
        assert not indicator.of_kind("realisatie")
        assert indicator.of_kind("streefwaarde")
        (baseline,) = indicator.of_kind("nulmeting")
        key = (indicator.catalogue_key, indicator.area_code, baseline.year)
        assert values.get(key) == baseline.value, key
        assert values.get((indicator.catalogue_key, indicator.area_code, 2025)) is not None


def test_council_items_reference_existing_goals_measures_and_indicators(policy):
    measures = policy.measures()
    indicator_names = {i.name for i in policy.indicators}
    files = [item.file_name for item in policy.information_items]
    assert len(set(files)) == len(files)  # one item per document
    for item in policy.information_items:
        document = demo_document(item.file_name)
        assert document.doc_type in COUNCIL_DOC_TYPES, item.file_name
        assert item.date == document.date
        assert item.reports_on in REPORTS
        for title in item.goals:
            policy.goal(title)
        assert all(ref in measures for ref in item.measures)
        assert set(item.indicators) <= indicator_names
    assert {item.date.year for item in policy.information_items} >= {2023, 2024, 2025, 2026}
    assert {item.reports_on for item in policy.information_items} == REPORTS


def test_documents_referenced_are_generated(policy):
    generated = {
        d.file_name for d in (*generate_demo_documents(), *generate_demo_policy_documents())
    }
    used = set(policy.document_file_names())
    assert used <= generated
    assert {d.file_name for d in generate_demo_policy_documents()} <= used  # none left unused


def test_city_goals_quote_the_coalition_agreement_and_the_bestuursopdracht(policy):
    sources = {c.file_name for g in policy.goals if g.level in CITY_LEVELS for c in g.citations}
    assert "coalitieakkoord-voorbeeldstad-2022-2026.pdf" in sources
    assert "bestuursopdracht-tegengaan-kansenongelijkheid-2023.pdf" in sources
    assert all(g.citations for g in policy.goals if g.level in CITY_LEVELS)


# --- judgements -------------------------------------------------------------------------------


def _subject_exists(policy, kind: str, subject) -> bool:
    if kind == "actor":
        return subject in {a.name for a in policy.actors}
    if kind == "goal":
        return subject in policy.goal_titles
    if kind == "measure":
        return isinstance(subject, MeasureRef) and subject in policy.measures()
    if kind == "indicator":
        return subject in {i.name for i in policy.indicators}
    if kind == "information_item":
        return subject in {i.file_name for i in policy.information_items}
    return False


def _valid(fw, value) -> bool:
    if value == NOT_APPLICABLE:
        return fw.scale.not_applicable is not None
    return any(value == v and type(value) is type(v) for v in fw.scale.values)


def test_every_framework_has_judgements_on_its_scale(policy):
    assert {j.framework for j in policy.judgements} == {f.key for f in frameworks()}
    seen = set()
    for judgement in policy.judgements:
        fw = framework(judgement.framework)
        assert judgement.criterion in fw.codes
        assert _subject_exists(policy, judgement.subject_kind, judgement.subject), judgement
        key = (judgement.framework, judgement.subject, judgement.criterion)
        assert key not in seen
        seen.add(key)
        assert _valid(fw, judgement.consensus), judgement
        assert judgement.rationale
        assert [s.assessor for s in judgement.scores] == list(policy.assessors)
        for score in judgement.scores:
            assert _valid(fw, score.value), (judgement, score)
            assert score.rationale
        assert judgement.consensus in [s.value for s in judgement.scores]


def test_the_effectladder_never_says_not_applicable(policy):
    assert framework("effectladder").scale.not_applicable is None
    values = [s.value for j in policy.judgements if j.framework == "effectladder" for s in j.scores]
    assert NOT_APPLICABLE not in values
    assert len(set(values)) >= 3


def test_not_applicable_is_used_where_allowed(policy):
    used = {j.framework for j in policy.judgements for s in j.scores if s.value == NOT_APPLICABLE}
    assert used
    assert all(framework(key).scale.not_applicable for key in used)


@pytest.mark.parametrize("key", [f.key for f in frameworks()])
def test_the_assessors_agree_in_part(policy, key):
    judgements = [j for j in policy.judgements if j.framework == key]
    assert len(judgements) >= 10
    matrix = [
        [None if j.scores[i].value == NOT_APPLICABLE else j.scores[i].value for j in judgements]
        for i in (0, 1)
    ]
    alpha = krippendorff_alpha(matrix, "ordinal", categories=list(framework(key).scale.values))
    assert 0.0 < alpha < 1.0, alpha
    assert any(j.scores[0].value != j.scores[1].value for j in judgements)


def test_sign_offs_are_by_the_reviewer_and_some_await_review(policy):
    signed = [j for j in policy.judgements if j.signed_off_by is not None]
    assert all(j.signed_off_by == policy.reviewer and j.signed_off_on for j in signed)
    unsigned = [j for j in policy.judgements if j.signed_off_by is None]
    assert unsigned
    assert all(j.signed_off_on is None for j in unsigned)
    assert len(signed) > len(unsigned)


def test_some_consensus_judgements_cite_evidence(policy):
    cited = [j for j in policy.judgements if j.citations]
    assert cited
    assert all(isinstance(c, DemoCitation) for j in cited for c in j.citations)


# --- the intended gaps ------------------------------------------------------------------------


def _descendants(policy, title: str) -> set[str]:
    found, frontier = {title}, [title]
    while frontier:
        parent = frontier.pop()
        for goal in policy.goals:
            if goal.parent == parent and goal.title not in found:
                found.add(goal.title)
                frontier.append(goal.title)
    return found


def test_a_city_goal_that_no_directie_serves(policy):
    title = INTENDED_GAPS["city_goal_no_directie_serves"]
    goal = policy.goal(title)
    assert goal.level in CITY_LEVELS
    tree = _descendants(policy, title)
    assert not any(policy.goal(t).level == "directie" for t in tree)
    assert not any(set(row.goals) & tree for row in policy.measures().values())
    # and every other city goal is served, directly or through the goals under it
    for other in policy.goals:
        if (
            other.level in CITY_LEVELS
            and other.title != title
            and other.title not in (policy.goal(title).parent,)
        ):
            below = _descendants(policy, other.title)
            assert any(set(r.goals) & below for r in policy.measures().values()), other.title


def test_directie_goals_without_a_city_goal(policy):
    orphans = tuple(g.title for g in policy.goals if g.level == "directie" and g.parent is None)
    assert orphans == INTENDED_GAPS["directie_goals_without_city_goal"]
    assert any(g.level == "directie" and g.parent for g in policy.goals)


def test_goals_without_measures_and_without_indicators(policy):
    served = {t for row in policy.measures().values() for t in row.goals}
    measured = {t for i in policy.indicators for t in i.goals}
    without_measures = [g.title for g in policy.goals if g.title not in served]
    assert INTENDED_GAPS["goal_without_measures"] in without_measures
    assert INTENDED_GAPS["goal_without_measures"] not in measured
    assert [g.title for g in policy.goals if g.title not in measured]
    assert served
    assert measured


def test_a_measure_without_goals(policy):
    ref = MeasureRef(*INTENDED_GAPS["measure_without_goals"])
    assert policy.measures()[ref].goals == ()
    assert [r for r, row in policy.measures().items() if not row.goals] == [ref]


def test_indicators_without_baseline_or_target(policy):
    no_baseline = policy.indicator(INTENDED_GAPS["indicator_without_baseline"])
    assert not no_baseline.of_kind("nulmeting")
    assert no_baseline.of_kind("streefwaarde")
    no_target = policy.indicator(INTENDED_GAPS["indicator_without_target"])
    assert not no_target.of_kind("streefwaarde")
    assert no_target.of_kind("nulmeting")
    complete = [
        i for i in policy.indicators if i.of_kind("nulmeting") and i.of_kind("streefwaarde")
    ]
    assert len(complete) >= 4
    with pytest.raises(KeyError):
        policy.indicator("Geen indicator")


def test_theory_links_with_and_without_evidence(policy):
    links = [link for t in policy.theories for link in t.links]
    assert any(link.citation is None for link in links)
    assert any(link.citation is not None for link in links)
    # one theory has no evidence at all
    assert any(all(link.citation is None for link in t.links) for t in policy.theories)
