"""The named-query library: headers, declared parameters, typed binding."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import XSD, Literal, URIRef

from govkg.graph.errors import DataFileError, QueryError
from govkg.graph.querylib import TYPES, load_queries, load_query

QUERIES = sorted(load_queries().values(), key=lambda q: q.name)


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_query_declares_title_description_and_its_variables(query) -> None:  # type: ignore[no-untyped-def]
    assert query.title and query.description
    for param in query.params:
        assert f"?{param.name}" in query.text
        assert param.type in TYPES


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: q.name)
def test_every_parameter_has_a_default_or_is_optional(query) -> None:  # type: ignore[no-untyped-def]
    # with no values at all, binding succeeds: defaults convert, the rest stay free
    bound = query.bindings({})
    assert set(bound) == {p.name for p in query.params if p.default is not None}


def test_values_become_rdf_terms_of_the_declared_type() -> None:
    topic = load_queries()["topic-owners"]
    bound = topic.bindings({"topic": "whistleblowing", "council": "kent-county-council"})
    assert bound["topic"] == URIRef("https://w3id.org/govkg/id/topic/whistleblowing")
    assert bound["council"] == URIRef("https://w3id.org/govkg/id/council/kent-county-council")
    lowest = load_queries()["lowest-scoring-items"]
    max_score = lowest.bindings({"max_score": "6.5"})["max_score"]
    assert max_score == Literal("6.5", datatype=XSD.decimal)
    crosswalk = load_queries()["crosswalk"]
    assert crosswalk.bindings({"item": "2016:F.1"})["item"] == URIRef(
        "https://w3id.org/govkg/id/framework/cipfa-solace-2016/F.1")
    assert crosswalk.bindings({"item": "4.3.1"})["item"] == URIRef(
        "https://w3id.org/govkg/id/framework/cipfa-solace-2007/4.3.1")


@pytest.mark.parametrize("query,param,value", [
    ("lowest-scoring-items", "max_score", "seven"),
    ("crosswalk", "item", "Z.9"),
    ("coverage-matrix", "edition", "2012"),
    ("topic-owners", "topic", "risk management> } ; DROP ALL ; {"),
], ids=["decimal", "item", "edition", "injection"])
def test_wrong_type_is_refused_naming_the_parameter(query: str, param: str, value: str) -> None:
    with pytest.raises(QueryError) as info:
        load_queries()[query].bindings({param: value})
    assert repr(param) in str(info.value)


def test_unknown_parameter_is_refused() -> None:
    with pytest.raises(QueryError, match="no parameter colour"):
        load_queries()["topic-owners"].bindings({"colour": "red"})


def test_header_errors_name_the_file(tmp_path: Path) -> None:
    missing = tmp_path / "no-header.rq"
    missing.write_text("SELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(DataFileError, match="no '#\\+' metadata header"):
        load_query(missing)
    undeclared = tmp_path / "bad-param.rq"
    undeclared.write_text("#+ title: t\n#+ description: d\n#+ params:\n"
                          "#+   colour: {type: string}\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(DataFileError, match="'colour' is not a variable"):
        load_query(undeclared)


def test_names_are_looked_up_in_the_store(tmp_path) -> None:
    """A real store built from the ontology and reference data: labels users type name
    the resource; a value that names nothing is refused, listing what is accepted."""
    from govkg.graph.build import build
    from govkg.graph.errors import QueryError
    from govkg.graph.querylib import Names
    from govkg.graph.store import EmbeddedStore

    with EmbeddedStore(tmp_path / "store") as store:
        build(store, [])
        names = Names.from_store(store)
    owners = load_queries()["topic-owners"]
    kent = "https://w3id.org/govkg/id/council/kent-county-council"
    for typed in ("kent-county-council", "Kent", "Kent County Council", "KCC", "E10000016",
                  kent):
        assert str(owners.bindings({"council": typed}, names)["council"]) == kent, typed
    assert str(owners.bindings({"topic": "whistle-blowing"}, names)["topic"]).endswith(
        "/topic/whistleblowing")
    with pytest.raises(QueryError, match="'topic'.*names nothing.*risk-management"):
        owners.bindings({"topic": "nonsense"}, names)
    with pytest.raises(QueryError, match="'council'.*names nothing.*one of: .* more"):
        owners.bindings({"council": "narnia"}, names)  # every UK council: some are listed
    # a unique start that other names also hold is ambiguous, not a match: "council"
    # starts only one council's name but is in nearly all of them
    with pytest.raises(QueryError, match="'council': 'council' could mean"):
        owners.bindings({"council": "council"}, names)
    # a near miss lists the council meant first
    with pytest.raises(QueryError, match="one of: kent-county-council \\(Kent County Council\\)"):
        owners.bindings({"council": "Kent Couny Council"}, names)
