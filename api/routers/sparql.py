"""The SPARQL 1.1 Protocol endpoint, ``/sparql``: query by GET, by POST form and by POST
direct body; update (when a write token is configured); a service description.

The routes await the query worker (:func:`govkg.api.answers.respond_async`), so a long
query never blocks the event loop and the client's query text is never parsed in the
server process; the body of a POST is read (within the size limit) by an async
dependency first.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Query, Request, Response
from fastapi.responses import RedirectResponse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, Namespace
from starlette.concurrency import run_in_threadpool

from govkg.api.answers import respond_async
from govkg.api.deps import Services, ServicesDep, read_body, require_writer
from govkg.api.errors import ReservedGraph, UnsupportedMediaType, error_responses
from govkg.api.negotiation import TABLES, choose
from govkg.api.querying import FederationRefused
from govkg.api.schemas import SPARQL_RESULTS_JSON
from govkg.api.worker import refused_services
from govkg.graph.errors import InputError, Location
from govkg.graph.results import serialize_graph
from govkg.graph.sparqlscan import scan_update
from govkg.graph.store import reserved_graph

router = APIRouter(tags=["SPARQL 1.1 Protocol"])

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: our format names -> the W3C's IRIs for them (service descriptions name formats so)
FORMAT_IRIS = {"json": "SPARQL_Results_JSON", "xml": "SPARQL_Results_XML",
               "csv": "SPARQL_Results_CSV", "tsv": "SPARQL_Results_TSV",
               "turtle": "Turtle", "ntriples": "N-Triples", "jsonld": "JSON-LD",
               "rdfxml": "RDF_XML", "trig": "TriG"}

#: what a query's 200 may hold: SPARQL JSON results have a schema, the rest are text
RESULT_CONTENT: dict[str, Any] = {
    media: {"schema": SPARQL_RESULTS_JSON} if media == TABLES["select"]["json"] else {}
    for media in sorted({*TABLES["select"].values(), *TABLES["graph"].values()})}

GraphList = Annotated[list[str] | None, Query(
    alias="default-graph-uri", description="Use the merge of these graphs as the default "
    "graph (else the union of all graphs).")]
NamedList = Annotated[list[str] | None, Query(
    alias="named-graph-uri", description="The named graphs the query may use with GRAPH.")]
FormatParam = Annotated[str | None, Query(
    description="Result format when the Accept header cannot say it: json, xml, csv, tsv, "
    "turtle, ntriples, jsonld, rdfxml, trig or html.")]


def service_description(services: Services, endpoint: str) -> Graph:
    """What the endpoint offers, in the SPARQL 1.1 Service Description vocabulary."""
    graph = Graph()
    graph.bind("sd", SD)
    graph.bind("formats", FORMATS)
    service, dataset = URIRef(endpoint), URIRef(endpoint + "#dataset")
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if services.settings.write_token is not None:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    if services.settings.federation:
        graph.add((service, SD.feature, SD.BasicFederatedQuery))
    for name in FORMAT_IRIS.values():
        graph.add((service, SD.resultFormat, FORMATS[name]))
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), service))
    graph.add((service, URIRef("http://purl.org/dc/terms/description"), Literal(
        f"govkg SPARQL endpoint; queries stop after {services.settings.query_timeout:g} s",
        lang="en")))
    return graph


def _describe_service(services: Services, request: Request, format: str | None) -> Response:
    choice = choose("graph", request.headers.get("accept"), format=format)
    if choice.name == "html":
        return RedirectResponse("/query", status_code=303)
    graph = service_description(services, str(request.url_for("sparql_get")))
    return Response(serialize_graph(graph, choice.name), media_type=choice.content_type)


@router.get("/sparql", name="sparql_get", summary="SPARQL query by GET, or the service "
            "description when there is no query",
            responses={200: {"content": RESULT_CONTENT}, **error_responses(400, 406, 422, 503)})
async def sparql_get(request: Request, services: ServicesDep,
                     query: Annotated[str | None, Query(description="The SPARQL query.")]
                     = None, default_graph_uri: GraphList = None,
                     named_graph_uri: NamedList = None, format: FormatParam = None
                     ) -> Response:
    """Answer a query in the format the Accept header (or ``format``) asks for (awaiting
    the query worker on the event loop; HTML and the description use the thread pool)."""
    if query is None:
        return await run_in_threadpool(_describe_service, services, request, format)
    return await respond_async(services, request, query, format=format,
                               default_graph=default_graph_uri, named_graphs=named_graph_uri,
                               from_client=True)


async def sparql_body(request: Request) -> tuple[str, dict[str, list[str]]]:
    """The POST body, read within the size limit: its media type and its fields."""
    limit = request.app.state.services.settings.max_body_bytes
    body = await read_body(request, limit)
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("the request body is not UTF-8 text") from None
    if media == "application/x-www-form-urlencoded":
        return media, parse_qs(text, keep_blank_values=True)
    if media == "application/sparql-query":
        return media, {"query": [text]}
    if media == "application/sparql-update":
        return media, {"update": [text]}
    raise UnsupportedMediaType(
        "POST a form (application/x-www-form-urlencoded) with 'query' or 'update', or the "
        "query itself as application/sparql-query, or an update as application/sparql-update")


def checked_update(services: Services, text: str) -> None:
    """Refuse an update that would reach the network (LOAD, SERVICE) unless the settings
    allow it, or that nests or branches as deep as crashes Oxigraph's parser (updates
    are parsed in the server process, which holds the store for writing)."""
    shape = scan_update(text)
    if shape.loads and not services.settings.allow_network:
        raise InputError("LOAD fetches a document from the network, which this service "
                         "does not do unless GOVKG_ALLOW_NETWORK is set; send the data in "
                         "an INSERT DATA or a Graph Store PUT instead", Location("update"))
    refused = refused_services(shape, services.settings.federation)
    if refused:
        raise FederationRefused(refused, Location("update"))
    for name in shape.graphs:  # govkg's own graphs, as the Graph Store refuses them too
        why = reserved_graph(name)
        if why is not None:
            raise ReservedGraph(f"<{name}> cannot be written: {why}")


BodyDep = Annotated[tuple[str, dict[str, list[str]]], Depends(sparql_body)]


@router.post("/sparql", summary="SPARQL query or update by POST (form or direct body)",
             openapi_extra={"requestBody": {"content": {
                 "application/x-www-form-urlencoded": {"schema": {
                     "type": "object", "properties": {
                         "query": {"type": "string"}, "update": {"type": "string"},
                         "default-graph-uri": {"type": "string"},
                         "named-graph-uri": {"type": "string"}}}},
                 "application/sparql-query": {"schema": {"type": "string"}},
                 "application/sparql-update": {"schema": {"type": "string"}}}}},
             responses={200: {"content": RESULT_CONTENT},
                        204: {"description": "The update was applied."},
                        **error_responses(400, 401, 403, 406, 413, 415, 422, 503)})
async def sparql_post(request: Request, services: ServicesDep, body: BodyDep,
                      default_graph_uri: GraphList = None, named_graph_uri: NamedList = None,
                      format: FormatParam = None) -> Response:
    """A query (form field ``query`` or a direct body) or an update (``update``)."""
    _, fields = body
    if "update" in fields:
        require_writer(request, services)
        checked_update(services, fields["update"][0])
        await run_in_threadpool(services.store.update, fields["update"][0])
        services.written()
        return Response(status_code=204)
    if "query" not in fields:
        raise InputError("the form has neither 'query' nor 'update'")
    defaults = (default_graph_uri or []) + fields.get("default-graph-uri", [])
    named = (named_graph_uri or []) + fields.get("named-graph-uri", [])
    return await respond_async(services, request, fields["query"][0],
                               format=format or next(iter(fields.get("format", [])), None),
                               default_graph=defaults or None, named_graphs=named or None,
                               from_client=True)
