"""Deelvragen 2, 4 and 5 end to end on the demo dossier, in Debian's Chromium via Playwright.

The server, its database and the browser come from tests/conftest.py (started as in
test_workbench_in_chromium.py: `kansenaudit serve --demo` with its own data folder and, on
PostgreSQL, its own database). The walk clicks through the Dutch interface like an auditor:
the policy registers and a new goal with evidence (deelvraag 2), monitoring and consistency
(deelvraag 4), the uitvraag with a faulty workbook, a blind double judgement with consensus and
sign-off, the council information (deelvraag 5) and the exports of the registers; and a reader
(meelezer) who sees the same pages without any form that changes something.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from kansenaudit.demo.policy import INTENDED_GAPS
from kansenaudit.policy.uitvraag import read_filled

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "voorbeeldstad-demo"
DOSSIER = "Kansengelijkheid in Voorbeeldstad (demo)"
NEW_GOAL = "Elk kind in Nieuw-West heeft een bibliotheekpas (browsertest)"
NEW_GOAL_CODE = "BT-1"
FIRST_RATIONALE = "Specifiek: de doelgroep en het gebied zijn genoemd (motivering beoordelaar 1)."
SECOND_RATIONALE = "Voldoende specifiek, al ontbreekt een jaartal (motivering beoordelaar 2)."
CONSENSUS_RATIONALE = "Samen vastgesteld: het doel is specifiek (consensus browsertest)."


def _login(browser, server, username):
    """A fresh browser context (own cookies) logged in as ``username``; collects errors."""
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    page.get_by_role("link", name=DOSSIER).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(DOSSIER)
    return page, errors


def _tab(page, name):
    """Open a tab of the dossier navigation."""
    page.get_by_role("navigation", name="Dossier").get_by_role(
        "link", name=name, exact=True
    ).click()


def _policy_tab(page, name):
    _tab(page, "Beleid")
    nav = page.get_by_role("navigation", name="Beleidsregisters")
    nav.get_by_role("link", name=name, exact=True).click()
    expect(nav.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")


def _download(page, link):
    """Click ``link``, wait for the download, return (suggested file name, bytes)."""
    with page.expect_download() as info:
        link.click()
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _workbook_texts(data: bytes) -> dict[str, str]:
    """Every sheet of an XLSX as one string of its cell values (openpyxl must open it)."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    return {
        sheet.title: "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for row in sheet.iter_rows(values_only=True)
        )
        for sheet in book.worksheets
    }


def _screenshot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"policy-{name}.png"), full_page=True)


def _flash(page):
    """The message a page shows after a form (not the citation picker's live count)."""
    return page.locator(".ka-alert[role=status]")


def _gap(page, key):
    """The list under a gap's heading on the monitoring page."""
    return page.locator(f"#hiaat-{key} + ul")


def _judgement_status(page):
    return page.locator(".ka-judgement-status").first


def test_auditor_carries_out_deelvragen_2_4_5_and_exports_the_registers(browser, server):
    page, errors = _login(browser, server, "onderzoeker")

    # --- Deelvraag 2: the policy registers -------------------------------------------------
    _tab(page, "Beleid")
    expect(page.get_by_role("heading", level=1)).to_have_text("Beleid")
    _policy_tab(page, "Doelen")
    goals = page.locator("#doelen")
    expect(goals).to_contain_text("Ieder kind krijgt dezelfde kansen")
    expect(goals).to_contain_text(INTENDED_GAPS["goal_without_measures"])
    _policy_tab(page, "Maatregelen")
    page.get_by_role("link", name="Extra VVE-plaatsen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extra VVE-plaatsen")
    # The policy theory: activity → output → outcome → goal, every link with its rationale;
    # drawn as a diagram, and step by step (folded away) with a heading per kind.
    theory = page.locator("#beleidstheorie")
    diagram = theory.get_by_role("img", name="Beleidstheorie van Extra VVE-plaatsen")
    theory.get_by_text("De stappen één voor één", exact=True).click()
    for kind in ("activiteit", "output", "outcome", "doel"):
        expect(diagram.locator("text").filter(has_text=re.compile(f"^{kind}$"))).to_have_count(1)
        expect(theory.get_by_role("heading", level=3, name=kind, exact=True)).to_be_visible()
    expect(theory).to_contain_text(
        "Voorscholen in Nieuw-West en Zuidoost bieden extra VVE-plaatsen"
    )
    links = page.locator("#schakels tbody tr")
    expect(links.first).to_contain_text("Meer plaatsen maken deelname mogelijk")
    assert links.count() >= 3
    _screenshot(page, "measure-theory")

    # A new goal through the form, then listed.
    _policy_tab(page, "Doelen")
    page.get_by_role("link", name="Doel toevoegen", exact=True).click()
    page.get_by_label("Code", exact=True).fill(NEW_GOAL_CODE)
    page.get_by_label("Doel", exact=True).fill(NEW_GOAL)
    page.get_by_label("Niveau", exact=True).select_option(label="directie")
    page.get_by_label("Dient het doel", exact=True).select_option(
        label="AL-3 Alle kinderen in minimahuishoudens doen mee aan sport en cultuur"
    )
    page.get_by_label("Eigenaar", exact=True).select_option(label="Directie Onderwijs")
    page.get_by_label("kinderen in armoede", exact=True).check()
    page.get_by_label("Domeinen", exact=True).fill("onderwijs, cultuur")
    page.get_by_role("button", name="Opslaan").click()
    expect(_flash(page)).to_have_text("Doel toegevoegd.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEW_GOAL)
    # The evidence widget: attach a citation from the dossier's documents.
    evidence = page.get_by_role("region", name="Bewijsmateriaal")
    expect(evidence).to_contain_text("Nog geen bewijs gekoppeld.")
    picker = evidence.get_by_label("Citaat koppelen")
    quote = picker.locator("option").nth(1).inner_text()
    picker.select_option(index=1)
    evidence.get_by_label("Notitie (optioneel)").fill("Browsertest: onderbouwing van het doel")
    evidence.get_by_role("button", name="Koppelen").click()
    expect(_flash(page)).to_have_text("Bewijs gekoppeld.")
    attached = page.get_by_role("region", name="Bewijsmateriaal").locator(
        ".ka-policy-evidence__item"
    )
    expect(attached).to_have_count(1)
    expect(attached).to_contain_text("Browsertest: onderbouwing van het doel")
    # The option reads 'title p. N: “quote”'; the list shows the quote itself.
    expect(attached).to_contain_text(quote.split("“", 1)[1].rstrip("”").rstrip("…")[:30])
    _policy_tab(page, "Doelen")
    expect(page.locator("#doelen")).to_contain_text(f"{NEW_GOAL_CODE} {NEW_GOAL}")

    # --- Deelvraag 4: monitoring gaps and consistency ---------------------------------------
    _policy_tab(page, "Monitoring")
    without_measures = _gap(page, "goals_without_measures")
    expect(without_measures).to_contain_text(INTENDED_GAPS["goal_without_measures"])
    expect(without_measures).to_contain_text(NEW_GOAL)  # the new goal has no measure yet
    expect(_gap(page, "measures_without_goals")).to_contain_text(
        INTENDED_GAPS["measure_without_goals"][1]
    )
    expect(_gap(page, "indicators_without_baseline")).to_contain_text(
        INTENDED_GAPS["indicator_without_baseline"]
    )
    expect(_gap(page, "indicators_without_target")).to_contain_text(
        INTENDED_GAPS["indicator_without_target"]
    )
    _screenshot(page, "monitoring")
    _policy_tab(page, "Samenhang")
    unserved = page.get_by_role("region", name="Stedelijke doelen die geen directie dient")
    expect(unserved).to_contain_text(INTENDED_GAPS["city_goal_no_directie_serves"])
    without_city = page.get_by_role("region", name="Directiedoelen zonder stedelijk doel")
    for title in INTENDED_GAPS["directie_goals_without_city_goal"]:
        expect(without_city).to_contain_text(title)
    expect(without_city).not_to_contain_text(NEW_GOAL)  # it serves AL-3, a city goal

    # --- Judgements: SMART on the new goal, two blind assessors, consensus, sign-off --------
    _tab(page, "Oordelen")
    page.get_by_role("link", name="SMART-doelen", exact=True).click()
    start = page.locator("form").filter(has=page.get_by_role("button", name="Starten"))
    start.get_by_label("Onderwerp").select_option(label=f"{NEW_GOAL_CODE} {NEW_GOAL}")
    for code in ("M Meetbaar", "A Acceptabel", "R Realistisch", "T Tijdgebonden"):
        start.get_by_label(code, exact=True).uncheck()
    expect(start.get_by_label("S Specifiek", exact=True)).to_be_checked()
    expect(start.get_by_label("twee beoordelaars")).to_be_checked()
    start.get_by_role("button", name="Starten").click()
    expect(_flash(page)).to_have_text("1 oordeel gestart.")
    row = page.get_by_role("row").filter(has_text=NEW_GOAL)
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"S Specifiek: {NEW_GOAL_CODE} {NEW_GOAL}"
    )
    judgement_url = page.url
    # The status label has its own translation context: the verb "open" elsewhere is "openen".
    expect(_judgement_status(page)).to_have_class(re.compile(r"ka-judgement-status--open\b"))
    expect(_judgement_status(page)).to_have_text("open")
    mine = page.locator("#mijn-beoordeling")
    mine.get_by_label("2 – voldoet").check()
    mine.get_by_label("Onderbouwing").fill(FIRST_RATIONALE)
    mine.get_by_role("button", name="Beoordeling indienen").click()
    expect(_flash(page)).to_have_text("Beoordeling ingediend.")
    expect(page.locator("main")).to_contain_text(FIRST_RATIONALE)  # one's own stays visible

    # The second assessor, in a browser context of their own, cannot see the first's work.
    lead, lead_errors = _login(browser, server, "projectleider")
    _tab(lead, "Oordelen")
    lead.get_by_role("link", name="SMART-doelen", exact=True).click()
    lead.get_by_role("row").filter(has_text=NEW_GOAL).get_by_role("link").click()
    assert lead.url == judgement_url
    assessments = lead.get_by_role("region", name="Beoordelingen")
    expect(assessments).to_contain_text("Wacht op 1 beoordeling")
    expect(assessments).to_contain_text("Beoordelaar 1: onderzoeker")
    expect(assessments).to_contain_text("score en motivering blijven verborgen")
    assert FIRST_RATIONALE not in lead.content()
    expect(lead.get_by_role("region", name="Consensus")).to_contain_text(
        "Consensus is mogelijk zodra alle beoordelingen binnen zijn"
    )
    _screenshot(lead, "judgement-blind")
    theirs = lead.locator("#mijn-beoordeling")
    theirs.get_by_label("1 – deels").check()
    theirs.get_by_label("Onderbouwing").fill(SECOND_RATIONALE)
    theirs.get_by_role("button", name="Beoordeling indienen").click()
    expect(_flash(lead)).to_have_text("Beoordeling ingediend.")
    # Both are in: both rationales are visible now.
    expect(lead.get_by_role("region", name="Beoordelingen")).to_contain_text(FIRST_RATIONALE)
    expect(lead.get_by_role("region", name="Beoordelingen")).to_contain_text(SECOND_RATIONALE)
    consensus = lead.get_by_role("region", name="Consensus")
    consensus.get_by_label("2 – voldoet").check()
    consensus.get_by_label("Onderbouwing").fill(CONSENSUS_RATIONALE)
    consensus.get_by_role("button", name="Consensus vastleggen").click()
    expect(_flash(lead)).to_have_text("Consensus vastgelegd.")
    expect(_judgement_status(lead)).to_have_text("consensus")
    assert lead_errors == []
    lead.context.close()

    reviewer, reviewer_errors = _login(browser, server, "reviewer")
    reviewer.goto(judgement_url)  # as from a notification; the table path is walked above
    signing = reviewer.get_by_role("region", name="Aftekenen")
    signing.get_by_role("button", name="Aftekenen").click()
    expect(_flash(reviewer)).to_have_text("Oordeel afgetekend.")
    expect(_judgement_status(reviewer)).to_have_text("afgetekend")
    expect(reviewer.get_by_role("region", name="Aftekenen")).to_contain_text(
        "Afgetekend door Rik Reviewer"
    )
    expect(reviewer.get_by_role("region", name="Consensus")).to_contain_text(CONSENSUS_RATIONALE)
    _screenshot(reviewer, "judgement-signed-off")
    reviewer.get_by_role("navigation", name="Oordelen").get_by_role(
        "link", name="Overeenstemming tussen beoordelaars"
    ).click()
    reviewer.get_by_role("link", name="SMART-doelen", exact=True).click()
    expect(reviewer.locator("main")).to_contain_text("Krippendorffs alfa")
    alpha_table = reviewer.get_by_role("table", name="Krippendorffs alfa")
    expect(alpha_table).to_contain_text("ordinaal")
    expect(reviewer.locator("main svg")).to_have_count(1)
    assert reviewer_errors == []
    reviewer.context.close()

    # --- Deelvraag 5: council information ---------------------------------------------------
    _tab(page, "Informatie aan de raad")
    council = page.get_by_role("navigation", name="Informatie aan de raad")
    council.get_by_role("link", name="Doelen × jaren").click()
    matrix = page.get_by_role("table", name="Informatie aan de raad per doel en jaar")
    header = matrix.get_by_role("row").first
    for year in ("2019", "2023", "2026"):
        expect(header).to_contain_text(year)
    expect(
        matrix.get_by_role("row").filter(has_text="CA-2 Een derde minder kinderen")
    ).to_contain_text("outputs en effecten (2)")
    _screenshot(page, "council-matrix")
    council.get_by_role("link", name="Tijdlijn").click()
    timeline = page.locator("main figure svg")
    expect(timeline).to_have_count(1)
    # A named group whose items are links to the documents (an image would hide the links).
    expect(timeline).to_have_attribute("role", "group")
    expect(timeline).to_have_attribute("aria-label", "Informatie aan de raad door de tijd")
    expect(timeline.get_by_role("link")).not_to_have_count(0)
    expect(page.locator("main")).to_contain_text("Raadsbrief Kinderen in armoede 2025")

    # --- Export the registers -------------------------------------------------------------
    _tab(page, "Beleid")
    name, data = _download(
        page, page.get_by_role("link", name="Alle registers als Excel-werkmap (XLSX)")
    )
    assert name.endswith(".xlsx")
    sheets = _workbook_texts(data)
    assert {"actoren", "doelen", "maatregelen", "beleidstheorie", "indicatoren", "waarden"} <= set(
        sheets
    ), sheets.keys()
    assert {"bewijs", "hiaten"} <= set(sheets)
    assert "Extra VVE-plaatsen\tDirectie Onderwijs" in sheets["maatregelen"]
    assert NEW_GOAL in sheets["doelen"]
    assert "Browsertest: onderbouwing van het doel" in sheets["bewijs"]

    _tab(page, "Oordelen")
    name, data = _download(
        page,
        page.get_by_role("navigation", name="Oordelen").get_by_role(
            "link", name="Exporteren (XLSX)"
        ),
    )
    assert name.endswith(".xlsx")
    sheets = _workbook_texts(data)
    assert {"oordelen", "historie"} <= set(sheets), sheets.keys()
    assert "Overkoepelend beleid" in sheets["oordelen"]  # a demo judgement (analysemodel C1)
    new_rows = [line for line in sheets["oordelen"].splitlines() if NEW_GOAL in line]
    assert len(new_rows) == 1
    for expected in ("afgetekend", FIRST_RATIONALE, SECOND_RATIONALE, CONSENSUS_RATIONALE):
        assert expected in new_rows[0], expected

    _tab(page, "Informatie aan de raad")
    name, data = _download(page, page.get_by_role("link", name="register en matrix (XLSX)"))
    assert name.endswith(".xlsx")
    sheets = _workbook_texts(data)
    assert {"Raadsinformatie", "Matrix doelen x jaren"} <= set(sheets), sheets.keys()
    assert "Raadsbrief Kinderen in armoede 2025" in sheets["Raadsinformatie"]
    assert "Een derde minder kinderen die opgroeien in armoede" in sheets["Matrix doelen x jaren"]
    assert errors == []
    page.context.close()


def test_uitvraag_template_download_and_a_faulty_workbook_is_refused(browser, server):
    page, errors = _login(browser, server, "onderzoeker")
    _tab(page, "Uitvraag")
    requests = page.locator("#uitvragen tbody tr")
    expect(requests).to_have_count(3)
    for directie in ("Directie Armoede en Schulden", "Directie Onderwijs", "Directie Wonen"):
        expect(requests.filter(has_text=directie)).to_contain_text("geaccepteerd")
    page.get_by_role("link", name="Directie Wonen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Directie Wonen")
    name, template = _download(page, page.get_by_role("link", name="Sjabloon downloaden (.xlsx)"))
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(template))
    assert {"Toelichting", "Maatregelen", "Meta"} <= set(book.sheetnames)

    # The directorate fills in one measure with a word where a number belongs.
    sheet = book["Maatregelen"]
    column = {cell.value: cell.column_letter for cell in sheet[1]}
    sheet[f"{column['Naam maatregel']}2"] = "Browsertest-maatregel"
    sheet[f"{column['Bereik (personen per jaar)']}2"] = "veel"
    out = io.BytesIO()
    book.save(out)
    faulty = out.getvalue()
    expected = read_filled(faulty).errors  # the module's own reading of the same file
    assert [(e.sheet, e.row, e.column) for e in expected] == [
        ("Maatregelen", 2, column["Bereik (personen per jaar)"])
    ]

    page.get_by_label("Ingevulde werkmap (.xlsx)").set_input_files(
        files=[
            {
                "name": "uitvraag-wonen-fout.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": faulty,
            }
        ]
    )
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("uitvraag-wonen-fout.xlsx")
    table = page.get_by_role("table", name="1 fout: er is niets ingelezen.")
    cells = table.locator("tbody tr").first.locator("td")
    expect(cells.nth(0)).to_have_text("Maatregelen")
    expect(cells.nth(1)).to_have_text("2")
    expect(cells.nth(2)).to_have_text(column["Bereik (personen per jaar)"])
    expect(cells.nth(3)).to_contain_text("'veel' is geen heel getal")
    expect(page.get_by_role("button", name="inlezen")).to_have_count(0)
    _screenshot(page, "uitvraag-errors")

    # Nothing applied: the request is unchanged and the measure is nowhere in the register.
    page.get_by_role("link", name="Uitvraag Directie Wonen").click()
    expect(page.locator("main")).to_contain_text("geaccepteerd")
    _policy_tab(page, "Maatregelen")
    expect(page.locator("main")).to_contain_text("Verhuisregeling grote gezinnen")
    expect(page.locator("main")).not_to_contain_text("Browsertest-maatregel")
    assert errors == []
    page.context.close()


def test_reader_sees_the_pages_but_no_edit_forms(browser, server):
    page, errors = _login(browser, server, "meelezer")
    changing_forms = page.locator("main form[method=post]")

    _policy_tab(page, "Doelen")
    expect(page.locator("#doelen")).to_contain_text(INTENDED_GAPS["goal_without_measures"])
    expect(page.get_by_role("link", name="Doel toevoegen", exact=True)).to_have_count(0)
    page.get_by_role("link", name=f"WON-3 {INTENDED_GAPS['goal_without_measures']}").click()
    expect(page.get_by_role("region", name="Bewijsmateriaal")).to_be_visible()
    expect(page.get_by_role("link", name="Bewerken")).to_have_count(0)
    expect(changing_forms).to_have_count(0)
    _policy_tab(page, "Maatregelen")
    page.get_by_role("link", name="Extra VVE-plaatsen", exact=True).click()
    expect(page.locator("#schakels tbody tr").first).to_contain_text("Meer plaatsen")
    expect(changing_forms).to_have_count(0)
    _policy_tab(page, "Monitoring")
    expect(_gap(page, "goals_without_measures")).to_contain_text(
        INTENDED_GAPS["goal_without_measures"]
    )

    _tab(page, "Uitvraag")
    expect(page.locator("#uitvragen tbody tr")).to_have_count(3)
    expect(changing_forms).to_have_count(0)
    page.get_by_role("link", name="Directie Onderwijs", exact=True).click()
    expect(page.get_by_role("table", name="Statusgeschiedenis")).to_contain_text("geaccepteerd")
    # Making a template records its version: an edit, so a reader gets no download link.
    expect(page.get_by_role("link", name="Sjabloon downloaden (.xlsx)")).to_have_count(0)
    expect(page.get_by_label("Ingevulde werkmap (.xlsx)")).to_have_count(0)
    expect(changing_forms).to_have_count(0)

    _tab(page, "Oordelen")
    expect(page.locator("main")).to_contain_text("Krippendorffs alfa")
    expect(page.get_by_role("button", name="Starten")).to_have_count(0)
    page.get_by_role("link", name="afgetekend").first.click()
    expect(_judgement_status(page)).to_have_text("afgetekend")
    expect(page.locator("#mijn-beoordeling")).to_have_count(0)
    expect(changing_forms).to_have_count(0)

    _tab(page, "Informatie aan de raad")
    expect(page.get_by_role("link", name="Raadsbrief Kinderen in armoede 2025")).to_be_visible()
    expect(page.get_by_role("link", name="Een raadsdocument registreren")).to_have_count(0)
    expect(changing_forms).to_have_count(0)
    page.get_by_role("navigation", name="Informatie aan de raad").get_by_role(
        "link", name="Doelen × jaren"
    ).click()
    expect(
        page.get_by_role("table", name="Informatie aan de raad per doel en jaar")
    ).to_be_visible()
    assert errors == []
    page.context.close()
