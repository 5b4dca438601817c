"""The importer interface: a source document, a layout that reads it, and the registry.

An importer turns one plain-text council document (as extracted from PDF or Word, tables
as tab-separated lines) into the triples of one named graph. There is one module per
document *layout*; several layouts may serve one *kind* of document (local code,
self-assessment, governance review). Layouts are looked up by name and imported only
when first used, as rdflib's plugin registry does.
"""

from __future__ import annotations

import hashlib
import importlib
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rdflib import URIRef

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

#: Layout name -> "module:Class", imported on first use.
LAYOUTS: dict[str, str] = {
    "principle-table": "govkg.graph.importers.principle_table:PrincipleTableImporter",
    "subprinciple-evidence":
        "govkg.graph.importers.subprinciple_evidence:SubprincipleEvidenceImporter",
    "numbered-requirements":
        "govkg.graph.importers.numbered_requirements:NumberedRequirementsImporter",
    "scored-requirements": "govkg.graph.importers.scored_requirements:ScoredRequirementsImporter",
    "standards-review": "govkg.graph.importers.standards_review:StandardsReviewImporter",
}

_MIN_TEXT_CHARS = 200


@dataclass(frozen=True)
class SourceDocument:
    """A document's exact text, its checksum, and its lines counted from 1."""

    path: Path
    text: str
    sha256: str
    lines: tuple[str, ...] = field(repr=False)

    @classmethod
    def read(cls, path: Path) -> SourceDocument:
        """Read a document, refusing anything that is not a usable text document."""
        where = Location(str(path))
        if not path.exists():
            raise InputError("no such file", where)
        if not path.is_file():
            raise InputError("not a regular file", where)
        data = path.read_bytes()
        if not data.strip():
            raise InputError("the file is empty", where)
        if b"\x00" in data[:65536]:
            raise InputError("the file is binary (it contains NUL bytes), not extracted text",
                             where)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise InputError(f"not UTF-8 text (byte {exc.start} cannot be decoded)",
                             Location(str(path), line)) from None
        if len(text.strip()) < _MIN_TEXT_CHARS:
            raise InputError(f"too short to be a governance document ({len(text.strip())} "
                             "characters)", where)
        return cls(path, text, hashlib.sha256(data).hexdigest(), tuple(text.split("\n")))

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

    @abstractmethod
    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        """Add everything this document states to ``builder``."""


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
