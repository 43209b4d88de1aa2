# SPDX-License-Identifier: EUPL-1.2
"""Reads of the findings chain: evidence states, quality checks, the chain as a graph and a
table, the trace export, and the follow-up register across dossiers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from kansenaudit.findings_logic import chain as chain_lib
from kansenaudit.findings_logic.text import diff_sections
from kansenaudit.web.dossiers.models import Membership, SubQuestion
from kansenaudit.web.findings import registry
from kansenaudit.web.findings.models import (
    Conclusion,
    EvidenceRef,
    Finding,
    FollowUp,
    Norm,
    NotaVersion,
    Recommendation,
    WederhoorComment,
    WederhoorLink,
)

UNCHANGED, CHANGED, MISSING = "ongewijzigd", "gewijzigd", "ontbreekt"


def _pk(value: Any) -> int:
    """The id in ``value``, or 0 (which no row has) when it is not a number."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def norms(dossier: Any) -> QuerySet[Norm]:
    return (
        Norm.objects.filter(dossier=dossier)
        .select_related("sub_question")
        .annotate(finding_count=Count("findings"))
    )


def norm_in_dossier(dossier: Any, norm_id: Any) -> Norm | None:
    return Norm.objects.filter(dossier=dossier, pk=_pk(norm_id)).first()


def findings(dossier: Any, *, with_norms: bool = False) -> QuerySet[Finding]:
    rows = (
        Finding.objects.filter(dossier=dossier)
        .select_related("sub_question", "signed_off_by")
        .annotate(ref_count=Count("refs"))
        .order_by("sub_question__number", "code", "id")
    )
    return rows.prefetch_related("norms") if with_norms else rows


def finding_in_dossier(dossier: Any, finding_id: Any) -> Finding | None:
    return (
        Finding.objects.filter(dossier=dossier, pk=_pk(finding_id))
        .select_related("sub_question", "preparer", "signed_off_by", "dossier")
        .first()
    )


def conclusions(dossier: Any) -> QuerySet[Conclusion]:
    return (
        Conclusion.objects.filter(dossier=dossier)
        .select_related("sub_question")
        .prefetch_related("findings", "builds_on")
    )


def conclusion_in_dossier(dossier: Any, conclusion_id: Any) -> Conclusion | None:
    return Conclusion.objects.filter(dossier=dossier, pk=_pk(conclusion_id)).first()


def recommendations(dossier: Any) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(dossier=dossier)
        .select_related("reaction__letter")
        .prefetch_related("conclusions", "follow_ups")
    )


def recommendation_in_dossier(dossier: Any, rec_id: Any) -> Recommendation | None:
    return Recommendation.objects.filter(dossier=dossier, pk=_pk(rec_id)).first()


# --- evidence states --------------------------------------------------------------------------


@dataclass
class RefState:
    """A reference with what it points at now: its label, link and whether it changed."""

    ref: EvidenceRef
    kind_name: str
    label: str
    url: str
    state: str


def ref_states(dossier: Any, refs: list[EvidenceRef], *, detail: bool = False) -> list[RefState]:
    """Resolve ``refs`` through the registry, a few queries per kind however many refs.

    Without ``detail`` the label is the one stored with the reference and there is no link
    (the checks and the exports need only the state; a page of one finding wants both)."""
    kinds = registry.kinds()
    by_kind: dict[str, list[EvidenceRef]] = defaultdict(list)
    for ref in refs:
        by_kind[ref.kind].append(ref)
    found: dict[tuple[str, int], Any] = {}
    for key, own in by_kind.items():
        kind = kinds.get(key)
        if kind is not None:
            for pk, obj in kind.load_many(dossier, [r.object_id for r in own]).items():
                found[(key, pk)] = obj
    states: list[RefState] = []
    for ref in refs:
        kind = kinds.get(ref.kind)
        obj = found.get((ref.kind, ref.object_id))
        if kind is None or obj is None:
            states.append(RefState(ref, ref.kind, ref.label, "", MISSING))
            continue
        now = registry.fingerprint(kind, obj)
        states.append(
            RefState(
                ref,
                str(kind.name),
                kind.label(obj) if detail else ref.label,
                kind.url(obj) if detail else "",
                UNCHANGED if now == ref.fingerprint else CHANGED,
            )
        )
    return states


# --- quality checks -----------------------------------------------------------------------


@dataclass
class Checks:
    """What the dossier's chain still lacks; each list holds the objects concerned."""

    without_evidence: list[Finding] = field(default_factory=list)
    norms_without_findings: list[Norm] = field(default_factory=list)
    sub_questions_without_findings: list[SubQuestion] = field(default_factory=list)
    changed_after_sign_off: list[tuple[Finding, list[RefState]]] = field(default_factory=list)
    missing_evidence: list[tuple[Finding, list[RefState]]] = field(default_factory=list)
    conclusions_without_findings: list[Conclusion] = field(default_factory=list)
    cycle: list[str] = field(default_factory=list)

    @property
    def problems(self) -> int:
        return sum(
            len(x)
            for x in (
                self.without_evidence,
                self.norms_without_findings,
                self.sub_questions_without_findings,
                self.changed_after_sign_off,
                self.missing_evidence,
                self.conclusions_without_findings,
            )
        ) + (1 if self.cycle else 0)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "bevinding_zonder_bewijs": [f.code for f in self.without_evidence],
            "norm_zonder_bevindingen": [n.code for n in self.norms_without_findings],
            "deelvraag_zonder_bevindingen": [
                str(s.number) for s in self.sub_questions_without_findings
            ],
            "bewijs_gewijzigd_na_aftekening": [f.code for f, _ in self.changed_after_sign_off],
            "bewijs_ontbreekt": [f.code for f, _ in self.missing_evidence],
            "conclusie_zonder_bevindingen": [c.code for c in self.conclusions_without_findings],
            "cirkel_in_keten": self.cycle,
        }


def checks(dossier: Any) -> Checks:
    """The quality checks of the dossier's chain (a fixed number of queries)."""
    result = Checks()
    all_findings = list(
        Finding.objects.filter(dossier=dossier)
        .select_related("sub_question")
        .order_by("sub_question__number", "code")
    )
    refs = list(EvidenceRef.objects.filter(finding__dossier=dossier).order_by("finding", "id"))
    states_by_finding: dict[int, list[RefState]] = defaultdict(list)
    for state in ref_states(dossier, refs):
        states_by_finding[state.ref.finding_id].append(state)
    for finding in all_findings:
        states = states_by_finding.get(finding.pk, [])
        if not states:
            result.without_evidence.append(finding)
        missing = [s for s in states if s.state == MISSING]
        if missing:
            result.missing_evidence.append((finding, missing))
        if finding.status == Finding.Status.SIGNED_OFF:
            changed = [s for s in states if s.state == CHANGED]
            if changed:
                result.changed_after_sign_off.append((finding, changed))
    result.norms_without_findings = list(
        Norm.objects.filter(dossier=dossier, findings__isnull=True).order_by("code")
    )
    covered = {f.sub_question_id for f in all_findings}
    result.sub_questions_without_findings = [
        s for s in SubQuestion.objects.filter(dossier=dossier) if s.pk not in covered
    ]
    result.conclusions_without_findings = list(
        Conclusion.objects.filter(
            dossier=dossier, findings__isnull=True, builds_on__isnull=True
        ).order_by("code")
    )
    cycle = chain_lib.find_cycle(graph(dossier))
    if cycle:
        codes = dict(Conclusion.objects.filter(dossier=dossier).values_list("pk", "code"))
        result.cycle = [codes.get(pk, str(pk)) for _kind, pk in cycle]
    return result


def finding_states(finding: Finding) -> list[RefState]:
    return ref_states(finding.dossier, list(finding.refs.order_by("kind", "id")), detail=True)


# --- the chain --------------------------------------------------------------------------------


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


# --- wederhoor -----------------------------------------------------------------------------


def versions(dossier: Any) -> QuerySet[NotaVersion]:
    return NotaVersion.objects.filter(dossier=dossier).order_by("-number")


def version_in_dossier(dossier: Any, version_id: Any) -> NotaVersion | None:
    return NotaVersion.objects.filter(dossier=dossier, pk=_pk(version_id)).first()


def version_diff(version: NotaVersion) -> list[Any]:
    """What changed from the previous version to ``version`` (all new for the first)."""
    previous = (
        NotaVersion.objects.filter(dossier_id=version.dossier_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    old = previous.content.get("sections", []) if previous else []
    return diff_sections(old, version.content.get("sections", []))


def links(version: NotaVersion) -> QuerySet[WederhoorLink]:
    return WederhoorLink.objects.filter(version=version).annotate(comment_count=Count("comments"))


def link_in_dossier(dossier: Any, link_id: Any) -> WederhoorLink | None:
    return (
        WederhoorLink.objects.filter(version__dossier=dossier, pk=_pk(link_id))
        .select_related("version__dossier")
        .first()
    )


def comments(version: NotaVersion) -> QuerySet[WederhoorComment]:
    return WederhoorComment.objects.filter(version=version).select_related("link", "handled_by")


def comment_in_dossier(dossier: Any, comment_id: Any) -> WederhoorComment | None:
    return (
        WederhoorComment.objects.filter(version__dossier=dossier, pk=_pk(comment_id))
        .select_related("version__dossier")
        .first()
    )


def own_comments(link: WederhoorLink) -> QuerySet[WederhoorComment]:
    """Only this link's comments on its own version: what the contact may see."""
    return WederhoorComment.objects.filter(link=link, version_id=link.version_id)


def wederhoor_status(dossier: Any) -> list[dict[str, Any]]:
    """Per version: its links and the handling of its comments."""
    result = []
    for version in versions(dossier).prefetch_related(
        Prefetch("links", queryset=WederhoorLink.objects.order_by("id"))
    ):
        counts = dict(
            WederhoorComment.objects.filter(version=version)
            .values_list("handling")
            .annotate(n=Count("id"))
            .values_list("handling", "n")
        )
        result.append(
            {
                "versie": version.number,
                "bevroren": version.frozen_at.isoformat(timespec="seconds"),
                "reacties_tot": version.comments_until.isoformat(),
                "sha256": version.content_sha256,
                "links": [
                    {
                        "contact": link.contact_name,
                        "actief": link.is_active,
                        "verloopt": link.expires_at.isoformat(timespec="seconds"),
                    }
                    for link in version.links.all()
                ],
                "reacties": {h: counts.get(h, 0) for h in WederhoorComment.Handling.values},
            }
        )
    return result


# --- follow-up --------------------------------------------------------------------------------


def follow_up_register(user: Any) -> list[Recommendation]:
    """Every recommendation of the dossiers ``user`` is a member of, with reaction and
    measurements."""
    dossier_ids = Membership.objects.filter(user=user).values_list("dossier_id", flat=True)
    return list(
        Recommendation.objects.filter(dossier_id__in=dossier_ids)
        .select_related("dossier", "reaction")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("year")))
        .order_by("dossier__title", "code")
    )


def follow_up_of_dossier(dossier: Any) -> list[Recommendation]:
    """The recommendations of one dossier with reaction and measurements (its export)."""
    return list(
        Recommendation.objects.filter(dossier=dossier)
        .select_related("dossier", "reaction")
        .prefetch_related(Prefetch("follow_ups", queryset=FollowUp.objects.order_by("year")))
        .order_by("code")
    )


FOLLOW_COLUMNS = [
    "dossier",
    "aanbeveling",
    "tekst",
    "gericht_aan",
    "reactie_college",
    "toezegging",
    "jaar",
    "status",
    "toelichting",
]


def follow_up_rows(recs: list[Recommendation]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for rec in recs:
        reaction = getattr(rec, "reaction", None)
        base = [
            rec.dossier.title,
            rec.code,
            rec.text,
            rec.get_addressee_display(),
            reaction.get_position_display() if reaction else "",
            reaction.commitment if reaction else "",
        ]
        follows = list(rec.follow_ups.all())
        if not follows:
            rows.append([*base, "", "", ""])
        for f in follows:
            rows.append([*base, f.year, f.get_status_display(), f.note])
    return rows
