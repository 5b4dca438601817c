"""Fixtures for the web-service tests: real stores, real apps, a real server.

- ``store``: an embedded store built like ``govkg build`` from the ontology, the
  reference data and ``data/testshire.trig`` (a made-up council; see tests/data/README.md).
- ``client``: an httpx client on that store's app through ASGI (fast, in-process).
- ``server``: ``govkg serve`` in a subprocess on a free 127.0.0.1 port, on its own copy of
  the data, with a 4-second query time limit: the real HTTP stack for the protocol
  clients, schemathesis, the time-limit test and the browser.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.graph.build import build
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore

DATA = Path(__file__).parent / "data"
FIXTURE = DATA / "testshire.trig"
COUNCIL = "https://w3id.org/govkg/id/council/testshire-county-council"
TOKEN = "test-write-token"
SERVER_TIMEOUT = 4.0  # seconds: the server's query time limit


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def built_store(folder: Path) -> EmbeddedStore:
    """A new store holding what ``govkg build data/testshire.trig`` writes."""
    store = EmbeddedStore(folder)
    build(store, [FIXTURE])
    return store


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    with built_store(tmp_path_factory.mktemp("api") / "store") as opened:
        yield opened


@pytest.fixture(scope="session")
def docs_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("docs")


@pytest.fixture(scope="session")
def app(store: EmbeddedStore, docs_cache: Path) -> Iterator[FastAPI]:
    """The read-only app (no write token), as ``govkg serve`` builds it."""
    application = create_app(Settings(query_timeout=5, query_workers=3, docs_cache=docs_cache,
                                      cors_origins=["http://allowed.example"]), store=store)
    yield application
    application.state.stop()


@pytest.fixture(scope="session")
def client(app: FastAPI) -> Iterator[httpx.Client]:
    # Starlette's test client: real ASGI calls in-process (the app is already started)
    yield TestClient(app, base_url="http://testserver", follow_redirects=False)


@dataclass
class Server:
    url: str
    process: subprocess.Popen[str]
    banner: str


@contextmanager
def serving(folder: Path, env: dict[str, str], *, new_session: bool = False,
            port: int | None = None) -> Iterator[Server]:
    """``govkg serve`` on ``folder`` with ``GOVKG_*`` settings ``env``, until it answers;
    stopped (SIGTERM, then SIGKILL) afterwards. Its output is one pipe, read by the test
    that needs it (``Server.process``)."""
    port = port or free_port()
    environment = {**os.environ, "GOVKG_QUERY_TIMEOUT": str(SERVER_TIMEOUT),
                   "GOVKG_QUERY_WORKERS": "2"}
    environment.pop("GOVKG_WRITE_TOKEN", None)  # read-only unless ``env`` sets one
    environment.update(env)
    process = subprocess.Popen(
        [sys.executable, "-m", "govkg.graph", "serve", "--store", str(folder),
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=environment, start_new_session=new_session)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"govkg serve exited: {output}")
            try:
                if httpx.get(f"{url}/sparql", params={"query": "ASK {}"}, timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("govkg serve did not answer within 60 s")
            time.sleep(0.2)
        assert process.stdout is not None
        banner = process.stdout.readline()
        yield Server(url, process, banner)
    finally:
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def served_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder for servers (one process opens a store at a time)."""
    folder = tmp_path_factory.mktemp("served") / "store"
    built_store(folder).close()
    return folder


@pytest.fixture(scope="session")
def server(served_store: Path, docs_cache: Path) -> Iterator[Server]:
    """``govkg serve`` in a subprocess, on its own store (one process opens a store)."""
    with serving(served_store, {"GOVKG_DOCS_CACHE": str(docs_cache)}) as running:
        yield running
