"""The network map of a measure in Debian's Chromium: the canvas draws, the type and period
filters hide ties, a click on a tie shows its evidence, the keyboard reaches every control and
pans the map, and axe-core finds no violation at 1366 and 390 px.

The server is `kansenaudit serve --demo` (tests/conftest.py); the map is the demo's map of
"Schoolmaatschappelijk werk". Pages are reached by their addresses, so the test does not depend
on the Dutch catalogue (merged centrally) being present.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def _login(browser, server, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/")  # redirects to the login page
    page.locator("input[name=username]").fill("onderzoeker")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(f"{server}/")
    return context, page, errors


def _open_measure_map(page, server):
    page.locator("a[href^='/dossiers/']").first.click()
    page.locator("a[href$='/netwerk/']").first.click()
    page.locator("#kaarten a", has_text="Schoolmaatschappelijk werk").click()
    expect(page.locator("#netwerkkaart")).to_have_attribute("data-ready", "true", timeout=15000)
    return page.url


def _visible_ties(page) -> int:
    return page.evaluate("window.kaNetworkMap.edges().filter(e => e.visible()).length")


def _wait_until(page, expression: str, seconds: float = 5.0) -> None:
    """Poll ``expression`` from Python until it is true (``seconds`` at most).

    Not ``page.wait_for_function``: Playwright polls a string predicate with ``eval`` inside
    the page, which the page's CSP (no 'unsafe-eval') refuses whenever the first check is
    false, so the wait failed at random; ``page.evaluate`` is not subject to the CSP."""
    deadline = time.monotonic() + seconds
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {seconds} s: {expression}"
        page.wait_for_timeout(50)


def _wait_for_visible_ties(page, count: int) -> None:
    """The filters act on the change event; wait until the map shows ``count`` ties."""
    _wait_until(page, f"window.kaNetworkMap.edges().filter(e => e.visible()).length === {count}")


def test_the_measure_map_works_with_mouse_and_keyboard(browser, server):
    context, page, errors = _login(browser, server, viewport={"width": 1366, "height": 900})
    map_url = _open_measure_map(page, server)
    assert page.locator("#netwerkkaart canvas").count() >= 1
    total = _visible_ties(page)
    money = page.evaluate("window.kaNetworkMap.edges('[kind = \"money\"]').length")
    assert total >= 6
    assert money == 2

    # Filter by type: money off and on again.
    page.locator("input[name=soort][value=money]").uncheck()
    _wait_for_visible_ties(page, total - money)
    page.locator("input[name=soort][value=money]").check()
    _wait_for_visible_ties(page, total)
    # Filter by period: in 2022 the knowledge tie (from 2024) is not there yet.
    page.select_option("#kaart-jaar", "2022")
    _wait_until(
        page, "window.kaNetworkMap.edges('[kind = \"knowledge\"]').every(e => !e.visible())"
    )
    assert _visible_ties(page) < total
    page.select_option("#kaart-jaar", "")

    # A click on a cited money tie shows its evidence with a link to the quoted page.
    page.locator("#netwerkkaart").scroll_into_view_if_needed()
    page.evaluate("window.kaNetworkMap.fit(undefined, 40)")
    point = page.evaluate(
        """() => {
          const cy = window.kaNetworkMap;
          const edge = cy.edges('[kind = "money"]').filter(e => e.data('evidence').length)[0];
          cy.edges().not(edge).addClass('hidden');  // nothing else under the pointer
          const box = cy.container().getBoundingClientRect();
          const m = edge.renderedMidpoint();
          return {x: box.left + m.x, y: box.top + m.y};
        }"""
    )
    page.mouse.click(point["x"], point["y"])
    details = page.locator("#kaart-details")
    expect(details.locator("a[href*='citaat=']").first).to_be_visible()
    expect(details).to_contain_text("p. ")
    # A tie without evidence says so (chosen with the keyboard-friendly list).
    page.evaluate("window.kaNetworkMap.edges().removeClass('hidden')")
    uncited = page.evaluate(
        "window.kaNetworkMap.edges().filter(e => !e.data('evidence').length)[0].id()"
    )
    page.select_option("#kaart-relatie", uncited)
    expect(details.locator(".ka-network-noevidence")).to_be_visible()

    # The keyboard reaches the controls and the map, and the arrow keys pan it.
    page.goto(map_url)
    expect(page.locator("#netwerkkaart")).to_have_attribute("data-ready", "true", timeout=15000)
    reached = set()
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.id || document.activeElement.name || ''")
        reached.add(focused)
        if "netwerkkaart" in reached:
            break
    assert {"soort", "kaart-jaar", "kaart-actor", "kaart-relatie", "kaart-in"} <= reached
    assert "netwerkkaart" in reached
    before = page.evaluate("window.kaNetworkMap.pan().x")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate("window.kaNetworkMap.pan().x") == before + 40
    zoom = page.evaluate("window.kaNetworkMap.zoom()")
    page.keyboard.press("+")
    assert page.evaluate("window.kaNetworkMap.zoom()") > zoom
    assert errors == [], errors
    context.close()


def test_axe_finds_no_violations_at_desktop_and_phone_width(browser, server):
    source = AXE.read_text()
    context, page, _errors = _login(browser, server, bypass_csp=True)
    map_url = _open_measure_map(page, server)
    maps_url = map_url.rsplit("/", 2)[0] + "/"
    compare_url = page.url.rstrip("/") + "/vergelijken/"
    problems = {}
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        for url in (map_url, maps_url, compare_url):
            page.goto(url)
            if url == map_url:
                expect(page.locator("#netwerkkaart")).to_have_attribute("data-ready", "true")
            page.evaluate(source)
            result = page.evaluate("axe.run(document).then(r => r.violations)")
            if result:
                problems[(width, url)] = [
                    (v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result
                ]
    context.close()
    assert problems == {}
