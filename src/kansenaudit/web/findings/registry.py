# SPDX-License-Identifier: EUPL-1.2
"""The kinds of evidence a finding can rest on: one entry per kind.

A reference is ``(kind, id)``. Each :class:`EvidenceKind` says how to load objects of that kind
*within one dossier* (another dossier's object is simply not found), how to label and link
one, and which of its content counts: :func:`fingerprint` hashes that content, so a reference
shows "changed" when the evidence changed after it was attached or signed off.

Adding a kind is one entry in :data:`KIND_PATHS`: a dotted path ``module:NAME`` to an
``EvidenceKind`` object. A kind whose module is not installed yet is left out (the apps for
fieldwork coding and network maps are built alongside this one; see docs/findings.md). A kind
with ``candidates`` is listed in the evidence picker; one without is picked by its number.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kansenaudit.findings_logic.text import fingerprint as _fingerprint
from kansenaudit.reporting.formatting import format_date, format_number, language


@dataclass(frozen=True)
class EvidenceKind:
    """How the findings app handles one kind of evidence.

    ``load_many(dossier, ids)`` returns ``{id: object}`` for the ids that exist *in this
    dossier* (one or a few queries, however many ids); ``label(obj)`` a one-line description;
    ``url(obj)`` the page that shows it (or ""); ``content(obj)`` a JSON-safe dict of what the
    finding relies on, fingerprinted to detect a change.

    ``candidates(dossier, words)`` (optional) returns a QuerySet of the objects of this dossier
    that a finding may rest on and whose text contains every word, in the order a picker lists
    them; the picker slices it. Without it the picker offers the kind by number only.
    """

    key: str
    name: Any
    load_many: Callable[[Any, Iterable[int]], dict[int, Any]]
    label: Callable[[Any], str]
    url: Callable[[Any], str]
    content: Callable[[Any], dict[str, Any]]
    candidates: Callable[[Any, list[str]], Any] | None = None


def fingerprint(kind: EvidenceKind, obj: Any) -> str:
    return _fingerprint({"kind": kind.key, "content": kind.content(obj)})


def _lang() -> Any:
    """Labels are written in the interface language (through the one formatting helper)."""
    return language(get_language())


def _ids(ids: Iterable[int]) -> list[int]:
    return sorted({int(i) for i in ids})


def matching(rows: Any, words: list[str], fields: tuple[str, ...], years: str = "") -> Any:
    """``rows`` whose ``fields`` together contain every word (a number also matches ``years``)."""
    for word in words:
        where = Q()
        for name in fields:
            where |= Q(**{f"{name}__icontains": word})
        if years and word.isdigit() and len(word) <= 4:
            where |= Q(**{years: int(word)})
        rows = rows.filter(where)
    return rows


# --- citations (document + page + quote) ------------------------------------------------------


def _shared_citations(dossier: Any) -> Any:
    # The selector of the policy register's citation picker: what the whole team may see, so
    # never a citation held for an assessment that is still blind.
    from kansenaudit.web.evidence.selectors import citations_visible_to

    return citations_visible_to(None, dossier)


def _citations(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    return {c.pk: c for c in _shared_citations(dossier).filter(pk__in=_ids(ids))}


def _citation_candidates(dossier: Any, words: list[str]) -> Any:
    rows = matching(_shared_citations(dossier), words, ("document__title", "quote", "note"))
    return rows.order_by("document__title", "page_number", "start", "pk")


CITATION = EvidenceKind(
    key="citaat",
    name=_("citation (document, page, quote)"),
    load_many=_citations,
    label=lambda c: f"{c.document.title}, p. {c.page_number}: “{c.quote[:160]}”",
    url=lambda c: (
        reverse("evidence:document", args=[c.dossier_id, c.document_id])
        + f"#pagina-{c.page_number}"
    ),
    content=lambda c: {
        "document": c.document_id,
        "document_sha256": c.document.sha256,
        "page": c.page_number,
        "quote_sha256": c.quote_sha256,
        "state": c.state,
    },
    candidates=_citation_candidates,
)


# --- judgements ----------------------------------------------------------------------------------


def _judgements(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    from kansenaudit.web.judgements.models import Judgement

    return {j.pk: j for j in Judgement.objects.filter(dossier=dossier, pk__in=_ids(ids))}


def _judgement_candidates(dossier: Any, words: list[str]) -> Any:
    from kansenaudit.web.judgements.models import Judgement

    fields = ("framework_key", "criterion_code", "subject_label", "consensus_rationale")
    rows = matching(Judgement.objects.filter(dossier=dossier), words, fields)
    return rows.order_by("framework_key", "subject_label", "criterion_code", "pk")


JUDGEMENT = EvidenceKind(
    key="oordeel",
    name=_("judgement"),
    load_many=_judgements,
    label=lambda j: f"{j.framework_key} {j.criterion_code}: {j.subject_label}",
    url=lambda j: reverse("judgements:detail", args=[j.dossier_id, j.pk]),
    content=lambda j: {
        "status": j.status,
        "score": j.consensus_score,
        "not_applicable": j.consensus_not_applicable,
        "rationale": j.consensus_rationale,
        "signed_off_at": j.signed_off_at.isoformat() if j.signed_off_at else None,
    },
    candidates=_judgement_candidates,
)


# --- numbers from the statistics (indicator values with their provenance) -----------------------


def _statistic_rows(dossier: Any) -> Any:
    from kansenaudit.web.indicators.models import IndicatorValue

    rows = IndicatorValue.objects.select_related("indicator", "area")
    if dossier.municipality_code:
        # The statistics are shared; a dossier may use the numbers of its own municipality.
        rows = rows.filter(area__municipality_code=dossier.municipality_code)
    return rows


def _statistics(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    return {v.pk: v for v in _statistic_rows(dossier).filter(pk__in=_ids(ids))}


def _statistic_candidates(dossier: Any, words: list[str]) -> Any:
    fields = ("indicator__name", "indicator__key", "area__name", "group", "source")
    rows = matching(_statistic_rows(dossier), words, fields, years="period")
    return rows.order_by("indicator__name", "area__name", "group", "period", "pk")


def _value_label(v: Any) -> str:
    value = format_number(v.value, lang=_lang())
    where = f"{v.area.name}, {v.group}, {v.period}"
    source = ", ".join(p for p in (v.source or v.indicator.source, v.release) if p)
    return f"{v.indicator.name} ({where}): {value} {v.indicator.unit} [{source}]"


STATISTIC = EvidenceKind(
    key="statistiek",
    name=_("number from the statistics"),
    load_many=_statistics,
    label=_value_label,
    url=lambda v: "",
    content=lambda v: {
        "indicator": v.indicator.key,
        "area": v.area.code,
        "group": v.group,
        "period": v.period,
        "value": v.value,
        "n": v.n,
        "source": v.source,
        "release": v.release,
    },
    candidates=_statistic_candidates,
)


# --- monitoring values of the policy register -----------------------------------------------------


def _monitoring(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    from kansenaudit.web.policy.models import IndicatorValue

    # No join: the content needs only the row; the label reads the indicator when asked.
    rows = IndicatorValue.objects.filter(indicator__dossier=dossier, pk__in=_ids(ids))
    return {v.pk: v for v in rows.defer("created_at")}


def _monitoring_candidates(dossier: Any, words: list[str]) -> Any:
    from kansenaudit.web.policy.models import IndicatorValue

    rows = IndicatorValue.objects.filter(indicator__dossier=dossier).select_related("indicator")
    rows = matching(rows, words, ("indicator__name", "note"), years="year")
    return rows.order_by("indicator__name", "year", "kind", "pk")


MONITORING = EvidenceKind(
    key="monitoring",
    name=_("monitoring value of a policy indicator"),
    load_many=_monitoring,
    label=lambda v: (
        f"{v.indicator.name}: {v.get_kind_display()} {v.year} = "
        f"{format_number(v.value, lang=_lang())}"
    ),
    url=lambda v: reverse("policy:indicator_detail", args=[v.indicator.dossier_id, v.indicator_id]),
    content=lambda v: {
        "indicator": v.indicator_id,
        "kind": v.kind,
        "year": v.year,
        "value": v.value,
        "citation": v.citation_id,
    },
    candidates=_monitoring_candidates,
)


# --- council information items ------------------------------------------------------------------


def _council(dossier: Any, ids: Iterable[int]) -> dict[int, Any]:
    from kansenaudit.web.council.models import InformationItem

    rows = InformationItem.objects.filter(dossier=dossier, pk__in=_ids(ids))
    return {i.pk: i for i in rows.select_related("document")}


def _council_candidates(dossier: Any, words: list[str]) -> Any:
    from kansenaudit.web.council.models import InformationItem

    rows = InformationItem.objects.filter(dossier=dossier).select_related("document")
    rows = matching(rows, words, ("title", "note", "document__title"))
    return rows.order_by("-date", "title", "pk")


COUNCIL = EvidenceKind(
    key="raadsinformatie",
    name=_("council-information item"),
    load_many=_council,
    label=lambda i: f"{i.title} ({format_date(i.date, lang=_lang())})",
    url=lambda i: reverse("council:item", args=[i.dossier_id, i.pk]),
    content=lambda i: {
        "title": i.title,
        "date": i.date.isoformat(),
        "reports_on": i.reports_on,
        "note": i.note,
        "document_sha256": i.document.sha256,
    },
    candidates=_council_candidates,
)


# --- the registry ---------------------------------------------------------------------------------

# One line per kind, in the order the forms offer them.
KIND_PATHS: tuple[str, ...] = (
    "kansenaudit.web.findings.registry:CITATION",
    "kansenaudit.web.findings.registry:JUDGEMENT",
    "kansenaudit.web.findings.registry:STATISTIC",
    "kansenaudit.web.findings.registry:MONITORING",
    "kansenaudit.web.findings.registry:COUNCIL",
    "kansenaudit.web.coding.evidence:SEGMENT",
    "kansenaudit.web.coding.evidence:MATRIX_CELL",
    "kansenaudit.web.network.evidence:CHECK",
)


@cache
def kinds() -> dict[str, EvidenceKind]:
    """The installed kinds by key (a path whose module does not exist yet is skipped)."""
    found: dict[str, EvidenceKind] = {}
    for path in KIND_PATHS:
        module_name, _sep, attr = path.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            # Only the module itself (or its app) missing is "not built yet"; a module that is
            # there but fails on an import of its own is a bug and must not be hidden.
            if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
                continue
            raise
        kind = getattr(module, attr, None)
        if isinstance(kind, EvidenceKind):
            found[kind.key] = kind
    return found


def kind_choices() -> list[tuple[str, str]]:
    return [(k.key, str(k.name)) for k in kinds().values()]
