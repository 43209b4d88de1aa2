"""Qualitative coding in the browser: import a small REFI-QDA project, add a code to the
codebook, select a passage with the mouse and code it (snapped to whole words), double code a
transcript blind with two coders and open the comparison; axe-core finds no violations on the
codebook, the coding page and the comparison at 1366 and 390 pixels. The page's
Content-Security-Policy is in force throughout: the code colours come from a static script,
and any violation (an inline style or script) is a console error that fails the test."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from kansenaudit.fieldwork.refi import QdaProject, QdaSource, write_qdpx

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
DOSSIER = "Kansengelijkheid in Voorbeeldstad (demo)"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TEXT = (
    "Bewoner: De schoolmaatschappelijk werker was snel bereikbaar. "
    "Ze dacht mee over de schulden van ons gezin.\n"
)


def _project() -> bytes:
    return write_qdpx(
        QdaProject(
            name="Browsertest",
            sources=[
                QdaSource("BBBBBBBB-0000-0000-0000-000000000001", "Browsertest interview", TEXT),
                QdaSource("BBBBBBBB-0000-0000-0000-000000000002", "Browsertest dubbel", TEXT),
            ],
        )
    )


def _login(page, server, user):
    page.goto(f"{server}/")
    if page.get_by_role("button", name="Uitloggen").count():
        page.get_by_role("button", name="Uitloggen").click()
        page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill(user)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.get_by_role("link", name=DOSSIER).click()
    return re.match(r".*/dossiers/\d+/", page.url).group(0)


def _axe(page, where, errors):
    # The page's own console errors (CSP violations among them) before axe runs: axe's probes
    # may trip the policy themselves.
    assert errors == [], f"{where}: {errors}"
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.evaluate(AXE.read_text())
        violations = page.evaluate(
            "async () => (await axe.run(document)).violations"
            ".map(v => v.id + ': ' + v.nodes.map(n => n.target.join(' ')).join(', '))"
        )
        assert violations == [], f"{where} at {width}px: {violations}"
    page.set_viewport_size({"width": 1366, "height": 900})
    errors.clear()  # what axe's own probes tripped


def _select(page, start_word, end_word):
    """Drag the mouse from inside ``start_word`` to inside ``end_word`` in the text."""
    text = page.locator("#codetekst [data-s]").first
    box = text.bounding_box()
    handle = text.element_handle()

    def point(word, offset):
        return page.evaluate(
            """([el, word, offset]) => {
                const node = el.firstChild; const i = node.textContent.indexOf(word) + offset;
                const r = document.createRange(); r.setStart(node, i); r.setEnd(node, i + 1);
                const b = r.getBoundingClientRect();
                return [Math.round(b.left + b.width / 2), Math.round(b.top + b.height / 2)];
            }""",
            [handle, word, offset],
        )

    assert box is not None
    x1, y1 = point(start_word, 2)
    x2, y2 = point(end_word, 3)
    page.mouse.move(x1, y1)
    page.mouse.down()
    page.mouse.move(x2, y2, steps=5)
    page.mouse.up()


def _code_selection(page, code):
    expect(page.locator("#code-status")).to_contain_text("Geselecteerd")
    page.get_by_label(code, exact=True).check()
    page.get_by_role("button", name="Coderen", exact=True).click()
    expect(page.get_by_text("Passage gecodeerd.")).to_be_visible()


def test_codebook_coding_page_and_comparison(browser, server):
    context = browser.new_context()
    # Say where a Content-Security-Policy violation comes from (Chromium only says what).
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP', e.violatedDirective, e.sourceFile + ':' + e.lineNumber, e.sample))"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    dossier = _login(page, server, "onderzoeker")
    page.get_by_role("link", name="Coderen", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kwalitatief coderen")
    # Import the two sources (the texts are fictional and pseudonymised).
    page.get_by_label("REFI-QDA-bestand (.qdpx of .qdc)").set_input_files(
        {"name": "browsertest.qdpx", "mimeType": "application/zip", "buffer": _project()}
    )
    page.get_by_role("button", name="Importeren").click()
    # The demo's worker imports it in the background (pseudonymising the two sources); the
    # overview shows the job's state: reload until it is done.
    done = page.locator("#refi-imports").get_by_text(re.compile("2 nieuwe bronnen"))
    for _ in range(90):
        if done.count():
            break
        page.wait_for_timeout(2000)
        page.reload()
    expect(done).to_be_visible()

    # The codebook: add a code.
    page.goto(dossier + "codering/codeboek/")
    page.get_by_label("Naam", exact=True).fill("Bereikbaarheid")
    page.get_by_label("Definitie").fill("Hoe makkelijk men de hulp bereikt.")
    page.get_by_role("button", name="Code toevoegen").click()
    expect(page.locator("#codeboek")).to_contain_text("Bereikbaarheid")
    _axe(page, "codebook", errors)

    # The coding page: drag from the middle of "schoolmaatschappelijk" to inside "bereikbaar".
    page.goto(dossier + "codering/")
    page.get_by_role("link", name="Browsertest interview").click()
    _select(page, "schoolmaatschappelijk", "bereikbaar")
    expect(page.locator("#code-status")).to_contain_text(
        "schoolmaatschappelijk werker was snel bereikbaar"
    )
    _code_selection(page, "Bereikbaarheid")
    expect(page.locator("mark.ka-coded")).to_have_text(
        "schoolmaatschappelijk werker was snel bereikbaar"
    )
    expect(page.locator("#segmentlijst")).to_contain_text("Bereikbaarheid")
    # The code's colour reached the mark through the static script, not a style attribute.
    assert " style=" not in page.request.get(page.url).text()
    colour = page.locator("mark.ka-coded").evaluate(
        "el => el.style.getPropertyValue('--code-colour')"
    )
    assert re.fullmatch(r"#[0-9a-fA-F]{6}", colour), colour
    _axe(page, "coding page", errors)

    # Blind double coding of the second transcript by onderzoeker and projectleider.
    page.goto(dossier + "codering/")
    page.get_by_label("Browsertest dubbel").check()
    page.get_by_label("Codeur 1").select_option(label="onderzoeker")
    page.get_by_label("Codeur 2").select_option(label="projectleider")
    page.get_by_role("button", name="Dubbel coderen starten").click()
    expect(page.get_by_text("Dubbel coderen gestart.")).to_be_visible()
    for user, words in (
        ("onderzoeker", ("dacht", "schulden")),
        ("projectleider", ("werker", "bereikbaar")),
    ):
        if user != "onderzoeker":
            _login(page, server, user)
        page.goto(dossier + "codering/")
        page.get_by_role("link", name="Browsertest dubbel").click()
        expect(page.locator("#dubbel-status")).to_contain_text("blind")
        # Blind: the other coder's passage is not marked for this coder.
        expect(page.locator("mark.ka-coded")).to_have_count(0)
        _select(page, *words)
        _code_selection(page, "Bereikbaarheid")
        page.get_by_role("button", name="Mijn codering is klaar").click()
    page.get_by_role("link", name="Vergelijken en de consensus vastleggen").click()
    expect(page.locator("#vergelijking")).to_contain_text("Bereikbaarheid")
    expect(page.locator("#samenvatting")).to_contain_text("spreekbeurten")
    _axe(page, "comparison", errors)
    page.get_by_role("button", name="De consensus vastleggen").click()
    expect(page.get_by_text("Consensus vastgelegd.")).to_be_visible()

    # The mirror of practice against policy theory: the demo's two measures, a matrix, a row.
    page.get_by_role("link", name="Spiegel", exact=True).click()
    expect(page.locator("#spiegel-samenvatting")).to_contain_text("Schoolmaatschappelijk werk")
    _axe(page, "mirror", errors)
    page.locator("#spiegel-samenvatting").get_by_role(
        "link", name="Schoolmaatschappelijk werk"
    ).click()
    expect(page.locator("#spiegel")).to_contain_text("ondersteund")
    _axe(page, "mirror of a measure", errors)
    page.locator("#spiegel tbody a").first.click()
    expect(page.locator("#consensus")).to_contain_text("Afgetekend")
    _axe(page, "mirror row", errors)
    context.close()
