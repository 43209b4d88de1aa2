# SPDX-License-Identifier: EUPL-1.2
"""Figures for the reports' resolver: ``{{figure:<source>/<id>}}`` stands alone in a paragraph.

- ``figure:map/<indicator>/<level>/<year>[/<group>]`` — the statistics' choropleth of one
  indicator over the areas of a level (e.g. ``figure:map/unemployment_pct/stadsdeel/2025``);
- ``figure:ranking/<indicator>/<level>/<year>[/<group>]`` — the same values as a ranking with
  their 95 % intervals and the city's value;
- ``figure:theory/<measure id>`` — the measure's policy theory as a diagram (policy register);
- ``figure:network/<map id>`` — a network map of the dossier as a drawing.

Each becomes a ``FigureBlock``: the SVG of the workbench's own renderers (``reporting``,
``network.svg``), a caption, a text alternative, a source line and the data behind it. The
writers number the figures and turn the SVG into an image where a format has no SVG.

A withheld value (disclosure control) never enters a figure: the statistics selector gives
figures only the values that may be shown and, for the others, only the reason; the map greys
the area and names the reason, the ranking leaves it out, and the data table gives the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from kansenaudit.reporting.formatting import format_number
from kansenaudit.reports.document import FigureBlock, TableBlock
from kansenaudit.reports.markup import Resolved, Unresolved

UNIT_SUFFIX = {"%": " %", "euro": " euro"}
KINDS_HELP = (
    "figure:map/<indicator>/<level>/<year>[/<group>], figure:ranking/…, "
    "figure:theory/<measure id>, figure:network/<map id>"
)


def _nl(text: Any) -> str:
    """A translated text (lazy or msgid) in Dutch, whatever the reader's language: the report
    is Dutch."""
    with translation.override("nl"):
        return str(gettext(text) if isinstance(text, str) else text)


class FigureKinds:
    """The ``figure`` kind of one resolver; statistics come from ``resolver.statistics()``."""

    def __init__(self, dossier: Any, resolver: Any) -> None:
        self.dossier = dossier
        self.resolver = resolver

    def kinds(self) -> dict[str, Callable[[str], Resolved | Unresolved]]:
        return {"figure": self.figure}

    def figure(self, ref: str) -> Resolved | Unresolved:
        source, _sep, rest = ref.partition("/")
        handlers = {
            "map": self.statistics_map,
            "ranking": self.ranking,
            "theory": self.theory,
            "network": self.network,
        }
        handler = handlers.get(source)
        if handler is None or not rest:
            return Unresolved("malformed", KINDS_HELP)
        with translation.override("nl"):
            return handler(rest)

    # --- Statistics ---------------------------------------------------------------------------

    def _areas(self, rest: str) -> tuple[Any, Any, list[dict]] | Unresolved:
        """The statistics result, the indicator and every area's row (value None = withheld)."""
        from kansenaudit.web.indicators.selectors import StatisticsChoice, area_values

        parts = rest.split("/")
        if len(parts) not in (3, 4) or not parts[2].isdigit():
            return Unresolved("malformed", "figure:map/<indicator>/<level>/<year>[/<group>]")
        result = self.resolver.statistics()
        if result is None:
            return Unresolved("missing", "the dossier's municipality has no statistics")
        indicator = result.catalogue.get(parts[0])
        if indicator is None:
            return Unresolved("missing", f"no indicator {parts[0]!r} in the statistics")
        choice = StatisticsChoice(
            indicator=parts[0],
            year=int(parts[2]),
            level=parts[1],
            group=parts[3] if len(parts) == 4 else "totaal",
        )
        rows = area_values(result, choice)
        if not any(r["value"] is not None for r in rows):
            return Unresolved("missing", "no value of this indicator may be shown for these areas")
        return result, indicator, rows

    @staticmethod
    def _label(value: float | None, unit: str) -> str:
        return (
            "–" if value is None else format_number(value, decimals=1) + UNIT_SUFFIX.get(unit, "")
        )

    @staticmethod
    def _withheld_label(reason: str | None) -> str:
        from kansenaudit.web.indicators.exports import reason_label

        return reason_label(reason) or _nl("unknown")

    def _level_name(self, level: str) -> str:
        from kansenaudit.web.areas.models import AreaLevel

        return str(AreaLevel(level).label) if level in AreaLevel.values else level

    def _statistics_source(self, result: Any, indicator: Any) -> str:
        import polars as pl

        city = result.inputs.city_name or "de gemeente"
        values = result.values.filter(pl.col("indicator") == indicator.key)
        sources = (
            sorted({str(s) for s in values.get_column("source").to_list() if s})
            if "source" in values.columns
            else []
        )
        where = f" ({', '.join(sources)})" if sources else ""
        return (
            f"statistieken van {city}{where}; bewerking rekenkamer, waarden met te weinig "
            "waarnemingen afgeschermd"
        )

    def _data_table(self, indicator: Any, rows: list[dict], caption: str) -> TableBlock:
        out = []
        for row in rows:
            shown = row["value"] is not None
            out.append(
                (
                    str(row["name"]),
                    self._label(row["value"], indicator.unit)
                    if shown
                    else self._withheld_label(row["reason"]),
                    (
                        f"{format_number(row['low'], decimals=1)} – "
                        f"{format_number(row['high'], decimals=1)}"
                    )
                    if shown and row["low"] is not None
                    else "–",
                )
            )
        return TableBlock(
            caption=caption,
            columns=("Gebied", indicator.name, "Interval (95 %)"),
            rows=tuple(out),
            numeric=frozenset({1}),
        )

    def statistics_map(self, rest: str) -> Resolved | Unresolved:
        from kansenaudit.reporting.svgmap import MapFeature, render_choropleth_svg

        found = self._areas(rest)
        if isinstance(found, Unresolved):
            return found
        result, indicator, rows = found
        level, year = rest.split("/")[1], rest.split("/")[2]
        features = [
            MapFeature(
                r["code"],
                r["name"],
                r["geometry"],
                r["value"],
                self._label(r["value"], indicator.unit)
                if r["value"] is not None
                else self._withheld_label(r["reason"]),
            )
            for r in rows
            if r["geometry"]
        ]
        if not any(f.value is not None for f in features):
            return Unresolved("missing", "the areas of this level have no map geometry")
        caption = f"{indicator.name} per {self._level_name(level)}, {year}"
        svg = render_choropleth_svg(
            features,
            title=caption,
            reverse=indicator.polarity == 1,
            missing_label=_nl("unknown or suppressed (too few cases)"),
        )

        shown = sorted((r for r in rows if r["value"] is not None), key=lambda r: r["value"])
        hidden = len(rows) - len(shown)
        alt = (
            f"Kaart van {result.inputs.city_name or 'de gemeente'} per "
            f"{self._level_name(level)}: {indicator.name} in {year}, van "
            f"{self._label(shown[0]['value'], indicator.unit)} in {shown[0]['name']} tot "
            f"{self._label(shown[-1]['value'], indicator.unit)} in {shown[-1]['name']}"
            + (f"; {hidden} gebieden zonder getoonde waarde." if hidden else ".")
        )
        return Resolved(
            block=FigureBlock(
                caption=caption,
                alt=alt,
                svg=svg,
                data=self._data_table(indicator, rows, caption),
                source=self._statistics_source(result, indicator),
            )
        )

    def ranking(self, rest: str) -> Resolved | Unresolved:
        from kansenaudit.reporting.svgchart import render_ranking_chart
        from kansenaudit.web.indicators.selectors import StatisticsChoice, city_value

        found = self._areas(rest)
        if isinstance(found, Unresolved):
            return found
        result, indicator, rows = found
        parts = rest.split("/")
        shown = [r for r in rows if r["value"] is not None]
        # Least favourable first; for a neutral indicator, highest first (as on the page).
        shown.sort(key=lambda r: r["value"], reverse=indicator.polarity != 1)
        city_name = result.inputs.city_name or "de gemeente"
        city = city_value(
            result,
            StatisticsChoice(
                indicator=parts[0],
                year=int(parts[2]),
                level=parts[1],
                group=parts[3] if len(parts) == 4 else "totaal",
            ),
        )
        caption = f"Rangorde: {indicator.name} per {self._level_name(parts[1])}, {parts[2]}"
        description = (
            f"{len(shown)} gebieden, minst gunstige eerst; de lijnen zijn 95%-intervallen waar "
            f"het aantal waarnemingen bekend is; de stippellijn is de waarde van {city_name}."
        )
        svg = render_ranking_chart(
            [(r["name"], r["value"], r["low"], r["high"]) for r in shown],
            title=caption,
            description=description,
            reference=city,
            reference_label=city_name,
        )

        hidden = len(rows) - len(shown)
        alt = (
            f"{description} Minst gunstig: {shown[0]['name']} "
            f"({self._label(shown[0]['value'], indicator.unit)}); meest gunstig: "
            f"{shown[-1]['name']} ({self._label(shown[-1]['value'], indicator.unit)})."
            + (
                f" {hidden} gebieden zonder getoonde waarde staan niet in de figuur."
                if hidden
                else ""
            )
        )
        return Resolved(
            block=FigureBlock(
                caption=caption,
                alt=alt,
                svg=svg,
                data=self._data_table(
                    indicator, shown + [r for r in rows if r not in shown], caption
                ),
                source=self._statistics_source(result, indicator),
            )
        )

    # --- Policy theory -------------------------------------------------------------------------

    def theory(self, rest: str) -> Resolved | Unresolved:
        from kansenaudit.reporting import svgtheory
        from kansenaudit.web.policy.selectors import measure_theory, measures_for

        if not rest.isdigit():
            return Unresolved("malformed", "figure:theory/<measure id>")
        measure = measures_for(self.dossier).filter(pk=int(rest)).first()
        if measure is None:
            return Unresolved("missing", "no measure with this id in the dossier")
        theory = measure_theory(measure)
        if not theory.steps:
            return Unresolved("missing", "the measure has no policy theory yet")
        caption = f"Beleidstheorie van {measure.name}"
        svg = svgtheory.render_theory(
            [svgtheory.Step(s.pk, s.kind, s.text) for s in theory.steps],
            [
                svgtheory.Link(i.link.source_id, i.link.target_id, i.evidence, i.link.rationale)
                for i in theory.links
            ],
            title=caption,
            headings=[label for _kind, label, _steps in theory.columns],
            legend=(_nl("link with evidence"), _nl("link without evidence")),
        )
        rows = tuple(
            (
                i.link.source.text,
                i.link.target.text,
                format_number(i.evidence, decimals=0) if i.evidence else "geen",
            )
            for i in theory.links
        )
        alt = (
            f"Diagram van de beleidstheorie van {measure.name}: {len(theory.steps)} stappen van "
            f"activiteit tot doel en {len(theory.links)} schakels, waarvan "
            f"{theory.links_without_evidence} zonder onderbouwing (gestippeld)."
        )
        return Resolved(
            block=FigureBlock(
                caption=caption,
                alt=alt,
                svg=svg,
                data=TableBlock(
                    caption=caption,
                    columns=("Van", "Naar", "Citaten als onderbouwing"),
                    rows=rows,
                    numeric=frozenset({2}),
                ),
                source="beleidsregister van het dossier (beleidstheorie per maatregel)",
            )
        )

    # --- Network maps --------------------------------------------------------------------------

    def network(self, rest: str) -> Resolved | Unresolved:
        from kansenaudit.network.svg import render_svg
        from kansenaudit.web.network.selectors import map_in_dossier, network_data

        if not rest.isdigit():
            return Unresolved("malformed", "figure:network/<map id>")
        network_map = map_in_dossier(self.dossier, int(rest))
        if network_map is None:
            return Unresolved("missing", "no network map with this id in the dossier")
        data = network_data(network_map)
        if not data.nodes:
            return Unresolved("missing", "the network map has no actors yet")
        caption = f"Netwerkkaart {data.name}"
        labels = {n.key: n.label for n in data.nodes}
        rows = tuple(
            (labels.get(t.source, t.source), labels.get(t.target, t.target), str(t.kind))
            for t in data.ties
        )
        alt = (
            f"Netwerkkaart {data.name}: {len(data.nodes)} actoren en {len(data.ties)} relaties; "
            "de tabel bij de figuur noemt elke relatie."
        )
        return Resolved(
            block=FigureBlock(
                caption=caption,
                alt=alt,
                svg=render_svg(data, title=caption),
                data=TableBlock(
                    caption=caption, columns=("Van", "Naar", "Soort relatie"), rows=rows
                ),
                source=f"netwerkkaart van het dossier, versie {network_map.version}",
            )
        )
