# SPDX-License-Identifier: EUPL-1.2
"""Derive which areas lie in which higher area from the published counts themselves.

The BBGA gives counts (residents, men, dwellings, households, children) for gebieden and for
stadsdelen, but not which gebied lies in which stadsdeel, and the 2015 gebied codes (DX01…)
carry no stadsdeel letter. Every gebied lies in exactly one stadsdeel, so the stadsdeel counts
are sums of gebied counts: finding the assignment is a small exact-cover problem, solved here
as an integer programme (scipy's HiGHS). The result is checked, not assumed: each parent's
counts must be reproduced within rounding, otherwise no hierarchy is returned and the report
says so. An auditor can repeat the check with a spreadsheet.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.optimize import Bounds, LinearConstraint, milp

COUNT_VARIABLES = ("BEVTOTAAL", "BEVMAN", "BEVVROUW", "WVOORRBAG", "BEVHUISHOUDENHH", "BEV0_17")


def derive_parents(
    children: pl.DataFrame, parents: pl.DataFrame, *, tolerance: float = 0.5
) -> tuple[dict[str, str], list[str]] | None:
    """Assign every child area to one parent so that the parents' counts are sums of children's.

    ``children`` and ``parents`` are tidy tables (``indicator``, ``area_code``, ``period``,
    ``value``) of the same count variables. Returns ``({child: parent}, used)`` where ``used``
    names the variable@year columns the assignment rests on (those known for every area), or
    ``None`` when no exact assignment exists (then the data do not nest; nothing is guessed).
    The allowed rounding slack is ``tolerance`` × number of children per parent total.

    Examples
    --------
    >>> kids = pl.DataFrame({"indicator": ["P"] * 3, "area_code": ["a", "b", "c"],
    ...                      "period": [2018] * 3, "value": [10.0, 20.0, 5.0]})
    >>> mums = pl.DataFrame({"indicator": ["P"] * 2, "area_code": ["X", "Y"],
    ...                      "period": [2018] * 2, "value": [15.0, 20.0]})
    >>> derive_parents(kids, mums)
    ({'a': 'X', 'b': 'Y', 'c': 'X'}, ['P@2018'])
    """
    keys = ["indicator", "period"]
    child_wide = _wide(children, keys)
    parent_wide = _wide(parents, keys)
    # Areas without any count (e.g. an empty "not assigned" stadsdeel) cannot be placed;
    # of the rest, only variables and years known for every area are used.
    child_wide = _drop_empty_rows(child_wide)
    parent_wide = _drop_empty_rows(parent_wide)
    common = [
        c
        for c in child_wide.columns
        if c in parent_wide.columns
        and c != "area_code"
        and child_wide[c].null_count() == 0
        and parent_wide[c].null_count() == 0
    ]
    child_wide = child_wide.select("area_code", *common)
    parent_wide = parent_wide.select("area_code", *common)
    if not common or child_wide.is_empty() or parent_wide.is_empty():
        return None
    c_codes = child_wide["area_code"].to_list()
    p_codes = parent_wide["area_code"].to_list()
    c_mat = child_wide.select(common).to_numpy().astype(float)
    p_mat = parent_wide.select(common).to_numpy().astype(float)
    nc, npar = len(c_codes), len(p_codes)
    # x[c, p] = 1 when child c lies in parent p; each child has exactly one parent.
    rows, lower, upper = [], [], []
    for c in range(nc):
        row = np.zeros(nc * npar)
        row[c * npar : (c + 1) * npar] = 1
        rows.append(row)
        lower.append(1)
        upper.append(1)
    slack = tolerance * nc  # published counts are rounded per area
    for p in range(npar):
        for k in range(len(common)):
            row = np.zeros(nc * npar)
            row[p::npar] = c_mat[:, k]
            rows.append(row)
            lower.append(p_mat[p, k] - slack)
            upper.append(p_mat[p, k] + slack)
    result = milp(
        c=np.zeros(nc * npar),
        constraints=LinearConstraint(np.array(rows), lower, upper),
        integrality=np.ones(nc * npar),
        bounds=Bounds(0, 1),
        options={"time_limit": 20},
    )
    if result.status != 0 or result.x is None:
        return None
    assignment = result.x.reshape(nc, npar)
    mapping = {c_codes[c]: p_codes[int(np.argmax(assignment[c]))] for c in range(nc)}
    # Check the result independently of the solver's tolerance.
    sums = np.zeros_like(p_mat)
    for c, code in enumerate(c_codes):
        sums[p_codes.index(mapping[code])] += c_mat[c]
    if np.max(np.abs(sums - p_mat)) > slack:
        return None
    return mapping, common


def _wide(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    tagged = frame.filter(pl.col("value").is_not_null()).with_columns(
        pl.concat_str([pl.col(k).cast(pl.Utf8) for k in keys], separator="@").alias("key")
    )
    return tagged.pivot(on="key", index="area_code", values="value", aggregate_function="first")


def _drop_empty_rows(frame: pl.DataFrame) -> pl.DataFrame:
    values = [c for c in frame.columns if c != "area_code"]
    if not values:
        return frame
    return frame.filter(~pl.all_horizontal([pl.col(c).is_null() for c in values]))
