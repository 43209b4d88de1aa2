# SPDX-License-Identifier: EUPL-1.2
"""The statistics section's numbers as tables for the CSV download (one per part of the page).

Withheld values are empty with their reason (the same words the page shows, from
:func:`reason_label`); numbers are numbers, written with a decimal point by
:mod:`kansenaudit.reporting.tables`.
"""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.translation import gettext_lazy

from kansenaudit.reporting.tables import Table
from kansenaudit.web.indicators import selectors
from kansenaudit.web.indicators.selectors import StatisticsChoice, StatisticsResult

CSV_TABLES = ("waarden", "ongelijkheid", "trend", "stapeling")
EMPTY_COLUMNS = ["indicator", "jaar", "niveau", "groep", "gebiedscode", "waarde"]

SUPPRESSION_LABELS = {
    "missing": gettext_lazy("unknown"),
    "n<min": gettext_lazy("suppressed: too few cases"),
    "share-edge": gettext_lazy("suppressed: too few cases on one side"),
    "bevolking<min": gettext_lazy("suppressed: too few residents"),
    "woningen<min": gettext_lazy("suppressed: too few dwellings"),
    "secundair": gettext_lazy("suppressed: would reveal another suppressed value"),
}


def reason_label(reason: str | None) -> str:
    if not reason:
        return ""
    return str(SUPPRESSION_LABELS.get(reason, gettext_lazy("suppressed")))


def _number(value: object, digits: int = 6) -> int | Decimal | None:
    """A number for CSV: at most ``digits`` decimals, no exponent, empty when unknown.

    A ``Decimal`` made from the rounded text, so the writer prints exactly these digits.
    """
    if value is None:
        return None
    number = float(value)
    if not math.isfinite(number):
        return None
    if number.is_integer():
        return int(number)
    return Decimal(f"{number:.{digits}f}".rstrip("0").rstrip("."))


def _csv_rows(result: StatisticsResult, choice: StatisticsChoice, table: str) -> list[list]:
    indicator = result.catalogue[choice.indicator]
    if table == "ongelijkheid":
        header = [
            "indicator",
            "niveau",
            "jaar",
            "gebieden",
            "gewogen",
            "gini",
            "gini_onder",
            "gini_boven",
            "theil",
            "theil_onder",
            "theil_boven",
            "mld",
            "atkinson",
            "aandeel_tussen_stadsdelen",
            "aandeel_onder",
            "aandeel_boven",
        ]
        rows = [
            [
                indicator.key,
                choice.level,
                r["year"],
                r["areas"],
                "ja" if r["weighted"] else "nee",
                *(
                    _number(r[k])
                    for k in (
                        "gini",
                        "gini_low",
                        "gini_high",
                        "theil",
                        "theil_low",
                        "theil_high",
                        "mld",
                        "atkinson",
                        "between_share",
                        "between_low",
                        "between_high",
                    )
                ),
            ]
            for r in selectors.inequality_over_time(result, choice.indicator, choice.level)
        ]
        return [header, *rows]
    if table == "trend":
        header = ["indicator", "groep", "jaar", "soort", "waarde", "onder", "boven"]
        rows = [
            [
                indicator.key,
                choice.group,
                r["year"],
                "voortzetting van de trend" if r["projected"] else "waarneming",
                _number(r["value"]),
                _number(r.get("low")),
                _number(r.get("high")),
            ]
            for r in selectors.city_trend(result, choice)
        ]
        return [header, *rows]
    if table == "stapeling":
        header = [
            "methode",
            "rang",
            "gebiedscode",
            "gebiedsnaam",
            "score",
            "klasse",
            "ongunstige_indicatoren",
            "indicatoren_beschikbaar",
            "klasse_min",
            "klasse_max",
            "aandeel_anders_ingedeeld",
        ]
        rows = [
            [
                choice.method,
                r["rank"],
                r["code"],
                r["name"],
                _number(r["score"]),
                r["class"] if r["class"] is not None else "",
                r["count"],
                r["available"],
                r["class_min"],
                r["class_max"],
                _number(r["share_changed"]),
            ]
            for r in selectors.stacking_rows(result, choice.method)
        ]
        return [header, *rows]
    header = [
        "indicator",
        "indicatornaam",
        "jaar",
        "niveau",
        "groep",
        "gebiedscode",
        "gebiedsnaam",
        "waarde",
        "eenheid",
        "interval_onder",
        "interval_boven",
        "n",
        "stadswaarde",
        "reden_niet_getoond",
    ]
    city = selectors.city_value(result, choice)
    rows = [
        [
            indicator.key,
            indicator.name,
            choice.year,
            choice.level,
            choice.group,
            r["code"],
            r["name"],
            _number(r["value"]),
            indicator.unit,
            _number(r["low"]),
            _number(r["high"]),
            _number(r["n"]),
            _number(city),
            reason_label(r["reason"]),
        ]
        for r in selectors.area_values(result, choice)
    ]
    return [header, *rows]


def statistics_table(result: StatisticsResult, choice: StatisticsChoice, table: str) -> Table:
    """One of :data:`CSV_TABLES` for the (resolved) choice of the page."""
    header, *rows = _csv_rows(result, choice, table)
    return Table(table, header, rows)


def empty_table(table: str) -> Table:
    """The header alone, for a municipality without figures."""
    return Table(table, EMPTY_COLUMNS, [])
