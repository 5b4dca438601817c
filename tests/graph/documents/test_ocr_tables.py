"""Tables on scanned pages (issue 14, G1). A scan has no text layer and no drawn lines, only
pixels: the reader finds a table from the rules in the page's image (pdfplumber's table
finder takes them) and reads each cell from the words Tesseract placed in it.

The scans are made here, as ``scripts/make_format_fixtures.py`` makes ``scanned.pdf``
(each page rendered to a black-and-white image at 200 dpi, no text layer), from
LibreOffice's PDFs of two corpus documents (``tests/data/documents``, see
tests/data/README.md): Kent's tables of recommendations, one of whose rows a page break
cuts under a header repeated on the next page, and North Hertfordshire's rated table,
which runs over two pages. What each scan must give is what a person read in the PDF it
was printed from (``tests/data/expected/tables/*_pdf.toml``) and the text layer's tables;
so must the committed scan of Leicestershire's code (``formats/scanned-pages.pdf``).
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from rapidfuzz import fuzz
from rdflib import RDF, SKOS, Graph

from govkg.graph.documents import Block, BlockKind, Document, read_document
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import GOVKG
from scripts.make_format_fixtures import write_scanned_pdf
from tests.conftest import REPO

from .conftest import normal

DOCUMENTS = REPO / "tests" / "data" / "documents"
EXPECTED = REPO / "tests" / "data" / "expected" / "tables"
NAMES = ["kent_review-recommendations", "north-hertfordshire_self-assessment"]
#: OCR misreads a character in about one cell in twenty ("–" as "-", "A1i)" as "Ali)");
#: measured on both scans: every cell at least 99.4% like the text layer's, 94% and 98% of
#: the cells exactly so.
_LIKE = 97.0
_EXACT_SHARE = 0.9


@pytest.fixture(scope="module")
def scans(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("scans")
    for name in NAMES:
        write_scanned_pdf(DOCUMENTS / f"{name}.pdf", out / f"{name}.pdf", pages=10)
    return {name: out / f"{name}.pdf" for name in NAMES}


@pytest.fixture(scope="module")
def gazetteers(vocabulary: Graph) -> Gazetteers:
    return Gazetteers(vocabulary)


_READ: dict[str, Document] = {}


def _scan(scans: dict[str, Path], name: str) -> Document:
    if name not in _READ:
        _READ[name] = read_document(scans[name], ocr=True)
    return _READ[name]


def _tables(blocks: list[Block]) -> list[list[list[str]]]:
    return [[[normal(text) for text in row.texts] for row in block.rows] for block in blocks]


def _cells(left: list[list[list[str]]], right: list[list[list[str]]]
           ) -> Iterator[tuple[str, str]]:
    for table, other in zip(left, right, strict=True):
        for row, other_row in zip(table, other, strict=True):
            yield from zip(row, other_row, strict=True)


def _table_blocks(doc: Document, pages: int) -> list[Block]:
    return [b for b in doc.blocks if b.kind is BlockKind.TABLE and b.span.page <= pages]


@pytest.mark.parametrize("name", [*NAMES, "scanned-pages"])
def test_a_scanned_table_has_the_text_layers_rows_and_cells(
        scans: dict[str, Path], name: str) -> None:
    """The same tables, rows (the cut row one row, the repeated header dropped) and
    columns as the PDF with a text layer, each cell's text as OCR can give it.
    ``scanned-pages`` is the committed scan of pages 1-3 of ``leicestershire-code.pdf``
    (tests/data/formats), whose table is a list of labelled values with no header."""
    if name == "scanned-pages":
        doc = read_document(REPO / "tests/data/formats/scanned-pages.pdf", ocr=True)
        printed, pages = read_document(REPO / "tests/data/formats/leicestershire-code.pdf"), 3
    else:
        doc, printed, pages = _scan(scans, name), read_document(DOCUMENTS / f"{name}.pdf"), 99
    doc.check()  # every cell's span quotes it exactly
    assert doc.ocr
    scanned, layer = _tables(_table_blocks(doc, pages)), _tables(_table_blocks(printed, pages))
    assert scanned and [[len(row) for row in t] for t in scanned] == [
        [len(row) for row in t] for t in layer]
    assert [len(b.header_rows) for b in _table_blocks(doc, pages)] == [
        len(b.header_rows) for b in _table_blocks(printed, pages)]
    pairs = list(_cells(scanned, layer))
    assert all(fuzz.ratio(ocr, text) >= _LIKE for ocr, text in pairs)
    assert sum(ocr == text for ocr, text in pairs) >= _EXACT_SHARE * len(pairs)


def test_a_scanned_auditors_table_imports_as_the_person_read_it(
        scans: dict[str, Path], vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """Kent's scan gives the 22 recommendations a person read in the PDF, each on its
    line of the canonical text, with its priority."""
    expected = tomllib.loads((EXPECTED / "kent_review-recommendations_pdf.toml")
                             .read_text(encoding="utf-8"))["review"]["recommendations"]
    graph, _ = import_document(scans["kent_review-recommendations"], ocr=True,
                               vocabulary=vocabulary, gazetteers=gazetteers,
                               council="Kent County Council", kind="governance-review")
    found = sorted((min(int(graph.value(s, GOVKG.startLine))
                        for s in graph.objects(r, GOVKG.source)),
                    str(graph.value(r, GOVKG.priority)).rsplit("/", 1)[-1])
                   for r in graph.subjects(RDF.type, GOVKG.Recommendation))
    assert found == sorted((r["line"], r["priority"]) for r in expected)


def test_a_scanned_self_assessment_imports_as_the_person_read_it(
        scans: dict[str, Path], vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """North Hertfordshire's scan, with nothing given, is a rated assessment whose one
    scored row keeps the council's rating and its place on the scale."""
    expected = tomllib.loads((EXPECTED / "north-hertfordshire_self-assessment_pdf.toml")
                             .read_text(encoding="utf-8"))["assessment"]
    graph, report = import_document(scans["north-hertfordshire_self-assessment"], ocr=True,
                                     vocabulary=vocabulary, gazetteers=gazetteers)
    assert report.layout == "rated-assessment"
    found = sorted((str(vocabulary.value(graph.value(r, GOVKG.assesses), SKOS.notation)),
                    str(graph.value(r, GOVKG.ratingLabel)),
                    float(graph.value(r, GOVKG.normalisedScore)))
                   for r in graph.subjects(RDF.type, GOVKG.SelfAssessmentResult))
    assert found == sorted((r["item"], r["rating"], r["normalised"])
                           for r in expected["results"])
