"""G3's kinds through the one pipeline: annual governance statements, internal audit
reports, self-assessments on any scale and auditors' reports, on real documents
(``tests/data/documents/`` and the development corpus), measured against what a person
reading them wrote down (``tests/data/expected/extra/`` and ``dev/``)."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef

from bench.importing_kinds import run_all, totals
from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.kinds import reading
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import GOVKG, OA

DATA = Path(__file__).resolve().parents[2] / "data"
DOCUMENTS = DATA / "documents"


def _expectation(stem: str) -> dict:
    return tomllib.loads((DATA / "expected" / "extra" / f"{stem}.toml").read_text("utf-8"))


def _import(stem: str) -> tuple[Graph, SourceDocument]:
    exp = _expectation(stem)
    kind = {"external-review": "governance-review"}.get(exp["kind"], exp["kind"])
    graph, _ = import_document(DOCUMENTS / exp["file"], council=exp["council"], kind=kind)
    return graph, SourceDocument.read(DOCUMENTS / exp["file"])


def _resources_expected(exp: dict) -> bool:
    ags, review = exp.get("ags", {}), exp.get("review", {})
    return bool(ags.get("issues") or ags.get("opinion_level") or ags.get("reviewed_by")
                or ags.get("scope_line") or ags.get("signatories")
                or exp.get("assessment", {}).get("results")
                or review.get("findings") or review.get("recommendations"))


@pytest.fixture(scope="module")
def results() -> list:
    return run_all(corpus=True)


def test_every_statement_report_and_assessment_imports(results: list) -> None:
    assert [r.file for r in results if not r.imported] == []


@pytest.mark.parametrize("corpus", ["dev", "extra", "tables", "corpus"])
def test_recall_and_precision_meet_the_aims(results: list, corpus: str) -> None:
    t = totals([r for r in results if r.corpus == corpus])
    assert t.expected > 0
    assert t.recall >= 0.9, [(r.file, r.missed) for r in results if r.missed]
    assert t.precision >= 0.95, [(r.file, r.invented) for r in results if r.invented]


def test_nothing_is_invented_on_the_development_corpus(results: list) -> None:
    assert [(r.file, r.invented) for r in results if r.corpus == "dev" and r.invented] == []


@pytest.mark.parametrize("stem,kind", [
    ("cherwell_internal-audit-report", "internal-audit-report"),
    ("lincoln_annual-governance-statement", "annual-governance-statement"),
    ("barnsley_annual-governance-statement", "annual-governance-statement"),
    ("herefordshire_external-review", "governance-review"),
    ("halton_external-review", "governance-review"),
])
def test_the_kind_is_detected_from_the_documents_wording(stem: str, kind: str) -> None:
    guesses = reading.guess_kind(SourceDocument.read(DOCUMENTS / f"{stem}.txt"))
    assert guesses[0].kind == kind and guesses[0].fit >= 0.5
    assert "title phrase" in guesses[0].reason


def test_a_local_code_that_links_to_its_statement_is_not_taken_for_one(
        corpus_dir: Path) -> None:
    code = SourceDocument.read(corpus_dir / "dev" / "05_lichfield_local-code.txt")
    assert all(g.fit < 0.5 for g in reading.guess_kind(code))


def test_two_issues_on_one_line_stay_two_resources() -> None:
    graph, _ = _import("cherwell_internal-audit-report")
    issues = set(graph.subjects(RDF.type, GOVKG.SignificantGovernanceIssue))
    assert len(issues) == 2


def test_an_uncounted_plural_is_no_resource_and_a_counted_one_is_that_many() -> None:
    graph, _ = _import("halton_external-review")
    assert not set(graph.subjects(RDF.type, GOVKG.Finding))  # "a number of ... weaknesses"
    assert len(set(graph.subjects(RDF.type, GOVKG.Recommendation))) == 2  # "the two ..."


def test_no_significant_weakness_is_a_strength_not_a_gap() -> None:
    graph, _ = _import("herefordshire_external-review")
    polarities = sorted(str(graph.value(f, GOVKG.polarity)).rsplit("/", 1)[-1]
                        for f in graph.subjects(RDF.type, GOVKG.Finding))
    assert polarities == ["strength", "strength", "weakness"]


@pytest.mark.parametrize("stem", sorted(p.stem for p in DOCUMENTS.glob("*.txt")))
def test_every_fact_quotes_its_line(stem: str) -> None:
    graph, doc = _import(stem)
    kinds = (GOVKG.SignificantGovernanceIssue, GOVKG.InternalAuditOpinion, GOVKG.Finding,
             GOVKG.Recommendation, GOVKG.SelfAssessmentResult, GOVKG.ImprovementAction,
             GOVKG.ScopeOfResponsibility, GOVKG.EffectivenessReview, GOVKG.Signature)
    nodes = [n for k in kinds for n in graph.subjects(RDF.type, k)]
    # a document whose reader found none of these (an auditor's report known only by who
    # issued it) has nothing to quote
    assert nodes or not _resources_expected(_expectation(stem))
    for node in nodes:
        span = graph.value(node, GOVKG.source)
        start, end = (int(graph.value(span, p)) for p in (GOVKG.startLine, GOVKG.endLine))
        exact = next(str(graph.value(s, OA.exact)) for s in graph.objects(span, OA.hasSelector)
                     if graph.value(s, OA.exact) is not None)
        assert exact in doc.quote(start, end)


@pytest.mark.parametrize("label,scale,score", [
    ("Partly", ["Yes", "Partly", "No"], 0.5),
    ("Substantial", ["Full", "Substantial", "Moderate", "Limited", "No assurance"], 0.75),
    ("Red", ["Green", "Amber", "Red"], 0.0),
    ("Maybe", ["Yes", "Partly", "No"], None),
])
def test_a_rating_is_normalised_evenly_on_its_own_scale(label: str, scale: list[str],
                                                        score: float | None) -> None:
    assert reading.normalise(label, scale) == score


def test_a_checklist_that_is_not_the_framework_is_its_own_scheme_with_its_source() -> None:
    graph, _ = _import("south-holland_self-assessment")
    result = next(graph.subjects(RDF.type, GOVKG.SelfAssessmentResult))
    item = graph.value(result, GOVKG.assesses)
    scheme = graph.value(item, URIRef("http://www.w3.org/2004/02/skos/core#inScheme"))
    assert "Checklist" in str(graph.value(scheme, URIRef("http://purl.org/dc/terms/source")))
    assert str(graph.value(result, GOVKG.ratingLabel)) == "Partly"
    assert str(graph.value(result, GOVKG.ratingScale)) == "Yes/Partly/No"


# Two statements of a made-up council, written for this test (not a council's prose).
EARLIER = """Testshire County Council
Annual Governance Statement 2022/23

Significant governance issues
The Council names one significant governance issue, the 'Procurement compliance' issue,
and the Head of Procurement is the lead for it.
The statement was reviewed by the Audit Committee before it was approved.
"""
LATER = """Testshire County Council
Annual Governance Statement 2023/24

Significant governance issues
In relation to the 'Procurement compliance (2022/23)' issue, the Head of Procurement is
the lead and work continues into this year.
The statement was reviewed by the Audit Committee before it was approved.
"""


def test_a_carried_over_issue_is_linked_to_the_earlier_years_once_both_are_stored(
        tmp_path: Path) -> None:
    store = tmp_path / "store"
    for year, text in (("2022", EARLIER), ("2023", LATER)):
        path = tmp_path / f"testshire-{year}.txt"
        path.write_text(text, encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "govkg.graph", "import", str(path),
                              "--council", "Testshire County Council", "--kind",
                              "annual-governance-statement", "--store", str(store)],
                             capture_output=True, text=True, timeout=300, check=False)
        assert run.returncode == 0, run.stderr
    answer = subprocess.run([sys.executable, "-m", "govkg.graph", "query",
                             "significant-governance-issues", "--store", str(store),
                             "-f", "csv"], capture_output=True, text=True, timeout=300,
                            check=True).stdout
    rows = [line for line in answer.splitlines() if "Procurement compliance" in line]
    assert len(rows) == 2
    later = next(r for r in rows if ",2023/24," in r)
    assert later.endswith(",2022/23") and ",true," in later



@pytest.mark.parametrize("stem", ["south-holland_self-assessment", "halton_external-review",
                                  "barnsley_annual-governance-statement"])
def test_each_imported_document_conforms_to_the_shapes(stem: str) -> None:
    """Labelled ratings carry their rank on the council's scale, checklist items count as
    what a result assesses, and an auditor's recommendation needs no review standard: what
    is left are warnings for what the text does not say."""
    from govkg.graph.validation import validate_data

    graph, _ = _import(stem)
    report = validate_data(graph)  # the council is the one the document names
    assert [f for f in report.findings if f.severity.endswith("Violation")] == []
