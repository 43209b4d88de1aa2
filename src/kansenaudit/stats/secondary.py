# SPDX-License-Identifier: EUPL-1.2
"""Secondary suppression: withhold more cells so that no withheld value follows from the rest.

The primary rules (:mod:`kansenaudit.stats.disclosure`) look at one cell at a time. Published
tables are not independent cells, though: a wijk is the sum of its buurten, a total is the sum of
its groups. When a wijk and all but one of its buurten are published, the withheld buurt comes
back by subtraction. This module describes a table as cells tied by *additive relations*
(``total = part₁ + … + partₖ``), finds every withheld cell an attacker can derive exactly from the
published cells (:func:`recoverable`, a linear-algebra attack that covers every chain of
subtractions, not just single differences), and withholds the fewest extra cells it can find so
that none can (:func:`secondary_suppression`).

The method is a greedy heuristic in the spirit of the hypercube method (Repsilber; Giessing,
in Hundepool et al. 2012, ch. 5): while a withheld cell is derivable, withhold one more published
cell of a relation it takes part in — a sibling before a child, a child before the total — the
one with the smallest base, ties broken by position, so the result is deterministic. After each
round the exact attack is run again; the loop ends when no withheld cell is derivable. It does
not promise the minimum number of extra cells (that is an integer programme with exponentially
many constraints); the method page reports how many it takes on the demo.

What is protected against: *exact* recovery from any linear combination of the published cells
and the relations. What is not: bounds (a withheld count lies between 0 and its published base,
so a narrow feasible interval can remain), relations the caller does not declare (between
years, between indicators), and knowledge from outside the tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = [
    "Relation",
    "difference_attack",
    "recoverable",
    "secondary_suppression",
    "solve_recoverable",
]

_TOLERANCE = 1e-9


@dataclass(frozen=True)
class Relation:
    """``cells[total] = Σ cells[parts]``: a published total and the cells that add up to it."""

    total: int
    parts: tuple[int, ...]


def _matrix(relations: Sequence[Relation], n_cells: int) -> np.ndarray:
    """One row per relation: +1 for the total, −1 for each part (so each row sums to 0)."""
    matrix = np.zeros((len(relations), n_cells))
    for r, rel in enumerate(relations):
        matrix[r, rel.total] += 1.0
        for p in rel.parts:
            matrix[r, p] -= 1.0
    return matrix


def _components(sub: np.ndarray) -> tuple[int, np.ndarray]:
    """Connected groups of unknown cells (two unknowns are linked when a relation holds both)."""
    rows, cols = np.nonzero(sub)
    n = sub.shape[1]
    if rows.size == 0:
        return n, np.arange(n)
    # Link every unknown to the first unknown of each relation it is in.
    first = np.full(sub.shape[0], -1)
    for r, c in zip(rows, cols, strict=True):
        if first[r] < 0:
            first[r] = c
    graph = coo_matrix((np.ones(rows.size), (first[rows], cols)), shape=(n, n))
    count, labels = connected_components(graph, directed=False)
    return int(count), labels


def recoverable(relations: Sequence[Relation], n_cells: int, unknown: ArrayLike) -> np.ndarray:
    """Which unknown cells follow exactly from the known cells and the relations.

    With ``A`` the relation matrix, the unknowns ``u`` satisfy ``A_U u = −A_K k`` for the known
    cells ``k``. Cell ``j`` is uniquely determined exactly when the unit vector ``e_j`` lies in
    the row space of ``A_U`` (then some combination of relations isolates it); equivalently,
    the projection of ``e_j`` onto that row space has length 1. This is computed with a singular
    value decomposition per connected group of unknowns, so it catches every chain of
    differences, not only "total minus published siblings".

    Returns a boolean array over all cells (``False`` for known cells).

    Examples
    --------
    A total of three parts; the total and one part are published:

    >>> rel = [Relation(0, (1, 2, 3))]
    >>> recoverable(rel, 4, [False, True, False, True]).tolist()
    [False, False, False, False]
    >>> recoverable(rel, 4, [False, True, False, False]).tolist()
    [False, True, False, False]
    """
    unknown = np.asarray(unknown, dtype=bool)
    out = np.zeros(n_cells, dtype=bool)
    u_index = np.flatnonzero(unknown)
    if u_index.size == 0 or not relations:
        return out
    matrix = _matrix(relations, n_cells)[:, u_index]
    matrix = matrix[np.any(matrix != 0, axis=1)]
    if matrix.shape[0] == 0:
        return out
    count, labels = _components(matrix)
    for comp in range(count):
        cols = np.flatnonzero(labels == comp)
        sub = matrix[:, cols]
        sub = sub[np.any(sub != 0, axis=1)]
        if sub.shape[0] == 0:
            continue
        _, s, vt = np.linalg.svd(sub, full_matrices=False)
        rank = int(np.sum(s > _TOLERANCE * max(sub.shape) * max(s[0], 1.0)))
        if rank == 0:
            continue
        projection = np.sum(vt[:rank] ** 2, axis=0)
        out[u_index[cols[projection > 1 - 1e-8]]] = True
    return out


def solve_recoverable(
    relations: Sequence[Relation], values: ArrayLike, unknown: ArrayLike
) -> dict[int, float]:
    """The attack itself: the value of every recoverable unknown cell, from the known ones.

    ``values`` holds the true values; only those of known cells are used. Solves the
    relations for the unknowns by least squares and returns ``{cell: derived value}`` for the
    cells :func:`recoverable` marks (for those the least-squares solution is the unique one).

    Examples
    --------
    >>> solve_recoverable([Relation(0, (1, 2))], [10.0, 4.0, 6.0], [False, True, False])
    {1: 4.0}
    """
    vals = np.asarray(values, dtype=float)
    unknown = np.asarray(unknown, dtype=bool)
    n_cells = vals.size
    derivable = recoverable(relations, n_cells, unknown)
    if not derivable.any():
        return {}
    matrix = _matrix(relations, n_cells)
    known = ~unknown
    rhs = -matrix[:, known] @ np.where(np.isnan(vals[known]), 0.0, vals[known])
    solution, *_ = np.linalg.lstsq(matrix[:, unknown], rhs, rcond=None)
    u_index = np.flatnonzero(unknown)
    return {
        int(c): round(float(x), 9) for c, x in zip(u_index, solution, strict=True) if derivable[c]
    }


def difference_attack(relations: Sequence[Relation], unknown: ArrayLike) -> np.ndarray:
    """The simple attack: repeatedly take a relation with one unknown and subtract.

    Returns the cells recovered this way (a subset of :func:`recoverable`; kept as an
    independent, easy-to-follow check of it).

    Examples
    --------
    >>> rels = [Relation(0, (1, 2)), Relation(2, (3, 4))]
    >>> difference_attack(rels, [False, False, True, True, False]).tolist()
    [False, False, True, True, False]
    """
    unknown = np.asarray(unknown, dtype=bool).copy()
    start = unknown.copy()
    changed = True
    while changed:
        changed = False
        for rel in relations:
            cells = (rel.total, *rel.parts)
            open_cells = [c for c in cells if unknown[c]]
            if len(open_cells) == 1:
                unknown[open_cells[0]] = False
                changed = True
    return start & ~unknown


def secondary_suppression(
    relations: Sequence[Relation],
    withheld: ArrayLike,
    *,
    missing: ArrayLike | None = None,
    weight: ArrayLike | None = None,
) -> np.ndarray:
    """Cells to withhold as well, so that no withheld cell can be derived.

    Parameters
    ----------
    relations : the additive relations of the table
    withheld : cells withheld by the primary rules (to be protected)
    missing : cells nobody publishes (unknown to an attacker, but nothing to protect)
    weight : the base of each cell (smaller is withheld first); NaN counts as 0

    Returns a boolean array: the extra (secondary) cells. Every withheld cell, primary or
    secondary, is then not recoverable by :func:`recoverable`.

    Examples
    --------
    A wijk of three buurten; buurt 1 is withheld, buurt 3 is the smaller of its two siblings:

    >>> secondary_suppression([Relation(0, (1, 2, 3))], [False, True, False, False],
    ...                       weight=[100, 5, 60, 35]).tolist()
    [False, False, False, True]
    """
    withheld = np.asarray(withheld, dtype=bool)
    n_cells = withheld.size
    missing_ = np.zeros(n_cells, dtype=bool) if missing is None else np.asarray(missing, dtype=bool)
    w = np.zeros(n_cells) if weight is None else np.nan_to_num(np.asarray(weight, dtype=float))
    unknown = withheld | missing_
    protect = withheld & ~missing_
    secondary = np.zeros(n_cells, dtype=bool)
    as_part: list[list[int]] = [[] for _ in range(n_cells)]
    as_total: list[list[int]] = [[] for _ in range(n_cells)]
    for r, rel in enumerate(relations):
        as_total[rel.total].append(r)
        for p in rel.parts:
            as_part[p].append(r)
    while True:
        # The cheap attack first (single differences); the exact one only when it finds nothing.
        exposed = np.flatnonzero(difference_attack(relations, unknown) & protect)
        if exposed.size == 0:
            exposed = np.flatnonzero(recoverable(relations, n_cells, unknown) & protect)
        if exposed.size == 0:
            return secondary
        touched: set[int] = set()
        added = False
        for j in exposed.tolist():
            mine = set(as_part[j]) | set(as_total[j])
            if mine & touched:
                continue  # a cell added this round may already cover it; check again first
            best: tuple[int, float, int, int] | None = None
            for r in sorted(mine):
                rel = relations[r]
                if j in rel.parts:
                    # siblings (rank 0), then the total (rank 2)
                    options = [(0, c) for c in rel.parts if c != j] + [(2, rel.total)]
                else:
                    options = [(1, c) for c in rel.parts]  # j is the total: its parts
                for rank, c in options:
                    if unknown[c]:
                        continue
                    key = (rank, float(w[c]), int(c), r)
                    if best is None or key < best:
                        best = key
            if best is None:
                # Every neighbour is already unknown: the cell follows through a longer chain.
                # Withhold the smallest published cell of the relations of its group.
                best = _fallback(relations, j, unknown, w)
                if best is None:
                    continue
            c = best[2]
            unknown[c] = True
            secondary[c] = True
            protect[c] = True
            touched.update(as_part[c])
            touched.update(as_total[c])
            touched.add(best[3])
            added = True
        if not added:
            # Nothing left to withhold; cannot happen for consistent relations.
            return secondary


def _fallback(
    relations: Sequence[Relation], j: int, unknown: np.ndarray, w: np.ndarray
) -> tuple[int, float, int, int] | None:
    """The smallest published cell of any relation linked to ``j`` through unknown cells."""
    reached = {j}
    frontier = [j]
    best: tuple[int, float, int, int] | None = None
    while frontier:
        cell = frontier.pop()
        for r, rel in enumerate(relations):
            cells = (rel.total, *rel.parts)
            if cell not in cells:
                continue
            for c in cells:
                if unknown[c]:
                    if c not in reached:
                        reached.add(c)
                        frontier.append(c)
                else:
                    key = (3, float(w[c]), int(c), r)
                    if best is None or key < best:
                        best = key
    return best
