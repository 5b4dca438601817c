"""Reading a document from a web address: a real HTTP server on 127.0.0.1, a real client.

The server, started by the tests, answers with the fixtures, a 404, a redirect loop, a
picture, a page of 50 MB streamed without a length, and an answer that never comes.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from govkg.graph.documents import Limits, read_document
from govkg.graph.errors import InputError

from .conftest import FORMATS, view

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

ROUTES = {
    "/code.pdf": ("lancashire-code.pdf", "application/pdf"),
    "/download?id=7": ("lancashire-code.pdf", "application/octet-stream"),
    "/code.docx": ("lancashire-code.docx",
                   "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "/page": ("lancashire-code.html", "text/html; charset=utf-8"),
    "/local-code": ("leicestershire-code.html", "text/html"),
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args: object) -> None:  # keep the test output quiet
        pass

    def send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (the name http.server calls)
        if self.path in ROUTES:
            name, content_type = ROUTES[self.path]
            self.send(200, (FORMATS / name).read_bytes(), content_type)
        elif self.path in ("/moved", "/governance/code"):
            self.send_response(301)
            self.send_header("Location", "/page" if self.path == "/moved" else "/local-code")
            self.end_headers()
        elif self.path.startswith("/loop"):
            self.send_response(302)
            self.send_header("Location", f"/loop{len(self.path)}")
            self.end_headers()
        elif self.path == "/logo.png":
            self.send(200, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image/png")
        elif self.path == "/huge":  # 50 MB of HTML, streamed without a length
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<!DOCTYPE html><html><body>")
            try:
                for _ in range(50 * 1024):
                    self.wfile.write(b"<p>" + b"x" * 1017 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading at its limit
        elif self.path == "/slow":
            time.sleep(3)
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.send(200, b"late", "text/plain")  # the client gave up before this
        else:
            self.send(404, b"<h1>Not found</h1>", "text/html")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def same_as_file(url: str, name: str) -> None:
    doc = read_document(url)
    doc.check()
    assert view(doc) == view(read_document(FORMATS / name))
    assert doc.source == url


@pytest.mark.parametrize("path", ["/code.pdf", "/download?id=7", "/code.docx", "/page"])
def test_fetched_documents_read_as_the_files(server: str, path: str) -> None:
    same_as_file(server + path, ROUTES[path][0])


def test_final_address_after_redirects_is_recorded(server: str) -> None:
    doc = read_document(server + "/moved")
    assert doc.address == server + "/page" and doc.source == server + "/moved"
    assert doc.media_type == "text/html"


def refused(url: str, limits: Limits = Limits(timeout=10.0)) -> InputError:  # noqa: B008
    with pytest.raises(InputError) as caught:
        read_document(url, limits=limits)
    assert "http://127.0.0.1:" in str(caught.value)  # names the address
    return caught.value


def test_404(server: str) -> None:
    assert "404 Not Found" in refused(server + "/no-such-code.pdf").message


def test_redirect_loop(server: str) -> None:
    assert "redirects more than 5 times" in refused(server + "/loop").message


def test_wrong_content_type(server: str) -> None:
    assert "image/png" in refused(server + "/logo.png").message


def test_50_mb_page(server: str) -> None:
    error = refused(server + "/huge")
    assert "too large" in error.message and "10,485,760" in error.message


def test_time_limit(server: str) -> None:
    assert "no answer within 1 s" in refused(server + "/slow", Limits(timeout=1.0)).message


def test_nothing_listening() -> None:
    from tests.graph.conftest import free_port
    assert "cannot be fetched" in refused(f"http://127.0.0.1:{free_port()}/code.pdf").message


def test_import_records_the_final_address(server: str, tmp_path: Path) -> None:
    """``govkg import URL``: the document resource names the address it came from."""
    from rdflib import Dataset, URIRef
    from rdflib.namespace import DCTERMS
    from typer.testing import CliRunner

    from .test_importing import cli_app

    out = tmp_path / "imported.trig"
    result = CliRunner().invoke(cli_app(), ["import", server + "/governance/code", "-o",
                                            str(out)])
    assert result.exit_code == 0, result.stdout
    assert server + "/governance/code" in result.stdout
    dataset = Dataset().parse(out, format="trig")
    sources = {o for _, _, o, _ in dataset.quads((None, DCTERMS.source, None, None))}
    assert sources == {URIRef(server + "/local-code")}


def test_import_of_a_bad_address_exits_2(server: str) -> None:
    from typer.testing import CliRunner

    from .test_importing import cli_app

    result = CliRunner().invoke(cli_app(), ["import", server + "/loop"])
    assert result.exit_code == 2 and "redirects more than" in result.stdout + result.stderr
