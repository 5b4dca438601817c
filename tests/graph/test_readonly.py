"""Opening a store read-only while its writer compacts it (graph/readonly.py).

A store that was written and closed is compacted by RocksDB soon after its next writer
opens it: new table files and a new manifest, the old ones deleted (here the writer adds
a quad and compacts with ``optimize``, so the files are replaced in every trial). Readers
that open the folder meanwhile (``govkg serve``'s query workers, commands beside a
running service) must all open and see the data; before the retry, about a third of
those opening within 0.2 s of the writer failed with RocksDB's "Corruption: ... No such
file".

Real processes on a real store: each reader is its own Python process, as the workers
are, started before the writer opens and told to open at staggered moments across the
writer's first 0.2 s.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.api import worker as protocol
from govkg.graph.readonly import moved_under_us, open_read_only
from tests.api.conftest import built_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
#: a reader: imports first, says so, then on "go" waits its turn and opens the folder
READER = """
import sys, time
from govkg.graph.readonly import open_read_only
print("ready", flush=True)
sys.stdin.readline()
time.sleep(float(sys.argv[2]))
store = open_read_only(sys.argv[1])
print(next(iter(store.query(sys.argv[3])))[0].value)
"""
READERS = 12
TRIALS = 3


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A store folder as ``govkg build`` leaves it: written and closed, not compacted."""
    folder = tmp_path_factory.mktemp("readonly") / "store"
    with built_store(folder):
        pass
    yield folder


def tables(folder: Path) -> set[str]:
    return {p.name for p in folder.glob("*.sst")}


def test_readers_opening_while_the_writer_compacts_all_open_and_see_everything(
        written: Path, tmp_path: Path) -> None:
    replaced = 0
    for trial in range(TRIALS):
        folder = tmp_path / f"trial-{trial}"
        shutil.copytree(written, folder)
        before = tables(folder)
        readers = [subprocess.Popen(
            [sys.executable, "-c", READER, str(folder), f"{k * 0.02:.2f}", COUNT],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for k in range(READERS)]
        for reader in readers:
            assert reader.stdout is not None and reader.stdout.readline() == "ready\n"
        writer = ox.Store(str(folder))  # RocksDB may start compacting it now, or not
        try:
            # a write flushed to new table files beside the old: the compaction below
            # merges them, replacing (deleting) the old files while the readers open
            writer.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"),
                               ox.Literal(str(trial)), ox.NamedNode("urn:x:g")))
            writer.flush()
            for reader in readers:
                assert reader.stdin is not None
                reader.stdin.write("go\n")
                reader.stdin.flush()
            writer.optimize()
            results = [r.communicate(timeout=120) for r in readers]
            solutions = writer.query(COUNT)
            assert isinstance(solutions, ox.QuerySolutions)
            expected = str(next(iter(solutions))[0].value)
            replaced += bool(before - tables(folder))
        finally:
            del writer
        for reader, (out, err) in zip(readers, results, strict=True):
            assert reader.returncode == 0, err
            assert out.strip() == expected
    # the race was there to lose: the writer replaced table files under the readers
    assert replaced == TRIALS, "the writer did not compact: the readers were not put to the test"


def test_a_folder_without_a_store_is_refused_at_once(tmp_path: Path) -> None:
    """No ``CURRENT`` file: no store, and nothing to wait for."""
    with pytest.raises(OSError) as raised:
        open_read_only(str(tmp_path / "nothing-here"))
    assert not moved_under_us(raised.value)
    assert moved_under_us(RuntimeError(
        "Corruption: IO error: No such file or directory: While open a file for random "
        f"read: {tmp_path}/000018.sst: No such file or directory"))


def test_a_worker_that_cannot_open_the_store_answers_why_and_stays(tmp_path: Path) -> None:
    """The query worker answers every query with the reason, instead of dying (which the
    service would report as a query that crashed the engine); once the folder holds a
    store, the next query opens it and is answered."""
    folder = tmp_path / "later"
    process = subprocess.Popen([sys.executable, "-m", "govkg.api.worker", str(folder)],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdin is not None and process.stdout is not None
    job = {"task": "query", "sparql": "ASK { ?s ?p ?o }", "formats": {"ask": "json"},
           "max_bytes": 1 << 20, "generation": 0}
    try:
        protocol.write_message(process.stdin, job)
        answer = protocol.read_message(process.stdout)
        assert answer["ok"] is False and answer["kind"] == "store"
        assert str(folder) in answer["message"] and "read-only" in answer["message"]
        ox.Store(str(folder)).add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"),
                                          ox.Literal("o")))
        protocol.write_message(process.stdin, job)
        answer = protocol.read_message(process.stdout)
        assert answer["ok"] is True, answer
        assert json.loads(answer["body"])["boolean"] is True
    finally:
        process.stdin.close()
        process.wait(timeout=10)
