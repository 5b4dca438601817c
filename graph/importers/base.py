"""The importer interface: a source document, a layout that reads it, and the registry.

An importer turns one council document (a text file, or the canonical text read from a
PDF, Word file or web page by :mod:`govkg.graph.documents`; tables as tab-separated lines)
into the triples of one named graph. There is one module per
document *layout*; several layouts may serve one *kind* of document (local code,
self-assessment, governance review). Layouts are looked up by name and imported only
when first used, as rdflib's plugin registry does.
"""

from __future__ import annotations

import bisect
import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar
from urllib.parse import urlsplit

from rdflib import URIRef

from govkg.graph.documents import DEFAULT_LIMITS, Document, Limits, read_document
from govkg.graph.documents.reading import is_url
from govkg.graph.errors import GovkgError, InputError, Location
from govkg.graph.namespaces import DOCUMENT, GOVKG, GRAPH

if TYPE_CHECKING:
    from govkg.graph.importers.builder import DocumentBuilder

#: Document kinds and the ontology class each is imported as.
KINDS: dict[str, URIRef] = {
    "local-code": GOVKG.LocalCode,
    "self-assessment": GOVKG.SelfAssessment,
    "governance-review": GOVKG.ExternalGovernanceReview,
}

#: Layout name -> "module:Class", imported on first use. The one pipeline ("generic",
#: :mod:`pipeline`) and the kinds of G3 (:mod:`kinds`) register themselves here; no layout
#: is written for a single document any more, and a plugin adds its own entry.
LAYOUTS: dict[str, str] = {}

_MIN_TEXT_CHARS = 200


@dataclass(frozen=True)
class SourceDocument:
    """A document's canonical text, the checksum of its original bytes, its lines counted
    from 1, and the document model it was read into.

    ``text`` is what the layouts read and provenance quotes: a text file's own text, or
    the text extracted from a PDF, Word file or web page (see :mod:`govkg.graph.documents`).
    ``sha256`` is of the original bytes (the PDF, not the extracted text). ``source`` is
    the file or address as given, ``address`` the absolute file or the final URL; ``path``
    names the document in messages (for a web address, the last part of its path).
    """

    path: Path
    text: str
    sha256: str
    lines: tuple[str, ...] = field(repr=False)
    document: Document | None = field(default=None, repr=False, compare=False)
    source: str = ""
    address: str = ""
    media_type: str = "text/plain"

    @classmethod
    def read(cls, source: Path | str, *, ocr: bool = False,
             limits: Limits = DEFAULT_LIMITS) -> SourceDocument:
        """Read a document from a file or web address, in any format govkg reads,
        refusing anything that is not a usable governance document."""
        document = read_document(source, ocr=ocr, limits=limits)
        text = document.text
        if len(text.strip()) < _MIN_TEXT_CHARS:
            raise InputError(f"too short to be a governance document ({len(text.strip())} "
                             "characters)", Location(str(source)))
        return cls(_display_path(source), text, document.sha256, tuple(text.split("\n")),
                   document, str(source), document.address, document.media_type)

    @cached_property
    def _line_starts(self) -> list[int]:
        starts, offset = [], 0
        for line in self.lines:
            starts.append(offset)
            offset += len(line) + 1
        return starts

    def line_at(self, offset: int) -> int:
        """The 1-based number of the line holding character ``offset`` of :attr:`text`,
        by bisection over the line starts (counting newlines from the start for every
        lookup made importing grow with the square of the document's size)."""
        return bisect.bisect_right(self._line_starts, offset)

    def position(self, start: int, end: int, quote: str) -> tuple[int, int] | None:
        """Character offsets (start, end exclusive) in :attr:`text` of ``quote`` where it
        first occurs within lines ``start`` to ``end``; None if it is not there."""
        first = self._line_starts[start - 1]
        found = self.quote(start, end).find(quote)
        return None if found < 0 else (first + found, first + found + len(quote))

    def page_at(self, offset: int) -> int | None:
        """The page of the original (a PDF's) that character ``offset`` was read from."""
        return self.document.page_at(offset) if self.document is not None else None

    @property
    def ocr(self) -> bool:
        return self.document is not None and self.document.ocr

    @property
    def id(self) -> str:
        """Stable identifier: the first 16 hex digits of the SHA-256 of the bytes."""
        return self.sha256[:16]

    @property
    def iri(self) -> URIRef:
        return DOCUMENT[self.id]

    @property
    def graph_iri(self) -> URIRef:
        """The named graph that holds everything imported from this document."""
        return GRAPH[f"document/{self.id}"]

    def line(self, number: int) -> str:
        """Line ``number``, counting from 1."""
        return self.lines[number - 1]

    def quote(self, start: int, end: int | None = None) -> str:
        """The exact text of lines ``start`` to ``end`` inclusive."""
        return "\n".join(self.lines[start - 1 : (end or start)])

    @cached_property
    def lower(self) -> str:
        return self.text.lower()


@dataclass(frozen=True)
class ImportContext:
    """What the importer was told or detected about a document."""

    council: URIRef
    council_label: str
    council_slug: str
    kind: str
    framework: URIRef | None  # None for documents judged against their own standards


class Importer(ABC):
    """Reads one document layout into a :class:`DocumentBuilder`.

    Subclasses set ``layout``, ``kind`` and ``description``, say how well a document
    fits (``fits``), and add its resources (``build``).
    """

    layout: ClassVar[str]
    kind: ClassVar[str]
    description: ClassVar[str]

    @classmethod
    @abstractmethod
    def fits(cls, doc: SourceDocument) -> float:
        """How well ``doc`` matches this layout, from 0 (not at all) to 1 (certainly)."""

    @classmethod
    def assess(cls, doc: SourceDocument) -> tuple[float, str]:
        """The fit and why, so that detection can report each guess it weighed rather
        than only the winner; a layout that knows its evidence says it here."""
        fit = cls.fits(doc)
        return fit, f"layout {cls.layout} fits {fit:.2f}"

    @abstractmethod
    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        """Add everything this document states to ``builder``."""


def _display_path(source: Path | str) -> Path:
    """How messages name a document: its file path, or a web address's last part."""
    if is_url(source):
        name = urlsplit(str(source)).path.rstrip("/").rsplit("/", 1)[-1]
        return Path(name or urlsplit(str(source)).netloc)
    return Path(source)


def load_layout(name: str) -> type[Importer]:
    """The importer class registered under ``name``."""
    try:
        target = LAYOUTS[name]
    except KeyError:
        raise InputError(f"unknown layout {name!r}; known: {', '.join(sorted(LAYOUTS))}") from None
    module_name, class_name = target.split(":")
    try:
        cls: type[Importer] = getattr(importlib.import_module(module_name), class_name)
    except (ImportError, AttributeError) as exc:  # a broken plugin is named, not hidden
        raise GovkgError(f"layout {name!r} cannot be loaded from {target}: {exc}") from exc
    return cls


def layouts_for(kind: str | None) -> list[type[Importer]]:
    """Every importer of ``kind`` (all kinds when None)."""
    classes = [load_layout(name) for name in LAYOUTS]
    return [cls for cls in classes if kind is None or cls.kind == kind]
