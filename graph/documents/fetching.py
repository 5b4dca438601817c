"""Fetching a document from an ``http(s)://`` address with httpx, within limits.

A council's web address may answer with an error, redirect forever, send a picture, or
stream a page without end. :func:`fetch` follows at most ``Limits.max_redirects``
redirects, gives up after ``Limits.timeout`` seconds in all, accepts only the content
types of documents govkg reads, reads no more than the size limit of that type (checked
against ``Content-Length`` first, then while streaming), and records the final address
after redirects.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from govkg.graph.errors import InputError, Location

if TYPE_CHECKING:
    from govkg.graph.documents.reading import Limits

#: Content types a server may send a document govkg reads as. Many council sites serve
#: PDFs and Word files as application/octet-stream; the content decides then.
TEXT_TYPES = frozenset({"text/html", "application/xhtml+xml", "text/plain", "text/markdown"})
BINARY_TYPES = frozenset({
    "application/pdf", "application/x-pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/octet-stream", "binary/octet-stream"})
ACCEPT = ("application/pdf, application/vnd.openxmlformats-officedocument."
          "wordprocessingml.document, text/html;q=0.9, text/plain;q=0.8")


@dataclass(frozen=True)
class Fetched:
    """A fetched document: its bytes, the address after redirects and its content type."""

    body: bytes
    address: str
    content_type: str


def _user_agent() -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return f"govkg/{version('govkg')} (council governance documents reader)"
    except PackageNotFoundError:
        return "govkg (council governance documents reader)"


def fetch(url: str, *, limits: Limits) -> Fetched:
    """GET ``url`` within ``limits``; raise :class:`InputError` naming the address and
    what went wrong."""
    import httpx

    where = Location(url)
    deadline = time.monotonic() + limits.timeout
    try:
        with httpx.Client(follow_redirects=True, max_redirects=limits.max_redirects,
                          timeout=httpx.Timeout(limits.timeout),
                          headers={"User-Agent": _user_agent(), "Accept": ACCEPT}) as client, \
                client.stream("GET", url) as response:
            final = str(response.url)
            if response.status_code >= 400:
                raise InputError(f"the server answered {response.status_code} "
                                 f"{response.reason_phrase}", Location(final))
            content_type = response.headers.get("content-type", "")
            media = content_type.split(";")[0].strip().lower()
            if media not in TEXT_TYPES | BINARY_TYPES:
                raise InputError(f"the server sent {media or 'no content type'}, not a "
                                 "document govkg reads (PDF, Word, HTML or text)",
                                 Location(final))
            limit = limits.max_text_bytes if media in TEXT_TYPES else limits.max_bytes
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise InputError(f"too large: the server announces {int(declared):,} bytes, "
                                 f"over the limit of {limit:,}", Location(final))
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise InputError(f"too large: more than {limit:,} bytes", Location(final))
                if time.monotonic() > deadline:
                    raise InputError(f"too slow: not all sent within {limits.timeout:g} s",
                                     Location(final))
                chunks.append(chunk)
            return Fetched(b"".join(chunks), final, content_type)
    except httpx.TooManyRedirects:
        raise InputError(f"redirects more than {limits.max_redirects} times", where) from None
    except httpx.TimeoutException:
        raise InputError(f"no answer within {limits.timeout:g} s", where) from None
    except httpx.InvalidURL as exc:
        raise InputError(f"not a valid address: {exc}", where) from None
    except httpx.HTTPError as exc:
        raise InputError(f"cannot be fetched: {exc}", where) from None
