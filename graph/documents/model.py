"""The document model: what every reader produces and every importer reads.

A council publishes its code as a PDF, a Word file, a web page or plain text. Each reader
(one module per format) turns its format into the same :class:`Document`: the ordered
:class:`Block` s of the document (headings with their level, paragraphs, list items with
their depth and marker, tables with rows, cells and header rows) and the document's
*canonical text*, the extracted text that provenance quotes. Every block, row and cell
carries a :class:`Span`: character offsets into the canonical text, the lines they run
over (counted from 1) and, for paged formats, the page.

The invariant every reader keeps, and ``Document.check()`` tests: the canonical text at a
span is exactly the text of its block or cell. Readers that generate their canonical text
(PDF, Word, HTML) write it through :class:`TextWriter`, so that the same content gives the
same text and the same blocks whatever the format; the text reader keeps the file's own
text, so line numbers stay those of the file.

>>> w = TextWriter()
>>> h = w.heading("Principle A", level=1)
>>> item = w.list_item("Codes of conduct", depth=1, marker="•")
>>> t = w.table([["Principle", "Evidence"], ["A", "Whistleblowing policy"]], header_rows=1)
>>> doc = w.document(source="code.txt", media_type="text/plain", sha256="0" * 64)
>>> [b.kind.value for b in doc.blocks]
['heading', 'list-item', 'table']
>>> doc.quote(doc.blocks[1].span), doc.blocks[1].level, doc.blocks[1].marker
('Codes of conduct', 1, '•')
>>> [c.text for c in doc.blocks[2].body_rows[0].cells]
['A', 'Whistleblowing policy']
>>> doc.check()
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from enum import StrEnum


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list-item"
    TABLE = "table"


@dataclass(frozen=True)
class Span:
    """A stretch of the canonical text: characters ``start`` to ``end`` (end exclusive),
    lines ``line`` to ``end_line`` (from 1, inclusive), on ``page`` (from 1; None for
    formats without pages)."""

    start: int
    end: int
    line: int
    end_line: int
    page: int | None = None


@dataclass(frozen=True)
class Cell:
    """One table cell. A cell that holds a list keeps one item per line in ``text``."""

    text: str
    span: Span


@dataclass(frozen=True)
class Row:
    """One table row. ``header`` marks a header row; ``continues`` marks the rest of the
    row before it: what a page break split off, or, in plain text, a line carrying further
    paragraphs of the row's cells at their column positions (the text reader keeps the
    parts as rows, since each quotes its own stretch of the file; :meth:`Block.logical_rows`
    joins them, a line per part, as a Word, PDF or HTML cell of several paragraphs reads)."""

    cells: tuple[Cell, ...]
    span: Span
    header: bool = False
    continues: bool = False

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.cells]


@dataclass(frozen=True)
class Block:
    """A heading, paragraph, list item or table, in document order.

    ``level`` is a heading's level (1 is the top) or a list item's depth (0 is the top
    level); ``marker`` is a list item's marker as printed ("•", "1.", "a)", "-").
    ``text`` is the block's text without its marker; for a table, its rows' cells joined
    by tabs and its rows by newlines.
    """

    kind: BlockKind
    text: str
    span: Span
    level: int = 0
    marker: str = ""
    rows: tuple[Row, ...] = ()

    @property
    def header_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.header)

    @property
    def body_rows(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if not r.header)

    def logical_rows(self) -> list[list[str]]:
        """The table's rows as cell texts, each row that ``continues`` another joined to
        it cell by cell (the two parts of a cell on separate lines, empty parts left out).

        This is what a reader of the table means by a row, whatever the format split:
        the text reader keeps a row split by a page break as two rows, a Word table has
        one.
        """
        joined: list[list[str]] = []
        for row in self.rows:
            texts = row.texts
            if row.continues and joined:
                previous = joined[-1]
                previous.extend([""] * (len(texts) - len(previous)))
                for column, text in enumerate(texts):
                    if text:
                        previous[column] = "\n".join(filter(None, (previous[column], text)))
            else:
                joined.append(list(texts))
        return joined


@dataclass(frozen=True)
class Document:
    """One document as read: canonical text, blocks, and where it came from.

    ``source`` is the file name or address as the user gave it; ``address`` the absolute
    path or the final URL after redirects; ``sha256`` is of the original bytes (the PDF,
    not the extracted text). ``furniture`` holds the running headers and footers that were
    recognised and set aside. ``ocr`` says the text came from optical character
    recognition, not from a text layer. ``original`` is the file's bytes as read, so that
    the import can keep the original beside the store (left out of comparisons).
    """

    text: str
    blocks: tuple[Block, ...]
    source: str
    media_type: str
    sha256: str
    address: str = ""
    pages: int | None = None
    furniture: tuple[Block, ...] = ()
    ocr: bool = False
    original: bytes = field(default=b"", repr=False, compare=False)
    _line_starts: list[int] = field(default_factory=list, repr=False, compare=False)
    _page_starts: list[tuple[int, int]] = field(default_factory=list, repr=False,
                                                compare=False)

    def quote(self, span: Span) -> str:
        """The canonical text at ``span``."""
        return self.text[span.start:span.end]

    @property
    def lines(self) -> list[str]:
        return self.text.split("\n")

    def line_of(self, offset: int) -> int:
        """The line (from 1) that character ``offset`` is on."""
        if not self._line_starts:
            starts = [0] + [i + 1 for i, ch in enumerate(self.text) if ch == "\n"]
            object.__setattr__(self, "_line_starts", starts)
        return bisect.bisect_right(self._line_starts, offset)

    def page_at(self, offset: int) -> int | None:
        """The page that character ``offset`` is on (None for formats without pages): the
        page of the last block, row or cell that starts at or before it."""
        if self.pages is None:
            return None
        if not self._page_starts:
            spans = sorted((span.start, span.page) for _, span in self.iter_spans()
                           if span.page is not None)
            spans += sorted((row.span.start, row.span.page) for block in self.blocks
                            for row in block.rows if row.span.page is not None)
            spans.sort()
            object.__setattr__(self, "_page_starts", spans)
        if not self._page_starts:
            return None
        index = bisect.bisect_right(self._page_starts, (offset, self.pages + 1)) - 1
        return self._page_starts[index][1] if index >= 0 else self._page_starts[0][1]

    def iter_spans(self) -> Iterator[tuple[str, Span]]:
        """Every (text, span) pair the document claims: blocks, rows' cells."""
        for block in (*self.blocks, *self.furniture):
            if block.kind is BlockKind.TABLE:
                for row in block.rows:
                    for cell in row.cells:
                        yield cell.text, cell.span
            else:
                yield block.text, block.span

    def check(self) -> None:
        """Raise ``ValueError`` where a span does not quote its text exactly, or its lines
        are not the lines its characters are on."""
        for text, span in self.iter_spans():
            if self.quote(span) != text:
                raise ValueError(f"span {span} quotes {self.quote(span)!r}, not {text!r}")
            if (self.line_of(span.start), self.line_of(max(span.start, span.end - 1))) != (
                    span.line, span.end_line):
                raise ValueError(f"span {span} has the wrong lines for {text!r}")


class TextWriter:
    """Writes a generated canonical text block by block and records each span.

    Readers of formats whose text must be extracted (PDF, Word, HTML) use it, so one
    content gives one canonical text: a heading, paragraph or list item is a line of its
    own (a list item indented two spaces per level of depth, after its marker); a table
    row is its cells joined by tabs, a cell with several lines keeping them; a blank line
    separates blocks.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._length = 0
        self._line = 1
        self.blocks: list[Block] = []
        self.furniture: list[Block] = []

    def _write(self, text: str) -> None:
        self._parts.append(text)
        self._length += len(text)
        self._line += text.count("\n")

    def _separate(self) -> None:
        if self._parts:
            self._write("\n\n")

    def _spanned(self, text: str, page: int | None) -> Span:
        start, line = self._length, self._line
        self._write(text)
        return Span(start, self._length, line, self._line, page)

    def _add(self, block: Block, furniture: bool) -> Block:
        (self.furniture if furniture else self.blocks).append(block)
        return block

    def heading(self, text: str, level: int = 1, page: int | None = None, *,
                furniture: bool = False) -> Block:
        self._separate()
        return self._add(Block(BlockKind.HEADING, text, self._spanned(text, page), level),
                         furniture)

    def paragraph(self, text: str, page: int | None = None, *,
                  furniture: bool = False) -> Block:
        self._separate()
        return self._add(Block(BlockKind.PARAGRAPH, text, self._spanned(text, page)),
                         furniture)

    def list_item(self, text: str, depth: int = 0, marker: str = "•",
                  page: int | None = None) -> Block:
        """A list item; consecutive items of one list are written on consecutive lines."""
        previous = self.blocks[-1] if self.blocks else None
        if previous is not None and previous.kind is BlockKind.LIST_ITEM:
            self._write("\n")
        else:
            self._separate()
        self._write("  " * depth + (f"{marker} " if marker else ""))
        return self._add(Block(BlockKind.LIST_ITEM, text, self._spanned(text, page), depth,
                               marker), False)

    def table(self, rows: Sequence[Sequence[str]], header_rows: int = 0,
              pages: Sequence[int | None] | None = None,
              continues: Sequence[bool] | None = None) -> Block:
        """A table from its rows of cell texts; the first ``header_rows`` rows are its
        header. ``pages`` gives each row's page, for a table that runs over a page break;
        ``continues`` marks the rows that continue the row before (see :class:`Row`)."""
        self._separate()
        start, line = self._length, self._line
        built: list[Row] = []
        for index, cells in enumerate(rows):
            if index:
                self._write("\n")
            page = pages[index] if pages is not None else None
            row_start, row_line = self._length, self._line
            spans: list[Cell] = []
            for column, cell in enumerate(cells):
                if column:
                    self._write("\t")
                spans.append(Cell(cell, self._spanned(cell, page)))
            built.append(Row(tuple(spans), Span(row_start, self._length, row_line, self._line,
                                                page), index < header_rows,
                             bool(continues and continues[index])))
        first_page = pages[0] if pages else None
        text = "\n".join("\t".join(r) for r in rows)
        return self._add(Block(BlockKind.TABLE, text,
                               Span(start, self._length, line, self._line, first_page),
                               rows=tuple(built)), False)

    def document(self, *, source: str, media_type: str, sha256: str, address: str = "",
                 pages: int | None = None, ocr: bool = False) -> Document:
        return Document("".join(self._parts) + ("\n" if self._parts else ""),
                        tuple(self.blocks), source, media_type, sha256, address or source,
                        pages, tuple(self.furniture), ocr)
