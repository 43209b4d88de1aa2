# SPDX-License-Identifier: EUPL-1.2
"""Group labels (e.g. stadsdeel codes) as integer codes, for the decompositions."""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from numpy.typing import ArrayLike, NDArray


def _factorize(g: np.ndarray) -> tuple[np.ndarray, NDArray[np.intp]]:
    """``np.unique(g, return_inverse=True)`` (sorted labels), faster for the usual labels.

    Sorting a million text labels to find a handful of groups dominated a decomposition, so:
    small non-negative integer codes are counted (linear time); text labels are mapped to a
    64-bit number computed from their characters and placed through a small table of those
    numbers (:func:`_factorize_text`), and every label is checked against the text of its
    group, so a clash of numbers falls back to the sort.
    The labels and the numbering are exactly those of ``np.unique``.

    >>> labels, inverse = _factorize(np.array(["Zuid", "Noord", "Zuid", "Oost"]))
    >>> labels.tolist(), inverse.tolist()
    (['Noord', 'Oost', 'Zuid'], [2, 0, 2, 1])
    >>> labels, inverse = _factorize(np.array([7, 3, 7]))
    >>> labels.tolist(), inverse.tolist()
    ([3, 7], [1, 0, 1])
    """
    if g.dtype == object and g.size and all(isinstance(item, str) for item in g.tolist()):
        g = g.astype(str)
    if g.dtype.kind in "iu" and g.size:
        low, high = int(g.min()), int(g.max())
        if low >= 0 and high < max(1024, 4 * g.size):
            present = np.bincount(g, minlength=high + 1) > 0
            labels = np.flatnonzero(present).astype(g.dtype)
            lookup = np.cumsum(present) - 1
            return labels, lookup[g].astype(np.intp)
    if g.dtype.kind == "U" and g.size and g.dtype.itemsize:
        found = _factorize_text(g)
        if found is not None:
            return found
    labels, inverse = np.unique(g, return_inverse=True)
    return labels, inverse.reshape(-1)


def _factorize_text(g: np.ndarray) -> tuple[np.ndarray, NDArray[np.intp]] | None:
    """Sorted labels and numbering of text labels without sorting the texts; None if unsure.

    Each label's characters (two code points at a time, as 64-bit words) are hashed into one
    64-bit number. The distinct numbers are looked for in the first labels, and a small table
    indexed by the number modulo a prime places every label; when a label's number is not in
    the table, or two texts share a number (every label is compared with its group's text),
    the caller falls back to sorting.
    """
    g = np.ascontiguousarray(g)
    n = g.size
    width = g.dtype.itemsize // 4
    chars = g.view(np.uint32).reshape(n, width)
    if width % 2:
        padded = np.zeros((n, width + 1), dtype=np.uint32)
        padded[:, :width] = chars
        chars = padded
    words = chars.view(np.uint64)
    key = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for column in range(words.shape[1]):
            key *= np.uint64(0x9E3779B97F4A7C15)  # an odd multiplier mixes the words
            key ^= words[:, column]
    numbers = np.unique(key[: min(n, 4096)])
    if numbers.size > 256:
        return None
    for modulus in (257, 521, 1031, 2053, 4099, 8209, 16411):
        slots = numbers % np.uint64(modulus)
        if np.unique(slots).size == numbers.size:
            break
    else:
        return None
    table = np.zeros(modulus, dtype=np.intp)
    table[slots] = np.arange(numbers.size)
    inverse = table[key % np.uint64(modulus)]
    if not np.array_equal(numbers[inverse], key):  # a label the first ones did not have
        return None
    first = np.empty(numbers.size, dtype=np.intp)
    first[inverse[::-1]] = np.arange(n - 1, -1, -1)  # the first label of every number
    if not np.array_equal(words[first][inverse], words):  # two texts sharing a number
        return None
    representatives = g[first]
    order = np.argsort(representatives, kind="stable")
    rank = np.empty(order.size, dtype=np.intp)
    rank[order] = np.arange(order.size)
    return representatives[order], rank[inverse]


def _as_groups(groups: ArrayLike, n: int, name: str) -> tuple[list[Hashable], NDArray[np.intp]]:
    g = np.asarray(groups)
    if g.ndim != 1:
        raise ValueError(f"{name}: groups must be one-dimensional, got shape {g.shape}")
    if g.size != n:
        raise ValueError(f"{name}: {n} values but {g.size} group labels; lengths must match")
    if g.dtype.kind == "f" and np.isnan(g).any():
        raise ValueError(f"{name}: group labels contain NaN (an area without a parent area?)")
    try:
        labels, inverse = _factorize(g)
    except TypeError as exc:
        raise ValueError(
            f"{name}: group labels must be all strings or all numbers, without missing values"
        ) from exc
    label_list = labels.tolist()
    if any(label is None for label in label_list):
        raise ValueError(f"{name}: group labels contain None (an area without a parent area?)")
    return label_list, inverse.reshape(-1).astype(np.intp, copy=False)
