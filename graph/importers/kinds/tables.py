"""Tables of G3's kinds read by what their headers say: a self-assessment's rows (item,
rating, evidence, plans, progress, actions, lead, target date) and an auditor's table of
recommendations (the recommendation, its priority, impact, whom it concerns, the
management response and the deadline).

A column's role comes from the words of its header cell (``[tables.columns]`` in
``cues.toml``), never from its position, so a council's own column order and wording read
alike. The rows are the G1 document model's (:mod:`govkg.graph.documents.model`), so a
PDF, a Word table and a text file with tabs give the same rows; a row that a page break
split is joined again: the model's ``continues`` rows, and, where the split fell inside
the first cell too (the second half opens with text, after the header repeated over the
break), the half without a rating joins its neighbour across the break.

Each cell keeps its :class:`Piece` s, the text it has on each line, so every fact read
from it quotes its own line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from govkg.graph.documents.model import Block, BlockKind, Document, Row
from govkg.graph.importers.kinds.reading import cues

_FLAGS = re.IGNORECASE
_GLYPHS = "•●▪■◦·‣⁃∙\uf0b7\uf0a7"


@dataclass(frozen=True)
class Piece:
    """The part of a cell on one line: its line (from 1) and exact text."""

    line: int
    text: str


@dataclass
class CellText:
    """A cell as read: its pieces (more than one when a page break or a list split it),
    and whether it was a list whose glyphs the extraction lost (a leading blank or glyph
    where the bullet stood) or kept one item a line."""

    pieces: list[Piece] = field(default_factory=list)
    bulleted: bool = False
    listed: bool = False  # one item a line, as a Word or PDF cell keeps its list

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces if p.text)

    def extend(self, other: CellText) -> None:
        self.bulleted = self.bulleted or (not self.text and other.bulleted)
        self.listed = self.listed or other.listed
        self.pieces.extend(other.pieces)

    def part(self, start: int, end: int) -> list[Piece]:
        """The exact text of ``text[start:end]`` on each line it comes from."""
        found, base = [], 0
        for piece in (p for p in self.pieces if p.text):
            lo, hi = max(start, base), min(end, base + len(piece.text))
            text = piece.text[lo - base: hi - base].strip() if lo < hi else ""
            if text:
                found.append(Piece(piece.line, text))
            base += len(piece.text) + 1
        return found


@dataclass
class Header:
    """A table's header row: each column's role (None where the words name none) and
    text, and the line it is on."""

    roles: list[str | None]
    texts: list[str]
    line: int

    def column(self, role: str) -> int | None:
        return self.roles.index(role) if role in self.roles else None

    def text(self, role: str) -> str:
        index = self.column(role)
        return self.texts[index] if index is not None else ""


@dataclass
class TableRow:
    """One logical row: its cells by role, the group it sits in (a sub-header row such as
    "Recommendations: Improvement" inside the table) and the table's header."""

    cells: dict[str, CellText]
    header: Header
    group: str = ""

    def cell(self, role: str) -> CellText:
        return self.cells.get(role) or CellText()

    @property
    def lines(self) -> list[int]:
        return sorted({p.line for c in self.cells.values() for p in c.pieces if p.text})


@dataclass
class Table:
    """A table whose header names its columns' roles, with the text that leads into it
    (the heading or paragraph before it, such as the principle its rows assess)."""

    header: Header
    rows: list[TableRow]
    lead_in: str
    lead_in_line: int


def column_role(text: str) -> str | None:
    """The role a header cell's words give its column (the first in ``cues.toml``'s
    order that matches), or None."""
    for role, patterns in cues()["tables"]["columns"].items():
        if any(re.search(p, text, _FLAGS) for p in patterns):
            return role
    return None


def header_of(row: Row) -> Header:
    """The roles of a header row's columns. A role names one column, its first: a second
    "Action" column ("Action owner" aside) is not read as actions twice."""
    roles: list[str | None] = []
    for cell in row.cells:
        role = column_role(cell.text)
        roles.append(role if role not in roles else None)  # a role's first column
    return Header(roles, [c.text for c in row.cells], row.span.line)


def _bulleted(document: Document, start: int, text: str) -> bool:
    before = document.text[start - 1: start] if start else ""
    return bool(text) and (before == " " or text[:1] in _GLYPHS)


def _cells(document: Document, row: Row, header: Header) -> dict[str, CellText]:
    cells: dict[str, CellText] = {}
    for index, cell in enumerate(row.cells):
        role = header.roles[index] if index < len(header.roles) else None
        if role is None:
            continue
        pieces = [Piece(cell.span.line + n, line.strip(_GLYPHS + " "))
                  for n, line in enumerate(cell.text.split("\n"))]
        cells[role] = CellText([p for p in pieces if p.text],
                               _bulleted(document, cell.span.start, cell.text),
                               "\n" in cell.text.strip())
    return cells


def _group(row: Row, header: Header) -> str | None:
    """A row inside the table that repeats a column's heading with another qualifier and
    leaves the other cells empty ("Recommendations: Improvement" under "Recommendations:
    Key"): the group the rows after it belong to."""
    texts = row.texts
    filled = [t for t in texts if t.strip()]
    if len(filled) != 1 or not texts[0].strip():
        return None
    return texts[0] if column_role(texts[0]) == header.roles[0] and ":" in texts[0] else None


def _breaks(document: Document) -> list[int]:
    """Lines where a header repeated over a page break was set aside."""
    return [b.span.line for b in document.furniture if b.kind is BlockKind.TABLE]


def _join_across_breaks(rows: list[tuple[TableRow, int, int]], breaks: list[int],
                        key: str) -> list[TableRow]:
    """Join the two halves of a row that a page break cut inside its first cell: the row
    just after a break and the row just before it, where one of the two has no ``key``
    cell (the rating, say, is on one half only)."""
    joined: list[tuple[TableRow, int, int]] = []
    for row, first, last in rows:
        if joined:
            previous, p_first, p_last = joined[-1]
            across = any(p_last < b < first for b in breaks)
            if across and not (previous.cell(key).text and row.cell(key).text):
                for role, cell in row.cells.items():
                    previous.cells.setdefault(role, CellText()).extend(cell)
                joined[-1] = (previous, p_first, last)
                continue
        joined.append((row, first, last))
    return [row for row, _, _ in joined]


def tables(document: Document, *, needs: tuple[str, ...] = ()) -> list[Table]:
    """The tables of ``document`` whose header names a role for at least two columns
    (and every role in ``needs``), with their logical rows."""
    found: list[Table] = []
    breaks = _breaks(document)
    lead_in, lead_in_line = "", 0
    for block in document.blocks:
        if block.kind is not BlockKind.TABLE:
            lead_in, lead_in_line = block.text, block.span.line
            continue
        table = read_table(document, block, breaks, lead_in, lead_in_line)
        if table is not None and all(r in table.header.roles for r in needs):
            found.append(table)
    return found


def read_table(document: Document, block: Block, breaks: list[int], lead_in: str,
               lead_in_line: int) -> Table | None:
    """One table block as a :class:`Table`, or None when its header names fewer than two
    roles. ``breaks`` are the lines of headers repeated over page breaks."""
    rows = list(block.rows)
    if not rows:
        return None
    first = block.header_rows[0] if block.header_rows else rows[0]
    header = header_of(first)
    if sum(1 for r in header.roles if r) < 2:
        return None
    body: list[tuple[TableRow, int, int]] = []
    group = ""
    for row in rows:
        if row is first or row.header:
            continue
        if (named := _group(row, header)) is not None:
            group = named
            continue
        cells = _cells(document, row, header)
        if row.continues and body:
            previous = body[-1][0]
            for role, cell in cells.items():
                previous.cells.setdefault(role, CellText()).extend(cell)
            body[-1] = (previous, body[-1][1], row.span.end_line)
            continue
        if any(c.text for c in cells.values()):
            body.append((TableRow(cells, header, group), row.span.line, row.span.end_line))
    key = "rating" if "rating" in header.roles else (header.roles[0] or "")
    return Table(header, _join_across_breaks(body, breaks, key), lead_in, lead_in_line)
