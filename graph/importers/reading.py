"""The document model of a source document, for the importing pipeline.

The pipeline reads :class:`~govkg.graph.documents.model.Document` blocks, never raw
lines, so that a PDF, a Word file, a web page and a text file are read alike. The model
is the one the document readers made when the source was read; a source made from text
alone is parsed here. Either way the spans point into ``doc.text``, the canonical text
provenance quotes (for a text file, the file's own text, so line numbers stay the file's).
"""

from __future__ import annotations

from govkg.graph.documents.model import Document
from govkg.graph.documents.text import parse_text
from govkg.graph.importers.base import SourceDocument


def read(doc: SourceDocument) -> Document:
    """The blocks of ``doc``; spans point into ``doc.text``."""
    if doc.document is not None and doc.document.text == doc.text:
        return doc.document
    return parse_text(doc.text, source=doc.path.name, address=str(doc.path), sha256=doc.sha256)
