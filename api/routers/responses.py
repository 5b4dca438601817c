"""The error answers of govkg's routes as the OpenAPI document states them.

Every error is the JSON body ``api/errors.py`` writes (``status`` and ``detail``; a 422
adds ``errors``, one per parameter), so clients and schemathesis can check each status a
route may give against one schema.
"""

from __future__ import annotations

from typing import Any

#: the JSON body of every error answer
ERROR_BODY: dict[str, Any] = {"application/json": {"schema": {
    "type": "object", "required": ["status", "detail"],
    "properties": {"status": {"type": "integer"}, "detail": {"type": "string"},
                   "errors": {"type": "array", "items": {
                       "type": "object", "properties": {"parameter": {"type": "string"},
                                                        "message": {"type": "string"}}}}}}}}

#: what each error status means, unless a route says more
MEANINGS = {
    400: "Bad input; the message says what and where.",
    401: "A write without the right Bearer token.",
    403: "Writes are off, or the graph is one govkg manages itself.",
    404: "No such resource.",
    406: "No format the client accepts.",
    413: "The body or the result is larger than the service takes or sends.",
    415: "A body in a syntax the route does not read.",
    422: "A malformed parameter; `errors` names each.",
    500: "An internal error; it has been logged.",
    503: "The query ran past the time limit, or the service is busy.",
}


def errors(*statuses: int, **described: str) -> dict[int | str, dict[str, Any]]:
    """OpenAPI responses for ``statuses`` with the error body; ``described`` overrides a
    meaning by ``s400="..."``.

    >>> sorted(errors(400, 404, s404="No such graph."))
    [400, 404]
    >>> errors(404, s404="No such graph.")[404]["description"]
    'No such graph.'
    """
    return {status: {"description": described.get(f"s{status}", MEANINGS[status]),
                     "content": ERROR_BODY} for status in statuses}
