"""The demo workbench in a real browser: Debian's Chromium driven by Playwright.

The test starts the real server (`kansenaudit serve --demo`) on a free port with its own data
folder (and, when the suite runs on PostgreSQL, its own database), logs in as each demo account
and checks what that role sees. Screenshots go to test-artifacts/ for people to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "voorbeeldstad-demo"


def _login(browser, server, username):
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    return page, errors


def test_wrong_password_shows_a_message(browser, server):
    page = browser.new_page()
    page.goto(f"{server}/accounts/inloggen/")
    page.get_by_label("Gebruikersnaam").fill("projectleider")
    page.get_by_label("Wachtwoord").fill("fout-wachtwoord")
    page.get_by_role("button", name="Inloggen").click()
    assert page.get_by_role("alert").inner_text().startswith("Onbekende gebruikersnaam")
    page.close()


@pytest.mark.parametrize(
    ("username", "may_edit", "may_manage_team", "sees_log"),
    [
        ("projectleider", True, True, True),
        ("onderzoeker", True, False, True),
        ("reviewer", False, False, True),
        ("meelezer", False, False, False),
    ],
)
def test_each_role_sees_what_it_may(browser, server, username, may_edit, may_manage_team, sees_log):
    page, errors = _login(browser, server, username)
    assert page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").count() == 1
    assert "Jeugdhulp" not in page.content()  # another team's dossier
    page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Kansengelijkheid")
    assert "fictieve demodata" in page.get_by_role("note").inner_text()
    assert (page.get_by_role("link", name="Dossier bewerken").count() == 1) == may_edit
    assert (page.get_by_role("link", name="Logboek").count() >= 1) == sees_log
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"dossier-{username}.png"), full_page=True)
    page.get_by_role("link", name="Team", exact=True).first.click()
    assert (page.get_by_role("button", name="Opslaan").count() == 1) == may_manage_team
    assert errors == []  # no CSP violations or script errors
    page.close()


def test_researcher_adds_a_milestone_and_it_is_logged(browser, server):
    page, _ = _login(browser, server, "onderzoeker")
    page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").click()
    page.get_by_label("Nieuwe mijlpaal").fill("Interviews afgerond")
    page.get_by_label("Geplande datum").fill("2026-09-30")
    page.get_by_role("button", name="Mijlpaal toevoegen").click()
    assert page.get_by_role("status").inner_text() == "Mijlpaal toegevoegd."
    assert "Interviews afgerond" in page.content()
    page.get_by_role("link", name="Logboek").first.click()
    page.get_by_label("Wat er gebeurde").select_option("milestone.create")
    page.get_by_role("button", name="Filteren").click()
    assert "Interviews afgerond" in page.get_by_role("table").inner_text()
    page.close()


def test_keyboard_user_can_skip_to_content(browser, server):
    page, _ = _login(browser, server, "meelezer")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Direct naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#inhoud"
    page.close()


def test_area_map_renders(browser, server):
    page, errors = _login(browser, server, "reviewer")
    page.get_by_role("link", name="Gebieden en indicatoren").click()
    page.get_by_label("Niveau").select_option("buurt")
    page.get_by_role("button", name="Tonen").click()
    assert page.locator("svg.choropleth path").count() == 90
    page.screenshot(path=str(ARTIFACTS / "area-map.png"), full_page=True)
    assert errors == []
    page.close()


def test_statistics_page_renders_maps_and_charts(browser, server):
    page, errors = _login(browser, server, "onderzoeker")
    page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").click()
    page.get_by_role("link", name="Statistiek").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Statistiek"
    assert page.locator("svg.choropleth").count() == 2
    page.get_by_label("Indicator").select_option("unemployment_pct")
    page.get_by_label("Gebiedsniveau").select_option("buurt")
    page.get_by_role("button", name="Tonen").click()
    assert "indicator=unemployment_pct" in page.url
    assert page.get_by_role("heading", level=2).first.inner_text().startswith("Werkloosheid, buurt")
    assert page.locator("svg.choropleth").first.locator("path").count() == 90
    assert page.locator("svg.chart").count() >= 3  # ranking, trend, inequality
    assert page.locator("svg.chart polyline[stroke-dasharray]").count() == 1  # the projection
    page.get_by_text("Tabel: de waarden op de kaart en in de rangorde").click()
    assert page.locator("#waarden tbody tr").count() == 90
    page.screenshot(path=str(ARTIFACTS / "statistics.png"), full_page=True)
    assert errors == []
    page.close()


_SELECT_PASSAGE = """(needle) => {
  const text = document.getElementById("paginatekst");
  const walker = document.createTreeWalker(text, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("mark")) nodes.push(node);
  }
  let node = nodes.find((n) => n.data.toLowerCase().includes(needle));
  let start = node ? node.data.toLowerCase().indexOf(needle) : -1;
  let end = start + needle.length;
  if (!node) {
    node = nodes.find((n) => n.data.trim().length > 20);
    start = node.data.search(/\\S/);
    end = start + 20;
  }
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, end);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  text.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  return selection.toString();
}"""


def test_researcher_searches_cites_and_uploads_evidence(browser, server):
    page, errors = _login(browser, server, "onderzoeker")
    page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").click()
    page.get_by_role("navigation", name="Dossier").get_by_role("link", name="Documenten").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Documenten"
    # The demo's policy documents, the documents the policy set quotes and the college's
    # reaction in the findings' wederhoor.
    assert page.locator("#documenten tbody tr").count() == 12
    page.get_by_label("Zoeken in de tekst").fill("kansengelijkheid")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    hits = page.locator(".ka-hit")
    assert hits.count() >= 3
    assert hits.first.locator("mark").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "evidence-search.png"), full_page=True)
    hits.first.get_by_role("link").first.click()
    # The URL changes when the new page commits, before its deferred scripts have run.
    page.wait_for_load_state("load")
    assert "pagina=" in page.url
    selected = page.evaluate(_SELECT_PASSAGE, "kansengelijkheid")
    assert selected
    # The page fills the field on "selectionchange", which the browser fires asynchronously.
    from playwright.sync_api import expect

    expect(page.get_by_label("Te citeren passage")).to_have_value(selected, timeout=10_000)
    assert page.locator("#cite-start").input_value() != ""
    page.get_by_label("Notitie (optioneel)").fill("Gebruik van de term")
    page.get_by_role("button", name="Passage citeren").click()
    assert page.get_by_role("status").first.inner_text() == "Passage geciteerd."
    active = page.locator("#paginatekst mark.ka-cited--active")
    assert active.count() >= 1
    assert "".join(active.all_inner_texts()) == selected
    page.screenshot(path=str(ARTIFACTS / "evidence-viewer.png"), full_page=True)

    page.get_by_role("link", name="Documenten").first.click()
    page.locator("#id_bestanden").set_input_files(
        files=[
            {
                "name": "notitie-browsertest.txt",
                "mimeType": "text/plain",
                "buffer": b"Gelijke kansen in de browsertest.\n",
            }
        ]
    )
    page.get_by_role("button", name="Uploaden").click()
    page.locator('#upload-progress li[data-state="klaar"]').wait_for(timeout=60_000)
    row = page.locator('#taken-body tr[data-state="klaar"]').first
    assert "notitie-browsertest.txt" in row.inner_text()
    page.screenshot(path=str(ARTIFACTS / "evidence-upload.png"), full_page=True)
    row.get_by_role("link").click()
    assert "Gelijke kansen in de browsertest." in page.locator("#paginatekst").inner_text()
    # Read the document again from its stored file: queued like an upload, citations checked.
    page.locator("#opnieuw-inlezen summary").click()
    page.get_by_role("button", name="Opnieuw inlezen").click()
    page.wait_for_load_state("load")
    assert "wordt opnieuw ingelezen" in page.get_by_role("status").first.inner_text()
    reread = page.locator('#taken-body tr[data-state="klaar"]', has_text="opnieuw ingelezen")
    reread.first.wait_for(timeout=60_000)
    page.get_by_role("navigation", name="Dossier").get_by_role("link", name="Termen").click()
    assert page.locator("svg.chart").count() == 5  # usage over time, one chart per term
    assert page.locator("#kwic-tabel mark").count() > 10
    page.screenshot(path=str(ARTIFACTS / "evidence-terms.png"), full_page=True)
    assert errors == []
    page.close()


def test_a_whole_folder_is_uploaded_without_its_other_files(browser, server, tmp_path):
    folder = tmp_path / "stukken"
    (folder / "2024").mkdir(parents=True)
    (folder / "mapnotitie-een.txt").write_text("Kansengelijkheid in de mapnotitie een.\n")
    (folder / "2024" / "mapnotitie-twee.md").write_text("# Twee\n\nGelijke kansen in map twee.\n")
    (folder / "2024" / "foto.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    page, errors = _login(browser, server, "onderzoeker")
    page.get_by_role("link", name="Kansengelijkheid in Voorbeeldstad (demo)").click()
    page.get_by_role("navigation", name="Dossier").get_by_role("link", name="Documenten").click()
    page.locator("#id_map").set_input_files(str(folder))
    page.get_by_role("button", name="Uploaden").click()
    progress = page.locator("#upload-progress li")
    progress.nth(1).wait_for(timeout=30_000)
    page.locator('#upload-progress li[data-state="klaar"]').nth(1).wait_for(timeout=60_000)
    sent = " ".join(progress.all_inner_texts())
    assert "mapnotitie-een.txt" in sent
    assert "mapnotitie-twee.md" in sent
    assert "foto.png" not in sent  # not a document: left out of the upload
    assert progress.count() == 2
    assert errors == []
    page.close()
