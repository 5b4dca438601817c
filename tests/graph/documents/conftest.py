"""Fixtures for the document-reading tests: the format fixtures and what is known of them."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path
from typing import Any

import pytest

from govkg.graph.documents import BlockKind, Document, read_document
from tests.conftest import REPO

FORMATS = REPO / "tests" / "data" / "formats"
EXPECTED: dict[str, Any] = tomllib.loads(
    (REPO / "tests/data/expected/formats.toml").read_text(encoding="utf-8"))
SAME_DOCUMENT: dict[str, str] = EXPECTED["same-document"]


def normal(text: str) -> str:
    """Text with its whitespace collapsed: a PDF wraps lines where the text did not."""
    return " ".join(text.split())


def view(doc: Document, *, levels: bool = True) -> list[tuple[object, ...]]:
    """What a document says, format aside: each heading (with its level), paragraph, list
    item (with its depth) and table row (its cells), in order, whitespace collapsed."""
    out: list[tuple[object, ...]] = []
    for block in doc.blocks:
        if block.kind is BlockKind.TABLE:
            out.extend(("row", *(normal(c.text) for c in row.cells)) for row in block.rows)
        elif block.kind is BlockKind.PARAGRAPH:
            out.append(("paragraph", normal(block.text)))
        else:
            out.append((block.kind.value, block.level if levels else 0, normal(block.text)))
    return out


@functools.cache
def read_fixture(path: Path) -> Document:
    """A fixture read once per test session (a PDF takes seconds); documents are frozen."""
    return read_document(path)


@pytest.fixture(scope="session")
def formats_dir() -> Path:
    return FORMATS
