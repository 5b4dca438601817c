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

The named queries are the service's hot path, so :class:`Shortcut` answers a request whose
parameters are plain (each once, text within its length, whole numbers within their
bounds) before FastAPI's routing and parameter solving, which cost a light query about
0.5 ms of the server's CPU per request; any other request, malformed ones included, takes
the FastAPI route, which validates it and answers as the OpenAPI document says.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.routing import BaseRoute, Match, NoMatchFound, request_response
from starlette.types import Receive, Scope, Send

from govkg.api.answers import respond_async
from govkg.api.deps import Services, ServicesDep
from govkg.api.negotiation import TABLES, choose
from govkg.api.querying import runner_store
from govkg.api.routers.responses import errors
from govkg.graph.errors import QueryError
from govkg.graph.querylib import NAMED_TYPES, TYPES, NamedQuery, Names, load_queries
from govkg.graph.store.paging import (
    Counts,
    council_counts,
    councils_by_label,
    page_query,
    pageable,
    pages_by_council,
)
from govkg.graph.store.terms import bind_values, wrapped

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


#: the longest value a text parameter takes (FastAPI refuses longer ones with a 422)
MAX_TEXT = 2000
#: rows a page holds at most
MAX_LIMIT = 10_000
#: rows a page may skip at most
MAX_OFFSET = 10**9


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
    return Annotated[str | None, Query(alias=name, description=text, max_length=MAX_TEXT)]
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
    count = wrapped(text, "(COUNT(*) AS ?total)")
    window = (f" LIMIT {limit}" if limit is not None else "") + f" OFFSET {offset}"
    return f"{text}\n{window.strip()}", count


def _total(services: Services, count_query: str) -> int:
    rows = services.runner.select(count_query).rows
    return int(rows[0]["total"]) if rows else 0  # type: ignore[call-overload]


def _page_by_council(services: Services, query: NamedQuery, bindings: dict[str, Any],
                     limit: int, offset: int, counts: Counts | None, budget: float) -> str:
    """The page of a query ordered by the council's label, as a query over the councils
    the page spans (graph/store/paging.py): its first page no longer waits for every
    council's rows to be sorted, and with ``counts`` a later page starts at the council
    its offset falls in. The councils' order is kept until the store changes."""
    store = runner_store(services.runner)
    groups = services.cached(("councils-by-label",), lambda: councils_by_label(store))
    return page_query(store, query.text, bindings, limit, offset, groups, counts=counts,
                      budget=budget)


def _counts(services: Services, bound: str) -> tuple[Counts | None, int, float]:
    """The bound query's rows by council (:func:`paging.council_counts`), their sum (the
    total) and the seconds counting took, which a later page may spend reading council
    by council before it takes the whole result's slice; or the total alone where a row
    has no council. One grouped count, which costs what counting the rows does."""
    started = time.perf_counter()
    counts = council_counts(runner_store(services.runner), bound)
    if counts is None:
        return None, _total(services, paged(bound, None, 0)[1]), 0.0
    return counts, sum(counts.values()), time.perf_counter() - started


Endpoint = Callable[..., Awaitable[Response]]


def _argument(name: str) -> str:
    """The Python name of a query's parameter (the query string uses the declared one)."""
    return f"p_{name.replace('-', '_')}"


def make_endpoint(query: NamedQuery) -> Endpoint:
    """The function answering ``query``: ``endpoint(request, services, **arguments)``,
    the arguments named by :func:`_argument` (and ``limit``, ``offset``, ``format``),
    each None or already validated."""
    names = {p.name: _argument(p.name) for p in query.params}
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
            bound = bind_values(query.text, bindings) if bindings else query.text
            text, count = paged(bound, limit, offset or 0)
            # the same count until the store changes: counting costs the whole result;
            # once counted, read without a thread hop. A query paged by council is
            # counted by council, so that its later pages start where their rows are
            if "council" not in bindings and pages_by_council(query.text):
                key, make = ("council-counts", bound), lambda: _counts(services, bound)
            else:
                key, make = ("total", count), lambda: (None, _total(services, count), 0.0)
            counted = services.peek(key)
            if counted is None:
                counted = await run_in_threadpool(services.cached, key, make)
            counts, total, budget = counted
            if limit is not None and "council" not in bindings and pageable(query.text):
                text = await run_in_threadpool(_page_by_council, services, query, bindings,
                                               limit, offset or 0, counts, budget)
            bindings = {}
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

    return endpoint


def make_route(query: NamedQuery, endpoint: Endpoint) -> Any:
    """A route function for ``query`` whose signature declares the query's parameters,
    for FastAPI: it validates them and documents the operation."""
    names = {p.name: _argument(p.name) for p in query.params}
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
                ge=0, le=MAX_OFFSET, description="Rows to skip (with limit: a later page).")]))
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


@dataclass(frozen=True)
class _Slot:
    """What the shortcut takes for one query-string parameter: text of at most ``most``
    characters (``most`` None: any length), or (``whole``) a whole number written in
    ASCII digits from ``least`` to ``most`` (None: no bound)."""

    argument: str
    whole: bool = False
    least: int = 0
    most: int | None = None


@dataclass(frozen=True)
class Operation:
    """One named query's endpoint and the parameters the shortcut takes for it."""

    endpoint: Endpoint
    slots: Mapping[str, _Slot]

    @classmethod
    def of(cls, query: NamedQuery, endpoint: Endpoint) -> Operation:
        slots = {"format": _Slot("format")}
        if query.form == "SELECT":
            slots |= {"limit": _Slot("limit", True, 1, MAX_LIMIT),
                      "offset": _Slot("offset", True, 0, MAX_OFFSET)}
        for param in query.params:
            json_type = TYPES[param.type][1]
            if json_type == "string":
                slots[param.name] = _Slot(_argument(param.name), most=MAX_TEXT)
            elif json_type == "integer":
                slots[param.name] = _Slot(_argument(param.name), True)
            # a number or a boolean (many spellings): left to FastAPI's route
        return cls(endpoint, slots)

    def arguments(self, query_string: bytes) -> dict[str, Any] | None:
        """The endpoint's arguments from the query string (parsed as Starlette parses it),
        or None when any parameter is not one the shortcut takes: unknown, repeated, too
        long, not plain digits, out of bounds. FastAPI then validates the request."""
        arguments: dict[str, Any] = {}
        for name, value in QueryParams(query_string).multi_items():
            slot = self.slots.get(name)
            if slot is None or slot.argument in arguments:
                return None
            if not slot.whole:
                if slot.most is not None and len(value) > slot.most:
                    return None
                arguments[slot.argument] = value
                continue
            if not (value.isascii() and value.isdigit()) or len(value) > 12:
                return None
            number = int(value)
            if number < slot.least or (slot.most is not None and number > slot.most):
                return None
            arguments[slot.argument] = number
        return arguments


#: the scope key where the shortcut leaves the operation and its arguments for its handler
_CHOSEN = "govkg.named_query"


async def _answer(request: Request) -> Response:
    operation, arguments = request.scope[_CHOSEN]
    return await operation.endpoint(request, request.app.state.services, **arguments)


class Shortcut(BaseRoute):
    """The named queries, matched before every other route by one look-up of the path.

    FastAPI (0.16x) matches a request against the routes one by one, an included router's
    twice, and then solves each parameter with pydantic: for a light named query that was
    more of the server's CPU than everything else it does per request. The shortcut
    takes only GET requests whose parameters are plain (:meth:`Operation.arguments`) and
    hands them to the same endpoint the FastAPI route calls, through Starlette's own
    request-response wrapper, so errors reach the same handlers; it matches nothing else,
    and the FastAPI routes behind it stay in the OpenAPI document and answer the rest.
    """

    def __init__(self, operations: Mapping[str, Operation]) -> None:
        self.operations = dict(operations)  # path -> operation
        self.app = request_response(_answer)

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] != "http" or scope["method"] != "GET" or scope.get("root_path"):
            return Match.NONE, {}
        operation = self.operations.get(scope["path"])
        arguments = None if operation is None else operation.arguments(scope["query_string"])
        if arguments is None:
            return Match.NONE, {}
        return Match.FULL, {"endpoint": operation.endpoint,  # type: ignore[union-attr]
                            _CHOSEN: (operation, arguments)}

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.app(scope, receive, send)

    def url_path_for(self, name: str, /, **path_params: Any) -> Any:
        raise NoMatchFound(name, path_params)  # the FastAPI routes name the operations


def build_router() -> tuple[APIRouter, Shortcut]:
    """``GET /queries`` and one ``GET /queries/{name}`` operation per query file, typed
    parameters and all, and the :class:`Shortcut` to the same endpoints, which
    ``create_app`` puts before every route; a new query file needs no code."""
    target = APIRouter(tags=["named queries"])
    target.add_api_route("/queries", list_queries, methods=["GET"],
                         summary="List the named queries with their parameters",
                         responses=errors(406, 422))
    operations = {}
    for query in load_queries().values():
        kind = KINDS[query.form]
        endpoint = make_endpoint(query)
        target.add_api_route(
            f"/queries/{query.name}", make_route(query, endpoint), methods=["GET"],
            operation_id=query.name, summary=query.title, description=query.description,
            tags=["named queries"],
            responses=responses(kind))
        operations[f"/queries/{query.name}"] = Operation.of(query, endpoint)
    return target, Shortcut(operations)
