"""Agreement between the two coders of the double-coding sample: Krippendorff's alpha.

Units are speaker turns (withdrawn turns left out) of the sample transcripts both coders have
finished. For one code, a coder's value for a turn is 1 when one of their segments that
overlaps the turn carries the code (or a sub-code merged into it), else 0: a nominal alpha per
code. The overall alpha pools every (turn, code) pair of the codes either coder used as a unit
with the same binary values, so that codes used often weigh more. Both come with a percentile
bootstrap interval over units (:func:`kansenaudit.stats.agreement.alpha_bootstrap`).
See docs/coding.md.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from kansenaudit.stats.agreement import AlphaUndefinedWarning, alpha_bootstrap
from kansenaudit.web.coding import selectors
from kansenaudit.web.coding.models import Code, DoubleCoding, Segment


@dataclass
class Alpha:
    alpha: float | None
    low: float | None
    high: float | None
    n_units: int
    n_boot: int

    @classmethod
    def of(cls, matrix: list[list[int]], n_boot: int, seed: int) -> Alpha:
        n_units = len(matrix[0]) if matrix else 0
        if n_units == 0:
            return cls(None, None, None, 0, n_boot)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", AlphaUndefinedWarning)
            result = alpha_bootstrap(matrix, "nominal", n_boot=n_boot, seed=seed)

        def num(x: float) -> float | None:
            return None if math.isnan(x) else round(float(x), 4)

        return cls(num(result.alpha), num(result.low), num(result.high), n_units, n_boot)


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


def turn_codes(sample: DoubleCoding, resolve: dict[int, int] | None = None) -> list[TurnCodes]:
    """Per turn of the sample transcript: the codes of coder 1, coder 2 and the consensus."""
    resolve = resolve if resolve is not None else _resolver(sample.dossier)
    turns = selectors.turns_of(sample.transcript)
    segments = list(Segment.objects.filter(transcript=sample.transcript).prefetch_related("codes"))
    rows = []
    for t in turns:
        withdrawn = t.participant is not None and t.participant.withdrawn_at is not None
        row = TurnCodes(t.number, t.speaker, t.start, t.end, withdrawn, set(), set(), set())
        if not withdrawn:
            for s in segments:
                if s.start < t.end and t.start < s.end:
                    ids = {resolve.get(c.pk, c.pk) for c in s.codes.all()}
                    if s.kind == Segment.Kind.CONSENSUS:
                        row.consensus |= ids
                    elif s.coder_id == sample.coder_1_id:
                        row.coder_1 |= ids
                    elif s.coder_id == sample.coder_2_id:
                        row.coder_2 |= ids
        rows.append(row)
    return rows


def _matrix(rows: Sequence[TurnCodes], codes: Sequence[int]) -> list[list[int]]:
    one, two = [], []
    for code in codes:
        for r in rows:
            one.append(int(code in r.coder_1))
            two.append(int(code in r.coder_2))
    return [one, two]


def dossier_agreement(dossier: Any, *, n_boot: int = 1000, seed: int = 0) -> Agreement:
    """Alpha per code and overall over the finished sample transcripts of ``dossier``."""
    resolve = _resolver(dossier)
    rows: list[TurnCodes] = []
    done = blind = 0
    finished = []
    for sample in selectors.samples(dossier):
        if sample.blind:
            blind += 1
            continue
        done += 1
        finished.append(sample)
        rows += [r for r in turn_codes(sample, resolve) if not r.withdrawn]
    used = sorted({c for r in rows for c in r.coder_1 | r.coder_2})
    names = dict(Code.objects.filter(pk__in=used).values_list("pk", "name"))
    per_code = []
    for code in used:
        per_code.append(
            CodeAlpha(
                code_id=code,
                code=names.get(code, str(code)),
                alpha=Alpha.of(_matrix(rows, [code]), n_boot, seed),
                coder_1=sum(code in r.coder_1 for r in rows),
                coder_2=sum(code in r.coder_2 for r in rows),
                both=sum(code in r.coder_1 and code in r.coder_2 for r in rows),
            )
        )
    per_code.sort(key=lambda c: c.code.lower())
    overall = Alpha.of(_matrix(rows, used), n_boot, seed) if used else Alpha.of([], n_boot, seed)
    return Agreement(
        transcripts=done,
        turns=len(rows),
        overall=overall,
        per_code=per_code,
        blind=blind,
        unitised=_unitised(finished, resolve, used),
    )


def _unitised(
    samples: Sequence[DoubleCoding], resolve: dict[int, int], used: Sequence[int]
) -> dict[str, Any] | None:
    """The unitised (character) alpha per code, when :mod:`kansenaudit.stats.agreement` has it."""
    try:
        from kansenaudit.stats import agreement as stats
    except ImportError:  # pragma: no cover
        return None
    unitised = getattr(stats, "unitised_alpha", None)
    if unitised is None or not samples:
        return None
    return unitised_by_code(samples, resolve, used, unitised)


def unitised_by_code(
    samples: Sequence[DoubleCoding], resolve: dict[int, int], used: Sequence[int], fn: Any
) -> dict[str, Any]:
    """Filled in when the unitised alpha lands (see :func:`_unitised`)."""
    return {}
