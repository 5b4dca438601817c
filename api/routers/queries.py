"""Named queries as operations: ``GET /queries`` lists them, ``GET /queries/{name}`` runs
one. Each query file becomes its own route at app creation, with its parameters and
their types in the signature, so the OpenAPI document shows one operation per question
with typed parameters (grlc's idea, without its text substitution: values are bound as
RDF terms by :meth:`NamedQuery.bindings`).

A value for a parameter that names a resource (``council``, ``topic``...) is looked up
in the store's labels (:class:`~govkg.graph.querylib.Names`, cached until the next
write): ``Kent``, ``Kent County Council`` or ``E10000016``; one that names nothing is a
400 listing the values the parameter takes. A SELECT query is paged with ``limit`` and
``offset``; the response then carries the total number of rows in ``X-Total-Count`` (counted
once per store version) and the next page in a ``Link: rel="next"`` header. A query ordered
by the council's label, or by score and then the label, reads its page council by council
(``graph/store/paging.py``).
"""

from __future__ import annotations

import inspect
import re
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from govkg.api.answers import respond_async
from govkg.api.deps import Services, ServicesDep
from govkg.api.negotiation import TABLES, choose
from govkg.api.querying import runner_store
from govkg.api.routers.responses import errors
from govkg.graph.errors import QueryError
from govkg.graph.querylib import NAMED_TYPES, TYPES, NamedQuery, Names, load_queries
from govkg.graph.store.paging import councils_by_label, page_query, pageable
from govkg.graph.store.terms import bind_values

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


#: rows a page holds at most
MAX_LIMIT = 10_000
_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*|(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^>]*>)*",
                       re.IGNORECASE)


def paged(text: str, limit: int | None, offset: int) -> tuple[str, str]:
    r"""A bound SELECT query's page (``LIMIT``/``OFFSET`` after its own modifiers) and the
    query counting all its rows (the query as a sub-select, which keeps its ORDER BY,
    GROUP BY and VALUES).

    >>> page, count = paged("PREFIX a: <http://a/> SELECT ?x WHERE { ?x a:p 1 } ORDER BY ?x",
    ...                     10, 20)
    >>> page.endswith("ORDER BY ?x\nLIMIT 10 OFFSET 20")
    True
    >>> count.split("WHERE")[0]
    'PREFIX a: <http://a/> SELECT (COUNT(*) AS ?total) '
    """
    prologue = _PROLOGUE.match(text)
    end = prologue.end() if prologue else 0
    count = f"{text[:end]}SELECT (COUNT(*) AS ?total) WHERE {{ {text[end:]}\n}}"
    window = (f" LIMIT {limit}" if limit is not None else "") + f" OFFSET {offset}"
    return f"{text}\n{window.strip()}", count


def _total(services: Services, count_query: str) -> int:
    rows = services.runner.select(count_query).rows
    return int(rows[0]["total"]) if rows else 0  # type: ignore[call-overload]


def _page_by_council(services: Services, query: NamedQuery, bindings: dict[str, Any],
                     limit: int, offset: int) -> str:
    """The page of a query ordered by the council's label, as a query over the councils
    the page spans (graph/store/paging.py): its first page no longer waits for every
    council's rows to be sorted. The councils' order is kept until the store changes."""
    store = runner_store(services.runner)
    groups = services.cached(("councils-by-label",), lambda: councils_by_label(store))
    return page_query(store, query.text, bindings, limit, offset, groups)


def make_endpoint(query: NamedQuery) -> Any:
    """A route function for ``query`` whose signature declares the query's parameters."""
    names = {p.name: f"p_{p.name.replace('-', '_')}" for p in query.params}
    named_types = {p.name for p in query.params if p.type in NAMED_TYPES}

    async def endpoint(request: Request, services: Services, **values: Any) -> Response:
        format = values.pop("format", None)
        limit, offset = values.pop("limit", None), values.pop("offset", None)
        given = {name: _text(values[arg]) for name, arg in names.items()
                 if values.get(arg) is not None}
        lookup = None
        if named_types & set(given):  # the store's labels, indexed once per store version
            lookup = services.peek(("parameter-names",))  # no thread hop once it is made
            if lookup is None:
                lookup = await run_in_threadpool(services.cached, ("parameter-names",),
                                                 lambda: Names.from_store(services.store))
        bindings = query.bindings(given, lookup)
        text, headers = query.text, {}
        if limit is not None or offset is not None:
            if query.form != "SELECT":
                raise QueryError(f"limit and offset page a table; {query.name} answers "
                                 f"{query.form}")
            text, count = paged(bind_values(query.text, bindings) if bindings else query.text,
                                limit, offset or 0)
            if limit is not None and "council" not in bindings and pageable(query.text):
                text = await run_in_threadpool(_page_by_council, services, query, bindings,
                                               limit, offset or 0)
            bindings = {}
            # the same count until the store changes: counting costs the whole result
            total = await run_in_threadpool(services.cached, ("total", count),
                                            lambda: _total(services, count))
            headers["X-Total-Count"] = str(total)
            if limit is not None and (offset or 0) + limit < total:
                following = request.url.include_query_params(offset=(offset or 0) + limit)
                headers["Link"] = f'<{following}>; rel="next"'
        response = await respond_async(services, request, text, bindings, format=format,
                                       page={
            "title": query.title, "description": query.description,
            "params": [{"name": p.name, "hint": TYPES[p.type][2], "default": p.default}
                       for p in query.params],
            "values": given})
        response.headers.update(headers)
        return response

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
    if query.form == "SELECT":
        parameters.append(inspect.Parameter(
            "limit", inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[int | None, Query(
                ge=1, le=MAX_LIMIT, description="Rows per page; the response then says "
                "the total in X-Total-Count.")]))
        parameters.append(inspect.Parameter(
            "offset", inspect.Parameter.KEYWORD_ONLY, default=None,
            annotation=Annotated[int | None, Query(
                ge=0, le=10**9, description="Rows to skip (with limit: a later page).")]))
    parameters.append(inspect.Parameter(
        "format", inspect.Parameter.KEYWORD_ONLY, default=None,
        annotation=Annotated[str | None, Query(description=f"Result format: {kinds}.")]))

    async def route(**kwargs: Any) -> Response:
        return await endpoint(kwargs.pop("request"), kwargs.pop("services"), **kwargs)

    route.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    route.__name__ = "query_" + query.name.replace("-", "_")
    route.__doc__ = query.description
    return route


def responses(kind: str) -> dict[int | str, dict[str, Any]]:
    """The answers a named query can give, as the OpenAPI document states them."""
    headers = {"X-Total-Count": {"description": "With limit or offset: all rows.",
                                 "schema": {"type": "integer"}},
               "Link": {"description": 'With limit: the next page (rel="next").',
                        "schema": {"type": "string"}}}
    return {200: {"content": {m: {} for m in TABLES[kind].values()},
                  **({"headers": headers} if kind == "select" else {})},
            **errors(400, 406, 413, 422, 500, 503,
                     s400="A parameter value of the wrong type, or one that names nothing "
                          "(the message names the parameter and the values it takes).")}


def build_router() -> APIRouter:
    """``GET /queries`` and one ``GET /queries/{name}`` operation per query file, typed
    parameters and all; called by ``create_app``, so a new query file needs no code."""
    target = APIRouter(tags=["named queries"])
    target.add_api_route("/queries", list_queries, methods=["GET"],
                         summary="List the named queries with their parameters",
                         responses=errors(406, 422))
    for query in load_queries().values():
        kind = KINDS[query.form]
        target.add_api_route(
            f"/queries/{query.name}", make_endpoint(query), methods=["GET"],
            operation_id=query.name, summary=query.title, description=query.description,
            tags=["named queries"],
            responses=responses(kind))
    return target
