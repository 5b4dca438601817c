"""Reading PDF files with pdfplumber: words, lines and tables with their positions.

A PDF has no paragraphs, lists or headings, only characters placed on pages; this reader
recovers them from the layout, as a reader's eye does:

* **running headers and footers** are the lines in the top and bottom margins that recur
  on many pages once digits are ignored (the council's name, "Page 3 of 20") or that are
  page numbers; they are set aside as ``Document.furniture``, never read as content;
* **tables** are found from their ruling lines (pdfplumber's table finder); a table at the
  top of a page that continues the table at the foot of the page before (same columns)
  is joined to it, and its first row is dropped when it repeats the header; a row that the
  page break cut in two (the table ran to the foot of the page) is joined back together;
  a cell keeps its paragraphs and list items as lines, each one's wrapped lines joined
  (see ``_cell_text``);
* **headings** are lines in a larger font than the body text (level by how much larger),
  or short bold lines at the body size; a heading that wraps is joined;
* **list items** start with a bullet glyph or a list number ("1.", "a)", "(iv)") indented
  from the body text; their depth is the rank of the marker's indentation among all the
  list markers of the document, and wrapped lines hang under their text;
* **paragraphs** are lines of body text with no more than line spacing between them.

The canonical text is generated with :class:`TextWriter`, so spans carry the page. A page
with no text layer but an image (a scan) is read with Tesseract OCR when asked to
(``ocr=True``): Tesseract's hOCR gives each line's place and font size, so a scanned page
goes through the same reading as the others, running headers and footers included. A
scan's tables are found from the rules in its image (long, thin runs of dark pixels),
which pdfplumber's table finder turns into cells as it does a text layer's drawn lines;
the rules are whitened before OCR, whose layout analysis reads a ruled table poorly, and
each cell is read from the words OCR placed in it. (A table without rules is not found
on a scan: its rows come out as lines.) Otherwise a PDF that is mostly scans is refused
with a message that says how to read it.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from govkg.graph.documents.model import Document, TextWriter
from govkg.graph.documents.text import BULLETS, reads_as_header
from govkg.graph.errors import InputError, Location

if TYPE_CHECKING:
    import pdfplumber.page

    from govkg.graph.documents.reading import Limits

MEDIA_TYPE = "application/pdf"
#: Fraction of the page height that counts as the top or bottom margin (furniture zone).
_MARGIN = 0.12
#: ... and the outer part of it, where body text never goes (a 2 cm margin is 7%).
_EDGE = 0.065
_PAGE_NUMBER = re.compile(r"^(?:page\s*)?[-–—]?\s*\d{1,4}\s*(?:(?:of|/)\s*\d{1,4})?\s*[-–—]?$",
                          re.IGNORECASE)
_MARKER = re.compile(rf"^(?P<marker>[{BULLETS}]|[-*](?=\s)|\(?[a-zA-Z]\)|\(?[ivxlc]+[.)]"
                     r"|\(\d{1,3}\)|\d{1,3}[.)]|[a-z][.])\s+(?P<text>\S.*)$")
_BULLET_ONLY = re.compile(rf"^[{BULLETS}]$")
_BOLD = re.compile(r"bold|black|heavy|semibold|demi", re.IGNORECASE)
#: A table that ends closer than this (points), or than two lines and a half of its body
#: text, to the foot of the text area may have been cut by the page break: widow and orphan
#: control moves the last two lines of a paragraph over together.
_CUT = 12.0
_CUT_LINES = 2.5
_OCR_DPI = 300
_OCR_TIMEOUT = 120  # seconds per page


@dataclass
class _Line:
    """A line of text outside tables, with where it sits and how it is set."""

    page: int
    x0: float
    top: float
    bottom: float
    text: str
    size: float
    bold: bool

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class _Table:
    """A table, or the part of one on one page."""

    page: int
    top: float
    bottom: float
    columns: int
    rows: list[list[str]]
    #: the first row is a header: set bold, or repeated at the top of the next page
    header: bool
    pages: list[int] = field(default_factory=list)
    continues: list[bool] = field(default_factory=list)


@dataclass
class _Page:
    number: int
    height: float
    items: list[_Line | _Table]
    chars: int
    images: int


def _is_bold(chars: Iterable[dict[str, Any]]) -> bool:
    named = [c for c in chars if c["text"].strip()]
    return bool(named) and all(_BOLD.search(c.get("fontname", "")) for c in named)


def _size(chars: list[dict[str, Any]]) -> float:
    sizes = Counter(round(c["size"], 1) for c in chars if c["text"].strip())
    return sizes.most_common(1)[0][0] if sizes else 0.0


def join_lines(lines: Iterable[str]) -> str:
    """Wrapped lines as the text they were: joined by a space, but a line that breaks
    after the hyphen of a compound word ("money-" / "laundering") is joined without one.

    >>> join_lines(["risks of money-", "laundering are", "publicised"])
    'risks of money-laundering are publicised'
    """
    out = ""
    for line in lines:
        if out and not (out.endswith("-") and len(out) > 1 and out[-2].isalpha()
                        and line[:1].isalpha()):
            out += " "
        out += line
    return out


#: vertical space between two lines of a cell, as a share of the line's height, above which
#: the second starts a new paragraph (Word's and LibreOffice's paragraph spacing)
_PARAGRAPH_GAP = 0.45


def _first_word_width(line: dict[str, Any], text: str) -> float:
    """The width of the line's first word and the space before it (points): from its
    characters where pdfplumber gave them, else from the line's average character."""
    chars = [c for c in line.get("chars", ()) if c["text"].strip()]
    word = len(text.split()[0])
    average = (line["x1"] - line["x0"]) / len(text)
    if len(chars) >= word:
        return chars[word - 1]["x1"] - chars[0]["x0"] + average
    return average * (word + 1)


def _cell_text(lines: list[dict[str, Any]], left: float, right: float) -> str:
    """A table cell's text from its lines (pdfplumber's, top to bottom): one line of text
    per paragraph or list item of the cell, each paragraph's wrapped lines joined.

    A PDF does not mark where a paragraph ends, so the layout decides, as a reader's eye
    does: a line starts a new paragraph when more than line spacing separates it from the
    line above, or when its first word would have fitted at the end of the line above
    (the writer broke the line, the width did not): within the widest line of the cell,
    or, for a line that starts with a list marker, within the cell's edge. A bullet in
    the middle of a wrapped paragraph ("... • Training ...") therefore stays inline.
    ``left`` and ``right`` are the cell's edges (points).

    >>> line = lambda text, x1, top: {"text": text, "x0": 5.0, "x1": x1, "top": top,
    ...                               "bottom": top + 10}
    >>> _cell_text([line("• The Council has a code of", 98, 0), line("conduct.", 40, 11),
    ...             line("• Training was", 60, 22), line("• Audit", 35, 33)], 0, 100)
    '• The Council has a code of conduct.\\n• Training was\\n• Audit'
    """
    kept = [(line, " ".join(line["text"].split())) for line in lines]
    kept = [(line, text) for line, text in kept if text]
    if not kept:
        return ""
    padding = max(0.0, min(line["x0"] for line, _ in kept) - left)
    widest = max(line["x1"] for line, _ in kept)
    paragraphs = [kept[0][1]]
    for (previous, _), (line, text) in itertools.pairwise(kept):
        end = previous["x1"] + _first_word_width(line, text)
        spaced = line["top"] - previous["bottom"] > _PARAGRAPH_GAP * (
            previous["bottom"] - previous["top"])
        if spaced or end < widest or (_MARKER.match(text) and end < right - padding):
            paragraphs.append(text)
        else:
            paragraphs[-1] = join_lines([paragraphs[-1], text])
    return "\n".join(paragraphs)


def _table_rows(page: pdfplumber.page.Page, found: Any) -> list[list[str]]:
    """The cell texts of a table pdfplumber found: each cell read from its own lines."""
    area = page.crop(found.bbox, strict=False)
    rows = []
    for row in found.rows:
        texts = []
        for cell in row.cells:
            if cell is None:  # merged into the cell before it (pdfplumber gives None)
                texts.append("")
                continue
            # a character belongs to the cell its centre is in, as pdfplumber's own
            # extraction has it (cropping would take the edges of the next row's too)
            inside = area.filter(lambda o, box=cell: o.get("object_type") == "char"
                                 and _inside(o, [box]))
            lines = inside.extract_text_lines(strip=True, return_chars=True)
            texts.append(_cell_text(lines, cell[0], cell[2]))
        rows.append(texts)
    return rows


def _inside(obj: dict[str, Any], boxes: list[tuple[float, float, float, float]]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)


def _read_page(page: pdfplumber.page.Page, number: int) -> _Page:
    tables: list[_Table] = []
    boxes = []
    for found in page.find_tables():
        rows = [row for row in _table_rows(page, found) if any(row)]
        if not rows:
            continue
        boxes.append(found.bbox)
        first = found.rows[0].bbox
        # by their centres, as for the cells: a glyph's box may rise above the rule
        first_chars = [c for c in page.chars if _inside(c, [first])] if first else []
        tables.append(_Table(number, found.bbox[1], found.bbox[3], max(map(len, rows)), rows,
                             _is_bold(first_chars), [number] * len(rows), [False] * len(rows)))
    outside = page.filter(lambda o: o.get("object_type") != "char" or not _inside(o, boxes))
    lines: list[_Line | _Table] = []
    for line in outside.extract_text_lines(return_chars=True, strip=True):
        text = " ".join(line["text"].split())
        if text:
            lines.append(_Line(number, line["x0"], line["top"], line["bottom"], text,
                               _size(line["chars"]), _is_bold(line["chars"])))
    items = sorted([*lines, *tables], key=lambda item: item.top)
    return _Page(number, float(page.height), items, len(page.chars), len(page.images))


def _furniture_key(text: str) -> str:
    return re.sub(r"\d+", "#", text.lower())


def _furniture(pages: list[_Page]) -> set[tuple[int, float]]:
    """(page, top) of every running header and footer line."""
    zone: dict[str, list[_Line]] = {}
    for page in pages:
        for item in page.items:
            if isinstance(item, _Line) and (item.top < page.height * _MARGIN
                                            or item.bottom > page.height * (1 - _MARGIN)):
                zone.setdefault(_furniture_key(item.text), []).append(item)
    found = set()
    threshold = max(2, 0.4 * len(pages))
    for lines in zone.values():
        recurring = len({line.page for line in lines}) >= threshold
        for line in lines:
            height = pages[line.page - 1].height
            # One page cannot show what recurs: there, only the outer edge counts.
            edge = len(pages) == 1 and (line.top < height * _EDGE
                                        or line.bottom > height * (1 - _EDGE))
            if recurring or edge or _PAGE_NUMBER.match(line.text):
                found.add((line.page, line.top))
    return found


@dataclass
class _Style:
    """The document's body text and heading sizes, and its list indentations."""

    body_size: float
    body_left: float
    marker_indents: list[float]

    def heading_level(self, line: _Line) -> int | None:
        """Level 1 for text at least 35% larger than the body, 2 for 15% larger, 3 for
        any larger or for a short bold line at the body size (Word's own heading styles
        keep to these proportions)."""
        ratio = line.size / self.body_size if self.body_size else 1.0
        if ratio >= 1.35:
            return 1
        if ratio >= 1.15:
            return 2
        if ratio > 1.04 or (line.bold and len(line.text) <= 120
                            and line.text[-1] not in ".,;:"):
            return 3
        return None

    def depth(self, x0: float) -> int:
        return min(range(len(self.marker_indents)),
                   key=lambda i: abs(self.marker_indents[i] - x0))


def _cluster(values: Iterable[float], tolerance: float = 3.0) -> list[float]:
    clusters: list[float] = []
    for value in sorted(values):
        if not clusters or value - clusters[-1] > tolerance:
            clusters.append(value)
    return clusters


def _style(lines: list[_Line]) -> _Style:
    weights: Counter[float] = Counter()
    for line in lines:
        weights[line.size] += len(line.text)
    body_size = weights.most_common(1)[0][0] if weights else 10.0
    lefts = Counter(round(line.x0) for line in lines if abs(line.size - body_size) < 0.3)
    body_left = float(lefts.most_common(1)[0][0]) if lefts else 0.0
    indents = [line.x0 for line in lines if _is_list_line(line, body_left)]
    return _Style(body_size, body_left, _cluster(indents) or [body_left])


def _is_list_line(line: _Line, body_left: float) -> bool:
    match = _MARKER.match(line.text)
    if match is None:
        return False
    return match["marker"][0] in BULLETS or line.x0 > body_left + 2


def _blocks(pages: list[_Page], furniture: set[tuple[int, float]]) -> list[tuple[str, Any]]:
    """The blocks of the pages as (kind, data), in reading order."""
    lines = [item for page in pages for item in page.items
             if isinstance(item, _Line) and (item.page, item.top) not in furniture]
    style = _style(lines)
    foot = _foot(pages, furniture)
    pending: list[tuple[str, Any]] = []  # (kind, data) of blocks, written at the end
    current: dict[str, Any] | None = None
    previous: _Line | _Table | None = None

    def close() -> None:
        nonlocal current
        if current is not None:
            pending.append((current["kind"], current))
        current = None

    for page in pages:
        for item in page.items:
            if isinstance(item, _Line) and (item.page, item.top) in furniture:
                continue
            if isinstance(item, _Table):
                close()
                # The table goes on from the foot of the page before: nothing came between.
                if (isinstance(previous, _Table) and previous.page < item.page
                        and previous.columns == item.columns
                        and pending and pending[-1][1] is previous):
                    _continue_table(previous, item, foot - max(_CUT, _CUT_LINES * style.body_size))
                else:
                    pending.append(("table", item))
                    previous = item
                continue
            line = item
            gap = line.top - previous.bottom if (isinstance(previous, _Line)
                                                 and previous.page == line.page) else None
            level = style.heading_level(line)
            marker = _MARKER.match(line.text) if _is_list_line(line, style.body_left) else None
            if level is not None:
                if (current is not None and current["kind"] == "heading"
                        and current["level"] == level and gap is not None
                        and gap < line.height):
                    current["parts"].append(line.text)
                else:
                    close()
                    current = {"kind": "heading", "level": level, "parts": [line.text],
                               "page": line.page}
            elif marker is not None and not _BULLET_ONLY.match(line.text):
                close()
                current = {"kind": "item", "depth": style.depth(line.x0),
                           "marker": marker["marker"], "parts": [marker["text"]],
                           "page": line.page, "x0": line.x0}
            elif current is not None and _continues(current, line, gap):
                current["parts"].append(line.text)
            else:
                close()
                current = {"kind": "paragraph", "parts": [line.text], "page": line.page}
            previous = line
    close()
    return pending


def _continues(current: dict[str, Any], line: _Line, gap: float | None) -> bool:
    """Whether ``line`` goes on with the list item or paragraph before it: no more than
    line spacing above it (or, at the top of a page, it starts in lower case), and for a
    list item, hanging under its text."""
    near = gap < line.height * 0.6 if gap is not None else line.text[0].islower()
    if current["kind"] == "item":
        return line.x0 > current["x0"] + 2 and (gap is None or near)
    return current["kind"] == "paragraph" and near


def _write(pending: list[tuple[str, Any]], writer: TextWriter) -> None:
    for kind, data in pending:
        if kind == "table":
            header = 1 if data.header and len(data.rows) > 1 else 0
            writer.table(data.rows, header, data.pages, data.continues)
        elif kind == "heading":
            writer.heading(join_lines(data["parts"]), data["level"], data["page"])
        elif kind == "item":
            writer.list_item(join_lines(data["parts"]), data["depth"], data["marker"],
                             data["page"])
        else:
            writer.paragraph(join_lines(data["parts"]), data["page"])


def _continue_table(table: _Table, more: _Table, cut_below: float) -> None:
    """Join the part of a table on the next page to it. A first row that repeats the
    table's first row is the header repeated, and is dropped. When the table ran to the
    foot of the text area (below ``cut_below``: no room was left for another line of text)
    and a cell's text breaks off mid-sentence there, the page break cut its last row: the
    first row on the next page is joined to it, cell by cell. A first row on the next page
    with an empty first cell that was not cut so is marked as continuing the row before,
    as the text reader marks it."""
    rows, row_pages = list(more.rows), list(more.pages)
    if rows and len(table.rows) > 1 and rows[0] == table.rows[0]:
        # the first row again at the top of the page: a header that the word processor
        # repeats ("repeat as header row"), bold or not
        rows, row_pages = rows[1:], row_pages[1:]
        table.header = True
    if not rows:
        return
    continues = [False] * len(rows)
    last = table.rows[-1]
    width = max(len(last), len(rows[0]))
    pairs = list(zip(last + [""] * (width - len(last)), rows[0] + [""] * (width - len(rows[0])),
                     strict=True))
    if table.bottom >= cut_below and _broken(pairs):
        table.rows[-1] = [join_lines(filter(None, pair)) for pair in pairs]
        rows, row_pages, continues = rows[1:], row_pages[1:], continues[1:]
    elif not rows[0][0] and any(rows[0]):
        continues[0] = True  # the rest of the row before, as the text reader marks it
    table.rows.extend(rows)
    table.pages.extend(row_pages)
    table.continues.extend(continues)
    table.bottom = more.bottom
    table.page = more.page


def _broken(pairs: list[tuple[str, str]]) -> bool:
    """Whether a row's text was cut mid-sentence by the page break: in the longest cell
    filled on both sides of it (the one that overflowed the page), the part before does
    not end a sentence or the part after starts in lower case."""
    filled = [(before, after) for before, after in pairs if before and after]
    if not filled:
        return False
    before, after = max(filled, key=lambda pair: len(pair[0]))
    return before[-1].isalnum() or before[-1] in ",-–(&/" or after[0].islower()


def _foot(pages: list[_Page], furniture: set[tuple[int, float]]) -> float:
    """How far down the pages content ever goes: the foot of the text area."""
    return max((item.bottom for page in pages for item in page.items
                if not (isinstance(item, _Line) and (item.page, item.top) in furniture)),
               default=0.0)


#: hOCR classes of a line of text (Tesseract calls a heading line ``ocr_header``)
_OCR_LINES = ("ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat")
#: OCR estimates each line's font size on its own: sizes this close to the page's usual
#: one are that size, so that a line is a heading only when it is set larger
_OCR_SAME_SIZE = 0.12


#: A ruling line on a scan is a run of dark pixels at least this long (points: longer than
#: any glyph's stroke at body sizes) ...
_RULE_MIN_LENGTH = 16.0
#: ... and at most this thick (points): a thicker run is a filled area (a dark header's
#: shading, an image), not a rule
_RULE_MAX_THICKNESS = 3.0
#: what OCR reads a vertical rule as, alone: not a word
_RULE_GLYPHS = "|¦"
#: the ends of a rule's pixel rows may differ by this many pixels (the scan's jitter)
_RULE_JITTER = 3


def _ocr(data: bytes, pages: list[_Page], plumbed: list[Any],
         source: str) -> dict[int, _Page]:
    """The given pages read by OCR: each rendered with pypdfium2 (which pdfplumber brings)
    and read by the ``tesseract`` command into hOCR, whose lines carry their place on the
    page and their font size, so that a scanned page goes through the same reading as a
    page with a text layer (running headers and footers, headings, lists, paragraphs).
    The tables are found from the scan's ruling lines (``plumbed``: pdfplumber's pages,
    whose table finder takes them) and the words OCR placed in their cells."""
    import pypdfium2

    tesseract = shutil.which("tesseract")
    if tesseract is None:
        raise InputError("is a scanned PDF and OCR needs Tesseract, which is not installed "
                         "(Debian: apt install tesseract-ocr)", Location(source))
    read = {}
    pdf = pypdfium2.PdfDocument(data)
    try:
        for page in pages:
            image = pdf[page.number - 1].render(scale=_OCR_DPI / 72).to_pil()
            rules, image = _rules(image)
            png = io.BytesIO()
            image.save(png, format="PNG")
            done = subprocess.run([tesseract, "stdin", "stdout", "-l", "eng", "--psm", "3",
                                   "hocr"], input=png.getvalue(), capture_output=True,
                                  timeout=_OCR_TIMEOUT, check=False)
            if done.returncode:
                raise InputError(f"OCR of page {page.number} failed: "
                                 f"{done.stderr.decode(errors='replace').strip()}",
                                 Location(source))
            tables = _scanned_tables(plumbed[page.number - 1], rules)
            read[page.number] = _ocr_page(done.stdout, page, tables)
    finally:
        pdf.close()
    return read


Edges = list[dict[str, Any]]


def _rules(image: Any) -> tuple[tuple[Edges, Edges], Any]:
    """The ruling lines of a page's image rendered at ``_OCR_DPI``, as pdfplumber's edges
    in points (the horizontal ones, then the vertical ones), and the image without them
    in grey: OCR reads a table's cells better without its rules, which its layout
    analysis takes for the edges of blocks of text (and reads as "|")."""
    import numpy
    from PIL import Image

    grey = numpy.array(image.convert("L"))
    dark = grey < 128
    across, down = _runs(dark), _runs(dark.T)
    for first, last, start, end in across:
        grey[max(first - 1, 0):last + 2, start:end] = 255
    for first, last, start, end in down:
        grey[start:end, max(first - 1, 0):last + 2] = 255
    return (_edges(across, "h"), _edges(down, "v")), Image.fromarray(grey)


def _runs(dark: Any) -> list[tuple[int, int, int, int]]:
    """The rules along the rows of ``dark`` (a boolean pixel array) as (first row, last
    row, start, end) in pixels: long runs of dark pixels, those of consecutive rows with
    the same ends taken as one rule as thick as they are many, and kept when they are thin
    enough to be a rule."""
    import numpy

    scale = 72 / _OCR_DPI
    steps = numpy.diff(numpy.pad(dark, ((0, 0), (1, 1))).astype(numpy.int8), axis=1)
    rows, starts = numpy.nonzero(steps == 1)
    _, ends = numpy.nonzero(steps == -1)  # row by row, in step with the starts
    long = (ends - starts) * scale >= _RULE_MIN_LENGTH
    open_: list[list[int]] = []  # [first row, last row, start, end]
    done: list[list[int]] = []
    for row, start, end in zip(rows[long].tolist(), starts[long].tolist(),
                               ends[long].tolist(), strict=True):
        done += [g for g in open_ if g[1] < row - 1]
        open_ = [g for g in open_ if g[1] >= row - 1]
        rule = next((g for g in open_ if g[1] == row - 1 and abs(g[2] - start) <= _RULE_JITTER
                     and abs(g[3] - end) <= _RULE_JITTER), None)
        if rule is None:
            open_.append([row, row, start, end])
        else:
            rule[1:] = [row, min(rule[2], start), max(rule[3], end)]
    return [(first, last, start, end) for first, last, start, end in done + open_
            if (last - first + 1) * scale <= _RULE_MAX_THICKNESS]


def _edges(rules: list[tuple[int, int, int, int]], orientation: str) -> Edges:
    """Rules in pixels as pdfplumber's edges in points."""
    scale = 72 / _OCR_DPI
    edges = []
    for first, last, start, end in rules:
        at, a, b = (first + last + 1) / 2 * scale, start * scale, end * scale
        if orientation == "h":
            edges.append({"x0": a, "x1": b, "top": at, "bottom": at, "width": b - a,
                          "orientation": "h", "object_type": "line_edge"})
        else:
            edges.append({"x0": at, "x1": at, "top": a, "bottom": b, "height": b - a,
                          "orientation": "v", "object_type": "line_edge"})
    return edges


def _scanned_tables(page: pdfplumber.page.Page, rules: tuple[Edges, Edges]) -> list[Any]:
    """The tables a scan's ruling lines draw, found by pdfplumber's table finder as on a
    page with a text layer (its cells where the rules cross)."""
    from pdfplumber.table import TableFinder

    across, down = rules
    if len(across) < 2 or len(down) < 2:
        return []
    return TableFinder(page, {"vertical_strategy": "explicit",
                              "horizontal_strategy": "explicit",
                              "explicit_vertical_lines": down,
                              "explicit_horizontal_lines": across}).tables


def _hocr_lines(hocr: bytes) -> list[tuple[dict[str, str], list[dict[str, Any]]]]:
    """Each hOCR line's properties (its ``title``: bbox, x_size) and its words, each word
    with its text and box in points."""
    import lxml.html

    scale = 72 / _OCR_DPI
    lines = []
    for element in lxml.html.fromstring(hocr).iter():
        if element.get("class") not in _OCR_LINES:
            continue
        words = []
        for word in element.iter():
            text = " ".join(word.text_content().split())
            box = _title(word).get("bbox")
            if word.get("class") == "ocrx_word" and text.strip(_RULE_GLYPHS) and box:
                x0, top, x1, bottom = (float(v) * scale for v in box.split())
                words.append({"text": text, "x0": x0, "x1": x1, "top": top, "bottom": bottom})
        lines.append((_title(element), words))
    return lines


def _title(element: Any) -> dict[str, str]:
    return dict(part.strip().split(" ", 1) for part in element.get("title", "").split(";")
                if " " in part.strip())


def _words_as_line(words: list[dict[str, Any]],
                   title: dict[str, str] | None = None) -> dict[str, Any]:
    """Words of one line as pdfplumber gives a text line: text and box. With the hOCR
    line's ``title``, the box's top and bottom are the line's ascender and descender
    heights from its baseline, as a font's line box is, not its words' ink: a line without
    a descender would otherwise sit higher, and the space under it look like a paragraph's."""
    words = sorted(words, key=lambda w: w["x0"])
    top, bottom = min(w["top"] for w in words), max(w["bottom"] for w in words)
    if title and "bbox" in title and "baseline" in title and "x_size" in title:
        scale = 72 / _OCR_DPI
        slope, offset = (float(v) for v in title["baseline"].split()[:2])
        x0, _, _, y1 = (float(v) for v in title["bbox"].split())
        middle = (words[0]["x0"] + words[-1]["x1"]) / 2 / scale
        base = y1 + offset + slope * (middle - x0)
        descent = float(title.get("x_descenders", 0))
        top, bottom = (base - float(title["x_size"]) + descent) * scale, (base + descent) * scale
    return {"text": " ".join(w["text"] for w in words), "x0": words[0]["x0"],
            "x1": max(w["x1"] for w in words), "top": top, "bottom": bottom}


def _ocr_table(found: Any, lines: list[tuple[dict[str, str], list[dict[str, Any]]]],
               number: int) -> _Table | None:
    """A table the scan's rules draw, its cells read from the words OCR found in them
    (a word belongs to the cell its centre is in, as a character does on a text layer)."""
    rows = []
    for row in found.rows:
        texts = []
        for cell in row.cells:
            cell_lines = [] if cell is None else [
                _words_as_line(inside, title) for title, words in lines
                if (inside := [w for w in words if _inside(w, [cell])])]
            texts.append(_cell_text(sorted(cell_lines, key=lambda line: line["top"]),
                                    cell[0], cell[2]) if cell_lines else "")
        if any(texts):
            rows.append(texts)
    if not rows:
        return None
    header = len(rows) > 1 and reads_as_header(rows[0], rows[1])
    return _Table(number, found.bbox[1], found.bbox[3], max(map(len, rows)), rows, header,
                  [number] * len(rows), [False] * len(rows))


def _ocr_page(hocr: bytes, page: _Page, tables: Iterable[Any] = ()) -> _Page:
    """A page's lines and tables from Tesseract's hOCR, in points as pdfplumber gives
    them; ``tables`` are those the scan's rules draw (pdfplumber's), whose words are
    read into their cells and not as lines.

    >>> hocr = (b"<html><body><span class='ocr_line' title='bbox 300 150 1000 190; x_size 42'>"
    ...         b"<span class='ocrx_word' title='bbox 300 150 700 190'>Leicestershire</span> "
    ...         b"<span class='ocrx_word' title='bbox 720 150 1000 190'>Council</span>"
    ...         b"</span></body></html>")
    >>> line = _ocr_page(hocr, _Page(1, 842.0, [], 0, 1)).items[0]
    >>> line.text, line.top, line.size
    ('Leicestershire Council', 36.0, 10.08)
    """
    scale = 72 / _OCR_DPI
    hocr_lines = _hocr_lines(hocr)
    found = [t for t in (_ocr_table(t, hocr_lines, page.number) for t in tables)
             if t is not None]
    boxes = [t.bbox for t in tables]
    lines: list[_Line] = []
    for title, line_words in hocr_lines:
        outside = [w for w in line_words if not _inside(w, boxes)]
        if not outside or "bbox" not in title:
            continue
        if len(outside) == len(line_words):
            x0, top, _, bottom = (float(v) * scale for v in title["bbox"].split())
        else:
            box = _words_as_line(outside)
            x0, top, bottom = box["x0"], box["top"], box["bottom"]
        size = float(title.get("x_size", (bottom - top) / scale)) * scale
        text = " ".join(w["text"] for w in sorted(outside, key=lambda w: w["x0"]))
        lines.append(_Line(page.number, x0, top, bottom, text, round(size, 2), False))
    if lines:
        usual = sorted(line.size for line in lines)[len(lines) // 2]
        for line in lines:
            if abs(line.size - usual) <= _OCR_SAME_SIZE * usual:
                line.size = usual
    items: list[_Line | _Table] = [*lines, *found]
    return _Page(page.number, page.height, sorted(items, key=lambda item: item.top),
                 sum(len(line.text) for line in lines)
                 + sum(len(text) for table in found for row in table.rows for text in row),
                 page.images)


def _open(data: bytes, source: str) -> Any:
    import pdfplumber
    from pdfplumber.utils.exceptions import PdfminerException

    where = Location(source)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages  # parses the page tree: a broken file fails here
    except PdfminerException as exc:
        cause = exc.args[0] if exc.args else exc
        if type(cause).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError"):
            raise InputError("the PDF is encrypted (it needs a password to open); save an "
                             "unprotected copy and import that", where) from None
        raise InputError(f"corrupt PDF: {type(cause).__name__}: {cause}", where) from None
    except Exception as exc:  # noqa: BLE001 (pdfminer raises many types on broken files)
        raise InputError(f"corrupt PDF: {type(exc).__name__}: {exc}", where) from None
    return pdf, pages


def read_pdf(data: bytes, *, source: str, address: str = "", sha256: str,
             limits: Limits, ocr: bool = False) -> Document:
    """Read a PDF's bytes into the document model (the reader ``read_document`` uses)."""
    where = Location(source)
    pdf, raw_pages = _open(data, source)
    with pdf:
        if not raw_pages:
            raise InputError("the PDF has no pages", where)
        if len(raw_pages) > limits.max_pages:
            raise InputError(f"too many pages: {len(raw_pages):,}, over the limit of "
                             f"{limits.max_pages:,}", where)
        pages = []
        try:
            for number, page in enumerate(raw_pages, 1):
                pages.append(_read_page(page, number))
                page.close()  # its parsed objects are no longer needed: memory stays flat
        except InputError:
            raise
        except Exception as exc:  # noqa: BLE001 (a page whose content stream is broken)
            raise InputError(f"corrupt PDF: {type(exc).__name__}: {exc}", where) from None
    scanned = [p.number for p in pages if not p.chars and p.images]
    if not any(p.chars for p in pages) and not scanned:
        raise InputError(f"the PDF has no text: its {len(pages)} page(s) are blank", where)
    read_by_ocr: dict[int, _Page] = {}
    if scanned and ocr:
        read_by_ocr = _ocr(data, [p for p in pages if p.number in scanned], raw_pages, source)
        pages = [read_by_ocr.get(p.number, p) for p in pages]
    elif scanned and len(scanned) * 2 > len(pages):
        raise InputError(f"a scanned PDF: {len(scanned)} of its {len(pages)} page(s) are "
                         "images without a text layer; pass --ocr to read them by optical "
                         "character recognition (Tesseract)", where)
    writer = TextWriter()
    furniture = _furniture(pages)
    _write(_blocks(pages, furniture), writer)
    for page in pages:
        for item in page.items:
            if isinstance(item, _Line) and (item.page, item.top) in furniture:
                writer.paragraph(item.text, item.page, furniture=True)
    return writer.document(source=source, media_type=MEDIA_TYPE, sha256=sha256,
                           address=address, pages=len(pages), ocr=bool(read_by_ocr))


if __name__ == "__main__":  # a look at what the reader makes of a PDF
    from govkg.graph.documents.reading import read_document

    for block in read_document(sys.argv[1], ocr="--ocr" in sys.argv).blocks:
        print(block.kind.value, block.level, block.span.page, repr(block.text[:80]))
