"""``/upload``: import a council's document from a file or a web address in the
background (the write token needed); the review, corrections, accepting and discarding
are :mod:`govkg.api.routers.review`'s.

A browser cannot send a Bearer header from a form, so the upload form takes the token
as a field, and a correct one sets a cookie (HttpOnly, SameSite=Strict, only for
``/upload``) holding an HMAC of the token, never the token; later requests of the same
browser pass with it, and API clients send the Bearer header as for every write. The
import runs as a background job (:mod:`govkg.api.uploads`); its page polls
``/upload/{id}/status`` with JavaScript and opens the review when it is ready; without
JavaScript its "Check progress" link reloads it (no timed refresh, which WCAG 2.2.1 asks
a person to be able to stop).
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from pathlib import Path
from typing import Annotated, Any

import mimeparse
from fastapi import APIRouter, Depends, File, Form, Request, Response, UploadFile
from fastapi.responses import JSONResponse, RedirectResponse

from govkg.api.deps import Services, ServicesDep, require_writer
from govkg.api.errors import BodyTooLarge, NotFound, ReadOnly, status_of
from govkg.api.routers.responses import errors
from govkg.api.upload_job import STEPS, Job, jobs_folder
from govkg.api.uploads import MAX_JOBS, Uploads
from govkg.graph import corrections
from govkg.graph.documents import DEFAULT_LIMITS
from govkg.graph.documents.reading import is_url
from govkg.graph.errors import GovkgError, InputError
from govkg.graph.importers.base import KINDS

router = APIRouter(tags=["upload"])
COOKIE = "govkg-upload"
_lock = threading.Lock()


def uploads_of(services: Services, request: Request) -> Uploads:
    """The app's upload jobs, made on first use from the jobs folder beside the store (so
    a restarted server finds them again); the store's corrections folder is where
    accepted corrections are kept."""
    with _lock:
        found: Uploads | None = getattr(request.app.state, "uploads", None)
        if found is None:
            folder = corrections.folder_of(services.store.location,
                                           services.settings.corrections_dir)
            found = request.app.state.uploads = Uploads(
                folder, jobs_folder(services.store.location))
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


def job_of(services: Services, request: Request, job_id: str) -> Job:
    job = uploads_of(services, request).get(job_id)
    if job is None:
        raise NotFound(f"no upload {job_id!r} (the last {MAX_JOBS} are kept, and a job "
                       "is forgotten when it is accepted or discarded and more follow)")
    return job

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
    return job_of(services, request, job_id).status()


@router.get("/upload/{job_id}", summary="An upload's progress (HTML)",
            responses=errors(401, 403, 404))
def job_page(job_id: str, request: Request, services: ServicesDep,
             _: UploaderDep) -> Response:
    job = job_of(services, request, job_id)
    if job.state == "ready":
        return RedirectResponse(f"/upload/{job.id}/review", status_code=303)
    return services.templates.TemplateResponse(request, "upload_job.html", {
        "title": f"Importing {job.name}", "job": job, "steps": STEPS})

def close(app_state: Any) -> None:
    """Stop the upload thread (the app's shutdown); the jobs stay on disk for the next
    start."""
    found: Uploads | None = getattr(app_state, "uploads", None)
    if found is not None:
        found.close()
        app_state.uploads = None

