"""The one way of writing numbers and dates (reporting/formatting.py), without Django."""

from __future__ import annotations

import datetime as dt
import doctest

import pytest

from kansenaudit.reporting import formatting
from kansenaudit.reporting.formatting import (
    format_date,
    format_datetime,
    format_number,
    format_percent,
    format_short,
)


@pytest.mark.parametrize(
    ("value", "kwargs", "nl", "en"),
    [
        (1234.5, {}, "1.234,5", "1,234.5"),
        (1234567, {}, "1.234.567", "1,234,567"),
        (30.0, {"decimals": 1}, "30,0", "30.0"),
        (0.125, {"decimals": 2}, "0,12", "0.12"),  # banker's rounding as Python's format does
        (-0.25, {}, "−0,25", "−0.25"),
        (-0.001, {"decimals": 1}, "0,0", "0.0"),  # no "minus zero"
        (999.999, {}, "1.000", "1,000"),
        (None, {}, "–", "–"),
        (float("nan"), {}, "–", "–"),
    ],
)
def test_numbers_in_both_languages(value, kwargs, nl, en):
    assert format_number(value, **kwargs) == nl
    assert format_number(value, lang="en", **kwargs) == en


def test_percentages_keep_the_sign_on_the_line():
    assert format_percent(50.123) == "50,1\u00a0%"
    assert format_percent(74.7, lang="en") == "74.7%"
    assert format_percent(1234.56, decimals=0) == "1.235\u00a0%"
    assert format_percent(None) == "–"


def test_short_numbers_for_axes_have_no_exponent_and_no_point_in_dutch():
    assert [format_short(v) for v in (2268.4, 12.345, 0.0421, 30.0, 74.7, 0.5)] == [
        "2.268",
        "12,3",
        "0,042",
        "30",
        "74,7",
        "0,5",
    ]
    assert format_short(1e-9) != "1e-09"
    assert "e" not in format_short(123456789.0)


def test_one_date_style_and_one_date_time_style():
    day = dt.date(2025, 11, 25)
    moment = dt.datetime(2025, 11, 25, 14, 3, 59, 999999)
    assert format_date(day) == "25 november 2025"
    assert format_date(day, lang="en") == "25 November 2025"
    assert format_datetime(moment) == "25 november 2025 14:03"  # no seconds, no microseconds
    assert format_datetime(moment, lang="en") == "25 November 2025, 14:03"
    assert format_date(None) == "–"
    # Every month has its own name in both languages.
    for lang in ("nl", "en"):
        names = {format_date(dt.date(2026, m, 1), lang=lang).split()[1] for m in range(1, 13)}
        assert len(names) == 12


def test_language_codes():
    assert formatting.language("en-gb") == "en"
    assert formatting.language("nl-be") == "nl"
    assert formatting.language("") == "nl"


def test_doctests():
    assert doctest.testmod(formatting).failed == 0


def test_format_figure_writes_the_report_numbers_as_before_with_a_true_minus():
    """The report's old Dutch formatter (staat/dutch.py) moved here: same text, minus as −."""
    from kansenaudit.reporting.formatting import format_figure

    cases = {
        22869.0: "22.869",
        1234567.8: "1.234.568",
        100.0: "100",
        99.96: "100,0",
        12.345: "12,3",
        1.0: "1,0",
        0.999: "0,999",
        0.0421: "0,042",
        0.001: "0,001",
        1.7e-05: "< 0,001",
        0.0: "0",
        -0.25: "−0,250",
        -1234.0: "−1.234",
        -2e-06: "> −0,001",
        float("nan"): "–",
        None: "–",
    }
    for value, text in cases.items():
        assert format_figure(value) == text, value
    assert "e" not in format_figure(3.2e-12)
