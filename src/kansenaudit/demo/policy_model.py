# SPDX-License-Identifier: EUPL-1.2
"""The data types of the demo policy set (see :mod:`kansenaudit.demo.policy`), and exact quotes.

Both the content (:mod:`kansenaudit.demo.policy_content`) and the entry point
(:mod:`kansenaudit.demo.policy`) use these, so they live apart from either.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import NamedTuple

from kansenaudit.policy.uitvraag import MeasureRow

__all__ = [
    "DEMO_DOSSIER_TITLE",
    "DEMO_POLICY_LABEL",
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
    "cite",
    "exact_quote",
]

DEMO_POLICY_LABEL = "Fictieve demodata (Voorbeeldstad) — geen echt beleid"
# The title of the demo dossier (kansenaudit.web.demo.content.DOSSIER_TITLE; a test keeps them
# equal). Repeated here because this module must not import the web package.
DEMO_DOSSIER_TITLE = "Kansengelijkheid in Voorbeeldstad (demo)"
# The score of a criterion that does not apply (the label of Scale.not_applicable).
NOT_APPLICABLE = "n.v.t."


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
    from kansenaudit.demo.documents import demo_document

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
