# SPDX-License-Identifier: EUPL-1.2
"""Agreement between the two coders of the double-coding sample: Krippendorff's alpha.

Units are speaker turns (withdrawn turns left out) of the sample transcripts both coders have
finished. For one code, a coder's value for a turn is 1 when one of their segments that
overlaps the turn carries the code (or a code merged into it), else 0: a nominal alpha per
code (:func:`kansenaudit.stats.agreement.alpha_by_code`). The overall alpha pools every
(turn, code) decision of the codes either coder used. Both come with a percentile bootstrap
interval over turns. The unitised variant (:func:`kansenaudit.stats.agreement.unitised_alpha`)
compares the coded characters themselves, per code and overall, with the words of
withdrawn participants cut out of the continuum. See docs/coding.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from kansenaudit.stats.agreement import (
    OVERALL,
    AlphaResult,
    CodedSpan,
    alpha_by_code,
    unitised_alpha,
)
from kansenaudit.web.coding import selectors
from kansenaudit.web.coding.models import Code, DoubleCoding, Segment
from kansenaudit.web.fieldwork.models import Turn


def _num(x: float) -> float | None:
    return None if x is None or math.isnan(x) else round(float(x), 4)


@dataclass
class Alpha:
    alpha: float | None
    low: float | None
    high: float | None
    n_units: int
    n_boot: int

    @classmethod
    def of(cls, result: AlphaResult | None, n_boot: int) -> Alpha:
        if result is None:
            return cls(None, None, None, 0, n_boot)
        return cls(_num(result.alpha), _num(result.low), _num(result.high), result.n_units, n_boot)


@dataclass
class CodeAlpha:
    code_id: int
    code: str
    alpha: Alpha
    coder_1: int  # turns coded with it by coder 1
    coder_2: int
    both: int


@dataclass
class Agreement:
    transcripts: int
    turns: int
    overall: Alpha
    per_code: list[CodeAlpha] = field(default_factory=list)
    blind: int = 0  # sample transcripts still being coded
    unitised: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class TurnCodes:
    number: int
    speaker: str
    start: int
    end: int
    withdrawn: bool
    coder_1: set[int]
    coder_2: set[int]
    consensus: set[int]

    @property
    def agree(self) -> bool:
        return self.coder_1 == self.coder_2


def _resolver(dossier: Any) -> dict[int, int]:
    """Code id → the active code it now counts as (a merged code counts as its target)."""
    into = dict(Code.objects.filter(dossier=dossier).values_list("pk", "merged_into_id"))
    resolved = {}
    for pk in into:
        node = pk
        seen = set()
        while into.get(node) is not None and node not in seen:
            seen.add(node)
            node = into[node]
        resolved[pk] = node
    return resolved


def turn_codes(
    sample: DoubleCoding,
    resolve: dict[int, int] | None = None,
    *,
    turns: list[Turn] | None = None,
    segments: list[tuple[int, int, int | None, str, list[int]]] | None = None,
) -> list[TurnCodes]:
    """Per turn of the sample transcript: the codes of coder 1, coder 2 and the consensus.

    ``turns`` and ``segments`` (start, end, coder id, kind, code ids) may be given preloaded."""
    resolve = resolve if resolve is not None else _resolver(sample.dossier)
    turns = selectors.units_of(sample.transcript) if turns is None else turns
    if segments is None:
        segments = _segment_rows([sample.transcript_id]).get(sample.transcript_id, [])
    rows = []
    for t in turns:
        withdrawn = t.participant is not None and t.participant.withdrawn_at is not None
        row = TurnCodes(t.number, t.speaker, t.start, t.end, withdrawn, set(), set(), set())
        if not withdrawn:
            for start, end, coder, kind, codes in segments:
                if start < t.end and t.start < end:
                    ids = {resolve.get(c, c) for c in codes}
                    if kind == Segment.Kind.CONSENSUS:
                        row.consensus |= ids
                    elif coder == sample.coder_1_id:
                        row.coder_1 |= ids
                    elif coder == sample.coder_2_id:
                        row.coder_2 |= ids
        rows.append(row)
    return rows


def _segment_rows(
    transcript_ids: list[int],
) -> dict[int, list[tuple[int, int, int | None, str, list[int]]]]:
    """The segments of the transcripts as plain rows, in two queries."""
    codes: dict[int, list[int]] = {}
    for segment_id, code_id in Segment.codes.through.objects.filter(
        segment__transcript_id__in=transcript_ids
    ).values_list("segment_id", "code_id"):
        codes.setdefault(segment_id, []).append(code_id)
    rows: dict[int, list[tuple[int, int, int | None, str, list[int]]]] = {}
    for pk, tid, start, end, coder, kind in Segment.objects.filter(
        transcript_id__in=transcript_ids
    ).values_list("pk", "transcript_id", "start", "end", "coder_id", "kind"):
        rows.setdefault(tid, []).append((start, end, coder, kind, codes.get(pk, [])))
    return rows


def _turns(transcript_ids: list[int]) -> dict[int, list[Turn]]:
    found: dict[int, list[Turn]] = {}
    for t in (
        Turn.objects.filter(transcript_id__in=transcript_ids)
        .select_related("participant")
        .order_by("transcript_id", "number")
    ):
        found.setdefault(t.transcript_id, []).append(t)
    return found


def dossier_agreement(
    dossier: Any, *, n_boot: int = 1000, seed: int = 0, with_unitised: bool = False
) -> Agreement:
    """Alpha per code and overall over the finished sample transcripts of ``dossier``; with
    ``with_unitised`` the unitised alpha on characters too (slower on large samples)."""
    resolve = _resolver(dossier)
    units: dict[tuple[int, int], dict[int, set[str]]] = {}
    rows: list[TurnCodes] = []
    all_samples = selectors.samples(dossier)
    finished = [s for s in all_samples if not s.blind]
    blind = len(all_samples) - len(finished)
    done = len(finished)
    ids = [s.transcript_id for s in finished]
    turns, segment_rows = _turns(ids), _segment_rows(ids)
    for sample in finished:
        units_of = turns.get(sample.transcript_id) or selectors.units_of(sample.transcript)
        for r in turn_codes(
            sample, resolve, turns=units_of, segments=segment_rows.get(sample.transcript_id, [])
        ):
            if r.withdrawn:
                continue
            rows.append(r)
            units[(sample.transcript_id, r.number)] = {
                1: {str(c) for c in r.coder_1},
                2: {str(c) for c in r.coder_2},
            }
    used = sorted({c for r in rows for c in r.coder_1 | r.coder_2})
    names = dict(Code.objects.filter(pk__in=used).values_list("pk", "name"))
    results = (
        alpha_by_code(units, codes=[str(c) for c in used], n_boot=n_boot, seed=seed) if used else {}
    )
    per_code = [
        CodeAlpha(
            code_id=code,
            code=names.get(code, str(code)),
            alpha=Alpha.of(results.get(str(code)), n_boot),
            coder_1=sum(code in r.coder_1 for r in rows),
            coder_2=sum(code in r.coder_2 for r in rows),
            both=sum(code in r.coder_1 and code in r.coder_2 for r in rows),
        )
        for code in used
    ]
    per_code.sort(key=lambda c: c.code.lower())
    return Agreement(
        transcripts=done,
        turns=len(rows),
        overall=Alpha.of(results.get(OVERALL), n_boot),
        per_code=per_code,
        blind=blind,
        unitised=unitised(finished, resolve, names, n_boot=n_boot, seed=seed)
        if with_unitised
        else None,
    )


def _compress(withdrawn: Sequence[tuple[int, int]]) -> Any:
    """A map of offsets into the text with the withdrawn spans cut out."""

    def at(pos: int) -> int:
        cut = 0
        for s, e in withdrawn:
            if pos <= s:
                break
            cut += min(pos, e) - s
        return pos - cut

    return at


def unitised(
    samples: Sequence[DoubleCoding],
    resolve: dict[int, int],
    names: dict[int, str],
    *,
    n_boot: int,
    seed: int,
) -> dict[str, Any] | None:
    """The unitised (character) alpha per code and overall; withdrawn words are cut out."""
    if not samples:
        return None
    spans: list[CodedSpan] = []
    lengths: dict[int, int] = {}
    for sample in samples:
        item = sample.transcript
        withdrawn = selectors.withdrawn_spans(item)
        at = _compress(withdrawn)
        lengths[item.pk] = at(len(item.text))
        for s in Segment.objects.filter(
            transcript=item,
            kind=Segment.Kind.CODING,
            coder_id__in=[sample.coder_1_id, sample.coder_2_id],
        ).prefetch_related("codes"):
            start, end = at(s.start), at(s.end)
            if end <= start:
                continue
            slot = 1 if s.coder_id == sample.coder_1_id else 2
            for c in {resolve.get(c.pk, c.pk) for c in s.codes.all()}:
                spans.append(CodedSpan(item.pk, slot, str(c), start, end))
    if not spans:
        return None
    results = unitised_alpha(spans, lengths, coders=[1, 2], n_boot=n_boot, seed=seed)
    overall = results.pop(OVERALL, None)
    return {
        "overall": asdict(Alpha.of(overall, n_boot)),
        "per_code": sorted(
            (
                {"code": names.get(int(k), k), **asdict(Alpha.of(v, n_boot))}
                for k, v in results.items()
            ),
            key=lambda r: str(r["code"]).lower(),
        ),
    }
