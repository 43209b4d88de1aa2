"""The practice study in Chromium: selection → context of a measure → session → upload a
transcript (read by the demo's worker in the background) → review, in Dutch, with no original
name where it must not be, no Content-Security-Policy violation, and axe-core without
violations on each page at 1366 and 390 px."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
DOSSIER = "Kansengelijkheid in Voorbeeldstad (demo)"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
# Chromium reports a CSP violation as an event; say it on the console, where the test sees it.
CSP_LISTENER = (
    "document.addEventListener('securitypolicyviolation', e => console.error("
    "'CSP', e.violatedDirective, e.sourceFile + ':' + e.lineNumber, e.sample))"
)
NAME = "Gerrit Hoekstra"  # fictional; must be replaced on upload
TRANSCRIPT = (
    "[Fictief testtranscript]\n"
    "I: Hoe kwam u bij het schoolmaatschappelijk werk?\n"
    f"R: Via meester {NAME} van groep zes. Hij belde mij op 06-98765432.\n"
    "I: En wat deed het voor uw kind?\n"
    f"R: Veel. {NAME} bleef ook daarna bellen.\n"
)


def _axe(page, url: str) -> list[str]:
    found = []
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        page.evaluate(AXE.read_text())
        result = page.evaluate("async () => (await axe.run(document)).violations")
        found += [f"{width}px {url}: {v['id']} ({len(v['nodes'])})" for v in result]
    page.set_viewport_size({"width": 1366, "height": 900})
    return found


def _context(browser):
    """A browser context that keeps the page's CSP and collects console errors."""
    context = browser.new_context(locale="nl-NL")
    context.add_init_script(CSP_LISTENER)
    return context


def test_fieldwork_walk(browser, server, tmp_path):
    context = _context(browser)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill("projectleider")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name=DOSSIER).click()
    page.get_by_role("link", name="Veldwerk", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Selectie van maatregelen voor het praktijkonderzoek"
    )
    expect(page.locator("#gekozen")).to_contain_text("Vroegsignalering schulden")
    violations = _axe(page, page.url)

    page.locator("#gekozen").get_by_role("link", name="Schoolmaatschappelijk werk").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schoolmaatschappelijk werk")
    expect(page.get_by_role("heading", name="Veldwerk tot nu toe")).to_be_visible()
    violations += _axe(page, page.url)

    page.get_by_role("link", name="Interviews ouders en schoolmaatschappelijk werk").click()
    expect(page.get_by_text("Bewoner 1").first).to_be_visible()
    violations += _axe(page, page.url)

    upload = tmp_path / "gesprek-groep-zes.txt"
    upload.write_text(TRANSCRIPT, encoding="utf-8")
    page.get_by_label("Transcriptbestand").set_input_files(str(upload))
    page.get_by_role("button", name="Uploaden en pseudonimiseren").click()
    # The demo's worker reads it in the background; the page says so and follows the job.
    expect(page.get_by_text("Het transcript staat in de wachtrij")).to_be_visible()
    # The worker's first transcript loads deduce's lookup tables (see docs/fieldwork.md).
    page.set_default_timeout(180_000)
    page.locator("#transcripten").get_by_role("link", name="gesprek-groep-zes.txt").click()
    page.set_default_timeout(30_000)
    review = page.url
    assert re.search(r"/transcripten/\d+/$", review)
    body = page.content()
    assert NAME not in body
    assert "06-98765432" not in body
    assert "[Persoon" in body
    violations += _axe(page, review)

    # The project leader may look at the original side by side; that view is in the log.
    page.get_by_role("link", name="Naast het origineel (dit wordt vastgelegd)").click()
    assert NAME in page.content()
    violations += _axe(page, page.url)
    # A read-only member sees the review page without the original and without the link.
    other = _context(browser)
    member = other.new_page()
    member.goto(f"{server}/")
    member.get_by_label("Gebruikersnaam").fill("meelezer")
    member.get_by_label("Wachtwoord").fill(PASSWORD)
    member.get_by_role("button", name="Inloggen").click()
    member.goto(review)
    assert NAME not in member.content()
    assert member.get_by_text("Naast het origineel").count() == 0
    assert member.request.get(review + "origineel/").status == 403
    other.close()
    context.close()
    assert violations == [], violations
    assert [e for e in errors if "CSP" in e or "Content Security Policy" in e] == []
