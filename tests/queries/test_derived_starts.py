"""Named queries that start from a fact derived at load (queries/derived/council.ru)
give exactly the rows of the same query written with the patterns the fact stands for,
on the bundled corpus and on synthetic councils: the rewrite is for the engine's plan
only (bench/README.md, "First page at 2,000")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from govkg.graph.querylib import load_queries
from govkg.graph.store import SelectResult, Store
from tests.queries.test_paging import open_test_store

#: query name -> (the derived pattern in its text, the patterns it stands for)
REWRITES = {
    "review-failures": ("?council derived:hasFailure ?failure .",
                        "?failure a govkg:Failure ; govkg:council ?council ."),
    "review-recommendations": (
        "?council derived:hasRecommendation ?recommendation .",
        "?recommendation a govkg:Recommendation ; govkg:council ?council ."),
    "lowest-scoring-items": (
        "?council derived:hasSelfAssessmentResult ?result .",
        "?result a govkg:SelfAssessmentResult ; govkg:council ?council ."),
}


@pytest.fixture(scope="module", params=["bundled", "synthetic"])
def store(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_test_store(request.param, tmp_path_factory.mktemp(request.param))
    yield opened
    opened.close()


def rows(result: object) -> Counter[tuple[tuple[str, str], ...]]:
    assert isinstance(result, SelectResult)
    return Counter(tuple(sorted((k, v.n3()) for k, v in row.items())) for row in result)


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_the_derived_start_gives_the_rows_of_the_patterns_it_stands_for(
        store: Store, name: str) -> None:
    query = load_queries()[name]
    derived, original = REWRITES[name]
    assert derived in query.text
    text = query.text.replace(derived, original)
    bindings = query.bindings()
    found = rows(store.query(query.text, bindings))
    assert sum(found.values()) > 0
    assert found == rows(store.query(text, bindings))
    ordered = store.query(query.text, bindings)
    assert isinstance(ordered, SelectResult)
    again = store.query(text, bindings)
    assert isinstance(again, SelectResult)
    assert ordered.rows == again.rows  # the same order too
