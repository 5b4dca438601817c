"""The pages in a real browser: Debian's chromium, driven by playwright (which never
downloads a browser of its own here). A missing chromium fails the test, so CI cannot go
green without it: run tests/setup.sh."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, sync_playwright

from tests.api.conftest import Server

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
    context = browser.new_context()  # a new, empty profile
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
    # Councils with a document: the register holds every UK council, more than a page.
    page.evaluate("""() => window.govkgYasgui.getTab().getYasqe().setValue(
        'PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\\n' +
        'SELECT ?label WHERE { ?c a <https://w3id.org/govkg/def/Council> ; ' +
        'skos:prefLabel ?label . ?d <https://w3id.org/govkg/def/council> ?c }')""")
    page.click(".yasqe_queryButton")
    page.wait_for_selector(".yasr table", timeout=15_000)
    results = page.locator(".yasr").inner_text()
    assert "Testshire County Council" in results
    no_problems(page)
