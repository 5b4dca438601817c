"""The embedded store's bulk paths (graph/store/embedded.py): an N-Quads file of new
graphs read by Oxigraph's bulk loader in chunks of lines, and the councils' facts
derived by SELECTs written with the bulk loader. Both must give exactly what the
one-update path gives, and refuse what it refuses, leaving the store as it was."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.graph.build import build
from govkg.graph.errors import DataFileError, StoreError
from govkg.graph.store import EmbeddedStore
from govkg.graph.store.base import STAGING_PREFIX
from govkg.graph.store.derived import DERIVED_PREFIX, is_derived
from govkg.graph.store.embedded import JOURNAL
from govkg.graph.store.rdffiles import (
    line_at,
    nquads_chunks,
    nquads_graph_candidates,
    nquads_name_no_graph_of,
)
from govkg.graph.store.terms import from_ox

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.synthetic import generate  # noqa: E402

COUNCILS = 4  # council 0 and 3 have an external review, so every rule finds rows


def corpus(folder: Path) -> Path:
    out = io.StringIO()
    generate(COUNCILS, out)
    path = folder / "corpus.nq"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def quads(store: EmbeddedStore, derived_only: bool) -> set[str]:
    """Every quad of the store as N-Quads text, or of its derived graphs only."""
    raw = store._db  # the same data every reader sees once the load has committed
    return {str(q) for q in raw.quads_for_pattern(None, None, None, None)
            if not derived_only or (isinstance(q.graph_name, ox.NamedNode)
                                    and is_derived(q.graph_name.value))}


@pytest.fixture(scope="module")
def one_update(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str], set[str]]:
    """The corpus loaded by ONE update (derivation as SPARQL UPDATE): the reference."""
    folder = tmp_path_factory.mktemp("one-update")
    data = corpus(folder)
    with EmbeddedStore(folder / "store", bulk_threshold=10_000_000) as store:
        build(store, files=[])
        store.load_file(data)
        return data, quads(store, False), quads(store, True)


def test_a_file_of_new_graphs_loads_in_chunks_with_the_same_quads_and_facts(
    tmp_path: Path, one_update: tuple[Path, set[str], set[str]]
) -> None:
    data, everything, facts = one_update
    assert len(facts) > 1_000  # every council has facts of every rule
    with EmbeddedStore(tmp_path / "store", bulk_threshold=100) as store:
        store.bulk_chunk = 200  # many loader calls: chunks of about 25 KB of lines
        build(store, files=[])
        counts = store.load_file(data)
        assert quads(store, True) == facts
        assert quads(store, False) == everything
        # the quads stored per graph (the file repeats a few)
        parsed = {str(q) for q in ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS)}
        assert sum(counts.values()) == len(parsed) < len(everything)
        assert not (tmp_path / "store" / JOURNAL).exists()


def test_replacing_loaded_graphs_in_bulk_rewrites_the_facts_through_staging(
    tmp_path: Path, one_update: tuple[Path, set[str], set[str]]
) -> None:
    data, everything, facts = one_update
    with EmbeddedStore(tmp_path / "store", bulk_threshold=100) as store:
        build(store, files=[])
        store.load_file(data)
        store.load_file(data)  # the graphs exist now: staging graphs, derived ones too
        assert quads(store, True) == facts
        assert quads(store, False) == everything


def bad_file(tmp_path: Path, data: Path, extra: str, at: int) -> Path:
    lines = data.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(at, extra)
    bad = tmp_path / "bad.nq"
    bad.write_text("".join(lines), encoding="utf-8")
    return bad


@pytest.mark.parametrize("extra,error,message", [
    ("<http://ex/s> <http://ex/p> <http://ex/o> .\n", DataFileError, "outside a named graph"),
    ("<http://ex/s> <http://ex/p> <http://ex/o> <http://ex/g\n", DataFileError,
     "bad.nq:5001: RDF syntax error"),
    (f"<http://ex/s> <http://ex/p> <http://ex/o> <{DERIVED_PREFIX}council/x> .\n", StoreError,
     "reserved"),
    (f"<http://ex/s> <http://ex/p> <http://ex/o> <{STAGING_PREFIX}x> .\n", StoreError,
     "reserved"),
], ids=["no-graph", "syntax", "derived-graph", "staging-graph"])
def test_a_bad_file_is_refused_with_where_and_leaves_the_store_as_it_was(
    tmp_path: Path, one_update: tuple[Path, set[str], set[str]], extra: str,
    error: type[Exception], message: str,
) -> None:
    data, _, _ = one_update
    bad = bad_file(tmp_path, data, extra, 5_000)
    with EmbeddedStore(tmp_path / "store", bulk_threshold=100) as store:
        store.bulk_chunk = 200
        build(store, files=[])
        before = quads(store, False)
        with pytest.raises(error, match=message):
            store.load_file(bad)
        assert quads(store, False) == before
        assert not (tmp_path / "store" / JOURNAL).exists()


def test_blank_nodes_take_the_general_path_and_stay_one_node(tmp_path: Path) -> None:
    lines = "".join(f"_:b <http://ex/p> \"{i}\" <http://ex/g> .\n" for i in range(300))
    path = tmp_path / "blank.nq"
    path.write_text(lines, encoding="utf-8")
    assert nquads_graph_candidates(path) is None
    assert not nquads_name_no_graph_of(path, set())
    with EmbeddedStore(tmp_path / "store", bulk_threshold=10) as store:
        store.bulk_chunk = 50
        assert store.load_file(path) == {"http://ex/g": 300}
        subjects = {q.subject for q in store._db.quads_for_pattern(None, None, None, None)}
        assert len(subjects) == 1


def test_graph_candidates_and_chunks_follow_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.nq"
    path.write_text('<http://s> <http://p> "a b <http://no> ." <http://g1> .\n'
                    '<http://s> <http://p> "1"^^<http://dt> <http://g2>.\n'
                    '<http://s> <http://p> <http://o> .\n'
                    '<http://s> <http://p> "x"@en <http://g3> .', encoding="utf-8")
    assert nquads_graph_candidates(path) == {"http://g1", "http://g2", "http://o",
                                             "http://g3"}
    chunks = list(nquads_chunks(path, 30))  # shorter than a line: a line a chunk
    assert [line_at(path, offset) for offset, _ in chunks] == [1, 2, 3, 4]
    assert b"".join(c for _, c in chunks) == path.read_bytes() + b"\n"
    # the same question asked for a few graphs, by looking for each in the file
    assert not nquads_name_no_graph_of(path, {"http://g2"})
    assert not nquads_name_no_graph_of(path, {"http://o"})
    assert nquads_name_no_graph_of(path, {"http://no", "http://s", "http://dt", "http://g4"})


def test_replacing_one_councils_graph_in_bulk_derives_from_that_council_alone(
    tmp_path: Path, one_update: tuple[Path, set[str], set[str]]
) -> None:
    """Fewer councils than the store holds: the rules run from the loaded councils
    (their VALUES rows) instead of scanning the store, and give the same facts."""
    data, everything, facts = one_update
    with EmbeddedStore(tmp_path / "store", bulk_threshold=100) as store:
        build(store, files=[])
        store.load_file(data)
        code = next(q.graph_name for q in ox.parse(path=str(data), format=ox.RdfFormat.N_QUADS)
                    if "LocalCode" in str(q.object))
        triples = [(from_ox(q.subject), from_ox(q.predicate), from_ox(q.object))
                   for q in store._db.quads_for_pattern(None, None, None, code)]
        assert len(triples) > 100  # past bulk_threshold: staging graphs and the bulk rules
        store.replace_graphs({code.value: triples})
        assert quads(store, True) == facts
        assert quads(store, False) == everything


def test_many_graphs_are_looked_for_at_the_ends_of_the_lines(tmp_path: Path) -> None:
    path = tmp_path / "x.nq"
    path.write_text("<http://s> <http://p> <http://o> <http://g1> .\n", encoding="utf-8")
    others = {f"http://other/{i}" for i in range(20)}  # past the few looked for one by one
    assert nquads_name_no_graph_of(path, others)
    assert not nquads_name_no_graph_of(path, others | {"http://g1"})


def test_facts_with_a_literal_are_read_term_by_term_and_stay_the_same(tmp_path: Path) -> None:
    """A derived row holding a literal (here an evidence kind given as a number, which
    SPARQL TSV writes as a bare 42) cannot be copied as N-Triples text: that rule's rows
    are read as terms, and every path still writes what one update writes."""
    data = corpus(tmp_path)
    text = data.read_text(encoding="utf-8")
    subject, _, _, graph = next(line for line in text.splitlines()
                                if "/evidenceKind>" in line).split()[:4]
    literal = '"42"^^<http://www.w3.org/2001/XMLSchema#integer>'
    data.write_text(text + f"{subject} <https://w3id.org/govkg/def/evidenceKind> {literal} "
                    f"{graph} .\n", encoding="utf-8")
    with EmbeddedStore(tmp_path / "one", bulk_threshold=10_000_000) as store:
        build(store, files=[])
        store.load_file(data)
        facts = quads(store, True)
    assert any(literal in fact for fact in facts)
    with EmbeddedStore(tmp_path / "bulk", bulk_threshold=100) as store:
        build(store, files=[])
        store.load_file(data)
        assert quads(store, True) == facts
        store.load_file(data)  # again: staging graphs, rows bound to the loaded councils
        assert quads(store, True) == facts
