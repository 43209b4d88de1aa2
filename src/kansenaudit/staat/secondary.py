# SPDX-License-Identifier: EUPL-1.2
"""Secondary suppression for a run: the tables of a run as cells tied by additive relations.

Per indicator and year, the cells are the (area, group) values. Two kinds of relation hold for
the counts behind them (numerator and denominator of a share, sum and n of a mean): an area is
the sum of its child areas (buurt → wijk → gebied → stadsdeel → city, as far as the run knows
the parents), and a total (``totaal``) is the sum of the groups of one breakdown
(``migratieachtergrond:*``, ``geslacht:*``).
:func:`kansenaudit.stats.secondary.secondary_suppression` then withholds the fewest extra
cells it finds so that no withheld value follows from the published ones.
See docs/methods/disclosure.md.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import polars as pl

from kansenaudit.staat.model import AreaInfo
from kansenaudit.stats.secondary import Relation, secondary_suppression

__all__ = ["SECONDARY", "apply_secondary", "table_relations"]

SECONDARY = "secundair"


def table_relations(cells: list[tuple[str, str]], parents: dict[str, str | None]) -> list[Relation]:
    """The additive relations among ``cells`` (``(area_code, group)`` pairs).

    A relation is only formed when its total is a cell; parts that are not cells are left out
    (they count as known to the attacker, which can only make the check stricter).

    Examples
    --------
    >>> cells = [("W", "totaal"), ("b1", "totaal"), ("b2", "totaal"),
    ...          ("W", "geslacht:man"), ("W", "geslacht:vrouw")]
    >>> table_relations(cells, {"b1": "W", "b2": "W", "W": None})
    [Relation(total=0, parts=(1, 2)), Relation(total=0, parts=(3, 4))]
    """
    index = {cell: i for i, cell in reversed(list(enumerate(cells)))}
    children: dict[str, list[str]] = defaultdict(list)
    for child, parent in parents.items():
        if parent is not None:
            children[parent].append(child)
    groups_of: dict[str, list[str]] = defaultdict(list)
    for area, group in cells:
        groups_of[area].append(group)
    relations: list[Relation] = []
    seen: set[tuple[int, tuple[int, ...]]] = set()

    def add(total: int, parts: list[int]) -> None:
        key = (total, tuple(sorted(set(parts))))
        if key[1] and key not in seen:
            seen.add(key)
            relations.append(Relation(total, key[1]))

    groups = sorted({g for _, g in cells})
    for parent in sorted(children):
        kids = sorted(children[parent])
        for group in groups:
            total = index.get((parent, group))
            if total is None:
                continue
            add(total, [index[(k, group)] for k in kids if (k, group) in index])
    for area in sorted(groups_of):
        total = index.get((area, "totaal"))
        if total is None:
            continue
        breakdowns: dict[str, list[int]] = defaultdict(list)
        for group in groups_of[area]:
            if ":" in group:
                breakdowns[group.split(":", 1)[0]].append(index[(area, group)])
        for prefix in sorted(breakdowns):
            add(total, breakdowns[prefix])
    return relations


def apply_secondary(frame: pl.DataFrame, areas: dict[str, AreaInfo]) -> pl.DataFrame:
    """Set ``suppressed`` to ``secundair`` for the cells secondary suppression withholds.

    ``frame`` is the prepared value table with primary reasons in ``suppressed``. Count
    indicators (the weights) are published in full and are not part of it.
    """
    parents = {code: area.parent_code for code, area in areas.items()}
    indexed = frame.with_row_index("_row")
    primary = pl.col("suppressed").is_not_null() & (pl.col("suppressed") != "missing")
    keys = (
        indexed.filter(primary & (pl.col("kind") != "count")).select("indicator", "period").unique()
    )
    if keys.is_empty():
        return frame
    tables = indexed.filter(pl.col("kind") != "count").join(
        keys, on=["indicator", "period"], how="semi"
    )
    extra: list[int] = []
    for part in tables.partition_by(["indicator", "period"], maintain_order=True):
        cells = list(zip(part["area_code"].to_list(), part["group"].to_list(), strict=True))
        relations = table_relations(cells, parents)
        if not relations:
            continue
        reason = part["suppressed"]
        withheld = (reason.is_not_null() & (reason != "missing")).to_numpy()
        missing = (reason == "missing").fill_null(False).to_numpy()
        weight = (
            part.select(pl.coalesce("denominator", "n", "population").cast(pl.Float64))
            .to_series()
            .fill_null(np.nan)
            .to_numpy()
        )
        chosen = secondary_suppression(relations, withheld, missing=missing, weight=weight)
        extra.extend(part["_row"].to_numpy()[chosen].tolist())
    if not extra:
        return frame
    return indexed.with_columns(
        pl.when(pl.col("_row").is_in(extra))
        .then(pl.lit(SECONDARY))
        .otherwise(pl.col("suppressed"))
        .alias("suppressed")
    ).drop("_row")
