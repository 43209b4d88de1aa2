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

    The :class:`AllowList` keeps the research context: any part of a found span that is an
    allowed term (an area name, a directie, a measure name, a glossary term, the municipality)
    is kept, and so is a span that deduce marked only because it looks like a place or a name.

Pseudonyms
    The dossier-wide :class:`PersonRegister` gives each person or thing one pseudonym for all
    transcripts: ``[Bewoner 3]``, ``[Ambtenaar 2]``, ``[Partner 1]``, ``[Persoon 4]`` for people
    (by stakeholder group when known), ``[School 1]``, ``[Instelling 2]``, ``[Adres 4]``,
    ``[Postcode 1]``, ``[Telefoon 1]``, ``[E-mail 1]``, ``[BSN 1]``, ``[Geboortedatum 1]``,
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
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

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

_TITLES = {
    "meneer",
    "mevrouw",
    "mevr",
    "mw",
    "mr",
    "dhr",
    "heer",
    "juf",
    "juffrouw",
    "meester",
    "dr",
    "drs",
    "ir",
    "prof",
    "ing",
    "de heer",
    "wethouder",
    "burgemeester",
    "tante",
    "oom",
    "opa",
    "oma",
}
_PARTICLES = {
    "van",
    "de",
    "der",
    "den",
    "het",
    "ten",
    "ter",
    "te",
    "in",
    "'t",
    "la",
    "le",
    "el",
    "al",
    "von",
    "da",
    "di",
    "du",
    "op",
}
# Speaker labels that are roles, not names.
_ROLE_LABEL = re.compile(
    r"^(?:i|r|int|interviewer|intervierwer|respondent|geïnterviewde|geinterviewde|onderzoeker|"
    r"spreker|deelnemer|vraag|antwoord|moderator|notulist|[a-z]{1,3})\s*\d{0,3}$",
    re.IGNORECASE,
)


# --- register ---------------------------------------------------------------------------------


def _fold(value: str) -> str:
    """Lower case without accents, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


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


# --- detectors --------------------------------------------------------------------------------

_deduce_lock = threading.Lock()
_deduce_instance: Any = None


def _deduce() -> Any:
    """The one deduce instance of this process (building it takes several seconds)."""
    global _deduce_instance
    with _deduce_lock:
        if _deduce_instance is None:
            from deduce import Deduce

            _deduce_instance = Deduce()
        return _deduce_instance


@dataclass
class _Span:
    start: int
    end: int
    kind: str
    source: str  # "deduce", "pattern", "known", "speaker"
    group: str | None = None


_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}(?!\w)", re.IGNORECASE)
_URL = re.compile(r"\b(?:https?://|www\.)[^\s<>\"')\]]+[^\s<>\"').,;:!?\]]", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?:"
    r"(?:\+|00)31[\s-]?(?:\(0\)[\s-]?)?[1-9](?:[\s-]?\d){8}"
    r"|06[\s-]?(?:\d[\s-]?){7}\d"
    r"|0[1-9]\d{1,2}[\s-]?\d{3}[\s-]?\d{2}[\s-]?\d{1,2}"
    r"|0[1-9]\d{1,2}[\s-]\d{6,7}"
    r"|0[89]00[\s-]?\d{4}(?:\d{3})?"
    r")(?![\w])"
)
_POSTCODE = re.compile(r"(?<!\w)[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}(?!\w)")
_BSN = re.compile(
    r"(?<![\d.])(?:\d{9}|\d{3}[.\s]\d{3}[.\s]\d{3}|\d{4}[.\s]\d{2}[.\s]\d{3}|\d{8})(?![\d.]\d)"
)
_STREET_END = (
    r"(?:straat|laan|weg|plein|gracht|kade|singel|dijk|hof|pad|steeg|dreef|park|plantsoen|"
    r"markt|boulevard|allee|baan|burgwal|wal|erf|veld|hoek|ring|haven|straatweg|zijde)"
)
_ADDRESS = re.compile(
    rf"(?<!\w)(?:[A-Z][\w'’\-]*\s){{0,3}}[A-Z][\w'’\-]*{_STREET_END}\s+\d{{1,4}}(?:\s?[a-zA-Z]\b|-\d{{1,4}}|\s?(?:hoog|huis|bis)\b)?"
    rf"|(?<!\w)(?:de|het)\s[A-Z][\w'’\-]*{_STREET_END}\s+\d{{1,4}}[a-zA-Z]?",
)
_MONTHS = (
    r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|"
    r"december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
)
_DATE = (
    r"(?:\d{1,2}[-/.]\d{1,2}[-/.](?:19|20)?\d{2}"
    rf"|\d{{1,2}}\s+{_MONTHS}\s+(?:19|20)\d{{2}}"
    r"|(?:19|20)\d{2}-\d{2}-\d{2})"
)
_BIRTH_DATE = re.compile(
    rf"(?:geboren\s+(?:op\s+)?|geboortedatum[:\s]+|geb\.\s*|geboren\s+in\s+)(?P<date>{_DATE}|(?:19|20)\d{{2}})",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"(?:\b(?:ik\s+ben|hij\s+is|zij\s+is|ze\s+is|die\s+is|is\s+nu|werd|wordt|was\s+toen|"
    r"leeftijd(?:\s+van)?:?|van)\s+(?P<a>\d{1,3})(?:\s+jaar)?\b(?=\s*(?:jaar|oud|,|\.|en|\)|$))"
    r"|\b(?P<b>\d{1,3})\s+jaar\s+oud\b"
    r"|\b(?P<c>\d{1,3})[- ]?jarige?\b"
    r"|\b(?P<d>\d{1,3})\s+jaar\b(?=\s*(?:\)|,\s*(?:woont|werkt|heeft|moeder|vader))))",
    re.IGNORECASE,
)
_SCHOOL_WORD = re.compile(
    r"school|college|lyceum|gymnasium|atheneum|\bobs\b|\bcbs\b|\bibs\b|\bpcbs\b|\bmavo\b|\bvmbo\b|\bkindcentrum\b|\bikc\b|\bmbo\b|\broc\b",
    re.IGNORECASE,
)
_CAP = r"(?:[A-Z][\w'’\-]*|[A-Z]{2,}|\d{1,3})"
_CAPS = (
    rf"(?:(?:de|het|De|Het|'t|van|der|den|op)\s)?{_CAP}"
    rf"(?:\s(?:(?:de|het|van|der|den|en|op|'t|aan)\s)?{_CAP}){{0,3}}"
)
_INSTITUTION_KIND = (
    r"(?:[Bb]asisschool|[Bb]asisscholen|[Ss]chool|OBS|CBS|IBS|PCBS|KBS|SBO|[Ii]ntegraal\s[Kk]indcentrum|IKC|"
    r"[Kk]indcentrum|[Kk]inderopvang|[Kk]inderdagverblijf|[Pp]eutercentrum|[Pp]euterspeelzaal|"
    r"[Bb]uurthuis|[Bb]uurtcentrum|[Ww]ijkcentrum|[Bb]uurtkamer|[Hh]uisartsenpraktijk|"
    r"[Hh]uisartsenpost|[Tt]andartspraktijk|[Ss]tichting|[Vv]ereniging|[Vv]oetbalclub|"
    r"[Vv]oetbalvereniging|[Ss]portclub|[Ss]portvereniging|[Mm]oskee|[Kk]erk|[Bb]ibliotheek|"
    r"[Zz]iekenhuis|[Vv]erpleeghuis|[Zz]orgcentrum|[Cc]ollege|[Ll]yceum|[Gg]ymnasium|ROC|[Mm]ediatheek|"
    r"[Ss]peeltuinvereniging|[Jj]ongerencentrum|[Tt]ienerhuis|[Vv]oedselbank|[Aa]potheek)"
)
_INSTITUTION = re.compile(
    rf"(?<![\w])(?:(?:de|het|De|Het)\s)?{_INSTITUTION_KIND}\s(?!(?:is|was|en|of|in|op|met|voor|die|dat|daar|hier|heeft|had|van|zijn|waar|gaat|doet|kan|zou|wil)\b){_CAPS}"
    rf"|(?<![\w])(?:[Dd]e|[Hh]et|'t)\s(?:[A-Z][\w'’\-]*\s){{0,2}}[A-Z][\w'’\-]*(?:school|college|lyceum|huis|centrum|hof|honk)\b"
    rf"|(?<![\w])[A-Z][\w'’\-]*(?:school|[Cc]ollege|[Ll]yceum)\b"
)
_TITLE_NAME = re.compile(
    r"(?<!\w)(?:meneer|mevrouw|mevr\.|mw\.|dhr\.|de\sheer|juf|juffrouw|meester|dokter|dr\.|"
    r"wethouder|tante|oom|opa|oma|Meneer|Mevrouw|Juf|Meester)\s+"
    r"(?P<name>(?:(?:van|de|der|den|el|al|ter|ten)\s)*[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)?)"
)
_DEDUCE_KINDS = {
    "persoon": "person",
    "patient": "person",
    "locatie": "address",
    "ziekenhuis": "institution",
    "zorginstelling": "institution",
    "telefoonnummer": "phone",
    "emailadres": "email",
    "url": "url",
    "bsn": "id_number",
    "id": "id_number",
    "leeftijd": "age",
}
# Words deduce marks as names or places in Dutch interview speech but that are ordinary words.
_NEVER = {
    "ik",
    "je",
    "jij",
    "u",
    "hij",
    "zij",
    "ze",
    "we",
    "wij",
    "jullie",
    "het",
    "de",
    "een",
    "ja",
    "nee",
    "oké",
    "oke",
    "ok",
    "dus",
    "maar",
    "gemeente",
    "wijk",
    "buurt",
    "school",
    "stad",
    "jaar",
    "jaren",
    "mensen",
    "moeder",
    "vader",
    "kinderen",
    "kind",
    "interviewer",
    "respondent",
    "nederland",
    "nederlands",
    "nederlandse",
    "europa",
}


def elfproef(digits: str) -> bool:
    """Whether nine digits pass the BSN eleven test (``9a+8b+…+2h−1i`` divisible by 11).

    Examples
    --------
    >>> elfproef("111222333")
    True
    >>> elfproef("123456789")
    False
    """
    numbers = [int(c) for c in digits if c.isdigit()]
    if len(numbers) == 8:
        numbers = [0, *numbers]
    if len(numbers) != 9 or not any(numbers):
        return False
    total = sum(w * n for w, n in zip(range(9, 1, -1), numbers[:8], strict=True)) - numbers[8]
    return total % 11 == 0


def _pattern_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []

    def add(pattern: re.Pattern[str], kind: str, group: str | int = 0) -> None:
        for match in pattern.finditer(text):
            spans.append(_Span(match.start(group), match.end(group), kind, "pattern"))

    add(_EMAIL, "email")
    add(_URL, "url")
    add(_PHONE, "phone")
    add(_POSTCODE, "postcode")
    add(_ADDRESS, "address")
    add(_INSTITUTION, "institution")
    add(_BIRTH_DATE, "birth_date", "date")
    add(_TITLE_NAME, "person", "name")
    for match in _BSN.finditer(text):
        if elfproef(match.group()):
            spans.append(_Span(match.start(), match.end(), "id_number", "pattern"))
    for match in _AGE.finditer(text):
        for group in ("a", "b", "c", "d"):
            if match.group(group):
                spans.append(_Span(match.start(group), match.end(group), "age", "pattern"))
                break
    return spans


def _deduce_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []
    engine = _deduce()
    # Paragraph by paragraph: deduce's cost grows faster than linearly on long texts.
    for start, chunk in _chunks(text, 5_000):
        document = engine.deidentify(chunk)
        for annotation in document.annotations:
            tag = str(annotation.tag).split("+")[0].lower()
            kind = _DEDUCE_KINDS.get(tag)
            if tag in ("persoon", "patient") or "naam" in str(annotation.tag):
                kind = "person"
            if kind is None:
                continue  # dates: only dates of birth are replaced (by pattern)
            value = annotation.text
            if _fold(value.strip()) in _NEVER:
                continue
            spans.append(
                _Span(start + annotation.start_char, start + annotation.end_char, kind, "deduce")
            )
    return spans


def _chunks(text: str, size: int) -> Iterable[tuple[int, str]]:
    position = 0
    while position < len(text):
        end = min(len(text), position + size)
        if end < len(text):
            cut = text.rfind("\n", position + size // 2, end)
            if cut == -1:
                cut = text.rfind(" ", position + size // 2, end)
            if cut > position:
                end = cut
        yield position, text[position:end]
        position = end


def _known_name_spans(text: str, names: Iterable[str], allow: AllowList) -> list[_Span]:
    """Every later mention of a known person: the full variants and their significant words."""
    words: set[str] = set()
    for name in names:
        if name.strip():
            words.add(name.strip())
        for token in re.findall(r"[^\W\d_][\w'’\-]+", name):
            if (
                len(token) > 2
                and token[0].isupper()
                and _fold(token) not in _PARTICLES
                and _fold(token) not in _TITLES
                and _fold(token) not in _NEVER
                and _fold(token) not in _FILLERS
                and token not in allow
            ):
                words.add(token)
    if not words:
        return []
    pattern = re.compile(
        r"(?<![\w])(?:"
        + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        + r")(?![\w])"
    )
    return [_Span(m.start(), m.end(), "person", "known") for m in pattern.finditer(text)]


_PRIORITY = {"pattern": 3, "speaker": 4, "known": 2, "deduce": 1}
_KIND_PRIORITY = {
    "email": 9,
    "url": 9,
    "id_number": 8,
    "phone": 8,
    "birth_date": 7,
    "postcode": 7,
    "address": 6,
    "institution": 5,
    "person": 4,
    "age": 3,
    "place": 2,
}


def _trim(text: str, span: _Span) -> _Span | None:
    """Strip spaces and punctuation at the edges; None when nothing is left."""
    start, end = span.start, span.end
    while start < end and not (text[start].isalnum() or text[start] in "+["):
        start += 1
    while end > start and not (text[end - 1].isalnum() or text[end - 1] in ")]"):
        end -= 1
    if start >= end:
        return None
    return _Span(start, end, span.kind, span.source, span.group)


def _remove_allowed(text: str, spans: list[_Span], allowed: list[tuple[int, int]]) -> list[_Span]:
    out: list[_Span] = []
    for span in spans:
        pieces = [(span.start, span.end)]
        for a_start, a_end in allowed:
            next_pieces = []
            for p_start, p_end in pieces:
                if a_end <= p_start or a_start >= p_end:
                    next_pieces.append((p_start, p_end))
                    continue
                if span.kind in ("email", "url", "phone", "id_number", "postcode"):
                    next_pieces.append((p_start, p_end))  # patterns beat the allow-list
                    continue
                if p_start < a_start:
                    next_pieces.append((p_start, a_start))
                if a_end < p_end:
                    next_pieces.append((a_end, p_end))
            pieces = next_pieces
        for p_start, p_end in pieces:
            trimmed = _trim(text, _Span(p_start, p_end, span.kind, span.source, span.group))
            if trimmed is None:
                continue
            piece = text[trimmed.start : trimmed.end]
            # A remnant of an allowed term ("in", "de") is no identifier.
            if (p_start, p_end) != (span.start, span.end) and (
                len(piece) < 3 or _fold(piece) in _PARTICLES or _fold(piece) in _NEVER
            ):
                continue
            out.append(trimmed)
    return out


def _resolve(text: str, spans: list[_Span]) -> list[_Span]:
    """Merge overlaps into disjoint spans.

    Our own detectors (patterns, speaker labels, known names) go first, longest first; then
    deduce's spans, cut around what is already taken (deduce joins "meneer Jansen van
    Stichting Kansrijk" into one name, and a postcode into the place after it).
    """

    def order(s: _Span) -> tuple[int, int, int, int]:
        return (
            -(s.end - s.start),
            -_KIND_PRIORITY.get(s.kind, 0),
            -_PRIORITY.get(s.source, 0),
            s.start,
        )

    taken: list[_Span] = []
    for span in sorted((s for s in spans if s.source != "deduce"), key=order):
        if not any(t.start < span.end and span.start < t.end for t in taken):
            taken.append(span)
    for span in sorted((s for s in spans if s.source == "deduce"), key=order):
        pieces = [(span.start, span.end)]
        for other in taken:
            next_pieces = []
            for start, end in pieces:
                if other.end <= start or other.start >= end:
                    next_pieces.append((start, end))
                    continue
                if start < other.start:
                    next_pieces.append((start, other.start))
                if other.end < end:
                    next_pieces.append((other.end, end))
            pieces = next_pieces
        cut = (span.start, span.end) not in pieces
        for start, end in pieces:
            kind = span.kind
            if cut and kind == "address" and not re.search(r"\d", text[start:end]):
                kind = "place"  # the town after a postcode
            piece = _trim(text, _Span(start, end, kind, "deduce"))
            if piece is None:
                continue
            value = _fold(text[piece.start : piece.end])
            words = value.split()
            if cut and (len(value) < 3 or all(w.rstrip(".") in _STOP for w in words)):
                continue
            if kind == "person":
                piece = _strip_fillers(text, piece)
                if piece is None:
                    continue
            taken.append(piece)
    return sorted(taken, key=lambda s: s.start)


# Words deduce takes for (part of) a name at the start of a greeting or a sentence.
_FILLERS = {
    "dag",
    "hoi",
    "hallo",
    "beste",
    "dank",
    "bedankt",
    "goedemorgen",
    "goedemiddag",
    "ja",
    "nee",
    "oke",
    "oké",
    "goed",
    "nou",
    "en",
    "van",
    "met",
    "dus",
    "maar",
    "want",
    "hey",
    "hee",
    "hé",
}


_STOP = _PARTICLES | _NEVER | _FILLERS | _TITLES


def _strip_fillers(text: str, span: _Span) -> _Span | None:
    start = span.start
    while True:
        match = re.match(r"([^\W\d_]+)\.?[\s,]+", text[start : span.end])
        if match is None or _fold(match.group(1)) not in _FILLERS | _TITLES:
            break
        start += match.end()
    if start >= span.end:
        return None
    return _Span(start, span.end, span.kind, span.source, span.group)


def _speaker_spans(text: str, speakers: Mapping[str, str]) -> list[_Span]:
    spans: list[_Span] = []
    for label, group in speakers.items():
        if not label.strip() or _ROLE_LABEL.match(label.strip()):
            continue
        for match in re.finditer(r"(?<![\w])" + re.escape(label.strip()) + r"(?![\w])", text):
            spans.append(_Span(match.start(), match.end(), "person", "speaker", group or None))
    return spans


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
