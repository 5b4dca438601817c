"""The councils' original files: kept beside the store by ``govkg import`` (named by their
SHA-256), served at ``/originals/<sha256>.<ext>`` by a real ``govkg serve`` to a real HTTP
client, linked from each quote (a PDF at the quote's page, a text file at its lines) in
headless Chromium, and copied into the static site.

Where each quote sits in its original was established by reading the files:
tests/data/expected/originals.toml (the PDF) and
tests/data/expected/extra/barnsley_annual-governance-statement.toml (the text file).
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
import pytest
from playwright.sync_api import Page

from govkg.api.site import write_site
from govkg.graph.build import plan, write
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
from govkg.graph.store.originals import Originals
from tests.api.conftest import Server, serving
from tests.api.servers import DOCUMENTS, STATEMENTS
from tests.api.test_browser import browser, no_problems, page  # noqa: F401 (fixtures)
from tests.conftest import REPO

DATA = REPO / "tests" / "data"
QUOTES: list[dict[str, Any]] = tomllib.loads(
    (DATA / "expected" / "originals.toml").read_text(encoding="utf-8"))["quote"]
PDF_QUOTE = QUOTES[0]
PDF = DATA / "formats" / PDF_QUOTE["fixture"]
STATEMENT = DOCUMENTS / "barnsley_annual-governance-statement.txt"
STATEMENT_FACTS = tomllib.loads((DATA / "expected" / "extra" /
                                 "barnsley_annual-governance-statement.toml").read_text(
                                     encoding="utf-8"))


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def govkg(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                          text=True, timeout=600, check=False)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with the ontology and reference data, into which ``govkg import`` (the
    real command) has read a PDF local code and a text governance statement."""
    folder = tmp_path_factory.mktemp("originals") / "store"
    with EmbeddedStore(folder) as store:
        write(store, plan([]))
    for args in ([str(PDF)],
                 [str(STATEMENT), "--council", STATEMENTS[STATEMENT.name],
                  "--kind", "annual-governance-statement"]):
        done = govkg("import", *args, "--store", str(folder))
        assert done.returncode == 0, done.stdout + done.stderr
    return folder


@pytest.fixture(scope="module")
def server(folder: Path, docs_cache: Path) -> Iterator[Server]:
    with serving(folder, {"GOVKG_DOCS_CACHE": str(docs_cache),
                          "GOVKG_QUERY_TIMEOUT": "10"}) as running:
        yield running


def test_import_keeps_each_original_by_its_checksum(folder: Path) -> None:
    kept = Originals(folder / "originals")
    assert kept.names() == sorted([f"{sha256(PDF)}.pdf", f"{sha256(STATEMENT)}.txt"])
    assert (kept.folder / f"{sha256(PDF)}.pdf").read_bytes() == PDF.read_bytes()


def test_a_refused_import_keeps_no_original(folder: Path) -> None:
    before = Originals(folder / "originals").names()
    done = govkg("import", str(DATA / "formats" / "corrupt.pdf"), "--store", str(folder))
    assert done.returncode == 2
    assert Originals(folder / "originals").names() == before


@pytest.mark.parametrize(("path", "content_type"), [
    (PDF, "application/pdf"), (STATEMENT, "text/plain; charset=utf-8")], ids=["pdf", "text"])
def test_server_sends_the_same_bytes(server: Server, path: Path, content_type: str) -> None:
    extension = "pdf" if content_type == "application/pdf" else "txt"
    response = httpx.get(f"{server.url}/originals/{sha256(path)}.{extension}", timeout=30)
    assert response.status_code == 200
    assert response.headers["content-type"] == content_type
    assert response.content == path.read_bytes()


@pytest.mark.parametrize("name", [
    "0" * 64 + ".pdf",  # a well-formed name nobody imported
    "..%2F..%2Foxigraph",  # out of the folder
    "notes.pdf", "0" * 64 + ".exe"], ids=["not-kept", "traversal", "not-a-checksum",
                                          "not-a-format"])
def test_other_names_are_not_found(server: Server, name: str) -> None:
    response = httpx.get(f"{server.url}/originals/{name}", timeout=30)
    assert response.status_code == 404


def test_pdf_quote_links_to_its_page(page: Page, server: Server) -> None:  # noqa: F811
    """The body's page quotes the PDF, and the quote's link opens the original at the
    page the name is printed on (read off the PDF)."""
    page.goto(f"{server.url}/{PDF_QUOTE['resource']}")
    quote = page.locator("#sources blockquote", has_text=PDF_QUOTE["name"])
    assert quote.count() == 1
    link = quote.locator("a.original")
    href = link.get_attribute("href")
    assert href == f"/originals/{sha256(PDF)}.pdf#page={PDF_QUOTE['page']}"
    assert link.inner_text() == f"page {PDF_QUOTE['page']} of the original"
    fetched = page.request.get(server.url + href.split("#")[0])
    assert fetched.headers["content-type"] == "application/pdf"
    assert fetched.body() == PDF.read_bytes()
    no_problems(page)


def test_text_quote_links_to_its_lines(page: Page, server: Server) -> None:  # noqa: F811
    """A statement read from a text file links to the original at the quote's lines
    (RFC 5147: ``#line=22,23`` is line 23); the issue's owner is read from line 23."""
    issue = STATEMENT_FACTS["ags"]["issues"][0]
    page.goto(f"{server.url}/councils/barnsley-metropolitan-borough-council/follow-up")
    page.locator("#follow-up a", has_text=issue["owner"]).first.click()
    page.wait_for_load_state()
    links = page.locator("#sources a.original")
    assert links.count() >= 1
    expected = f"/originals/{sha256(STATEMENT)}.txt#line={issue['line'] - 1},{issue['line']}"
    assert expected in [links.nth(i).get_attribute("href") for i in range(links.count())]
    no_problems(page)


def test_static_site_keeps_the_originals(page: Page, folder: Path,  # noqa: F811
                                         tmp_path: Path, docs_cache: Path) -> None:
    out = tmp_path / "site"
    with EmbeddedStore(folder, read_only=True) as store:  # the server holds it open
        write_site(out, Settings(query_workers=2, docs_cache=docs_cache), store=store)
    copied = out / "originals" / f"{sha256(PDF)}.pdf"
    assert copied.read_bytes() == PDF.read_bytes()
    page.goto((out / (PDF_QUOTE["resource"] + ".html")).as_uri())
    link = page.locator("#sources blockquote", has_text=PDF_QUOTE["name"]).locator(
        "a.original")
    # where the browser goes (the page's <base> leads to the site's root)
    target = str(link.evaluate("a => a.href"))
    assert target.endswith(f".pdf#page={PDF_QUOTE['page']}")
    resolved = Path(unquote(urlsplit(target).path))
    assert resolved.resolve() == copied.resolve()
