# SPDX-License-Identifier: EUPL-1.2
"""Numbers and dates as a Dutch reader writes them, for the state-of-opportunity report.

(When the shared Django-free helper ``kansenaudit.reporting.formatting`` lands, these should
move onto it: one way per concern.)
"""

from __future__ import annotations

import datetime as dt

__all__ = ["dutch_date", "dutch_number"]

_MONTHS = [
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
]


def dutch_date(day: dt.date) -> str:
    """``7 december 2026``: the project's one date format in text."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def dutch_number(value: float) -> str:
    """A number as a Dutch reader writes it: decimal comma, thousands point, no exponent.

    Examples
    --------
    >>> dutch_number(22869.0), dutch_number(12.345), dutch_number(0.0421), dutch_number(1.7e-05)
    ('22.869', '12,3', '0,042', '< 0,001')
    >>> dutch_number(-0.25), dutch_number(0.0)
    ('-0,250', '0')
    """
    if value == 0:
        return "0"
    size = abs(value)
    if size >= 100:
        text = f"{value:,.0f}"
    elif size >= 1:
        text = f"{value:,.1f}"
    elif size >= 0.001:
        text = f"{value:.3f}"
    else:
        return "< 0,001" if value > 0 else "> -0,001"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
