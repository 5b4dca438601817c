"""Turning a query into an HTTP response: negotiate, run, serialise, or render HTML.

Shared by ``/sparql`` and the named-query operations, so both negotiate the same way
and both render the same HTML table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool

from govkg.api.deps import Services
from govkg.api.negotiation import Choice, choose
from govkg.api.querying import ProcessRunner, form_of
from govkg.graph.store.terms import from_json, ox_graph_name

#: query texts longer than this are parsed in the thread pool, not on the event loop
INLINE_PARSE = 20_000

#: SPARQL 1.1 Query Results in HTML have no standard: these are the machine formats
#: offered as links beside the table
MACHINE_FORMATS = {"select": ("json", "xml", "csv", "tsv"), "ask": ("json", "xml"),
                   "graph": ("turtle", "jsonld", "ntriples", "rdfxml", "trig")}


def checked_graphs(iris: Iterable[str] | None) -> list[str] | None:
    """Graph IRIs from the protocol's parameters, refusing what is not an IRI (400)."""
    if not iris:
        return None
    return [ox_graph_name(iri).value for iri in iris]


def respond(services: Services, request: Request, sparql: str,
            bindings: Mapping[str, Node] | None = None, *, format: str | None = None,
            default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None,
            page: Mapping[str, Any] | None = None) -> Response:
    """Run ``sparql`` and answer in the negotiated format.

    ``page`` holds what the HTML table shows above the results (title, description,
    parameters); the machine formats ignore it. Runs in the caller's thread: call it
    from a plain ``def`` route.
    """
    form, _ = form_of(sparql)  # a syntax error stops here, with line and column
    choice = choose(form, request.headers.get("accept"), format=format)
    defaults, named = checked_graphs(default_graph), checked_graphs(named_graphs)
    runner = services.runner
    if choice.name != "html":
        answer = runner.run(sparql, bindings, format=choice.name, default_graph=defaults,
                            named_graphs=named)
        return Response(answer.body, media_type=choice.content_type,
                        headers={"Vary": "Accept"})
    context: dict[str, Any] = {"title": "Query results", "description": None,
                               "params": [], "values": {}, "boolean": None, "turtle": None,
                               "variables": [], "rows": [], **(page or {})}
    if form == "graph":
        answer = runner.run(sparql, bindings, format="turtle", default_graph=defaults,
                            named_graphs=named)
        context["turtle"] = answer.body.decode("utf-8")
    else:
        answer = runner.run(sparql, bindings, format="json", default_graph=defaults,
                            named_graphs=named)
        data = json.loads(answer.body)
        if "boolean" in data:
            context["boolean"] = bool(data["boolean"])
        else:
            context["variables"] = data["head"].get("vars", [])
            context["rows"] = [{k: from_json(v) for k, v in row.items()}
                               for row in data["results"]["bindings"]]
    params = dict(request.query_params)

    def link(name: str) -> str:
        return f"{request.url.path}?{urlencode({**params, 'format': name})}"

    context["formats"] = MACHINE_FORMATS[form]
    context["link"] = link
    response = services.templates.TemplateResponse(request, "table.html", context)
    response.headers["Vary"] = "Accept"
    return response


async def respond_async(services: Services, request: Request, sparql: str,
                        bindings: Mapping[str, Node] | None = None, *,
                        format: str | None = None,
                        default_graph: Iterable[str] | None = None,
                        named_graphs: Iterable[str] | None = None,
                        page: Mapping[str, Any] | None = None) -> Response:
    """:func:`respond` for ``async`` routes: a result in a machine format from the worker
    processes is awaited on the event loop (no thread hop); everything else (HTML,
    another kind of runner, a long query text to parse) goes to the thread pool."""
    runner = services.runner
    if isinstance(runner, ProcessRunner) and len(sparql) <= INLINE_PARSE:
        form, _ = form_of(sparql)
        choice = choose(form, request.headers.get("accept"), format=format)
        if choice.name != "html":
            answer = await runner.run_async(
                sparql, bindings, format=choice.name,
                default_graph=checked_graphs(default_graph),
                named_graphs=checked_graphs(named_graphs))
            return Response(answer.body, media_type=choice.content_type,
                            headers={"Vary": "Accept"})
    return await run_in_threadpool(respond, services, request, sparql, bindings,
                                   format=format, default_graph=default_graph,
                                   named_graphs=named_graphs, page=page)


def html_wanted(request: Request, format: str | None, kind: str = "graph") -> Choice:
    """The negotiated format for a page that also exists as RDF."""
    return choose(kind, request.headers.get("accept"), format=format)
