"""Format invariance: one document as text, Word, PDF and HTML gives the same blocks.

The Word, PDF and HTML fixtures were made from corpus texts (scripts/make_format_fixtures.py):
a reader of each format must recover the headings (with their levels), paragraphs, list
items (with their depth) and table cells that the text reader finds in the text.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from govkg.graph.documents import BlockKind, Document, read_document

from .conftest import EXPECTED, SAME_DOCUMENT, normal, read_fixture, view

MEDIA = {"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "pdf": "application/pdf", "html": "text/html"}
CASES = [(name, ext) for name in SAME_DOCUMENT for ext in MEDIA]


def difference(expected: list[tuple[object, ...]], got: list[tuple[object, ...]]) -> str:
    return "\n".join(difflib.unified_diff([repr(x)[:160] for x in expected],
                                          [repr(x)[:160] for x in got], lineterm="", n=1))


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_same_blocks_as_the_text(corpus_dir: Path, formats_dir: Path, name: str,
                                 ext: str) -> None:
    text = read_document(corpus_dir / SAME_DOCUMENT[name])
    doc = read_fixture(formats_dir / f"{name}.{ext}")
    assert doc.media_type == MEDIA[ext]
    expected, got = view(text), view(doc)
    assert got == expected, difference(expected, got)


@pytest.mark.parametrize(("name", "ext"), CASES)
def test_every_span_quotes_exactly(formats_dir: Path, name: str, ext: str) -> None:
    doc = read_fixture(formats_dir / f"{name}.{ext}")
    doc.check()
    assert sum(1 for _ in doc.iter_spans()) > len(doc.blocks) / 2


@pytest.mark.parametrize(("name", "ext"), [(n, e) for n, e in CASES if e != "html"])
def test_running_header_and_footer_are_furniture(formats_dir: Path, name: str,
                                                 ext: str) -> None:
    """The council's name on every page and "Page N of M" are set aside, not content."""
    doc = read_fixture(formats_dir / f"{name}.{ext}")
    furniture = {block.text for block in doc.furniture}
    council = next(c for c in (EXPECTED.get(name, {}).get("council"),
                               "Lancashire County Council", "Conwy County Borough Council")
                   if c and c in furniture)
    content = [b.text for b in doc.blocks]
    assert council not in content
    assert not any(text.startswith("Page ") and " of " in text for text in content)
    if ext == "pdf":
        assert all(b.span.page for b in doc.blocks)  # every span carries its page
        assert doc.pages is not None and {f"Page {n} of {doc.pages}"
                                          for n in range(1, doc.pages + 1)} <= furniture


def test_pdf_pages_and_nested_lists(corpus_dir: Path, formats_dir: Path) -> None:
    expected = EXPECTED["leicestershire-code"]
    pdf = read_fixture(formats_dir / "leicestershire-code.pdf")
    assert pdf.pages == expected["pdf_pages"]
    pages = [cell.span.page for block in pdf.blocks for row in block.rows for cell in row.cells]
    pages += [block.span.page for block in pdf.blocks]
    pages.sort()
    assert pages[0] == 1 and pages[-1] == expected["pdf_pages"]
    starts = [block.span.page for block in pdf.blocks]
    assert starts == sorted(starts)  # blocks in reading order, page by page
    text = read_document(corpus_dir / SAME_DOCUMENT["leicestershire-code"])
    nested = [b for b in text.blocks if b.span.line in expected["nested_item_lines"]]
    for doc in (pdf, read_fixture(formats_dir / "leicestershire-code.docx"),
                read_fixture(formats_dir / "leicestershire-code.html")):
        items = [(b.level, " ".join(b.text.split())) for b in doc.blocks
                 if b.kind is BlockKind.LIST_ITEM]
        for block in nested:
            assert (block.level, " ".join(block.text.split())) in items


def test_word_markers_from_numbering(formats_dir: Path) -> None:
    """Conwy's numbered items are numbered in Word ("1.", "2." ...), bullets are bullets."""
    doc = read_fixture(formats_dir / "conwy-governance.docx")
    markers = [b.marker for b in doc.blocks if b.kind is BlockKind.LIST_ITEM]
    numbered = [m for m in markers if m[0].isdigit()]
    assert numbered == [f"{n}." for n in range(1, len(numbered) + 1)] and numbered


def test_word_and_html_header_rows(formats_dir: Path) -> None:
    for ext in ("docx", "html"):
        doc: Document = read_fixture(formats_dir / f"leicestershire-code.{ext}")
        tables = [b for b in doc.blocks if b.kind is BlockKind.TABLE]
        headed = [t for t in tables if t.header_rows]
        assert headed and all(t.header_rows[0].cells[0].text == "Sub-principle"
                              for t in headed)


@pytest.mark.parametrize(("name", "boilerplate"), [
    ("leicestershire-code", ["Skip to main content", "Accept cookies", "Bins and recycling",
                             "Related pages", "Breadcrumb", "Accessibility", "Search"]),
    ("lancashire-code", ["Powered by ModernGov", "Print this page", "Councillors",
                         "Meetings", "Accessibility"]),
])
def test_html_site_furniture_is_not_content(formats_dir: Path, name: str,
                                            boilerplate: list[str]) -> None:
    """A CMS page's and a ModernGov page's menus, banners and footers are not read."""
    raw = (formats_dir / f"{name}.html").read_text(encoding="utf-8")
    text = read_fixture(formats_dir / f"{name}.html").text
    for words in boilerplate:
        assert words in raw and words not in text


def test_ocr_reads_a_scanned_pdf(formats_dir: Path) -> None:
    """With OCR (Tesseract, installed here) the scan's text is read and marked as OCR."""
    doc = read_document(formats_dir / "scanned.pdf", ocr=True)
    doc.check()
    assert doc.ocr and doc.pages == 1
    headings = [" ".join(b.text.split()) for b in doc.blocks]
    assert EXPECTED["lancashire-code"]["scanned_heading"] in headings
    assert all(b.span.page == 1 for b in doc.blocks)


def test_pdf_table_cell_keeps_its_paragraphs(formats_dir: Path) -> None:
    """A PDF cell of several bulleted paragraphs, each wrapped over several lines, is one
    cell with a line per paragraph; a header cell wrapped over four lines is one line."""
    expected = EXPECTED["leicestershire-cell-lists"]
    doc = read_fixture(formats_dir / "leicestershire-cell-lists.pdf")
    table = next(b for b in doc.blocks if b.kind is BlockKind.TABLE)
    rows = table.logical_rows()
    assert normal(rows[0][1]) == expected["header_cell"] and "\n" not in rows[0][1]
    first = next(row for row in rows if row[0] == expected["first_row"])
    paragraphs = first[1].split("\n")
    assert len(paragraphs) == len(expected["first_cell_starts"])
    for paragraph, start in zip(paragraphs, expected["first_cell_starts"], strict=True):
        assert paragraph.startswith(start)
    doc.check()  # every cell's span still quotes it exactly


@pytest.mark.parametrize("name", ["leicestershire-cell-lists", "leicestershire-code"])
def test_pdf_cells_have_the_word_files_paragraphs(formats_dir: Path, name: str) -> None:
    """Each PDF cell has the lines of the Word cell it was printed from: a paragraph a
    line, whether the cell holds bulleted paragraphs or one paragraph with inline bullets
    (``leicestershire-code``: the capture's bullets run on within one paragraph)."""
    def cells(doc: Document) -> list[list[str]]:
        return [[normal(line) for line in text.split("\n")] for block in doc.blocks
                if block.kind is BlockKind.TABLE for row in block.logical_rows()
                for text in row]

    word = cells(read_fixture(formats_dir / f"{name}.docx"))
    assert any(len(cell) > 1 for cell in word) == (name == "leicestershire-cell-lists")
    assert cells(read_fixture(formats_dir / f"{name}.pdf")) == word


def test_ocr_pages_set_their_running_header_and_footer_aside(formats_dir: Path) -> None:
    """Scanned pages read by OCR go through the text-layer pages' reading: the header and
    footer that recur on every page are furniture, not content."""
    expected = EXPECTED["scanned-pages"]
    doc = read_document(formats_dir / "scanned-pages.pdf", ocr=True)
    assert doc.ocr and doc.pages == expected["pages"]
    furniture = {(b.span.page, normal(b.text)) for b in doc.furniture}
    for n in range(1, expected["pages"] + 1):
        assert {(n, expected["header"]), (n, expected["footer"].format(n=n))} <= furniture
    content = [normal(b.text) for b in doc.blocks]
    assert expected["header"] not in content
    assert not any(expected["footer"].format(n=n) in text for text in content
                   for n in range(1, expected["pages"] + 1))
    headings = [normal(b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert headings[0] == expected["first_heading"]
    doc.check()


def _paragraphs_by_row(doc: Document, *, join_empty_first: bool) -> list[list[list[str]]]:
    """Each logical row's cells as their paragraphs, whitespace collapsed; with
    ``join_empty_first``, a row whose first cell is empty is read as more paragraphs of
    the row above (a Word row the capture's page break left without its first cell)."""
    rows: list[list[list[str]]] = []
    for block in doc.blocks:
        if block.kind is not BlockKind.TABLE:
            continue
        for row in block.logical_rows():
            cells = [[normal(line) for line in text.split("\n") if line.strip()]
                     for text in row]
            if join_empty_first and rows and not cells[0]:
                for column, lines in enumerate(cells):
                    rows[-1][column] += lines
            else:
                rows.append(cells)
    return rows


def test_text_cell_of_several_paragraphs_reads_as_in_word(formats_dir: Path) -> None:
    """Plain text carries a cell's further paragraphs on lines of their own at the cell's
    column position (after as many tabs): the text reader reads each as a paragraph of
    that cell, so the text has the Word file's cells, paragraph for paragraph."""
    text = read_fixture(formats_dir / "leicestershire-cell-lists.txt")
    text.check()
    word = read_fixture(formats_dir / "leicestershire-cell-lists.docx")
    got = _paragraphs_by_row(text, join_empty_first=False)
    assert got == _paragraphs_by_row(word, join_empty_first=True)
    first = next(row for row in got if row[0] == [EXPECTED["leicestershire-cell-lists"]
                                                  ["first_row"]])
    assert [p[:len(s)] for p, s in zip(first[1], EXPECTED["leicestershire-cell-lists"]
                                       ["first_cell_starts"], strict=False)] == \
        EXPECTED["leicestershire-cell-lists"]["first_cell_starts"]
