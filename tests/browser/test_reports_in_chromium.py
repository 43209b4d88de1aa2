"""A report end to end on the demo dossier in Chromium: the reports list, a report's page with
its chapters, references and readability, editing a chapter, the preview with its footnotes,
saving a version and its comparison, a Word file built in the background by the demo's worker,
the publication site built the same way and served from a folder, and axe-core on every report
page and every page of the publication site at 1366 and 390 px."""

from __future__ import annotations

import functools
import io
import re
import threading
import time
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PASSWORD = "voorbeeldstad-demo"
DOSSIER = "Kansengelijkheid in Voorbeeldstad (demo)"
AXE_PATHS = (
    Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js",
    Path("/tmp/axe/node_modules/axe-core/axe.min.js"),  # noqa: S108 - a developer's npm install
)


def _axe_source() -> str:
    for path in AXE_PATHS:
        if path.exists():
            return path.read_text()
    pytest.fail("axe-core is not available (tests/browser/vendor/axe-core/axe.min.js)")


def _violations(page, axe: str) -> list[str]:
    page.evaluate(axe)
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: {type: 'tag', values: "
        "['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [f"{v['id']}: {v['nodes'][0]['target']}" for v in result["violations"]]


def _built_file(page, file_format: str, button: str) -> bytes:
    """Ask for a build on the version's page and wait for the demo's worker to finish it."""
    page.get_by_role("button", name=button).click()
    row = page.locator("#build-list tbody tr", has_text=file_format).first
    deadline = time.monotonic() + 180  # a bound for a stuck worker, not a speed requirement
    while row.get_by_role("link").count() == 0:
        assert "mislukt" not in row.inner_text(), row.inner_text()
        assert time.monotonic() < deadline, "the build did not finish"
        page.wait_for_timeout(1000)
        page.reload()
    with page.expect_download() as info:
        row.get_by_role("link").click()
    return Path(info.value.path()).read_bytes()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *_args) -> None:  # the test's output is not an access log
        pass


def _check_publication_site(page, axe: str, bundle: bytes, folder: Path) -> list[str]:
    """Unpack the site, serve it from its folder as any web server would, run axe on each page."""
    zipfile.ZipFile(io.BytesIO(bundle)).extractall(folder)
    pages = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.html"))
    assert "index.html" in pages
    handler = functools.partial(_QuietHandler, directory=str(folder))
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        for name in pages:
            page.goto(f"http://127.0.0.1:{httpd.server_address[1]}/{name}")
            for width in (1366, 390):
                page.set_viewport_size({"width": width, "height": 900})
                assert _violations(page, axe) == [], (name, width)
                assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, (
                    name,
                    width,
                )
    finally:
        httpd.shutdown()
        httpd.server_close()
    return pages


def test_writing_previewing_saving_and_downloading_a_report(browser, server, tmp_path):
    axe = _axe_source()
    context = browser.new_context(accept_downloads=True, bypass_csp=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill("onderzoeker")
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    page.get_by_role("link", name=DOSSIER).click()
    page.get_by_role("navigation", name="Dossier").get_by_role("link", name="Rapporten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapporten")
    reports_url = page.url
    assert _violations(page, axe) == []

    page.locator("#reports").get_by_role("link", name="Kansen voor iedereen?").first.click()
    expect(page.locator("#problems")).to_contain_text("Alle verwijzingen")
    expect(page.locator("#readability")).to_contain_text("Samenvatting")
    report_url = page.url
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        assert _violations(page, axe) == [], width
        assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, width

    # Edit the introduction: a sentence with a reference that cannot be resolved shows up as a
    # problem on the report's page.
    page.set_viewport_size({"width": 1366, "height": 900})
    # The chapter's title is in a visually hidden span, which Chromium names with a space.
    page.get_by_role("link", name=re.compile(r"^Bewerken\s*: Inleiding$")).click()
    text = page.get_by_label("Tekst (Markdown)")
    text.fill(text.input_value() + "\n\nZie ook {{citation:999999}}.\n")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#problems")).to_contain_text("citation:999999")

    page.goto(report_url.rstrip("/") + "/voorbeeld/")
    expect(page.locator("h1")).to_have_text("Kansen voor iedereen?")
    assert page.locator("sup.noteref a").count() >= 1
    expect(page.locator("main")).to_contain_text("[citation:999999?]")
    assert _violations(page, axe) == []

    page.goto(report_url)
    page.get_by_label("Doel").select_option("draft")
    page.get_by_role("button", name="Versie opslaan").click()
    expect(page.locator(".ka-alert, [role=status]").first).to_be_visible()
    page.locator("#versions").get_by_role("link").first.click()
    assert len(page.locator("#sha256").inner_text()) == 64
    expect(page.locator("ins", has_text="citation:999999")).to_have_count(1)
    assert _violations(page, axe) == []

    word = docx.Document(io.BytesIO(_built_file(page, "Word (DOCX)", "Word (DOCX) bouwen")))
    assert any(p.style.name == "Heading 1" for p in word.paragraphs)
    assert _violations(page, axe) == []

    # The bestuurlijk rapport of the demo is frozen for publication: its site, built in the
    # background, passes axe on every page when served from a plain folder.
    page.goto(reports_url)
    page.locator("#reports tr", has_text="Bestuurlijk rapport").get_by_role("link").first.click()
    page.locator("#versions tr", has_text="bevroren voor publicatie").get_by_role(
        "link"
    ).first.click()
    bundle = _built_file(
        page, "publicatiesite", "Publicatiesite voor raad en inwoners bouwen (ZIP)"
    )
    pages = _check_publication_site(page, axe, bundle, tmp_path / "site")
    assert "samenvatting.html" in pages

    page.goto(reports_url)
    assert errors == []
    context.close()
