"""Kent County Council's Code of Corporate Governance (000), read by the one pipeline.

Kent lays its code out as one table per core principle, each row's cells run together
(supporting principles in the first column, commitments in the second, policies and plans
in the third); no module of its own reads it any more. Every expectation comes from
tests/data/expected/kent-code-000.toml, which records what a person reading the document
found; the document is imported afresh, with nothing given but the file, so detection is
tested too.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG
from rdflib.term import Node

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.builder import RESPONSIBILITY_PROPERTIES
from govkg.graph.importers.pipeline import ImportReport
from govkg.graph.namespaces import (
    BODY_FUNCTION,
    EVIDENCE_KIND,
    F2007,
    FRAMEWORK,
    GOVKG,
    LINK_METHOD,
    RESPONSIBILITY_KIND,
    ROLE,
    TOPIC,
)
from tests.graph.importers.conftest import (
    ImportedDocument,
    expected,
    requirement_number,
    requirements_2007,
    typed,
)

EXPECTED = expected("kent-code-000")
FILE = EXPECTED["document"]["file"]
PRINCIPLES = sorted(EXPECTED["commitments"])

Kent = ImportedDocument


@pytest.fixture(scope="module")
def kent(imported: Callable[[str], tuple[Graph, ImportReport]], corpus_dir: Path) -> Kent:
    return Kent(*imported(FILE), SourceDocument.read(corpus_dir / FILE))


@pytest.fixture(scope="module")
def graph(kent: Kent) -> Graph:
    return kent.graph


def _key(name: str) -> str:
    """Titles compared as the document's reader compared them: case, '&'/'and', broken
    hyphens and punctuation aside."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split())


def _method(graph: Graph, node: Node, item: Node) -> str:
    links = [link for link in graph.objects(node, GOVKG.qualifiedLink)
             if (link, GOVKG.linkedItem, item) in graph]
    assert len(links) == 1, f"{node} has {len(links)} links to {item}"
    return str(graph.value(links[0], GOVKG.linkMethod)).removeprefix(str(LINK_METHOD))


def _commitments(graph: Graph, principle: str) -> list[Node]:
    """The commitments sitting in the table of ``principle`` (by their structural link)."""
    return [c for c in graph.subjects(RDF.type, GOVKG.Commitment)
            if (c, GOVKG.addresses, F2007[principle]) in graph
            and _method(graph, c, F2007[principle]) == "by-structure"]


def _requirements(graph: Graph, node: Node) -> list[str]:
    """The 2007 specific requirements (numbered n.n.n) that ``node`` addresses."""
    return sorted(requirement_number(i) for i in graph.objects(node, GOVKG.addresses)
                  if re.fullmatch(r"\d\.\d+\.\d+", requirement_number(i)))


def _body(graph: Graph, name: str) -> URIRef:
    found = [b for b in typed(graph, GOVKG.Body)
             if str(graph.value(b, SKOS.prefLabel)) == name]
    assert len(found) == 1, f"{len(found)} bodies named {name!r}"
    return found[0]


def _lines(graph: Graph, node: Node) -> set[int]:
    return {int(graph.value(span, GOVKG.startLine))
            for span in graph.objects(node, GOVKG.source)}


# ----------------------------------------------------------------------------- detection


def test_read_by_the_pipeline_as_a_local_code(kent: Kent) -> None:
    assert kent.report.layout == "generic"
    assert kent.report.kind.value == EXPECTED["document"]["kind"]
    assert kent.report.kind.confidence >= EXPECTED["detection"]["min_fit"]


def test_document_title_framework_and_no_date(graph: Graph, kent: Kent) -> None:
    document = EXPECTED["document"]
    assert str(graph.value(kent.doc.iri, DCTERMS.title)) == document["title"]
    assert _lines(graph, kent.doc.iri) == {document["title_line"]}
    assert (kent.doc.iri, GOVKG.followsFramework, FRAMEWORK["cipfa-solace-2007"]) in graph
    assert (graph.value(kent.doc.iri, DCTERMS.date) is not None) == document["dated"]


# ----------------------------------------------------------------------------- counts


COUNTED = {"commitments": GOVKG.Commitment, "evidence": GOVKG.Evidence, "bodies": GOVKG.Body,
           "posts": ORG.Post, "responsibilities": GOVKG.Responsibility}


@pytest.mark.parametrize("key", COUNTED)
def test_resource_counts(graph: Graph, key: str) -> None:
    assert len(typed(graph, COUNTED[key])) == EXPECTED["counts"][key]


# ----------------------------------------------------------------------------- principles


def test_document_addresses_every_principle_by_number(graph: Graph, kent: Kent) -> None:
    principles = [i for i in graph.objects(kent.doc.iri, GOVKG.addresses)
                  if requirement_number(i).isdigit()]
    assert sorted(requirement_number(p) for p in principles) == PRINCIPLES
    assert len(principles) == EXPECTED["counts"]["principles"]
    assert {_method(graph, kent.doc.iri, p) for p in principles} == {"by-number"}


@pytest.mark.parametrize("principle", PRINCIPLES)
def test_document_addresses_supporting_principles_by_text(graph: Graph, kent: Kent,
                                                          principle: str) -> None:
    wanted = EXPECTED["supporting_principles"][principle]
    found = sorted(requirement_number(i) for i in graph.objects(kent.doc.iri, GOVKG.addresses)
                   if re.fullmatch(rf"{principle}\.\d+", requirement_number(i)))
    assert found == wanted
    assert {_method(graph, kent.doc.iri, F2007[n]) for n in found} == {"by-text"}


def test_supporting_principle_count(graph: Graph, kent: Kent) -> None:
    found = [i for i in graph.objects(kent.doc.iri, GOVKG.addresses)
             if re.fullmatch(r"\d\.\d+", requirement_number(i))]
    assert len(found) == EXPECTED["counts"]["supporting_principles"]


# ----------------------------------------------------------------------------- commitments


@pytest.mark.parametrize("principle", PRINCIPLES)
def test_commitments_address_the_requirements_read(graph: Graph, principle: str) -> None:
    """Each commitment of a table addresses the requirement(s) its wording paraphrases;
    requirement numbers ascend with the order of the column, so sorting both sides keeps
    the comparison commitment by commitment."""
    found = sorted(_requirements(graph, c) for c in _commitments(graph, principle))
    assert found == sorted(EXPECTED["commitments"][principle])


def test_every_commitment_sits_in_one_principle_table(graph: Graph) -> None:
    commitments = typed(graph, GOVKG.Commitment)
    in_tables = [str(c) for p in PRINCIPLES for c in _commitments(graph, p)]
    assert sorted(in_tables) == sorted(str(c) for c in commitments)


def test_requirement_links_are_by_text_with_a_score(graph: Graph) -> None:
    for commitment in typed(graph, GOVKG.Commitment):
        for link in graph.objects(commitment, GOVKG.qualifiedLink):
            item = graph.value(link, GOVKG.linkedItem)
            score = float(graph.value(link, GOVKG.matchScore))
            if requirement_number(item).count(".") == 2:
                assert graph.value(link, GOVKG.linkMethod) == LINK_METHOD["by-text"]
                assert 0 < score <= 100
            else:
                assert graph.value(link, GOVKG.linkMethod) == LINK_METHOD["by-structure"]
                assert score == 100


def test_requirements_addressed_and_left_out(graph: Graph, vocabulary: Graph) -> None:
    addressed = {n for c in typed(graph, GOVKG.Commitment) for n in _requirements(graph, c)}
    assert len(addressed) == EXPECTED["counts"]["requirements_addressed"]
    left_out = set(EXPECTED["counts"]["requirements_not_addressed"])
    assert requirements_2007(vocabulary) - addressed == left_out


def test_commitment_labels_are_clean_text(graph: Graph) -> None:
    for commitment in typed(graph, GOVKG.Commitment):
        label = str(graph.value(commitment, RDFS.label))
        assert label and label == label.strip()
        assert not re.search(r"[<>\t·]|\s{2}", label), label


# ----------------------------------------------------------------------------- evidence


@pytest.mark.parametrize("principle", PRINCIPLES)
def test_evidence_listed_per_principle(graph: Graph, principle: str) -> None:
    commitments = _commitments(graph, principle)
    cited = {frozenset(graph.objects(c, GOVKG.citesEvidence)) for c in commitments}
    assert len(cited) == 1, "every commitment of a table cites the table's evidence"
    labels = {_key(str(graph.value(e, RDFS.label))) for e in next(iter(cited))}
    assert labels == {_key(name) for name in EXPECTED["evidence"][principle]}


def test_evidence_entries_are_cited_where_listed(graph: Graph) -> None:
    spans = sum(len(list(graph.objects(e, GOVKG.source)))
                for e in typed(graph, GOVKG.Evidence))
    assert spans == EXPECTED["counts"]["evidence_entries"]


def test_evidence_labels_are_clean(graph: Graph) -> None:
    for evidence in typed(graph, GOVKG.Evidence):
        label = str(graph.value(evidence, RDFS.label))
        assert not re.search(r"[<>•·]|[A-Za-z\d]- |/ |\s{2}", label), label


def test_constitution_parts(graph: Graph) -> None:
    parts = EXPECTED["constitution_parts"]
    found = {_key(str(graph.value(s, RDFS.label)))
             for s, heading in graph.subject_objects(DCTERMS.isPartOf)
             if _key(str(graph.value(heading, RDFS.label))) == _key(parts["heading"])}
    assert found == {_key(p) for p in parts["parts"]}


@pytest.mark.parametrize(("name", "kind"), EXPECTED["evidence_kinds"].items())
def test_evidence_kind(graph: Graph, name: str, kind: str) -> None:
    found = [e for e in typed(graph, GOVKG.Evidence)
             if _key(str(graph.value(e, RDFS.label))) == _key(name)]
    assert len(found) == 1
    assert EVIDENCE_KIND[kind] in set(graph.objects(found[0], GOVKG.evidenceKind))


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize("body", EXPECTED["bodies"], ids=lambda b: b["name"])
def test_bodies_and_their_functions(graph: Graph, body: dict[str, Any]) -> None:
    node = _body(graph, str(body["name"]))
    functions = {str(f).removeprefix(str(BODY_FUNCTION))
                 for f in graph.objects(node, GOVKG.hasFunction)}
    assert functions == set(body["functions"])
    assert _lines(graph, node) == set(body["lines"])


def test_no_post_and_no_role_assigned(graph: Graph) -> None:
    """Kent names roles but no post that holds them, so none is made up."""
    assert not typed(graph, ORG.Post)
    assert not list(graph.triples((None, ORG.role, None)))


def _agent(graph: Graph, name: str) -> URIRef:
    return ROLE[name.removeprefix("role:")] if name.startswith("role:") else _body(graph, name)


def _regarding(name: str) -> URIRef:
    return TOPIC[name.removeprefix("topic:")] if name.startswith("topic:") else F2007[name]


@pytest.mark.parametrize("duty", EXPECTED["responsibilities"],
                         ids=lambda d: f"{d['agent']}-{d['kind']}-{d['regarding']}")
def test_responsibilities(graph: Graph, duty: dict[str, Any]) -> None:
    agent = _agent(graph, str(duty["agent"]))
    regarding = _regarding(str(duty["regarding"]))
    kind = RESPONSIBILITY_KIND[str(duty["kind"])]
    found = [r for r in graph.subjects(GOVKG.agent, agent)
             if (r, GOVKG.responsibilityKind, kind) in graph
             and (r, GOVKG.regarding, regarding) in graph]
    assert len(found) == 1
    assert _lines(graph, found[0]) == {duty["line"]}
    assert (agent, RESPONSIBILITY_PROPERTIES[str(duty["kind"])], regarding) in graph


# ----------------------------------------------------------------------------- provenance
