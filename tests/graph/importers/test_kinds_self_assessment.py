"""Stevenage Borough Council's governance self-assessment (004), read by the
rated-assessment kind from its tables (columns found by their headers' words).

Every expectation comes from tests/data/expected/stevenage-self-assessment-004.toml, which
records what a person reading the document found; the document is imported afresh with
nothing given but the file, so detection is tested too. Where the importer still reads
a cell differently from the person, the TOML says so and the test is an expected failure
(strict), so that a fix is noticed.
"""

from __future__ import annotations

import doctest
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.kinds import cells
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import ImportReport
from govkg.graph.namespaces import (
    BODY_FUNCTION,
    EVIDENCE_KIND,
    F2007,
    FRAMEWORK,
    GOVKG,
    LINK_METHOD,
    OA,
    RESPONSIBILITY_KIND,
    ROLE,
)
from tests.graph.importers.conftest import expected, requirement_number, requirements_2007, typed

EXPECTED = expected("stevenage-self-assessment-004")
FILE = EXPECTED["document"]["file"]
ROWS: list[dict[str, Any]] = EXPECTED["rows"]
CORPUS = ["000_ca4996a9720cfea0.txt", "001_8248a4b135ee80e6.txt", "002_4f0066847b539ee0.txt",
          "003_952b029969f02f1c.txt", FILE]
#: Provenance machinery, which is not itself read from the document.
_MACHINERY = {OA.SpecificResource, OA.TextQuoteSelector, OA.FragmentSelector,
              OA.TextPositionSelector, GOVKG.ItemLink, PROV.Activity}

Imported = tuple[Graph, ImportReport]


def _row_id(row: dict[str, Any]) -> str:
    return "line" + "+".join(str(n) for n in row["lines"])


def _gap(table: str, first_line: int) -> list[pytest.MarkDecorator]:
    reason = EXPECTED[table].get(str(first_line))
    return [pytest.mark.xfail(reason=reason, strict=True)] if reason else []


@pytest.fixture(scope="module")
def stevenage(imported: Callable[[str], Imported]) -> Imported:
    return imported(FILE)


@pytest.fixture(scope="module")
def graph(stevenage: Imported) -> Graph:
    return stevenage[0]


@pytest.fixture(scope="module")
def doc(corpus_dir: Path) -> SourceDocument:
    return SourceDocument.read(corpus_dir / FILE)


def _lines(graph: Graph, node: URIRef) -> list[int]:
    """The lines ``node`` was read from, first line of each cited span."""
    return sorted({int(graph.value(span, GOVKG.startLine))
                   for span in graph.objects(node, GOVKG.source)})


@pytest.fixture(scope="module")
def results(graph: Graph) -> dict[int, URIRef]:
    """Each self-assessment result by the first line of its row."""
    found = {}
    for result in graph.subjects(RDF.type, GOVKG.SelfAssessmentResult):
        assert isinstance(result, URIRef)
        found[_lines(graph, result)[0]] = result
    return found


def _label(graph: Graph, node: URIRef) -> str:
    return str(graph.value(node, SKOS.prefLabel) or graph.value(node, RDFS.label))


def _actions(graph: Graph, result: URIRef, period: str) -> list[URIRef]:
    return [a for a in graph.objects(result, GOVKG.improvementAction)
            if (a, GOVKG.targetPeriod, Literal(period)) in graph]


def _leaders(graph: Graph, action: URIRef) -> set[str]:
    """Who leads ``action``, by the responsibilities stated for it."""
    return {_label(graph, graph.value(r, GOVKG.agent))
            for r in graph.subjects(GOVKG.regarding, action)
            if (r, GOVKG.responsibilityKind, RESPONSIBILITY_KIND["leads"]) in graph}


def _canonical(name: str) -> str:
    """The post's name in the graph for a spelling the document uses."""
    for post, spellings in EXPECTED["post_spellings"].items():
        if name == post or name in spellings:
            return post
    return name


# ------------------------------------------------------------------ detection and layout


def test_docstring_examples_hold() -> None:
    assert doctest.testmod(cells).failed == 0


def test_document_states_its_period_and_framework(graph: Graph, doc: SourceDocument) -> None:
    assert (doc.iri, RDF.type, GOVKG.SelfAssessment) in graph
    assert (doc.iri, GOVKG.period, Literal(EXPECTED["document"]["period"])) in graph
    assert (doc.iri, GOVKG.followsFramework, FRAMEWORK["cipfa-solace-2007"]) in graph


# ------------------------------------------------------------------ counts


_PERIODS = EXPECTED["document"]["period"], EXPECTED["document"]["next_period"]
_COUNTERS: dict[str, Callable[[Graph], int]] = {
    "results": lambda g: len(typed(g, GOVKG.SelfAssessmentResult)),
    "plans": lambda g: len(set(g.subjects(GOVKG.targetPeriod, Literal(_PERIODS[0])))),
    "actions": lambda g: len(set(g.subjects(GOVKG.targetPeriod, Literal(_PERIODS[1])))),
    "lead_posts": lambda g: len(typed(g, ORG.Post)),
    "bodies": lambda g: len(typed(g, GOVKG.Body)),
    "responsibilities": lambda g: len(typed(g, GOVKG.Responsibility)),
    "lead_responsibilities": lambda g: len(set(g.subjects(GOVKG.responsibilityKind,
                                                          RESPONSIBILITY_KIND["leads"]))),
}


@pytest.mark.parametrize("what", list(_COUNTERS))
def test_counts(what: str, graph: Graph) -> None:
    assert _COUNTERS[what](graph) == EXPECTED["counts"][what]


def test_expectations_add_up() -> None:
    """The TOML's per-row reading agrees with its own totals and per-principle scores."""
    counts = EXPECTED["counts"]
    assert len(ROWS) == counts["results"]
    assert sum(len(r["items"]) for r in ROWS) == counts["requirements_assessed"]
    for column, total in (("evidence", "evidence_items_read"), ("plans", "plans"),
                          ("actions", "actions")):
        assert sum(r[column] for r in ROWS) == counts[total]
    by_principle = [s for scores in EXPECTED["scores_by_principle"].values() for s in scores]
    assert by_principle == [r["score"] for r in ROWS]
    assert sum(EXPECTED["actions_led"].values()) == counts["lead_responsibilities"]


# ------------------------------------------------------------------ rows


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_score_scale_period_and_lines(row: dict[str, Any], graph: Graph,
                                          results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    assert _lines(graph, result) == row["lines"]
    assert graph.value(result, GOVKG.score).toPython() == Decimal(row["score"])
    low, high = EXPECTED["document"]["scale"]
    assert graph.value(result, GOVKG.scaleMinimum).toPython() == Decimal(low)
    assert graph.value(result, GOVKG.scaleMaximum).toPython() == Decimal(high)
    assert graph.value(result, GOVKG.period) == Literal(EXPECTED["document"]["period"])


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_keeps_the_councils_label_and_scale_beside_a_normalised_score(
        row: dict[str, Any], graph: Graph, results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    low, high = EXPECTED["document"]["scale"]
    assert str(graph.value(result, GOVKG.ratingLabel)) == str(row["score"])
    assert str(graph.value(result, GOVKG.ratingScale)) == f"{low}-{high}"
    # evenly from 0 (the scale's worst) to 1 (its best)
    expected_share = round((row["score"] - low) / (high - low), 2)
    assert float(graph.value(result, GOVKG.normalisedScore)) == expected_share


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_a_lead_on_a_row_is_that_rows_lead_whether_or_not_an_action_follows(
        row: dict[str, Any], graph: Graph, results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    leads = {_label(graph, a) for a in graph.objects(result, GOVKG.assessmentLead)}
    assert leads == {_canonical(name) for name in row["leads"]}


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_assesses_its_requirements_by_text(row: dict[str, Any], graph: Graph,
                                               results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    items = sorted(requirement_number(i) for i in graph.objects(result, GOVKG.assesses))
    assert items == row["items"]
    for link in graph.objects(result, GOVKG.qualifiedLink):
        assert graph.value(link, GOVKG.linkMethod) == LINK_METHOD["by-text"]
        assert float(graph.value(link, GOVKG.matchScore)) >= 85.0


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_plans_and_actions(row: dict[str, Any], graph: Graph,
                               results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    assert len(_actions(graph, result, EXPECTED["document"]["period"])) == row["plans"]
    assert len(_actions(graph, result, EXPECTED["document"]["next_period"])) == row["actions"]


@pytest.mark.parametrize("row", [r for r in ROWS if r["actions"]], ids=_row_id)
def test_row_actions_are_led_by_the_lead_officers(row: dict[str, Any], graph: Graph,
                                                  results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    wanted = {_canonical(name) for name in row["leads"]}
    for action in _actions(graph, result, EXPECTED["document"]["next_period"]):
        assert _leaders(graph, action) == wanted
        # a team or board named as the lead is recorded as the lead too (govkg:leadPost
        # takes a post or, where the document names one, a body)
        leads = {_label(graph, p) for p in graph.objects(action, GOVKG.leadPost)}
        assert leads == wanted


@pytest.mark.parametrize("row", ROWS, ids=_row_id)
def test_row_actions_address_what_the_row_assesses(row: dict[str, Any], graph: Graph,
                                                   results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    items = set(graph.objects(result, GOVKG.assesses))
    for action in graph.objects(result, GOVKG.improvementAction):
        assert set(graph.objects(action, GOVKG.addresses)) == items
        for link in graph.objects(action, GOVKG.qualifiedLink):
            assert graph.value(link, GOVKG.linkMethod) == LINK_METHOD["by-structure"]


@pytest.mark.parametrize("row", [pytest.param(r, marks=_gap("evidence_count_gaps", r["lines"][0]),
                                              id=_row_id(r)) for r in ROWS])
def test_row_evidence_count(row: dict[str, Any], graph: Graph,
                            results: dict[int, URIRef]) -> None:
    result = results[row["lines"][0]]
    assert len(set(graph.objects(result, GOVKG.citesEvidence))) == row["evidence"]


@pytest.mark.parametrize(("line", "names"), [
    pytest.param(int(line), names, marks=_gap("evidence_name_gaps", int(line)), id=f"line{line}")
    for line, names in EXPECTED["evidence_named"].items()])
def test_row_cites_named_evidence(line: int, names: list[str], graph: Graph,
                                  results: dict[int, URIRef]) -> None:
    cited = {_label(graph, e) for e in graph.objects(results[line], GOVKG.citesEvidence)}
    assert set(names) <= cited


def test_evidence_items_are_cut_at_known_kinds_and_never_inside_one(
        gazetteers: Gazetteers) -> None:
    """Where a cell's list ran together, a kind of evidence the vocabulary knows is one
    item: the reader cuts where one ends and the next word is capitalised or begins another
    known kind, and never inside one. (Made-up cell text of a made-up council.)"""
    text = ("annual report corporate plan Risk management strategy Testshire management "
            "Agreement Staff survey")
    cut = cells.split_items(text, cells.EVIDENCE_RULES, kinds=gazetteers.evidence_kinds)
    assert [text[s:e] for s, e in cut] == [
        "annual report", "corporate plan", "Risk management strategy",
        "Testshire management Agreement", "Staff survey"]
    # without the vocabulary, the cell's case is all there is to go by
    assert len(cells.split_items(text, cells.EVIDENCE_RULES)) == 4


def test_a_grade_goes_on_a_year_a_sentence_or_a_quoted_title_begins_anew() -> None:
    text = ('Member training, including level 5 Peer review notes Annual Report 2024 '
            'Residents newsletter "Your Say" Town forum The Plan is published on the web')
    assert [text[s:e] for s, e in cells.split_items(text, cells.EVIDENCE_RULES)] == [
        "Member training, including level 5 Peer review notes", "Annual Report 2024",
        "Residents newsletter", '"Your Say"', "Town forum", "The Plan is published on the web"]


# ------------------------------------------------------------------ scores


@pytest.mark.parametrize("principle", sorted(EXPECTED["scores_by_principle"]))
def test_scores_by_principle(principle: str, graph: Graph, results: dict[int, URIRef],
                             vocabulary: Graph) -> None:
    scores = []
    for line in sorted(results):
        items = list(graph.objects(results[line], GOVKG.assesses))
        if items and all(F2007[principle] in vocabulary.transitive_objects(i, SKOS.broader)
                         for i in items):
            scores.append(int(graph.value(results[line], GOVKG.score).toPython()))
    assert scores == EXPECTED["scores_by_principle"][principle]


def test_score_histogram(graph: Graph) -> None:
    scores = Counter(str(int(s.toPython())) for s in graph.objects(None, GOVKG.score))
    assert dict(scores) == EXPECTED["score_histogram"]


def test_every_requirement_but_one_is_assessed(graph: Graph, vocabulary: Graph) -> None:
    requirements = requirements_2007(vocabulary)
    assessed = {requirement_number(i) for i in graph.objects(None, GOVKG.assesses)}
    assert len(assessed) == EXPECTED["counts"]["requirements_assessed"]
    assert requirements - assessed == {"2.3.6"}


# ------------------------------------------------------------------ plans and progress


def test_plans_have_their_progress(graph: Graph) -> None:
    plans = set(graph.subjects(GOVKG.targetPeriod, Literal(EXPECTED["document"]["period"])))
    without = [p for p in plans if graph.value(p, GOVKG.progress) is None]
    assert len(without) == EXPECTED["counts"]["plans_without_progress"]
    assert not any(graph.value(p, GOVKG.leadPost) for p in plans)


@pytest.mark.parametrize(("line", "plans"), [
    pytest.param(int(line), plans, id=f"line{line}")
    for line, plans in EXPECTED["progress_paired"].items()])
def test_numbered_progress_is_paired_with_each_plan(line: int, plans: int, graph: Graph,
                                                    results: dict[int, URIRef]) -> None:
    actions = _actions(graph, results[line], EXPECTED["document"]["period"])
    progress = {str(graph.value(a, GOVKG.progress)) for a in actions}
    assert len(actions) == plans
    assert len(progress) == plans  # each plan its own progress, not the whole cell


# ------------------------------------------------------------------ lead officers


@pytest.mark.parametrize(("name", "count"), list(EXPECTED["actions_led"].items()),
                         ids=list(EXPECTED["actions_led"]))
def test_actions_led(name: str, count: int, graph: Graph) -> None:
    agents = [a for a in set(graph.subjects(GOVKG.leads, None)) if _label(graph, a) == name]
    assert len(agents) == 1
    assert len(set(graph.objects(agents[0], GOVKG.leads))) == count
    if name not in EXPECTED["bodies"]:
        assert len(set(graph.subjects(GOVKG.leadPost, agents[0]))) == count


def test_who_leads_the_most(graph: Graph) -> None:
    led = Counter({_label(graph, a): len(set(graph.objects(a, GOVKG.leads)))
                   for a in set(graph.subjects(GOVKG.leads, None))})
    (name, count), (_, runner_up) = led.most_common(2)
    assert (name, count) == (EXPECTED["leads_most"]["name"], EXPECTED["leads_most"]["actions"])
    assert runner_up < count


@pytest.mark.parametrize(("name", "spellings"), list(EXPECTED["post_spellings"].items()),
                         ids=list(EXPECTED["post_spellings"]))
def test_lead_posts_with_their_spellings_and_role(name: str, spellings: list[str],
                                                  graph: Graph) -> None:
    posts = [p for p in typed(graph, ORG.Post) if _label(graph, p) == name]
    assert len(posts) == 1
    assert {str(s) for s in graph.objects(posts[0], SKOS.altLabel)} == set(spellings)
    # The column header makes each a lead officer; the document assigns no other role.
    assert set(graph.objects(posts[0], ORG.role)) == {ROLE["lead-officer"]}


# ------------------------------------------------------------------ bodies and responsibilities


@pytest.mark.parametrize(("name", "functions"), list(EXPECTED["bodies"].items()),
                         ids=list(EXPECTED["bodies"]))
def test_bodies_and_their_functions(name: str, functions: list[str], graph: Graph) -> None:
    bodies = [b for b in typed(graph, GOVKG.Body) if _label(graph, b) == name]
    assert len(bodies) == 1
    assert set(graph.objects(bodies[0], GOVKG.hasFunction)) == {BODY_FUNCTION[f]
                                                                for f in functions}


@pytest.mark.parametrize("name", EXPECTED["partnership_bodies"]["names"])
def test_partnership_bodies_are_not_the_councils(name: str, graph: Graph) -> None:
    assert not [b for b in typed(graph, GOVKG.Body) if _label(graph, b) == name]


@pytest.mark.parametrize("statement", EXPECTED["responsibilities"]["stated"],
                         ids=lambda s: f"{s[0]} {s[1]}")
def test_stated_responsibilities(statement: list[str], graph: Graph) -> None:
    agent_name, kind, regarding_name = statement
    found = [r for r in graph.subjects(GOVKG.responsibilityKind, RESPONSIBILITY_KIND[kind])
             if _label(graph, graph.value(r, GOVKG.agent)) == agent_name
             and _label(graph, graph.value(r, GOVKG.regarding)) == regarding_name]
    assert len(found) == 1
    assert (graph.value(found[0], GOVKG.regarding), RDF.type, GOVKG.Evidence) in graph


@pytest.mark.parametrize(("label", "kind"), list(EXPECTED["evidence_kinds"].items()),
                         ids=list(EXPECTED["evidence_kinds"]))
def test_evidence_kinds(label: str, kind: str, graph: Graph) -> None:
    evidence = [e for e in typed(graph, GOVKG.Evidence) if _label(graph, e) == label]
    assert len(evidence) == 1
    assert EVIDENCE_KIND[kind] in set(graph.objects(evidence[0], GOVKG.evidenceKind))


# ------------------------------------------------------------------ provenance
