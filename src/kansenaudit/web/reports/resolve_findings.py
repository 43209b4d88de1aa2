# SPDX-License-Identifier: EUPL-1.2
"""References to the findings chain of a dossier, for the reports' resolver.

- ``finding:<id>`` — the finding's code and title, inline;
- ``findings:<sub-question number>`` — every finding of that sub-question as a section: its
  code and title as a heading, its verdict against the norms, and its text (whose own references
  are resolved too);
- ``conclusions:<sub-question number>`` or ``conclusions:all`` — the conclusions as a list;
- ``recommendations:all`` (or ``college``, ``raad``, ``organisatie``) — the recommendations as a
  numbered list with their addressee;
- ``table:norms`` — the normenkader as a table (for the annex).

A finding that is not signed off is shown (marked as such) but reported as a problem
("not_signed_off"), so a version that contains it can be saved as a draft but not frozen.
"""

from __future__ import annotations

from typing import Any

from kansenaudit.reports.document import (
    Heading,
    ListBlock,
    Paragraph,
    TableBlock,
    Text,
)
from kansenaudit.reports.markup import Resolved, Unresolved, parse_chapter


def _nl(callable_: Any) -> str:
    from django.utils import translation

    with translation.override("nl"):
        return str(callable_())


class FindingsKinds:
    """The findings kinds of one resolver (``resolver`` resolves references inside texts)."""

    def __init__(self, dossier: Any, resolver: Any) -> None:
        self.dossier = dossier
        self.resolver = resolver

    def kinds(self) -> dict[str, Any]:
        return {
            "finding": self.finding,
            "findings": self.findings,
            "conclusions": self.conclusions,
            "recommendations": self.recommendations,
        }

    def finding(self, ref: str) -> Resolved | Unresolved:
        from kansenaudit.web.findings.selectors import finding_in_dossier

        found = finding_in_dossier(self.dossier, ref) if ref.isdigit() else None
        if found is None:
            return Unresolved("missing", "no finding with this id in the dossier")
        text = Text(f"{found.code} {found.title}", emphasis=True)
        if found.status != found.Status.SIGNED_OFF:
            return Resolved(inlines=(text,), problem="not_signed_off", detail=found.code)
        return Resolved(inlines=(text,))

    def findings(self, ref: str) -> Resolved | Unresolved:
        from kansenaudit.web.findings.selectors import findings

        if not ref.isdigit():
            return Unresolved("malformed", "findings:<sub-question number>")
        rows = [
            f
            for f in findings(self.dossier, with_norms=True)
            if f.sub_question and f.sub_question.number == int(ref)
        ]
        if not rows:
            return Unresolved("missing", f"no findings for sub-question {ref}")
        blocks: list[Any] = []
        unsigned = []
        for finding in rows:
            title = f"{finding.code} {finding.title}"
            if finding.status != finding.Status.SIGNED_OFF:
                unsigned.append(finding.code)
                title += " (nog niet afgetekend)"
            blocks.append(Heading(2, (Text(title),)))
            if finding.verdict:
                norms = ", ".join(n.code for n in finding.norms.all())
                verdict = _nl(finding.get_verdict_display)
                blocks.append(
                    Paragraph(
                        (
                            Text(
                                f"Oordeel: {verdict}" + (f" ({norms})" if norms else ""),
                                emphasis=True,
                            ),
                        )
                    )
                )
            inner = parse_chapter(
                finding.text, chapter=f"finding:{finding.pk}", resolver=self.resolver
            )
            for block in inner.blocks:
                blocks.append(Heading(3, block.inlines) if isinstance(block, Heading) else block)
        if unsigned:
            return Resolved(
                blocks=tuple(blocks), problem="not_signed_off", detail=", ".join(unsigned)
            )
        return Resolved(blocks=tuple(blocks))

    def conclusions(self, ref: str) -> Resolved | Unresolved:
        from kansenaudit.web.findings.selectors import conclusions

        rows = list(conclusions(self.dossier).order_by("sub_question__number", "code"))
        if ref != "all":
            if not ref.isdigit():
                return Unresolved(
                    "malformed", "conclusions:<sub-question number> or conclusions:all"
                )
            rows = [c for c in rows if c.sub_question and c.sub_question.number == int(ref)]
        if not rows:
            return Unresolved("missing", "no conclusions")
        items = tuple((Text(f"{c.code}. ", strong=True), Text(c.text.strip())) for c in rows)
        return Resolved(block=ListBlock(items))

    def recommendations(self, ref: str) -> Resolved | Unresolved:
        from kansenaudit.web.findings.selectors import recommendations

        rows = list(recommendations(self.dossier).order_by("code"))
        if ref != "all":
            rows = [r for r in rows if r.addressee == ref]
        if not rows:
            return Unresolved("missing", "no recommendations")
        items = tuple(
            (
                Text(f"{r.code} ({_nl(r.get_addressee_display)}). ", strong=True),
                Text(r.text.strip()),
            )
            for r in rows
        )
        return Resolved(block=ListBlock(items, ordered=False))

    def norms_table(self) -> TableBlock:
        from kansenaudit.web.findings.selectors import norm_rows

        rows = tuple(
            (str(code), str(sub or "–"), str(title), str(criteria), str(source))
            for code, sub, title, criteria, _kind, source, _version, _count in norm_rows(
                self.dossier
            )
        )
        return TableBlock(
            caption="Normenkader",
            columns=("Code", "Deelvraag", "Norm", "Criteria", "Bron"),
            rows=rows,
            source="normenkader van het dossier",
        )
