# SPDX-License-Identifier: EUPL-1.2
r"""Krippendorff's unitised alpha on characters: where exactly each coder put a code.

Per code every coder's marks divide each document (a transcript) into coded segments and gaps
(Krippendorff 1995; 2004, §12.4). The bootstrap resamples whole documents. The cost is linear
in the number of documents: the expected disagreement's cross term between the coded segments
and the gaps of the whole continuum is a weighted suffix sum over the gaps sorted once, not a
documents × documents matrix.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from kansenaudit.stats.agreement.codes import OVERALL, _check_boot, _percentile_interval
from kansenaudit.stats.agreement.matrix import _MAX_BLOCK, AlphaResult

UNITISED_METHOD = "bootstrap-documents-percentile"


@dataclass(frozen=True)
class CodedSpan:
    """One coder's code on ``text[start:end]`` of a document (a transcript)."""

    document: Hashable
    coder: Hashable
    code: str
    start: int
    end: int


def _segments(spans: list[tuple[int, int]], length: int) -> list[tuple[int, int, bool]]:
    """A coder's segmentation of [0, length): (begin, length, coded) with gaps between.

    Overlapping or touching spans of the same code by the same coder are merged first (one
    coder cannot mark the same stretch twice).
    """
    merged: list[list[int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out: list[tuple[int, int, bool]] = []
    position = 0
    for start, end in merged:
        if start > position:
            out.append((position, start - position, False))
        out.append((start, end - start, True))
        position = end
    if position < length:
        out.append((position, length - position, False))
    return out


def _observed(a: list[tuple[int, int, bool]], b: list[tuple[int, int, bool]]) -> float:
    """Σ δ² over the overlapping segment pairs of two coders (Krippendorff 1995)."""
    total = 0.0
    i = j = 0
    while i < len(a) and j < len(b):
        b1, l1, c1 = a[i]
        b2, l2, c2 = b[j]
        diff = b1 - b2
        if c1 and c2 and -l1 < diff < l2:
            total += diff * diff + (diff + l1 - l2) ** 2
        elif c1 and not c2 and 0 <= diff <= l2 - l1:
            total += l1 * l1
        elif c2 and not c1 and 0 <= -diff <= l1 - l2:
            total += l2 * l2
        if b1 + l1 <= b2 + l2:
            i += 1
        if b2 + l2 <= b1 + l1:
            j += 1
    return total


def unitised_alpha(
    spans: Iterable[CodedSpan],
    lengths: Mapping[Hashable, int],
    *,
    coders: Sequence[Hashable] | None = None,
    codes: Sequence[str] | None = None,
    n_boot: int = 1000,
    seed: int | np.random.Generator = 0,
    level_ci: float = 0.95,
) -> dict[str, AlphaResult]:
    r"""Krippendorff's unitised alpha (:math:`{}_u\alpha`) per code and overall, on characters.

    Parameters
    ----------
    spans : iterable of :class:`CodedSpan`
        Every coded passage of every coder in the double-coded documents. Offsets are
        character offsets into each document's text.
    lengths : mapping document → int
        The length in characters of each document (its continuum). Spans of documents not in
        ``lengths`` raise ``ValueError``.
    coders : the coders, default every coder in ``spans``. Every coder is taken to have coded
        every document: a coder without spans in a document marked nothing there.
    codes : the codes to report, default every code in ``spans``, sorted.
    n_boot : bootstrap samples over documents (0 for no interval).
    seed, level_ci : as for :func:`alpha_bootstrap`.

    Returns
    -------
    dict
        Code → :class:`AlphaResult` (``n_units`` = documents, ``n_pairable`` = coders ×
        characters), plus :data:`OVERALL`: 1 − mean D_o / mean D_e over the codes.

    Notes
    -----
    Krippendorff (1995; 2004, §12.4). For each code every coder's marks divide each document
    into coded segments and gaps; documents are laid end to end as one continuum of length
    *L* (a gap never runs from one document into the next). With *m* coders

    .. math::

        D_o = \frac{2}{m(m-1)L^2}\sum_{i<j}\sum_{g,h}\delta^2_{igjh}, \qquad
        D_e = \frac{2}{L}\,\frac{\sum_{u}\Big[\tfrac{N_c-1}{3}(2l_u^3-3l_u^2+l_u)
              + l_u^2\sum_{\text{gaps } x \ge l_u}(x-l_u+1)\Big]}
              {mL(mL-1)-\sum_u l_u(l_u-1)}

    where δ² is the squared difference of begin and end of two overlapping coded segments,
    the squared length of a coded segment lying wholly inside the other coder's gap, and 0
    otherwise; *u* runs over all coded segments (lengths *l_u*, *N_c* of them) and the gaps
    over all coders' gaps. α = 1 − D_o / D_e; NaN when nobody coded the code. The interval
    resamples whole documents with replacement.
    """
    _check_boot(n_boot, level_ci)
    documents = list(lengths)
    doc_index = {doc: i for i, doc in enumerate(documents)}
    by_key: dict[tuple[str, Hashable, int], list[tuple[int, int]]] = {}
    seen_coders: list[Hashable] = []
    found_codes: set[str] = set()
    for span in spans:
        if span.document not in doc_index:
            raise ValueError(f"alpha: span in unknown document {span.document!r}")
        if not 0 <= span.start <= span.end <= lengths[span.document]:
            raise ValueError(
                f"alpha: span {span.start}–{span.end} outside document {span.document!r}"
            )
        by_key.setdefault((span.code, span.coder, doc_index[span.document]), []).append(
            (span.start, span.end)
        )
        if span.coder not in seen_coders:
            seen_coders.append(span.coder)
        found_codes.add(span.code)
    coder_list = list(coders) if coders is not None else seen_coders
    code_list = list(dict.fromkeys(codes)) if codes is not None else sorted(found_codes)
    m = len(coder_list)
    n_docs = len(documents)
    doc_lengths = np.array([float(lengths[d]) for d in documents])
    # Per code: per-document observed sums, per-document coded lengths and gap lengths.
    obs = np.zeros((len(code_list), n_docs))
    coded_lengths: list[list[NDArray[np.float64]]] = []
    gap_lengths: list[list[NDArray[np.float64]]] = []
    for k, code in enumerate(code_list):
        coded_k: list[NDArray[np.float64]] = []
        gaps_k: list[NDArray[np.float64]] = []
        for d, doc in enumerate(documents):
            segmentations = [
                _segments(by_key.get((code, coder, d), []), int(lengths[doc]))
                for coder in coder_list
            ]
            for i in range(m):
                for j in range(i + 1, m):
                    obs[k, d] += _observed(segmentations[i], segmentations[j])
            coded_k.append(
                np.array([s[1] for seg in segmentations for s in seg if s[2]], dtype=float)
            )
            gaps_k.append(
                np.array([s[1] for seg in segmentations for s in seg if not s[2]], dtype=float)
            )
        coded_lengths.append(coded_k)
        gap_lengths.append(gaps_k)

    # The cross term Σ_u l_u² Σ_{gaps x ≥ l_u} (x − l_u + 1) pairs every coded segment u with
    # every gap x of the whole continuum, in any document. With document weights w (a bootstrap
    # sample) it is Σ_u w_d(u) l_u² [S1(l_u) − (l_u − 1) S0(l_u)], where S0 and S1 are the
    # weighted count and sum of the gaps of length ≥ l_u. Gaps at least as long as the longest
    # coded segment count for every u, so they reduce to per-document totals; only the shorter
    # gaps need running sums (sorted once). The cost grows with the number of segments, not
    # with documents².
    per_code: list[dict[str, NDArray[np.float64]]] = []
    for k in range(len(code_list)):
        coded_k, gaps_k = coded_lengths[k], gap_lengths[k]
        all_coded = np.concatenate(coded_k) if coded_k else np.zeros(0)
        all_gaps = np.concatenate(gaps_k) if gaps_k else np.zeros(0)
        coded_owner = np.repeat(np.arange(n_docs), [c.size for c in coded_k])
        gap_owner = np.repeat(np.arange(n_docs), [g.size for g in gaps_k])
        per_code.append(
            {
                **_cross_parts(all_coded, coded_owner, all_gaps, gap_owner, n_docs),
                "count": np.array([c.size for c in coded_k], dtype=float),
                "cubic": np.array([np.sum((2 * c**3 - 3 * c**2 + c) / 3.0) for c in coded_k]),
                "square": np.array([np.sum(c * (c - 1.0)) for c in coded_k]),
            }
        )

    def estimate(weights: NDArray[np.float64]) -> NDArray[np.float64]:
        """Alpha per code and overall for documents weighted by ``weights`` (B × docs)."""
        total_length = weights @ doc_lengths
        results = np.full((weights.shape[0], len(code_list) + 1), np.nan)
        do_all = np.zeros(weights.shape[0])
        de_all = np.zeros(weights.shape[0])
        if m < 2:
            return results
        for k, parts in enumerate(per_code):
            n_c = weights @ parts["count"]
            cross_sum = _cross_term(weights, parts)
            numerator = _unitised_numerator(weights, parts, n_c) + cross_sum
            with np.errstate(divide="ignore", invalid="ignore"):
                d_o = 2.0 * (weights @ obs[k]) / (m * (m - 1) * total_length**2)
                denominator = (
                    m * total_length * (m * total_length - 1.0) - weights @ parts["square"]
                )
                d_e = (2.0 / total_length) * numerator / denominator
                results[:, k] = np.where(d_e > 0, 1.0 - d_o / d_e, np.nan)
            do_all += np.nan_to_num(d_o)
            de_all += np.nan_to_num(d_e)
        with np.errstate(divide="ignore", invalid="ignore"):
            results[:, -1] = np.where(de_all > 0, 1.0 - do_all / de_all, np.nan)
        return results

    point = estimate(np.ones((1, n_docs)))[0]
    keys = [*code_list, OVERALL]
    intervals = [(math.nan, math.nan, 0)] * len(keys)
    if n_boot and n_docs:
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        weights = rng.multinomial(n_docs, np.full(n_docs, 1.0 / n_docs), size=int(n_boot)).astype(
            float
        )
        replicates = estimate(weights)
        intervals = [_percentile_interval(replicates[:, i], level_ci) for i in range(len(keys))]
    out: dict[str, AlphaResult] = {}
    total = int(doc_lengths.sum()) * m
    for i, key in enumerate(keys):
        low, high, valid = intervals[i]
        out[key] = AlphaResult(
            alpha=float(point[i]),
            low=low,
            high=high,
            n_units=n_docs,
            n_pairable=total,
            level="unitised",
            method=UNITISED_METHOD,
            level_ci=float(level_ci),
            n_boot=int(n_boot),
            n_boot_valid=valid,
        )
    return out


def _unitised_numerator(
    weights: NDArray[np.float64], parts: dict[str, NDArray[np.float64]], n_c: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Σ_u (N_c − 1)/3 · (2l³ − 3l² + l) for weighted documents."""
    return (n_c - 1.0) * (weights @ parts["cubic"])


def _cross_parts(
    coded: NDArray[np.float64],
    coded_owner: NDArray[np.int_],
    gaps: NDArray[np.float64],
    gap_owner: NDArray[np.int_],
    n_docs: int,
) -> dict[str, NDArray[np.float64]]:
    """What :func:`_cross_term` needs of one code: the coded segments, the short gaps sorted
    longest first with ``ge`` (per segment, how many of them are at least as long), and the
    per-document totals of the long gaps (at least as long as every coded segment)."""
    longest = coded.max() if coded.size else 0.0
    long_gap = gaps >= longest
    short = np.flatnonzero(~long_gap)
    short = short[np.argsort(-gaps[short], kind="stable")]
    short_gaps = gaps[short]
    return {
        "coded": coded,
        "coded_owner": coded_owner,
        "gaps": short_gaps,
        "gap_owner": gap_owner[short],
        "ge": np.searchsorted(-short_gaps, -coded, side="right"),
        "long_count": np.bincount(gap_owner[long_gap], minlength=n_docs).astype(float),
        "long_sum": np.bincount(gap_owner[long_gap], weights=gaps[long_gap], minlength=n_docs),
        "coded_sq": np.bincount(coded_owner, weights=coded**2, minlength=n_docs),
        "coded_sq_l1": np.bincount(coded_owner, weights=coded**2 * (coded - 1.0), minlength=n_docs),
    }


def _cross_term(
    weights: NDArray[np.float64], parts: dict[str, NDArray[np.float64]]
) -> NDArray[np.float64]:
    """Σ_u w_d(u) l_u² Σ_{gaps x ≥ l_u} w_e(x) (x − l_u + 1) for each row of ``weights``.

    Processed in blocks of samples so that the (samples × gaps) suffix sums stay within
    ``_MAX_BLOCK`` numbers however long the continuum is.
    """
    coded, gaps, ge = parts["coded"], parts["gaps"], parts["ge"]
    # The long gaps: Σ_u w_u l_u² (Σx − (l_u − 1)·n) over per-document totals.
    out = (weights @ parts["coded_sq"]) * (weights @ parts["long_sum"]) - (
        weights @ parts["coded_sq_l1"]
    ) * (weights @ parts["long_count"])
    if coded.size == 0 or gaps.size == 0:
        return out
    block = max(1, _MAX_BLOCK // (2 * gaps.size + coded.size + 2))
    factor = coded**2
    for start in range(0, weights.shape[0], block):
        w = weights[start : start + block]
        w_gaps = w[:, parts["gap_owner"]]
        # Running sums over the short gaps, longest first, with a zero column in front: column
        # ``ge`` holds the weighted count (and sum) of the short gaps of length ≥ l. (Along the
        # rows: numpy accumulates a C-ordered array fastest along its last axis.)
        count = np.zeros((w.shape[0], gaps.size + 1))
        total = np.zeros((w.shape[0], gaps.size + 1))
        np.cumsum(w_gaps, axis=1, out=count[:, 1:])
        np.cumsum(w_gaps * gaps, axis=1, out=total[:, 1:])
        per_segment = total[:, ge] - (coded - 1.0) * count[:, ge]
        out[start : start + w.shape[0]] += (w[:, parts["coded_owner"]] * per_segment) @ factor
    return out
