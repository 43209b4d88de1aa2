# SPDX-License-Identifier: EUPL-1.2
"""Amsterdam and CBS area codes: which level and scheme a code belongs to, and its parent.

Three code schemes meet in the sources this package reads:

``gebiedcode15``
    OIS Amsterdam's area division used by the BBGA until its 2021 release (column
    ``gebiedcode15``). ``STAD`` is the city; a stadsdeel is one letter (``A`` Centrum,
    ``B`` Westpoort, ``E`` West, ``F`` Nieuw-West, ``K`` Zuid, ``M`` Oost, ``N`` Noord,
    ``T`` Zuidoost; ``S`` Weesp after its merger in 2022); a gebied (GGW-gebied) is ``DX01`` to
    ``DX22``; a wijk (buurtcombinatie) is a stadsdeel letter and two digits (``A00``); a buurt adds
    a lower-case letter (``A00a``). Weesp's buurten were coded in this old style as ``SAA``
    (wijk) and ``SAA1`` (buurt), as the municipality's GEBIED_BUURTEN table shows.
    ``Z`` (stadsdeel), ``ZX99`` (gebied) and any ``Z``-wijk or buurt are "not assigned": in the
    2018 BBGA ``ZX99`` holds the few residents of Westpoort, which belongs to no GGW-gebied, and
    ``Z`` has no population at all (the eight real stadsdelen add up to ``STAD``) and only a
    few scattered values. They get level ``overig``.
``gebiedcode22``
    The division from 2022 on. Stadsdelen keep their letter (``A``, ``B``, ``E``, ``F``, ``K``,
    ``M``, ``N``, ``S``, ``T``; no ``Z``); a gebied is ``G`` + stadsdeel letter + two digits
    (``GA01`` .. ``GT24``, ``GS25`` Weesp); a wijk is two letters, the first the stadsdeel
    (``AA``); a buurt is the wijk and two digits (``AA01``). Westpoort's buurten belong to no
    gebied in the 2022 layer.
``cbs``
    CBS Wijk- en Buurtkaart codes: ``GM0363`` (gemeente), ``WK036300`` (``WK`` + the four
    gemeente digits + two), ``BU03630000`` (``BU`` + gemeente + four). From 2022 the last part of
    Amsterdam's codes is alphanumeric (``BU0363AA01``, wijk ``WK0363AA``). ``NL00`` and ``NL01``
    are the Netherlands (level ``land``); ``PVnn``, ``CRnn`` and ``LDnn`` (provincie, COROP,
    landsdeel) are level ``overig``.

Codes shared by both Amsterdam schemes (``STAD`` and the stadsdeel letters) mean the same in
both. One code is really ambiguous: ``NL01`` .. ``NL04`` are buurten of wijk ``NL`` in Noord in
``gebiedcode22`` and ``NL01`` is also CBS's code for the Netherlands. Pass the scheme the source
uses (``scheme="gebiedcode22"``) to resolve it; without a hint a CBS reading wins, then
``gebiedcode22``, then ``gebiedcode15``.

The patterns were checked against the real files in the shared data folder
(``geo/amsterdam_indeling_buurt_2022_wgs84.geojson``,
``geo/amsterdam_GEBIED_BUURTEN_oldcodes_wkt.csv``, ``bbga/``): see
``tests/data/test_area_codes.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "AMSTERDAM_MUNICIPALITY",
    "LEVELS",
    "SCHEMES",
    "AreaCode",
    "cbs_code_of_amsterdam_2015",
    "classify_area_code",
    "parent_code",
]

LEVELS = ("stad", "stadsdeel", "gebied", "wijk", "buurt", "gemeente", "land", "overig")
SCHEMES = ("gebiedcode15", "gebiedcode22", "cbs")
AMSTERDAM_MUNICIPALITY = "0363"

# Stadsdeel letters. "S" (Weesp) joined in 2022 but also appears in old-style code tables made
# after the merger; "Z" is gebiedcode15's "not assigned" and is handled apart.
_STADSDELEN_15 = "ABEFKMNST"
_STADSDELEN_22 = "ABEFKMNST"

_RE_15 = {
    "gebied": re.compile(r"DX(?!00)\d\d"),
    "wijk": re.compile(rf"[{_STADSDELEN_15}Z]\d\d|S[A-Z]{{2}}"),
    "buurt": re.compile(rf"[{_STADSDELEN_15}Z]\d\d[a-z]|S[A-Z]{{2}}\d"),
}
_RE_22 = {
    "gebied": re.compile(rf"G[{_STADSDELEN_22}](?!00)\d\d"),
    "wijk": re.compile(rf"[{_STADSDELEN_22}][A-Z]"),
    "buurt": re.compile(rf"[{_STADSDELEN_22}][A-Z](?!00)\d\d"),
}
_RE_CBS = {
    "gemeente": re.compile(r"GM(\d{4})"),
    "wijk": re.compile(r"WK(\d{4})[0-9A-Z]{2}"),
    "buurt": re.compile(r"BU(\d{4})[0-9A-Z]{4}"),
    "land": re.compile(r"NL0[01]"),
    "overig": re.compile(r"(?:PV|CR|LD)\d\d"),
}
# An old-style buurt typed in upper case ("A00A") is unambiguous: no other code has that shape.
_RE_15_BUURT_UPPER = re.compile(rf"[{_STADSDELEN_15}Z]\d\d[A-Z]")


@dataclass(frozen=True)
class AreaCode:
    """An area code with its level, scheme and municipality.

    ``code`` is normalised (stripped; upper case, except the buurt letter of ``gebiedcode15``).
    ``municipality`` is the four-digit CBS gemeente number (``"0363"`` for every Amsterdam
    scheme code and for CBS codes inside Amsterdam), or None for codes above a municipality.
    """

    code: str
    level: str
    scheme: str
    municipality: str | None

    def __str__(self) -> str:
        return self.code


def _normalise(code: str) -> str:
    text = str(code).strip()
    if _RE_15_BUURT_UPPER.fullmatch(text.upper()):
        return text[:-1].upper() + text[-1].lower()
    return text.upper()


def _as_15(code: str) -> AreaCode | None:
    if code == "STAD":
        return AreaCode(code, "stad", "gebiedcode15", AMSTERDAM_MUNICIPALITY)
    if len(code) == 1 and code in _STADSDELEN_15:
        return AreaCode(code, "stadsdeel", "gebiedcode15", AMSTERDAM_MUNICIPALITY)
    if code in ("Z", "ZX99"):
        return AreaCode(code, "overig", "gebiedcode15", AMSTERDAM_MUNICIPALITY)
    for level, pattern in _RE_15.items():
        if pattern.fullmatch(code):
            # Wijken and buurten under "Z" are "not assigned" like Z itself.
            real = level if code[0] != "Z" else "overig"
            return AreaCode(code, real, "gebiedcode15", AMSTERDAM_MUNICIPALITY)
    return None


def _as_22(code: str) -> AreaCode | None:
    if code == "STAD":
        return AreaCode(code, "stad", "gebiedcode22", AMSTERDAM_MUNICIPALITY)
    if len(code) == 1 and code in _STADSDELEN_22:
        return AreaCode(code, "stadsdeel", "gebiedcode22", AMSTERDAM_MUNICIPALITY)
    for level, pattern in _RE_22.items():
        if pattern.fullmatch(code):
            return AreaCode(code, level, "gebiedcode22", AMSTERDAM_MUNICIPALITY)
    return None


def _as_cbs(code: str) -> AreaCode | None:
    for level, pattern in _RE_CBS.items():
        match = pattern.fullmatch(code)
        if match:
            municipality = match.group(1) if match.groups() else None
            return AreaCode(code, level, "cbs", municipality)
    return None


_READERS = {"gebiedcode15": _as_15, "gebiedcode22": _as_22, "cbs": _as_cbs}
_DEFAULT_ORDER = ("cbs", "gebiedcode22", "gebiedcode15")


def classify_area_code(code: str, scheme: str | None = None) -> AreaCode:
    """Classify an area code: its level, its scheme and its municipality.

    Parameters
    ----------
    code : str
        The code as a source gives it; surrounding spaces (CBS pads its codes) are ignored.
    scheme : str, optional
        The scheme the source says it uses (``"gebiedcode15"``, ``"gebiedcode22"`` or
        ``"cbs"``). It is tried first, which settles codes that mean different things in
        different schemes (``NL01``). A code that fits only another scheme is still classified;
        compare ``result.scheme`` with the hint to notice mixed input.

    Returns
    -------
    AreaCode

    Raises
    ------
    ValueError
        If the code fits no scheme, or ``scheme`` is not a known scheme; the message names the
        code.

    Examples
    --------
    >>> classify_area_code("A00a")
    AreaCode(code='A00a', level='buurt', scheme='gebiedcode15', municipality='0363')
    >>> classify_area_code("GA01").level, classify_area_code("AA01").level
    ('gebied', 'buurt')
    >>> classify_area_code(" WK036300 ")
    AreaCode(code='WK036300', level='wijk', scheme='cbs', municipality='0363')
    >>> classify_area_code("ZX99").level
    'overig'
    >>> classify_area_code("NL01").level, classify_area_code("NL01", "gebiedcode22").level
    ('land', 'buurt')
    >>> classify_area_code("Q12")
    Traceback (most recent call last):
    ...
    ValueError: unknown area code 'Q12'
    """
    if scheme is not None and scheme not in _READERS:
        raise ValueError(f"unknown area code scheme {scheme!r} for code {code!r}")
    normalised = _normalise(code)
    order = _DEFAULT_ORDER if scheme is None else (scheme, *_DEFAULT_ORDER)
    if normalised:
        for name in order:
            found = _READERS[name](normalised)
            if found is not None:
                return found
    raise ValueError(f"unknown area code {str(code).strip()!r}")


def parent_code(code: str, scheme: str | None = None) -> str | None:
    """The code of the enclosing area where the code itself says it, else None.

    Buurt → wijk → stadsdeel → ``STAD`` in both Amsterdam schemes (a gebiedcode22 gebied
    ``GA01`` → stadsdeel ``A``), and buurt → wijk → gemeente for CBS. A gebiedcode15 gebied
    (``DX01``) does not name its stadsdeel, a wijk does not name its gebied, and "not assigned"
    codes have no parent: those give None, as do ``STAD``, gemeenten and the land.

    Parameters
    ----------
    code : str
        The area code.
    scheme : str, optional
        The scheme hint, as for :func:`classify_area_code`.

    Raises
    ------
    ValueError
        If the code is unknown.

    Examples
    --------
    >>> parent_code("A00a"), parent_code("A00"), parent_code("A")
    ('A00', 'A', 'STAD')
    >>> parent_code("BU03630100"), parent_code("WK036301"), parent_code("GM0363")
    ('WK036301', 'GM0363', None)
    >>> parent_code("AA01"), parent_code("AA"), parent_code("GA01")
    ('AA', 'A', 'A')
    >>> parent_code("DX01") is None and parent_code("ZX99") is None
    True
    """
    area = classify_area_code(code, scheme)
    value, level = area.code, area.level
    if area.scheme == "cbs":
        if level == "buurt":
            return "WK" + value[2:8]
        if level == "wijk":
            return "GM" + value[2:6]
        return None
    if level == "overig" or level == "stad":
        return None
    if level == "stadsdeel":
        return "STAD"
    if area.scheme == "gebiedcode15":
        if level == "buurt":
            return value[:3]
        if level == "wijk":
            return value[0]
        return None  # DXnn does not name its stadsdeel
    if level == "buurt":
        return value[:2]
    if level == "wijk":
        return value[0]
    return value[1]  # gebied "GA01" lies in stadsdeel "A"


def cbs_code_of_amsterdam_2015(code: str) -> str | None:
    """The CBS wijk or buurt code of an Amsterdam code of the 2015 division (until 2022).

    CBS numbered Amsterdam's wijken and buurten after the city's own codes: wijk ``A00`` is
    ``WK036300`` and its buurten ``A00a``, ``A00b``, … are ``BU03630000``, ``BU03630001``, …
    (the letter's place in the alphabet). This holds for 478 of the 479 buurten in CBS's
    SES-WOA 2019 table, where the names agree too (tests/staat checks it); the one exception is
    only a character-encoding difference in a name. Weesp (``SAA1`` …) joined Amsterdam in 2022
    and has no such code: ``None``.

    Examples
    --------
    >>> cbs_code_of_amsterdam_2015("A00b"), cbs_code_of_amsterdam_2015("E12")
    ('BU03630001', 'WK036312')
    >>> cbs_code_of_amsterdam_2015("SAA1") is None
    True
    """
    text = code.strip()
    if len(text) == 3 and text[0].isalpha() and text[1:].isdigit():
        return f"WK{AMSTERDAM_MUNICIPALITY}{text[1:]}"
    if len(text) == 4 and text[0].isalpha() and text[1:3].isdigit() and text[3].islower():
        return f"BU{AMSTERDAM_MUNICIPALITY}{text[1:3]}{ord(text[3]) - ord('a'):02d}"
    return None
