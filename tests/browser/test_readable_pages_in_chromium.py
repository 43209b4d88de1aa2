"""What a person sees (issue 12 §3-5), in Debian's Chromium on the demo:

- no chart, map or timeline text smaller than 12 px at 1366 px wide, measured with
  ``getBoundingClientRect`` on every SVG ``<text>``; numbers on axes and in the map key are
  written the Dutch way;
- the citation picker of a judgement: searchable, showing document, page and quote, and what
  is ticked is what the form submits;
- citing by selection takes whole words;
- the council matrix scrolls in its own focusable, labelled region and keeps its headers.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
CHART_PAGES = (
    "/gebieden/",
    "/dossiers/{d}/statistiek/",
    "/dossiers/{d}/termen/",
    "/dossiers/{d}/raadsinformatie/tijdlijn/",
    "/dossiers/{d}/beleid/beleidstheorie/",
)
SMALLEST_TEXT = """() => [...document.querySelectorAll('main svg text')]
    .map(t => { const r = t.getBoundingClientRect(); return {h: r.height,
        size: parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM() || {a: 1}).a,
        text: t.textContent}; })
    .filter(t => t.h > 0 && t.text.trim())"""


@pytest.fixture(scope="module")
def page(server, browser):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill("onderzoeker")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    page.dossier = re.search(r"/dossiers/(\d+)/", page.content()).group(1)
    page.server = server
    yield page
    context.close()


def test_no_chart_text_below_12_px_and_numbers_in_dutch(page):
    seen = 0
    for path in CHART_PAGES:
        page.goto(page.server + path.format(d=page.dossier))
        texts = page.evaluate(SMALLEST_TEXT)
        assert texts, f"no chart text on {path}"
        small = [t for t in texts if t["size"] < 12]
        assert not small, f"{path}: {small[:5]}"
        seen += len(texts)
        numbers = [t["text"] for t in texts if re.fullmatch(r"−?[\d.,]+( %)?", t["text"].strip())]
        # A decimal point between digits with one or two decimals is English: not here.
        assert not [n for n in numbers if re.search(r"\d\.\d{1,2}$", n)], (path, numbers)
    assert seen > 100


def test_the_map_names_its_areas_with_a_numbered_key(page):
    page.goto(page.server + "/gebieden/")
    key = page.evaluate(
        "[...document.querySelectorAll('svg.choropleth text')].map(t => t.textContent)"
    )
    areas = page.locator("svg.choropleth path").count()
    assert areas > 5
    assert [str(n) for n in range(1, areas + 1)] == key[:areas]  # a number in every area
    assert sum(1 for text in key if re.match(r"\d+ .+: ", text)) == areas  # and in the key


def test_the_citation_picker_searches_and_submits_what_is_ticked(page):
    page.goto(f"{page.server}/dossiers/{page.dossier}/oordelen/")
    links = sorted(set(re.findall(rf"/dossiers/{page.dossier}/oordelen/\d+/", page.content())))
    target = next(
        (u for u in links if "ka-citation-select" in page.request.get(page.server + u).text()),
        None,
    )
    assert target, "the demo has a judgement the researcher can assess"
    page.goto(page.server + target)
    # One picker per citation field, however many score forms load the script.
    expect(page.locator(".ka-citation-picker")).to_have_count(
        page.locator("select.ka-citation-select").count()
    )
    picker = page.locator(".ka-citation-picker").first
    search = picker.get_by_role("searchbox")
    # Every box, shown or not (a role locator skips hidden ones), in the order of the labels.
    boxes = picker.locator("li input[type=checkbox]")
    total = boxes.count()
    assert total > 1
    assert page.locator("select.ka-citation-select").first.is_hidden()
    first_label = picker.locator("label").nth(1).inner_text()
    assert ", pagina " in first_label.splitlines()[0]  # document and page, then the quote
    word = re.findall(r"\w{6,}", first_label.splitlines()[-1])[0]
    search.fill(word)
    visible = [i for i in range(total) if boxes.nth(i).is_visible()]
    assert 0 < len(visible) < total  # the search narrows the list
    labels = picker.locator("li label")
    for i in visible:  # and every citation still shown contains the word
        assert word.lower() in labels.nth(i).inner_text().lower()
    boxes.nth(visible[0]).check()
    expect_status = picker.get_by_role("status").inner_text()
    assert "1 gekozen" in expect_status or "1 chosen" in expect_status
    chosen = page.evaluate(
        "[...document.querySelector('select.ka-citation-select').selectedOptions].length"
    )
    assert chosen == 1


def test_citing_by_selection_takes_whole_words(page):
    page.goto(f"{page.server}/dossiers/{page.dossier}/documenten/")
    page.locator("main table a[href*='/documenten/']").first.click()
    text = page.locator("#paginatekst")
    if not text.count():
        pytest.fail("the first document has no page text to cite from")
    content = text.inner_text()
    match = re.search(r"\b(\w{5,}) (\w{5,})\b", content)
    start = match.start(1) + 2  # inside the first word
    end = match.end(2) - 2  # inside the second word
    page.evaluate(
        """([start, end]) => {
            const node = document.getElementById('paginatekst');
            const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
            let offset = 0, range = document.createRange(), n;
            while ((n = walker.nextNode())) {
                const len = n.textContent.length;
                if (offset <= start && start <= offset + len) range.setStart(n, start - offset);
                if (offset <= end && end <= offset + len) { range.setEnd(n, end - offset); break; }
                offset += len;
            }
            const sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
            node.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        [start, end],
    )
    quote = page.locator('#citeren textarea[name="citaat"]').input_value()
    assert quote == f"{match.group(1)} {match.group(2)}"


def test_the_council_matrix_scrolls_in_its_own_labelled_region(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill("meelezer")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    dossier = re.search(r"/dossiers/(\d+)/", page.content()).group(1)
    page.goto(f"{server}/dossiers/{dossier}/raadsinformatie/matrix/")
    region = page.get_by_role("region", name=re.compile("per doel en jaar|per goal and year"))
    assert region.get_attribute("tabindex") == "0"
    assert page.evaluate("document.documentElement.scrollWidth") <= 391
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert region.evaluate("r => r.scrollLeft") > 0
    header = page.locator("#matrix thead th").nth(1)
    assert header.evaluate("h => getComputedStyle(h).position") == "sticky"
    context.close()
