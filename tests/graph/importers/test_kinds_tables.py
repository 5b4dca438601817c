"""G3's kinds read real tables: Word files and LibreOffice's PDFs of a self-assessment
(North Hertfordshire, dev corpus 19) and of an auditor's tables of recommendations (section 4
of Kent's review, corpus 003), made by scripts/make_kinds_fixtures.py. Each must read as
the text of the same document reads, and as a person reading the file found
(tests/data/expected/extra/*_docx.toml, *_pdf.toml)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, URIRef

from govkg.graph.documents.reading import read_document
from govkg.graph.importers.kinds import tables
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import ImportReport, import_document
from govkg.graph.namespaces import GOVKG
from tests.graph.importers.conftest import expected

DATA = Path(__file__).resolve().parents[2] / "data"
DOCUMENTS = DATA / "documents"
FORMATS = ("docx", "pdf")
KENT = expected("kent-review-003")


def _expectation(name: str, fmt: str) -> dict:
    return tomllib.loads((DATA / "expected" / "extra" / f"{name}_{fmt}.toml")
                         .read_text(encoding="utf-8"))


_GRAPHS: dict[tuple[str, str], tuple[Graph, ImportReport]] = {}


def _imported(name: str, fmt: str, vocabulary: Graph, gazetteers: Gazetteers,
              **given: str) -> tuple[Graph, ImportReport]:
    if (name, fmt) not in _GRAPHS:
        _GRAPHS[name, fmt] = import_document(DOCUMENTS / f"{name}.{fmt}", vocabulary=vocabulary,
                                             gazetteers=gazetteers, **given)
    return _GRAPHS[name, fmt]


def _ratings(graph: Graph, vocabulary: Graph) -> list[tuple[str, str, float, str]]:
    """Each result as (item's number, rating label, normalised score, scale)."""
    found = []
    for result in graph.subjects(RDF.type, GOVKG.SelfAssessmentResult):
        item = graph.value(result, GOVKG.assesses)
        found.append((str(vocabulary.value(item, SKOS.notation)),
                      str(graph.value(result, GOVKG.ratingLabel)),
                      float(graph.value(result, GOVKG.normalisedScore)),
                      str(graph.value(result, GOVKG.ratingScale))))
    return sorted(found)


# ------------------------------------------------------------------ headers


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_columns_role_comes_from_its_headers_words(fmt: str) -> None:
    document = read_document(DOCUMENTS / f"north-hertfordshire_self-assessment.{fmt}")
    [table] = tables.tables(document, needs=("item", "rating"))
    assert table.header.roles == ["item", "rating", "actions"]
    [review] = tables.tables(read_document(DOCUMENTS / f"kent_review-recommendations.{fmt}"))[:1]
    assert review.header.roles == ["recommendation", "impact"]


# ------------------------------------------------------------------ the self-assessment


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_rated_table_reads_as_the_person_reading_it_found(
        fmt: str, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """Detected with nothing given (a rated table outweighs the "AGS" in its title), the
    one scored row keeps the council's label and its scale as written, 0.75 beside it."""
    graph, report = _imported("north-hertfordshire_self-assessment", fmt, vocabulary,
                              gazetteers)
    exp = _expectation("north-hertfordshire_self-assessment", fmt)["assessment"]
    assert report.layout == "rated-assessment"
    assert _ratings(graph, vocabulary) == [(r["item"], r["rating"], r["normalised"],
                                            exp["scale"]) for r in exp["results"]]
    assert not list(graph.subjects(RDF.type, GOVKG.ImprovementAction))


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_rated_table_reads_as_the_text_of_the_same_document(
        fmt: str, vocabulary: Graph, gazetteers: Gazetteers, corpus_dir: Path) -> None:
    text, _ = import_document(corpus_dir / "dev" / "19_north-hertfordshire_self-assessment.txt",
                              vocabulary=vocabulary, gazetteers=gazetteers,
                              council="North Hertfordshire District Council",
                              kind="self-assessment", framework="2016")
    graph, _ = _imported("north-hertfordshire_self-assessment", fmt, vocabulary, gazetteers)
    assert [r[:3] for r in _ratings(graph, vocabulary)] == \
        [r[:3] for r in _ratings(text, vocabulary)]


# ------------------------------------------------------------------ the recommendations


def _recommendations(graph: Graph) -> dict[str, URIRef]:
    return {" ".join(str(graph.value(r, RDFS.label)).split()): r  # type: ignore[misc]
            for r in graph.subjects(RDF.type, GOVKG.Recommendation)}


#: The PDF reader joins the header row repeated at the top of page 2 to the row that the
#: page break cut, and gives the row's rest as a row of its own (graph/documents/pdf.py).
_PDF_SPLIT_ROW = 6  # the 4.2 key row on lines 17-18 of the PDF, corpus line 295


def _marks(fmt: str, index: int) -> list[pytest.MarkDecorator]:
    if fmt == "pdf" and index == _PDF_SPLIT_ROW:
        return [pytest.mark.xfail(strict=True, reason="the PDF reader splits this row at "
                                  "the page break and joins the repeated header to it")]
    return []


@pytest.mark.parametrize(("fmt", "index"), [
    pytest.param(fmt, index, marks=_marks(fmt, index), id=f"{fmt}-line{row['line']}")
    for fmt in FORMATS for index, row in enumerate(KENT["recommendation"])])
def test_each_recommendation_reads_as_in_the_text(
        fmt: str, index: int, imported: Callable[[str], tuple[Graph, ImportReport]],
        vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """Text, priority (from the table's header or its group row), area (from the heading
    before the table) and impact are the same as the corpus text's row gives."""
    text_graph, _ = imported(KENT["document"]["file"])
    graph, _ = _imported("kent_review-recommendations", fmt, vocabulary, gazetteers,
                         council="Kent County Council", kind="governance-review")
    line = KENT["recommendation"][index]["line"]
    in_text = next(r for r in text_graph.subjects(RDF.type, GOVKG.Recommendation)
                   if any(int(text_graph.value(s, GOVKG.startLine)) == line
                          for s in text_graph.objects(r, GOVKG.source)))
    label = " ".join(str(text_graph.value(in_text, RDFS.label)).split())
    node = _recommendations(graph)[label]
    for prop in (GOVKG.priority, GOVKG.area, GOVKG.expectedImpact):
        assert set(graph.objects(node, prop)) == set(text_graph.objects(in_text, prop))


@pytest.mark.parametrize("fmt", [
    "docx", pytest.param("pdf", marks=pytest.mark.xfail(strict=True, reason="the PDF reader "
                                                        "reads the row split by the page "
                                                        "break as two"))])
def test_as_many_recommendations_as_rows_the_person_read(
        fmt: str, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    graph, _ = _imported("kent_review-recommendations", fmt, vocabulary, gazetteers,
                         council="Kent County Council", kind="governance-review")
    wanted = _expectation("kent_review-recommendations", fmt)["review"]["recommendations"]
    assert len(set(graph.subjects(RDF.type, GOVKG.Recommendation))) == len(wanted)
