"""Named queries that start from a fact derived at load (queries/derived/council.ru), or
read a view derived there instead of joining the documents' patterns, give exactly the
rows of the same query written with the patterns the fact or view stands for, for all
councils and for one, on the bundled corpus and on synthetic councils: the rewrite is
for the engine's plan only (bench/README.md, "First page at 2,000" and "Full results
against rdflib")."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from rdflib import URIRef

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


_PREFIXES = """PREFIX govkg: <https://w3id.org/govkg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""

#: query name -> the query as it was written over the documents' own patterns
ORIGINALS = {
    "analytics-features": _PREFIXES + """
SELECT DISTINCT ?council ?facet ?feature WHERE {
  VALUES (?type ?property ?facet) {
    (govkg:Evidence govkg:evidenceKind "evidence") (govkg:Body govkg:hasFunction "bodies")
  }
  ?resource govkg:council ?council ; a ?type ; ?property ?feature .
}""",
    "analytics-scope": _PREFIXES + """
SELECT DISTINCT ?council ?node ?relation ?item WHERE {
  VALUES ?type { govkg:Commitment govkg:SelfAssessmentResult govkg:ImprovementAction
                 govkg:FurtherWork }
  VALUES (?property ?relation) { (govkg:addresses "addresses") (govkg:assesses "assesses") }
  ?node a ?type ; govkg:council ?council ; ?property ?item .
}""",
    "statutory-officers": _PREFIXES + """PREFIX org: <http://www.w3.org/ns/org#>
PREFIX derived: <https://w3id.org/govkg/def/derived/>
SELECT ?council ?councilLabel ?role ?roleLabel ?post ?postLabel ?assigned
WHERE {
  ?council a govkg:Council ; skos:prefLabel ?councilLabel .
  FILTER EXISTS { ?council derived:hasDocument ?document }
  ?role a govkg:StatutoryRole ; skos:prefLabel ?roleLabel .
  OPTIONAL {
    ?post org:postIn ?council ; org:role ?role .
    OPTIONAL { ?post skos:prefLabel ?postLabel }
  }
  BIND(BOUND(?post) AS ?assigned)
}
ORDER BY ?councilLabel ?roleLabel ?postLabel""",
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


@pytest.mark.parametrize("name", sorted(ORIGINALS))
def test_the_derived_view_gives_the_rows_of_the_patterns_it_stands_for(
        store: Store, name: str) -> None:
    query = load_queries()[name]
    assert "derived:" in query.text
    bindings = query.bindings()
    found = rows(store.query(query.text, bindings))
    assert sum(found.values()) > 0
    assert found == rows(store.query(ORIGINALS[name], bindings))
    if "ORDER BY" in query.text:  # and in the same order
        ordered = store.query(query.text, bindings)
        assert isinstance(ordered, SelectResult)
        again = store.query(ORIGINALS[name], bindings)
        assert isinstance(again, SelectResult)
        assert ordered.rows == again.rows
    # and for each council on its own (the view is read from the bound council)
    for council in sorted({dict(r)["council"] for r in found})[:3]:
        one = {**bindings, "council": URIRef(council.strip("<>"))}
        alone = rows(store.query(query.text, one))
        assert sum(alone.values()) > 0
        assert alone == rows(store.query(ORIGINALS[name], one))
