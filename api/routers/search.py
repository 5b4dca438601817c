"""``GET /search``: full-text search over the store (see :mod:`govkg.graph.search`), as
a page for people and JSON for programs (``format=json`` or ``Accept:
application/json``). Filters: council, kind of resource, kind of document, principle."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from govkg.api.deps import Services, ServicesDep
from govkg.api.errors import NotAcceptable
from govkg.graph.search import (
    DOCUMENT_KIND_LABELS,
    KIND_LABELS,
    SearchIndex,
    principle_choices,
)

router = APIRouter(tags=["search"])

PAGE_SIZE = 20


def wants_json(request: Request, format: str | None) -> bool:
    if format:
        if format not in ("html", "json"):
            raise NotAcceptable(f"format {format!r} is not available; use html or json")
        return format == "json"
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def choices(services: Services) -> dict[str, Any]:
    """What the filters offer: councils with data, kinds, principles (cached)."""
    def make() -> dict[str, Any]:
        from govkg.api import pages

        councils = [row for row in pages.home(services.runner)["with_documents"]]
        return {"councils": councils, "kinds": KIND_LABELS,
                "document_kinds": DOCUMENT_KIND_LABELS,
                "principles": principle_choices(services.store)}
    return services.cached(("search-choices",), make)


@router.get("/search", summary="Full-text search", response_model=None,
            responses={200: {"content": {"application/json": {}, "text/html": {}}}})
def search(request: Request, services: ServicesDep,
           q: Annotated[str, Query(description="Words to look for (all must occur).")] = "",
           council: Annotated[str | None, Query(description="A council's slug or IRI.")] = None,
           kind: Annotated[str | None, Query(description="council, post, body, "
                                             "framework-item, evidence, ...")] = None,
           document: Annotated[str | None, Query(description="local-code, self-assessment, "
                               "annual-governance-statement, external-review, framework")] = None,
           principle: Annotated[str | None, Query(description="A core principle: IRI or "
                                                  "e.g. cipfa-solace-2016/A")] = None,
           offset: Annotated[int, Query(ge=0)] = 0,
           limit: Annotated[int, Query(ge=1, le=200)] = PAGE_SIZE,
           format: Annotated[str | None, Query(description="html or json")] = None,
           ) -> Response:
    """The resources whose label or quoted source text holds every word, best first."""
    as_json = wants_json(request, format)
    filters = {"council": council or None, "kind": kind or None,
               "document_kind": document or None, "principle": principle or None}
    results = None
    if q.strip():
        results = SearchIndex.beside(services.store).search(
            q, limit=limit, offset=offset, **filters)
    if as_json:
        return JSONResponse({"query": q, "total": results.total if results else 0,
                             "offset": offset,
                             "hits": [h.as_json() for h in results.hits] if results else []})
    values = {"q": q, "council": council or "", "kind": kind or "",
              "document": document or "", "principle": principle or ""}
    kept = {k: v for k, v in values.items() if v}

    def page_link(start: int) -> str:
        return "/search?" + urlencode({**kept, "offset": start, "limit": limit})

    return services.templates.TemplateResponse(request, "search.html", {
        "title": f"Search: {q}" if q.strip() else "Search", "results": results,
        "values": values, "limit": limit, **choices(services),
        "previous": page_link(max(offset - limit, 0)) if results and offset > 0 else None,
        "next": page_link(offset + limit) if results and offset + limit < results.total
        else None})
