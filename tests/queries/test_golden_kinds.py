"""G3's named queries answer G3's documents as established by reading them.

The documents of ``tests/data/documents/`` are not in the bundled corpus, so this test
imports each (with ``--council`` and ``--kind`` from its expectation in
``tests/data/expected/extra/``) into a real embedded Oxigraph store that also holds the
ontology and reference data, links carried-over issues as ``govkg import`` does, and
compares each query's answer with ``golden/kinds/<query>.toml``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govkg.graph.build import plan, write
from govkg.graph.importers.kinds.carried import link_carried_over
from govkg.graph.importers.pipeline import import_document
from govkg.graph.querylib import load_queries
from govkg.graph.store import Store, open_store
from tests.queries.test_golden import assert_case

DATA = Path(__file__).parents[1] / "data"
GOLDEN = Path(__file__).parent / "golden" / "kinds"
KINDS = {"external-review": "governance-review"}
QUERIES = load_queries()


def _cases() -> list[tuple[str, int, dict[str, Any]]]:
    found = []
    for path in sorted(GOLDEN.glob("*.toml")):
        for index, case in enumerate(tomllib.loads(path.read_text(encoding="utf-8"))["case"]):
            found.append((path.stem, index, case))
    return found


def open_kinds_store(folder: Path) -> Store:
    """A new store in ``folder`` holding G3's documents (also the paging tests' store
    with internal audit opinions and significant governance issues)."""
    store = open_store(folder, build_if_new=False)
    write(store, plan([]))
    graphs = {}
    for expected in sorted((DATA / "expected" / "extra").glob("*.toml")):
        exp = tomllib.loads(expected.read_text(encoding="utf-8"))
        graph, _ = import_document(DATA / "documents" / exp["file"], council=exp["council"],
                                   kind=KINDS.get(exp["kind"], exp["kind"]))
        graphs[graph.identifier] = graph
    store.replace_graphs(graphs)
    link_carried_over(store)
    return store


@pytest.fixture(scope="module")
def kinds_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = open_kinds_store(tmp_path_factory.mktemp("kinds-store"))
    yield store
    store.close()


def test_every_golden_file_names_a_query() -> None:
    assert {path.stem for path in GOLDEN.glob("*.toml")} <= set(QUERIES)


@pytest.mark.parametrize("name,index,case", [pytest.param(n, i, c, id=f"{n}-{i}")
                                             for n, i, c in _cases()])
def test_query_answers_the_documents_as_read(name: str, index: int, case: dict[str, Any],
                                             kinds_store: Store) -> None:
    query = QUERIES[name]
    assert_case(case, kinds_store.query(query.text, query.bindings(case.get("params", {}))))
