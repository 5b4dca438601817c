"""Every shape against its test cases, in the W3C data-shapes test style.

Each file in ``cases/`` holds the data and, on its manifest node (``<>``), the shapes
file it exercises (``rdfs:seeAlso``) and the expected report. Results are compared by
focus node, path, constraint component, severity (and value, where the case gives one),
never by message text.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import SH

from govkg.graph.validation import load_shapes, shape_files, validate_data

CASES = sorted((Path(__file__).parent / "cases").glob("*.ttl"))
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
Key = tuple[str, str | None, str, str, str | None]


def _key(graph: Graph, result: object, with_value: bool) -> Key:
    def text(prop: URIRef) -> str | None:
        value = graph.value(result, prop)  # type: ignore[arg-type]
        if isinstance(value, BNode):  # a sequence path: compare its steps
            return "/".join(str(step) for step in Collection(graph, value))
        if isinstance(value, Literal):  # 11.0 and "11.0"^^xsd:decimal compare as numbers
            return str(value.toPython())
        return None if value is None else str(value)

    return (str(text(SH.focusNode)), text(SH.resultPath), str(text(SH.sourceConstraintComponent)),
            str(text(SH.resultSeverity)), text(SH.value) if with_value else None)


def _load_case(path: Path) -> tuple[Graph, Graph, URIRef]:
    whole = Graph().parse(path, format="turtle")
    manifest = URIRef(path.resolve().as_uri())
    expected = Graph()
    frontier = [manifest]  # the manifest node and the blank nodes of its expected report
    while frontier:
        node = frontier.pop()
        for triple in whole.triples((node, None, None)):
            expected.add(triple)
            if isinstance(triple[2], BNode):
                frontier.append(triple[2])
    return whole - expected, expected, manifest


@pytest.mark.parametrize("engine", ["pyshacl", "turbo"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_shape_case(path: Path, engine: str) -> None:
    """Both engines must give the expected report: pyshacl-turbo is used only because it
    agrees with pySHACL on every case."""
    data, manifest, node = _load_case(path)
    shapes_file = str(manifest.value(node, RDFS.seeAlso))
    assert shapes_file in {p.name for p in shape_files()}, f"unknown shapes file {shapes_file}"
    report = validate_data(data, shapes=load_shapes([shapes_file]), engine=engine)
    expected_report = manifest.value(node, MF.result)
    expected_conforms = manifest.value(expected_report, SH.conforms).toPython()  # type: ignore[union-attr]
    expected_results = list(manifest.objects(expected_report, SH.result))
    with_value = {bool(manifest.value(r, SH.value)) for r in expected_results} == {True}
    actual = Counter(_key(report.results, r, with_value)
                     for r in report.results.subjects(RDF.type, SH.ValidationResult))
    wanted = Counter(_key(manifest, r, with_value) for r in expected_results)
    assert actual == wanted
    if expected_conforms:  # a conforming case conforms, with nothing to report
        assert report.conforms and not report.findings and not wanted
    else:  # a failing case fails as its report says: violations fail, warnings alone do not
        assert wanted, f"{path.name}: a failing case must list the results it expects"
        expected_violations = sum(key[3] == str(SH.Violation) for key in wanted.elements())
        assert report.findings
        assert report.violations == expected_violations
        assert report.conforms == (expected_violations == 0)


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_engines_agree_with_every_shape_applied(path: Path) -> None:
    data, _, _ = _load_case(path)
    reports = [validate_data(data, engine=engine) for engine in ("pyshacl", "turbo")]
    keys = [Counter(_key(r.results, x, True) for x in
                    r.results.subjects(RDF.type, SH.ValidationResult)) for r in reports]
    assert keys[0] == keys[1]
    assert sorted(f.message for f in reports[0].findings) == \
        sorted(f.message for f in reports[1].findings)


def case_outcomes(cases: list[Path]) -> dict[str, set[bool]]:
    """For each shapes file, the outcomes (conforms or not) its cases expect."""
    shapes_with: dict[str, set[bool]] = {}
    for path in cases:
        _, manifest, node = _load_case(path)
        conforms = manifest.value(manifest.value(node, MF.result), SH.conforms).toPython()  # type: ignore[union-attr]
        shapes_with.setdefault(str(manifest.value(node, RDFS.seeAlso)), set()).add(conforms)
    return shapes_with


def test_every_governance_shape_has_a_conforming_and_a_failing_case() -> None:
    shapes_with = case_outcomes(CASES)
    governance = {p.name for p in shape_files()} - {"prefixes.ttl"}
    assert set(shapes_with) == governance
    for name, outcomes in shapes_with.items():
        assert True in outcomes, f"{name} has no conforming case"
        assert False in outcomes, f"{name} has no failing case"


def test_a_shape_without_a_conforming_case_is_caught() -> None:
    """The check above can fail: without its conforming case, evidence.ttl is missing one."""
    without = [p for p in CASES if p.name != "evidence-conforming.ttl"]
    assert case_outcomes(without)["evidence.ttl"] == {False}
