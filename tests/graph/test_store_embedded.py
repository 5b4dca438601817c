"""What only the embedded store promises: a load killed with ``kill -9`` leaves the old
data and the store reopens cleanly; readers in the same process never see a half-done
bulk load; the folder is locked to one process; a new store builds itself on first use."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from govkg.graph.errors import StoreError
from govkg.graph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from govkg.graph.store import STAGING_PREFIX, EmbeddedStore, open_store
from govkg.graph.store.embedded import JOURNAL

EX = Namespace("http://example.org/")
OLD, NEW = EX["graph/old"], EX["graph/new"]


def numbered(tag: str, size: int) -> Graph:
    graph = Graph()
    for i in range(size):
        graph.add((EX[f"{tag}{i}"], EX.value, Literal(i)))
    return graph


# The child loads a large graph and is killed part-way. It says "loading" just before
# the load starts and "done" if it ever finishes, so the test knows the kill hit mid-load.
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from rdflib import Literal, URIRef
    from govkg.graph.store import EmbeddedStore

    path, graph, size, threshold = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    store = EmbeddedStore(Path(path), bulk_threshold=threshold)
    triples = [(URIRef(f"http://example.org/big{i}"), URIRef("http://example.org/value"),
                Literal(i)) for i in range(size)]
    print("loading", flush=True)
    store.replace_graph(graph, triples)
    print("done", flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("target,threshold", [
    (OLD, 1_000),      # bulk loader into a staging graph, then the swap
    (NEW, 1_000),      # bulk loader straight into a graph the journal marks as new
    (OLD, 10_000_000),  # one update (one RocksDB transaction)
], ids=["bulk-replace", "bulk-new-graph", "one-update"])
def test_a_load_killed_with_sigkill_leaves_the_old_data(
    tmp_path: Path, target: URIRef, threshold: int
) -> None:
    path = tmp_path / "store"
    old = numbered("old", 50)
    with EmbeddedStore(path) as store:
        store.replace_graph(OLD, old)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(path), str(target), "400000", str(threshold)],
        stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "loading"
    time.sleep(1.0)  # well into the load: 400,000 triples take several seconds here
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait(timeout=30)
    assert "done" not in rest, "the load finished before the kill; make it larger"

    with EmbeddedStore(path) as store:  # reopens cleanly, and holds exactly the old data
        assert [info.iri for info in store.graphs()] == [str(OLD)]
        assert isomorphic(
            store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{OLD}> {{ ?s ?p ?o }} }}"),
            old)
        leftovers = store.query("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert {str(g) for g in leftovers.column("g")} == {str(OLD)}  # type: ignore[union-attr]
    assert not (path / JOURNAL).exists()


def test_readers_never_see_a_half_done_bulk_load(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store", bulk_threshold=100)
    store.bulk_chunk = 1_000  # many bulk-loader calls, still one change for readers
    old, replacement, fresh = numbered("old", 500), numbered("new", 12_000), numbered("f", 6_000)
    store.replace_graph(OLD, old)
    seen: set[tuple[int, int]] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            result = store.query("SELECT (COUNT(*) AS ?n) (COUNT(DISTINCT ?g) AS ?graphs) "
                                 "WHERE { GRAPH ?g { ?s ?p ?o } }")
            row = result.rows[0]  # type: ignore[union-attr]
            seen.add((int(row["n"]), int(row["graphs"])))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        store.replace_graphs({OLD: replacement, NEW: fresh})
    finally:
        stop.set()
        reader.join(timeout=60)
        store.close()
    # before: the old graph alone; after: both graphs with their new content
    assert seen <= {(len(old), 1), (len(replacement) + len(fresh), 2)}, seen
    assert len(seen) >= 1


def test_one_process_at_a_time(tmp_path: Path) -> None:
    with EmbeddedStore(tmp_path / "store"), pytest.raises(StoreError, match="in use"):
        EmbeddedStore(tmp_path / "store")


def test_leftover_staging_graphs_and_uncommitted_journal_are_cleaned_on_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.replace_graph(OLD, numbered("old", 3))
    raw = ox.Store(str(path))  # what a killed load leaves behind, written by hand
    for graph in (STAGING_PREFIX + "123/0", str(NEW)):
        raw.add(ox.Quad(ox.NamedNode("http://example.org/x"), ox.NamedNode("http://example.org/p"),
                        ox.Literal("half"), ox.NamedNode(graph)))
    del raw
    (path / JOURNAL).write_text(json.dumps({"id": "123", "before": [str(OLD)]}))
    with EmbeddedStore(path) as store:
        assert [info.iri for info in store.graphs()] == [str(OLD)]
        everything = store.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        assert everything.column("g") == [OLD]  # type: ignore[union-attr]


def test_a_new_store_builds_itself_on_first_use(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOVKG_STORE", str(tmp_path / "fresh"))
    with open_store() as store:
        assert store.location == str(tmp_path / "fresh")
        names = {info.iri for info in store.graphs()}
        assert {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)} <= names
    with open_store(tmp_path / "explicit", build_if_new=False) as store:
        assert store.is_empty()


def test_the_default_store_lives_in_the_user_data_folder(tmp_path: Path) -> None:
    # conftest points XDG_DATA_HOME into tmp_path, so this never touches a real store
    with open_store(build_if_new=False) as store:
        assert Path(store.location) == tmp_path / "xdg-data" / "govkg" / "store"
        assert Path(store.location).is_dir()


def test_close_releases_the_folder(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "store")
    store.close()
    with EmbeddedStore(tmp_path / "store") as again:
        assert again.is_empty()
    with pytest.raises(StoreError, match="closed"):
        store.graphs()


def test_a_child_process_can_use_the_store_after_this_one_closes(tmp_path: Path) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        store.replace_graph(OLD, numbered("x", 2))
    code = ("from pathlib import Path; from govkg.graph.store import EmbeddedStore; "
            f"print(EmbeddedStore(Path({str(path)!r})).triple_count())")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, env={**os.environ})
    assert result.stdout.strip() == "2"
