"""Every named query answers the bundled corpus as established by reading the documents.

The golden results live in ``golden/<query name>.toml`` (see its README); a query
without one fails. Queries run on a real embedded Oxigraph store built from the
ontology, the reference data and the bundled corpus, with their parameters bound the
way the CLI and the API bind them.
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal

from govkg.graph.build import bundled_corpus, plan, write
from govkg.graph.querylib import NamedQuery, load_queries
from govkg.graph.store import SelectResult, Store, open_store

GOLDEN = Path(__file__).parent / "golden"
QUERIES = sorted(load_queries().values(), key=lambda q: q.name)


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    assert bundled_corpus().is_file(), "graph/data/corpus.trig is missing"
    store = open_store(tmp_path_factory.mktemp("store"), build_if_new=False)
    write(store, plan([bundled_corpus()]))
    yield store
    store.close()


def _text(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, Literal) and term.value is not None and not isinstance(term.value, str):
        value = term.value
        if isinstance(value, float) or hasattr(value, "as_integer_ratio"):
            number = float(value)
            return str(int(number)) if number.is_integer() else str(number)
    return str(term)


def _cases(query: NamedQuery) -> list[dict[str, Any]]:
    path = GOLDEN / f"{query.name}.toml"
    if not path.is_file():
        return []
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"]


def test_every_query_has_golden_results() -> None:
    missing = [q.name for q in QUERIES if not _cases(q)]
    assert missing == [], f"add tests/queries/golden/<name>.toml for {missing}"


CASES = [pytest.param(q, i, id=f"{q.name}-{i}") for q in QUERIES for i in range(len(_cases(q)))]


@pytest.mark.parametrize("query,index", CASES)
def test_query_returns_the_golden_result(query: NamedQuery, index: int,
                                         corpus_store: Store) -> None:
    case = _cases(query)[index]
    assert_case(case, corpus_store.query(query.text, query.bindings(case.get("params", {}))))


def assert_case(case: dict[str, Any], result: object) -> None:
    """``result`` is what golden ``case`` says (shared with the golden tests of G3's
    documents, tests/queries/test_golden_kinds.py)."""
    if "contains" in case:
        assert isinstance(result, Graph)
        wanted = Graph().parse(data=case["contains"], format="turtle")
        missing = [t for t in wanted if t not in result]
        assert missing == []
        return
    assert isinstance(result, SelectResult)
    if "row_count" in case:
        assert len(result) == case["row_count"]
    if "columns" in case:
        got = {tuple(_text(row.get(c)) for c in case["columns"]) for row in result.rows}
        if "rows" in case:
            assert got == {tuple(r) for r in case["rows"]}
        if "must_include" in case:
            assert {tuple(r) for r in case["must_include"]} <= got
    if "counts" in case:
        groups: dict[tuple[str, ...], set[str]] = defaultdict(set)
        for row in result.rows:
            key = tuple(_text(row.get(c)) for c in case["count_by"])
            groups[key].add(_text(row.get(case["distinct"])) if "distinct" in case
                            else repr(sorted(row.items())))
        got_counts = Counter({key: len(values) for key, values in groups.items()})
        assert got_counts == Counter({tuple(k): n for k, n in case["counts"]})
