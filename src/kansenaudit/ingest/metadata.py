# SPDX-License-Identifier: EUPL-1.2
"""Metadata heuristics: fill what a file does not say from its first page.

Every guess here is a *hint* for the person filing the document, shown as a suggestion, never
a fact the analysis relies on. The rules, in order:

* **title**: the file's own title unless it is boilerplate (``Microsoft Word - x.doc``,
  ``untitled``, a file name); else the first line of the first page with at least three letters.
* **date**: the file's own date (PDF ``CreationDate``, ``dcterms:created``, ``DC.date`` …); else
  the first Dutch date on the first page: ``12 november 2021``, ``12 nov. 2021``,
  ``12-11-2021``, ``12/11/2021``, ``2021-11-12``.
* **doc_type_hint**: a keyword in the title (``motie``, ``coalitieakkoord``, …); else the
  keyword that occurs *first* on the first page, since documents announce their kind at the top.
* **issuer_hint**: the creator the metadata names (``DC.creator``); else the body that occurs
  first on the first page (college van B&W, gemeenteraad, directie, minister, …).
* **language**: the file's language field, as ISO 639-3; else Dutch or English by counting
  frequent function words (``de``, ``het``, ``een`` … against ``the``, ``of``, ``and`` …).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from kansenaudit.ingest.model import DocumentMetadata, ExtractedPage
from kansenaudit.ingest.raw import RawMetadata

__all__ = [
    "DOC_TYPES",
    "build_metadata",
    "detect_language",
    "find_dutch_date",
    "guess_doc_type",
    "guess_issuer",
    "guess_title",
]

MONTHS = {
    "januari": 1,
    "jan": 1,
    "februari": 2,
    "feb": 2,
    "maart": 3,
    "mrt": 3,
    "april": 4,
    "apr": 4,
    "mei": 5,
    "juni": 6,
    "jun": 6,
    "juli": 7,
    "jul": 7,
    "augustus": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_DATE_PATTERNS = (
    re.compile(rf"\b(\d{{1,2}})\s+({_MONTH_NAMES})\.?\s+((?:1[89]|20)\d{{2}})\b", re.IGNORECASE),
    re.compile(r"\b(\d{1,2})[-/.](\d{1,2})[-/.]((?:1[89]|20)\d{2})\b"),
    re.compile(r"\b((?:1[89]|20)\d{2})-(\d{2})-(\d{2})\b"),
)

# (label, pattern), most specific first. Title matches may use the broad words; first-page
# matches skip the ones marked broad, because "per brief" occurs in every kind of document.
DOC_TYPES: tuple[tuple[str, str, bool], ...] = (
    ("coalitieakkoord", r"coalitie-?akkoord|bestuursakkoord", False),
    ("besluitenlijst", r"besluitenlijst|aandachtspuntenlijst", False),
    ("raadsvoorstel", r"raadsvoorstel|voorstel aan de (?:gemeente)?raad", False),
    ("voortgangsrapportage", r"voortgangsrapportage|voortgangsbrief|monitorrapportage", False),
    ("jaarverslag", r"jaarverslag|jaarrekening|jaarstukken", False),
    ("begroting", r"begroting|voorjaarsnota|najaarsnota", False),
    ("amendement", r"amendement", False),
    ("motie", r"motie", False),
    ("uitvraag", r"uitvraag", False),
    ("beleidsnota", r"beleidsnota|beleidskader|beleidsplan|actieplan|uitvoeringsplan", False),
    ("brief", r"raadsbrief|raadsinformatiebrief|kamerbrief|collegebrief", False),
    ("brief", r"brief", True),
)
_DOC_TYPE_RES = tuple(
    (label, re.compile(rf"\b(?:{pattern})", re.IGNORECASE), broad)
    for label, pattern, broad in DOC_TYPES
)
_ISSUERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "college van B&W",
        re.compile(
            r"\bcollege van (?:burgemeester en wethouders|b\s*(?:&|en)\s*w)\b|\bb\s*&\s*w\b",
            re.IGNORECASE,
        ),
    ),
    ("gemeenteraad", re.compile(r"\bgemeenteraad\b|\bde raad van de gemeente\b", re.IGNORECASE)),
    ("rekenkamer", re.compile(r"\brekenkamer\b", re.IGNORECASE)),
    ("Tweede Kamer", re.compile(r"\btweede kamer\b", re.IGNORECASE)),
    ("ministerie", re.compile(r"\bminister(?:ie)?\b", re.IGNORECASE)),
    ("directie", re.compile(r"\bdirectie\b", re.IGNORECASE)),
    ("burgemeester", re.compile(r"\bburgemeester\b", re.IGNORECASE)),
    ("gemeente", re.compile(r"\bgemeente\b", re.IGNORECASE)),
)
_STOPWORDS = {
    "nld": frozenset(
        {
            "de",
            "het",
            "een",
            "en",
            "van",
            "in",
            "is",
            "dat",
            "op",
            "te",
            "voor",
            "met",
            "zijn",
            "niet",
            "aan",
            "er",
            "ook",
            "als",
            "bij",
            "worden",
            "wordt",
            "door",
            "om",
            "naar",
            "dit",
            "die",
            "deze",
            "wij",
            "u",
            "hun",
            "over",
            "tot",
            "uit",
            "nog",
            "maar",
            "meer",
            "dan",
            "of",
        }
    ),
    "eng": frozenset(
        {
            "the",
            "of",
            "and",
            "to",
            "in",
            "is",
            "that",
            "for",
            "on",
            "with",
            "as",
            "are",
            "be",
            "by",
            "this",
            "it",
            "at",
            "from",
            "or",
            "an",
            "which",
            "was",
            "not",
            "have",
            "has",
            "will",
            "their",
            "its",
            "we",
            "you",
            "these",
            "been",
            "were",
            "they",
        }
    ),
}
_LANGUAGE_CODES = {
    "nl": "nld",
    "nld": "nld",
    "dut": "nld",
    "nederlands": "nld",
    "dutch": "nld",
    "en": "eng",
    "eng": "eng",
    "english": "eng",
    "engels": "eng",
    "de": "deu",
    "deu": "deu",
    "ger": "deu",
    "fr": "fra",
    "fra": "fra",
    "fre": "fra",
    "fy": "fry",
    "fry": "fry",
}
_BOILERPLATE_TITLE = re.compile(
    r"^(?:microsoft (?:word|powerpoint|excel)\s*-|untitled|naamloos|document\d*$|titel$|"
    r"title$|\S+\.(?:docx?|pdf|odt|rtf|txt|html?)$)",
    re.IGNORECASE,
)
_LETTERS = re.compile(r"[^\W\d_]")
_WORD = re.compile(r"[^\W\d_]+")
MAX_TITLE_LENGTH = 300


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    # Whitespace first (a no-break space is whitespace but not "printable"), then controls.
    value = " ".join(value.split())
    value = "".join(ch for ch in value if ch.isprintable())
    return value[:MAX_TITLE_LENGTH].rstrip() or None


def guess_title(raw_title: str | None, first_page: str) -> str | None:
    """The metadata title unless it is boilerplate, else the first line with three letters.

    Examples
    --------
    >>> guess_title("Microsoft Word - nota.doc", "\\n12\\nKamerbrief over X\\n")
    'Kamerbrief over X'
    >>> guess_title("Coalitieakkoord", "iets anders")
    'Coalitieakkoord'
    """
    title = _clean(raw_title)
    if title and not _BOILERPLATE_TITLE.match(title) and len(_LETTERS.findall(title)) >= 3:
        return title
    for line in first_page.split("\n"):
        line = line.strip().lstrip("#").strip()
        # Skip markup-only lines such as the law texts' leading <meta …> tag.
        if line.startswith("<") and line.endswith(">"):
            continue
        if len(_LETTERS.findall(line)) >= 3:
            return _clean(line)
    return None


def find_dutch_date(text: str) -> dt.date | None:
    """The first valid date in ``text`` written the Dutch way, or None.

    Examples
    --------
    >>> find_dutch_date("Amsterdam, 12 november 2021")
    datetime.date(2021, 11, 12)
    >>> find_dutch_date("datum: 1-3-2011; kenmerk 5687928")
    datetime.date(2011, 3, 1)
    >>> find_dutch_date("31 februari 2020") is None
    True
    """
    found: list[tuple[int, dt.date]] = []
    for index, pattern in enumerate(_DATE_PATTERNS):
        for match in pattern.finditer(text):
            a, b, c = match.groups()
            try:
                if index == 0:
                    date = dt.date(int(c), MONTHS[b.lower()], int(a))
                elif index == 1:
                    date = dt.date(int(c), int(b), int(a))
                else:
                    date = dt.date(int(a), int(b), int(c))
            except (ValueError, KeyError):
                continue
            found.append((match.start(), date))
            break
    return min(found)[1] if found else None


def guess_doc_type(title: str | None, first_page: str) -> str | None:
    """The kind of document, from the title first and else the first page.

    Examples
    --------
    >>> guess_doc_type("Motie van het lid X over Y", "")
    'motie'
    >>> guess_doc_type(None, "Raadsvoorstel\\nOnderwerp: begroting 2024")
    'raadsvoorstel'
    """
    if title:
        for label, pattern, _broad in _DOC_TYPE_RES:
            if pattern.search(title):
                return label
    head = first_page[:3000]
    best: tuple[int, int, str] | None = None
    for order, (label, pattern, broad) in enumerate(_DOC_TYPE_RES):
        if broad:
            continue
        match = pattern.search(head)
        if match and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, label)
    return best[2] if best else None


def guess_issuer(issuer: str | None, first_page: str) -> str | None:
    """The issuer named in the metadata, else the first body named on the first page.

    Examples
    --------
    >>> guess_issuer(None, "Het college van burgemeester en wethouders stelt de raad voor")
    'college van B&W'
    """
    cleaned = _clean(issuer)
    if cleaned:
        return cleaned
    head = first_page[:3000]
    best: tuple[int, int, str] | None = None
    for order, (label, pattern) in enumerate(_ISSUERS):
        match = pattern.search(head)
        if match and (best is None or (match.start(), order) < best[:2]):
            best = (match.start(), order, label)
    return best[2] if best else None


def normalise_language(value: str | None) -> str | None:
    """ISO 639-3 code for a language field such as ``nl``, ``nl-NL`` or ``Dutch``.

    Examples
    --------
    >>> normalise_language("nl-NL")
    'nld'
    """
    if not value:
        return None
    key = value.strip().lower().replace("_", "-").split("-")[0]
    return _LANGUAGE_CODES.get(key)


def detect_language(texts: Sequence[str], *, max_words: int = 5000) -> str | None:
    """``"nld"`` or ``"eng"`` from function-word counts, or None when there is too little text.

    Examples
    --------
    >>> detect_language(["De gemeente wil dat alle kinderen een gelijke kans krijgen."])
    'nld'
    >>> detect_language(["The council wants all children to have an equal chance."])
    'eng'
    """
    counts = dict.fromkeys(_STOPWORDS, 0)
    seen = 0
    for text in texts:
        for match in _WORD.finditer(text):
            word = match.group().lower()
            for language, words in _STOPWORDS.items():
                if word in words:
                    counts[language] += 1
            seen += 1
            if seen >= max_words:
                break
        if seen >= max_words:
            break
    best = max(counts, key=lambda language: (counts[language], language))
    others = sum(count for language, count in counts.items() if language != best)
    if counts[best] < 3 or counts[best] <= others:
        return None
    return best


def build_metadata(raw: RawMetadata, pages: Sequence[ExtractedPage]) -> DocumentMetadata:
    """Combine what the file says (``raw``) with the heuristics above."""
    first_page = next((page.text for page in pages if page.text.strip()), "")
    title = guess_title(raw.title, first_page)
    language = normalise_language(raw.language) or detect_language([p.text for p in pages])
    return DocumentMetadata(
        title=title,
        date=raw.date or find_dutch_date(first_page[:5000]),
        issuer_hint=guess_issuer(raw.issuer, first_page),
        doc_type_hint=guess_doc_type(title, first_page),
        language=language,
        author=_clean(raw.author),
        keywords=tuple(k for k in (_clean(k) for k in raw.keywords) if k),
        extra=dict(raw.extra),
    )
