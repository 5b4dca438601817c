"""Fixtures for importer tests: corpus documents by file name, and a fresh import of each."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import ImportReport, import_document
from govkg.graph.namespaces import F2007, GOVKG

EXPECTED_DIR = Path(__file__).resolve().parents[2] / "data" / "expected"


@dataclass(frozen=True)
class ImportedDocument:
    """A corpus document's fresh import, its report and its text (one per layout's tests)."""

    graph: Graph
    report: ImportReport
    doc: SourceDocument


def typed(graph: Graph, cls: Node) -> set[URIRef]:
    """The resources of the graph of type ``cls``."""
    return {s for s in graph.subjects(RDF.type, cls) if isinstance(s, URIRef)}


def requirement_number(item: Node) -> str:
    """A 2007 framework item's number ("1.1.2") from its IRI."""
    return str(item).removeprefix(str(F2007))


def requirements_2007(vocabulary: Graph) -> set[str]:
    """The numbers of the 2007 framework's specific requirements, as the vocabulary has
    them: what a 2007 code or self-assessment can address, and so what it leaves out."""
    return {requirement_number(item)
            for item in vocabulary.subjects(RDF.type, GOVKG.SpecificRequirement)
            if str(item).startswith(str(F2007))}


def expected(name: str) -> dict[str, Any]:
    """The expectations for a corpus document, kept as data in tests/data/expected."""
    return tomllib.loads((EXPECTED_DIR / f"{name}.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def gazetteers(vocabulary: Graph) -> Gazetteers:
    return Gazetteers(vocabulary)


def govkg(*args: str) -> subprocess.CompletedProcess[str]:
    """``govkg ARGS`` run as a user runs it, in its own process."""
    return subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                          text=True, check=False, timeout=300)


@pytest.fixture(scope="module")
def dev(corpus_dir: Path) -> Path:
    """The development corpus."""
    return corpus_dir / "dev"


_CACHE: dict[str, tuple[Graph, ImportReport]] = {}


@pytest.fixture(scope="session")
def imported(corpus_dir: Path, vocabulary: Graph,
             gazetteers: Gazetteers) -> Callable[[str], tuple[Graph, ImportReport]]:
    """``imported("002_4f0066847b539ee0.txt")``: the document imported afresh, with nothing
    given but the file (council, kind and framework detected), once per session."""

    def run(file_name: str) -> tuple[Graph, ImportReport]:
        if file_name not in _CACHE:
            _CACHE[file_name] = import_document(corpus_dir / file_name, vocabulary=vocabulary,
                                                gazetteers=gazetteers)
        return _CACHE[file_name]

    return run
