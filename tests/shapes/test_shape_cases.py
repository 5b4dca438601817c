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

from govkg.graph.validation import CouncilReport, load_shapes, shape_files, validate_data

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
    pyshacl_report, turbo_report = (validate_data(data, engine=engine)
                                    for engine in ("pyshacl", "turbo"))
    assert _report_keys(pyshacl_report) == _report_keys(turbo_report)


ReportKeys = tuple[Counter[Key], list[str], list[tuple[str, int, int]]]


def _report_keys(report: CouncilReport) -> ReportKeys:
    """What two reports must share to say the same: the results (by focus node, path,
    component, severity and value), the messages, and the coverage."""
    results = report.results
    return (Counter(_key(results, r, True)
                    for r in results.subjects(RDF.type, SH.ValidationResult)),
            sorted(f.message for f in report.findings),
            [(p.notation, p.items, p.addressed) for p in report.coverage])


#: A register council (ontology/reference/councils.ttl) standing in for a case's made-up
#: one, so that the register's own statements about it (its type) are in play.
REGISTER_COUNCIL = URIRef("https://w3id.org/govkg/id/council/kent-county-council")


def _as_register_council(data: Graph) -> Graph:
    made_up = URIRef("http://example.org/test/council")
    swap = {made_up: REGISTER_COUNCIL}
    moved = Graph()
    for s, p, o in data:
        moved.add((swap.get(s, s), p, swap.get(o, o)))  # type: ignore[arg-type]
    return moved


@pytest.mark.parametrize("register", [False, True], ids=["made-up-council", "register-council"])
@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_the_narrowed_vocabulary_gives_the_whole_vocabularys_report(path: Path,
                                                                     register: bool) -> None:
    """Validation gives the engine only the vocabulary its shapes can read for the data
    (statements whose predicates the shapes name; of the council register, the councils
    the data names): the report must be the one the whole vocabulary gives."""
    data, _, _ = _load_case(path)
    if register:
        data = _as_register_council(data)
    narrowed, whole = (validate_data(data, engine="turbo", whole_vocabulary=w)
                       for w in (False, True))
    assert _report_keys(narrowed) == _report_keys(whole)
    assert (narrowed.council, narrowed.label, narrowed.conforms) == \
        (whole.council, whole.label, whole.conforms)


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
