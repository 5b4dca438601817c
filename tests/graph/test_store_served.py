"""The command line on a store that ``govkg serve`` holds: reading commands open it
read-only and answer; writing commands stop with exit 2 and a message saying why.

A real ``govkg serve`` subprocess holds the store (RocksDB's lock), and every command
runs as a user runs it, in its own process.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Literal, URIRef

from govkg.graph.errors import StoreInUse
from govkg.graph.store import EmbeddedStore
from govkg.graph.store.embedded import JOURNAL
from tests.api.conftest import COUNCIL, built_store, free_port

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("served-store")]


def govkg(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                          text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A built store folder, held by a running ``govkg serve``; its N-Quads export from
    before it was served is beside it, in ``before.nq``."""
    folder = tmp_path_factory.mktemp("served-cli") / "store"
    with built_store(folder) as store:
        (folder.parent / "before.nq").write_bytes(store.export("nq"))
    port = free_port()
    env = {**os.environ, "GOVKG_QUERY_WORKERS": "1"}
    env.pop("GOVKG_WRITE_TOKEN", None)
    process = subprocess.Popen([sys.executable, "-m", "govkg.graph", "serve", "--store",
                                str(folder), "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, "govkg serve exited"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK {}"},
                             timeout=2).is_success:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "govkg serve did not answer within 60 s"
            time.sleep(0.2)
        yield folder
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def digest(folder: Path) -> str:
    done = govkg("export", "--store", str(folder), "--format", "nq")
    assert done.returncode == 0, done.stderr
    return hashlib.sha256("".join(sorted(done.stdout.splitlines(True))).encode()).hexdigest()


def test_reading_commands_answer_while_served(served: Path) -> None:
    exported = govkg("export", "--store", str(served), "--format", "nq")
    assert exported.returncode == 0, exported.stderr
    before = (served.parent / "before.nq").read_text(encoding="utf-8")
    assert sorted(exported.stdout.splitlines()) == sorted(before.splitlines())
    assert "testshire" in before

    stats = govkg("stats", "--store", str(served))
    assert stats.returncode == 0, stats.stderr
    assert "document-testshire-code" in stats.stdout

    query = govkg("query", "--store", str(served), "--format", "json", "--sparql",
                  f"SELECT ?label WHERE {{ <{COUNCIL}> <http://www.w3.org/2004/02/skos/core#"
                  "prefLabel> ?label }")
    assert query.returncode == 0, query.stderr
    labels = {b["label"]["value"] for b in json.loads(query.stdout)["results"]["bindings"]}
    assert labels == {"Testshire County Council"}

    validated = govkg("validate", "--store", str(served), "--format", "json")
    assert validated.returncode in (0, 1), validated.stderr  # 1: the fixture has findings
    assert COUNCIL in validated.stdout

    analysed = govkg("analyze", "--store", str(served), "--format", "json")
    assert analysed.returncode == 0, analysed.stderr
    assert "testshire" in analysed.stdout


def test_writing_commands_are_refused_with_exit_2(served: Path, tmp_path: Path) -> None:
    before = digest(served)
    extra = tmp_path / "extra.ttl"
    extra.write_text('<http://example.org/a> <http://example.org/p> "x" .\n', encoding="utf-8")
    built = govkg("build", "--store", str(served), str(extra))
    assert built.returncode == 2, built.stderr
    assert "in use by another process" in built.stderr and "govkg serve" in built.stderr
    assert "Traceback" not in built.stderr
    assert digest(served) == before


def test_read_only_store_hides_a_load_in_progress_and_refuses_writes(tmp_path: Path) -> None:
    """What a read-only reader sees while the writer's bulk load runs: only the graphs the
    journal lists as there before; and it cannot write."""
    folder = tmp_path / "store"
    old, new = "http://example.org/graph/old", "http://example.org/graph/new"
    triple = (URIRef("http://example.org/a"), URIRef("http://example.org/p"), Literal("x"))
    with EmbeddedStore(folder) as writer:
        writer.replace_graph(old, [triple])
        (folder / JOURNAL).write_text(json.dumps({"id": "x", "before": [old]}), encoding="utf-8")
        writer.replace_graph(new, [triple])  # as the bulk loader writes a new graph
        with EmbeddedStore(folder, read_only=True) as reader:
            assert [info.iri for info in reader.graphs()] == [old]
            assert reader.query(f"ASK {{ GRAPH <{new}> {{ ?s ?p ?o }} }}") is False
            with pytest.raises(StoreInUse, match="read-only"):
                reader.replace_graph(old, [])
            with pytest.raises(StoreInUse):
                reader.drop_graph(old)
        (folder / JOURNAL).unlink()
        with EmbeddedStore(folder, read_only=True) as reader:
            assert [info.iri for info in reader.graphs()] == [new, old]
        assert writer.triple_count(old) == 1
