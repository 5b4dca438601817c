"""The shared store suite: every test runs on the embedded store, ``oxigraph serve`` and
Virtuoso (see ``conftest.py``), so the backends are interchangeable where it matters and
each capability flag is checked against what the backend really does."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from rdflib import BNode, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import XSD
from rdflib.term import Node

from govkg.graph.errors import DataFileError, QueryError, StoreError
from govkg.graph.store import STAGING_PREFIX, GraphInfo, QueryTimeout, SelectResult, Store

# rdflib's own TriG/N-Quads parsers warn about its deprecated ConjunctiveGraph API
pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

EX = Namespace("http://example.org/")
G1, G2 = EX["graph/one"], EX["graph/two"]


def sample(tag: str = "a", size: int = 3) -> Graph:
    """A graph with the term kinds that trip backends up: language tags, typed and
    plain literals, quotes, line breaks, non-ASCII text and blank nodes."""
    graph = Graph()
    for i in range(size):
        subject = EX[f"{tag}{i}"]
        graph.add((subject, EX.label, Literal(f'"{tag}" {i}\nline two, café', lang="en")))
        graph.add((subject, EX.number, Literal(i)))
        graph.add((subject, EX.plain, Literal(f"{tag}-{i}")))
        graph.add((subject, EX.year, Literal("2016", datatype=XSD.gYear)))
        span = BNode()
        graph.add((subject, EX.source, span))
        graph.add((span, EX.startLine, Literal(i + 1)))
    return graph


def trig(graphs: dict[URIRef, Graph]) -> str:
    """TriG text: N-Triples lines inside one block per graph."""
    return "".join(f"<{name}> {{\n{graph.serialize(format='nt')}}}\n"
                   for name, graph in graphs.items())


def stored(store: Store, graph: URIRef) -> Graph:
    result = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    assert isinstance(result, Graph)
    return result


def select(store: Store, sparql: str, bindings: dict[str, Node] | None = None,
           **kwargs: object) -> SelectResult:
    result = store.query(sparql, bindings, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, SelectResult)
    return result


# ----------------------------------------------------------------------- writing


def test_replace_graph_stores_every_kind_of_term(store: Store) -> None:
    data = sample()
    assert store.replace_graph(G1, data) == len(data)
    assert store.graphs() == [GraphInfo(str(G1), len(data))]
    assert isomorphic(stored(store, G1), data)


def test_replacing_twice_replaces_rather_than_adds(store: Store) -> None:
    store.replace_graph(G1, sample("a", 5))
    store.replace_graph(G1, sample("b", 2))
    assert store.triple_count(G1) == len(sample("b", 2))
    assert isomorphic(stored(store, G1), sample("b", 2))


def test_replace_graphs_writes_several_graphs_and_leaves_others(store: Store) -> None:
    store.replace_graph(EX["graph/kept"], sample("k", 1))
    counts = store.replace_graphs({G1: sample("a"), G2: sample("b", 1)})
    assert counts == {str(G1): len(sample("a")), str(G2): len(sample("b", 1))}
    assert [info.iri for info in store.graphs()] == sorted(
        [str(G1), str(G2), str(EX["graph/kept"])])


def test_replacing_with_nothing_removes_the_graph(store: Store) -> None:
    store.replace_graph(G1, sample())
    store.replace_graph(G1, [])
    assert store.graphs() == []


def test_large_loads_go_through_staging_and_leave_none_behind(small_requests: Store) -> None:
    store = small_requests
    store.replace_graph(G1, sample("old", 4))
    store.replace_graphs({G1: sample("new", 6), G2: sample("fresh", 5)})
    assert isomorphic(stored(store, G1), sample("new", 6))
    assert isomorphic(stored(store, G2), sample("fresh", 5))
    everything = select(store, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert not [g for g in everything.column("g") if str(g).startswith(STAGING_PREFIX)]


def test_drop_graph(store: Store) -> None:
    store.replace_graphs({G1: sample(), G2: sample("b")})
    store.drop_graph(G1)
    store.drop_graph(EX["graph/never-there"])
    assert [info.iri for info in store.graphs()] == [str(G2)]


def test_a_bad_graph_name_is_refused_before_anything_is_written(store: Store) -> None:
    with pytest.raises(QueryError):
        store.replace_graphs({G1: sample(), "not an iri": sample()})
    assert store.graphs() == []


# ----------------------------------------------------------------------- files


def test_load_file_replaces_each_named_graph(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "data.trig"
    path.write_text(trig({G1: sample("a"), G2: sample("b", 1)}), encoding="utf-8")
    store.replace_graph(G1, sample("old", 9))
    assert store.load_file(path) == {str(G1): len(sample("a")), str(G2): len(sample("b", 1))}
    assert isomorphic(stored(store, G1), sample("a"))


def test_load_file_puts_unnamed_triples_in_the_given_graph(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "data.ttl"
    sample().serialize(path, format="turtle")
    with pytest.raises(DataFileError, match="outside a named graph"):
        store.load_file(path)
    store.load_file(path, graph=G2)
    assert isomorphic(stored(store, G2), sample())


def test_a_syntax_error_names_file_and_line_and_writes_nothing(
    store: Store, tmp_path: Path
) -> None:
    store.replace_graph(G1, sample("old", 1))
    path = tmp_path / "broken.nq"
    path.write_text(f'<{EX.a}> <{EX.p}> "fine" <{G1}> .\n'
                    f'<{EX.a}> <{EX.p}> "unterminated <{G1}> .\n')
    with pytest.raises(DataFileError) as caught:
        store.load_file(path)
    assert caught.value.location is not None
    assert caught.value.location.source == str(path)
    assert caught.value.location.line == 2
    assert isomorphic(stored(store, G1), sample("old", 1))


# ----------------------------------------------------------------------- reading


def test_select_ask_and_construct_give_neutral_results(store: Store) -> None:
    store.replace_graph(G1, sample("a", 2))
    rows = select(store, f"SELECT ?s ?n WHERE {{ ?s <{EX.number}> ?n }} ORDER BY ?n")
    assert rows.variables == ["s", "n"]
    assert rows.column("n") == [Literal(0), Literal(1)]
    assert rows.column("s") == [EX.a0, EX.a1]
    plain = select(store, f"SELECT ?o WHERE {{ <{EX.a0}> <{EX.plain}> ?o }}")
    assert plain.column("o") == [Literal("a-0")]  # no xsd:string from any backend
    assert store.query(f"ASK {{ <{EX.a1}> ?p ?o }}") is True
    assert store.query(f"ASK {{ <{EX.zz}> ?p ?o }}") is False
    constructed = store.query(f"CONSTRUCT {{ ?s <{EX.n}> ?n }} WHERE {{ ?s <{EX.number}> ?n }}")
    assert isinstance(constructed, Graph) and len(constructed) == 2


def test_unbound_variables_are_left_out_of_rows(store: Store) -> None:
    store.replace_graph(G1, sample("a", 1))
    rows = select(store, f"SELECT ?s ?missing WHERE {{ ?s <{EX.number}> ?n "
                         f"OPTIONAL {{ ?s <{EX.nothing}> ?missing }} }}")
    assert rows.rows == [{"s": EX.a0}]


def test_rows_as_text_are_the_terms_text(store: Store) -> None:
    """``select_text``: IRIs, lexical forms (language and datatype dropped), blank nodes
    as ``_:label``; unbound and empty values absent, as ``TextRows`` says."""
    data = sample("a", 2)
    data.add((EX.a0, EX.plain, Literal("")))
    store.replace_graph(G1, data)
    sparql = (f"SELECT ?s ?p ?o ?missing WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} "
              f"OPTIONAL {{ ?s <{EX.nothing}> ?missing }} }}")
    text = store.select_text(sparql)
    assert text.variables == ["s", "p", "o", "missing"]
    terms = select(store, sparql).rows
    assert len(text) == len(terms) == len(data)
    expected = sorted((str(r["s"]) if isinstance(r["s"], URIRef) else "_:",
                       str(r["p"]), str(r["o"]) if isinstance(r["o"], Literal | URIRef) else "_:")
                      for r in terms)
    got = sorted((r["s"] if not r["s"].startswith("_:") else "_:", r["p"],
                  r.get("o", "") if not r.get("o", "").startswith("_:") else "_:")
                 for r in text)
    assert got == expected
    assert all("missing" not in row for row in text)
    assert {"s": str(EX.a0), "p": str(EX.label), "o": '"a" 0\nline two, café'} in text.rows
    assert {"s": str(EX.a1), "p": str(EX.year), "o": "2016"} in text.rows
    assert {"s": str(EX.a0), "p": str(EX.plain)} in text.rows  # the empty literal
    with pytest.raises(QueryError):
        store.select_text(f"ASK {{ <{EX.a1}> ?p ?o }}")


def test_the_default_graph_is_the_union_unless_narrowed(store: Store) -> None:
    store.replace_graphs({G1: sample("a", 1), G2: sample("b", 1)})
    query = f"SELECT ?s WHERE {{ ?s <{EX.number}> ?n }} ORDER BY ?s"
    assert select(store, query).column("s") == [EX.a0, EX.b0]
    assert select(store, query, default_graph=[G2]).column("s") == [EX.b0]
    named = f"SELECT ?g WHERE {{ GRAPH ?g {{ ?s <{EX.number}> ?n }} }}"
    assert select(store, named, named_graphs=[G1]).column("g") == [G1]


NASTY = '" } } ; DROP ALL ; SELECT * { "\\'


@pytest.mark.parametrize("value", [
    Literal("a-1"),
    Literal(NASTY),
    Literal('"a" 0\nline two, café', lang="en"),
], ids=["plain", "injection-attempt", "quotes-newline-lang"])
def test_bindings_are_rdf_terms_never_query_text(store: Store, value: Literal) -> None:
    data = sample("a", 2)
    data.add((EX.victim, EX.plain, Literal(NASTY)))
    store.replace_graph(G1, data)
    expected = sorted(str(s) for s in data.subjects(None, value))
    assert expected, "the value must occur in the data"
    projected = select(store, "SELECT ?s ?o WHERE { ?s ?p ?o }", {"o": value})
    assert sorted(str(s) for s in projected.column("s")) == expected
    hidden = select(store, "SELECT ?s WHERE { ?s ?p ?o }", {"o": value})
    assert sorted(str(s) for s in hidden.column("s")) == expected
    assert store.triple_count(G1) == len(data)  # nothing was dropped


def test_an_iri_binding_narrows_ask_and_construct(store: Store) -> None:
    store.replace_graph(G1, sample("a", 2))
    assert store.query("ASK { ?s ?p ?o }", {"s": EX.a1}) is True
    assert store.query("ASK { ?s ?p ?o }", {"s": EX.nobody}) is False
    graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", {"s": EX.a1})
    assert isinstance(graph, Graph)
    assert set(graph.subjects()) == {EX.a1}


def test_a_bad_binding_or_query_is_a_query_error(store: Store) -> None:
    with pytest.raises(QueryError):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": URIRef("http://x/> } DROP ALL {")})
    with pytest.raises(QueryError):
        store.query("SELECT ?s WHERE { ?s ?p ?o }", {"not a name": Literal(1)})
    with pytest.raises(QueryError):
        store.query("SELECT ?s WHERE { ?s ?p }")


def test_a_query_past_its_time_limit_is_stopped(store: Store) -> None:
    store.replace_graph(G1, sample("a", 300))
    cross = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1800^3 rows
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        store.query(cross, timeout=0.5)
    assert time.monotonic() - started < 10


# ----------------------------------------------------------------------- export


@pytest.mark.parametrize("fmt,rdflib_format", [
    ("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld"),
])
def test_export_round_trips_the_dataset(store: Store, fmt: str, rdflib_format: str) -> None:
    store.replace_graphs({G1: sample("a"), G2: sample("b", 1)})
    exported = Dataset()
    exported.parse(data=store.export(fmt), format=rdflib_format)  # type: ignore[arg-type]
    assert isomorphic(exported.graph(G1), sample("a"))
    assert isomorphic(exported.graph(G2), sample("b", 1))


def test_export_of_one_graph_as_turtle(store: Store) -> None:
    store.replace_graphs({G1: sample("a"), G2: sample("b", 1)})
    assert isomorphic(Graph().parse(data=store.export("ttl", G1), format="turtle"), sample("a"))


# ----------------------------------------------------------------------- guarantees


def test_an_update_is_all_or_nothing_exactly_when_the_flag_says(store: Store) -> None:
    store.replace_graph(G1, sample())
    with pytest.raises((StoreError, QueryError)):
        store.update(f"DELETE WHERE {{ GRAPH <{G1}> {{ ?s ?p ?o }} }} ; "
                     f"DROP GRAPH <{EX['graph/missing']}>")
    kept = store.triple_count(G1) == len(sample())
    assert kept is type(store).transactional_updates


def test_readers_see_the_old_graph_or_the_new_one(store: Store) -> None:
    old, new = sample("old", 40), sample("new", 90)
    store.replace_graph(G1, old)
    seen: set[int] = set()
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.add(store.triple_count(G1))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for _ in range(8):
            store.replace_graph(G1, new)
            store.replace_graph(G1, old)
    finally:
        stop.set()
        reader.join(timeout=30)
    assert store.triple_count(G1) == len(old)
    if type(store).isolated_reads:
        assert seen <= {len(old), len(new)}, f"a reader saw a half-replaced graph: {seen}"
