"""The document model of a source document, for the importing pipeline.

The pipeline reads :class:`~govkg.graph.documents.model.Document` blocks, never raw
lines, so that a PDF, a Word file, a web page and a text file are read alike. A text
document's canonical text is the file's own text, so the line numbers provenance cites
stay those of the file.
"""

from __future__ import annotations

from govkg.graph.documents.model import Document
from govkg.graph.documents.text import parse_text
from govkg.graph.importers.base import SourceDocument


def read(doc: SourceDocument) -> Document:
    """The blocks of ``doc``; spans point into ``doc.text``."""
    return parse_text(doc.text, source=doc.path.name, address=str(doc.path), sha256=doc.sha256)
