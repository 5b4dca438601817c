"""The text reader: the structure of corpus texts, and each rule on small made-up texts.

Corpus expectations were read off the files by hand and live in
``tests/data/expected/documents-text.toml``.
"""

from __future__ import annotations

import doctest
import tomllib
from pathlib import Path

import pytest

from govkg.graph.documents import BlockKind, Document, read_document, text
from govkg.graph.documents.text import parse_text
from tests.conftest import REPO

EXPECTED = tomllib.loads(
    (REPO / "tests/data/expected/documents-text.toml").read_text(encoding="utf-8"))


def read(corpus_dir: Path, name: str) -> Document:
    doc = read_document(corpus_dir / EXPECTED[name]["file"])
    doc.check()
    return doc


def blocks_on(doc: Document, kind: BlockKind) -> dict[int, object]:
    return {b.span.line: b for b in doc.blocks if b.kind is kind}


def test_docstring_examples() -> None:
    assert doctest.testmod(text).failed == 0


def test_canonical_text_is_the_file(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.txt")) + sorted(corpus_dir.glob("dev/*.txt")):
        doc = read_document(path)
        assert doc.text == path.read_text(encoding="utf-8")
        assert doc.media_type == "text/plain" and doc.pages is None
        doc.check()  # every span quotes its block or cell exactly, on the right lines


def test_principle_headings_and_tables(corpus_dir: Path) -> None:
    expected = EXPECTED["leicestershire-001"]
    doc = read(corpus_dir, "leicestershire-001")
    headings = blocks_on(doc, BlockKind.HEADING)
    for line in expected["principle_headings"]:
        assert headings[line].text.startswith("Principle ")
    tables = blocks_on(doc, BlockKind.TABLE)
    assert all(tables[line].rows[0].header for line in expected["table_headers"])
    labelled = tables[expected["labelled_table"][0]]
    assert labelled.span.end_line == expected["labelled_table"][1]
    assert not labelled.header_rows


def test_row_split_by_a_page_break_continues(corpus_dir: Path) -> None:
    expected = EXPECTED["leicestershire-001"]
    doc = read(corpus_dir, "leicestershire-001")
    rows = [row for b in doc.blocks if b.kind is BlockKind.TABLE for row in b.rows]
    assert sorted(r.span.line for r in rows if r.continues) == expected["continuation_rows"]
    table = next(b for b in doc.blocks if b.kind is BlockKind.TABLE
                 and b.span.line == expected["table_headers"][0])
    # The logical rows join each continuation to the row above: one row fewer each.
    continued = sum(r.continues for r in table.rows)
    assert continued and len(table.logical_rows()) == len(table.rows) - continued


def test_nested_list_depth(corpus_dir: Path) -> None:
    doc = read(corpus_dir, "leicestershire-001")
    items = blocks_on(doc, BlockKind.LIST_ITEM)
    for line, depth in EXPECTED["leicestershire-001"]["nested_items"].items():
        assert (items[int(line)].level, items[int(line)].marker) == (depth, "-")


def test_table_headers_and_columns(corpus_dir: Path) -> None:
    expected = EXPECTED["kent-000"]
    doc = read(corpus_dir, "kent-000")
    tables = blocks_on(doc, BlockKind.TABLE)
    assert sorted(tables) == expected["table_headers"]
    for table in tables.values():
        assert len(table.header_rows) == 1
        assert {len(r.cells) for r in table.rows} == {expected["columns"]}


@pytest.mark.parametrize("name", ["braintree-26", "caerphilly-10"])
def test_capture_artefacts_are_furniture(corpus_dir: Path, name: str) -> None:
    doc = read(corpus_dir, name)
    assert sorted(b.span.line for b in doc.furniture) == EXPECTED[name]["furniture"]
    content_lines = {line for b in doc.blocks for line in range(b.span.line,
                                                                 b.span.end_line + 1)}
    assert not content_lines & set(EXPECTED[name]["furniture"])


# Each rule on a made-up text.

def kinds(doc: Document) -> list[tuple[str, int, str]]:
    return [(b.kind.value, b.level, b.text) for b in doc.blocks]


def test_paragraph_joins_lines_and_quotes_them() -> None:
    doc = parse_text("First line of a\n  paragraph that wraps.\n\nNext one here.\n", source="t")
    assert kinds(doc)[0] == ("paragraph", 0, "First line of a\n  paragraph that wraps.")
    assert (doc.blocks[0].span.line, doc.blocks[0].span.end_line) == (1, 2)
    doc.check()


@pytest.mark.parametrize(("line", "level"), [
    ("# Title", 1), ("### Deep title", 3), ("1. SCOPE", 1), ("2.3 Roles of officers", 2),
    ("Principle C: Outcomes", 2), ("Appendix 2", 1), ("B. Openness", 2), ("OUR VALUES", 1),
    ("How decisions are made", 2)])
def test_headings(line: str, level: int) -> None:
    doc = parse_text(f"{line}\n\nA paragraph of ordinary prose follows here.\n", source="t")
    heading = doc.blocks[0]
    assert (heading.kind, heading.level) == (BlockKind.HEADING, level)
    assert heading.text == line.lstrip("# ")
    doc.check()


@pytest.mark.parametrize("line", [
    "The council meets monthly.", "Officers report to:", "a lower-case start, short",
    "1.1 The council publishes its decisions within five working days of each meeting."])
def test_not_headings(line: str) -> None:
    doc = parse_text(f"{line}\n", source="t")
    assert doc.blocks[0].kind is BlockKind.PARAGRAPH


def test_a_short_line_inside_a_paragraph_is_not_a_heading() -> None:
    doc = parse_text("Key roles\nare set out below in full\n", source="t")
    assert kinds(doc) == [("paragraph", 0, "Key roles\nare set out below in full")]


def test_list_markers_depth_and_wrapped_lines() -> None:
    doc = parse_text("• top one\n    ◦ inner\n      wrapped part\n    ◦ inner two\n"
                     "• top two\n\na) lettered\n(ii) roman\n3) numbered\n", source="t")
    items = [(b.level, b.marker, b.text) for b in doc.blocks]
    assert items == [(0, "•", "top one"), (1, "◦", "inner\n      wrapped part"),
                     (1, "◦", "inner two"), (0, "•", "top two"), (0, "a)", "lettered"),
                     (0, "(ii)", "roman"), (0, "3)", "numbered")]
    doc.check()


def test_list_depth_restarts_after_other_blocks() -> None:
    doc = parse_text("  - indented first\n\nProse between the lists.\n\n    - deeper first\n",
                     source="t")
    assert [b.level for b in doc.blocks if b.kind is BlockKind.LIST_ITEM] == [0, 0]


def test_table_cells_spans_and_header() -> None:
    doc = parse_text("Name\tRole\nAlex Smith \t Clerk\n\tDeputy\n", source="t")
    table = doc.blocks[0]
    assert table.rows[0].header and [r.texts for r in table.rows] == [
        ["Name", "Role"], ["Alex Smith", "Clerk"], ["", "Deputy"]]
    empty = table.rows[2].cells[0]
    assert empty.span.start == empty.span.end == table.rows[2].span.start
    doc.check()


def test_repeated_header_after_page_break_is_furniture() -> None:
    doc = parse_text("Body\tRole\nCabinet\tDecides\n\nPage 2 of 9\n\nBody\tRole\n"
                     "Council\tSets the budget\n", source="t")
    (table,) = doc.blocks
    assert [r.texts for r in table.rows] == [["Body", "Role"], ["Cabinet", "Decides"],
                                             ["Council", "Sets the budget"]]
    assert sorted((b.span.line, b.kind.value) for b in doc.furniture) == [
        (4, "paragraph"), (6, "table")]
    doc.check()


def test_separate_tables_stay_separate() -> None:
    doc = parse_text("Body\tRole\nCabinet\tDecides\n\nPost\tHolder\nClerk\tA. Smith\n",
                     source="t")
    assert [b.kind for b in doc.blocks] == [BlockKind.TABLE, BlockKind.TABLE]


def test_crlf_line_ends_stay_out_of_spans() -> None:
    doc = parse_text("1. SCOPE\r\n\r\nSome prose here.\r\n", source="t")
    assert [b.text for b in doc.blocks] == ["1. SCOPE", "Some prose here."]
    doc.check()
