"""The benchmark's synthetic corpus: deterministic, council by council, and shaped so
that the named queries find what they look for (else the benchmark would time empty
answers)."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore, SelectResult

# bench/ is a folder of the repository, not part of the installed package
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.synthetic import generate  # noqa: E402


def corpus(councils: int) -> str:
    out = io.StringIO()
    generate(councils, out)
    return out.getvalue()


def test_the_same_councils_every_time_and_at_every_size() -> None:
    three = corpus(3)
    assert three == corpus(3)
    assert three.startswith(corpus(2))  # council i depends only on i


def test_documents_are_graphs_of_a_realistic_size() -> None:
    quads = list(ox.parse(corpus(3), format=ox.RdfFormat.N_QUADS))
    graphs = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    # per council: its own graph, a local code, a self-assessment; council 0 a review too
    assert len(graphs) == 3 * 3 + 1
    assert 2_000 * 3 <= len(quads) <= 4_500 * 3


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    folder = tmp_path_factory.mktemp("synthetic")
    (folder / "corpus.nq").write_text(corpus(3), encoding="utf-8")
    store = EmbeddedStore(folder / "store")
    build(store, files=[])
    store.load_file(folder / "corpus.nq")
    return store


@pytest.mark.parametrize("name", [
    "topic-owners", "body-functions", "review-recommendations", "improvement-actions",
    "lowest-scoring-items", "review-failures",
])
def test_named_queries_find_the_synthetic_councils(synthetic_store: EmbeddedStore,
                                                   name: str) -> None:
    from govkg.graph.querylib import get_query

    query = get_query(name)
    result = synthetic_store.query(query.text, query.bindings())
    assert isinstance(result, SelectResult)
    assert len(result) > 0
