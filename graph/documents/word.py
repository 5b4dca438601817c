"""Reading Word (.docx) files with python-docx: styles, numbering and real tables.

A Word file says what a PDF only shows: a heading is a paragraph in a "Heading N" style
(or with an outline level), a list item a paragraph with numbering properties (its level
``ilvl`` is its depth; its marker comes from the numbering definition), a table has rows
and cells, and a row marked "repeat as header row" is a header. The page header and footer
are set aside as furniture.

A .docx is a zip archive, so before python-docx sees it every member is inflated here
under a budget (``Limits.max_unzipped_bytes`` in all, ``Limits.max_zip_ratio`` for any one
member): a zip bomb, a few KB on disk and gigabytes inflated, is refused without being
inflated, whatever sizes its directory claims.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from govkg.graph.documents.model import Document, TextWriter
from govkg.graph.errors import InputError, Location

if TYPE_CHECKING:
    from docx.document import Document as DocxDocument
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from govkg.graph.documents.reading import Limits

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^list (?:bullet|number)(?: (\d))?$", re.IGNORECASE)
_MAX_MEMBERS = 10_000
_CHUNK = 1 << 20
#: Private-use bullet glyphs of the Symbol and Wingdings fonts, as the bullets they show.
_SYMBOL_BULLETS = {"\uf0b7": "•", "\uf0a7": "▪", "\uf0d8": "➢", "\uf076": "❖", "\uf0fc": "✓",
                   "o": "o"}


def safe_unzip(data: bytes, source: str, limits: Limits) -> bytes:
    """``data`` rewritten as a zip archive whose members were each inflated under the
    limits; raises :class:`InputError` for a zip bomb or a broken archive."""
    where = Location(source)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(f"corrupt Word file (a broken zip archive: {exc})", where) from None
    if len(members) > _MAX_MEMBERS:
        raise InputError(f"not a Word file: a zip archive of {len(members):,} files", where)
    claimed = sum(m.file_size for m in members)
    if claimed > limits.max_unzipped_bytes:
        raise InputError(f"a zip bomb: it would inflate to {claimed:,} bytes, over the limit "
                         f"of {limits.max_unzipped_bytes:,}", where)
    out = io.BytesIO()
    total = 0
    with archive, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for member in members:
            budget = min(limits.max_unzipped_bytes - total,
                         max(member.compress_size, 1024) * limits.max_zip_ratio)
            parts, size = [], 0
            try:
                with archive.open(member) as stream:
                    while chunk := stream.read(_CHUNK):
                        size += len(chunk)
                        if size > budget:
                            raise InputError(
                                f"a zip bomb: {member.filename} inflates more than "
                                f"{limits.max_zip_ratio} times its {member.compress_size:,} "
                                "compressed bytes", where)
                        parts.append(chunk)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
                raise InputError(f"corrupt Word file ({member.filename}: {exc})",
                                 where) from None
            total += size
            copy.writestr(member, b"".join(parts))
    return out.getvalue()


def _style_names(paragraph: Paragraph) -> list[str]:
    """The paragraph's style and the styles it is based on, nearest first."""
    names: list[str] = []
    style = paragraph.style
    while style is not None and len(names) < 10:
        names.append(style.name or "")
        style = style.base_style
    return names


def _outline_level(paragraph: Paragraph) -> int | None:
    p_pr = paragraph._p.pPr
    level = p_pr.find(f"{_W}outlineLvl") if p_pr is not None else None
    if level is not None and level.get(f"{_W}val", "9").isdigit():
        value = int(level.get(f"{_W}val", "9"))
        return value + 1 if value < 9 else None
    return None


def heading_level(paragraph: Paragraph) -> int | None:
    """The heading level of a paragraph: its "Heading N" or "Title" style, or its outline
    level; None for body text."""
    for name in _style_names(paragraph):
        if match := _HEADING_STYLE.match(name.strip()):
            return int(match.group(1))
        if name.strip().lower() == "title":
            return 1
    return _outline_level(paragraph)


class _Numbering:
    """List levels and markers from the document's numbering definitions, counting the
    numbered lists as Word does."""

    def __init__(self, document: DocxDocument) -> None:
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.counters: dict[str, list[int]] = defaultdict(lambda: [0] * 9)
        try:
            numbering = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            return
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for definition in numbering.findall(f"{_W}abstractNum"):
            levels = {}
            for lvl in definition.findall(f"{_W}lvl"):
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                levels[int(lvl.get(f"{_W}ilvl", "0"))] = (
                    fmt.get(f"{_W}val", "bullet") if fmt is not None else "bullet",
                    text.get(f"{_W}val", "") if text is not None else "",
                    int(start.get(f"{_W}val", "1")) if start is not None else 1)
            abstract[definition.get(f"{_W}abstractNumId", "")] = levels
        for num in numbering.findall(f"{_W}num"):
            ref = num.find(f"{_W}abstractNumId")
            if ref is not None:
                self.levels[num.get(f"{_W}numId", "")] = abstract.get(
                    ref.get(f"{_W}val", ""), {})

    def item(self, paragraph: Paragraph) -> tuple[int, str] | None:
        """(depth, marker) of a list paragraph, or None for a paragraph not in a list."""
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return None
        num_id, depth = num_pr
        if num_id == "0":  # numbering switched off
            return None
        fmt, text, start = self.levels.get(num_id, {}).get(depth, ("bullet", "•", 1))
        counters = self.counters[num_id]
        counters[depth] = counters[depth] + 1 if counters[depth] else start
        for deeper in range(depth + 1, 9):
            counters[deeper] = 0
        if fmt == "bullet":
            return depth, _SYMBOL_BULLETS.get(text, text) or "•"
        marker = re.sub(r"%(\d)", lambda m: _format(counters[int(m.group(1)) - 1] or 1, fmt),
                        text)
        return depth, marker

    @staticmethod
    def _num_pr(paragraph: Paragraph) -> tuple[str, int] | None:
        for element in (paragraph._p.pPr, *(_style_ppr(paragraph))):
            num_pr = element.find(f"{_W}numPr") if element is not None else None
            if num_pr is not None:
                num_id = num_pr.find(f"{_W}numId")
                ilvl = num_pr.find(f"{_W}ilvl")
                return (num_id.get(f"{_W}val", "0") if num_id is not None else "0",
                        int(ilvl.get(f"{_W}val", "0")) if ilvl is not None else 0)
        return None


def _style_ppr(paragraph: Paragraph) -> list[Any]:
    style = paragraph.style
    found: list[Any] = []
    while style is not None and len(found) < 10:
        found.append(style.element.pPr)
        style = style.base_style
    return found


def _format(number: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (number - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = _roman(number)
        return roman.upper() if fmt == "upperRoman" else roman
    return str(number)


def _roman(number: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while number >= value:
            out, number = out + letters, number - value
    return out


def _list_style_depth(paragraph: Paragraph) -> int | None:
    for name in _style_names(paragraph):
        if match := _LIST_STYLE.match(name.strip()):
            return int(match.group(1) or 1) - 1
    return None


def _paragraph_text(paragraph: Paragraph) -> str:
    """The paragraph's text on one line (a manual line break is a space, as a paragraph is
    one line of the canonical text), surrounding spaces dropped."""
    return " ".join(line.strip() for line in paragraph.text.split("\n") if line.strip())


def _table_rows(table: Table) -> tuple[list[list[str]], int]:
    """Cell texts of every row (a cell merged across columns counted once) and how many
    leading rows repeat as the header."""
    rows, header_rows, in_header = [], 0, True
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append("\n".join(t for t in (_paragraph_text(p) for p in cell.paragraphs)
                                   if t))
        tr_pr = row._tr.trPr
        is_header = tr_pr is not None and tr_pr.find(f"{_W}tblHeader") is not None
        if in_header and is_header:
            header_rows += 1
        else:
            in_header = False
        rows.append(cells)
    return rows, header_rows


def _body(document: DocxDocument) -> list[Paragraph | Table]:
    """The body's paragraphs and tables in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    items: list[Paragraph | Table] = []
    for element in document.element.body.iterchildren():
        if element.tag == f"{_W}p":
            items.append(Paragraph(element, document))
        elif element.tag == f"{_W}tbl":
            items.append(Table(element, document))
    return items


def read_docx(data: bytes, *, source: str, address: str = "", sha256: str,
              limits: Limits, ocr: bool = False) -> Document:
    """Read a Word file's bytes into the document model (the reader ``read_document``
    uses)."""
    import docx
    from docx.table import Table

    del ocr  # a Word file has no scanned pages to read
    where = Location(source)
    safe = safe_unzip(data, source, limits)
    try:
        document = docx.Document(io.BytesIO(safe))
    except Exception as exc:  # noqa: BLE001 (python-docx raises many types on bad parts)
        raise InputError(f"corrupt Word file: {type(exc).__name__}: {exc}", where) from None
    numbering = _Numbering(document)
    writer = TextWriter()
    for item in _body(document):
        if isinstance(item, Table):
            rows, header_rows = _table_rows(item)
            if any(any(row) for row in rows):
                writer.table(rows, header_rows)
            continue
        text = _paragraph_text(item)
        if not text:
            continue
        if (level := heading_level(item)) is not None:
            writer.heading(text, level)
        elif (listed := numbering.item(item)) is not None:
            writer.list_item(text, *listed)
        elif (depth := _list_style_depth(item)) is not None:
            writer.list_item(text, depth, "•")
        else:
            writer.paragraph(text)
    for section in document.sections:
        for part in (section.header, section.footer):
            if part.is_linked_to_previous and section is not document.sections[0]:
                continue
            for paragraph in part.paragraphs:
                if text := _paragraph_text(paragraph):
                    writer.paragraph(text, furniture=True)
    if not writer.blocks:
        raise InputError("the Word file has no text", where)
    return writer.document(source=source, media_type=MEDIA_TYPE, sha256=sha256,
                           address=address)
