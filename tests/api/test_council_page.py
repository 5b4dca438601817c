"""The council page's accountability reads only the council's nodes (issue 17): the same
network, matrix and items as from every council's rows; its quoted sources are read for
the resources it shows, and statements and incoming links are sorted in Python, in the
engine's order. Real embedded Oxigraph store of
the Testshire fixtures (tests/api/data), read through the service's in-process runner,
with and without LATERAL binding."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from govkg.api import pages, pictures
from govkg.api.querying import StoreRunner
from govkg.graph.analytics.projection import accountability_networks, fetch
from govkg.graph.store import EmbeddedStore, SelectResult
from tests.api.servers import officers_store

COUNCIL = "https://w3id.org/govkg/id/council/testshire-county-council"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    with officers_store(tmp_path_factory.mktemp("council-page") / "store") as opened:
        yield opened


class LateralRunner(StoreRunner):
    """The in-process runner, binding lists as the service's workers do."""

    lateral = True


@pytest.mark.parametrize("runner_class", [StoreRunner, LateralRunner],
                         ids=["values", "lateral"])
def test_the_councils_own_nodes_give_the_whole_network(
        store: EmbeddedStore, runner_class: type[StoreRunner]) -> None:
    runner = runner_class(store, timeout=60, max_bytes=1 << 28)
    narrowed = pictures.council_data(runner, COUNCIL)
    whole = fetch(store, COUNCIL, only=(*pictures.BY_COUNCIL, *pictures.BY_NODE))
    got, expected = (accountability_networks(d)[COUNCIL] for d in (narrowed, whole))
    assert len(expected) > 10 and expected.graph == got.graph
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(got.edges(data=True)) == sorted(expected.edges(data=True))
    assert narrowed.items == whole.items
    # fewer rows read than every council's: the point of narrowing
    assert len(narrowed.rows["nodes"]) < len(whole.rows["nodes"])


def test_the_page_draws_the_same_matrix_from_either(store: EmbeddedStore) -> None:
    drawn = [pictures.accountability(cls(store, timeout=60, max_bytes=1 << 28), COUNCIL)
             for cls in (StoreRunner, LateralRunner)]
    assert drawn[0].rows and drawn[0] == drawn[1]



# ------------------------------------------------ the page's own queries, made cheaper


def _engine_sorted(runner: StoreRunner, query: str, bound: dict[str, URIRef]
                   ) -> list[dict[str, Node]]:
    return runner.select(query, bound).rows


@pytest.mark.parametrize("runner_class", [StoreRunner, LateralRunner],
                         ids=["values", "lateral"])
def test_council_sources_are_those_of_the_resources_the_page_shows(
        store: EmbeddedStore, runner_class: type[StoreRunner]) -> None:
    """The page reads the spans of the resources its tables quote, not of every resource
    of the council: each shown resource's spans are all its spans (the query without the
    resources bound, grouped the same way), in line order, and nothing else is read."""
    runner = runner_class(store, timeout=60, max_bytes=1 << 28)
    page = pages.council(runner, URIRef(COUNCIL))
    every = runner.select(pages.COUNCIL_SOURCES, {"council": URIRef(COUNCIL)}).rows
    by_resource: dict[Node, list[dict[str, Node]]] = {}
    for row in every:
        by_resource.setdefault(row["resource"], []).append(row)
    shown = {row[column] for name, column in pages.SHOWN_SOURCES.items()
             for row in page[name] if row.get(column) is not None}
    expected = {r: by_resource[r] for r in shown if r in by_resource}
    assert len(expected) > 5 and len(by_resource) > len(expected)
    assert page["sources"].keys() == expected.keys()
    for resource, spans in page["sources"].items():
        assert sorted(map(str, (s["span"] for s in spans))) == sorted(
            map(str, (s["span"] for s in expected[resource])))
        starts = [int(str(span["start"])) for span in spans]
        assert starts == sorted(starts)


def _resources(store: EmbeddedStore) -> list[URIRef]:
    rows = store.query("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) } "
                       "ORDER BY ?s LIMIT 400")
    assert isinstance(rows, SelectResult)
    return [URIRef(str(row["s"])) for row in rows] + [URIRef(COUNCIL)]


@pytest.mark.parametrize("sorted_here", [pages.SORTED_HERE, 3], ids=["here", "engine"])
def test_statements_and_incoming_links_in_the_engines_order(
        store: EmbeddedStore, sorted_here: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Statements and incoming links are read unsorted and sorted in Python (Oxigraph's
    sort decodes terms from disk at every comparison); the first rows shown are the ones
    the engine's ``ORDER BY ... LIMIT`` gives, in its order, with few rows (sorted here)
    and with many (the engine sorts: ``sorted_here`` 3)."""
    monkeypatch.setattr(pages, "SORTED_HERE", sorted_here)
    monkeypatch.setattr(pages, "INCOMING_ROWS", 4)  # so that councils have more than that
    runner = StoreRunner(store, timeout=60, max_bytes=1 << 28)
    incoming_query = f"{pages._INCOMING} ORDER BY ?p ?s LIMIT 5"
    compared = more = 0
    for iri in _resources(store):
        found = pages.resource(runner, iri)
        bound = {"resource": iri}
        incoming = _engine_sorted(runner, incoming_query, bound)
        properties = _engine_sorted(runner, pages.PROPERTIES, bound)
        assert [(r["p"], r["s"]) for r in found["incoming"]] == \
            [(r["p"], r["s"]) for r in incoming[:4]]
        assert [(r["p"], r["o"]) for r in found["properties"]] == \
            [(r["p"], r["o"]) for r in properties]
        assert (found["more_incoming"] is not None) == (len(incoming) > 4)
        compared += 1
        more += len(incoming) > 4
    assert compared > 100 and more > 3


def test_order_key_orders_as_sparql() -> None:
    """Unbound first, then blank nodes, IRIs, literals; numbers by value."""
    terms = [Literal("b"), Literal(10), URIRef("http://b"), Literal(9), BNode("x"), None,
             URIRef("http://a"), Literal(2.5)]
    assert [pages.order_key(t) for t in sorted(terms, key=pages.order_key)] == [
        pages.order_key(t) for t in [None, BNode("x"), URIRef("http://a"), URIRef("http://b"),
                                     Literal(2.5), Literal(9), Literal(10), Literal("b")]]
