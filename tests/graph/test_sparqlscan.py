"""The query scanner: what it learns from the tokens, what it refuses, and that it stays
linear (no recursion) on inputs that crash Oxigraph's parser."""

from __future__ import annotations

import sys

import pytest

from govkg.graph import sparqlscan
from govkg.graph.errors import QueryError
from govkg.graph.sparqlscan import scan
from govkg.graph.store import terms


@pytest.mark.parametrize("text,form,projection", [
    ("SELECT ?a ?b WHERE { ?a ?p ?b }", "select", ["a", "b"]),
    ("select distinct ?a { ?a ?p ?b }", "select", ["a"]),
    ("SELECT (COUNT(*) AS ?n) ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
     "select", ["n", "g"]),
    ("SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } }", "select", ["s", "p", "o", "q", "r"]),
    ("BASE <http://x/>\nPREFIX : <http://x/>\nPREFIX ex: <http://e/>\nASK { :a ex:b ?c }",
     "ask", []),
    ("# SELECT in a comment\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "graph", []),
    ("DESCRIBE <http://x/a>", "graph", []),
    ("SELECT ?o WHERE { ?s ?p 1.5e3 ; ?q \"x\"@en, \"ASK\"^^<http://t> }", "select", ["o"]),
], ids=["select", "distinct-no-where", "aggregate", "star", "prologue", "comment",
        "describe", "literals"])
def test_form_and_projection(text: str, form: str, projection: list[str]) -> None:
    shape = scan(text)
    assert (shape.form, shape.projection) == (form, projection)


@pytest.mark.parametrize("text,services", [
    ("ASK { SERVICE <http://a/s> { } }", ["http://a/s"]),
    ("ask { service silent <http://a/s> { } }", ["http://a/s"]),
    ("ASK { \\u0053ERVICE <http://a/s> { } }", ["http://a/s"]),
    ("PREFIX r: <http://a/>\nASK { SERVICE r:s { } }", ["http://a/s"]),
    ("ASK { SERVICE ?endpoint { } }", [None]),
    ("SELECT ?service WHERE { ?service <http://x/service> \"SERVICE <http://no/>\" } "
     "# SERVICE <http://c/>", []),
    ("PREFIX service: <http://x/> ASK { service:a service:b 'service' }", []),
], ids=["plain", "lower-silent", "escaped", "prefixed", "variable", "names-strings-comments",
        "prefix-named-service"])
def test_service_endpoints(text: str, services: list[str | None]) -> None:
    assert scan(text).services == services


def test_dataset_clause() -> None:
    assert scan("SELECT ?x FROM <http://g> WHERE { ?x ?p ?o }").dataset
    assert scan("ASK FROM NAMED <http://g> { GRAPH ?g { } }").dataset
    assert not scan("SELECT ?from WHERE { ?from <http://x/from> 'FROM' }").dataset


@pytest.mark.parametrize("text,message", [
    ("INSERT DATA { <http://a> <http://b> <http://c> }", "not a query"),
    ("", "not a query"),
    ("SELECT * WHERE " + "{" * 5000 + "}" * 5000, "nests brackets more than"),
    ("SELECT * WHERE { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(20_000)) + " }",
     "UNION, \\|\\| and && branches"),
    ("ASK { FILTER(" + " || ".join(f"?a = {i}" for i in range(20_000)) + ") }", "branches"),
], ids=["update", "empty", "deep", "unions", "or-chain"])
def test_refusals(text: str, message: str) -> None:
    with pytest.raises(QueryError, match=message):
        scan(text)


def test_the_shape_cache_is_bounded_by_bytes() -> None:
    """A hundred 100 KB texts (some in a script Python stores at 4 bytes a character):
    the cache keeps what fits in its size, not every text."""
    terms._shapes.clear()
    for number in range(100):
        filler = "x" if number % 2 else "\U0001F600"
        terms.query_form(f"ASK {{}} # {number} " + filler * 100_000)
    held = sum(sys.getsizeof(text) for text in terms._shapes)
    assert 0 < held <= terms.FORM_CACHE_BYTES
    assert len(terms._shapes) < 100
    assert sparqlscan.MAX_DEPTH < 2000  # below where Oxigraph's parser was seen to crash


@pytest.mark.parametrize("text,loads,services", [
    ("LOAD <http://x/d.ttl> INTO GRAPH <http://g>", 1, []),
    ("load silent <http://x/d.ttl> ; CLEAR GRAPH <http://g>", 1, []),
    ("PREFIX r: <http://a/>\nINSERT { ?s ?p ?o } WHERE { SERVICE SILENT r:x { ?s ?p ?o } }",
     0, ["http://a/x"]),
    ("INSERT DATA { <http://a> <http://b> \"LOAD SERVICE <http://c>\" } # LOAD <http://d>",
     0, []),
], ids=["load", "load-silent", "service-in-where", "words-in-literals-and-comments"])
def test_update_shape(text: str, loads: int, services: list[str]) -> None:
    shape = sparqlscan.scan_update(text)
    assert (shape.loads, shape.services) == (loads, services)


def test_update_nesting_is_refused() -> None:
    with pytest.raises(QueryError, match="update nests brackets"):
        sparqlscan.scan_update("INSERT DATA { <http://a> <http://b> " + "(" * 600
                               + ")" * 600 + " }")
