"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graph-store`` (indirect graph
identification, ``?graph=IRI``).

Reading a graph is always allowed (the same data is in the dumps). PUT, POST and DELETE
change the store, so they are off unless a write token is configured, and then need it
as a Bearer token. govkg keeps every triple in a named graph, so ``?default`` can be
read (the union) but not written.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from rdflib import Graph

from govkg.api.deps import ServicesDep, WriterDep, read_body
from govkg.api.errors import NotFound, UnsupportedMediaType
from govkg.graph.errors import InputError
from govkg.graph.store.terms import ox_graph_name

router = APIRouter(tags=["Graph Store Protocol"])

#: what a GET can answer with: media type -> the store's export format
EXPORTS = {"application/trig": "trig", "application/n-quads": "nq", "text/turtle": "ttl",
           "application/ld+json": "jsonld"}
#: what a PUT or POST may send: media type -> rdflib parser
PARSERS = {"text/turtle": "turtle", "application/n-triples": "nt",
           "application/ld+json": "json-ld", "application/rdf+xml": "xml"}

GraphParam = Annotated[str | None, Query(description="The graph's IRI.")]
DefaultParam = Annotated[str | None, Query(description="Present: the default graph.")]


def _graph(graph: str | None, default: str | None, *, writing: bool) -> str | None:
    if graph is None and default is None:
        raise InputError("say which graph: ?graph=IRI or ?default")
    if graph is None:
        if writing:
            raise InputError("govkg keeps every triple in a named graph; write ?graph=IRI")
        return None
    return ox_graph_name(graph).value


@router.get("/rdf-graph-store", summary="Read one named graph (or the union, ?default)",
            responses={200: {"content": {m: {} for m in EXPORTS}}})
def read_graph(request: Request, services: ServicesDep, graph: GraphParam = None,
               default: DefaultParam = None) -> Response:
    name = _graph(graph, default, writing=False)
    accept = request.headers.get("accept", "")
    media = next((m for m in EXPORTS if m in accept), "text/turtle")
    if name is not None and name not in {info.iri for info in services.store.graphs()}:
        raise NotFound(f"no graph <{name}>")
    body = services.store.export(EXPORTS[media], name)
    return Response(body, media_type=media)


async def graph_body(request: Request) -> Graph:
    limit = request.app.state.services.settings.max_body_bytes
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in PARSERS:
        raise UnsupportedMediaType(f"send the graph as one of {', '.join(PARSERS)}")
    body = await read_body(request, limit)
    if media == "application/ld+json" and b'"@context": "' in body:
        raise InputError("remote JSON-LD contexts are not fetched; inline the @context")
    graph = Graph()
    try:
        graph.parse(data=body.decode("utf-8"), format=PARSERS[media])
    except (SyntaxError, ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"the graph does not parse as {media}: {exc}") from None
    return graph


BodyGraph = Annotated[Graph, Depends(graph_body)]


@router.put("/rdf-graph-store", status_code=204, summary="Replace a named graph")
def put_graph(services: ServicesDep, _: WriterDep, content: BodyGraph,
              graph: GraphParam = None, default: DefaultParam = None) -> Response:
    name = _graph(graph, default, writing=True)
    assert name is not None
    services.store.replace_graph(name, content)
    services.written()
    return Response(status_code=204)


@router.post("/rdf-graph-store", status_code=204, summary="Add triples to a named graph")
def post_graph(services: ServicesDep, _: WriterDep, content: BodyGraph,
               graph: GraphParam = None, default: DefaultParam = None) -> Response:
    name = _graph(graph, default, writing=True)
    assert name is not None
    existing = Graph()
    if name in {info.iri for info in services.store.graphs()}:
        existing.parse(data=services.store.export("ttl", name).decode("utf-8"), format="turtle")
    existing += content
    services.store.replace_graph(name, existing)
    services.written()
    return Response(status_code=204)


@router.delete("/rdf-graph-store", status_code=204, summary="Delete a named graph")
def delete_graph(services: ServicesDep, _: WriterDep, graph: GraphParam = None,
                 default: DefaultParam = None) -> Response:
    name = _graph(graph, default, writing=True)
    assert name is not None
    if name not in {info.iri for info in services.store.graphs()}:
        raise NotFound(f"no graph <{name}>")
    services.store.drop_graph(name)
    services.written()
    return Response(status_code=204)
