"""Issue #11 §1 in the browser that showed it: Opslaan on an unchanged measure changes nothing.

Only a real browser drops a date input's value that is not an ISO date (``01-01-2023``), so the
Django test client alone could not see the dates disappear. The server, its database and
Chromium come from tests/conftest.py; the database is read through the registers JSON export.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
DOSSIER = "Kansengelijkheid in Voorbeeldstad (demo)"
MEASURE = "Extra VVE-plaatsen"  # the demo gives it a start, an end and four yearly budgets


def _measure(page, export_url):
    data = page.request.get(export_url).json()
    return next(m for m in data["measures"] if m["name"] == MEASURE)


def test_saving_an_unchanged_measure_keeps_its_dates_and_budgets(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill("onderzoeker")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name=DOSSIER).click()
    dossier_url = re.match(r".*/dossiers/\d+/", page.url).group(0)
    export_url = dossier_url + "beleid/export/beleidsregisters.json"
    before = _measure(page, export_url)
    assert all(before[k] for k in ("start", "end", "budgets")), before

    page.goto(dossier_url + "beleid/maatregelen/")
    page.get_by_role("link", name=MEASURE, exact=True).click()
    page.get_by_role("link", name="Bewerken", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Maatregel bewerken")
    # What the browser's own date pickers hold: the values it submits.
    shown = [page.get_by_label(name, exact=True).input_value() for name in ("Start", "Einde")]
    page.get_by_role("button", name="Opslaan", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(MEASURE)

    assert _measure(page, export_url) == before
    assert shown == [before["start"], before["end"]]
    context.close()
