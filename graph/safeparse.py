"""Checks that keep a request body from making govkg reach the network or blow up in
memory, before any RDF parser reads it; and a switch that turns Python's network off.

rdflib's JSON-LD parser fetches every remote ``@context`` and ``@import`` it meets, and an
XML parser expands the entities a document declares (600 bytes of nested entities, the
"billion laughs", grow to gigabytes). So a body from a client is checked first:

- JSON-LD: refused when any ``@context`` anywhere (top level, inside a term definition,
  inside a list) names a document rather than holding one, or uses ``@import``. The
  check reads the parsed JSON, so escapes (``"\\u0040context"``) and spacing change nothing.
- RDF/XML: refused when it has a document type declaration (``<!DOCTYPE``), the only
  place entities can be declared; expat stops at the declaration, before expanding
  anything (what defusedxml's ``forbid_dtd`` does, in a dozen lines).

:func:`forbid_network` is the second wall, for the worker processes that parse and
validate: every Python socket connection and name lookup fails, so even a parser path
these checks do not know cannot fetch anything.

>>> check_body(JSONLD, b'{"@context": {"@import": "http://x/c"}}')  # doctest: +ELLIPSIS
Traceback (most recent call last):
  ...
govkg.graph.errors.InputError: the JSON-LD names a remote @context ('@import ...
"""

from __future__ import annotations

import json
import socket
from typing import Any
from xml.parsers import expat

from govkg.graph.errors import InputError

JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"


def _remote_context(context: Any) -> str | None:
    """What in one ``@context`` value would be fetched (a name for the message)."""
    if isinstance(context, str):
        return context
    if isinstance(context, list):
        for entry in context:
            found = _remote_context(entry)
            if found is not None:
                return found
    if isinstance(context, dict) and "@import" in context:
        return f"@import {context['@import']}"
    return None


def check_jsonld(data: Any) -> None:
    """Refuse JSON-LD whose contexts would be fetched (any depth, any form)."""
    stack = [data]
    while stack:  # iterative: a deeply nested document cannot exhaust the stack here
        node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    remote = _remote_context(value)
                    if remote is not None:
                        raise InputError(f"the JSON-LD names a remote @context ({remote!r}); "
                                         "govkg never fetches one: put the context in the "
                                         "document")
                elif key == "@import":
                    raise InputError("the JSON-LD uses @import; govkg never fetches a "
                                     "context: put it in the document")
                stack.append(value)
        elif isinstance(node, list):
            stack.extend(node)


def _refuse_doctype(*_: Any) -> None:
    raise InputError("the XML has a document type declaration (<!DOCTYPE ...>); govkg "
                     "does not read DTDs or entity declarations: remove it")


def check_xml(body: bytes) -> None:
    """Refuse XML with a DOCTYPE (where entities are declared) before anything expands."""
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_doctype
    parser.EntityDeclHandler = _refuse_doctype
    parser.ExternalEntityRefHandler = lambda *_: _refuse_doctype()  # type: ignore[assignment]
    try:
        parser.Parse(body, True)
    except expat.ExpatError as exc:
        raise InputError(f"the XML is not well-formed: {exc}") from None


def check_body(media_type: str, body: bytes) -> None:
    """Run the check for ``media_type`` (others need none: Turtle, TriG, N-Triples and
    N-Quads cannot name anything to fetch)."""
    if media_type == JSONLD:
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            raise InputError("the JSON-LD is not valid JSON (or nests too deeply)") from None
        check_jsonld(data)
    elif media_type == RDFXML:
        check_xml(body)


class NetworkOff(OSError):
    """Raised in place of any connection from a process where the network is off."""


def _refuse(*_: Any, **__: Any) -> Any:
    raise NetworkOff("this govkg process does not use the network (GOVKG_ALLOW_NETWORK is "
                     "off)")


def forbid_network() -> None:
    """Make every Python connection and name lookup in this process fail.

    For worker processes only (never the server itself): a parser that tries to fetch a
    context or a DTD then fails with :class:`NetworkOff` instead of reaching out.
    """
    socket.socket.connect = _refuse  # type: ignore[method-assign]
    socket.socket.connect_ex = _refuse  # type: ignore[method-assign]
    socket.create_connection = _refuse
    socket.getaddrinfo = _refuse
