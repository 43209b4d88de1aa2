# SPDX-License-Identifier: EUPL-1.2
"""Person names that deduce misses or takes too much of, found from the words around them.

Two weaknesses of deduce on interview speech (issue 15):

* **A word before a name is taken for part of it.** At the start of a sentence deduce reads
  "Volgens Marieke", "Zei Mohamed" or "Collega Vera" as a two-word name; the register then
  holds "Volgens" as a name and replaces every later "volgens". :func:`is_lead_word` names
  such words (sentence adverbs, prepositions, speech verbs, titles and role nouns), which
  ``detectors`` cuts off the front of a person span.
* **A name that is in none of deduce's lists and is mentioned once without a title** ("ik
  sprak Nnamdi", "Oluwaseun hielp mij") is not found; a name found once is found everywhere
  after (the register), so the first mention is what counts. :func:`context_name_spans` finds
  a capitalised word in a place only a person stands: after a verb of meeting or calling,
  after a kinship or role noun, or before a verb of saying or helping, when the word is no
  ordinary word, place or month.

Both work on the text alone (no Django); ``detectors`` and ``pseudonymise`` use them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Container
from functools import cache
from pathlib import Path

__all__ = ["LEAD_WORDS", "context_name_spans", "is_lead_word"]

# Words that stand before a name at the start of a sentence and are never one.
LEAD_WORDS = frozenset(
    """
    volgens zelfs alleen ook toen daarna daarop eerst later gelukkig helaas eigenlijk
    natuurlijk misschien vooral gisteren vandaag morgen behalve samen dankzij sinds via waarom
    omdat want dus maar en of bij met voor door tegen zonder aan naar over onder na nou ja nee
    oké oke hoewel terwijl waar wie wat hoe zeker juist precies echt bedankt dank zei zegt
    zeiden vroeg vraagt vond vindt belde dacht kwam ging wist wilde kon mocht moest had heeft
    was is werd bleef stond liet hielp vertelde antwoordde schreef mailde appte neem kijk stel
    zeg noem collega coach mentor buurvrouw buurman vriend vriendin docent leraar lerares
    directeur directrice wethouder consulent begeleider medewerker
    """.split()  # noqa: SIM905 - a word list reads best as text
)
# Role nouns made into compounds: "wijkcoach", "jongerenwerker", "schuldhulpconsulent".
_ROLE_COMPOUND = re.compile(
    r"^[a-zà-ÿ]+(?:coach|werker|consulent|begeleider|medewerker|verpleegkundige|agent)$"
)

_NAME = r"(?P<name>[A-Z][a-zà-öø-ÿ]{2,}(?:-[A-Z][a-zà-öø-ÿ]{2,})?)(?![\w'’-])"
_CONTEXT = tuple(
    re.compile(pattern, re.MULTILINE)
    for pattern in (
        # After a verb of meeting, calling or helping: "ik sprak Nnamdi", "belde toen Ngozi".
        r"\b(?:sprak|spreek|spraken|zag|zie|zagen|belde|belden|ken|kende|kenden|ontmoette|"
        r"ontmoet|hielp|helpt|mailde|appte|bezocht|gesproken|gebeld|ontmoet)\s+"
        r"(?:(?:ik|we|wij|hij|zij|ze|toen|ook|nog|pas|vaak|daar|later|net)\s+){0,2}" + _NAME,
        # "met X gepraat", "aan X gevraagd".
        r"\b(?:met|aan|van|bij)\s+" + _NAME + r"\s+(?:gepraat|gesproken|gebeld|gevraagd|"
        r"gehoord|geappt|gemaild|afgesproken|geweest)\b",
        # "(we hebben) toen X gebeld": a name as the object before a participle.
        r"(?<=[a-z]\s)" + _NAME + r"\s+(?:gebeld|gesproken|gezien|gevraagd|ontmoet|geholpen|"
        r"gemaild|geappt|uitgenodigd)\b",
        # A kinship or role noun: "mijn zoon X", "buurvrouw X", "wijkcoach X".
        r"\b(?:zoon|dochter|broer|zus|zusje|broertje|neef|nicht|buurvrouw|buurman|collega|"
        r"coach|mentor|vriend|vriendin|man|vrouw|moeder|vader|oom|tante|opa|oma|kleinzoon|"
        r"kleindochter|[a-z]+coach|[a-z]+werker|[a-z]+consulent|[a-z]+begeleider)\s+" + _NAME,
        # Before a verb of saying, helping or coming, as the subject of its clause.
        r"(?:^|(?<=[,:.!?]\s)|\b(?:en|maar|dus|toen|want|dat|alleen|zelfs|ook)\s)"
        + _NAME
        + r"\s+(?:zei|zegt|vertelde|vertelt|vroeg|belde|hielp|helpt|kwam|wilde|wist|vond|"
        r"deed|regelde|legde)\b",
    )
)
_MONTHS_DAYS = frozenset(
    """
    januari februari maart april mei juni juli augustus september oktober november december
    maandag dinsdag woensdag donderdag vrijdag zaterdag zondag pasen kerst kerstmis ramadan
    suikerfeest offerfeest engels nederlands arabisch turks frans duits spaans pools somalisch
    berbers tamazight papiaments sranan surinaams marokkaans turkije marokko suriname god
    allah
    """.split()  # noqa: SIM905 - a word list reads best as text
)


def _fold(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@cache
def _deduce_words() -> frozenset[str]:
    """deduce's lists of ordinary words and places (folded): a capitalised word found there
    is no name nobody else knows."""
    import deduce

    root = Path(deduce.__file__).parent / "data" / "lookup" / "src"
    words: set[str] = set()
    for part in (
        "whitelist/lst_common_word",
        "whitelist/lst_stop_word",
        "whitelist/lst_medical_term",
        "locations/lst_placename/lst_residence",
        "locations/lst_placename/lst_municipality",
        "locations/lst_placename/lst_region",
        "locations/lst_placename/lst_province",
        "locations/lst_placename/lst_country",
    ):
        path = root / part / "items.txt"
        if path.is_file():
            words.update(_fold(line.strip()) for line in path.read_text("utf-8").splitlines())
    return frozenset(w for w in words if w)


def is_lead_word(word: str) -> bool:
    """Whether ``word`` (any case, a trailing full stop allowed) is never part of a name."""
    folded = _fold(word.rstrip("."))
    return folded in LEAD_WORDS or bool(_ROLE_COMPOUND.match(folded))


def context_name_spans(
    text: str, allow: Container[str], never: Container[str] = ()
) -> list[tuple[int, int]]:
    """The ``(start, end)`` of capitalised words that stand where only a person stands."""
    spans: list[tuple[int, int]] = []
    ordinary = _deduce_words()
    for pattern in _CONTEXT:
        for match in pattern.finditer(text):
            name = match.group("name")
            folded = _fold(name)
            if (
                folded in ordinary
                or folded in _MONTHS_DAYS
                or folded in never
                or is_lead_word(name)
                or name in allow
                or any(_fold(part) in ordinary for part in name.split("-"))
            ):
                continue
            spans.append((match.start("name"), match.end("name")))
    return sorted(set(spans))
