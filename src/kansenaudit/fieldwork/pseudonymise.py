# SPDX-License-Identifier: EUPL-1.2
"""Pseudonymise a Dutch interview transcript: deduce plus what an audit's fieldwork needs.

What is found
    `deduce <https://github.com/vmenger/deduce>`_ (Dutch de-identification of clinical text)
    finds person names, street addresses and places, phone numbers, e-mail addresses, URLs,
    BSN and other identification numbers, dates, ages and care institutions. On interview
    transcripts it misses things and over-redacts, so this module adds its own detectors and
    filters (see ``docs/methods/pseudonymisation.md`` for the measured recall and precision):

    * Dutch postcodes (``1234 AB``), split from the place deduce joins them to;
    * BSN: nine digits (also ``123.456.789``) that pass the *elfproef*;
    * e-mail addresses, URLs and Dutch phone numbers (``06-12345678``, ``020 123 4567``,
      ``+31 6 1234 5678``) by pattern;
    * street addresses (a street-name ending such as ``-straat``, ``-laan``, ``-weg`` and a
      house number);
    * dates of *birth* only (a date after "geboren", "geboortedatum", "geb."): other dates are
      research context and are kept, though deduce marks every date;
    * ages of persons ("ik ben 45", "45 jaar oud", "een 12-jarige");
    * institution names from a pattern list (schools, colleges, day care, community centres,
      foundations, clubs, GP practices, mosques and churches with a proper name after or
      before the kind);
    * person names: deduce's, plus every later mention of a name already seen (in this
      transcript, in the dossier's :class:`PersonRegister`, or as a speaker label), and names
      after a title ("meneer", "mevrouw", "juf", "meester", "dhr.", "mw.").

    The detectors are in :mod:`kansenaudit.fieldwork.detectors`. The :class:`AllowList` keeps
    the research context: any part of a found span that is an
    allowed term (an area name, a directie, a measure name, a glossary term, the municipality)
    is kept, and so is a span that deduce marked only because it looks like a place or a name.

Pseudonyms
    The dossier-wide :class:`PersonRegister` gives each person or thing one pseudonym for all
    transcripts: ``[Bewoner 3]``, ``[Ambtenaar 2]``, ``[Partner 1]``, ``[Persoon 4]`` for people
    (by stakeholder group when known), ``[School 1]``, ``[Instelling 2]``, ``[Adres 4]``,
    ``[Postcode 1]``, ``[Telefoon 1]``, ``[E-mail 1]``, ``[BSN 1]`` (or ``[Nummer 1]`` for an
    identification number that is no BSN), ``[Geboortedatum 1]``,
    ``[Leeftijd 1]``, ``[URL 1]``, ``[Plaats 1]``. Name variants are one person: "Jan Jansen",
    "Jansen", "meneer Jansen" and "J. Jansen" share the pseudonym (a name whose significant
    words all belong to a known person's name is that person; the first match wins).

Offsets
    :class:`Replacement` offsets are into the *original* text; :meth:`PseudonymisedText.map_offset`
    maps an original offset (a turn boundary) to the pseudonymised text.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from kansenaudit.fieldwork.detectors import (
    _NEVER,
    _PARTICLES,
    _ROLE_LABEL,
    _SCHOOL_WORD,
    _TITLES,
    _context_spans,
    _deduce_spans,
    _fold,
    _known_name_spans,
    _pattern_spans,
    _remove_allowed,
    _resolve,
    _speaker_spans,
    elfproef,
)

__all__ = [
    "GROUP_LABELS",
    "KINDS",
    "AllowList",
    "PersonRegister",
    "PseudonymisedText",
    "Replacement",
    "apply_replacements",
    "elfproef",
    "pseudonymise",
]

KINDS: tuple[str, ...] = (
    "person",
    "address",
    "postcode",
    "place",
    "phone",
    "email",
    "id_number",
    "birth_date",
    "age",
    "institution",
    "url",
)

# Stakeholder group (as the app stores it, or in Dutch) → the word in the pseudonym.
GROUP_LABELS: dict[str, str] = {
    "resident": "Bewoner",
    "bewoner": "Bewoner",
    "amsterdammer": "Bewoner",
    "partner": "Partner",
    "implementing_partner": "Partner",
    "uitvoeringspartner": "Partner",
    "civil_servant": "Ambtenaar",
    "official": "Ambtenaar",
    "ambtenaar": "Ambtenaar",
    "interviewer": "Onderzoeker",
    "auditor": "Onderzoeker",
    "onderzoeker": "Onderzoeker",
    "other": "Persoon",
}

_KIND_LABELS: dict[str, str] = {
    "address": "Adres",
    "postcode": "Postcode",
    "place": "Plaats",
    "phone": "Telefoon",
    "email": "E-mail",
    "id_number": "BSN",
    "birth_date": "Geboortedatum",
    "age": "Leeftijd",
    "url": "URL",
}


# --- register ---------------------------------------------------------------------------------


def _name_tokens(name: str) -> tuple[str, ...]:
    """The significant words of a name: no titles, particles, initials or punctuation."""
    words = re.findall(r"[^\W\d_][\w'’\-]*", _fold(name))
    return tuple(
        word for word in words if word not in _TITLES and word not in _PARTICLES and len(word) > 1
    )


@dataclass
class _Entity:
    kind: str
    label: str
    number: int
    variants: list[str] = field(default_factory=list)
    tokens: set[str] = field(default_factory=set)
    group: str | None = None

    @property
    def pseudonym(self) -> str:
        return f"[{self.label} {self.number}]"


class PersonRegister:
    """The dossier-wide key: which original gets which pseudonym, for every transcript.

    The register only grows. It holds the originals, so the app stores it encrypted
    (:meth:`to_dict` / :meth:`from_dict` give a JSON-able form).

    Examples
    --------
    >>> register = PersonRegister()
    >>> register.pseudonym_for("person", "Jan Jansen", group="resident")
    '[Bewoner 1]'
    >>> register.pseudonym_for("person", "meneer Jansen")
    '[Bewoner 1]'
    >>> register.pseudonym_for("institution", "basisschool De Klimop")
    '[School 1]'
    """

    def __init__(self) -> None:
        self._entities: list[_Entity] = []
        self._counters: dict[str, int] = {}
        self._lock = threading.Lock()

    # -- lookup
    def _find(self, kind: str, original: str) -> _Entity | None:
        if kind == "person":
            tokens = set(_name_tokens(original))
            if not tokens:
                return None
            for entity in self._entities:
                if entity.kind == "person" and tokens <= entity.tokens:
                    return entity
            for entity in self._entities:
                # "Jan Jansen" after only "Jansen" was seen: the same person, now fuller.
                if entity.kind == "person" and entity.tokens and entity.tokens <= tokens:
                    return entity
            return None
        key = _normalise_key(kind, original)
        for entity in self._entities:
            if entity.kind == kind and key in {_normalise_key(kind, v) for v in entity.variants}:
                return entity
        return None

    def pseudonym_for(self, kind: str, original: str, *, group: str | None = None) -> str:
        """The pseudonym of ``original`` (a new one when it was not seen before).

        Parameters
        ----------
        kind : str
            One of :data:`KINDS`.
        original : str
            The text as it occurs ("meneer Jansen").
        group : str, optional
            The stakeholder group of the person when known (a speaker's group); a key of
            :data:`GROUP_LABELS`. Only used when the person is new to the register.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        with self._lock:
            entity = self._find(kind, original)
            if entity is None:
                label = self._label(kind, original, group)
                number = self._counters.get(label, 0) + 1
                self._counters[label] = number
                entity = _Entity(kind, label, number, group=group)
                self._entities.append(entity)
            if original not in entity.variants:
                entity.variants.append(original)
            if kind == "person":
                entity.tokens |= set(_name_tokens(original))
            return entity.pseudonym

    @staticmethod
    def _label(kind: str, original: str, group: str | None) -> str:
        if kind == "person":
            return GROUP_LABELS.get((group or "").casefold(), "Persoon")
        if kind == "institution":
            return "School" if _SCHOOL_WORD.search(original) else "Instelling"
        if kind == "id_number" and not elfproef(original):
            return "Nummer"  # a client or file number: identifying, but no BSN
        return _KIND_LABELS[kind]

    def known_names(self) -> list[str]:
        """Every person-name variant in the register (to find later mentions)."""
        return [v for e in self._entities if e.kind == "person" for v in e.variants]

    def known(self, kind: str) -> list[str]:
        """Every original of ``kind`` in the register."""
        return [v for e in self._entities if e.kind == kind for v in e.variants]

    def __len__(self) -> int:
        return len(self._entities)

    # -- storage
    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (it contains the originals: store it encrypted)."""
        return {
            "version": 1,
            "entities": [
                {
                    "kind": e.kind,
                    "label": e.label,
                    "number": e.number,
                    "variants": list(e.variants),
                    "group": e.group,
                }
                for e in self._entities
            ],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PersonRegister:
        """Rebuild a register from :meth:`to_dict` output."""
        register = cls()
        for item in data.get("entities", []):
            entity = _Entity(
                kind=str(item["kind"]),
                label=str(item["label"]),
                number=int(item["number"]),
                variants=[str(v) for v in item.get("variants", [])],
                group=item.get("group"),
            )
            if entity.kind == "person":
                for variant in entity.variants:
                    entity.tokens |= set(_name_tokens(variant))
            register._entities.append(entity)
            register._counters[entity.label] = max(
                register._counters.get(entity.label, 0), entity.number
            )
        return register


def _normalise_key(kind: str, original: str) -> str:
    folded = _fold(original)
    if kind in ("phone", "id_number", "postcode"):
        return re.sub(r"[^0-9a-z]", "", folded.replace("+31", "0").replace("0031", "0"))
    if kind == "institution":
        words = re.findall(r"\w+", folded)
        return " ".join(w for w in words if w not in {"de", "het", "een"})
    return " ".join(re.findall(r"\w+", folded))


# --- allow-list -------------------------------------------------------------------------------


class AllowList:
    """Terms kept as they are: area names, directies, measure names, glossary terms.

    Matching ignores case and accents and is on whole words; a term of several words matches
    with any whitespace between them.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        cleaned = sorted({t.strip() for t in terms if t and t.strip()}, key=len, reverse=True)
        self.terms: tuple[str, ...] = tuple(cleaned)
        self._folded = {_fold(t) for t in cleaned}
        if cleaned:
            parts = [r"\s+".join(re.escape(_fold(w)) for w in t.split()) for t in cleaned]
            self._pattern: re.Pattern[str] | None = re.compile(
                r"(?<!\w)(?:" + "|".join(parts) + r")(?!\w)"
            )
        else:
            self._pattern = None

    def __contains__(self, value: object) -> bool:
        return isinstance(value, str) and _fold(value.strip()) in self._folded

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where allowed terms occur in ``text`` (``_fold`` keeps string length for NFC text)."""
        if self._pattern is None:
            return []
        folded = _fold_same_length(text)
        return [(m.start(), m.end()) for m in self._pattern.finditer(folded)]


def _fold_same_length(text: str) -> str:
    """Case- and accent-folded copy of ``text`` with exactly the same length."""
    out = []
    for char in text:
        folded = _fold(char)
        out.append(folded if len(folded) == 1 else char.lower()[:1] or char)
    return "".join(out)


# --- result -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Replacement:
    """One replaced span: ``original == text[start:end]`` of the original text."""

    start: int
    end: int
    kind: str
    original: str
    pseudonym: str


@dataclass(frozen=True)
class PseudonymisedText:
    """The pseudonymised text and the replacements (sorted, not overlapping) that made it."""

    text: str
    replacements: tuple[Replacement, ...]

    def map_offset(self, original_offset: int) -> int:
        """Map an offset in the original text to the pseudonymised text.

        An offset before or at the start of a replaced span keeps its distance to it; an offset
        inside a replaced span maps to the start of its pseudonym, one at its end to the end.
        """
        shift = 0
        for item in self.replacements:
            if original_offset <= item.start:
                break
            if original_offset < item.end:
                return item.start + shift
            shift += len(item.pseudonym) - (item.end - item.start)
        return original_offset + shift


def apply_replacements(text: str, replacements: Sequence[Replacement]) -> PseudonymisedText:
    """Apply replacements to the original ``text`` (the review page's add / undo, re-applied).

    Replacements are sorted; one that overlaps an earlier (longer-first) one is dropped, and
    one whose ``original`` no longer matches the text raises ``ValueError``.
    """
    ordered = sorted(replacements, key=lambda r: (r.start, -(r.end - r.start)))
    kept: list[Replacement] = []
    for item in ordered:
        if not 0 <= item.start < item.end <= len(text):
            raise ValueError(f"replacement {item.start}–{item.end} is outside the text")
        if text[item.start : item.end] != item.original:
            raise ValueError(f"replacement {item.start}–{item.end} does not match the text")
        if kept and item.start < kept[-1].end:
            continue
        kept.append(item)
    parts: list[str] = []
    position = 0
    for item in kept:
        parts.append(text[position : item.start])
        parts.append(item.pseudonym)
        position = item.end
    parts.append(text[position:])
    return PseudonymisedText("".join(parts), tuple(kept))


def pseudonymise(
    text: str,
    *,
    register: PersonRegister,
    allow: AllowList,
    speakers: Mapping[str, str] | None = None,
) -> PseudonymisedText:
    """Find identifying details in ``text`` and replace them by the register's pseudonyms.

    Parameters
    ----------
    text : str
        The canonical transcript text.
    register : PersonRegister
        The dossier's key; new originals are added to it.
    allow : AllowList
        Terms that stay.
    speakers : mapping, optional
        Speaker label → stakeholder group (a key of :data:`GROUP_LABELS`, or ``""`` when
        unknown). Labels that are names ("Fatima", "Jan de Vries") are replaced everywhere,
        and the person gets the pseudonym of that group; role labels ("I", "R2",
        "Interviewer") stay.

    Returns
    -------
    PseudonymisedText
    """
    speakers = dict(speakers or {})
    # Speakers first, so that a named speaker's group decides their pseudonym.
    for label, group in speakers.items():
        if label.strip() and not _ROLE_LABEL.match(label.strip()):
            register.pseudonym_for("person", label.strip(), group=group or None)
    spans = _pattern_spans(text) + _deduce_spans(text) + _speaker_spans(text, speakers)
    spans += _context_spans(text, allow)
    allowed = allow.spans(text)
    spans = _remove_allowed(text, spans, allowed)
    spans = [s for s in spans if _fold(text[s.start : s.end]) not in _NEVER]
    # Later mentions of names seen in this text, as speakers, or in earlier transcripts.
    first = _resolve(text, spans)
    names = [text[s.start : s.end] for s in first if s.kind == "person"]
    names += register.known_names()
    names += [label for label in speakers if label.strip() and not _ROLE_LABEL.match(label.strip())]
    spans += _remove_allowed(text, _known_name_spans(text, names, allow), allowed)
    spans = _resolve(text, spans)
    group_of = {frozenset(_name_tokens(label)): group for label, group in speakers.items() if group}
    replacements = []
    for span in spans:
        original = text[span.start : span.end]
        person_group: str | None = span.group
        if span.kind == "person" and person_group is None:
            tokens = set(_name_tokens(original))
            person_group = next(
                (g for key, g in group_of.items() if tokens and tokens <= key), None
            )
        pseudonym = register.pseudonym_for(span.kind, original, group=person_group)
        replacements.append(Replacement(span.start, span.end, span.kind, original, pseudonym))
    return apply_replacements(text, replacements)
