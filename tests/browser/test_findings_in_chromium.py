"""From evidence to recommendation on the demo dossier, in Debian's Chromium via Playwright.

The reviewer opens the findings dashboard, a finding in review, signs it off and follows it into
the chain (table and diagram); the project leader makes a wederhoor link on the newest frozen
version; an anonymous visitor opens that link as the municipal contact and comments. The
researcher chooses evidence for a finding with the evidence picker, under the CSP. Every page
is checked with axe-core (vendored) at 1366 and 390 px: no violations.

The locators use ids and addresses rather than texts: the Dutch texts of this app come with the
merged catalogue.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
DOSSIER = "Kansengelijkheid in Voorbeeldstad (demo)"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
WIDTHS = (1366, 390)
COMMENT = "Het schooljaar klopt niet (browsertest)."


def _axe_violations(page) -> list[str]:
    """axe-core's violations on ``page`` at each width, as "width rule: targets"."""
    if not AXE.exists():
        pytest.fail(f"axe-core is missing at {AXE} (vendored with the browser tests)")
    found = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.evaluate(AXE.read_text())
        violations = page.evaluate(
            """async () => {
                const r = await axe.run(document, {resultTypes: ['violations']});
                return r.violations.map(v => v.id + ': ' + v.nodes.map(
                    n => n.target.join(' ')).slice(0, 3).join(', '));
            }"""
        )
        found += [f"{width} {v}" for v in violations]
    if found:
        print("\n".join(found))
    page.set_viewport_size({"width": 1366, "height": 900})
    return found


def _context(browser, *, csp=False):
    return browser.new_context(bypass_csp=not csp, viewport={"width": 1366, "height": 900})


def _login(browser, server, username, *, csp=False):
    page = _context(browser, csp=csp).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    page.get_by_role("link", name=DOSSIER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DOSSIER)
    return page, errors


def _findings_tab(page):
    page.get_by_role("navigation", name="Dossier").locator("a[href$='/bevindingen/']").click()
    expect(page.locator("#bevindingen")).to_be_visible()


def test_dashboard_finding_sign_off_chain_and_wederhoor_link(browser, server):
    page, errors = _login(browser, server, "reviewer")
    _findings_tab(page)
    expect(page.locator("#kwaliteit")).to_be_visible()
    assert _axe_violations(page) == []

    # A finding in review, drafted by the researcher: the reviewer signs it off.
    page.locator("#bevindingen a", has_text="B3.3").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("B3.3")
    assert _axe_violations(page) == []
    page.locator("#aftekenen").click()
    expect(page.locator("#status")).to_contain_text("reviewer")
    expect(page.locator("#aftekenen")).to_have_count(0)

    # Into the chain: the finding's own chain, table and diagram.
    page.locator("a[href*='keten/?focus=finding:']").first.click()
    expect(page.locator("#focus")).to_contain_text("B3.3")
    expect(page.locator("#keten")).to_contain_text("B3.3")
    expect(page.locator("svg.ka-chain-diagram")).to_be_visible()
    expect(page.locator("#keten")).to_contain_text("A1")
    assert _axe_violations(page) == []
    # Back up the chain from the recommendation: every finding is connected to A2 through C0.
    page.locator("#keten a", has_text="A2").first.click()
    expect(page.locator("#keten")).to_contain_text("B1.1")
    expect(page.locator("#keten")).to_contain_text("B5.5")
    assert errors == []

    # The project leader makes a personal link on the newest frozen version.
    lead, lead_errors = _login(browser, server, "projectleider")
    _findings_tab(lead)
    lead.locator("a[href$='/wederhoor/']").first.click()
    lead.locator("#versies a").first.click()
    lead.locator("#id_contact_name").fill("B. Browsertest (fictief)")
    lead.locator("form[action$='/link/'] button[type=submit]").click()
    url = lead.locator("#nieuwe-link code").inner_text().strip()
    assert re.search(r"/wederhoor/[A-Za-z0-9_-]{40,}/$", url)
    assert _axe_violations(lead) == []
    assert lead_errors == []

    # The contact, without an account: only this version and their own comments.
    contact = _context(browser).new_page()
    contact.goto(url)
    expect(contact.get_by_role("heading", level=1)).to_be_visible()
    expect(contact.locator("body")).to_contain_text("B. Browsertest (fictief)")
    expect(contact.locator("body")).not_to_contain_text("A. Ambtenaar")
    assert _axe_violations(contact) == []
    contact.locator("#id_paragraph").fill("1")
    contact.locator("#id_text").fill(COMMENT)
    contact.locator("form button[type=submit]").last.click()
    expect(contact.locator("#eigen-reacties")).to_contain_text(COMMENT)
    assert _axe_violations(contact) == []
    # The team sees the comment on the version page.
    lead.reload()
    expect(lead.locator("body")).to_contain_text(COMMENT)


def test_the_evidence_picker_filters_ticks_and_attaches(browser, server):
    """The researcher chooses evidence from the dossier for a finding: typing filters the listed
    pieces at once (evidence-picker.js), the ticked piece is attached and shown on the finding.
    What the picker may offer (never a citation held for a blind assessment) is decided on the
    server: tests/web/findings/test_evidence_picker.py."""
    # Under the Content-Security-Policy: the picker's script is a static file, never inline.
    page, errors = _login(browser, server, "onderzoeker", csp=True)
    _findings_tab(page)
    page.locator("#bevindingen a", has_text="B1.1").click()
    page.locator("a[href$='/bewijs/kiezen/']").click()
    picker = page.locator("form.ka-evidence-picker")
    expect(picker).to_be_visible()
    status = page.locator("#bewijs-status")
    expect(status).not_to_be_empty()  # the script ran and counted
    assert _axe_violations(page) == []
    items = picker.locator(".ka-evidence-picker__list li")
    total = items.count()
    assert total > 1

    search = page.locator("#bewijs-zoek")
    search.fill("zzz-nergens-te-vinden")
    expect(picker.locator(".ka-evidence-picker__list li:visible")).to_have_count(0)
    expect(status).to_contain_text(f"0 van {total}")
    item = picker.locator("#soort-raadsinformatie li").first
    label = item.locator("label").inner_text().strip()
    search.fill(label.split(" (")[0])
    expect(item).to_be_visible()
    assert picker.locator(".ka-evidence-picker__list li:visible").count() < total

    item.locator("input[type=checkbox]").check()
    expect(status).to_contain_text("1 aangevinkt")
    page.locator("#bewijs-notitie").fill("Gekozen in de browsertest.")
    page.locator("button[value=koppelen]").click()
    page.wait_for_url(re.compile(r"/bevindingen/\d+/#bewijs$"))
    expect(page.locator("#bewijs")).to_contain_text(label.split(" (")[0])
    expect(page.locator("#bewijs")).to_contain_text("Gekozen in de browsertest.")
    assert _axe_violations(page) == []
    assert errors == []
