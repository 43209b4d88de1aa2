# SPDX-License-Identifier: EUPL-1.2
"""A plain-Dutch summary per domain, generated from the numbers and their intervals.

Every sentence is built from a table of the run and says no more than its interval allows:

- which areas are furthest behind the rest of the city, naming only areas whose gap is
  clearly unfavourable (the whole interval on the unfavourable side) — or, where the source
  gives no n, saying that no interval can be given;
- whether the city value changed since the baseline: "steeg" / "daalde" only when the
  family-adjusted test is significant, otherwise "veranderde niet aantoonbaar";
- in how many areas the gap to the rest of the city narrowed or widened (family-adjusted).
"""

from __future__ import annotations

import math

import polars as pl

from kansenaudit.data.catalogue import DOMAINS, CatalogueIndicator
from kansenaudit.reporting.formatting import format_figure
from kansenaudit.staat.model import CITY_LEVELS, StaatResult

__all__ = ["domain_summaries"]


def _num(value: float | None, unit: str = "") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format_figure(float(value)) + ("\u00a0%" if unit == "%" else "")


def _names(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _behind(result: StaatResult, ind: CatalogueIndicator, level: str) -> str | None:
    gaps = result.gaps.filter(
        (pl.col("indicator") == ind.key)
        & (pl.col("area_level") == level)
        & (pl.col("group") == "totaal")
    )
    if gaps.is_empty() or ind.polarity == 0:
        return None
    year = int(gaps["period"].max())  # type: ignore[arg-type]
    gaps = gaps.filter(pl.col("period") == year)
    # Unfavourable = below the rest of the city when higher is better, above when worse.
    worst = gaps.sort("difference", descending=ind.polarity < 0).head(3)
    has_interval = worst["difference_low"].is_not_null().any() and bool(
        worst["difference_low"].is_finite().any()
    )
    names = []
    for row in worst.iter_rows(named=True):
        bound = row["difference_high"] if ind.polarity > 0 else row["difference_low"]
        clear = bound is not None and math.isfinite(bound) and ind.polarity * bound < 0
        if has_interval and not clear:
            continue
        names.append(f"{row['area_name']} ({_num(row['value'], ind.unit)})")
    if not names:
        return f"In {year} ligt geen {level} aantoonbaar achter op de rest van de stad."
    sentence = (
        f"In {year} liggen het verst achter: {_names(names)}, tegen "
        f"{_num(worst['reference_value'][0], ind.unit)} in de rest van de stad"
    )
    if not has_interval:
        sentence += " (zonder onzekerheidsmarge: de bron geeft geen aantallen of spreiding)"
    return sentence + "."


def _change(result: StaatResult, ind: CatalogueIndicator) -> str | None:
    if result.changes.is_empty():
        return None
    city = result.changes.filter(
        (pl.col("indicator") == ind.key)
        & pl.col("area_level").is_in(CITY_LEVELS)
        & (pl.col("group") == "totaal")
    )
    if city.is_empty():
        return None
    row = city.row(0, named=True)
    span = f"Van {row['base_year']} tot {row['year']}"
    values = f"van {_num(row['base_value'], ind.unit)} naar {_num(row['value'], ind.unit)}"
    low, high = row["change_low"], row["change_high"]
    if low is None or not math.isfinite(low):
        return f"{span} ging de stad {values}; of dat meer is dan toeval is niet te toetsen."
    points = " procentpunt" if ind.unit == "%" else ""
    interval = f"95%-interval {_num(low)} tot {_num(high)}{points}"
    if row["significant"]:
        verb = "steeg" if row["change"] > 0 else "daalde"
        return f"{span} {verb} de stad {values} ({interval})."
    return f"{span} veranderde de stad niet aantoonbaar: {values} ({interval})."


def _gap_trend(result: StaatResult, ind: CatalogueIndicator, level: str) -> str | None:
    if result.changes.is_empty():
        return None
    areas = result.changes.filter(
        (pl.col("indicator") == ind.key)
        & (pl.col("area_level") == level)
        & (pl.col("group") == "totaal")
    )
    if areas.is_empty():
        return None
    labels = areas["gap_change"].to_list()
    smaller, larger = labels.count("kleiner"), labels.count("groter")
    untested = sum(1 for x in labels if x and x.startswith("geen toets"))
    if untested == len(labels):
        return None
    return (
        f"De kloof met de rest van de stad werd kleiner in {smaller} en groter in {larger} van "
        f"de {len(labels)} gebieden ({level}); in de andere is geen verandering aangetoond."
    )


def domain_summaries(
    result: StaatResult, main_level: dict[str, str | None]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """``[(domain label, [(indicator name, sentences), …])]`` for domains with indicators."""
    out = []
    for domain, label in DOMAINS.items():
        sentences = []
        for ind in result.inputs.catalogue:
            if ind.domain != domain or ind.kind == "count":
                continue
            level = main_level.get(ind.key)
            parts = [
                p
                for p in (
                    _behind(result, ind, level) if level else None,
                    _change(result, ind),
                    _gap_trend(result, ind, level) if level else None,
                )
                if p
            ]
            if parts:
                sentences.append((ind.name, " ".join(parts)))
        if sentences:
            out.append((label, sentences))
    return out
