"""Binding parameters on a server: where the VALUES block goes, and that nothing but one
RDF term per parameter can get into the query text."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from govkg.graph.errors import QueryError
from govkg.graph.store.terms import bind_values, from_ox, to_ox

A = URIRef("http://example.org/a")
VALUES = "VALUES (?x) { (<http://example.org/a>) }"


@pytest.mark.parametrize("query,expected", [
    ("SELECT ?y WHERE { ?x ?p ?y }",
     "SELECT ?y WHERE { " + VALUES + " ?x ?p ?y }"),
    ("SELECT ?y { ?x ?p ?y }",
     "SELECT ?y { " + VALUES + " ?x ?p ?y }"),
    ("PREFIX where: <http://example.org/where>\nSELECT ?y WHERE { ?x where:where ?y }",
     "PREFIX where: <http://example.org/where>\nSELECT ?y WHERE { " + VALUES
     + " ?x where:where ?y }"),
    ("# a comment with { and WHERE {\nASK WHERE { ?x ?p \"} WHERE {\" }",
     "# a comment with { and WHERE {\nASK WHERE { " + VALUES + " ?x ?p \"} WHERE {\" }"),
    ("CONSTRUCT { ?x ?p ?y } WHERE { ?x ?p ?y }",
     "CONSTRUCT { ?x ?p ?y } WHERE { " + VALUES + " ?x ?p ?y }"),
    ("SELECT (EXISTS { ?x ?p ?o } AS ?e) WHERE { ?x ?p ?y }",
     "SELECT (EXISTS { ?x ?p ?o } AS ?e) WHERE { " + VALUES + " ?x ?p ?y }"),
    ("SELECT ?y WHERE { { SELECT ?x WHERE { ?x ?p ?o } } ?x ?q ?y FILTER(?y < 3) }",
     "SELECT ?y WHERE { " + VALUES
     + " { SELECT ?x WHERE { ?x ?p ?o } } ?x ?q ?y FILTER(?y < 3) }"),
], ids=["select", "select-no-where", "where-as-prefix-and-name", "comment-and-string",
        "construct-template", "exists-in-projection", "subquery"])
def test_values_open_the_top_level_group(query: str, expected: str) -> None:
    bound = bind_values(query, {"x": A})
    assert bound == expected
    ox.Store().query(bound)  # and Oxigraph's parser accepts the result


@pytest.mark.parametrize("value", [
    Literal('"} } ; DROP ALL ; {'),
    Literal("line\nbreak \\ back'slash"),
    Literal("x", lang="en-GB"),
    Literal("2016", datatype=XSD.gYear),
], ids=["quote-brace", "escapes", "language", "typed"])
def test_a_literal_is_bound_as_exactly_one_term(value: Literal) -> None:
    store = ox.Store()  # evaluate the rewritten query to see what it really binds
    bound = bind_values("SELECT ?x WHERE { }", {"x": value})
    rows = list(store.query(bound))
    assert [from_ox(row["x"]) for row in rows] == [value]


@pytest.mark.parametrize("bindings,message", [
    ({"x": URIRef("http://example.org/> } DROP ALL { <x")}, "not a valid IRI"),
    ({"x y": A}, "not a SPARQL variable name"),
    ({"x": BNode()}, "blank node"),
], ids=["iri-breaking-out", "variable-name", "blank-node"])
def test_what_cannot_be_one_term_is_refused(bindings: dict, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        bind_values("SELECT ?x WHERE { ?x ?p ?o }", bindings)


def test_a_query_without_a_group_cannot_take_bindings() -> None:
    with pytest.raises(QueryError, match="no WHERE group"):
        bind_values("DESCRIBE <http://example.org/a>", {"x": A})


@pytest.mark.parametrize("term", [
    A, Literal("plain"), Literal("x", lang="en"), Literal(3), Literal("2016", datatype=XSD.gYear),
], ids=["iri", "plain", "language", "integer", "gyear"])
def test_terms_survive_the_trip_through_pyoxigraph(term: URIRef | Literal) -> None:
    assert from_ox(to_ox(term)) == term


def test_xsd_string_is_dropped_so_backends_agree() -> None:
    assert from_ox(ox.Literal("x")) == Literal("x")
    assert to_ox(Literal("x", datatype=XSD.string)) == ox.Literal("x")


def test_lateral_binding_gives_the_rows_a_values_block_gives() -> None:
    """``bind_lateral`` evaluates the query's own group once per value: the same rows as
    one VALUES block (``bind_rows``), with the query's braces in strings and its solution
    modifiers after the group left where they were."""
    from govkg.graph.store.terms import bind_lateral, bind_rows

    store = ox.Store()
    ex = "http://example.org/"
    for s, p, o in [("a", "role", ox.Literal("}")), ("a", "label", ox.Literal("A")),
                    ("b", "role", ox.Literal("x")), ("c", "role", ox.Literal("y")),
                    ("c", "other", ox.Literal("z"))]:
        store.add(ox.Quad(ox.NamedNode(ex + s), ox.NamedNode(ex + p), o))
    query = (f"SELECT ?n ?v ?l WHERE {{ VALUES ?p {{ <{ex}role> }} ?n ?p ?v "
             f"OPTIONAL {{ ?n <{ex}label> ?l }} FILTER(?v != \"{{\") }} ORDER BY DESC(?n)")
    nodes = [URIRef(ex + "a"), URIRef(ex + "c"), URIRef(ex + "d")]
    lateral = bind_lateral(query, "n", nodes)
    assert lateral.endswith(" ORDER BY DESC(?n)") and " LATERAL {" in lateral

    def rows(text: str) -> list[tuple[str, ...]]:
        return [tuple(str(s[v].value) if s[v] is not None else "" for v in ("n", "v", "l"))
                for s in store.query(text)]  # type: ignore[union-attr]

    assert rows(lateral) == rows(bind_rows(query, "n", nodes)) == [
        (ex + "c", "y", ""), (ex + "a", "}", "A")]


def test_lateral_binding_refuses_an_unclosed_group() -> None:
    from govkg.graph.store.terms import bind_lateral

    with pytest.raises(QueryError, match="not closed"):
        bind_lateral("SELECT ?x WHERE { ?x ?p ?o ", "x", [A])
