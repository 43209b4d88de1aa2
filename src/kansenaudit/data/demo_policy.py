"""The fictional policy set of the demo city Voorbeeldstad, as plain data (no Django).

Everything here is invented and labelled so (:data:`DEMO_POLICY_LABEL`). It gives the policy
workbench (deelvragen 2, 4 and 5) something to show offline: an actor register; goals from a
coalition agreement and a bestuursopdracht with actielijnen, and directie goals under them;
the measures of three directies as filled-in uitvraag workbooks; policy theories; indicators
with baselines, targets and realised values; judgements by two assessors with a consensus and a
sign-off; and the information the council received from 2023 to 2026.

Elements refer to each other by title or name (a goal by its title, a measure by
:class:`MeasureRef`, an indicator by its name, a document by its file name), so that a loader
can create them through the services in dependency order. Quotes are exact substrings of the
canonical page text of the generated demo documents (:mod:`kansenaudit.data.demo_documents`),
so ``page.text.find(quote)`` gives the offsets of a citation.

The set deliberately has gaps, so that the monitoring and consistency views have something to
show (see :data:`INTENDED_GAPS`): a city goal that no directie serves, directie goals without a
city goal, goals without measures or indicators, a measure without goals, indicators without a
baseline or a target, and theory links without evidence.

Entry points: :func:`demo_policy_set` and :func:`filled_uitvraag_workbooks`. Deterministic:
the same data and the same workbook bytes on every run.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from kansenaudit.data.demo_city import DEMO_MUNICIPALITY_NAME
from kansenaudit.policy.uitvraag import DEFAULT_BUDGET_YEARS, MeasureRow, build_template

__all__ = [
    "DEMO_DOSSIER_TITLE",
    "DEMO_POLICY_LABEL",
    "INTENDED_GAPS",
    "NOT_APPLICABLE",
    "DemoActor",
    "DemoCitation",
    "DemoGoal",
    "DemoIndicator",
    "DemoIndicatorValue",
    "DemoInformationItem",
    "DemoJudgement",
    "DemoPolicySet",
    "DemoScore",
    "DemoTheory",
    "DemoTheoryLink",
    "DemoTheoryStep",
    "DemoUitvraag",
    "MeasureRef",
    "demo_policy_set",
    "exact_quote",
    "fill_uitvraag_workbook",
    "filled_uitvraag_workbooks",
]

DEMO_POLICY_LABEL = "Fictieve demodata (Voorbeeldstad) — geen echt beleid"
# The title of the demo dossier (kansenaudit.web.demo.content.DOSSIER_TITLE; a test keeps them
# equal). Repeated here because this module must not import the web package.
DEMO_DOSSIER_TITLE = "Kansengelijkheid in Voorbeeldstad (demo)"
# The score of a criterion that does not apply (the label of Scale.not_applicable).
NOT_APPLICABLE = "n.v.t."

# What the set is meant to show in the monitoring and consistency views; the tests check each.
INTENDED_GAPS = {
    "city_goal_no_directie_serves": "Minder kinderen met overgewicht in Nieuw-West en Zuidoost",
    "directie_goals_without_city_goal": (
        "Ouders zijn meer betrokken bij de school van hun kind",
        "Minder huishoudens met problematische schulden",
    ),
    "goal_without_measures": (
        "Elk kind in een overbewoonde woning heeft een rustige plek om huiswerk te maken"
    ),
    "measure_without_goals": ("Directie Wonen", "Energiecoach voor huurders met een laag inkomen"),
    "indicator_without_baseline": "Leerlingen met havo/vwo-advies in Nieuw-West en Zuidoost",
    "indicator_without_target": "Huishoudens bereikt met vroegsignalering van schulden",
}


# --- the data types ---------------------------------------------------------------------------


class MeasureRef(NamedTuple):
    """A measure, by its owner directie and its name (unique within the directie)."""

    directie: str
    name: str


@dataclass(frozen=True)
class DemoCitation:
    """A quote from a page of a generated demo document.

    ``quote`` occurs exactly once, verbatim, in the canonical text of page ``page`` (from 1) of
    the document ``file_name``; in a PDF it may contain the line breaks of the page.
    """

    file_name: str
    page: int
    quote: str
    note: str = ""


@dataclass(frozen=True)
class DemoActor:
    """An entry of the actor register; ``kind`` is a value of ``policy.Actor.Kind``."""

    name: str
    kind: str
    description: str = ""
    contact: str = ""


@dataclass(frozen=True)
class DemoGoal:
    """A goal; ``level`` is a value of ``policy.Goal.Level``, ``parent`` a goal title or None,
    ``owner`` an actor name, ``target_groups`` actor names, ``domains`` catalogue domain keys."""

    code: str
    title: str
    level: str
    parent: str | None
    owner: str | None
    target_groups: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    description: str = ""
    citations: tuple[DemoCitation, ...] = ()


@dataclass(frozen=True)
class DemoUitvraag:
    """The uitvraag of one directie: the request's history and the measures it returned.

    ``status`` is one of concept, verstuurd, ontvangen, teruggestuurd, geaccepteerd.
    """

    directie: str
    contact: str
    sent_on: dt.date
    deadline: dt.date
    reminders: tuple[dt.date, ...]
    received_on: dt.date | None
    status: str
    measures: tuple[MeasureRow, ...]


@dataclass(frozen=True)
class DemoTheoryStep:
    """A step of a policy theory; ``kind`` is activiteit, output, outcome or doel. A doel step
    names its goal in ``goal`` (a goal title) and has that title as its text."""

    kind: str
    text: str
    goal: str | None = None


@dataclass(frozen=True)
class DemoTheoryLink:
    """An assumed causal link between two steps (by their text), with its rationale and, when
    there is any, the evidence for it."""

    source: str
    target: str
    rationale: str
    citation: DemoCitation | None = None


@dataclass(frozen=True)
class DemoTheory:
    """The policy theory of one measure."""

    measure: MeasureRef
    steps: tuple[DemoTheoryStep, ...]
    links: tuple[DemoTheoryLink, ...]


@dataclass(frozen=True)
class DemoIndicatorValue:
    """A baseline (nulmeting), target (streefwaarde) or realised (realisatie) value."""

    kind: str
    year: int
    value: float
    citation: DemoCitation | None = None
    note: str = ""


@dataclass(frozen=True)
class DemoIndicator:
    """A monitoring indicator.

    ``source`` is ``"catalogus"`` (``catalogue_key`` is an indicator of the demo city's
    catalogue and ``area_code`` its area; realised values come from the statistics engine, so
    only a baseline and targets are given) or ``"handmatig"``. ``polarity`` is hoger, lager or
    neutraal.
    """

    name: str
    definition: str
    unit: str
    source: str
    polarity: str
    goals: tuple[str, ...] = ()
    measures: tuple[MeasureRef, ...] = ()
    values: tuple[DemoIndicatorValue, ...] = ()
    catalogue_key: str = ""
    area_code: str = ""

    def of_kind(self, kind: str) -> tuple[DemoIndicatorValue, ...]:
        """The values of one kind, by year."""
        return tuple(sorted((v for v in self.values if v.kind == kind), key=lambda v: v.year))


@dataclass(frozen=True)
class DemoScore:
    """One assessor's score: a value on the framework's scale, or :data:`NOT_APPLICABLE`."""

    assessor: str
    value: int | str
    rationale: str


@dataclass(frozen=True)
class DemoJudgement:
    """A judgement of one subject against one criterion of a framework.

    ``subject_kind`` is actor, goal, measure, indicator or information_item; ``subject`` the
    actor name, goal title, :class:`MeasureRef`, indicator name or the information item's
    document file name. Two independent scores, the consensus with its rationale and evidence,
    and the reviewer's sign-off (None while it awaits review).
    """

    framework: str
    subject_kind: str
    subject: str | MeasureRef
    criterion: str
    scores: tuple[DemoScore, DemoScore]
    consensus: int | str
    rationale: str
    citations: tuple[DemoCitation, ...] = ()
    signed_off_by: str | None = None
    signed_off_on: dt.date | None = None


@dataclass(frozen=True)
class DemoInformationItem:
    """A council document registered as information to the council.

    ``reports_on`` is outputs, effecten, beide or geen (a value of
    ``council.InformationItem.Reports``); goals by title, indicators by name.
    """

    file_name: str
    title: str
    date: dt.date
    reports_on: str
    goals: tuple[str, ...] = ()
    measures: tuple[MeasureRef, ...] = ()
    indicators: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class DemoPolicySet:
    """The whole fictional policy set of Voorbeeldstad."""

    label: str
    actors: tuple[DemoActor, ...]
    goals: tuple[DemoGoal, ...]
    uitvragen: tuple[DemoUitvraag, ...]
    theories: tuple[DemoTheory, ...]
    indicators: tuple[DemoIndicator, ...]
    judgements: tuple[DemoJudgement, ...]
    information_items: tuple[DemoInformationItem, ...]
    assessors: tuple[str, str]
    reviewer: str

    def actors_of_kind(self, kind: str) -> tuple[DemoActor, ...]:
        return tuple(a for a in self.actors if a.kind == kind)

    @property
    def directies(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actors_of_kind("directie"))

    @property
    def target_groups(self) -> tuple[str, ...]:
        return tuple(a.name for a in self.actors_of_kind("doelgroep"))

    @property
    def goal_titles(self) -> tuple[str, ...]:
        return tuple(g.title for g in self.goals)

    @property
    def domains(self) -> tuple[str, ...]:
        """The domains of the uitvraag's dropdown: the labels of the catalogue's outcome
        domains (not the population context), as the workbench's uitvraag lists them."""
        from kansenaudit.data.catalogue import DOMAINS

        return tuple(label for key, label in DOMAINS.items() if key != "bevolking")

    def goal(self, title: str) -> DemoGoal:
        """The goal with this title; KeyError when there is none."""
        for goal in self.goals:
            if goal.title == title:
                return goal
        raise KeyError(title)

    def measures(self) -> dict[MeasureRef, MeasureRow]:
        """Every measure of every uitvraag, by reference, in uitvraag order."""
        return {MeasureRef(u.directie, row.name): row for u in self.uitvragen for row in u.measures}

    def uitvraag(self, directie: str) -> DemoUitvraag:
        """The uitvraag of this directie; KeyError when there is none."""
        for item in self.uitvragen:
            if item.directie == directie:
                return item
        raise KeyError(directie)

    def indicator(self, name: str) -> DemoIndicator:
        """The indicator with this name; KeyError when there is none."""
        for item in self.indicators:
            if item.name == name:
                return item
        raise KeyError(name)

    def citations(self) -> tuple[DemoCitation, ...]:
        """Every citation in the set (goals, theory links, indicator values, judgements)."""
        found: list[DemoCitation] = []
        for goal in self.goals:
            found.extend(goal.citations)
        for theory in self.theories:
            found.extend(link.citation for link in theory.links if link.citation)
        for indicator in self.indicators:
            found.extend(value.citation for value in indicator.values if value.citation)
        for judgement in self.judgements:
            found.extend(judgement.citations)
        return tuple(found)

    def document_file_names(self) -> tuple[str, ...]:
        """The demo documents the set refers to, in first-use order."""
        names = [c.file_name for c in self.citations()]
        names += [item.file_name for item in self.information_items]
        return tuple(dict.fromkeys(names))


# --- quotes -----------------------------------------------------------------------------------


def exact_quote(file_name: str, page: int, text: str) -> str:
    """``text`` as it occurs on the page of the demo document: with the PDF's line breaks.

    ``text`` is written with single spaces, as in the document's paragraphs. Raises
    ValueError when it does not occur exactly once on the page, so a quote can never point at
    nothing.

    >>> exact_quote("coalitieakkoord-voorbeeldstad-2022-2026.pdf", 1,
    ...             "het opgroeit of het inkomen")
    'het\\nopgroeit of het inkomen'
    """
    from kansenaudit.data.demo_documents import demo_document

    page_text = demo_document(file_name).page_text(page)
    pattern = r"[ \n]".join(re.escape(word) for word in text.split(" "))
    matches = list(re.finditer(pattern, page_text))
    if len(matches) != 1:
        raise ValueError(
            f"{file_name} p. {page}: {text!r} komt {len(matches)} keer voor, verwacht 1 keer"
        )
    return matches[0].group(0)


def cite(file_name: str, page: int, text: str, note: str = "") -> DemoCitation:
    """A :class:`DemoCitation` of ``text`` (single-spaced) on the page; see :func:`exact_quote`."""
    return DemoCitation(file_name, page, exact_quote(file_name, page, text), note)


# --- the entry point --------------------------------------------------------------------------


@functools.cache
def demo_policy_set() -> DemoPolicySet:
    """The fictional policy set of Voorbeeldstad (the same, immutable object on every call)."""
    from kansenaudit.data import demo_policy_content as content

    return DemoPolicySet(
        label=DEMO_POLICY_LABEL,
        actors=content.actors(),
        goals=content.goals(),
        uitvragen=content.uitvragen(),
        theories=content.theories(),
        indicators=content.indicators(),
        judgements=content.judgements(),
        information_items=content.information_items(),
        assessors=content.ASSESSORS,
        reviewer=content.REVIEWER,
    )


# --- the filled-in uitvraag workbooks ---------------------------------------------------------

# MeasureRow field -> header of the Maatregelen sheet (kansenaudit.policy.uitvraag._columns).
_HEADERS = {
    "name": "Naam maatregel",
    "description": "Omschrijving",
    "domain": "Domein",
    "reason": "Reden van opgave",
    "status": "Status",
    "start": "Periode van",
    "end": "Periode tot",
    "reach": "Bereik (personen per jaar)",
    "rationale": "Onderbouwing",
    "assumptions": "Aannames",
    "alignment": "Aansluiting gemeentebreed beleid",
    "indicators": "Indicatoren",
    "evidence": "Bewijs en documenten",
}
_FIXED_TIME = (2026, 1, 20, 12, 0, 0)  # keeps the workbook bytes the same on every run
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_CREATED = re.compile(rb"(<dcterms:created[^>]*>)[^<]*(</dcterms:created>)")


def _cells(row: MeasureRow) -> dict[str, object]:
    """{header: value} of a measure; empty values are left out."""
    values: dict[str, object] = {
        header: getattr(row, key) for key, header in _HEADERS.items() if getattr(row, key)
    }
    for i, goal in enumerate(row.goals, start=1):
        values[f"Doel {i}"] = goal
    for i, group in enumerate(row.target_groups, start=1):
        values[f"Doelgroep {i}"] = group
    for year, amount in row.budget:
        if amount is not None:
            values[f"Budget {year} (€)"] = amount
    if row.reach is not None:
        values[_HEADERS["reach"]] = row.reach
    return values


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed timestamps, so that its SHA-256 never changes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    stamp = b"%04d-%02d-%02dT%02d:%02d:%02dZ" % _FIXED_TIME
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _MODIFIED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
                content = _CREATED.sub(rb"\g<1>" + stamp + rb"\g<2>", content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=_FIXED_TIME), content)
    return out.getvalue()


def _fill(template: bytes, measures: Sequence[MeasureRow]) -> bytes:
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(template))
    ws = wb["Maatregelen"]
    columns = {cell.value: cell.column for cell in ws[1] if cell.value}
    for number, row in enumerate(measures, start=1):
        for header, value in _cells(row).items():
            ws.cell(row=number + 1, column=columns[header], value=value)
    out = io.BytesIO()
    wb.save(out)
    return _fixed_zip(out.getvalue())


def fill_uitvraag_workbook(template: bytes, measures: Sequence[MeasureRow]) -> bytes:
    """Fill the Maatregelen sheet of an uitvraag ``template`` (from any source, e.g. the
    workbench's own request) with ``measures``, as a directie would in Excel."""
    return _fill(template, measures)


def filled_uitvraag_workbooks(
    goal_titles: Sequence[str] | None = None,
    target_groups: Sequence[str] | None = None,
    domains: Sequence[str] | None = None,
    dossier_title: str = DEMO_DOSSIER_TITLE,
    *,
    template_version: str = "1",
    budget_years: Sequence[int] = DEFAULT_BUDGET_YEARS,
) -> dict[str, bytes]:
    """The uitvraag workbook of each demo directie, filled in as the directie returned it.

    Each is :func:`kansenaudit.policy.uitvraag.build_template` for these arguments with the
    directie's measures written into the Maatregelen sheet, as a directie would in Excel;
    :func:`~kansenaudit.policy.uitvraag.read_filled` reads it back without errors and returns
    exactly the set's :class:`MeasureRow` objects.

    Parameters
    ----------
    goal_titles, target_groups, domains : the dropdown lists of the templates, as the dossier's
        registers give them; default: the set's goals, target groups and the catalogue domains.
        Each must contain every value the measures use.
    dossier_title : the dossier's title, written into the workbook
    template_version, budget_years : as for ``build_template``; the budget years must include
        the years of the measures' budgets

    Returns
    -------
    dict
        {directie name: xlsx bytes}, in the set's order of directies. The bytes are the same on
        every run (fixed timestamps).

    Raises
    ------
    ValueError
        When a list lacks a value a measure uses (message in Dutch).
    """
    policy = demo_policy_set()
    goals = list(goal_titles if goal_titles is not None else policy.goal_titles)
    groups = list(target_groups if target_groups is not None else policy.target_groups)
    domain_list = list(domains if domains is not None else policy.domains)
    years = tuple(budget_years)
    result: dict[str, bytes] = {}
    for uitvraag in policy.uitvragen:
        for row in uitvraag.measures:
            _check_row(row, goals, groups, domain_list, years)
        template = build_template(
            dossier_title=dossier_title,
            directie=uitvraag.directie,
            goals=goals,
            target_groups=groups,
            domains=domain_list,
            template_version=template_version,
            budget_years=years,
            deadline=uitvraag.deadline,
            contact=uitvraag.contact,
            municipality=DEMO_MUNICIPALITY_NAME,
        )
        result[uitvraag.directie] = _fill(template, uitvraag.measures)
    return result


def _check_row(
    row: MeasureRow,
    goals: Sequence[str],
    groups: Sequence[str],
    domains: Sequence[str],
    years: Sequence[int],
) -> None:
    missing = [g for g in row.goals if g not in goals]
    missing += [g for g in row.target_groups if g not in groups]
    if row.domain and row.domain not in domains:
        missing.append(row.domain)
    missing += [str(y) for y, amount in row.budget if amount is not None and y not in years]
    if missing:
        raise ValueError(
            f"maatregel {row.name!r}: ontbreekt in de keuzelijsten van het sjabloon: "
            + ", ".join(missing)
        )
