# SPDX-License-Identifier: EUPL-1.2
"""The chain norm → finding → conclusion → recommendation: as a graph, as table rows, and the
trace and normenkader exports."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from kansenaudit.findings_logic import chain as chain_lib
from kansenaudit.web.findings.models import Conclusion, EvidenceRef, Finding, Norm, Recommendation
from kansenaudit.web.findings.selectors.core import _pk, norms
from kansenaudit.web.findings.selectors.evidence import RefState, ref_states


def graph(dossier: Any) -> dict[chain_lib.Node, list[chain_lib.Node]]:
    """norm → finding → conclusion (→ conclusion) → recommendation, in four queries."""
    edges: list[tuple[chain_lib.Node, chain_lib.Node]] = []
    for norm_id, finding_id in Finding.norms.through.objects.filter(
        finding__dossier=dossier
    ).values_list("norm_id", "finding_id"):
        edges.append((("norm", norm_id), ("finding", finding_id)))
    for conclusion_id, finding_id in Conclusion.findings.through.objects.filter(
        conclusion__dossier=dossier
    ).values_list("conclusion_id", "finding_id"):
        edges.append((("finding", finding_id), ("conclusion", conclusion_id)))
    for upper, lower in Conclusion.builds_on.through.objects.filter(
        from_conclusion__dossier=dossier
    ).values_list("from_conclusion_id", "to_conclusion_id"):
        edges.append((("conclusion", lower), ("conclusion", upper)))
    for rec_id, conclusion_id in Recommendation.conclusions.through.objects.filter(
        recommendation__dossier=dossier
    ).values_list("recommendation_id", "conclusion_id"):
        edges.append((("conclusion", conclusion_id), ("recommendation", rec_id)))
    return chain_lib.adjacency(edges)


@dataclass
class Chain:
    """The chain of a dossier: every element by kind and id, the graph, and table rows."""

    labels: dict[chain_lib.Node, str]
    graph: dict[chain_lib.Node, list[chain_lib.Node]]
    rows: list[dict[str, Any]]
    focus: chain_lib.Node | None = None
    shown: set[chain_lib.Node] | None = None


def chain(dossier: Any, focus: str = "") -> Chain:
    """The chain as table rows (one per finding: its norms, conclusions and recommendations),
    optionally narrowed to everything connected to ``focus`` ("finding:12")."""
    g = graph(dossier)
    labels: dict[chain_lib.Node, str] = {}
    texts: dict[chain_lib.Node, str] = {}
    for pk, code, title in Norm.objects.filter(dossier=dossier).values_list("pk", "code", "title"):
        labels[("norm", pk)], texts[("norm", pk)] = code, title
    finding_rows = list(
        Finding.objects.filter(dossier=dossier)
        .order_by("sub_question__number", "code")
        .values_list("pk", "code", "title", "status", "sub_question__number")
    )
    for pk, code, title, _status, _sq in finding_rows:
        labels[("finding", pk)], texts[("finding", pk)] = code, title
    for pk, code, text in Conclusion.objects.filter(dossier=dossier).values_list(
        "pk", "code", "text"
    ):
        labels[("conclusion", pk)], texts[("conclusion", pk)] = code, text
    for pk, code, text in Recommendation.objects.filter(dossier=dossier).values_list(
        "pk", "code", "text"
    ):
        labels[("recommendation", pk)], texts[("recommendation", pk)] = code, text
    node: chain_lib.Node | None = None
    kind, _sep, raw = (focus or "").partition(":")
    if kind in chain_lib.ORDER and (kind, _pk(raw)) in labels:
        node = (kind, _pk(raw))
    shown: set[chain_lib.Node] | None = None
    if node is not None:
        shown = chain_lib.reachable(g, node) | chain_lib.reachable(chain_lib.reverse(g), node)
    back = chain_lib.reverse(g)
    rows = []
    for pk, _code, _title, status, sq in finding_rows:
        f = ("finding", pk)
        if shown is not None and f not in shown:
            continue
        # Everything downstream of the finding (conclusions building on conclusions too).
        down = chain_lib.reachable(g, f)
        rows.append(
            {
                "sub_question": sq,
                "finding": f,
                "status": status,
                "norms": sorted(
                    (n for n in back.get(f, []) if n[0] == "norm"), key=lambda n: labels.get(n, "")
                ),
                "conclusions": sorted(
                    (n for n in down if n[0] == "conclusion"), key=lambda n: labels.get(n, "")
                ),
                "recommendations": sorted(
                    (n for n in down if n[0] == "recommendation"), key=lambda n: labels.get(n, "")
                ),
            }
        )
    result = Chain(labels=labels, graph=g, rows=rows, focus=node, shown=shown)
    result.texts = texts  # type: ignore[attr-defined]
    return result


TRACE_COLUMNS = [
    "deelvraag",
    "normen",
    "bevinding",
    "titel",
    "status",
    "oordeel",
    "bewijs_soort",
    "bewijs_id",
    "bewijs",
    "bewijs_toestand",
    "conclusies",
    "aanbevelingen",
]


def trace_rows(dossier: Any) -> list[list[Any]]:
    """The full trace: one row per piece of evidence of each finding (a finding without
    evidence gets one row), with its norms, conclusions and recommendations."""
    c = chain(dossier)
    finding_objs = {
        f.pk: f for f in Finding.objects.filter(dossier=dossier).select_related("sub_question")
    }
    refs = list(
        EvidenceRef.objects.filter(finding__dossier=dossier).order_by("finding", "kind", "id")
    )
    states: dict[int, list[RefState]] = defaultdict(list)
    for state in ref_states(dossier, refs):
        states[state.ref.finding_id].append(state)
    out: list[list[Any]] = []
    for row in c.rows:
        f = finding_objs[row["finding"][1]]
        base = [
            f.sub_question.number,
            ", ".join(c.labels[n] for n in row["norms"]),
            f.code,
            f.title,
            f.get_status_display(),
            f.get_verdict_display() if f.verdict else "",
        ]
        tail = [
            ", ".join(c.labels[n] for n in row["conclusions"]),
            ", ".join(c.labels[n] for n in row["recommendations"]),
        ]
        own = states.get(f.pk, [])
        if not own:
            out.append([*base, "", "", "", "", *tail])
        for s in own:
            out.append([*base, s.ref.kind, s.ref.object_id, s.label, s.state, *tail])
    return out


NORM_COLUMNS = [
    "code",
    "deelvraag",
    "norm",
    "criteria",
    "soort_bron",
    "bron",
    "versie",
    "bevindingen",
]


def norm_rows(dossier: Any) -> list[list[Any]]:
    return [
        [
            n.code,
            n.sub_question.number if n.sub_question else "",
            n.title,
            n.criteria,
            n.get_source_kind_display(),
            n.source,
            n.version,
            n.finding_count,  # type: ignore[attr-defined]
        ]
        for n in norms(dossier)
    ]
