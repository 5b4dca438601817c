"""Validation: a council's latest SHACL report, and a draft checked without storing it.

Both reuse ``govkg validate``'s code (:mod:`govkg.graph.validation`, rendered by
:mod:`govkg.graph.reports`), so the service and the command agree. A council's report
is computed on first request and kept until the store changes.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from rdflib import Dataset, Graph

from govkg.api.deps import Services, ServicesDep, read_body
from govkg.api.errors import NotFound, UnsupportedMediaType
from govkg.api.negotiation import TABLES, choose
from govkg.graph.errors import InputError
from govkg.graph.rdfio import parse_graph
from govkg.graph.reports import report_html, report_json, report_turtle
from govkg.graph.validation import (
    CouncilReport,
    council_graphs,
    resolve_council,
    validate_councils,
    validate_file,
)

router = APIRouter(tags=["validation"])

#: media type of a draft -> the file suffix govkg's parsers read it by
DRAFT_TYPES = {"text/turtle": ".ttl", "application/x-turtle": ".ttl",
               "application/trig": ".trig", "application/x-trig": ".trig",
               "application/ld+json": ".jsonld", "application/n-triples": ".nt",
               "application/n-quads": ".nq"}
REPORT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {m: {} for m in TABLES["report"].values()}}}


def render(services: Services, request: Request, reports: list[CouncilReport],
           format: str | None, title: str) -> Response:
    choice = choose("report", request.headers.get("accept"), format=format)
    if choice.name == "json":
        body = report_json(reports)
    elif choice.name == "turtle":
        body = report_turtle(reports)
    else:
        body = report_html(reports, title=title)
    return Response(body, media_type=choice.content_type, headers={"Vary": "Accept"})


@router.get("/councils/{slug}/validation", responses=REPORT_RESPONSES,
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


def _refuse_remote_contexts(data: Any) -> None:
    """JSON-LD may name remote @context documents, which the parser would fetch: refuse
    them, so a request can never make the service reach out to another host."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "@context" and (isinstance(value, str) or (
                    isinstance(value, list) and any(isinstance(v, str) for v in value))):
                raise InputError("remote JSON-LD contexts are not fetched; inline the "
                                 "@context")
            _refuse_remote_contexts(value)
    elif isinstance(data, list):
        for value in data:
            _refuse_remote_contexts(value)


def merged(path: Path) -> Path:
    """A TriG or N-Quads draft as one Turtle graph beside it: a draft is validated as the
    merge of its graphs (``validate_file`` reads quads files as one graph too, but its
    merge of a dataset fails on rdflib 7)."""
    dataset = parse_graph(path)
    graph = Graph()
    for quad in dataset.quads() if isinstance(dataset, Dataset) else ():
        graph.add(quad[:3])
    if not isinstance(dataset, Dataset):
        graph += dataset
    target = path.with_suffix(".ttl")
    graph.serialize(destination=target, format="turtle")
    return target


async def draft_body(request: Request) -> tuple[str, bytes]:
    limit = request.app.state.services.settings.max_body_bytes
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media not in DRAFT_TYPES:
        raise UnsupportedMediaType(f"send the draft as one of {', '.join(DRAFT_TYPES)}")
    return media, await read_body(request, limit)


@router.post("/validate", responses=REPORT_RESPONSES,
             summary="Validate a draft document (Turtle, TriG or JSON-LD); nothing is stored",
             openapi_extra={"requestBody": {"required": True, "content": {
                 m: {"schema": {"type": "string"}} for m in DRAFT_TYPES}}})
def validate_draft(request: Request, services: ServicesDep,
                   draft: Annotated[tuple[str, bytes], Depends(draft_body)],
                   format: Annotated[str | None, Query(
                       description="json, turtle or html")] = None) -> Response:
    """The SHACL report of a document a council has not published yet, per council."""
    media, body = draft
    if DRAFT_TYPES[media] == ".jsonld":
        try:
            _refuse_remote_contexts(json.loads(body))
        except ValueError:
            raise InputError("the JSON-LD draft is not valid JSON") from None
    with tempfile.TemporaryDirectory(prefix="govkg-draft-") as folder:
        path = Path(folder) / f"draft{DRAFT_TYPES[media]}"
        path.write_bytes(body)
        if path.suffix in (".trig", ".nq"):
            path = merged(path)
        reports = validate_file(path)
    return render(services, request, reports, format, "Validation of a draft")
