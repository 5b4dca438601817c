"""``govkg import`` of PDF, Word, HTML and web addresses: the same facts whatever the
format, provenance that points at exact characters (and pages), and bad input refused
with exit status 2 and the store left as it was."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS
from typer.testing import CliRunner

from govkg.graph.commands.importing import register
from govkg.graph.importers.base import ImportContext, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.pipeline import ImportReport, import_document
from govkg.graph.namespaces import COUNCIL, GOVKG, OA
from govkg.graph.store import open_store

from .conftest import EXPECTED, FORMATS, SAME_DOCUMENT

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

Imported = tuple[Graph, ImportReport]
_CACHE: dict[str, Imported] = {}


@pytest.fixture
def imported(vocabulary: Graph) -> Callable[[str], Imported]:
    """Import a fixture once per session (a PDF takes seconds)."""
    def get(name: str) -> Imported:
        if name not in _CACHE:
            _CACHE[name] = import_document(FORMATS / name, vocabulary=vocabulary)
        return _CACHE[name]
    return get


def facts(graph: Graph, report: ImportReport) -> Graph:
    """The facts of an import with the positions left out: no source spans, no checksum,
    file name or format; names minted from the document's checksum become blank nodes,
    so that graphs of different files compare by structure."""
    doc = str(report.graph).rsplit("/", 1)[-1]
    spans = set(graph.subjects(RDF.type, OA.SpecificResource))
    selectors = {o for s in spans for o in graph.objects(s, OA.hasSelector)}
    out = Graph()

    def fix(node: object) -> object:
        if isinstance(node, URIRef) and doc in str(node):
            return BNode(str(node).replace(doc, "document"))
        if isinstance(node, Literal) and isinstance(node.value, str):
            return Literal(" ".join(str(node).split()), lang=node.language,
                           datatype=node.datatype)
        return node

    for s, p, o in graph:
        if s in spans or s in selectors or p == GOVKG.source or p in (
                GOVKG.sha256, DCTERMS.identifier, DCTERMS.format):
            continue
        out.add((fix(s), p, fix(o)))  # type: ignore[arg-type]
    return out


@pytest.mark.parametrize("other", ["leicestershire-code.html", "leicestershire-code.pdf"])
def test_same_facts_from_word_html_and_pdf(imported: Callable[[str], Imported],
                                           other: str) -> None:
    word = facts(*imported("leicestershire-code.docx"))
    assert len(word) > 1000
    assert isomorphic(word, facts(*imported(other)))


@pytest.mark.parametrize("name", ["leicestershire-code", "leicestershire-cell-lists"])
def test_same_facts_from_text_and_word(vocabulary: Graph, corpus_dir: Path, name: str) -> None:
    """The pipeline reads a plain-text capture and the Word file of the same document to
    the same facts: a table cell of several paragraphs (``leicestershire-cell-lists``: a
    line each, at the cell's column position, in the text) as well as a cell of inline
    bullets (``leicestershire-code``, the corpus capture itself)."""
    text = (corpus_dir / SAME_DOCUMENT[name] if name in SAME_DOCUMENT
            else FORMATS / f"{name}.txt")
    word = FORMATS / f"{name}.docx"
    options = {"council": "Leicestershire County Council", "kind": "local-code",
               "framework": "2016", "layout": "generic", "vocabulary": vocabulary}
    from_text = facts(*import_document(text, **options))
    from_word = facts(*import_document(word, **options))
    assert len(from_text) > 300
    assert isomorphic(from_text, from_word)


@pytest.mark.parametrize("name", ["leicestershire-code.docx", "leicestershire-code.html",
                                  "leicestershire-code.pdf"])
def test_positions_quote_exactly(imported: Callable[[str], Imported], name: str) -> None:
    """Every span's position selector selects exactly its quote in the canonical text,
    and in a PDF its page is the page that text was read from."""
    graph, report = imported(name)
    doc = SourceDocument.read(FORMATS / name)
    spans = list(graph.subjects(RDF.type, OA.SpecificResource))
    assert spans
    for span in spans:
        selectors = list(graph.objects(span, OA.hasSelector))
        exact = next(graph.value(s, OA.exact) for s in selectors
                     if (s, RDF.type, OA.TextQuoteSelector) in graph)
        position = next(s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph)
        start, end = int(graph.value(position, OA.start)), int(graph.value(position, OA.end))
        assert doc.text[start:end] == str(exact)
        page = graph.value(span, GOVKG.page)
        if name.endswith(".pdf"):
            assert int(page) == doc.page_at(start)
        else:
            assert page is None
    assert str(graph.value(report_document(report), DCTERMS.format)) == doc.media_type


def test_pages_run_through_the_pdf(imported: Callable[[str], Imported]) -> None:
    graph, _ = imported("leicestershire-code.pdf")
    pages = {int(p) for p in graph.objects(None, GOVKG.page)}
    assert min(pages) == 1 and max(pages) >= EXPECTED["leicestershire-code"]["pdf_pages"] - 2


def report_document(report: ImportReport) -> URIRef:
    return URIRef(str(report.graph).replace("/graph/document/", "/id/document/"))


def test_ocr_is_recorded(vocabulary: Graph) -> None:
    """A document read by OCR says so, and its spans quote the recognised text."""
    doc = SourceDocument.read(FORMATS / "scanned.pdf", ocr=True)
    assert doc.ocr and doc.media_type == "application/pdf"
    context = ImportContext(COUNCIL["lancashire"], "Lancashire County Council", "lancashire",
                            "local-code", None)
    builder = DocumentBuilder(doc, context, vocabulary)
    assert builder.graph.value(doc.iri, GOVKG.textFromOCR) == Literal(True)
    span = builder.cite(doc.iri, (3, 3))
    assert int(builder.graph.value(span, GOVKG.page)) == 1


# Through the command line.

def cli_app() -> typer.Typer:
    app = typer.Typer()
    register(app)

    @app.command("version")  # a second command, so typer keeps "import" as a subcommand
    def version() -> None:
        pass

    return app


def run(cli: typer.Typer, *args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout + result.stderr


def stored(store: Path) -> dict[str, int]:
    with open_store(str(store)) as target:
        return {info.iri: info.triples for info in target.graphs()}


@pytest.fixture(scope="module")
def store_with_a_document(tmp_path_factory: pytest.TempPathFactory) -> Path:
    store = tmp_path_factory.mktemp("import") / "store"
    code, out = run(cli_app(), "import", "--store", store,
                    FORMATS / "leicestershire-code.docx")
    assert code == 0, out
    assert "application/vnd.openxmlformats" in out
    return store


@pytest.mark.parametrize(("names", "problem"), [
    # A bad file after a good one: all or nothing.
    (["leicestershire-code.html", "corrupt.pdf"], "corrupt PDF"),
    (["encrypted.pdf"], "encrypted"), (["empty.pdf"], "no pages"),
    (["scanned.pdf"], "pass --ocr"), (["zip-bomb.docx"], "zip bomb")])
def test_bad_files_exit_2_and_leave_the_store(store_with_a_document: Path, names: list[str],
                                              problem: str) -> None:
    before = stored(store_with_a_document)
    assert len(before) > 2
    code, out = run(cli_app(), "import", "--store", store_with_a_document,
                    *(FORMATS / name for name in names))
    assert code == 2
    assert names[-1] in out and problem in out
    assert stored(store_with_a_document) == before


def test_text_over_the_size_limit(store_with_a_document: Path) -> None:
    before = stored(store_with_a_document)
    code, out = run(cli_app(), "import", "--store", store_with_a_document, "--max-size", "0.01",
                    FORMATS / "leicestershire-code.html")
    assert code == 2 and "too large" in out and "leicestershire-code.html" in out
    assert stored(store_with_a_document) == before
