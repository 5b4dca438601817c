"""Validation: a council's latest SHACL report, and a draft checked without storing it.

Both reuse ``govkg validate``'s code (:mod:`govkg.graph.validation`, rendered by
:mod:`govkg.graph.reports`), so the service and the command agree. A council's report
is computed on first request and kept until the store changes.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from govkg.api.answers import client_of
from govkg.api.deps import Services, ServicesDep, read_body
from govkg.api.drafts import DRAFT_TYPES
from govkg.api.errors import NotFound, UnsupportedMediaType, error_responses
from govkg.api.negotiation import TABLES, choose
from govkg.api.querying import ProcessRunner
from govkg.api.schemas import ValidationReport
from govkg.graph.errors import InputError
from govkg.graph.reports import report_html, report_json, report_turtle
from govkg.graph.validation import (
    CouncilReport,
    council_graphs,
    resolve_council,
    validate_councils,
)

router = APIRouter(tags=["validation"])

REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": ValidationReport,
          "content": {m: {} for m in TABLES["report"].values() if m != "application/json"}}}


def render(services: Services, request: Request, reports: list[CouncilReport],
           format: str | None, title: str) -> Response:
    """The report as negotiated; as HTML, inside the site's layout (its header, search box
    and skip link, as on every page), linking back to the council's page."""
    choice = choose("report", request.headers.get("accept"), format=format)
    if choice.name == "json":
        body = report_json(reports)
    elif choice.name == "turtle":
        body = report_turtle(reports)
    else:
        return services.templates.TemplateResponse(request, "validation.html", {
            "title": title, "councils": [(r.council, r.label) for r in reports],
            "report": Markup(report_html(reports, title=title, fragment=True))},
            headers={"Vary": "Accept"})
    return Response(body, media_type=choice.content_type, headers={"Vary": "Accept"})


@router.get("/councils/{slug}/validation",
            responses={**REPORT_RESPONSES, **error_responses(404, 406, 422)},
            summary="A council's SHACL completeness report (JSON, Turtle or HTML)")
def council_validation(slug: str, request: Request, services: ServicesDep,
                       format: Annotated[str | None, Query(
                           description="json, turtle or html")] = None) -> Response:
    """Validate the council's documents against the governance shapes (cached until the
    store changes)."""
    def compute() -> list[CouncilReport]:
        graphs = council_graphs(services.store)
        try:
            council = resolve_council(slug, graphs)
        except InputError as exc:
            raise NotFound(exc.message) from None
        return validate_councils(services.store, [council], workers=1)

    reports = services.cached(("validation", slug), compute)
    return render(services, request, reports, format,
                  f"Governance validation: {reports[0].label if reports else slug}")


async def draft_body(request: Request) -> tuple[str, bytes]:
    limit = request.app.state.services.settings.max_body_bytes
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in DRAFT_TYPES:
        raise UnsupportedMediaType(f"send the draft as one of {', '.join(DRAFT_TYPES)}")
    return media, await read_body(request, limit)


@router.post("/validate",
             responses={**REPORT_RESPONSES, **error_responses(400, 406, 413, 415, 422, 503)},
             summary="Validate a draft document (Turtle, TriG, N-Triples, N-Quads, JSON-LD or "
             "RDF/XML); nothing is stored",
             openapi_extra={"requestBody": {"required": True, "content": {
                 m: {"schema": {"type": "string"}} for m in DRAFT_TYPES}}})
async def validate_draft(request: Request, services: ServicesDep,
                         draft: Annotated[tuple[str, bytes], Depends(draft_body)],
                         format: Annotated[str | None, Query(
                             description="json, turtle or html")] = None) -> Response:
    """The SHACL report of a document a council has not published yet, per council.

    The draft is parsed and validated in a worker process, within
    ``GOVKG_VALIDATION_TIMEOUT`` and with the network off: a remote JSON-LD context, an
    ``@import`` or an XML DTD is refused (400), never fetched or expanded.
    """
    media, body = draft
    choice = choose("report", request.headers.get("accept"), format=format)
    runner = services.runner
    options: dict[str, Any] = {
        "format": choice.name, "title": "Validation of a draft", "client": client_of(request),
        "deadline": time.monotonic() + services.settings.validation_timeout}
    if isinstance(runner, ProcessRunner):
        report = await runner.validate_async(media, body, **options)
    else:
        report = await run_in_threadpool(lambda: runner.validate(media, body, **options))
    return Response(report, media_type=choice.content_type, headers={"Vary": "Accept"})
