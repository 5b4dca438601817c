"""One place that turns govkg's errors into HTTP answers, and the service's own errors.

govkg's types map to status codes by class (``InputError`` and ``QueryError`` are the
client's fault, ``QueryTimeout`` is 503, any other ``StoreError`` is 500 with a generic
message, since its text may name folders or servers). The web service's own errors
carry their status. No handler ever sends a stack trace; an unexpected exception is
logged and answered with a generic 500 by the last handler.
"""

from __future__ import annotations

import logging
from typing import Any

import mimeparse
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from govkg.graph.errors import GovkgError, InputError, QueryError, StoreError
from govkg.graph.store import QueryTimeout

log = logging.getLogger("govkg.api")


class ApiError(GovkgError):
    """An error of the web service itself, with the HTTP status it answers with."""

    status = 400
    headers: dict[str, str] = {}


class NotAcceptable(ApiError):
    """No format the client accepts fits the result (HTTP 406)."""

    status = 406


class NotFound(ApiError):
    """No such resource, query or council (HTTP 404)."""

    status = 404


class BodyTooLarge(ApiError):
    """The request body is larger than ``max_body_bytes`` (HTTP 413)."""

    status = 413


class ReservedGraph(ApiError):
    """A write to a graph that govkg manages itself: staging, derived or vocabulary
    graphs (HTTP 403), by the Graph Store protocol or a SPARQL update."""

    status = 403


class UnsupportedMediaType(ApiError):
    """The request body is in a syntax the endpoint does not read (HTTP 415)."""

    status = 415


class ReadOnly(ApiError):
    """Writes are off because no write token is configured (HTTP 403)."""

    status = 403


class Unauthorised(ApiError):
    """A write without the right Bearer token (HTTP 401)."""

    status = 401
    headers = {"WWW-Authenticate": 'Bearer realm="govkg"'}


class ErrorBody(BaseModel):
    """Every error answer's JSON body: the status again, and what was wrong and where."""

    status: int
    detail: str


class ParameterProblem(BaseModel):
    """One parameter FastAPI's checks refused."""

    parameter: str
    message: str


class ParameterErrorBody(ErrorBody):
    """A 422 answer: the message, and each refused parameter on its own."""

    errors: list[ParameterProblem]


#: what each error status means on this service, for the OpenAPI document
ERROR_MEANINGS = {
    400: "The request is wrong (a syntax error, a refused SERVICE call, a query the engine "
         "failed on, a draft that does not parse or names a remote context or a DTD); the "
         "detail says what and where.",
    401: "A write without the service's write token as a Bearer token.",
    403: "Writes are off (no write token is configured), or the write names a graph govkg "
         "manages itself (staging, derived, ontology or reference data).",
    404: "Nothing is known by that name.",
    406: "No format the Accept header (or format=) asks for fits this result; the detail "
         "lists those that do.",
    413: "The request body is larger than GOVKG_MAX_BODY_BYTES.",
    415: "The body's media type is not one this operation reads; the detail lists them.",
    422: "A parameter has the wrong type or value; each one is named.",
    503: "The time limit ran out (waiting for a worker, parsing, evaluating, serialising), "
         "or this client already has its share of queries running; try again (Retry-After).",
}


def error_responses(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, with the JSON body each sends."""
    return {code: {"model": ParameterErrorBody if code == 422 else ErrorBody,
                   "description": ERROR_MEANINGS[code]} for code in codes}


def status_of(error: GovkgError) -> int:
    """The HTTP status for one of our errors."""
    if isinstance(error, ApiError):
        return error.status
    if isinstance(error, QueryTimeout):
        return 503
    if isinstance(error, InputError | QueryError):
        return 400
    return 500


def message_of(error: GovkgError) -> str:
    """What the client is told: the message, except for a store failure's details."""
    if isinstance(error, StoreError) and not isinstance(error, QueryTimeout):
        return "the store could not answer; the error has been logged"
    return error.message


def _body(status: int, message: str) -> dict[str, object]:
    return {"status": status, "detail": message}


#: the title of an error page, by status
TITLES = {400: "That request cannot be answered", 401: "A write token is needed",
          403: "Not allowed here", 404: "Page not found", 405: "Not allowed here",
          406: "Not available in that format", 413: "Too large", 415: "Not a format read here",
          422: "A parameter is wrong", 503: "Busy: try again in a moment"}


def _wants_html(request: Request) -> bool:
    """A browser's GET (its Accept header prefers HTML to JSON): the error as a page of the
    site. Any other client, and ``*/*``, gets the JSON body the API documents."""
    accept = request.headers.get("accept", "")
    if request.method not in ("GET", "HEAD") or "html" not in accept:
        return False
    try:
        return mimeparse.best_match(["application/json", "text/html"], accept) == "text/html"
    except ValueError:  # an Accept header that does not parse: answer as the API does
        return False


def _answer(request: Request, status: int, message: str,
            headers: dict[str, str] | None = None) -> Response:
    """The error as JSON, or as an HTML page for a browser (see :func:`_wants_html`)."""
    services = getattr(request.app.state, "services", None)
    if services is not None and _wants_html(request):
        return services.templates.TemplateResponse(request, "error.html", {
            "title": TITLES.get(status, "Something went wrong"), "detail": message},
            status_code=status, headers=headers)
    return JSONResponse(_body(status, message), status_code=status, headers=headers)


async def govkg_error(request: Request, exc: Exception) -> Response:
    """The one handler for govkg's error types."""
    assert isinstance(exc, GovkgError)
    status = status_of(exc)
    if status >= 500 and status != 503:
        log.error("%s %s: %s", request.method, request.url.path, exc)
    headers = dict(exc.headers) if isinstance(exc, ApiError) else {}
    if status == 503:
        headers["Retry-After"] = "1"
    return _answer(request, status, message_of(exc), headers)


async def validation_error(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's parameter checks: 422, naming each parameter and what was wrong."""
    assert isinstance(exc, RequestValidationError)
    problems = [f"{'.'.join(str(p) for p in e.get('loc', ())[1:]) or 'request'}: {e.get('msg')}"
                for e in exc.errors()]
    return JSONResponse({**_body(422, "; ".join(problems)), "errors": [
        {"parameter": ".".join(str(p) for p in e.get("loc", ())[1:]), "message": e.get("msg")}
        for e in exc.errors()]}, status_code=422)


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (404 for unknown paths, 405) in the same shape."""
    assert isinstance(exc, StarletteHTTPException)
    return _answer(request, exc.status_code, str(exc.detail), exc.headers)


async def unexpected_error(request: Request, exc: Exception) -> Response:
    """Anything else is a bug: log it with its trace, tell the client nothing more."""
    log.exception("unexpected error on %s %s", request.method, request.url.path,
                  exc_info=exc)
    return _answer(request, 500, "internal error; it has been logged")


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""
    app.add_exception_handler(GovkgError, govkg_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, unexpected_error)
