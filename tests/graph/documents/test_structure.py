"""Structure the PDF reader recovers from layout: a table over page breaks, furniture."""

from __future__ import annotations

import tomllib
from pathlib import Path

from govkg.graph.documents import BlockKind
from govkg.graph.documents.pdf import join_lines

from .conftest import EXPECTED, read_fixture

SPLIT = EXPECTED["colchester-split-table"]


def test_table_over_page_breaks_is_one_table(formats_dir: Path) -> None:
    doc = read_fixture(formats_dir / "colchester-split-table.pdf")
    doc.check()
    assert doc.pages == SPLIT["pages"]
    tables = [b for b in doc.blocks if b.kind is BlockKind.TABLE]
    assert len(tables) == SPLIT["tables"]
    (table,) = tables
    assert {row.span.page for row in table.rows} == set(range(1, SPLIT["pages"] + 1))
    # The header printed again on pages 2-5 is dropped: it is the table's one header row.
    assert len(table.header_rows) == 1
    assert table.rows[0].cells[0].text == SPLIT["header_first_cell"]
    assert [r.texts[0] for r in table.rows].count(SPLIT["header_first_cell"]) == 1
    assert {len(row.cells) for row in table.rows} == {SPLIT["columns"]}


def test_running_header_and_page_numbers_set_aside(formats_dir: Path) -> None:
    doc = read_fixture(formats_dir / "colchester-split-table.pdf")
    furniture = [b.text for b in doc.furniture]
    assert furniture.count(SPLIT["council"]) == SPLIT["pages"]
    assert [t for t in furniture if t.startswith("Page ")] == [
        f"Page {n} of {SPLIT['pages']}" for n in range(1, SPLIT["pages"] + 1)]
    content = "\n".join(text for text, _ in doc.iter_spans()
                        if not any(text == f.text for f in doc.furniture))
    assert SPLIT["council"] not in content and "Page 2 of" not in content


def test_joined_lines_keep_compound_words() -> None:
    assert join_lines(["self-", "insurance and", "risk-", "based audit"]) == (
        "self-insurance and risk-based audit")
    assert join_lines(["a list -", "then more"]) == "a list - then more"


def test_a_row_the_page_break_cut_is_one_row_as_in_the_word_file() -> None:
    """Kent's recommendations (tests/data/documents, made by scripts/make_kinds_fixtures.py):
    a row of the "4.2" table runs over the foot of page 1, and page 2 starts with the
    header again (set bold, as Word repeats it). The PDF's tables are the Word file's: the
    header dropped, the row's two parts one row, each cell's text joined."""
    from govkg.graph.documents.reading import read_document

    documents = Path(__file__).resolve().parents[2] / "data" / "documents"

    def tables(name: str) -> list[tuple[list[list[str]], int]]:
        doc = read_document(documents / name)
        return [([row.texts for row in b.rows], len(b.header_rows)) for b in doc.blocks
                if b.kind is BlockKind.TABLE]

    in_pdf = tables("kent_review-recommendations.pdf")
    assert in_pdf == tables("kent_review-recommendations.docx")
    read = tomllib.loads((documents.parent / "expected" / "tables" /
                          "kent_review-recommendations_pdf.toml").read_text(encoding="utf-8"))
    # each table's header, the three "Recommendations: Improvement" rows, and one row for
    # each recommendation the person read
    assert [header for _, header in in_pdf] == [1, 1, 1, 1]
    assert sum(len(rows) for rows, _ in in_pdf) == 4 + 3 + len(read["review"]["recommendations"])
