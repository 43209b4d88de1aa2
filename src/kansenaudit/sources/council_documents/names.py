# SPDX-License-Identifier: EUPL-1.2
"""Hints and names for a council document: its type, its issuer, a safe file name."""

from __future__ import annotations

import re
import unicodedata
import urllib.parse
from collections.abc import Iterable

from kansenaudit.sources.council_documents.fields import _fold

_EXTENSIONS = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "text/html": ".html",
    "text/markdown": ".md",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/rtf": ".rtf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
}
_KNOWN_SUFFIXES = frozenset(_EXTENSIONS.values()) | {".jpeg", ".tif", ".tiff", ".zip"}
_WINDOWS_RESERVED = (
    {"CON", "PRN", "AUX", "NUL"}
    | {f"COM{i}" for i in range(1, 10)}
    | {f"LPT{i}" for i in range(1, 10)}
)


#: Title patterns → document type, first match wins. Letters come before motie: "Raadsbrief
#: motie 890" and "Beantwoording motie …" are letters about a motion, not the motion.
_DOC_TYPE_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("amendement", r"^(?:gewijzigd |aangenomen |verworpen )*amendement"),
        ("motie", r"^(?:gewijzigde |aangenomen |verworpen |aangehouden )*motie"),
        ("besluitenlijst", r"besluitenlijst|uitslagenlijst|besluitenoverzicht"),
        ("notulen", r"notulen|\bverslag\b|conceptverslag|woordelijk"),
        ("raadsvoorstel", r"raadsvoorstel|voordracht|collegevoorstel|voorstel aan de raad"),
        ("raadsbesluit", r"raadsbesluit"),
        (
            "raadsbrief",
            r"raadsbrief|raadsinformatiebrief|wethoudersbrief|collegebrief"
            r"|brief (?:van het college |van de wethouder )?aan de (?:gemeente)?raad"
            r"|brief aan de commissie",
        ),
        ("raadsadres", r"raadsadres"),
        ("schriftelijke vragen", r"schriftelijke vragen|\bsv\b|vragen van (?:het )?raadslid"),
        ("brief", r"\bbrief\b|\bbrieven\b"),
        ("agenda", r"(?<!termijn)\bagenda\b"),
        ("motie", r"\bmotie\b"),
        ("amendement", r"\bamendement\b"),
        ("begroting", r"begroting|voorjaarsnota|kadernota"),
        ("jaarverslag", r"jaarverslag|jaarrekening"),
        ("voortgangsrapportage", r"voortgangsrapportage|kwartaalrapportage|\brapportage\b"),
        ("onderzoek", r"rapport|evaluatie|onderzoek"),
    )
)

#: Notubiz document types (``types[].value``) when the title says nothing.
_NOTUBIZ_TYPES = {
    "notulen": "notulen",
    "verslag": "notulen",
    "uitslagenlijst": "besluitenlijst",
    "besluitenlijst": "besluitenlijst",
    "agenda": "agenda",
    "motie": "motie",
    "amendement": "amendement",
    "raadsvoorstel": "raadsvoorstel",
    "raadsbesluit": "raadsbesluit",
    "raadsinformatiebrief": "raadsbrief",
    "brief": "brief",
}


def doc_type_hint(title: str | None, *, supplier_types: Iterable[str] = ()) -> str | None:
    """A guess at the document type from its title, else from the supplier's type labels.

    One of ``raadsvoorstel``, ``raadsbesluit``, ``motie``, ``amendement``, ``raadsbrief``,
    ``brief``, ``raadsadres``, ``schriftelijke vragen``, ``besluitenlijst``, ``agenda``,
    ``notulen``, ``begroting``, ``jaarverslag``, ``voortgangsrapportage``, ``onderzoek``; None
    when nothing matches.

    Examples
    --------
    >>> doc_type_hint("01 Raadsbrief motie 890 (534') ondertekend.pdf")
    'raadsbrief'
    >>> doc_type_hint("Motie 12 Gratis zwemles voor alle kinderen")
    'motie'
    >>> doc_type_hint("Definitief verslag FIN 08 02 2018")
    'notulen'
    >>> doc_type_hint("Termijnagenda, per portefeuille") is None
    True
    >>> doc_type_hint("Commissie Flap", supplier_types=["Uitslagenlijst"])
    'besluitenlijst'
    """
    text = _fold(title or "")
    text = re.sub(r"^[\s\d.)-]+", "", text)  # "01 ", "2. ": list numbering, not content
    for name, pattern in _DOC_TYPE_PATTERNS:
        if pattern.search(text):
            return name
    for label in supplier_types:
        mapped = _NOTUBIZ_TYPES.get(_fold(label))
        if mapped:
            return mapped
    return None


def issuer_hint(*texts: str | None) -> str | None:
    """``commissie``, ``college`` or ``raad`` from a committee or meeting name, else None.

    A committee is checked first because its name usually contains "raad" too.

    Examples
    --------
    >>> issuer_hint("raadscommissie Financiën")
    'commissie'
    >>> issuer_hint(None, "Gemeenteraad 7 november 2024")
    'raad'
    >>> issuer_hint("Collegevergadering B&W")
    'college'
    """
    joined = " ".join(_fold(text) for text in texts if text)
    if "commissie" in joined:
        return "commissie"
    if re.search(r"college|\bb&w\b|burgemeester en wethouders", joined):
        return "college"
    if "raad" in joined:
        return "raad"
    return None


def safe_file_name(title: str | None, *, suffix: str, ident: str | None = None) -> str:
    """A portable file name: ASCII letters, digits, ``_``, ``-`` and ``.``, at most ~150 chars.

    ``ident`` (an entity id) adds its last part, so two documents with the same title do not
    collide. A known extension already in the title is not doubled.

    Examples
    --------
    >>> safe_file_name("Brief college over registreren etniciteit.pdf", suffix=".pdf",
    ...                ident="document:notubiz:gemeente:amsterdam:6124080")
    'Brief_college_over_registreren_etniciteit_6124080.pdf'
    >>> safe_file_name("../../etc/passwd", suffix=".md")
    'etc_passwd.md'
    >>> safe_file_name("Financiën: begroting 2024/2025", suffix=".pdf")
    'Financien_begroting_2024_2025.pdf'
    """
    stem = unicodedata.normalize("NFKD", title or "").encode("ascii", "ignore").decode("ascii")
    lowered = stem.lower()
    for known in sorted(_KNOWN_SUFFIXES, key=len, reverse=True):
        if lowered.endswith(known):
            stem = stem[: -len(known)]
            break
    stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem).strip("_-")[:120] or "document"
    if stem.upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    if ident:
        tail = re.sub(r"[^A-Za-z0-9_-]+", "_", ident.rsplit(":", 1)[-1]).strip("_-")[:40]
        if tail and not stem.endswith(tail):
            stem = f"{stem}_{tail}"
    clean_suffix = re.sub(r"[^A-Za-z0-9.]", "", suffix)[:10]
    if not clean_suffix.startswith("."):
        clean_suffix = f".{clean_suffix}" if clean_suffix else ".bin"
    return f"{stem}{clean_suffix.lower()}"


def _suffix(content_type: str | None, url_or_name: str) -> str | None:
    if content_type:
        mapped = _EXTENSIONS.get(content_type.split(";", 1)[0].strip().casefold())
        if mapped:
            return mapped
    path = urllib.parse.urlsplit(url_or_name).path if "://" in url_or_name else url_or_name
    match = re.search(r"(\.[A-Za-z0-9]{1,5})$", path)
    if match and match.group(1).casefold() in _KNOWN_SUFFIXES:
        return match.group(1).casefold()
    return None
