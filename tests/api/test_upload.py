"""The upload, review and correction routes over real HTTP: ``govkg serve`` in its own
process with the write token, httpx as the client, real council documents (see
tests/api/uploading.py), the store read back from its folder."""

from __future__ import annotations

import hashlib
import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import httpx
import pytest
from lxml import html

from tests.api.conftest import TOKEN, Server
from tests.api.uploading import (
    BEARER,
    EXPECTED,
    FORMATS,
    HTML,
    JSON,
    OPTIONS,
    PDF,
    WORD,
    corrected_in_store,
    send,
    stored,
    upload_server,
    wait,
)

pytestmark = pytest.mark.xdist_group("uploads")
RELINK = EXPECTED["relink"]


def statements(node: html.HtmlElement) -> list[html.HtmlElement]:
    return list(node.xpath(".//li[contains(concat(' ', @class, ' '), ' statement ')]"))


def quote(statement: html.HtmlElement) -> str:
    return str(statement.xpath(".//blockquote[@class='quote']/p")[0].text_content())


@pytest.fixture(scope="module")
def uploader(tmp_path_factory: pytest.TempPathFactory,
             docs_cache: Path) -> Iterator[tuple[Server, Path]]:
    yield from upload_server(tmp_path_factory, docs_cache)


@pytest.fixture
def client(uploader: tuple[Server, Path]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=uploader[0].url, timeout=60) as opened:
        yield opened


@pytest.fixture(scope="module")
def pdf_job(uploader: tuple[Server, Path]) -> str:
    """The PDF, uploaded once for the tests that only read its review."""
    with httpx.Client(base_url=uploader[0].url, timeout=60) as client:
        answer = send(client, PDF)
        assert answer.status_code == 202, answer.text
        return str(answer.json()["id"])


def test_uploading_needs_the_write_token(client: httpx.Client, uploader: tuple[Server, Path],
                                         server: Server) -> None:
    before = stored(uploader[1])
    with PDF.open("rb") as handle:
        plain = client.post("/upload", files={"file": (PDF.name, handle)}, data=OPTIONS,
                            headers={"Accept": "application/json"})
    assert plain.status_code == 401 and "write token" in plain.json()["detail"]
    with PDF.open("rb") as handle:  # a browser with the wrong token sees the form again
        wrong = client.post("/upload", files={"file": (PDF.name, handle)},
                            data={**OPTIONS, "token": "not-it"})
    assert wrong.status_code == 401
    assert "write token" in html.fromstring(wrong.text).get_element_by_id(
        "error-summary").text_content()
    assert "set-cookie" not in wrong.headers
    assert client.get("/upload/no-such-job/status").status_code == 401
    read_only = httpx.post(f"{server.url}/upload", data=OPTIONS,
                           headers={"Accept": "application/json", **BEARER})
    assert read_only.status_code == 403
    assert stored(uploader[1]) == before


@pytest.mark.parametrize(("form", "says"), [
    ({"kind": "minutes"}, "kind: 'minutes'"),
    ({"framework": "2020"}, "framework: 2007 or 2016"),
    ({"url": "http://127.0.0.1:9/x.pdf"}, "a file or a web address (one of them)"),
], ids=["unknown-kind", "unknown-edition", "file-and-address"])
def test_a_bad_upload_is_refused_saying_why(client: httpx.Client, form: dict[str, str],
                                            says: str) -> None:
    answer = send(client, PDF, **form)
    assert answer.status_code == 400
    assert says in answer.json()["detail"]


def test_a_pdf_is_read_in_the_background_then_reviewed(client: httpx.Client,
                                                       pdf_job: str) -> None:
    status = wait(client, pdf_job)
    assert status["state"] == "ready", status
    assert [s["state"] for s in status["steps"]] == [
        "queued", "reading", "importing", "correcting", "ready"]
    assert client.get(f"/upload/{pdf_job}", headers=BEARER).headers["location"] == (
        f"/upload/{pdf_job}/review")
    page = html.fromstring(client.get(f"/upload/{pdf_job}/review", headers=BEARER).text)
    listed = statements(page)
    assert len(listed) == status["statements"] > 0
    sections = page.xpath("//section")
    # principle by principle, A to G, then what links to none
    assert [s.get("id") for s in sections] == [f"p-{p}" for p in "ABCDEFG"] + ["p-none"]
    for section in sections:  # low-confidence statements first within each principle
        low = ["low" in li.get("class").split() for li in statements(section)]
        assert low == sorted(low, reverse=True)
    f_quotes = [quote(li) for li in statements(page.get_element_by_id("p-F"))]
    assert RELINK["quote"] in f_quotes
    relinked = next(li for li in statements(page.get_element_by_id("p-F"))
                    if quote(li) == RELINK["quote"])
    assert sorted(a.text_content() for a in relinked.xpath(".//table//abbr")) == \
        RELINK["before"]


def test_a_correction_is_applied_kept_and_applied_again(client: httpx.Client,
                                                        uploader: tuple[Server, Path]) -> None:
    job = send(client, PDF).json()["id"]
    assert wait(client, job)["state"] == "ready"
    form = {"action": "relink", "quote": RELINK["quote"], "to": "F.1", "officer": "A. Officer"}
    bad = client.post(f"/upload/{job}/corrections", data={**form, "to": "Z.9"}, headers=JSON)
    assert bad.status_code == 400 and "no item 'Z.9'" in bad.json()["detail"]
    done = client.post(f"/upload/{job}/corrections", data=form, headers=JSON)
    assert done.status_code == 200, done.text
    page = html.fromstring(client.get(f"/upload/{job}/review", headers=BEARER).text)
    relinked = next(li for li in statements(page)
                    if quote(li) == RELINK["quote"])
    assert [td.text_content() for td in relinked.xpath(".//table//td")] == [
        "F.1", "by a person", "100"]
    assert "relink, by A. Officer" in relinked.xpath(".//p[@class='corrected']")[0].text_content()
    accepted = client.post(f"/upload/{job}/accept", headers=BEARER)
    assert accepted.status_code == 303
    assert accepted.headers["location"] == "/id/council/leicestershire-county-council"
    # the store holds the corrected graph, and the corrections file is kept beside it
    assert corrected_in_store(client)
    # the original is kept as `govkg import` keeps it, and served byte for byte
    sha256 = hashlib.sha256(PDF.read_bytes()).hexdigest()
    original = client.get(f"/originals/{sha256}.pdf")
    assert original.status_code == 200 and original.content == PDF.read_bytes()
    kept = uploader[1] / "corrections" / "44676a6766e52695.yaml"
    assert "action: relink" in kept.read_text()
    # uploading the document again applies the kept correction without being asked
    again = send(client, PDF).json()["id"]
    assert wait(client, again)["state"] == "ready"
    page = html.fromstring(client.get(f"/upload/{again}/review", headers=BEARER).text)
    corrected = [li for li in statements(page) if li.xpath(".//p[@class='corrected']")]
    assert [quote(li) for li in corrected] == [
        RELINK["quote"]]
    assert client.post(f"/upload/{again}/discard", headers=JSON).json()["state"] == "discarded"


def test_discard_leaves_the_store_as_it_was(client: httpx.Client,
                                            uploader: tuple[Server, Path]) -> None:
    folder = uploader[1]
    before = stored(folder)
    kept_before = sorted((folder / "corrections").glob("*")) if (
        folder / "corrections").exists() else []
    job = send(client, WORD).json()["id"]
    assert wait(client, job)["state"] == "ready"
    reject = {"action": "reject", "quote": "Managing Risks", "officer": "A. Officer"}
    assert client.post(f"/upload/{job}/corrections", data=reject, headers=JSON).is_success
    gone = client.post(f"/upload/{job}/discard", headers=BEARER)
    assert gone.status_code == 303 and gone.headers["location"].startswith("/upload?discarded=")
    assert stored(folder) == before
    kept_after = sorted((folder / "corrections").glob("*")) if (
        folder / "corrections").exists() else []
    assert kept_after == kept_before
    assert client.post(f"/upload/{job}/accept", headers=JSON).status_code == 400


@pytest.fixture
def web_server() -> Iterator[str]:
    """The formats folder over HTTP on 127.0.0.1, as a council's web site."""
    handler = partial(http.server.SimpleHTTPRequestHandler, directory=str(FORMATS))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_a_web_address_is_fetched_and_read(client: httpx.Client, web_server: str) -> None:
    answer = client.post("/upload", data={**OPTIONS, "url": f"{web_server}/{HTML.name}"},
                         headers=JSON)
    assert answer.status_code == 202, answer.text
    status = wait(client, answer.json()["id"])
    assert status["state"] == "ready" and status["statements"] > 0, status
    assert client.post(f"/upload/{status['id']}/discard", headers=JSON).is_success


def test_a_document_that_cannot_be_read_fails_with_its_reason(client: httpx.Client) -> None:
    job = send(client, FORMATS / "corrupt.pdf").json()["id"]
    status = wait(client, job)
    assert status["state"] == "failed" and status["message"]
    page = html.fromstring(client.get(f"/upload/{job}", headers=BEARER).text)
    assert status["message"] in page.xpath("//div[@id='error-summary']/p")[0].text_content()


def test_the_form_token_signs_the_browser_in(client: httpx.Client) -> None:
    with PDF.open("rb") as handle:
        answer = client.post("/upload", files={"file": (PDF.name, handle)},
                             data={**OPTIONS, "token": TOKEN})
    assert answer.status_code == 303
    cookie = answer.cookies.get("govkg-upload")
    assert cookie and TOKEN not in cookie
    job = answer.headers["location"].rsplit("/", 1)[-1]
    assert client.get(f"/upload/{job}/status").status_code == 200  # the cookie, no header
    assert wait(client, job)["state"] == "ready"
    assert client.post(f"/upload/{job}/discard", headers=JSON).is_success
