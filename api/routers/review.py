"""The review of an upload (``/upload/{id}/review``): what was read, principle by
principle; a statement's correction page and the corrections it posts; accepting the
document into the store, or discarding it (the write token needed, as for uploading)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import JSONResponse, RedirectResponse
from rdflib import RDF, SKOS

from govkg.api.deps import Services, ServicesDep
from govkg.api.errors import NotFound, status_of
from govkg.api.routers.responses import errors
from govkg.api.routers.upload import UploaderDep, job_of, uploads_of, wants_json
from govkg.api.upload_job import Job
from govkg.api.uploads import Uploads
from govkg.graph import corrections
from govkg.graph.errors import GovkgError, InputError
from govkg.graph.importers.kinds.carried import link_carried_over
from govkg.graph.namespaces import GOVKG, SCHEME

router = APIRouter(tags=["upload"])


def _roles(services: Services, uploads: Uploads) -> list[tuple[str, str]]:
    vocabulary = uploads.vocabulary
    roles = [(str(r).rsplit("/", 1)[-1], str(vocabulary.value(r, SKOS.prefLabel)))
             for r in vocabulary.subjects(SKOS.inScheme, SCHEME["role"])]
    statutory = {str(r).rsplit("/", 1)[-1] for r in
                 vocabulary.subjects(RDF.type, GOVKG.StatutoryRole)}
    return sorted(roles, key=lambda r: (r[0] not in statutory, r[1]))


def _ready(services: Services, request: Request, job_id: str) -> Job | Response:
    job = job_of(services, request, job_id)
    if job.state != "ready":
        return RedirectResponse(f"/upload/{job.id}", status_code=303)
    return job


@router.get("/upload/{job_id}/review", summary="What was read, to review (HTML)",
            responses=errors(401, 403, 404))
def review(job_id: str, request: Request, services: ServicesDep, _: UploaderDep) -> Response:
    uploads = uploads_of(services, request)
    job = _ready(services, request, job_id)
    if isinstance(job, Response):
        return job
    vocabulary = uploads.vocabulary
    edition = job.report.framework.iri if job.report and job.report.framework else None
    titles = {str(vocabulary.value(p, SKOS.notation)): str(vocabulary.value(p, SKOS.prefLabel))
              for p in vocabulary.subjects(RDF.type, GOVKG.CorePrinciple)
              if (p, SKOS.inScheme, edition) in vocabulary}
    return services.templates.TemplateResponse(request, "upload_review.html", {
        "title": f"Review {job.name}", "job": job, "report": job.report,
        "groups": uploads.by_principle(job), "principles": titles,
        "low": uploads.low_confidence, "anchor": _anchor})


def _anchor(statement: corrections.Statement) -> str:
    return "s-" + str(statement.span).rsplit("/", 1)[-1]


def _statement_page(request: Request, services: Services, job: Job, anchor: str, *,
                    error: str = "", status: int = 200,
                    form: dict[str, str] | None = None) -> Response:
    found = next((s for s in job.statements if _anchor(s) == anchor), None)
    if found is None:
        raise NotFound(f"no statement {anchor!r} in this upload")
    return services.templates.TemplateResponse(request, "upload_correct.html", {
        "title": f"Correct line {found.line} of {job.name}", "job": job, "statement": found,
        "a": anchor, "roles": _roles(services, uploads_of(services, request)),
        "error": error, "form": form or {}}, status_code=status)


@router.get("/upload/{job_id}/statements/{anchor}", summary="Correct one statement (HTML)",
            responses=errors(401, 403, 404))
def statement_page(job_id: str, anchor: str, request: Request, services: ServicesDep,
                   _: UploaderDep) -> Response:
    job = _ready(services, request, job_id)
    if isinstance(job, Response):
        return job
    return _statement_page(request, services, job, anchor)


@router.post("/upload/{job_id}/corrections", summary="Correct a statement of the draft",
             responses=errors(400, 401, 403, 404, 422))
def correct(job_id: str, request: Request, services: ServicesDep, _: UploaderDep,
            action: Annotated[str, Form()], quote: Annotated[str, Form()],
            officer: Annotated[str, Form()] = "", start: Annotated[str, Form()] = "",
            line: Annotated[str, Form()] = "", to: Annotated[str, Form()] = "",
            post: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "",
            reason: Annotated[str, Form()] = "",
            statement: Annotated[str, Form(description="The page's anchor of it")] = "",
            ) -> Response:
    """Add one correction to the document's corrections file and apply it again."""
    uploads = uploads_of(services, request)
    job = job_of(services, request, job_id)
    try:
        if action not in corrections.ACTIONS:
            raise InputError(f"action: {action!r}; use one of {', '.join(corrections.ACTIONS)}")
        if not officer.strip():
            raise InputError("say who you are (your name): a correction is a person's "
                             "decision")
        items = tuple(i for i in to.replace(",", " ").split() if i)
        if action == "relink" and not items:
            raise InputError("to link it to other items, give their numbers (F.1, F.2)")
        if action == "designate" and not role:
            raise InputError("to fix a designation, choose the role (or No role)")
        numbers = [int(v) if v.strip().isdigit() else None for v in (start, line)]
        uploads.correct(job, corrections.Correction(
            action, quote, officer.strip(), datetime.now(UTC).replace(microsecond=0),
            numbers[0], numbers[1], items if action == "relink" else (),
            post.strip() or None if action == "designate" else None,
            role or None if action == "designate" else None, reason.strip()))
    except GovkgError as exc:
        if wants_json(request) or not statement:
            raise
        return _statement_page(request, services, job, statement, error=exc.message,
                               status=status_of(exc), form={
                                   "action": action, "to": to, "post": post, "role": role,
                                   "officer": officer, "reason": reason})
    if wants_json(request):
        return JSONResponse({**job.status(), "warnings": job.warnings})
    found = next((s for s in job.statements if s.quote == quote), None)
    return RedirectResponse(f"/upload/{job.id}/review"
                            + (f"#{_anchor(found)}" if found else ""), status_code=303)


@router.post("/upload/{job_id}/accept", summary="Store the reviewed document",
             responses=errors(400, 401, 403, 404))
def accept(job_id: str, request: Request, services: ServicesDep, _: UploaderDep) -> Response:
    job = job_of(services, request, job_id)
    council = job.report.council.iri if job.report else None
    graph = job.graph.identifier if job.graph is not None else None
    uploads_of(services, request).accept(job, services.store, link_carried_over)
    services.written()
    target = services.links.path_of(council) if council is not None else None
    if wants_json(request):
        return JSONResponse({**job.status(), "graph": str(graph), "council": str(council)})
    return RedirectResponse(target or "/", status_code=303)


@router.post("/upload/{job_id}/discard", summary="Forget the draft; the store is unchanged",
             responses=errors(400, 401, 403, 404))
def discard(job_id: str, request: Request, services: ServicesDep, _: UploaderDep) -> Response:
    job = job_of(services, request, job_id)
    uploads_of(services, request).discard(job)
    if wants_json(request):
        return JSONResponse(job.status())
    return RedirectResponse("/upload?" + urlencode({"discarded": job.name}), status_code=303)


