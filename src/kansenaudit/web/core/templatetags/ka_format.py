# SPDX-License-Identifier: EUPL-1.2
"""Template filters for the one way of writing numbers and dates (:mod:`reporting.formatting`).

``{% load ka_format %}`` then ``{{ value|ka_number }}``, ``{{ value|ka_number:1 }}`` (one
decimal), ``{{ share|ka_percent }}``, ``{{ day|ka_date }}``, ``{{ moment|ka_datetime }}``. The
language follows the interface; date-times are shown in the site's time zone.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils import timezone, translation

from kansenaudit.reporting import formatting

register = template.Library()


def interface_lang() -> formatting.Lang:
    """The formatting language of the current request (views pass it to the charts)."""
    return formatting.language(translation.get_language())


def _float(value: Any) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(Decimal(str(value)))
    except (InvalidOperation, ValueError, TypeError):
        return None


@register.filter
def ka_number(value: Any, decimals: Any = None) -> str:
    """A number in the interface's style; ``decimals`` fixes the number of decimals."""
    places = None if decimals in (None, "") else int(decimals)
    return formatting.format_number(_float(value), decimals=places, lang=interface_lang())


@register.filter
def ka_percent(value: Any, decimals: Any = 1) -> str:
    """A value already in percent, "50,1 %"."""
    return formatting.format_percent(_float(value), decimals=int(decimals), lang=interface_lang())


@register.filter
def ka_date(value: Any) -> str:
    """A date (or the date of a date-time) as "7 december 2026"."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        value = value.date()
    if not isinstance(value, dt.date):
        return "–"
    return formatting.format_date(value, lang=interface_lang())


@register.filter
def ka_datetime(value: Any) -> str:
    """A date-time in the site's time zone as "7 december 2026 14:05"."""
    if not isinstance(value, dt.datetime):
        return ka_date(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formatting.format_datetime(value, lang=interface_lang())
