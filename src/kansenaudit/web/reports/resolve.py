# SPDX-License-Identifier: EUPL-1.2
"""What a report's ``{{kind:id}}`` references stand for, in one dossier.

One resolver per build: it answers every reference from the dossier's own registers and never
from another dossier's (a foreign id is "missing", as if it did not exist). What it can answer:

- ``citation:<id>`` — a footnote naming the document, its issuer and date, and the page;
- ``quote:<id>`` — the quoted words in Dutch quotation marks, with the same footnote;
- ``number:<indicator>/<area code>/<year>[/<group>]`` — an observed value from the statistics
  engine in Dutch style with its unit; a withheld value (disclosure control) is never given out,
  only the reason;
- ``table:measures`` — the measures of the policy register with directie and budget;
- ``table:norms`` and the findings chain (``finding``, ``findings``, ``conclusions``,
  ``recommendations``): see ``resolve_findings``;
- ``figure:…`` (statistics maps and rankings, policy theories, network maps): see
  ``resolve_figures``;
- ``segment``, ``matrix_cell`` and ``network_check`` (footnotes through the findings' evidence
  registry): see ``resolve_evidence``.

An unknown kind is a problem, never silence.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kansenaudit.reporting.formatting import format_date, format_number
from kansenaudit.reports.document import TableBlock, Text
from kansenaudit.reports.markup import Resolved, Unresolved, note

UNITS = {"%": " %", "euro": " euro", "aantal": "", "score": "", "index": "", "gemiddelde": ""}


class DossierResolver:
    """Resolves references against ``dossier``; remembers the sources it cited (for annexes)."""

    def __init__(self, dossier: Any) -> None:
        self.dossier = dossier
        self.cited_documents: dict[int, str] = {}
        self.numbers: list[dict[str, Any]] = []
        self._statistics: Any = None
        from kansenaudit.web.reports.resolve_evidence import EvidenceKinds
        from kansenaudit.web.reports.resolve_figures import FigureKinds
        from kansenaudit.web.reports.resolve_findings import FindingsKinds

        self.findings = FindingsKinds(dossier, self)
        self.figures = FigureKinds(dossier, self)
        self.kinds: dict[str, Callable[[str], Resolved | Unresolved]] = {
            "citation": self.citation,
            "quote": self.quote,
            "number": self.number,
            "table": self.table,
            **self.findings.kinds(),
            **self.figures.kinds(),
            **EvidenceKinds(dossier).kinds(),
        }

    def resolve(self, kind: str, ref: str) -> Resolved | Unresolved:
        handler = self.kinds.get(kind)
        if handler is None:
            return Unresolved("unknown_kind", f"no register answers {kind!r}")
        return handler(ref)

    # --- Evidence ----------------------------------------------------------------------------

    def _citation(self, ref: str) -> Any:
        from kansenaudit.web.evidence.models import Citation

        if not ref.isdigit():
            return None
        return (
            Citation.objects.select_related("document")
            .filter(dossier=self.dossier, pk=int(ref), held_for__isnull=True)
            .first()
        )

    def _source_text(self, citation: Any) -> str:
        from django.utils import translation

        document = citation.document
        with translation.override("nl"):  # the report is Dutch, whatever the reader's language
            issuer = document.issuer_name or (
                document.get_issuer_display() if document.issuer else ""
            )
        details = [issuer] if issuer else []
        if document.date:
            details.append(format_date(document.date))
        where = f" ({', '.join(details)})" if details else ""
        self.cited_documents[document.pk] = f"{document.title}{where}"
        return f"{document.title}{where}, p. {citation.page_number}."

    def citation(self, ref: str) -> Resolved | Unresolved:
        found = self._citation(ref)
        if found is None:
            return Unresolved("missing", "no citation with this id in the dossier")
        if found.state != found.State.VALID:
            return Unresolved("changed", "the cited page changed since the citation was made")
        return note(self._source_text(found), f"citation:{found.pk}")

    def quote(self, ref: str) -> Resolved | Unresolved:
        result = self.citation(ref)
        if isinstance(result, Unresolved):
            return result
        found = self._citation(ref)
        return Resolved(inlines=(Text(f"‘{found.quote.strip()}’"), *result.inlines))

    # --- Numbers -----------------------------------------------------------------------------

    def statistics(self) -> Any:
        """The statistics of the dossier's municipality (computed once per build), or None."""
        from kansenaudit.web.indicators.selectors import statistics_result

        if self._statistics is None:
            self._statistics = (
                statistics_result(municipality_code=self.dossier.municipality_code) or False
            )
        return self._statistics or None

    def number(self, ref: str) -> Resolved | Unresolved:
        parts = ref.split("/")
        if len(parts) not in (3, 4) or not parts[2].isdigit():
            return Unresolved("malformed", "number:<indicator>/<area>/<year>[/<group>]")
        indicator, area, year = parts[0], parts[1], int(parts[2])
        group = parts[3] if len(parts) == 4 else "totaal"
        import polars as pl

        statistics = self.statistics()
        if statistics is None:
            return Unresolved("missing", "the dossier's municipality has no statistics")
        values = statistics.values.filter(
            (pl.col("indicator") == indicator)
            & (pl.col("area_code") == area)
            & (pl.col("period") == year)
            & (pl.col("group") == group)
        )
        if values.is_empty():
            return Unresolved("missing", "no such value in the statistics")
        row = values.row(0, named=True)
        if row["suppressed"] is not None or row["shown_value"] is None:
            # Only the reason leaves this function: the value stays in the engine.
            return Unresolved("withheld", str(row["suppressed"] or "missing"))
        unit = next((c.unit for c in statistics.inputs.catalogue if c.key == indicator), "")
        text = format_number(float(row["shown_value"]), decimals=1) + UNITS.get(unit, "")
        self.numbers.append(
            {
                "reference": f"number:{ref}",
                "indicator": indicator,
                "area": area,
                "year": year,
                "group": group,
                "value": float(row["shown_value"]),
                "unit": unit,
                "source": str(row.get("source") or ""),
            }
        )
        return Resolved(inlines=(Text(text),))

    # --- Tables from the registers -----------------------------------------------------------

    def table(self, ref: str) -> Resolved | Unresolved:
        if ref == "measures":
            return Resolved(block=self._measures_table())
        if ref == "norms":
            return Resolved(block=self.findings.norms_table())
        return Unresolved("missing", "tables: measures, norms")

    def _measures_table(self) -> TableBlock:
        from django.db.models import Sum

        from kansenaudit.web.policy.models import Measure

        rows = []
        measures = (
            Measure.objects.filter(dossier=self.dossier)
            .select_related("owner")
            .annotate(budget_total=Sum("budgets__amount"))
            .order_by("owner__name", "name")
        )
        for measure in measures:
            budget = measure.budget_total
            rows.append(
                (
                    measure.name,
                    str(measure.owner or "–"),
                    format_number(float(budget), decimals=0) if budget else "–",
                )
            )
        return TableBlock(
            caption="Maatregelen in het beleidsregister",
            columns=("Maatregel", "Eigenaar", "Budget, alle jaren (euro)"),
            rows=tuple(rows),
            numeric=frozenset({2}),
            source="beleidsregister van het dossier",
        )
