"""A ``govkg serve`` with the write token (and fetching allowed) for the upload tests, and
the steps every upload test takes: send a document, wait for its job.

The document is tests/data/formats/leicestershire-code.pdf (and its Word and HTML
versions, which are other documents with other checksums); what its statements are is
tests/data/expected/corrections.toml (see tests/data/README.md).
"""

from __future__ import annotations

import time
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from govkg.graph.store import EmbeddedStore
from tests.api.conftest import TOKEN, Server, serving
from tests.api.servers import officers_store

FORMATS = Path(__file__).parents[1] / "data" / "formats"
PDF = FORMATS / "leicestershire-code.pdf"
WORD = FORMATS / "leicestershire-code.docx"
HTML = FORMATS / "leicestershire-code.html"
EXPECTED = tomllib.loads((Path(__file__).parents[1] / "data" / "expected" /
                          "corrections.toml").read_text())
OPTIONS = {"council": "Leicestershire County Council", "kind": "local-code",
           "framework": "2016"}
BEARER = {"Authorization": f"Bearer {TOKEN}"}
JSON = {**BEARER, "Accept": "application/json"}
#: seconds an import of the PDF may take on a busy machine
WAIT = 180


def upload_server(tmp_path_factory: pytest.TempPathFactory,
                  docs_cache: Path) -> Iterator[tuple[Server, Path]]:
    """For a module's fixture: the server and its store folder."""
    folder = tmp_path_factory.mktemp("uploads") / "store"
    officers_store(folder).close()
    with serving(folder, {"GOVKG_DOCS_CACHE": str(docs_cache), "GOVKG_WRITE_TOKEN": TOKEN,
                          "GOVKG_ALLOW_NETWORK": "true",
                          "GOVKG_QUERY_TIMEOUT": "10"}) as server:
        yield server, folder


def send(client: httpx.Client, path: Path, **form: str) -> httpx.Response:
    with path.open("rb") as handle:
        return client.post("/upload", files={"file": (path.name, handle)},
                           data={**OPTIONS, **form}, headers=JSON)


def wait(client: httpx.Client, job: str) -> dict[str, Any]:
    """Poll the job's status until it is finished."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        status: dict[str, Any] = client.get(f"/upload/{job}/status", headers=BEARER).json()
        if status["finished"]:
            return status
        time.sleep(0.5)
    pytest.fail(f"upload {job} did not finish within {WAIT} s")


def stored(folder: Path) -> bytes:
    """The whole store, as N-Quads (read-only beside the server that holds it)."""
    with EmbeddedStore(folder, read_only=True) as store:
        return store.export("nq")


def corrected_in_store(client: httpx.Client) -> bool:
    """The store holds the document's graph with a person's correction of a span in it."""
    graph = EXPECTED["document"].replace("/id/", "/graph/")
    ask = ("PREFIX govkg: <https://w3id.org/govkg/def/> "
           "PREFIX prov: <http://www.w3.org/ns/prov#> "
           f"ASK {{ GRAPH <{graph}> {{ ?c a govkg:Correction ; prov:wasAssociatedWith ?who ; "
           "prov:used ?span } }")
    answer = client.get("/sparql", params={"query": ask},
                        headers={"Accept": "application/sparql-results+json"})
    return bool(answer.json()["boolean"])
