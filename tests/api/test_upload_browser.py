"""Upload, review, correct, accept and discard in a real browser (Debian's chromium via
playwright, as tests/api/test_browser.py): with the mouse, with the keyboard alone, and
every new page kind checked with axe-core (WCAG 2.2 AA: no serious or critical
violation) and saved as a screenshot in tests/api/screenshots/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Route

from tests.api.conftest import TOKEN, Server
from tests.api.test_browser import SCREENSHOTS, browser, no_problems, page, serious_violations
from tests.api.uploading import EXPECTED, FORMATS, PDF, WAIT, WORD, stored, upload_server

__all__ = ["browser", "page"]  # the browser fixtures, shared with test_browser.py
pytestmark = pytest.mark.xdist_group("upload-browser")
DESIGNATE = EXPECTED["designate"]
#: the statement line 36 of the PDF designates its chief finance officer by
DESIGNATION = DESIGNATE["quote"]


@pytest.fixture(scope="module")
def uploader(tmp_path_factory: pytest.TempPathFactory,
             docs_cache: Path) -> Iterator[tuple[Server, Path]]:
    yield from upload_server(tmp_path_factory, docs_cache)


def check(page: Page, kind: str) -> None:
    """A screenshot of the page, and no serious or critical axe violation on it."""
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{kind}.png"), full_page=True, timeout=120_000)
    assert serious_violations(page) == []


def fill_upload(page: Page, url: str, document: Path) -> None:
    page.goto(f"{url}/upload")
    page.set_input_files("#upload-file", str(document))
    page.fill("#upload-council", "Leicestershire County Council")
    page.select_option("#upload-kind", "local-code")
    page.select_option("#upload-framework", "2016")
    page.fill("#upload-token", TOKEN)


def designating(page: Page, role: str, *, corrected: bool = False) -> Locator:
    """The first statement quoting the designation's line whose designations name
    ``role`` (the line's whole sentence and the designation in it may each be one), or
    the one of them that was corrected."""
    found = page.locator("li.statement", has=page.locator(
        "blockquote.quote p", has_text=DESIGNATION)).filter(
        has=page.locator("p.designations", has_text=f"as {role}"))
    if corrected:
        found = found.filter(has=page.locator("p.corrected"))
        assert found.count() == 1, found.all_inner_texts()
    assert found.count() >= 1
    return found.first


def test_upload_review_correct_and_accept(page: Page, uploader: tuple[Server, Path]) -> None:
    url = uploader[0].url
    page.goto(f"{url}/upload")
    check(page, "upload")
    fill_upload(page, url, PDF)
    page.click("form.upload-form button")
    page.wait_for_url("**/review", timeout=WAIT * 1000)
    assert page.locator("h1").inner_text() == f"What govkg read from {PDF.name}"
    check(page, "upload-review")
    # a designation links to no framework item: it is listed, folded, after the principles
    page.click("details.unlinked > summary")
    statement = designating(page, "Chief Finance Officer")
    assert "Director of Corporate Resources as Chief Finance Officer" in statement.locator(
        "p.designations").inner_text()
    statement.locator("a.correct-link").click()
    page.wait_for_url("**/statements/*")
    check(page, "upload-correct")
    page.check("#action-designate")
    page.fill("#correct-post", "Director of Finance")
    page.select_option("#correct-role", "chief-finance-officer")
    page.fill("#correct-officer", "A. Officer")
    page.click("form.correction button")
    page.wait_for_url("**/review#s-*")
    # the browser unfolds the list to show the statement the review returned to
    assert page.locator("details.unlinked").evaluate("details => details.open")
    statement = designating(page, "Chief Finance Officer", corrected=True)
    assert "Director of Finance as Chief Finance Officer" in statement.locator(
        "p.designations").inner_text()
    assert statement.locator("p.corrected").inner_text() == "Corrected: designate, by A. Officer"
    page.click("#accept")
    page.wait_for_url("**/id/council/leicestershire-county-council")
    officers = page.locator("#statutory-officers").inner_text()
    assert "Director of Finance" in officers
    no_problems(page)


def test_the_progress_page(page: Page, uploader: tuple[Server, Path]) -> None:
    """The page an upload shows while it is read: its answers to the page's polling are
    held back until axe has checked it, so it stays on screen however quick the import."""
    held: list[Route] = []
    page.route("**/status", lambda route: held.append(route))
    fill_upload(page, uploader[0].url, PDF)
    page.click("form.upload-form button")
    page.wait_for_url("**/upload/*")
    assert page.locator("h1").inner_text() == f"Reading {PDF.name}"
    assert page.locator("a", has_text="Check progress").count() == 1  # without JavaScript
    for _ in range(100):  # the page asks for its status a second after it opens
        if held:
            break
        page.wait_for_timeout(100)  # lets playwright hand the route over
    assert held, "the page never asked for its status"
    check(page, "upload-progress")
    page.unroute("**/status")  # which lets the held request through
    page.wait_for_url("**/review", timeout=WAIT * 1000)  # the polling takes it on
    page.click("#discard")
    page.wait_for_url("**/upload?discarded=*")
    no_problems(page)


def test_discard_leaves_the_store_unchanged(page: Page, uploader: tuple[Server, Path]) -> None:
    server, folder = uploader
    url = server.url
    before = stored(folder)
    fill_upload(page, url, WORD)
    page.click("form.upload-form button")
    page.wait_for_url("**/review", timeout=WAIT * 1000)
    page.click("#discard")
    page.wait_for_url("**/upload?discarded=*")
    assert page.locator("p.notice[role=status]").inner_text() == (
        f"Discarded {WORD.name}: nothing was stored.")
    assert stored(folder) == before
    no_problems(page)


def test_a_failed_import_says_why(page: Page, uploader: tuple[Server, Path]) -> None:
    fill_upload(page, uploader[0].url, FORMATS / "corrupt.pdf")
    page.click("form.upload-form button")
    page.locator("#error-summary").wait_for(timeout=WAIT * 1000)
    assert page.locator("#error-summary h2").inner_text() == "The document could not be read"
    check(page, "upload-failed")
    no_problems(page)


def tab_to(page: Page, test: str, most: int = 60, key: str = "Tab") -> None:
    """Press Tab (or ``key``: Shift+Tab goes back) until the focused element passes
    ``test`` (a JavaScript expression on ``el``), as a keyboard user moves through the
    page."""
    for _ in range(most):
        page.keyboard.press(key)
        if page.evaluate(f"(el => Boolean({test}))(document.activeElement)"):
            return
    pytest.fail(f"{most} presses of Tab never reached {test}")


def test_keyboard_alone(page: Page, uploader: tuple[Server, Path]) -> None:
    url = uploader[0].url
    page.goto(f"{url}/upload")
    tab_to(page, "el.id === 'upload-file'")
    # choosing the file is the operating system's dialog; the rest is the keyboard's
    page.set_input_files("#upload-file", str(PDF))
    tab_to(page, "el.id === 'upload-council'", 3)
    page.keyboard.type("Leicestershire County Council")
    page.keyboard.press("Tab")
    page.keyboard.type("Local code")  # typing picks the option in a closed select
    page.keyboard.press("Tab")
    page.keyboard.type("CIPFA/SOLACE 2016")
    page.keyboard.press("Tab")
    page.keyboard.type(TOKEN)
    assert page.evaluate("document.activeElement.id") == "upload-token"
    assert (page.input_value("#upload-kind"), page.input_value("#upload-framework")) == (
        "local-code", "2016")
    page.keyboard.press("Enter")
    page.wait_for_url("**/review", timeout=WAIT * 1000)
    tab_to(page, "el.classList.contains('correct-link')")
    first = page.evaluate("document.activeElement.closest('li.statement').id")
    page.keyboard.press("Enter")
    page.wait_for_url("**/statements/*")
    tab_to(page, "el.id === 'action-reject'")
    page.keyboard.press("ArrowDown")  # the next radio of the group: relink
    assert page.is_checked("#action-relink")
    page.keyboard.press("Tab")
    page.keyboard.type("A.1")
    tab_to(page, "el.id === 'correct-officer'", 4)
    page.keyboard.type("A. Officer")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/review#{first}")
    corrected = page.locator(f"#{first} p.corrected").inner_text()
    assert corrected == "Corrected: relink, by A. Officer"
    assert page.locator(f"#{first} table.links td").all_inner_texts()[:3] == [
        "A.1", "by a person", "100"]
    # back from the statement the review returned to, up to the decision buttons
    tab_to(page, "el.id === 'discard'", key="Shift+Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/upload?discarded=*")
    no_problems(page)
