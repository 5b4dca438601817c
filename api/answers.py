"""Turning a query into an HTTP response: negotiate, run, serialise, or render HTML.

Shared by ``/sparql`` and the named-query operations, so both negotiate the same way
and both render the same HTML table.

The server never parses a client's query: the format is chosen for each of the three
forms a result can take (table, boolean, graph) before the query runs, and the worker,
which learns the form by scanning the text, serialises in the one that fits. The time
limit starts when the request does.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from fastapi import Request, Response
from rdflib.term import Node
from starlette.concurrency import run_in_threadpool

from govkg.api.deps import Services
from govkg.api.errors import NotAcceptable
from govkg.api.negotiation import Choice, choose
from govkg.api.querying import Answer, FormatRefused, ProcessRunner
from govkg.graph.store.terms import from_json, ox_graph_name

#: SPARQL 1.1 Query Results in HTML have no standard: these are the machine formats
#: offered as links beside the table
MACHINE_FORMATS = {"select": ("json", "xml", "csv", "tsv"), "ask": ("json", "xml"),
                   "graph": ("turtle", "jsonld", "ntriples", "rdfxml", "trig")}
#: what the worker sends when the client wants HTML: the table is rendered from these
HTML_SOURCES = {"select": "json", "ask": "json", "graph": "turtle"}


def checked_graphs(iris: Iterable[str] | None) -> list[str] | None:
    """Graph IRIs from the protocol's parameters, refusing what is not an IRI (400)."""
    if not iris:
        return None
    return [ox_graph_name(iri).value for iri in iris]


def client_of(request: Request) -> str:
    """The client's address: the unit of the per-client limit on expensive work."""
    return request.client.host if request.client else "unknown"


def negotiate(request: Request, format: str | None
              ) -> tuple[dict[str, Choice], dict[str, NotAcceptable]]:
    """The client's format for each form a result can take, and the forms it refuses."""
    choices: dict[str, Choice] = {}
    refused: dict[str, NotAcceptable] = {}
    for form in MACHINE_FORMATS:
        try:
            choices[form] = choose(form, request.headers.get("accept"), format=format)
        except NotAcceptable as exc:
            refused[form] = exc
    if not choices:
        raise next(iter(refused.values()))
    return choices, refused


def wire_formats(choices: Mapping[str, Choice]) -> dict[str, str]:
    """What the worker serialises for each form (HTML is rendered here from JSON/Turtle)."""
    return {form: HTML_SOURCES[form] if choice.name == "html" else choice.name
            for form, choice in choices.items()}


def render(services: Services, request: Request, answer: Answer, choice: Choice,
           page: Mapping[str, Any] | None) -> Response:
    """The answer as the client asked: its bytes, or the HTML table made from them."""
    if choice.name != "html":
        return Response(answer.body, media_type=choice.content_type,
                        headers={"Vary": "Accept"})
    context: dict[str, Any] = {"title": "Query results", "description": None,
                               "params": [], "values": {}, "boolean": None, "turtle": None,
                               "variables": [], "rows": [], **(page or {})}
    if answer.form == "graph":
        context["turtle"] = answer.body.decode("utf-8")
    else:
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

    context["formats"] = MACHINE_FORMATS[answer.form]
    context["link"] = link
    response = services.templates.TemplateResponse(request, "table.html", context)
    response.headers["Vary"] = "Accept"
    return response


async def respond_async(services: Services, request: Request, sparql: str,
                        bindings: Mapping[str, Node] | None = None, *,
                        format: str | None = None,
                        default_graph: Iterable[str] | None = None,
                        named_graphs: Iterable[str] | None = None,
                        page: Mapping[str, Any] | None = None,
                        from_client: bool = False) -> Response:
    """Run ``sparql`` and answer in the negotiated format.

    ``from_client`` marks a query text the client wrote (``/sparql``): its SERVICE calls
    are checked and it counts against the client's share of the workers. ``page`` holds
    what the HTML table shows above the results (title, description, parameters); the
    machine formats ignore it. With worker processes the answer is awaited on the event
    loop; another runner (a SPARQL server) is called from the thread pool.
    """
    deadline = time.monotonic() + services.settings.query_timeout
    choices, refused = negotiate(request, format)
    options: dict[str, Any] = {
        "format": wire_formats(choices), "default_graph": checked_graphs(default_graph),
        "named_graphs": checked_graphs(named_graphs),
        "client": client_of(request) if from_client else None, "deadline": deadline}
    runner = services.runner
    try:
        if isinstance(runner, ProcessRunner):
            answer = await runner.run_async(sparql, bindings, **options)
        else:
            answer = await run_in_threadpool(runner.run, sparql, bindings, **options)
    except FormatRefused as exc:  # the query's form is one the client has no format for
        raise refused.get(exc.form or "", exc) from None
    choice = choices[answer.form]
    if choice.name == "html":  # rendering a long table is work: not on the event loop
        return await run_in_threadpool(render, services, request, answer, choice, page)
    return render(services, request, answer, choice, page)


def html_wanted(request: Request, format: str | None, kind: str = "graph") -> Choice:
    """The negotiated format for a page that also exists as RDF."""
    return choose(kind, request.headers.get("accept"), format=format)
