# SPDX-License-Identifier: EUPL-1.2
"""One way of writing numbers and dates, for the pages, the charts, the maps and the exports.

Dutch (the default): decimal comma, a point between thousands, a space before the percent sign,
dates as "7 december 2026" and date-times as "7 december 2026 14:05". English: "1,234.5",
"50.1%", "7 December 2026", "7 December 2026, 14:05". The web interface sets Django's
``DATE_FORMAT`` and ``DATETIME_FORMAT`` to the same styles (``kansenaudit.web.formats``), so a
template's ``|date`` and this module always agree; ``tests/reporting/test_formatting.py``
checks that they do. No Django here: the charts and the report use it too.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

__all__ = [
    "Lang",
    "format_date",
    "format_datetime",
    "format_figure",
    "format_number",
    "format_percent",
    "format_short",
    "language",
]

Lang = Literal["nl", "en"]

_MONTHS = {
    "nl": (
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
}
_SEPARATORS = {"nl": (",", "."), "en": (".", ",")}  # (decimal, thousands)
# A narrow no-break space keeps "50,1 %" together on one line.
_PERCENT = {"nl": "\u00a0%", "en": "%"}
_MINUS = "−"  # U+2212, as typeset numbers write it


def language(code: str | None) -> Lang:
    """The formatting language for an interface language code ("nl", "en-gb", None → "nl").

    >>> language("en-gb"), language(None), language("de")
    ('en', 'nl', 'nl')
    """
    return "en" if (code or "").lower().startswith("en") else "nl"


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(groups)


def format_number(
    value: float | int | None, *, decimals: int | None = None, lang: Lang = "nl", empty: str = "–"
) -> str:
    """A number with the language's decimal mark and thousands separator.

    ``decimals=None`` writes integers without decimals and other numbers with as many as they
    need up to 2. ``None`` and non-finite values become ``empty``.

    >>> format_number(1234.5), format_number(1234.5, lang="en"), format_number(-0.25)
    ('1.234,5', '1,234.5', '−0,25')
    >>> format_number(30, decimals=1), format_number(None), format_number(2026)
    ('30,0', '–', '2.026')
    """
    if value is None:
        return empty
    number = float(value)
    if not math.isfinite(number):
        return empty
    decimal, thousands = _SEPARATORS[lang]
    if decimals is None:
        text = f"{abs(number):.2f}".rstrip("0").rstrip(".")
    else:
        text = f"{abs(number):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    out = _group(whole, thousands) + (decimal + fraction if fraction else "")
    negative = number < 0 and any(c not in "0.," for c in text)
    return (_MINUS if negative else "") + out


def format_percent(
    value: float | int | None, *, decimals: int = 1, lang: Lang = "nl", empty: str = "–"
) -> str:
    """A percentage (``value`` already in percent): "50,1 %" in Dutch, "50.1%" in English.

    >>> format_percent(50.123), format_percent(74.7, lang="en"), format_percent(None)
    ('50,1\\xa0%', '74.7%', '–')
    """
    text = format_number(value, decimals=decimals, lang=lang, empty="")
    return text + _PERCENT[lang] if text else empty


def format_short(value: float | None, *, lang: Lang = "nl", empty: str = "–") -> str:
    """A short number for axes, legends and map labels: 3 significant digits, no exponent.

    >>> format_short(2268.4), format_short(12.345), format_short(0.0421), format_short(30.0)
    ('2.268', '12,3', '0,042', '30')
    """
    if value is None or not math.isfinite(float(value)):
        return empty
    number = float(value)
    size = abs(number)
    if size >= 100 or number == int(number):
        return format_number(round(number), lang=lang)
    if size >= 1:
        return format_number(round(number, 1), decimals=1, lang=lang)
    digits = max(0, 1 - math.floor(math.log10(size)))
    text = format_number(round(number, digits), decimals=digits, lang=lang)
    return text.rstrip("0").rstrip(_SEPARATORS[lang][0])


def format_figure(value: float | int | None, *, lang: Lang = "nl", empty: str = "–") -> str:
    """A computed figure in running text and tables: decimals by size, never an exponent.

    100 and more without decimals, 1 to 100 with one, below 1 with three, and below 0,001
    as "< 0,001": the precision a reader of a report can use, for values from a count of
    residents to a Gini coefficient. (The state-of-opportunity report writes its numbers so.)

    >>> format_figure(22869.0), format_figure(12.345), format_figure(0.0421), format_figure(1.7e-05)
    ('22.869', '12,3', '0,042', '< 0,001')
    >>> format_figure(-0.25), format_figure(0.0), format_figure(30), format_figure(None)
    ('−0,250', '0', '30,0', '–')
    >>> format_figure(-2e-06), format_figure(1234.6, lang="en")
    ('> −0,001', '1,235')
    """
    if value is None or not math.isfinite(float(value)):
        return empty
    number = float(value)
    if number == 0:
        return "0"
    size = abs(number)
    if size >= 100:
        return format_number(number, decimals=0, lang=lang)
    if size >= 1:
        return format_number(number, decimals=1, lang=lang)
    if size >= 0.001:
        return format_number(number, decimals=3, lang=lang)
    smallest = format_number(0.001, decimals=3, lang=lang)
    return f"< {smallest}" if number > 0 else f"> {_MINUS}{smallest}"


def format_date(value: dt.date | None, *, lang: Lang = "nl", empty: str = "–") -> str:
    """The one date style: "7 december 2026" (Dutch), "7 December 2026" (English).

    >>> format_date(dt.date(2025, 11, 25)), format_date(dt.date(2025, 11, 25), lang="en")
    ('25 november 2025', '25 November 2025')
    """
    if value is None:
        return empty
    return f"{value.day} {_MONTHS[lang][value.month - 1]} {value.year}"


def format_datetime(value: dt.datetime | None, *, lang: Lang = "nl", empty: str = "–") -> str:
    """The one date-time style, in the time zone ``value`` carries (convert it first).

    >>> moment = dt.datetime(2025, 11, 25, 9, 5, 59, 123456)
    >>> format_datetime(moment), format_datetime(moment, lang="en")
    ('25 november 2025 09:05', '25 November 2025, 09:05')
    """
    if value is None:
        return empty
    joiner = ", " if lang == "en" else " "
    return f"{format_date(value, lang=lang)}{joiner}{value:%H:%M}"
