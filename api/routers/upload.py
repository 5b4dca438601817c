"""``/upload``: import a council's document from a file or a web address, review what was
read, correct it, and accept it into the store or discard it (the write token needed).

A browser cannot send a Bearer header from a form, so the upload form takes the token
as a field, and a correct one sets a cookie (HttpOnly, SameSite=Strict, only for
``/upload``) holding an HMAC of the token, never the token; later requests of the same
browser pass with it, and API clients send the Bearer header as for every write. The
import runs as a background job (:mod:`govkg.api.uploads`); its page refreshes itself
until the review is ready (with JavaScript it polls ``/upload/{id}/status`` instead).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import mimeparse
from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse
from rdflib import RDF, SKOS

from govkg.api.deps import Services, ServicesDep, require_writer
from govkg.api.errors import BodyTooLarge, NotFound, ReadOnly, status_of
from govkg.api.routers.responses import errors
from govkg.api.uploads import STEPS, Job, Uploads
from govkg.graph import corrections
from govkg.graph.documents import DEFAULT_LIMITS
from govkg.graph.documents.reading import is_url
from govkg.graph.errors import GovkgError, InputError
from govkg.graph.importers.base import KINDS
from govkg.graph.importers.kinds.carried import link_carried_over
from govkg.graph.namespaces import GOVKG, SCHEME
from govkg.graph.store import EmbeddedStore

router = APIRouter(tags=["upload"])
COOKIE = "govkg-upload"
_lock = threading.Lock()


def uploads_of(services: Services, request: Request) -> Uploads:
    """The app's upload jobs, made on first use (the store's corrections folder is
    where accepted corrections are kept)."""
    with _lock:
        found: Uploads | None = getattr(request.app.state, "uploads", None)
        if found is None:
            store = services.store
            folder = (corrections.folder_of(store.path) if isinstance(store, EmbeddedStore)
                      else None)
            found = request.app.state.uploads = Uploads(folder)
        return found


def _cookie_value(services: Services) -> str:
    token = services.settings.write_token
    assert token is not None
    return hmac.new(token.get_secret_value().encode(), b"govkg-upload",
                    hashlib.sha256).hexdigest()


def require_uploader(request: Request, services: ServicesDep) -> None:
    """The write token as a Bearer header, or the cookie a correct token set."""
    token = services.settings.write_token
    if token is None or not token.get_secret_value():
        raise ReadOnly("this service is read-only: no write token is configured")
    given = request.cookies.get(COOKIE, "")
    if given and hmac.compare_digest(given.encode(), _cookie_value(services).encode()):
        return
    require_writer(request, services)


UploaderDep = Annotated[None, Depends(require_uploader)]


def wants_json(request: Request) -> bool:
    """An API client: it prefers JSON to HTML (a browser, or ``*/*``, gets the pages)."""
    accept = request.headers.get("accept", "")
    try:
        return bool(accept) and mimeparse.quality("application/json", accept) > \
            mimeparse.quality("text/html", accept)
    except ValueError:  # a malformed Accept header: answer as to a browser
        return False


def _job(services: Services, request: Request, job_id: str) -> Job:
    job = uploads_of(services, request).get(job_id)
    if job is None:
        raise NotFound(f"no upload {job_id!r} (uploads are kept until the service restarts)")
    return job


def _roles(services: Services, uploads: Uploads) -> list[tuple[str, str]]:
    vocabulary = uploads.vocabulary
    roles = [(str(r).rsplit("/", 1)[-1], str(vocabulary.value(r, SKOS.prefLabel)))
             for r in vocabulary.subjects(SKOS.inScheme, SCHEME["role"])]
    statutory = {str(r).rsplit("/", 1)[-1] for r in
                 vocabulary.subjects(RDF.type, GOVKG.StatutoryRole)}
    return sorted(roles, key=lambda r: (r[0] not in statutory, r[1]))


def _form(request: Request, services: Services, *, error: str = "", status: int = 200,
          values: dict[str, str] | None = None) -> Response:
    return services.templates.TemplateResponse(request, "upload.html", {
        "title": "Upload a document", "kinds": list(KINDS), "error": error,
        "form": values or {}, "writable": bool(services.settings.write_token),
        "signed_in": bool(request.cookies.get(COOKIE)),
        "network": services.settings.allow_network,
        "discarded": request.query_params.get("discarded", "")}, status_code=status)


@router.get("/upload", summary="The upload form (HTML)")
def upload_form(request: Request, services: ServicesDep) -> Response:
    return _form(request, services)


UPLOAD_ERRORS = errors(400, 401, 403, 413, 422, 500, s400="No file and no address, an "
                       "address when the service may not fetch, or a document govkg cannot "
                       "read.")


@router.post("/upload", status_code=202, summary="Import a document in the background",
             responses=UPLOAD_ERRORS)
def upload(request: Request, services: ServicesDep,
           file: Annotated[UploadFile | None, File(description="PDF, Word, HTML or text")]
           = None,
           url: Annotated[str, Form(description="Or a web address (http/https)")] = "",
           council: Annotated[str, Form()] = "", kind: Annotated[str, Form()] = "",
           framework: Annotated[str, Form()] = "",
           token: Annotated[str, Form(description="The write token (browsers)")] = "",
           ) -> Response:
    """Start an import; the answer points at the job (``Location``)."""
    values = {"url": url, "council": council, "kind": kind, "framework": framework}
    try:
        signed = services.settings.write_token is not None and token and hmac.compare_digest(
            token.encode(), services.settings.write_token.get_secret_value().encode())
        if not signed:
            require_uploader(request, services)
        job = _start(request, services, file, url.strip(), council, kind, framework)
    except GovkgError as exc:
        if wants_json(request):
            raise
        return _form(request, services, error=exc.message, status=status_of(exc),
                     values=values)
    where = f"/upload/{job.id}"
    answer: Response = (JSONResponse({**job.status(), "status_url": f"{where}/status",
                                      "review_url": f"{where}/review"}, status_code=202,
                                     headers={"Location": where})
                        if wants_json(request) else RedirectResponse(where, status_code=303))
    if signed:
        answer.set_cookie(COOKIE, _cookie_value(services), httponly=True, samesite="strict",
                          path="/upload", secure=request.url.scheme == "https")
    return answer


def _start(request: Request, services: Services, file: UploadFile | None, url: str,
           council: str, kind: str, framework: str) -> Job:
    if kind and kind not in KINDS:
        raise InputError(f"kind: {kind!r}; use one of {', '.join(KINDS)}")
    if framework and framework not in ("2007", "2016"):
        raise InputError("framework: 2007 or 2016")
    has_file = file is not None and bool(file.filename)
    if has_file == bool(url):
        raise InputError("give a file or a web address (one of them)")
    if url and not is_url(url):
        raise InputError(f"{url!r} is not an http or https address")
    if url and not services.settings.allow_network:
        raise InputError("this service does not fetch from the network "
                         "(GOVKG_ALLOW_NETWORK is off): upload the file instead")
    uploads = uploads_of(services, request)
    name = Path(file.filename or "document").name if file is not None and has_file else url
    job = uploads.new_job(name, council=council or None, kind=kind or None,
                          framework=framework or None)
    if file is not None and has_file:
        target = job.folder / (Path(name).name.lstrip(".") or "document")
        limit = DEFAULT_LIMITS.max_bytes
        with target.open("wb") as out:
            copied = 0
            while chunk := file.file.read(1 << 20):
                copied += len(chunk)
                if copied > limit:
                    uploads.forget(job)
                    raise BodyTooLarge(f"the file is larger than {limit // 1_000_000} MB")
                out.write(chunk)
        uploads.start(job, str(target))
    else:
        uploads.start(job, url)
    return job


@router.get("/upload/{job_id}/status", summary="An upload's progress (JSON)",
            responses=errors(401, 403, 404))
def status(job_id: str, request: Request, services: ServicesDep,
           _: UploaderDep) -> dict[str, Any]:
    return _job(services, request, job_id).status()


@router.get("/upload/{job_id}", summary="An upload's progress (HTML)",
            responses=errors(401, 403, 404))
def job_page(job_id: str, request: Request, services: ServicesDep,
             _: UploaderDep) -> Response:
    job = _job(services, request, job_id)
    if job.state == "ready":
        return RedirectResponse(f"/upload/{job.id}/review", status_code=303)
    return services.templates.TemplateResponse(request, "upload_job.html", {
        "title": f"Importing {job.name}", "job": job, "steps": STEPS})


def _ready(services: Services, request: Request, job_id: str) -> Job | Response:
    job = _job(services, request, job_id)
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
    job = _job(services, request, job_id)
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
    job = _job(services, request, job_id)
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
    job = _job(services, request, job_id)
    uploads_of(services, request).discard(job)
    if wants_json(request):
        return JSONResponse(job.status())
    from urllib.parse import urlencode

    return RedirectResponse("/upload?" + urlencode({"discarded": job.name}), status_code=303)


def close(app_state: Any) -> None:
    """Stop the upload thread and remove the jobs' folders (the app's shutdown)."""
    found: Uploads | None = getattr(app_state, "uploads", None)
    if found is not None:
        found.close()
        app_state.uploads = None

