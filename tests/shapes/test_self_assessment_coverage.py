"""Coverage of real self-assessments: each requirement of the framework a self-assessment
claims, and that no row of it assesses, is reported; the rest are not. Expectations are
``tests/data/expected/self-assessment-coverage.toml``, read off the documents."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from rdflib import SKOS, URIRef

from bench.importing import CORPUS
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import FRAMEWORK, GOVKG
from govkg.graph.validation import load_shapes, validate_data
from govkg.graph.vocabulary import load_vocabulary

DATA = Path(__file__).resolve().parents[1] / "data"
EXPECTED = tomllib.loads((DATA / "expected" / "self-assessment-coverage.toml")
                         .read_text(encoding="utf-8"))["document"]
LEVEL = {"2007": GOVKG.SpecificRequirement, "2016": GOVKG.SubPrinciple}


def _unassessed(case: dict[str, Any]) -> set[str]:
    """The reader's unassessed requirements: listed, or the framework's requirements less
    the rows the document's own expectation records."""
    if "unassessed" in case:
        return set(case["unassessed"])
    exp = tomllib.loads((DATA / "expected" / case["rows_read_in"]).read_text("utf-8"))
    rows = {row["item"] for row in exp["assessment"]["results"]}
    vocabulary = load_vocabulary()
    edition = FRAMEWORK[f"cipfa-solace-{case['framework']}"]
    everything = {str(vocabulary.value(item, SKOS.notation))
                  for item in vocabulary.subjects(SKOS.inScheme, edition)
                  if (item, None, LEVEL[case["framework"]]) in vocabulary}
    assert rows <= everything
    return everything - rows


@pytest.mark.parametrize("case", EXPECTED, ids=lambda c: Path(c["path"]).stem)
def test_each_requirement_without_a_row_is_reported_and_no_other(case: dict[str, Any]) -> None:
    path = CORPUS.parent / case["path"]
    graph, _ = import_document(path, council=case["council"], kind="self-assessment",
                               framework=case["framework"])
    report = validate_data(graph, shapes=load_shapes(["self-assessment-coverage.ttl"]))
    vocabulary = load_vocabulary()
    reported = {str(vocabulary.value(URIRef(f.value), SKOS.notation))
                for f in report.findings if f.value is not None}
    assert all(f.severity == "warning" for f in report.findings)
    assert reported == _unassessed(case)
    # each names the council and the requirement, for the person who reads it
    assert all(case["council"] in f.message for f in report.findings)
