"""Fixtures that start real SPARQL servers on 127.0.0.1, once per test session.

The shared store suite runs against the embedded store, ``oxigraph serve`` (from the
``oxigraph`` package on PyPI) and Virtuoso Open Source (Debian's
``virtuoso-opensource``). Both servers are installed by ``tests/setup.sh``; a missing one
fails the tests rather than skipping them, so CI cannot go green without them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from govkg.graph.store import EmbeddedStore, Store
from govkg.graph.store.remote import open_remote

BACKENDS = ["embedded", "oxigraph", "virtuoso"]
START_TIMEOUT = 180.0  # seconds a server may take to answer its first query (busy CI)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """A server process started for the tests, and how to reach it."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path
    user: str | None = None
    password: str | None = None

    def wait_until_ready(self, probe: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"server exited with {self.process.returncode}; its log:\n"
                            f"{self.log.read_text(errors='replace')[-3000:]}")
            try:
                response = httpx.get(probe, params={"query": "ASK {}"}, timeout=2.0,
                                     headers={"Accept": "application/sparql-results+json"})
                if response.status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        pytest.fail(f"server at {self.url} did not answer within {START_TIMEOUT:g} s; log:\n"
                    f"{self.log.read_text(errors='replace')[-3000:]}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _command(name: str) -> str:
    """A server's executable: beside this Python (pip's scripts) or on PATH."""
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is not installed: run tests/setup.sh (as root) first")
    return found


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``oxigraph serve`` with the union default graph that govkg's queries expect."""
    folder = tmp_path_factory.mktemp("oxigraph-server")
    port = free_port()
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [_command("oxigraph"), "serve", "--location", str(folder / "data"),
             "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
            stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}/", process, log)
    server.wait_until_ready(f"http://127.0.0.1:{port}/query")
    yield server
    server.stop()


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
MaxClientConnections = 10
CheckpointInterval = 60
CaseMode = 2
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10
Charset = UTF-8

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
"""


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """Virtuoso with a fresh database; updates go to its Digest-protected endpoints
    as ``dba`` (a new database's administrator password is ``dba``)."""
    executable = _command("virtuoso-t")
    folder = tmp_path_factory.mktemp("virtuoso")
    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([executable, "+foreground", "+configfile", str(ini)],
                                   stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    server = Server(f"http://127.0.0.1:{http_port}/", process, log, "dba", "dba")
    server.wait_until_ready(f"http://127.0.0.1:{http_port}/sparql")
    yield server
    server.stop()


def clear(store: Store) -> None:
    """Drop every govkg-visible graph, so each test starts from an empty store."""
    for info in store.graphs():
        store.drop_graph(info.iri)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An empty store of each backend in turn; servers are shared across the session."""
    backend = request.param
    opened: Store
    if backend == "embedded":
        opened = EmbeddedStore(tmp_path / "store")
    else:
        server: Server = request.getfixturevalue(f"{backend}_server")
        opened = open_remote(server.url, user=server.user, password=server.password)
        clear(opened)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def small_requests(store: Store) -> Iterator[Store]:
    """The same store, made to take its large-load path (staging graphs) on small data."""
    attribute = "bulk_threshold" if isinstance(store, EmbeddedStore) else "max_request_triples"
    saved = getattr(store, attribute)
    setattr(store, attribute, 7)
    try:
        yield store
    finally:
        setattr(store, attribute, saved)


@pytest.fixture(autouse=True)
def _no_store_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never touch the user's real store, whatever GOVKG_* says."""
    for name in list(os.environ):
        if name.startswith(("GOVKG_STORE", "GOVKG_CORRECTIONS_DIR")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
