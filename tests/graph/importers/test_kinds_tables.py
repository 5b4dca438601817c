"""G3's kinds read real tables: Word files and LibreOffice's PDFs of a self-assessment
(North Hertfordshire, dev corpus 19) and of an auditor's tables of recommendations (section 4
of Kent's review, corpus 003), made by scripts/make_kinds_fixtures.py. Each must read as
the text of the same document reads, and as a person reading the file found
(tests/data/expected/tables/*_docx.toml, *_pdf.toml)."""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS

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
    return tomllib.loads((DATA / "expected" / "tables" / f"{name}_{fmt}.toml")
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


@pytest.mark.parametrize(("fmt", "index"), [
    pytest.param(fmt, index, id=f"{fmt}-line{row['line']}")
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


@pytest.mark.parametrize("fmt", FORMATS)
def test_as_many_recommendations_as_rows_the_person_read(
        fmt: str, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    graph, _ = _imported("kent_review-recommendations", fmt, vocabulary, gazetteers,
                         council="Kent County Council", kind="governance-review")
    wanted = _expectation("kent_review-recommendations", fmt)["review"]["recommendations"]
    assert len(set(graph.subjects(RDF.type, GOVKG.Recommendation))) == len(wanted)


# ------------------------------------------------------------------ any council's columns

# Two documents of a made-up council, written for these tests (not a council's prose): a
# self-assessment scored 1-5 with evidence, an action, its lead and target date, one row
# led with no action; one rated by RAG colour; an auditor's table with a priority column,
# the management response, the responsible officer and a deadline.
SCORED = """Testshire District Council
Governance self-assessment 2024/25

Principle A: Behaving with integrity

Sub-principle\tRating (1-5)\tEvidence\tImprovement action\tLead officer\tTarget date
A1 Behaving with integrity\t4\tCode of conduct\tRefresh training\tMonitoring Officer\tMarch 2025
A2 Demonstrating commitment to ethical values\t5\tValues framework\t\tHead of HR\t
"""
RAG = """Testshire District Council
Governance self-assessment 2024/25

Sub-principle\tRAG status\tEvidence
A1 Behaving with integrity\tAmber\tCode of conduct
A2 Demonstrating commitment to ethical values\tGreen\tValues framework
"""
CHECKLIST = """Testshire District Council
Audit Committee self-assessment against the CIPFA Audit Committee Position Statement

Question\tAssessment\tAction
1. Does the committee report to full council each year?\tPartly\tWrite an annual report
2. Does the committee have an independent member?\tYes\t
"""
AUDITOR = """Testshire District Council
Auditor's Annual Report 2023/24

Recommendations

Recommendation\tPriority\tManagement response\tResponsible officer\tDeadline
Refresh the financial plan.\tKey\tAgreed: by March.\tDirector of Finance\t31 March 2025
"""


def _import_text(tmp_path: Path, text: str, kind: str, vocabulary: Graph,
                 gazetteers: Gazetteers, framework: str | None = "2016") -> Graph:
    path = tmp_path / f"{kind}.txt"
    path.write_text(text, encoding="utf-8")
    graph, _ = import_document(path, vocabulary=vocabulary, gazetteers=gazetteers,
                               council="Testshire District Council", kind=kind,
                               framework=framework)
    return graph


def _by_item(graph: Graph) -> dict[str, URIRef]:
    return {str(graph.value(r, GOVKG.assesses)).rsplit("/", 1)[-1]: r  # type: ignore[misc]
            for r in graph.subjects(RDF.type, GOVKG.SelfAssessmentResult)}


def test_a_numeric_scale_its_leads_actions_and_target_dates(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    graph = _import_text(tmp_path, SCORED, "self-assessment", vocabulary, gazetteers)
    results = _by_item(graph)
    assert set(results) == {"A.1", "A.2"}
    one, two = results["A.1"], results["A.2"]
    assert [float(graph.value(one, p)) for p in (GOVKG.score, GOVKG.scaleMinimum,
                                                 GOVKG.scaleMaximum, GOVKG.normalisedScore)
            ] == [4, 1, 5, 0.75]
    assert str(graph.value(one, GOVKG.ratingScale)) == "1-5"
    assert float(graph.value(two, GOVKG.normalisedScore)) == 1.0
    [action] = graph.objects(one, GOVKG.improvementAction)
    assert str(graph.value(action, GOVKG.targetDate)) == "March 2025"
    lead = graph.value(action, GOVKG.leadPost)
    assert str(graph.value(lead, SKOS.prefLabel)) == "Monitoring Officer"
    # a lead on a row is that row's lead, whether or not an action follows
    assert not list(graph.objects(two, GOVKG.improvementAction))
    assert {str(graph.value(p, SKOS.prefLabel))
            for p in graph.objects(two, GOVKG.assessmentLead)} == {"Head of HR"}


def test_rag_colours_are_ratings_on_their_own_scale(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    graph = _import_text(tmp_path, RAG, "self-assessment", vocabulary, gazetteers)
    results = _by_item(graph)
    assert [(str(graph.value(results[i], GOVKG.ratingLabel)),
             float(graph.value(results[i], GOVKG.normalisedScore)),
             str(graph.value(results[i], GOVKG.ratingScale))) for i in ("A.1", "A.2")] == \
        [("Amber", 0.5, "Green/Amber/Red"), ("Green", 1.0, "Green/Amber/Red")]
    # a colour's rank on its scale, worst first, is its score there
    assert [float(graph.value(results["A.1"], p)) for p in (
        GOVKG.score, GOVKG.scaleMinimum, GOVKG.scaleMaximum)] == [2, 1, 3]


def test_a_table_against_another_checklist_is_that_checklists_own_scheme(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    graph = _import_text(tmp_path, CHECKLIST, "self-assessment", vocabulary, gazetteers,
                         framework=None)
    found = {}
    for result in graph.subjects(RDF.type, GOVKG.SelfAssessmentResult):
        item = graph.value(result, GOVKG.assesses)
        scheme = graph.value(item, SKOS.inScheme)
        assert str(graph.value(scheme, DCTERMS.source)) == \
            "CIPFA Audit Committee Position Statement"
        found[str(graph.value(item, SKOS.notation))] = (
            str(graph.value(result, GOVKG.ratingLabel)),
            float(graph.value(result, GOVKG.normalisedScore)),
            len(list(graph.objects(result, GOVKG.improvementAction))))
    assert found == {"1": ("Partly", 0.5, 1), "2": ("Yes", 1.0, 0)}


def test_an_auditors_table_gives_priority_response_owner_and_deadline(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    graph = _import_text(tmp_path, AUDITOR, "governance-review", vocabulary, gazetteers)
    [rec] = graph.subjects(RDF.type, GOVKG.Recommendation)
    assert str(graph.value(rec, GOVKG.priority)).endswith("/key")
    response = graph.value(rec, GOVKG.plannedAction)
    assert str(graph.value(response, RDFS.label)) == "Agreed: by March."
    owner = graph.value(rec, GOVKG.issueOwner)
    assert str(graph.value(owner, SKOS.prefLabel)) == "Director of Finance"
    assert str(graph.value(rec, GOVKG.targetDate)) == "31 March 2025"


@pytest.mark.parametrize("name", ["north-hertfordshire_self-assessment",
                                  "kent_review-recommendations"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_what_the_tables_give_conforms_to_the_shapes(
        name: str, fmt: str, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """A labelled rating carries its rank on the council's scale as its score, so a
    result read from a table meets the self-assessment shape as a scored one does."""
    from govkg.graph.validation import validate_data

    exp = _expectation(name, fmt)
    graph, _ = import_document(DOCUMENTS / exp["file"], vocabulary=vocabulary,
                               gazetteers=gazetteers, council=exp["council"],
                               kind={"external-review": "governance-review"}.get(
                                   exp["kind"], exp["kind"]))
    report = validate_data(graph)
    assert [f for f in report.findings if f.severity.endswith("iolation")] == []
