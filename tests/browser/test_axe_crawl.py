"""Every page of the demo, as each role, through axe-core (WCAG 2.1 A and AA) in Chromium.

The crawl starts at the dossier list and follows the links a person sees; each page is filed
under its URL pattern's name (Django's resolver), and one representative URL per name and role
is checked, so pages of apps added later are crawled without changing this test. Pages nobody
links to are reached too: every named pattern whose arguments are all known (the dossier's id)
is reversed. Forms are never submitted and downloads are never opened; a page must answer
below 400, pass axe with no violation, log no console error (a Content-Security-Policy report
is one) and, for the pages checked at 390 px, never scroll sideways.

axe-core is vendored in ``tests/browser/vendor/axe-core/`` (MPL-2.0, with its licence) and
injected into each page; the browser context bypasses the page's CSP only to run it.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import (
    NoReverseMatch,
    Resolver404,
    URLPattern,
    URLResolver,
    get_resolver,
    resolve,
    reverse,
)
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
PASSWORD = "voorbeeldstad-demo"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Not pages: downloads, machine interfaces, actions on GET (logging out, switching language).
SKIP_NAME = re.compile(
    r"(^|:)(health|set_language|logout|api_\w+|page_image|public|public_template)$"
    r"|_(csv|xlsx|json|download)$|(^|:)export\w*$|(^|:)template$|:jsi18n$|:view_on_site$"
)
SKIP_PATH = re.compile(r"\.(csv|xlsx|json|pdf|png|zip|docx|txt)$")
# The admin has one page per model and kind; one model per kind shows the template's state.
ADMIN_KIND = re.compile(r"^admin:\w+?_(\w+?)_(changelist|add|change|delete|history)$")
NARROW_FOR = ("projectleider", "beheerder")  # the roles whose pages are also checked at 390 px
PAGE_BUDGET = 400  # a safety stop, far above the number of named views


def _patterns() -> list[tuple[str, str]]:
    """Every named URL pattern as (view name, route), including those of apps added later."""
    found: list[tuple[str, str]] = []

    def walk(patterns, namespaces: list[str]) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, [*namespaces, p.namespace] if p.namespace else namespaces)
            elif isinstance(p, URLPattern) and p.name:
                found.append((":".join([*namespaces, p.name]), str(p.pattern)))

    walk(get_resolver().url_patterns, [])
    return found


def _seeds(dossier_id: int) -> list[str]:
    """The URLs of named patterns whose only argument (if any) is the dossier."""
    urls = []
    for name, _route in _patterns():
        if SKIP_NAME.search(name) or name.startswith("admin:"):
            continue
        for kwargs in ({}, {"dossier_id": dossier_id}):
            try:
                urls.append(reverse(name, kwargs=kwargs))
                break
            except NoReverseMatch:
                continue
    return urls


def _key(path: str) -> str | None:
    """The name a page is filed under, or None for what is not crawled."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    name = match.view_name
    if not match.url_name or SKIP_NAME.search(name) or SKIP_PATH.search(path):
        return None
    kind = ADMIN_KIND.match(name)
    if kind:
        return f"admin:*_{kind.group(2)}"  # one changelist, one add form, ... for the admin
    return name


def _login(browser, server, username, width):
    context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=False)
    # Say where a Content-Security-Policy violation comes from (Chromium only says what).
    context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP', e.violatedDirective, e.sourceFile + ':' + e.lineNumber, e.sample))"
    )
    page = context.new_page()
    page.goto(f"{server}/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{server}/")
    return context, page


def _is_page(page, url: str) -> bool:
    """Whether a URL nobody linked to answers GET with HTML (POST-only actions answer 405)."""
    for attempt in (1, 2):  # a connection closed after a bodiless 405 is tried once more
        try:
            response = page.request.get(url, max_redirects=0)
            break
        except PlaywrightError:
            if attempt == 2:
                raise
    return response.status < 300 and "text/html" in response.headers.get("content-type", "")


# What makes two pages the same for axe: the same markup once the per-request parts (CSRF
# tokens, the signed-in user's name, nonces) are taken out. Pages that two roles see alike
# are checked by axe once; each role still opens each of its pages.
FINGERPRINT = """(user) => {
    const copy = document.documentElement.cloneNode(true);
    copy.querySelectorAll('input[name=csrfmiddlewaretoken]').forEach(e => e.remove());
    copy.querySelectorAll('[nonce]').forEach(e => e.removeAttribute('nonce'));
    return copy.outerHTML.split(user).join('');
}"""


def _check(
    page, url: str, errors: list[str], *, narrow: bool, checked: set[str], user: str = ""
) -> list[str]:
    """Problems of one page: HTTP status, axe violations, console errors, sideways scrolling."""
    errors.clear()
    try:
        response = page.goto(url, wait_until="load")
    except PlaywrightError as error:  # a download, or an error answer without a body
        return [f"not a page: {str(error).splitlines()[0]}"]
    problems = []
    if response is None or response.status >= 400:
        problems.append(f"HTTP {response.status if response else '?'}")
        return problems
    if "text/html" not in (response.headers.get("content-type") or ""):
        return problems
    # The page's own errors, before axe runs (axe's probes may trip the CSP themselves).
    problems.extend(f"console: {e}" for e in errors)
    if narrow:  # at 390 px: the layout; axe has seen the same markup at 1366 px
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 391:
            problems.append(f"scrolls sideways at 390 px: the page is {width} px wide")
        return problems
    fingerprint = hashlib.sha256(page.evaluate(FINGERPRINT, user).encode()).hexdigest()
    if fingerprint in checked:
        return problems
    checked.add(fingerprint)
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                               resultTypes: ['violations']});
            return r.violations.map(v => `${v.id}: ${v.nodes.slice(0, 3).map(
                n => n.target.join(' ')).join(' | ')}`);
        }""",
        TAGS,
    )
    problems.extend(f"axe {v}" for v in result)
    return problems


def _crawl(browser, server, username, *, width, checked, not_pages, only=None):
    """Visit one URL per page name reachable by ``username``; return ({name: url}, problems).

    First the links from the dossier list onwards, then the reversed patterns no link led to
    (``not_pages`` remembers those that answer GET with 405, for every role).
    """
    context, page = _login(browser, server, username, width)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    origin = f"{urlsplit(server).scheme}://{urlsplit(server).netloc}"
    dossier = re.search(r"/dossiers/(\d+)/", page.content())
    seeds = _seeds(int(dossier.group(1))) if dossier and only is None else []
    seeded = set(seeds)
    queue = deque(only.values() if only is not None else ["/"])
    seen: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    while len(seen) < PAGE_BUDGET:
        if not queue and seeds:
            queue.extend(seeds)
            seeds = []
        if not queue:
            break
        path = queue.popleft()
        key = _key(urlsplit(path).path)
        if key is None or key in seen or path in not_pages:
            continue
        if path in seeded and not _is_page(page, origin + path):
            not_pages.add(path)
            continue
        seen[key] = path
        found = _check(
            page,
            origin + path,
            errors,
            narrow=width < 600,
            checked=checked,
            user=username,
        )
        if found:
            problems[f"{key} {path}"] = found
        if only is not None or (found[:1] and found[0].startswith("HTTP")):
            continue
        for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
            url = urlsplit(urljoin(page.url, href))
            if f"{url.scheme}://{url.netloc}" != origin:
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if _key(url.path) not in seen:
                queue.append(target)
    context.close()
    return seen, problems


# Two crawlers side by side, each with its own Chromium (Playwright objects belong to their
# thread); the server answers with four threads. Roles are split so both take about as long.
LANES = (("projectleider", "reviewer", "ander-team"), ("onderzoeker", "meelezer", "beheerder"))


def _narrow_subset(visited: dict[str, str]) -> dict[str, str]:
    """The pages checked at 390 px: every list and overview (at most one id in the path)."""
    return {k: v for k, v in visited.items() if len(re.findall(r"/\d+", v)) <= 1}


def _lane(server, roles, wide, not_pages):
    from playwright.sync_api import sync_playwright

    from tests.conftest import CHROMIUM

    visited, problems = {}, {}
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"],
        )
        for role in roles:
            visited[role], found = _crawl(
                browser, server, role, width=1366, checked=wide, not_pages=not_pages
            )
            problems.update({f"{role} 1366 {k}": v for k, v in found.items()})
            if role in NARROW_FOR:
                _, found = _crawl(
                    browser,
                    server,
                    role,
                    width=390,
                    checked=set(),
                    not_pages=not_pages,
                    only=_narrow_subset(visited[role]),
                )
                problems.update({f"{role} 390 {k}": v for k, v in found.items()})
        browser.close()
    return visited, problems


@pytest.fixture(scope="module")
def crawl(server):
    """The crawl of every role at 1366 px and of two roles at 390 px, done once."""
    started = time.monotonic()
    wide: set[str] = set()
    not_pages: set[str] = set()
    visited, problems = {}, {}
    with ThreadPoolExecutor(max_workers=len(LANES)) as pool:
        lanes = [pool.submit(_lane, server, roles, wide, not_pages) for roles in LANES]
        for lane in lanes:
            lane_visited, lane_problems = lane.result()
            visited.update(lane_visited)
            problems.update(lane_problems)
    return visited, problems, time.monotonic() - started


@pytest.mark.timeout(600)  # the demo's start and about 200 pages; see docs/usability.md
def test_every_page_of_every_role_passes_axe_without_console_errors(crawl):
    visited, problems, seconds = crawl
    report = json.dumps(problems, indent=1, ensure_ascii=False)
    assert not problems, f"{len(problems)} pages with problems:\n{report}"
    # The crawl really crawled: every role reached the pages of the dossier and its apps.
    for role in ("projectleider", "onderzoeker", "reviewer", "meelezer"):
        names = set(visited[role])
        assert {"dossiers:detail", "evidence:documents", "policy:overview"} <= names, role
        assert {"council:timeline", "council:matrix", "judgements:overview"} <= names, role
    assert len(visited["projectleider"]) >= 40  # 47 named pages in the demo of December 2026
    admin = set(visited["beheerder"])
    assert {"admin:index", "admin:*_changelist", "admin:*_change", "admin:*_add"} <= admin
    print(f"axe crawl: {sum(map(len, visited.values()))} pages in {seconds:.0f} s")


def test_the_crawl_files_pages_under_their_pattern_names():
    """The crawl's bookkeeping on its own: names, skips and the admin's kinds."""
    assert _key("/dossiers/1/beleid/") == "policy:overview"
    assert _key("/dossiers/1/citaten.csv") is None
    assert _key("/accounts/uitloggen/") is None
    assert _key("/beheer/dossiers/dossier/") == "admin:*_changelist"
    assert _key("/beheer/accounts/user/3/change/") == "admin:*_change"
    assert _key("/bestaat-niet/") is None
    seeds = _seeds(1)
    assert "/dossiers/1/raadsinformatie/matrix/" in seeds
    assert not any(SKIP_PATH.search(s) for s in seeds)
