"""The service's per-request work on its own query texts (issue 17: HTTP overhead): the
values block is placed where ``bind_values`` places it, without scanning the text again,
and the worker takes the form the service learnt once, for govkg's own texts only: a
client's text is always scanned (and its SERVICE calls checked) in the worker. Real
pyoxigraph store, the worker's own ``run``."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

from govkg.api import worker
from govkg.api.querying import ProcessRunner, _bind
from govkg.graph import paths
from govkg.graph.querylib import get_page_query, load_queries
from govkg.graph.store.terms import bind_values

COUNCIL = URIRef("https://w3id.org/govkg/id/council/testshire-county-council")
TEXTS = {**{name: q.text for name, q in load_queries().items()},
         **{f"pages/{f.stem}": get_page_query(f.stem).text
            for f in (paths.queries_dir() / "pages").glob("*.rq")}}


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_the_values_block_goes_where_bind_values_puts_it(name: str) -> None:
    for bindings in ({"council": COUNCIL}, {"council": URIRef("urn:x:other"), "n": Literal(3)},
                     {"edition": Literal("2016")}):
        # twice: the second from the remembered cut
        assert _bind(TEXTS[name], bindings)[0] == bind_values(TEXTS[name], bindings)
        assert _bind(TEXTS[name], bindings)[0] == bind_values(TEXTS[name], bindings)


def _store() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"),
                      ox.NamedNode("urn:x:g")))
    return store


def _job(runner: ProcessRunner, text: str, client: str | None) -> dict[str, object]:
    return runner._job(text, {"s": URIRef("urn:x:s")}, "json", None, None, client)


def test_own_texts_carry_their_shape_and_clients_texts_do_not() -> None:
    runner = ProcessRunner("/nonexistent", timeout=5, max_bytes=1 << 20, workers=1)
    own = _job(runner, "SELECT ?o WHERE { ?s ?p ?o }", None)
    assert own["shape"] == ("select", False)
    answer = worker.run(_store(), own)
    assert answer["ok"] and json.loads(answer["body"])["results"]["bindings"][0]["o"][
        "value"] == "o"
    assert _job(runner, "SELECT ?o WHERE { ?s ?p ?o }", "127.0.0.1")["shape"] is None
    asked = _job(runner, "ASK { ?s ?p ?o }", None)
    assert asked["shape"] == ("ask", False) and worker.run(_store(), asked)["form"] == "ask"


def test_a_clients_text_is_scanned_whatever_shape_the_job_says() -> None:
    """A client's SERVICE call is refused even in a job that carries a shape."""
    job: dict[str, object] = {
        "task": "query", "sparql": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> "
        "{ ?s ?p ?o } }", "substitutions": {}, "shape": ("select", False),
        "formats": {"select": "json"}, "default_graph": None, "named_graphs": None,
        "max_bytes": 1 << 20, "client": True, "federation": []}
    answer = worker.run(_store(), job)
    assert not answer["ok"] and answer["kind"] == "refused"


def test_negotiation_is_remembered_and_a_refusal_is_raised_every_time() -> None:
    from govkg.api.errors import NotAcceptable
    from govkg.api.negotiation import choose

    first = choose("select", "text/csv;q=0.9, application/sparql-results+xml")
    assert first.name == "xml"
    assert choose("select", "text/csv;q=0.9, application/sparql-results+xml") is first
    for _ in range(2):
        with pytest.raises(NotAcceptable):
            choose("select", "image/png")
