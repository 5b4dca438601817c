"""Reading councils' documents (PDF, Word, HTML, text, web addresses) into one model.

:func:`read_document` is the one entry point; :mod:`.model` is what it returns.
"""

from govkg.graph.documents.model import Block, BlockKind, Cell, Document, Row, Span, TextWriter
from govkg.graph.documents.reading import DEFAULT_LIMITS, Limits, read_bytes, read_document

__all__ = ["DEFAULT_LIMITS", "Block", "BlockKind", "Cell", "Document", "Limits", "Row", "Span",
           "TextWriter", "read_bytes", "read_document"]
