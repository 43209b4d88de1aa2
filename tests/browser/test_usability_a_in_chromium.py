# SPDX-License-Identifier: EUPL-1.2
"""What a new user sees (issue 12, §1, 2, 6, 8), in Debian's Chromium against the real server
(`kansenaudit serve --demo`, gunicorn): the login page's accounts and languages, a search whose
hit opens with the words marked and steps from match to match by keyboard, a query the search
box could not read, the audit log in sentences, and the 405 and 414 pages."""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"


def test_a_new_users_walk(browser, server):
    page = browser.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    # The login page: every demo account with what its role may do, ander-team included; the
    # languages named in their own language.
    page.goto(f"{server}/accounts/inloggen/")
    accounts = page.locator("#demo-accounts").inner_text()
    for name in ("projectleider", "onderzoeker", "reviewer", "meelezer", "beheerder", "ander-team"):
        assert name in accounts
    assert "vertrouwelijk dossier" in accounts
    options = page.locator("#taal option").all_inner_texts()
    assert options == ["Nederlands", "English"]
    assert page.locator("#taal option[value=en]").get_attribute("lang") == "en"

    page.get_by_label("Gebruikersnaam").fill("projectleider")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").click()
    dossier = re.search(r"/dossiers/(\d+)/", page.url).group(1)

    # Search, open a hit: the words are marked, n and Shift+N step through them.
    page.goto(f"{server}/dossiers/{dossier}/documenten/?q=kansen")
    page.locator("ol.ka-hits a.ka-link").first.click()
    assert "zoek=kansen" in page.url
    marks = page.locator("mark.ka-search-hit")
    count = marks.count()
    assert count >= 2
    status = page.locator("#zoektreffers [role=status]").inner_text()
    assert f"{count} treffers op deze pagina" in status
    first = page.locator("mark.ka-search-hit--current")
    assert first.get_attribute("id") == "treffer-1"  # the first match is shown on opening
    page.locator("body").press("n")
    assert page.locator("mark.ka-search-hit--current").get_attribute("id") == "treffer-2"
    assert page.evaluate("document.activeElement.id") == "treffer-2"
    assert page.locator("#zoektreffer-positie").inner_text() == f"Treffer 2 van {count}"
    page.locator("body").press("Shift+N")
    assert page.locator("mark.ka-search-hit--current").get_attribute("id") == "treffer-1"
    page.get_by_role("link", name="Vorige treffer").click()  # wraps round to the last
    assert page.locator("mark.ka-search-hit--current").get_attribute("id") == f"treffer-{count}"

    # A query the search box cannot read as typed says so, and what it searched instead.
    page.goto(f"{server}/dossiers/{dossier}/documenten/?q=%22gelijke+kansen")
    note = page.locator("#zoekvraag-melding").inner_text()
    assert "aanhalingsteken" in note
    assert '"gelijke kansen"' in note

    # The audit log in sentences: no codes, no Python values, no ISO time stamps.
    # The demo's sign-off is further back than the log's first page now that the demo has
    # findings, coding and reports too: the filter finds it.
    page.goto(f"{server}/dossiers/{dossier}/logboek/")
    for action in (None, "Oordeel afgetekend"):
        if action:
            page.get_by_label("Wat er gebeurde").select_option(label=action)
            page.get_by_role("button", name="Filter").click()
        log = page.locator("#logboek").inner_text()
        assert "{'" not in log
        assert "judgements." not in log
        assert not re.search(r"\d{4}-\d{2}-\d{2}T\d", log)
    assert "tekende een oordeel af" in log
    assert "Afgetekend door: – → Rik Reviewer" in log or "Afgetekend door" in log
    page.get_by_label("Wat er gebeurde").select_option(label="Consensus vastgelegd")
    page.get_by_role("button", name="Filter").click()
    rows = page.locator("#logboek tbody tr")
    assert rows.count() >= 1
    assert all("legde de consensus vast" in t for t in rows.all_inner_texts())
    page.get_by_label("Wat er gebeurde").select_option(label="Passage geciteerd")
    page.get_by_role("button", name="Filter").click()
    assert "Olga Onderzoeker citeerde een passage." in page.locator("#logboek").inner_text()

    # 405: a form's address opened as a page.
    response = page.goto(f"{server}/dossiers/{dossier}/documenten/upload/")
    assert response.status == 405
    assert page.get_by_role("heading", level=1).inner_text() == "Dit kan zo niet"
    assert errors == [] or all("405" in e for e in errors)
    page.close()

    # 414: an address longer than gunicorn takes gets a page in words, not a bare error.
    long_url = f"{server}/dossiers/{dossier}/documenten/?q=" + "kansen+" * 900
    with pytest.raises(urllib.error.HTTPError) as caught:
        urllib.request.urlopen(long_url, timeout=10)  # noqa: S310
    assert caught.value.code == 414
    body = caught.value.read().decode()
    assert "Het adres is te lang" in body
    assert "Request Line is too large" not in body
