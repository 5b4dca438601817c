"""Dereferencing: every IRI under ``/id/`` and ``/def/`` answers with a page for people
and RDF for programs (Accept header, ``format=``, or a ``.ttl``/``.jsonld``/``.nt``/
``.rdf``/``.trig`` suffix, which is how the static site links to RDF).

Councils, framework editions and framework items get their own pages (built from the
named queries, see :mod:`govkg.api.pages`); every other resource gets the generic page:
its statements, what refers to it, and the quoted source text.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from rdflib import URIRef

from govkg.api import pages
from govkg.api.deps import Services, ServicesDep
from govkg.api.errors import NotFound, error_responses
from govkg.api.linked import DESCRIBE
from govkg.api.negotiation import TABLES, choose
from govkg.graph.errors import QueryError
from govkg.graph.results import serialize_graph
from govkg.graph.store.terms import n3

router = APIRouter(tags=["linked data"])

SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".rdf": "rdfxml",
            ".trig": "trig"}
FormatParam = Annotated[str | None, Query(
    description="html, turtle, jsonld, ntriples, rdfxml or trig (else the Accept header)")]
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in TABLES["graph"].values()}},
    **error_responses(404, 406, 422)}


def split_suffix(path: str) -> tuple[str, str | None]:
    """``council/x.ttl`` -> (``council/x``, ``turtle``); other paths are left alone."""
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix):
            return path[: -len(suffix)], name
    return path, None


def describe(services: Services, iri: URIRef, format: str) -> bytes:
    """The resource's triples and its neighbours' labels, under the published base."""
    graph = services.cached(("describe", str(iri)),
                            lambda: services.runner.graph(DESCRIBE, {"resource": iri}))
    if not len(graph):
        raise NotFound(f"nothing is known about <{services.links.publish(str(iri))}>")
    return serialize_graph(services.links.publish_graph(graph), format).encode("utf-8")


def page(services: Services, request: Request, path: str, iri: URIRef) -> HTMLResponse:
    """The HTML page for ``iri``, chosen by its type."""
    def build() -> tuple[str, dict[str, Any]]:
        found = pages.page_of(services.runner, iri)
        if found is None:
            raise NotFound(f"nothing is known about <{services.links.publish(str(iri))}>")
        template, context = found
        return template, {**context, "path": path}

    template, context = services.cached(("page", str(iri)), build)
    response = services.templates.TemplateResponse(request, template, context)
    response.headers["Vary"] = "Accept"
    return response


def dereference(services: Services, request: Request, prefix: str, rest: str,
                format: str | None) -> Response:
    rest, suffix_format = split_suffix(rest)
    path = f"/{prefix}/{rest}"
    iri = services.links.iri_of(path)
    try:
        n3(iri)  # an IRI the store can hold, or nothing can be known about it
    except QueryError:
        raise NotFound(f"not a resource IRI: {path!r}") from None
    choice = choose("graph", request.headers.get("accept"), format=format or suffix_format)
    if choice.name == "html":
        return page(services, request, path, iri)
    return Response(describe(services, iri, choice.name), media_type=choice.content_type,
                    headers={"Vary": "Accept"})


@router.get("/id/{rest:path}", responses=RESPONSES, summary="Dereference a resource IRI")
def resource(rest: str, request: Request, services: ServicesDep,
             format: FormatParam = None) -> Response:
    """A council, document, post, framework item, ... as a page or as RDF."""
    return dereference(services, request, "id", rest, format)


@router.get("/def/{rest:path}", responses=RESPONSES,
            summary="Dereference an ontology term (or the ontology, at /def/)")
def term(rest: str, request: Request, services: ServicesDep,
         format: FormatParam = None) -> Response:
    """An ontology term as RDF; for people, the ontology documentation."""
    choice = choose("graph", request.headers.get("accept"), format=format)
    if rest == "" and choice.name == "html":
        return RedirectResponse("/docs/ontology.html", status_code=303)
    return dereference(services, request, "def", rest, format)


@router.get("/def", include_in_schema=False)
def ontology(request: Request) -> Response:
    return RedirectResponse("/def/" + (f"?{request.url.query}" if request.url.query else ""),
                            status_code=308)
