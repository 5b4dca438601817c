"""The pages in a real browser: Debian's chromium, driven by playwright (which never
downloads a browser of its own here). A missing chromium fails the test, so CI cannot go
green without it: run tests/setup.sh."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from govkg.api.site import write_site
from govkg.graph.search import SearchIndex, filter_key
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import Server
from tests.api.servers import officers_server

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run tests/setup.sh (it installs Debian's "
                    "chromium and chromium-driver)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page that records console errors and uncaught exceptions."""
    context = browser.new_context(accept_downloads=True)  # a new, empty profile
    opened = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    opened.on("console", on_console)
    opened.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    opened.on("response", lambda response: response.status >= 400 and problems.append(
        f"HTTP {response.status} for {response.url}"))
    opened.problems = problems  # type: ignore[attr-defined]
    yield opened
    context.close()


def no_problems(page: Page) -> None:
    problems = page.problems  # type: ignore[attr-defined]
    assert not problems, problems


def test_home_page(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/")
    assert page.title().startswith("Councils and frameworks")
    assert "Testshire County Council" in page.locator("#councils").inner_text()
    assert page.locator("#frameworks li").count() == 2
    page.click("text=Testshire County Council")
    page.wait_for_url("**/id/council/testshire-county-council")
    no_problems(page)


def test_council_page(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/id/council/testshire-county-council")
    assert page.locator("h1").inner_text() == "Testshire County Council"
    officers = page.locator("#statutory-officers")
    assert "Chief Executive" in officers.inner_text()
    # the label with a <script> element is shown as text, never run
    assert "Director of Law <script>alert(1)</script>" in officers.inner_text()
    officers.locator("details summary").first.click()
    assert "The Chief Executive is the Head of Paid Service." in officers.inner_text()
    assert "Strengthen the audit committee" in page.locator("#recommendations").inner_text()
    no_problems(page)


def test_query_page_runs_a_query(page: Page, server: Server) -> None:
    page.goto(f"{server.url}/query")
    page.wait_for_selector(".yasqe .CodeMirror")
    page.evaluate("""() => window.govkgYasgui.getTab().getYasqe().setValue(
        'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n' +
        'SELECT ?label WHERE { ?c a <https://w3id.org/govkg/def/Council> ; ' +
        'skos:prefLabel ?label FILTER(STRSTARTS(?label, "Test")) }')""")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table", timeout=15_000)
    results = page.locator(".yasr").inner_text()
    assert "Testshire County Council" in results
    no_problems(page)


# ------------------------------------------------ the officers' pages, axe and keyboard

SCREENSHOTS = Path(__file__).parent / "screenshots"
#: WCAG 2.0, 2.1 and 2.2, levels A and AA: what UK public-sector sites must meet
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa",
                                              "wcag22aa"]}, "resultTypes": ["violations"]}
#: one page of each kind (the server holds testshire.trig and testshire-followup.trig)
PAGE_KINDS = {
    "home": "/",
    "council": "/id/council/testshire-county-council",
    "framework": "/id/framework/cipfa-solace-2016",
    "item": "/id/framework/cipfa-solace-2016/A.1",
    "resource": "/id/council/testshire-county-council/post/chief-executive",
    "search": "/search?q=risk",
    "compare": "/compare?edition=2016",
    "follow-up": "/councils/testshire-county-council/follow-up",
    "queries": "/queries",
    "named-query": "/queries/statutory-officers",
    "validation": "/councils/testshire-county-council/validation",
    "dataset": "/dataset",
    "query-editor": "/query",
    "api-docs": "/api-docs",
    # the vocabulary documentation (pyLODE's pages, every page's "Vocabulary" link)
    "vocabulary": "/docs/index.html",
    "vocabulary-ontology": "/docs/ontology.html",
    "vocabulary-scheme": "/docs/schemes/role.html",
}
#: third-party widgets, checked by their makers: the SPARQL editor (YASGUI) and Swagger
#: UI are left out of the axe run, the rest of their pages is checked
THIRD_PARTY = {"query-editor": [".yasgui"], "api-docs": ["#swagger-ui"]}


@pytest.fixture(scope="module")
def officers(tmp_path_factory: pytest.TempPathFactory, docs_cache: Path) -> Iterator[Server]:
    yield from officers_server(tmp_path_factory, docs_cache)


def serious_violations(page: Page, context: dict[str, Any] | None = None) -> list[tuple[
        str, str, str, list[Any]]]:
    """axe-core's serious and critical WCAG 2.2 AA violations on the page (each with its
    rule, impact, help and first three elements), so an assertion shows what failed."""
    results = Axe().run(page, context=context, options=WCAG)
    return [(v["id"], v["impact"], v["help"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def html_page(page: Page, url: str) -> None:
    page.goto(url, wait_until="networkidle")


@pytest.mark.parametrize("kind", list(PAGE_KINDS), ids=list(PAGE_KINDS))
def test_every_page_kind_passes_axe(page: Page, officers: Server, kind: str) -> None:
    if kind.startswith("vocabulary"):  # the first asks the server to write them (pyLODE,
        # tens of seconds on a busy machine): longer than a page load's time limit
        assert httpx.get(officers.url + PAGE_KINDS[kind], timeout=600).is_success
    html_page(page, officers.url + PAGE_KINDS[kind])
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{kind}.png"), full_page=True)
    context = {"exclude": [[s] for s in THIRD_PARTY[kind]]} if kind in THIRD_PARTY else None
    assert serious_violations(page, context) == []
    no_problems(page)


def test_the_not_found_page_passes_axe(page: Page, officers: Server) -> None:
    """A mistyped address in a browser lands on a page of the site (404), checked like
    every page kind; the browser's console reports the 404 itself, so ``no_problems``
    does not apply."""
    response = page.goto(officers.url + "/id/council/nowhere-council")
    assert response is not None and response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "not-found.png"), full_page=True)
    assert serious_violations(page) == []


def test_keyboard_skip_link_and_search_box(page: Page, officers: Server) -> None:
    html_page(page, officers.url + "/id/council/testshire-county-council")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # shift-tab back up to the search box in the header, type, and press Enter
    page.focus("#site-search-q")
    page.keyboard.type("whistleblowing")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=whistleblowing")
    hits = page.locator("li.hit")
    assert hits.count() == 2
    assert hits.first.locator("h2").inner_text() == "Whistleblowing Policy"
    assert hits.first.locator("mark").first.inner_text() == "Whistleblowing"
    no_problems(page)


def test_vocabulary_page_has_the_search_box_and_its_contents_in_view(
        page: Page, officers: Server) -> None:
    """pyLODE's pages as served carry the site's header; pyLODE's table of contents stays
    in view beside the content, neither over the header nor under it, and searching from
    the page lands on the search page with its results."""
    url = officers.url + "/docs/schemes/role.html"
    assert httpx.get(url, timeout=600).is_success  # the first writes them (pyLODE, slow)
    html_page(page, url)
    header, toc = page.locator("header.site"), page.locator("#toc")
    assert header.locator("form[role=search]").count() == 1
    assert page.locator("main#main-content > #toc").count() == 1
    bottom = header.bounding_box()["y"] + header.bounding_box()["height"]
    box = toc.bounding_box()
    assert box is not None and box["y"] >= bottom and box["height"] > 0
    # the element at the middle of the contents' heading is the heading, not the header
    heading = toc.locator("h3").bounding_box()
    middle = (heading["x"] + heading["width"] / 2, heading["y"] + heading["height"] / 2)
    assert page.evaluate("([x, y]) => document.elementFromPoint(x, y).closest('#toc') "
                         "!== null", list(middle))
    # scrolled down, the contents are still in view
    page.mouse.wheel(0, 5000)
    page.wait_for_function("window.scrollY > 0")
    scrolled = toc.bounding_box()
    assert scrolled is not None and 0 <= scrolled["y"] < page.viewport_size["height"]
    page.fill("#site-search-q", "whistleblowing")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=whistleblowing")
    assert page.locator("li.hit").count() == 2
    assert page.locator("li.hit h2").first.inner_text() == "Whistleblowing Policy"
    no_problems(page)


def test_search_filters_in_the_browser(page: Page, officers: Server) -> None:
    html_page(page, officers.url + "/search?q=integrity")
    everything = page.locator("li.hit").count()
    page.select_option("#search-kind", "commitment")
    page.click("form.search-form button")
    page.wait_for_url("**kind=commitment**")
    assert 0 < page.locator("li.hit").count() < everything
    assert page.locator("li.hit .kind").all_inner_texts() == [
        "COMMITMENT · TESTSHIRE COUNTY COUNCIL"] * page.locator("li.hit").count()
    no_problems(page)


def test_compare_in_the_browser_and_its_downloads(page: Page, officers: Server,
                                                  tmp_path: Path) -> None:
    html_page(page, officers.url + "/compare")
    page.select_option("#compare-principle", "A")
    page.click("form.params button")
    page.wait_for_url("**principle=A**")
    headers = page.locator("#comparison thead th abbr").all_inner_texts()
    assert headers[0] == "A" and all(h.startswith("A.") for h in headers[1:])
    with page.expect_download() as download:
        page.click("text=Excel workbook")
    saved = tmp_path / "compare.xlsx"
    download.value.save_as(saved)
    sheet = openpyxl.load_workbook(saved)["Comparison"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2].startswith("A ") and rows[1][:4] == (
        "Testshire County Council", "county council", 1, 1)  # A and A.1 by commitment a-1
    with page.expect_download() as download:
        page.click("text=CSV")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert text.splitlines()[1].startswith("Testshire County Council,county council,1,1")
    page.locator("#comparison tbody td.cell a").first.click()  # the quotes behind a cell
    page.wait_for_url("**/id/framework/cipfa-solace-2016/A#council-testshire-county-council")
    row = page.locator("#council-testshire-county-council")
    row.locator("details summary").click()  # the quote, one click away
    assert "Integrity is supported by our Whistleblowing Policy." in row.inner_text()
    no_problems(page)


def test_follow_up_in_the_browser(page: Page, officers: Server) -> None:
    html_page(page, officers.url + "/id/council/testshire-county-council")
    page.click("text=Follow-up list")
    page.wait_for_url("**/councils/testshire-county-council/follow-up")
    first = page.locator("#follow-up tbody tr").first
    assert "Refresh the corporate risk register" in first.inner_text()
    assert "Overdue" in first.inner_text()
    no_problems(page)


def test_council_page_pictures_and_validation_link(page: Page, officers: Server) -> None:
    html_page(page, officers.url + "/id/council/testshire-county-council")
    labels = [t.strip() for t in page.locator("#accountability svg text").evaluate_all(
        "nodes => nodes.map(n => n.lastChild.textContent)")]
    assert "Chief Executive" in labels and "A.1 Behaving with integrity" in labels
    assert page.locator("#accountability svg circle").count() == len(labels) - 2  # + headings
    page.click("text=Validation report")
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/councils/testshire-county-council/validation")
    no_problems(page)


def test_api_docs_work_offline(page: Page, officers: Server) -> None:
    outside: list[str] = []
    page.on("request", lambda request: not request.url.startswith(officers.url)
            and not request.url.startswith("data:") and outside.append(request.url))
    html_page(page, officers.url + "/api-docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
    assert "govkg" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
    # the site's header and search box above it, as on every page; its skip link to it
    assert page.locator("header.site form[role=search]").count() == 1
    assert page.locator("main#main-content #swagger-ui").count() == 1
    assert outside == []
    no_problems(page)


@pytest.fixture(scope="module")
def static_site(tmp_path_factory: pytest.TempPathFactory, store: EmbeddedStore,
                docs_cache: Path) -> Path:
    out = tmp_path_factory.mktemp("static-site")
    write_site(out, Settings(query_workers=2, docs_cache=docs_cache), store=store)
    return out


def test_static_site_works_from_disk(page: Page, static_site: Path) -> None:
    page.goto((static_site / "index.html").as_uri())
    page.click("text=Testshire County Council")
    page.wait_for_load_state()
    assert page.url.endswith("/id/council/testshire-county-council.html")
    assert page.locator("h1").inner_text() == "Testshire County Council"
    page.click("text=Chief Executive >> nth=0")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Chief Executive"  # a page, not a folder
    # the page's <base> leads to the site's root; its own anchors stay on it
    post = (static_site / "id/council/testshire-county-council/post/chief-executive.html")
    assert page.evaluate("document.querySelector('a.skip-link').href") == (
        post.as_uri() + "#main-content")
    assert page.evaluate("document.querySelector('link[rel=stylesheet]').href") == (
        (static_site / "static/style.css").as_uri())
    no_problems(page)


def test_static_site_search_from_the_prebuilt_index(page: Page, static_site: Path) -> None:
    page.goto((static_site / "id/council/testshire-county-council.html").as_uri())
    page.fill("#site-search-q", "whistleblowing")
    page.keyboard.press("Enter")
    page.wait_for_selector("#search-results li.hit")
    hits = page.locator("#search-results li.hit")
    assert hits.count() == 2
    assert hits.first.locator("h2").inner_text() == "Whistleblowing Policy"
    assert hits.first.locator("mark").first.inner_text() == "Whistleblowing"
    hits.first.locator("a").click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Whistleblowing Policy"
    no_problems(page)


def test_static_site_search_filters(page: Page, static_site: Path) -> None:
    """The search form's filters, chosen in the page, narrow the prebuilt index's hits
    as the server's would (the same filter values)."""
    page.goto((static_site / "search.html").as_uri() + "?q=integrity")
    page.wait_for_selector("#search-results li.hit")
    everything = page.locator("#search-results li.hit").count()
    page.select_option("#search-council", "testshire-county-council")
    page.select_option("#search-principle", "cipfa-solace-2016/A")
    page.click("form.search-form button")
    page.wait_for_url("**principle=cipfa-solace-2016%2FA**")
    page.wait_for_selector("#search-results li.hit")
    narrowed = page.locator("#search-results li.hit").count()
    assert 0 < narrowed < everything  # the framework's own items are of no council
    kinds = page.locator("#search-results li.hit .kind").all_inner_texts()
    assert all(kind.endswith("TESTSHIRE COUNTY COUNCIL") or kind == "COUNCIL"
               for kind in kinds), kinds


#: the static site's own kinds of page, opened from disk (file://)
STATIC_PAGE_KINDS = {
    "static-home": "index.html",
    "static-council": "id/council/testshire-county-council.html",
    "static-search": "search.html?q=whistleblowing",
    "static-server-only": "server-only.html",
}


@pytest.mark.parametrize("kind", list(STATIC_PAGE_KINDS), ids=list(STATIC_PAGE_KINDS))
def test_every_static_page_kind_passes_axe(page: Page, static_site: Path, kind: str) -> None:
    path, _, query = STATIC_PAGE_KINDS[kind].partition("?")
    page.goto((static_site / path).as_uri() + (f"?{query}" if query else ""))
    if query:  # the search page lists what the prebuilt index finds
        page.wait_for_selector("#search-results li.hit")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{kind}.png"), full_page=True)
    no_problems(page)  # before axe, whose own reading of the CSS file:// refuses
    assert serious_violations(page) == []


def test_static_site_search_index_expands_to_the_servers_entries(
        page: Page, static_site: Path, store: EmbeddedStore) -> None:
    """search-index.js is written as tables; in the page it is every entry of the
    server's FTS5 index, as search.js reads them, with the council and principles as
    the search form's filter values (a slug, a principle's path)."""
    page.goto((static_site / "search.html").as_uri())
    entries = SearchIndex.beside(store).entries()
    for entry in entries:
        if entry["council"] is not None:
            entry["council"] = filter_key(str(entry["council"]))
        entry["principles"] = [filter_key(str(p)) for p in entry["principles"]]
    assert page.evaluate("window.GOVKG_SEARCH") == entries
    assert any(entry["principles"] for entry in entries)
    # the form's choices name the same values, so its filters find the entries
    options = page.locator("#search-principle option").evaluate_all(
        "options => options.map(o => o.value)")
    assert {p for entry in entries for p in entry["principles"]} <= set(options)
    councils = page.locator("#search-council option").evaluate_all(
        "options => options.map(o => o.value)")
    assert "testshire-county-council" in councils
