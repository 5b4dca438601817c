"""Leicestershire County Council's Local Code of Corporate Governance (001), read by the
one pipeline (:mod:`govkg.graph.importers.generic`), which replaced the layout module
written for this document alone.

Every expectation comes from tests/data/expected/leicestershire-code-001.toml, which
records what a person reading the document found; the document is imported afresh with
nothing given but the file, so detection is tested too.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.builder import RESPONSIBILITY_PROPERTIES
from govkg.graph.importers.cues import load_cues
from govkg.graph.importers.pipeline import ImportReport
from govkg.graph.namespaces import (
    BODY_FUNCTION,
    EVIDENCE_KIND,
    F2016,
    FRAMEWORK,
    GOVKG,
    LINK_METHOD,
    RESPONSIBILITY_KIND,
    ROLE,
    TOPIC,
)
from tests.graph.importers.conftest import expected

EXPECTED = expected("leicestershire-code-001")
FILE = EXPECTED["document"]["file"]
ROWS: list[dict[str, Any]] = EXPECTED["rows"]
RESPONSIBILITIES: list[dict[str, Any]] = EXPECTED["responsibilities"]
#: a row's wording links to its sub-principle(s) by text at least this well
MIN_ROW_SCORE = load_cues().threshold("section_wording")

Imported = tuple[Graph, ImportReport]


@pytest.fixture(scope="module")
def graph(imported: Callable[[str], Imported]) -> Graph:
    """The document's named graph, imported with nothing given but the file."""
    return imported(FILE)[0]


@pytest.fixture(scope="module")
def doc(corpus_dir: Path) -> SourceDocument:
    return SourceDocument.read(corpus_dir / FILE)


def _lines(graph: Graph, node: URIRef) -> set[int]:
    """Every line a source span of ``node`` starts on."""
    return {int(graph.value(span, GOVKG.startLine)) for span in graph.objects(node, GOVKG.source)}


def _link(graph: Graph, node: URIRef, item: URIRef) -> tuple[str, float]:
    """How ``node`` was linked to ``item``: the method and the score."""
    links = [link for link in graph.objects(node, GOVKG.qualifiedLink)
             if (link, GOVKG.linkedItem, item) in graph]
    assert len(links) == 1, f"{node} has {len(links)} links to {item}"
    method = str(graph.value(links[0], GOVKG.linkMethod)).removeprefix(str(LINK_METHOD))
    return method, float(graph.value(links[0], GOVKG.matchScore))


def _labelled(graph: Graph, rdf_type: URIRef, label: str) -> URIRef:
    found = [s for s in graph.subjects(RDF.type, rdf_type)
             if any(str(v) == label for p in (SKOS.prefLabel, RDFS.label)
                    for v in graph.objects(s, p))]
    assert len(found) == 1, f"{len(found)} {rdf_type} labelled {label!r}"
    return found[0]


def _commitment(graph: Graph, label: str) -> URIRef:
    return _labelled(graph, GOVKG.Commitment, label)


def _agent(graph: Graph, name: str) -> URIRef:
    kind, _, value = name.partition(":")
    if kind == "role":
        return ROLE[value]
    return _labelled(graph, ORG.Post if kind == "post" else GOVKG.Body, value)


def _regarding(graph: Graph, doc: SourceDocument, node: URIRef) -> str:
    """The expectations' name for what a responsibility regards."""
    if node == doc.iri:
        return "document"
    if str(node).startswith(str(TOPIC)):
        return "topic:" + str(node).removeprefix(str(TOPIC))
    kinds = sorted(str(k).removeprefix(str(EVIDENCE_KIND))
                   for k in graph.objects(node, GOVKG.evidenceKind))
    assert kinds, f"{node} has no evidence kind"
    return "evidence:" + "+".join(kinds)


# --------------------------------------------------------------------------- detection


def test_title_and_date(graph: Graph, doc: SourceDocument) -> None:
    want = EXPECTED["document"]
    assert str(graph.value(doc.iri, DCTERMS.title)) == want["title"]
    assert str(graph.value(doc.iri, DCTERMS.date)) == want["date"]
    assert graph.value(doc.iri, GOVKG.followsFramework) == FRAMEWORK["cipfa-solace-2016"]
    assert {want["title_line"], want["date_line"]} <= _lines(graph, doc.iri)


# --------------------------------------------------------------------------- counts


@pytest.mark.parametrize(("counted", "rdf_type"), [
    pytest.param("commitments", GOVKG.Commitment, id="commitments"),
    pytest.param("evidence", GOVKG.Evidence, id="evidence"),
    pytest.param("bodies", GOVKG.Body, id="bodies"),
    pytest.param("posts", ORG.Post, id="posts"),
    pytest.param("responsibilities", GOVKG.Responsibility, id="responsibilities"),
])
def test_count(counted: str, rdf_type: URIRef, graph: Graph) -> None:
    assert len(set(graph.subjects(RDF.type, rdf_type))) == EXPECTED["counts"][counted]


def test_every_bullet_is_cited_evidence(graph: Graph) -> None:
    cited = set(graph.objects(None, GOVKG.citesEvidence))
    assert len(cited) == EXPECTED["counts"]["bullets"]
    assert sum(1 for _ in graph.subject_objects(GOVKG.citesEvidence)) == \
        EXPECTED["counts"]["bullets"]


def test_document_addresses_each_principle_by_its_heading(graph: Graph,
                                                          doc: SourceDocument) -> None:
    principles = {str(p).removeprefix(str(F2016)) for p in graph.objects(doc.iri,
                                                                          GOVKG.addresses)}
    assert principles == set(EXPECTED["principles"])
    assert len(principles) == EXPECTED["counts"]["principles"]
    for letter, line in EXPECTED["principles"].items():
        assert _link(graph, doc.iri, F2016[letter]) == ("by-number", 100.0)
        link = next(k for k in graph.objects(doc.iri, GOVKG.qualifiedLink)
                    if (k, GOVKG.linkedItem, F2016[letter]) in graph)
        assert _lines(graph, link) == {line}


def test_every_subprinciple_is_addressed(graph: Graph, vocabulary: Graph) -> None:
    addressed = {i for c in graph.subjects(RDF.type, GOVKG.Commitment)
                 for i in graph.objects(c, GOVKG.addresses)
                 if (i, RDF.type, GOVKG.SubPrinciple) in vocabulary}
    assert len(addressed) == EXPECTED["counts"]["subprinciples_addressed"]


# --------------------------------------------------------------------------- rows


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["label"][:30])
def test_row_addresses_its_subprinciples_by_text(row: dict[str, Any], graph: Graph) -> None:
    node = _commitment(graph, row["label"])
    items = {str(i).removeprefix(str(F2016)) for i in graph.objects(node, GOVKG.addresses)}
    assert items == {row["principle"], *row["items"]}
    for item in row["items"]:
        method, score = _link(graph, node, F2016[item])
        assert method == "by-text"
        assert score >= MIN_ROW_SCORE


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["label"][:30])
def test_row_sits_under_its_principle(row: dict[str, Any], graph: Graph) -> None:
    node = _commitment(graph, row["label"])
    assert _link(graph, node, F2016[row["principle"]]) == ("by-structure", 100.0)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["label"][:30])
def test_row_cites_one_evidence_per_bullet(row: dict[str, Any], graph: Graph) -> None:
    node = _commitment(graph, row["label"])
    assert len(set(graph.objects(node, GOVKG.citesEvidence))) == row["bullets"]


@pytest.mark.parametrize("row", ROWS, ids=lambda r: r["label"][:30])
def test_row_is_read_from_its_wording(row: dict[str, Any], graph: Graph) -> None:
    assert _lines(graph, _commitment(graph, row["label"])) == set(row["lines"])


@pytest.mark.parametrize("wrapped", EXPECTED["wrapped_bullets"], ids=lambda w: w["starts"][:20])
def test_wrapped_bullet_is_one_evidence_read_from_every_line(wrapped: dict[str, Any],
                                                             graph: Graph) -> None:
    found = [e for e in graph.subjects(RDF.type, GOVKG.Evidence)
             if str(graph.value(e, RDFS.label)).startswith(wrapped["starts"])]
    assert len(found) == 1
    assert _lines(graph, found[0]) == set(wrapped["lines"])


def test_evidence_labels_carry_no_markup(graph: Graph) -> None:
    labels = [str(graph.value(e, RDFS.label)) for e in graph.subjects(RDF.type, GOVKG.Evidence)]
    assert [label for label in labels if any(m in label for m in ("**", "•", "<", ">"))] == []


def test_evidence_kinds_named_in_bullets(graph: Graph) -> None:
    found = {str(k).removeprefix(str(EVIDENCE_KIND))
             for k in graph.objects(None, GOVKG.evidenceKind)}
    assert set(EXPECTED["evidence"]["kinds"]) - found == set()


# --------------------------------------------------------------------------- names


@pytest.mark.parametrize("name", sorted(EXPECTED["posts"]))
def test_post_holds_the_roles_the_text_gives_it(name: str, graph: Graph) -> None:
    want = EXPECTED["posts"][name]
    post = _labelled(graph, ORG.Post, name)
    roles = {str(r).removeprefix(str(ROLE)) for r in graph.objects(post, ORG.role)}
    assert roles == set(want["roles"])
    assert set(want["lines"]) <= _lines(graph, post)


@pytest.mark.parametrize("name", EXPECTED["not_posts"]["names"])
def test_role_names_and_name_fragments_are_not_posts(name: str, graph: Graph) -> None:
    labels = {str(v) for p in graph.subjects(RDF.type, ORG.Post)
              for v in graph.objects(p, SKOS.prefLabel)}
    assert name not in labels


@pytest.mark.parametrize("name", sorted(EXPECTED["bodies"]))
def test_body_has_the_functions_the_text_gives_it(name: str, graph: Graph) -> None:
    want = EXPECTED["bodies"][name]
    body = _labelled(graph, GOVKG.Body, name)
    functions = {str(f).removeprefix(str(BODY_FUNCTION))
                 for f in graph.objects(body, GOVKG.hasFunction)}
    assert functions == set(want["functions"])
    assert ((body, ORG.unitOf, None) in graph) == want["unit_of_council"]


@pytest.mark.parametrize("name", EXPECTED["not_bodies"]["names"])
def test_bodies_not_the_councils_are_left_out(name: str, graph: Graph) -> None:
    labels = {str(v) for b in graph.subjects(RDF.type, GOVKG.Body)
              for v in graph.objects(b, SKOS.prefLabel)}
    assert name not in labels


# --------------------------------------------------------------------------- responsibilities


def test_responsibilities_are_exactly_those_read(graph: Graph, doc: SourceDocument) -> None:
    found = set()
    for node in graph.subjects(RDF.type, GOVKG.Responsibility):
        kind = str(graph.value(node, GOVKG.responsibilityKind))
        found.add((graph.value(node, GOVKG.agent), kind.removeprefix(str(RESPONSIBILITY_KIND)),
                   _regarding(graph, doc, graph.value(node, GOVKG.regarding))))
    want = {(_agent(graph, r["agent"]), r["kind"], r["regarding"]) for r in RESPONSIBILITIES}
    assert found == want


@pytest.mark.parametrize("want", RESPONSIBILITIES,
                         ids=lambda r: f"{r['agent']}-{r['kind']}-{r['regarding']}")
def test_responsibility_is_stated_directly_and_read_from_its_lines(
        want: dict[str, Any], graph: Graph, doc: SourceDocument) -> None:
    agent = _agent(graph, want["agent"])
    matches = [n for n in graph.subjects(GOVKG.agent, agent)
               if graph.value(n, GOVKG.responsibilityKind) == RESPONSIBILITY_KIND[want["kind"]]
               and _regarding(graph, doc, graph.value(n, GOVKG.regarding)) == want["regarding"]]
    assert len(matches) == 1
    node = matches[0]
    assert (agent, RESPONSIBILITY_PROPERTIES[want["kind"]],
            graph.value(node, GOVKG.regarding)) in graph
    assert _lines(graph, node) == set(want["lines"])


# --------------------------------------------------------------------------- provenance
