# SPDX-License-Identifier: EUPL-1.2
"""The detectors behind :mod:`kansenaudit.fieldwork.pseudonymise`: deduce, patterns, filters.

Each detector returns spans (start, end, kind, source) in the text; :func:`resolve` merges them
into disjoint spans (our own detectors first, longest first; deduce's spans cut around them) and
:func:`remove_allowed` takes out the allow-listed research context. See
``docs/methods/pseudonymisation.md`` for what is found and how well.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kansenaudit.config import env_str
from kansenaudit.fieldwork.names import context_name_spans, is_lead_word

__all__ = ["elfproef"]

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


def _fold(value: str) -> str:
    """Lower case without accents, for comparing names."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def deduce_cache_path() -> Path:
    """Where deduce keeps the lookup tables it builds from its name lists.

    Outside the virtual environment, so that a fresh checkout on the same machine (CI, a new
    clone) loads them in seconds instead of building them for two minutes. The tables are
    derived from the public lists shipped with deduce, nothing of a transcript; deduce rebuilds
    them itself when its version changes.
    """
    from importlib.metadata import version

    folder = env_str("KANSENAUDIT_DEDUCE_CACHE") or str(
        Path.home() / ".cache" / "kansenaudit" / f"deduce-{version('deduce')}"
    )
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


_deduce_lock = threading.Lock()
_deduce_instance: Any = None


def _deduce() -> Any:
    """The one deduce instance of this process (building it takes several seconds)."""
    global _deduce_instance
    with _deduce_lock:
        if _deduce_instance is None:
            import logging

            root = logging.getLogger()
            handlers, level = list(root.handlers), root.level
            # deduce calls logging.basicConfig(stream=sys.stdout, level=DEBUG) when imported,
            # which would put every library's debug lines on stdout (and break --json): undo it.
            from deduce import Deduce

            for handler in list(root.handlers):
                if handler not in handlers:
                    root.removeHandler(handler)
            root.setLevel(level)
            _deduce_instance = Deduce(cache_path=deduce_cache_path())
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
_HOUSE_NUMBER = (
    r"\s+\d{1,4}(?:\s?(?:hoog|huis|bis|zwart|rood|boven|beneden|III|II|I)\b|\s?-\s?\d{1,4}"
    r"|-?[a-zA-Z]\b)*"
)
# A street (one to four words, the last ending in a street word) with a house number, or
# "de/het" + street + number. Streets without a number are not addresses (research context).
_STREET_WORD = r"[A-Z][\w'’\-]*" + _STREET_END
_ADDRESS = re.compile(
    rf"(?<!\w)(?:(?:de|het)\s)?(?:[A-Z][\w'’\-]*\s(?:(?:van|de|der|den|ten|ter|en|op|aan|bij|in)\s)*){{0,3}}"
    rf"{_STREET_WORD}{_HOUSE_NUMBER}"
    # Any name with a house number right before a postcode: "Kastanjeplein 4, 1092 CL".
    rf"|(?<!\w)(?:[A-Z][\w'’\-]*\s){{0,2}}[A-Z][\w'’\-]*{_HOUSE_NUMBER}"
    r"(?=,?\s+[1-9]\d{3}\s?[A-Z]{2}\b)",
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
    r"(?:geboren|geboortedatum|geb\.)(?:\s+(?:is|was|op|in))?\s*[:,]?\s*"
    rf"(?P<date>{_DATE}|(?:19|20)\d{{2}})",
    re.IGNORECASE,
)
# Ages of persons. Numbers followed by a unit ("20 procent", "3 maanden") are never ages.
_NOT_AGE_UNIT = (
    r"(?!\s*(?:%|procent|euro|keer|uur|minuten|dagen|weken|maanden|kinderen|mensen|"
    r"gezinnen|huishoudens|scholen|trajecten|signalen|leerlingen|procent|cent|km|meter))"
)
_AGE = re.compile(
    r"\b(?:ik\s+ben|hij\s+is|zij\s+is|ze\s+is|die\s+is|is\s+nu|(?<!dat\s)is|ben|werd|wordt|zijn|"
    r"was\s+toen|leeftijd(?:\s+van)?:?|(?:jongen|meisje|man|vrouw|kind|zoon|dochter|dame|"
    r"meneer|mevrouw|jongere|leerling|bewoner|moeder|vader|opa|oma|broer|zus)\s+van)"
    r"\s+(?:nu\s+|bijna\s+|pas\s+|al\s+|net\s+|rond\s+de\s+|ongeveer\s+|ruim\s+)?"
    rf"(?P<a>\d{{1,3}})\b{_NOT_AGE_UNIT}(?![.,]\d)(?=\s*(?:jaar|oud|geworden|[,.;)]|en\b|$))"
    r"|\b(?:jongen|meisje|man|vrouw|kind|zoon|dochter|jongere|leerling)\s+van\s+"
    rf"(?:rond\s+de\s+|ongeveer\s+)?(?P<f>\d{{1,2}})\b{_NOT_AGE_UNIT}"
    r"|\b(?P<b>\d{1,3})\s+jaar\s+oud\b"
    r"|\b(?P<c>\d{1,3})[- ]?jarige?\b"
    r"|\b(?P<d>\d{1,3})\s+jaar\b(?=\s*(?:\)|,\s*(?:woont|werkt|heeft|met|uit|moeder|vader)))"
    r"|(?<=[^\W\d_]),\s+(?:bijna\s+|ruim\s+)?(?P<e>\d{1,2})(?![.,]\d)(?=\s*(?:jaar\b|[.,;)]|$))",
    re.IGNORECASE | re.MULTILINE,
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
_BUSINESS_KIND = (
    r"(?:[Bb]akkerij|[Ss]lagerij|[Ss]upermarkt|[Kk]apsalon|[Gg]arage|[Rr]estaurant|[Cc]af[ée]|"
    r"[Ee]etcafé|[Ww]inkel|[Aa]dvocatenkantoor|[Aa]dministratiekantoor|[Dd]ansschool|"
    r"[Rr]ijschool|[Zz]wemschool|[Tt]outerschool|[Ff]itnesscentrum|[Ss]portschool)"
)
# Institution names. Each pattern is matched on its own and the longest match wins, so that
# "Hogeschool van Amsterdam" beats "Hogeschool".
_INSTITUTION_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        # A kind, then a proper name: "basisschool De Klimop", "Stichting Samen Sterk".
        rf"(?<![\w])(?:(?:de|het|De|Het)\s)?(?:{_INSTITUTION_KIND}|{_BUSINESS_KIND})\s"
        r"(?!(?:is|was|en|of|in|op|met|voor|die|dat|daar|hier|heeft|had|van|zijn|waar|gaat|"
        rf"doet|kan|zou|wil)\b){_CAPS}",
        # "De Regenboogschool", "het Buurthuis Oost".
        r"(?<![\w])(?:[Dd]e|[Hh]et|'t)\s(?:[A-Z][\w'’\-]*\s){0,2}[A-Z][\w'’\-]*"
        r"(?:school|college|lyceum|huis|centrum|hof|honk)\b",
        # One word ending in a school word: "Calandlyceum", "Mercatorcollege".
        r"(?<![\w])[A-Z][\w'’\-]*(?:school|[Cc]ollege|[Ll]yceum)\b",
        # A proper name, then a kind: "Zuiderlicht College", "De Pijp Montessori".
        r"(?<![\w])(?:[A-Z][\w'’\-]*\s){1,3}(?:College|Lyceum|Gymnasium|Montessori|Dalton|"
        r"Academie|Ziekenhuis|Kliniek|Praktijk|Kerk|Moskee)\b",
        # Companies: "Schuldhulp Advies Noord B.V.".
        rf"(?<![\w]){_CAPS}\s(?:B\.V\.|BV|N\.V\.|V\.O\.F\.|VOF)(?!\w)",
        # Compound kind words with a name: "Gemeentelijke Kredietbank Haarlem".
        r"(?<![\w])(?:[A-Z][\w'’\-]*\s){0,2}[A-Z][\w'’\-]*(?:bank|school|centrum|kliniek)"
        r"(?:\s(?:van\s|voor\s)?[A-Z][\w'’\-]*){1,2}",
        r"(?<![\w])(?:[Hh]ogeschool|[Uu]niversiteit|[Aa]cademie|[Kk]redietbank)\s"
        rf"(?:van\s|voor\s)?{_CAPS}",
        # Welfare organisations and hospitals known by name only.
        r"(?<![\w])(?:Humanitas|Leger\sdes\sHeils|Rode\sKruis|VluchtelingenWerk|"
        r"Vluchtelingenwerk|SchuldHulpMaatje|Schuldhulpmaatje|Jeugdfonds\sSport"
        r"(?:\s(?:&|en)\sCultuur)?|Cordaan|Philadelphia|Arkin|Levvel|Combiwel|Dynamo|"
        r"Streetcornerwork|Doras|Home-Start|Nidos|Kinderbescherming|Veilig\sThuis)(?!\w)",
        r"(?<![\w])(?:OLVG|AMC|VUmc|Amsterdam\sUMC|BovenIJ|Erasmus\sMC|UMC\sUtrecht|Sint\s"
        r"[A-Z][\w]+\s(?:Gasthuis|Ziekenhuis))(?!\w)",
    )
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
    # Languages a resident speaks ("ik sprak Engels"); deduce takes some for surnames.
    "engels",
    "arabisch",
    "turks",
    "frans",
    "duits",
    "spaans",
    "pools",
    "somalisch",
    "berbers",
    "papiaments",
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
    for pattern in _INSTITUTION_PATTERNS:
        add(pattern, "institution")
    add(_BIRTH_DATE, "birth_date", "date")
    add(_TITLE_NAME, "person", "name")
    for match in _BSN.finditer(text):
        if elfproef(match.group()):
            spans.append(_Span(match.start(), match.end(), "id_number", "pattern"))
    for match in _AGE.finditer(text):
        if _in_age_range(text, match.start(), match.end()):
            continue
        for group in ("a", "b", "c", "d", "e", "f"):
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
            begin, end = start + annotation.start_char, start + annotation.end_char
            before = text[max(0, begin - 4) : begin]
            if kind == "person" and (before in ("het ", "Het ") or "het" in _fold(value).split()):
                continue  # "(van) het Rijk", "het Nibud": no Dutch name has "het" in it
            if kind == "age" and _in_age_range(text, begin, end):
                continue
            if tag == "bsn" and not elfproef(value):
                continue  # every real BSN passes the eleven test
            spans.append(_Span(begin, end, kind, "deduce"))
    return spans


_AGE_RANGE = re.compile(
    r"(?:van|tussen|vanaf)\s+\d{1,3}\s*(?:tot(?:\s+en\s+met)?|t/m|en|-|–)\s*\d{1,3}"
    r"(?:\s+jaar)?|\d{1,3}\s*(?:-|–|tot)\s*\d{1,3}\s+jaar|(?:onder|boven|ouder\s+dan|"
    r"jonger\s+dan|vanaf|tot)\s+(?:de\s+)?\d{1,3}(?:\s+jaar)?",
    re.IGNORECASE,
)


def _in_age_range(text: str, start: int, end: int) -> bool:
    """Whether an age lies in a range or bound of a group ("van 4 tot 12 jaar", "boven de 65")."""
    window_start = max(0, start - 40)
    for match in _AGE_RANGE.finditer(text, window_start, min(len(text), end + 40)):
        if match.start() <= start and end <= match.end():
            return True
    return False


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


def _known_name_spans(text: str, names: Iterable[str], allow: Container[str]) -> list[_Span]:
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


_PRIORITY = {"pattern": 3, "speaker": 4, "known": 2, "context": 2, "deduce": 1}
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
                if span.source != "deduce" and not (a_start <= p_start and p_end <= a_end):
                    # Our own detectors beat the allow-list unless the whole span is allowed:
                    # "Stichting Geldzorg Oost" is an institution, although Oost is an area.
                    next_pieces.append((p_start, p_end))
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
    """``span`` without the words deduce took for part of a name: greetings, titles and the
    words before a name at the start of a sentence ("Volgens Marieke", "Collega Vera"), and a
    particle left dangling at its end ("Bianca van" before "Peuterspeelzaal")."""
    start, end = span.start, span.end
    while True:
        match = re.match(r"([^\W\d_]+)\.?[\s,]+", text[start:end])
        if match is None:
            break
        word = match.group(1)
        if word[0].isupper() and _fold(word) in _PARTICLES and start > span.start:
            break  # "Collega Van den Berg": the particle starts the surname
        if _fold(word) not in _FILLERS | _TITLES and not is_lead_word(word):
            break
        start += match.end()
    while True:
        match = re.search(r"[\s,]+([^\W\d_']+|'t)$", text[start:end])
        if match is None or _fold(match.group(1)) not in _PARTICLES:
            break
        end = start + match.start()
    if start >= end or is_lead_word(text[start:end].strip()):
        return None  # only "Volgens" or "Collega" was left: no name
    return _Span(start, end, span.kind, span.source, span.group)


def _context_spans(text: str, allow: Container[str]) -> list[_Span]:
    """Names deduce does not know, found by the words around them (``names``)."""
    return [
        _Span(start, end, "person", "context")
        for start, end in context_name_spans(text, allow, _NEVER | _TITLES | _PARTICLES)
    ]


def _speaker_spans(text: str, speakers: Mapping[str, str]) -> list[_Span]:
    spans: list[_Span] = []
    for label, group in speakers.items():
        if not label.strip() or _ROLE_LABEL.match(label.strip()):
            continue
        for match in re.finditer(r"(?<![\w])" + re.escape(label.strip()) + r"(?![\w])", text):
            spans.append(_Span(match.start(), match.end(), "person", "speaker", group or None))
    return spans
