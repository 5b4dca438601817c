"""Full-text search: the index follows every write to the store, ranks and filters, and
``/search`` (JSON and HTML) and ``govkg search`` answer from it, quotes highlighted and
escaped. Real stores (Oxigraph), the real app over ASGI, the real CLI in a subprocess."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from govkg.graph.errors import InputError
from govkg.graph.namespaces import GOVKG, GRAPH
from govkg.graph.search import SearchIndex, index_path
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import COUNCIL, built_store

REVIEW_GRAPH = str(GRAPH["document-testshire-review"])
RECOMMENDATION = URIRef("https://w3id.org/govkg/id/document/testshire-review/recommendation/r1")


@pytest.fixture
def own_store(tmp_path: Path) -> Iterator[EmbeddedStore]:
    """A store of its own: these tests write to it."""
    with built_store(tmp_path / "store") as opened:
        yield opened


def iris(index: SearchIndex, words: str, **filters: str) -> set[str]:
    return {hit.iri for hit in index.search(words, limit=200, **filters).hits}


def test_the_index_is_built_by_the_load_and_kept_beside_the_store(
        own_store: EmbeddedStore) -> None:
    assert index_path(own_store) == own_store.path / "govkg-search.sqlite"
    assert index_path(own_store).is_file()  # written by the build's announced write
    assert str(RECOMMENDATION) in iris(SearchIndex(index_path(own_store)), "oversight")


def test_the_index_follows_a_replaced_and_a_dropped_graph(own_store: EmbeddedStore) -> None:
    index = SearchIndex.beside(own_store)
    assert iris(index, "quarterly fraud") == set()
    changed = Graph()
    changed.add((RECOMMENDATION, RDF.type, GOVKG.Recommendation))
    changed.add((RECOMMENDATION, RDFS.label, Literal("Hold a quarterly fraud briefing")))
    changed.add((RECOMMENDATION, GOVKG.council, URIRef(COUNCIL)))
    own_store.replace_graphs({REVIEW_GRAPH: changed})
    assert iris(index, "quarterly fraud") == {str(RECOMMENDATION)}
    assert iris(index, "oversight") == set()  # the old text went with the old graph
    assert iris(index, "whistleblowing")  # other graphs were left alone
    own_store.drop_graph(REVIEW_GRAPH)
    assert iris(index, "quarterly fraud") == set()


def test_a_sparql_update_reindexes_everything(own_store: EmbeddedStore) -> None:
    index = SearchIndex.beside(own_store)
    own_store.update(f"""INSERT DATA {{ GRAPH <{GRAPH['extra']}> {{
        <https://w3id.org/govkg/id/council/testshire-county-council/body/scrutiny>
            a <{GOVKG.Body}> ; <http://www.w3.org/2004/02/skos/core#prefLabel> "Scrutiny Panel" ;
            <{GOVKG.council}> <{COUNCIL}> }} }}""")
    assert iris(index, "scrutiny panel") == {
        "https://w3id.org/govkg/id/council/testshire-county-council/body/scrutiny"}


def test_ranking_puts_a_label_match_before_a_quote_match(store: EmbeddedStore) -> None:
    hits = SearchIndex.beside(store).search("whistleblowing").hits
    assert [h.kind for h in hits] == ["evidence", "commitment"]  # label, then quote only
    assert hits[0].rank > hits[1].rank


@pytest.mark.parametrize(("filters", "check"), [
    ({"council": "testshire-county-council"}, lambda h: h.council == COUNCIL),
    ({"kind": "framework-item"}, lambda h: h.kind == "framework-item"),
    ({"document_kind": "local-code"}, lambda h: h.document_kind == "local-code"),
    ({"principle": "cipfa-solace-2016/A"},
     lambda h: "https://w3id.org/govkg/id/framework/cipfa-solace-2016/A" in h.principles),
], ids=["council", "kind", "document", "principle"])
def test_each_filter_narrows_the_results(store: EmbeddedStore, filters: dict[str, str],
                                         check: object) -> None:
    index = SearchIndex.beside(store)
    everything = index.search("integrity", limit=200)
    narrowed = index.search("integrity", limit=200, **filters)  # type: ignore[arg-type]
    assert 0 < narrowed.total < everything.total
    assert all(check(hit) for hit in narrowed.hits)  # type: ignore[operator]


def test_quotes_are_escaped_and_the_match_highlighted(store: EmbeddedStore) -> None:
    [hit] = SearchIndex.beside(store).search("monitoring officer", kind="post").hits
    assert "<script>" not in hit.title and "&lt;script&gt;" in hit.title
    assert "&lt;b&gt;bold&lt;/b&gt;" in hit.snippet
    assert "<mark>Monitoring</mark> <mark>Officer</mark>" in hit.snippet


@pytest.mark.parametrize("words", ["", "  ", '" * ( )'], ids=["empty", "blank", "operators"])
def test_a_search_without_words_is_refused(store: EmbeddedStore, words: str) -> None:
    with pytest.raises(InputError, match="no words"):
        SearchIndex.beside(store).search(words)


def test_fts_operators_in_the_input_are_plain_words(store: EmbeddedStore) -> None:
    # "OR" and "NEAR" would be operators if passed through to FTS5
    assert SearchIndex.beside(store).search("integrity OR nonsense").total == 0


def test_search_as_json(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "audit committee", "format": "json"})
    assert response.status_code == 200
    body = response.json()
    assert body["total"] >= 1
    assert any(h["iri"].endswith("/body/audit-committee") for h in body["hits"])
    by_accept = client.get("/search", params={"q": "audit committee"},
                           headers={"accept": "application/json"})
    assert by_accept.json() == body


def test_search_page_lists_hits_with_filters(client: httpx.Client) -> None:
    response = client.get("/search", params={"q": "integrity", "kind": "commitment"})
    assert response.status_code == 200
    assert "1 result for" in response.text
    assert 'href="/id/document/testshire-code/commitment/a-1"' in response.text
    assert "<mark>Integrity</mark> is supported" in response.text


def test_search_pages_say_there_is_more(client: httpx.Client) -> None:
    first = client.get("/search", params={"q": "the", "limit": 2}).text
    assert "showing 1 to 2" in first
    assert 'rel="next" href="/search?q=the&amp;offset=2&amp;limit=2"' in first


def test_bad_search_input_is_a_400(client: httpx.Client) -> None:
    assert client.get("/search", params={"q": "(", "format": "json"}).status_code == 400
    response = client.get("/search", params={"q": "x", "kind": "planet", "format": "json"})
    assert response.status_code == 400 and "planet" in response.text


def test_every_page_has_the_search_box(client: httpx.Client) -> None:
    for path in ("/", "/queries", "/id/council/testshire-county-council", "/search",
                 "/councils/testshire-county-council/validation", "/api-docs"):
        page = client.get(path, headers={"accept": "text/html"}).text
        assert 'role="search"' in page, path


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_govkg_search_command(own_store: EmbeddedStore) -> None:
    folder = str(own_store.path)
    own_store.close()  # one process opens a store at a time
    found = run_cli("search", "--store", folder, "whistleblowing", "policy")
    assert found.returncode == 0, found.stderr
    assert "Whistleblowing Policy" in found.stdout and "Testshire County Council" in found.stdout
    assert "…" not in found.stdout.splitlines()[2]  # the table is not cut at 80 columns
    refused = run_cli("search", "--store", folder, "--kind", "planet", "x")
    assert refused.returncode == 2 and "planet" in refused.stderr


def test_a_write_the_index_cannot_follow_leaves_it_stale_not_failed(
        own_store: EmbeddedStore) -> None:
    index = SearchIndex.beside(own_store)
    index.path.unlink()
    index.path.mkdir()  # the index file cannot be opened now
    try:
        own_store.drop_graph(REVIEW_GRAPH)  # the write itself succeeds
        assert own_store.triple_count(REVIEW_GRAPH) == 0
    finally:
        index.path.rmdir()
    assert not index.complete()
    assert iris(SearchIndex.beside(own_store), "oversight") == set()  # rebuilt in full


def test_a_result_without_a_name_is_named_by_its_item(store: EmbeddedStore) -> None:
    hits = SearchIndex.beside(store).search("score", kind="self-assessment-result").hits
    assert [h.label for h in hits] == ["Self-assessment result A.1"]


def test_the_council_filter_is_exact_and_a_council_name_is_no_match(
        own_store: EmbeddedStore) -> None:
    """The council filter finds its rows through the index by the words of the council's
    IRI (issue 18: 49 ms at 400 councils when it read every match); a council whose IRI
    holds those words too (north-testshire-...) stays out, and a search for a council's
    words never matches a row by its council alone."""
    north = "https://w3id.org/govkg/id/council/north-testshire-county-council"
    own_store.update(f"""INSERT DATA {{ GRAPH <{GRAPH['north']}> {{
        <{north}/body/cabinet> a <{GOVKG.Body}> ;
            <http://www.w3.org/2004/02/skos/core#prefLabel> "Cabinet for integrity" ;
            <{GOVKG.council}> <{north}> }} }}""")
    index = SearchIndex.beside(own_store)
    everywhere = iris(index, "integrity")
    assert f"{north}/body/cabinet" in everywhere
    own = iris(index, "integrity", council="testshire-county-council")
    assert own and f"{north}/body/cabinet" not in own
    assert own == {i for i in everywhere if i.startswith(COUNCIL + "/")
                   or "/document/testshire" in i}
    assert iris(index, "integrity", council="north-testshire-county-council") == {
        f"{north}/body/cabinet"}
    assert iris(index, "w3id") == set()  # in every council's IRI, in no label or text


def test_an_index_of_an_earlier_schema_is_made_again(own_store: EmbeddedStore) -> None:
    path = index_path(own_store)
    with sqlite3.connect(path) as connection:  # as schema 4 left it: council unindexed
        connection.execute("DROP TABLE entry")
        connection.execute("CREATE VIRTUAL TABLE entry USING fts5(label, body, iri UNINDEXED,"
                           " graph UNINDEXED, kind UNINDEXED, council UNINDEXED, council_label"
                           " UNINDEXED, doc_kind UNINDEXED, principles UNINDEXED)")
        connection.execute("UPDATE meta SET value = '4' WHERE key = 'schema'")
    index = SearchIndex.beside(own_store)  # finds it incomplete, and builds it again
    assert iris(index, "whistleblowing", council="testshire-county-council")
