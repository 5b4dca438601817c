"""Named queries as operations: ``GET /queries`` lists them, ``GET /queries/{name}`` runs
one. Each query file becomes its own route at app creation, with its parameters and
their types in the signature, so the OpenAPI document shows one operation per question
with typed parameters (grlc's idea, without its text substitution: values are bound as
RDF terms by :meth:`NamedQuery.bindings`).
"""

from __future__ import annotations

import inspect
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from govkg.api.answers import respond_async
from govkg.api.deps import Services, ServicesDep
from govkg.api.negotiation import TABLES, choose
from govkg.graph.querylib import TYPES, NamedQuery, load_queries

#: query form -> result kind in the negotiation tables
KINDS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}


def describe(query: NamedQuery) -> dict[str, Any]:
    """A query's metadata as JSON: what ``GET /queries`` lists."""
    return {"name": query.name, "title": query.title, "description": query.description,
            "form": query.form, "href": f"/queries/{query.name}",
            "params": [{"name": p.name, "type": p.type, "json_type": TYPES[p.type][1],
                        "hint": TYPES[p.type][2], "description": p.description,
                        "default": p.default} for p in query.params]}


def list_queries(request: Request, services: ServicesDep,
                 format: Annotated[str | None, Query(description="json or html")] = None
                 ) -> Response:
    """Every query in ``queries/``, as JSON for programs or a page for people."""
    queries = [describe(q) for q in load_queries().values()]
    choice = choose("report", request.headers.get("accept"), format=format)
    if choice.name == "html":
        return services.templates.TemplateResponse(request, "queries.html",
                                                   {"title": "Named queries",
                                                    "queries": queries})
    return JSONResponse({"queries": queries})


def _text(value: Any) -> str:
    """A validated parameter value back as text for :meth:`NamedQuery.bindings`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")  # a plain decimal, never 1e+20
    return str(value)


def _annotation(kind: str, name: str, description: str, default: str | None) -> Any:
    """The FastAPI parameter for one declared parameter: its JSON type, its name in the
    query string, and a description that says what values it takes."""
    json_type = TYPES[kind][1]
    text = f"{description} Takes {TYPES[kind][2]}.".strip()
    if default is not None:
        text += f" Default: {default}."
    if json_type == "integer":
        return Annotated[int | None, Query(alias=name, description=text)]
    if json_type == "number":
        return Annotated[float | None, Query(alias=name, description=text, allow_inf_nan=False)]
    if json_type == "boolean":
        return Annotated[bool | None, Query(alias=name, description=text)]
    return Annotated[str | None, Query(alias=name, description=text, max_length=2000)]


def make_endpoint(query: NamedQuery) -> Any:
    """A route function for ``query`` whose signature declares the query's parameters."""
    names = {p.name: f"p_{p.name.replace('-', '_')}" for p in query.params}

    async def endpoint(request: Request, services: Services, **values: Any) -> Response:
        format = values.pop("format", None)
        given = {name: _text(values[arg]) for name, arg in names.items()
                 if values.get(arg) is not None}
        bindings = query.bindings(given)  # converting a few values: cheap, on the loop
        return await respond_async(services, request, query.text, bindings, format=format,
                                   page={
            "title": query.title, "description": query.description,
            "params": [{"name": p.name, "hint": TYPES[p.type][2], "default": p.default}
                       for p in query.params],
            "values": given})

    parameters = [
        inspect.Parameter("request", inspect.Parameter.KEYWORD_ONLY, annotation=Request),
        inspect.Parameter("services", inspect.Parameter.KEYWORD_ONLY, annotation=ServicesDep),
    ]
    for param in query.params:
        # the query string uses the declared name; Python sees a safe identifier
        annotation = _annotation(param.type, param.name, param.description, param.default)
        parameters.append(inspect.Parameter(names[param.name], inspect.Parameter.KEYWORD_ONLY,
                                            annotation=annotation, default=None))
    kinds = ", ".join(TABLES[KINDS[query.form]])
    parameters.append(inspect.Parameter(
        "format", inspect.Parameter.KEYWORD_ONLY, default=None,
        annotation=Annotated[str | None, Query(description=f"Result format: {kinds}.")]))

    async def route(**kwargs: Any) -> Response:
        return await endpoint(kwargs.pop("request"), kwargs.pop("services"), **kwargs)

    route.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    route.__name__ = "query_" + query.name.replace("-", "_")
    route.__doc__ = query.description
    return route


def build_router() -> APIRouter:
    """``GET /queries`` and one ``GET /queries/{name}`` operation per query file, typed
    parameters and all; called by ``create_app``, so a new query file needs no code."""
    target = APIRouter(tags=["named queries"])
    target.add_api_route("/queries", list_queries, methods=["GET"],
                         summary="List the named queries with their parameters")
    for query in load_queries().values():
        kind = KINDS[query.form]
        target.add_api_route(
            f"/queries/{query.name}", make_endpoint(query), methods=["GET"],
            operation_id=query.name, summary=query.title, description=query.description,
            tags=["named queries"],
            responses={200: {"content": {m: {} for m in TABLES[kind].values()}},
                       400: {"description": "A parameter value of the wrong type; the "
                             "message names the parameter."},
                       503: {"description": "The query ran past the time limit."}})
    return target
