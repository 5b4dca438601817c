"""Reading plain text (``.txt``, ``.md``) as the corpus stores it, into the document model.

The canonical text of a text document is the file's own text, unchanged (only a leading
byte-order mark is dropped), so the line numbers provenance cites are the file's. Blocks
are recognised line by line:

* a **table** is a run of lines holding tabs (one row a line, cells between tabs). Plain
  text has no way to break a line inside a cell, so a cell of several paragraphs carries
  each further paragraph on a line of its own, at its cell's column position: a line
  whose first cell is empty (it opens with a tab) continues the row above, its cells the
  next paragraphs of the cells in the same columns (the row is marked ``continues``, and
  :meth:`Block.logical_rows` joins it to the row above, a line per paragraph, as a Word,
  PDF or HTML cell of several paragraphs reads). A run that starts after a blank line
  with an empty first cell is the same: the row that a page break split. A run that
  starts with the table's header row again is the header repeated over a page break: it
  is set aside as furniture and the two runs are one table;
* a **list item** starts with a bullet glyph, ``-``/``*``/``+`` or a marker such as
  ``a)``, ``(iv)``, ``3)``; its depth comes from its indentation relative to the list's
  other items; an indented line straight after it continues it;
* a **heading** is a markdown ``#`` line, or a line standing alone (a blank line or
  another block on either side) that reads as a title: numbered ("1.", "1.1", "A."),
  keyword ("Principle A", "Part 3", "Appendix 1"), upper case, or short with no closing
  punctuation;
* a **paragraph** is any other run of consecutive lines, joined into one block;
* capture artefacts are set aside as **furniture**, not content: ``[gap]`` markers, the
  ``== <url> ==`` lines that separate the parts of a document spread over several web
  pages, and page numbers: "Page N", "Page N of M" and a number alone on its line.

Every span points at the exact characters of its block in the file's text (leading
indentation, markers and trailing spaces are outside it).

>>> doc = parse_text("1. INTRODUCTION\\n\\nSome text\\nruns on.\\n\\n- one\\n  - two\\n",
...                  source="x.txt")
>>> [(b.kind.value, b.level) for b in doc.blocks]
[('heading', 1), ('paragraph', 0), ('list-item', 0), ('list-item', 1)]
>>> doc.blocks[1].text, doc.blocks[1].span.line, doc.blocks[1].span.end_line
('Some text\\nruns on.', 3, 4)
>>> doc.check()
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field
from enum import Enum, auto
from typing import TYPE_CHECKING

from govkg.graph.documents.model import Block, BlockKind, Cell, Document, Row, Span
from govkg.graph.errors import InputError, Location

if TYPE_CHECKING:
    from collections.abc import Sequence

    from govkg.graph.documents.reading import Limits

#: Bullet glyphs councils' documents use, PDF private-use glyphs included.
BULLETS = "•●▪■◦·‣⁃∙○▫➢➤►✓✔\uf0b7\uf0a7\uf076\uf0d8\uf0fc"
_LIST_ITEM = re.compile(
    rf"^(?P<indent> *)(?P<marker>[{BULLETS}]|[-*+](?=\s)|\(?[a-zA-Z]\)|\([ivxlcIVXLC]+\)"
    r"|[ivxlc]+\)|\(\d{1,3}\)|\d{1,3}\))\s+(?P<text>\S.*?)\s*$")
_MARKDOWN_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<text>\S.*?)(?:\s+#+)?\s*$")
_GAP = re.compile(r"^\s*\[gap\]\s*$", re.IGNORECASE)
_PART = re.compile(r"^==\s*\S.*\s*==\s*$")
_PAGE = re.compile(r"^\s*(?:Page\s+\d+(?:\s+of\s+\d+)?(?:\s*[:.\-–].*)?|\d{1,4})\s*$",
                   re.IGNORECASE)
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<rest>\S.*)$")
_LETTERED = re.compile(r"^[A-Z][.)]\s+\S")
_KEYWORD = re.compile(
    r"^(?:(?P<top>Part|Chapter|Appendix|Annex|Schedule)|Core Principle|Principle|Section"
    r"|Article|Standard)\s+(?:[A-Z]|\d{1,2}|One|Two|Three|Four|Five|Six|Seven|Eight|Nine"
    r"|Ten)\b", re.IGNORECASE)
_CLOSING_PUNCTUATION = ".,;:!?"
_MAX_HEADING_CHARS = 120
_MAX_TITLE_CHARS = 80
_MAX_TITLE_WORDS = 12
_MAX_HEADER_CELL_CHARS = 120


class _Kind(Enum):
    BLANK = auto()
    FURNITURE = auto()
    TABLE = auto()
    LIST = auto()
    HEADING = auto()
    TEXT = auto()


@dataclass
class _Line:
    """One line of the file: its number (from 1), where it starts, its text without the
    line break (and without a carriage return), and what it looks like."""

    number: int
    start: int
    text: str
    kind: _Kind
    match: re.Match[str] | None = None

    @property
    def indent(self) -> int:
        return len(self.text) - len(self.text.lstrip(" "))


def _classify(number: int, start: int, text: str) -> _Line:
    if not text.strip():
        return _Line(number, start, text, _Kind.BLANK)
    if _GAP.match(text) or _PART.match(text) or _PAGE.match(text):
        return _Line(number, start, text, _Kind.FURNITURE)
    if "\t" in text:
        return _Line(number, start, text, _Kind.TABLE)
    if match := _MARKDOWN_HEADING.match(text):
        return _Line(number, start, text, _Kind.HEADING, match)
    if match := _LIST_ITEM.match(text):
        return _Line(number, start, text, _Kind.LIST, match)
    return _Line(number, start, text, _Kind.TEXT)


def _lines(text: str) -> list[_Line]:
    lines, start = [], 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(_classify(number, start, raw.removesuffix("\r")))
        start += len(raw) + 1
    return lines


def heading_level(text: str) -> int | None:
    """The level of a line standing alone if it reads as a heading, else None.

    Numbered headings take their level from the number ("2" is 1, "2.3" is 2); keyword
    headings ("Part 2", "Appendix 1") are 1, "Principle A", "Section 4" and lettered ones
    ("A.") 2; upper-case lines 1; other short title-like lines 2.

    >>> [heading_level(t) for t in ("1. INTRODUCTION", "2.1 Scope", "Principle A: Integrity",
    ...  "OUR APPROACH", "Acknowledgement of responsibility", "It is short.", "5 years ago")]
    [1, 2, 2, 1, 2, None, None]
    """
    text = text.strip()
    if len(text) > _MAX_HEADING_CHARS or text[-1] in _CLOSING_PUNCTUATION:
        return None
    if match := _KEYWORD.match(text):
        return 1 if match.group("top") else 2
    words = text.split()
    title_like = len(text) <= _MAX_TITLE_CHARS and len(words) <= _MAX_TITLE_WORDS
    if match := _NUMBERED.match(text):
        rest = match.group("rest")
        if title_like and rest[0].isupper():
            return match.group("number").count(".") + 1
        return None
    if _LETTERED.match(text) and title_like:
        return 2
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 3 and text.upper() == text:
        return 1
    if title_like and text[0].isupper():
        return 2
    return None


@dataclass
class _Builder:
    """Collects blocks and their spans over one text."""

    text: str
    lines: list[_Line]
    line_starts: list[int] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    furniture: list[Block] = field(default_factory=list)
    #: Indentations of the open list's levels (the list's depth stack).
    list_indents: list[int] = field(default_factory=list)

    def span(self, start: int, end: int) -> Span:
        """The span of characters ``start`` to ``end``, with the lines they run over."""
        first = self._line_at(start)
        last = self._line_at(max(start, end - 1))
        return Span(start, end, first, last)

    def _line_at(self, offset: int) -> int:
        if not self.line_starts:
            self.line_starts = [line.start for line in self.lines]
        return bisect.bisect_right(self.line_starts, offset)

    def trimmed(self, start: int, end: int) -> tuple[str, Span]:
        """Characters ``start`` to ``end`` less surrounding white space: text and span."""
        chunk = self.text[start:end]
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        if right <= left:  # an empty cell: a zero-length span where it would be
            return "", self.span(start, start)
        return chunk[left:right], self.span(start + left, start + right)

    def add(self, kind: BlockKind, start: int, end: int, *, level: int = 0,
            marker: str = "", furniture: bool = False) -> Block:
        text, span = self.trimmed(start, end)
        block = Block(kind, text, span, level, marker)
        (self.furniture if furniture else self.blocks).append(block)
        return block


def _end(line: _Line) -> int:
    return line.start + len(line.text)


def _cells(builder: _Builder, line: _Line) -> list[Cell]:
    cells, start = [], line.start
    for piece in line.text.split("\t"):
        text, span = builder.trimmed(start, start + len(piece))
        cells.append(Cell(text, span))
        start += len(piece) + 1
    return cells


def _row(builder: _Builder, line: _Line, *, continues: bool = False) -> Row:
    """One table row; its span is the whole line, leading empty cells included."""
    return Row(tuple(_cells(builder, line)), builder.span(line.start, _end(line)),
               continues=continues)


def _continues_cells(row: Row) -> bool:
    """Whether a row straight after another carries more paragraphs of that row's cells:
    its first cell is empty and another is not (the text of a cell of several paragraphs,
    each paragraph on a line of its own at its cell's column position)."""
    return row.cells[0].text == "" and any(cell.text for cell in row.cells)


def _is_header(rows: list[Row]) -> bool:
    """Whether a table's first row reads as its header (see :func:`reads_as_header`)."""
    return len(rows) >= 2 and reads_as_header([c.text for c in rows[0].cells],
                                              [c.text for c in rows[1].cells])


def reads_as_header(first: Sequence[str], second: Sequence[str]) -> bool:
    """Whether a table's first row (cell texts) reads as its header, where nothing but
    its words tells (a text file, an OCR'd scan): every cell of it is filled, short and
    not a sentence, and the table is not a list of labelled values ("Created:" then
    "Department:" down its first column; ``second`` is the row after it).

    >>> reads_as_header(["Principle", "Score"], ["A1 Integrity", "4"])
    True
    >>> reads_as_header(["Created:", "2024"], ["Department:", "Audit"])
    False
    """
    if first[0].endswith(":") and second and second[0].endswith(":"):
        return False
    return all(text and len(text) <= _MAX_HEADER_CELL_CHARS and text[-1] not in ".,;!?"
               for text in first)


def _run(builder: _Builder, index: int) -> list[Row]:
    """The rows of the run of table lines from line ``index``."""
    rows = []
    while index < len(builder.lines) and builder.lines[index].kind is _Kind.TABLE:
        rows.append(_row(builder, builder.lines[index]))
        index += 1
    return rows


def _table(builder: _Builder, index: int) -> int:
    """Read the table whose first row is line ``index``; return the index after it."""
    lines = builder.lines
    rows: list[Row] = []
    repeated: list[Row] = []
    while True:
        while index < len(lines) and lines[index].kind is _Kind.TABLE:
            row = _row(builder, lines[index])
            rows.append(_row(builder, lines[index], continues=True)
                        if rows and _continues_cells(row) else row)
            index += 1
        # Over a page break: blank lines and page furniture, then more rows.
        after = index
        while after < len(lines) and lines[after].kind in (_Kind.BLANK, _Kind.FURNITURE):
            after += 1
        if after == index or after >= len(lines) or lines[after].kind is not _Kind.TABLE:
            break
        following = _row(builder, lines[after])
        header = rows[0] if _is_header(rows) else None
        if header is not None and following.texts == header.texts:
            repeated.append(following)
        elif _continues_cells(following):
            rows.append(_row(builder, lines[after], continues=True))
        elif (header is not None and len(following.cells) == len(header.cells)
              and not _is_header(_run(builder, after))):
            rows.append(following)  # more rows of a table with a header, not a new table
        else:
            break
        for furniture_line in lines[index:after]:
            if furniture_line.kind is _Kind.FURNITURE:
                builder.add(BlockKind.PARAGRAPH, furniture_line.start, _end(furniture_line),
                            furniture=True)
        index = after + 1
    header_row = _is_header(rows)
    if header_row:
        rows[0] = Row(rows[0].cells, rows[0].span, header=True)
    span = builder.span(rows[0].span.start, rows[-1].span.end)
    text = "\n".join("\t".join(r.texts) for r in rows)
    builder.blocks.append(Block(BlockKind.TABLE, text, span, rows=tuple(rows)))
    for row in repeated:
        builder.furniture.append(Block(BlockKind.TABLE, "\t".join(row.texts), row.span,
                                       rows=(Row(row.cells, row.span, header=True),)))
    return index


def _list_depth(builder: _Builder, indent: int) -> int:
    stack = builder.list_indents
    while stack and indent < stack[-1]:
        stack.pop()
    if not stack or indent > stack[-1]:
        stack.append(indent)
    return len(stack) - 1


def _list_item(builder: _Builder, index: int) -> int:
    lines = builder.lines
    line = lines[index]
    assert line.match is not None
    depth = _list_depth(builder, line.indent)
    start = line.start + line.match.start("text")
    end = _end(line)
    index += 1
    # Wrapped lines: indented past the marker, straight after the item.
    while (index < len(lines) and lines[index].kind is _Kind.TEXT
           and lines[index].indent > line.indent):
        end = _end(lines[index])
        index += 1
    builder.add(BlockKind.LIST_ITEM, start, end, level=depth, marker=line.match["marker"])
    return index


def _paragraph(builder: _Builder, index: int) -> int:
    lines = builder.lines
    first = index
    while index < len(lines) and lines[index].kind is _Kind.TEXT:
        index += 1
    start, end = lines[first].start, _end(lines[index - 1])
    level = heading_level(lines[first].text) if index - first == 1 else None
    if level is not None:
        builder.add(BlockKind.HEADING, start, end, level=level)
    else:
        builder.add(BlockKind.PARAGRAPH, start, end)
    return index


def parse_text(text: str, *, source: str, address: str = "", media_type: str = "text/plain",
               sha256: str | None = None) -> Document:
    """The document model of ``text``, whose canonical text is ``text`` itself.

    ``sha256`` is of the original bytes (computed from ``text`` when not given).
    """
    builder = _Builder(text, _lines(text))
    lines = builder.lines
    index = 0
    while index < len(lines):
        line = lines[index]
        kind = line.kind
        if kind is not _Kind.LIST and kind is not _Kind.BLANK:
            builder.list_indents.clear()
        if kind is _Kind.BLANK:
            index += 1
        elif kind is _Kind.FURNITURE:
            builder.add(BlockKind.PARAGRAPH, line.start, _end(line), furniture=True)
            index += 1
        elif kind is _Kind.TABLE:
            index = _table(builder, index)
        elif kind is _Kind.HEADING:
            assert line.match is not None
            builder.add(BlockKind.HEADING, line.start + line.match.start("text"),
                        line.start + line.match.end("text"),
                        level=len(line.match["hashes"]))
            index += 1
        elif kind is _Kind.LIST:
            index = _list_item(builder, index)
        else:
            index = _paragraph(builder, index)
    if sha256 is None:
        sha256 = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Document(text, tuple(builder.blocks), source, media_type, sha256,
                    address or source, None, tuple(builder.furniture))


def decode_text(data: bytes, source: str) -> str:
    """``data`` as UTF-8 text, refusing NUL bytes anywhere in it and bytes that are not
    UTF-8, each with the line they are on; a leading byte-order mark is dropped."""
    if (nul := data.find(b"\x00")) >= 0:
        raise InputError(
            f"binary data (a NUL byte at byte {nul:,}), not text",
            Location(source, data[:nul].count(b"\n") + 1))
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start:,} cannot be decoded)",
                         Location(source, data[:exc.start].count(b"\n") + 1)) from None


def read_text(data: bytes, *, source: str, address: str = "", sha256: str | None = None,
              limits: Limits | None = None, ocr: bool = False) -> Document:
    """Read a text or markdown file's bytes (the reader :func:`read_document` uses)."""
    del limits, ocr  # the size is checked before reading; text has no scanned pages
    media_type = "text/markdown" if source.lower().endswith(".md") else "text/plain"
    return parse_text(decode_text(data, source), source=source, address=address,
                      media_type=media_type,
                      sha256=sha256 or hashlib.sha256(data).hexdigest())
