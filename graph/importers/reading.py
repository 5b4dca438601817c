"""The document model of a source document, for the importing pipeline.

The pipeline reads :class:`~govkg.graph.documents.model.Document` blocks, never raw lines,
so that a PDF, a Word file, a web page and a text file are read alike. Plain text is read
by the document readers' text module when it is there; until then (and for text it cannot
read) this module reads it line by line into the same blocks, with spans into the file's
own text so that line numbers stay those of the file:

- lines holding tabs are table rows; consecutive rows are one table (a row split by a page
  break shows up as two rows, which the pipeline reads as two units of the same section);
- a line that starts with a bullet glyph, "-", "*" or "1." / "a)" is a list item, its depth
  from its indentation;
- other lines are paragraphs, and a short line with no full stop is a heading.
"""

from __future__ import annotations

import re

from govkg.graph.documents.model import Block, BlockKind, Cell, Document, Row, Span
from govkg.graph.importers.base import SourceDocument

_BULLET = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<marker>[•●▪■◦·‣⁃∙\uf0b7\uf0a7\uf076\uf0d8o]"
                     r"(?=\s)|[-*–](?=\s)|\(?[a-z]\)|\(?[ivx]{1,4}\)|\d{1,2}[.)](?=\s+\D))"
                     r"\s+(?=\S)")
_HEADING_MAX = 90


def read(doc: SourceDocument) -> Document:
    """The blocks of ``doc``; spans point into ``doc.text``."""
    try:  # the document readers' own text reader, once it is there
        from govkg.graph.documents.text import read_text  # type: ignore[import-not-found]
    except ImportError:
        return read_lines(doc.text, source=doc.path.name, sha256=doc.sha256)
    document: Document = read_text(doc.text, source=doc.path.name, sha256=doc.sha256)
    return document


def _span(offset: int, start: int, end: int, line: int) -> Span:
    return Span(offset + start, offset + end, line, line)


def read_lines(text: str, *, source: str, sha256: str) -> Document:
    """Read plain text line by line into blocks (see the module's docstring)."""
    blocks: list[Block] = []
    table_rows: list[Row] = []
    offset = 0

    def close_table() -> None:
        if table_rows:
            first, last = table_rows[0].span, table_rows[-1].span
            body = text[first.start:last.end]
            blocks.append(Block(BlockKind.TABLE, body,
                                Span(first.start, last.end, first.line, last.end_line),
                                rows=tuple(table_rows)))
            table_rows.clear()

    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if "\t" in line and stripped:
            cells, position = [], 0
            for part in line.split("\t"):
                lead = len(part) - len(part.lstrip())
                content = part.strip()
                start = position + lead
                cells.append(Cell(content, _span(offset, start, start + len(content), number)))
                position += len(part) + 1
            row_start = len(line) - len(line.lstrip())
            table_rows.append(Row(tuple(cells), _span(offset, row_start, len(line.rstrip()),
                                                      number)))
        else:
            close_table()
            if stripped:
                blocks.append(_block(line, offset, number))
        offset += len(line) + 1
    close_table()
    return Document(text, tuple(blocks), source, "text/plain", sha256, source)


def _block(line: str, offset: int, number: int) -> Block:
    bullet = _BULLET.match(line)
    if bullet is not None:
        start = bullet.end()
        content = line[start:].rstrip()
        depth = len(bullet.group("indent").expandtabs(2)) // 2
        return Block(BlockKind.LIST_ITEM, content,
                     _span(offset, start, start + len(content), number), depth,
                     bullet.group("marker"))
    start = len(line) - len(line.lstrip())
    content = line.strip()
    heading = (len(content) <= _HEADING_MAX and not content.endswith((".", ";", ","))
               and content[:1].isupper())
    kind = BlockKind.HEADING if heading else BlockKind.PARAGRAPH
    return Block(kind, content, _span(offset, start, start + len(content), number))
