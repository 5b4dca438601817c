"""A ``govkg serve`` subprocess on a store built from given files, for the officers'
pages (tests/api/test_officers.py, test_browser.py): the shared ``server`` fixture holds
only testshire.trig, and these pages need the follow-up fixture too."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import DATA, FIXTURE, Server, free_port

FOLLOW_UP = DATA / "testshire-followup.trig"
OFFICER_FILES = (FIXTURE, FOLLOW_UP)


def officers_store(folder: Path, files: Sequence[Path] = OFFICER_FILES) -> EmbeddedStore:
    store = EmbeddedStore(folder)
    build(store, list(files))
    return store


@contextmanager
def serving(folder: Path, docs_cache: Path) -> Iterator[Server]:
    """``govkg serve`` on the store in ``folder`` until the block ends."""
    port = free_port()
    env = {**os.environ, "GOVKG_QUERY_WORKERS": "2", "GOVKG_DOCS_CACHE": str(docs_cache)}
    env.pop("GOVKG_WRITE_TOKEN", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "govkg.graph", "serve", "--store", str(folder),
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env=env)
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
        yield Server(url, process, "")
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def officers_server(tmp_path_factory: pytest.TempPathFactory,
                    docs_cache: Path) -> Iterator[Server]:
    """For a module's fixture: ``yield from officers_server(...)``."""
    folder = tmp_path_factory.mktemp("officers") / "store"
    officers_store(folder).close()
    with serving(folder, docs_cache) as server:
        yield server
