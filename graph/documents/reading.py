"""The one entry point for reading a document: :func:`read_document`.

It takes a file path or an ``http(s)://`` address, looks at the bytes (magic numbers, and
for a fetched page its content type) to choose the reader, and refuses what it cannot
read with an :class:`~govkg.graph.errors.InputError` that names the file and the
problem. The file name's extension is never trusted on its own: a PDF renamed ``.txt``
is read as a PDF, and a text file renamed ``.pdf`` is refused as not a PDF.

Readers are looked up by format and imported only when first used (as rdflib's plugins
are), so reading text never imports the PDF or Word libraries.
"""

from __future__ import annotations

import hashlib
import importlib
import zipfile
from dataclasses import dataclass, replace
from io import BytesIO
from pathlib import Path
from typing import Protocol

from govkg.graph.documents.model import Document
from govkg.graph.errors import InputError, Location

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
HTML = "text/html"
TEXT = "text/plain"
MARKDOWN = "text/markdown"

#: Media type -> "module:function" of its reader, imported on first use.
READERS: dict[str, str] = {
    PDF: "govkg.graph.documents.pdf:read_pdf",
    DOCX: "govkg.graph.documents.word:read_docx",
    HTML: "govkg.graph.documents.html:read_html",
    TEXT: "govkg.graph.documents.text:read_text",
    MARKDOWN: "govkg.graph.documents.text:read_text",
}

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """How much govkg will read of one document, so that a hostile or broken file fails
    fast with a clear message instead of exhausting memory or time.

    ``max_bytes`` bounds a PDF or Word file, ``max_text_bytes`` a text file or web page
    (a 50 MB page is not a governance document), ``max_unzipped_bytes`` and
    ``max_zip_ratio`` a Word file's contents once uncompressed (a zip bomb is small on
    disk), ``max_pages`` a PDF; ``timeout`` (seconds) and ``max_redirects`` a fetch.
    """

    max_bytes: int = 40 * _MIB
    max_text_bytes: int = 10 * _MIB
    max_unzipped_bytes: int = 200 * _MIB
    max_zip_ratio: int = 200
    max_pages: int = 2000
    timeout: float = 30.0
    max_redirects: int = 5


DEFAULT_LIMITS = Limits()


class Reader(Protocol):
    """What every reader module provides."""

    def __call__(self, data: bytes, *, source: str, address: str, sha256: str,
                 limits: Limits, ocr: bool) -> Document: ...


def sniff(data: bytes, *, content_type: str | None = None, name: str = "") -> str | None:
    """The media type of ``data``, from its first bytes (and a server's content type for
    text that could be either HTML or plain text); None when it is no format govkg reads.

    >>> sniff(b"%PDF-1.7 ..."), sniff(b"<!DOCTYPE html><html>"), sniff(b"Code of governance")
    ('application/pdf', 'text/html', 'text/plain')
    """
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"PK\x03\x04"):
        return DOCX if _is_docx(data) else None
    if data.startswith(b"\xd0\xcf\x11\xe0") or b"\x00" in data[:1024]:
        return None  # old binary Word/Excel, or some other binary file
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
            head.startswith((b"<?xml", b"<!--")) and b"<html" in head):
        return HTML
    if content_type is not None and content_type.split(";")[0].strip().lower() in (
            HTML, "application/xhtml+xml") and head.startswith(b"<"):
        return HTML
    return MARKDOWN if name.lower().endswith(".md") else TEXT


def _is_docx(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            return "word/document.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def _describe(data: bytes) -> str:
    """What a file that no reader takes looks like, for the error message."""
    if data.startswith(b"PK\x03\x04"):
        try:
            zipfile.ZipFile(BytesIO(data)).close()
        except zipfile.BadZipFile:
            return "a corrupt or truncated zip archive (as a broken Word file is)"
        return "a zip archive that is not a Word (.docx) document"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return ("an old binary Office file (.doc/.xls); save it as .docx or PDF and import "
                "that")
    return "a binary file (it contains NUL bytes), not a PDF, Word, HTML or text document"


def load_reader(media_type: str) -> Reader:
    """The reader function registered for ``media_type``."""
    module_name, function = READERS[media_type].split(":")
    reader: Reader = getattr(importlib.import_module(module_name), function)
    return reader


def read_bytes(data: bytes, *, source: str, address: str = "", content_type: str | None = None,
               ocr: bool = False, limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a document already in memory (a file's bytes, a fetched page's body)."""
    where = Location(source)
    if not data.strip():
        raise InputError("the file is empty", where)
    media_type = sniff(data, content_type=content_type, name=source)
    if media_type is None:
        raise InputError(f"cannot read {_describe(data)}", where)
    limit = limits.max_text_bytes if media_type in (HTML, TEXT, MARKDOWN) else limits.max_bytes
    if len(data) > limit:
        raise InputError(f"too large: {len(data):,} bytes of {media_type}, over the limit of "
                         f"{limit:,}", where)
    reader = load_reader(media_type)
    document = reader(data, source=source, address=address or source,
                      sha256=hashlib.sha256(data).hexdigest(), limits=limits, ocr=ocr)
    return replace(document, original=data)  # kept beside the store by the import


def is_url(source: str | Path) -> bool:
    return isinstance(source, str) and source.lower().startswith(("http://", "https://"))


def read_document(source: str | Path, *, ocr: bool = False,
                  limits: Limits = DEFAULT_LIMITS) -> Document:
    """Read a council's document from a file or an ``http(s)://`` address.

    The format is chosen from the content, not the name. ``ocr`` allows a scanned PDF
    (pages without a text layer) to be read by optical character recognition. Raises
    :class:`InputError` naming the file and the problem for anything it cannot read.
    """
    if is_url(source):
        from govkg.graph.documents.fetching import fetch
        page = fetch(str(source), limits=limits)
        return read_bytes(page.body, source=str(source), address=page.address,
                          content_type=page.content_type, ocr=ocr, limits=limits)
    path = Path(source)
    where = Location(str(path))
    if not path.exists():
        raise InputError("no such file", where)
    if not path.is_file():
        raise InputError("not a regular file", where)
    size = path.stat().st_size
    if size > max(limits.max_bytes, limits.max_text_bytes):
        raise InputError(f"too large: {size:,} bytes, over the limit of "
                         f"{max(limits.max_bytes, limits.max_text_bytes):,}", where)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot be read: {exc.strerror or exc}", where) from None
    return read_bytes(data, source=str(path), address=str(path.resolve()), ocr=ocr,
                      limits=limits)
