"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/rdf-graph-store`` (indirect graph
identification, ``?graph=IRI``).

Reading a graph is always allowed (the same data is in the dumps). PUT, POST and DELETE
change the store, so they are off unless a write token is configured, and then need it
as a Bearer token. govkg keeps every triple in a named graph, so ``?default`` can be
read (the union) but not written, and graphs govkg manages itself (staging graphs of a
load in progress, derived graphs, the ontology and reference data) are refused with 403.
A body is read by :func:`govkg.graph.rdfio.parse_rdf`, like every file the CLI reads:
malformed RDF, an IRI with a space or deeply nested input is a 400 naming the line, and
nothing fetches a remote JSON-LD context.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response
from rdflib import Graph
from starlette.concurrency import run_in_threadpool

from govkg.api.deps import ServicesDep, WriterDep, read_body
from govkg.api.errors import NotFound, ReservedGraph, UnsupportedMediaType
from govkg.api.routers.responses import errors
from govkg.graph.errors import InputError
from govkg.graph.rdfio import parse_rdf
from govkg.graph.store import reserved_graph
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
    name = ox_graph_name(graph).value
    why = reserved_graph(name) if writing else None
    if why is not None:
        raise ReservedGraph(f"<{name}> cannot be written: {why}")
    return name


@router.get("/rdf-graph-store", summary="Read one named graph (or the union, ?default)",
            responses={200: {"content": {m: {} for m in EXPORTS}},
                       **errors(400, 404, 422, 500,
                                s400="No graph named, or not an absolute IRI.",
                                s404="No such graph.")})
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
    # parsing is CPU work: off the event loop, so other requests go on meanwhile
    return await run_in_threadpool(parse_rdf, body, PARSERS[media], "request body")


BodyGraph = Annotated[Graph, Depends(graph_body)]


WRITE_ERRORS = errors(400, 401, 403, 413, 415, 422, 500,
                      s400="Malformed RDF (the message names the line), no graph named, or "
                           "not an absolute IRI.")


@router.put("/rdf-graph-store", status_code=204, summary="Replace a named graph",
            responses=WRITE_ERRORS)
def put_graph(services: ServicesDep, _: WriterDep, content: BodyGraph,
              graph: GraphParam = None, default: DefaultParam = None) -> Response:
    name = _graph(graph, default, writing=True)
    assert name is not None
    services.store.replace_graph(name, content)
    services.written()
    return Response(status_code=204)


@router.post("/rdf-graph-store", status_code=204, summary="Add triples to a named graph",
             responses=WRITE_ERRORS)
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


@router.delete("/rdf-graph-store", status_code=204, summary="Delete a named graph",
               responses=errors(400, 401, 403, 404, 422, 500, s404="No such graph."))
def delete_graph(services: ServicesDep, _: WriterDep, graph: GraphParam = None,
                 default: DefaultParam = None) -> Response:
    name = _graph(graph, default, writing=True)
    assert name is not None
    if name not in {info.iri for info in services.store.graphs()}:
        raise NotFound(f"no graph <{name}>")
    services.store.drop_graph(name)
    services.written()
    return Response(status_code=204)
