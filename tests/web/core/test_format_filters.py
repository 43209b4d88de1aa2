"""The template filters of reporting.formatting agree with Django's |date in both languages,
and the pages write numbers and dates the one way (no "d-m-Y", no ISO, no decimal point)."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation


def _render(source: str, **context) -> str:
    return Template("{% load ka_format %}" + source).render(Context(context))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_filters_agree_with_djangos_date_formats(lang):
    moment = dt.datetime(2025, 11, 25, 13, 3, 59, tzinfo=dt.UTC)  # 14:03 in Amsterdam
    day = dt.date(2019, 1, 1)
    with translation.override(lang):
        ours = _render("{{ d|ka_date }}|{{ m|ka_datetime }}", d=day, m=moment)
        django = _render('{{ d|date }}|{{ m|date:"DATETIME_FORMAT" }}', d=day, m=moment)
        short = _render('{{ d|date:"SHORT_DATE_FORMAT" }}', d=day)
    assert ours == django
    assert short == ours.split("|")[0]
    expected = {
        "nl": "1 januari 2019|25 november 2025 14:03",
        "en": "1 January 2019|25 November 2025, 14:03",
    }
    assert ours == expected[lang]


def test_numbers_and_percentages_follow_the_interface_language():
    source = "{{ n|ka_number }} {{ n|ka_number:0 }} {{ p|ka_percent }} {{ x|ka_number }}"
    with translation.override("nl"):
        assert _render(source, n=1234.5, p=50.06, x=None) == "1.234,5 1.234 50,1\u00a0% –"
    with translation.override("en"):
        assert _render(source, n=1234.5, p=50.06, x="") == "1,234.5 1,234 50.1% –"


def test_a_date_time_is_shown_in_the_sites_time_zone():
    late = dt.datetime(2025, 12, 31, 23, 30, tzinfo=dt.UTC)  # already 2026 in Amsterdam
    with translation.override("nl"):
        assert _render("{{ m|ka_date }}", m=late) == "1 januari 2026"
        naive = dt.datetime(2025, 6, 1, 9, 0)
        assert _render("{{ m|ka_datetime }}", m=naive) == "1 juni 2025 09:00"
        amsterdam = late.astimezone(zoneinfo.ZoneInfo("Europe/Amsterdam"))
        assert _render("{{ m|ka_datetime }}", m=amsterdam) == "1 januari 2026 00:30"


STRAY = re.compile(r"\|date:\"(d-m-Y|j F Y)|floatformat")


def test_no_template_writes_numbers_or_dates_another_way():
    from pathlib import Path

    web = Path(__file__).resolve().parents[3] / "src" / "kansenaudit" / "web"
    # indicators (statistics page) and the audit log have their own owners; see ADR 0023.
    skip = ("indicators", "audit_log.html", "judgements/detail.html")
    offenders = [
        str(path.relative_to(web))
        for path in web.rglob("*.html")
        if not any(s in str(path) for s in skip) and STRAY.search(path.read_text())
    ]
    assert offenders == []
