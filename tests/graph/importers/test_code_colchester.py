"""Colchester's Code of Corporate Governance 2019/20 (002), read by the pipeline (the
generic importer: no module of its own).

Every expectation comes from tests/data/expected/colchester-code-002.toml, which records what
a person reading the document found; the document is imported afresh with nothing given but
the file, so detection is tested too. Provenance common to every layout is tested in
test_provenance.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDFS, SKOS, Graph, URIRef
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
    OA,
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

EXPECTED = expected("colchester-code-002")
FILE = EXPECTED["document"]["file"]
ROWS = EXPECTED["rows"]


Colchester = ImportedDocument


@pytest.fixture(scope="module")
def colchester(imported: Callable[[str], tuple[Graph, ImportReport]],
               corpus_dir: Path) -> Colchester:
    return Colchester(*imported(FILE), SourceDocument.read(corpus_dir / FILE))


@pytest.fixture(scope="module")
def graph(colchester: Colchester) -> Graph:
    return colchester.graph


def _key(name: str) -> str:
    """Names compared as the reader compared them: case, punctuation and spacing aside."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).split())


def _lines(graph: Graph, node: Node) -> set[int]:
    return {int(graph.value(span, GOVKG.startLine))
            for span in graph.objects(node, GOVKG.source)}


def _links(graph: Graph, node: Node, method: str) -> list[str]:
    """The numbers of the items ``node`` is linked to by ``method``."""
    return sorted(requirement_number(graph.value(link, GOVKG.linkedItem))
                  for link in graph.objects(node, GOVKG.qualifiedLink)
                  if graph.value(link, GOVKG.linkMethod) == LINK_METHOD[method])


def _commitment(graph: Graph, row: str) -> URIRef:
    """The commitment read from the row opening on the line the reader noted."""
    line = ROWS[row]["line"]
    found = [c for c in typed(graph, GOVKG.Commitment) if min(_lines(graph, c)) == line]
    assert len(found) == 1, f"{len(found)} commitments open on line {line}"
    return found[0]


def _labelled(graph: Graph, cls: Node, name: str) -> URIRef:
    found = [n for n in typed(graph, cls)
             if any(_key(str(label)) == _key(name)
                    for p in (RDFS.label, SKOS.prefLabel) for label in graph.objects(n, p))]
    assert len(found) == 1, f"{len(found)} resources named {name!r}"
    return found[0]


def _starting(graph: Graph, nodes: set[Node], opening: str) -> URIRef:
    found = [n for n in nodes if _key(str(graph.value(n, RDFS.label))).startswith(_key(opening))]
    assert len(found) == 1, f"{len(found)} items open with {opening!r}"
    assert isinstance(found[0], URIRef)
    return found[0]


# ----------------------------------------------------------------------------- detection


def test_document_title_period_council_and_framework(graph: Graph,
                                                     colchester: Colchester) -> None:
    document, doc = EXPECTED["document"], colchester.doc.iri
    assert str(graph.value(doc, DCTERMS.title)) == document["title"]
    assert str(graph.value(doc, GOVKG.period)) == document["period"]
    assert _lines(graph, doc) == {document["title_line"]}
    assert graph.value(doc, GOVKG.council) == colchester.report.council.iri
    assert (doc, GOVKG.followsFramework, FRAMEWORK["cipfa-solace-2007"]) in graph


# ----------------------------------------------------------------------------- counts


COUNTED = {"commitments": GOVKG.Commitment, "evidence": GOVKG.Evidence,
           "further_work": GOVKG.FurtherWork, "bodies": GOVKG.Body, "posts": ORG.Post,
           "responsibilities": GOVKG.Responsibility}


@pytest.mark.parametrize("key", COUNTED)
def test_resource_counts(graph: Graph, key: str) -> None:
    assert len(typed(graph, COUNTED[key])) == EXPECTED["counts"][key]


def test_evidence_citations(graph: Graph) -> None:
    cited = list(graph.triples((None, GOVKG.citesEvidence, None)))
    assert len(cited) == EXPECTED["counts"]["evidence_citations"]


# ----------------------------------------------------------------------------- principles


@pytest.mark.parametrize("principle", sorted(EXPECTED["principles"]))
def test_document_addresses_principle_and_aims_by_number(graph: Graph, colchester: Colchester,
                                                         principle: str) -> None:
    wanted = EXPECTED["principles"][principle]
    found = [n for n in _links(graph, colchester.doc.iri, "by-number")
             if n == principle or n.startswith(f"{principle}.")]
    assert found == sorted([principle, *wanted["aims"]])
    link = next(link for link in graph.objects(colchester.doc.iri, GOVKG.qualifiedLink)
                if graph.value(link, GOVKG.linkedItem) == F2007[principle])
    assert _lines(graph, link) == {wanted["line"]}


def test_document_links_only_principles_and_aims(graph: Graph, colchester: Colchester) -> None:
    linked = _links(graph, colchester.doc.iri, "by-number")
    assert len([n for n in linked if "." not in n]) == EXPECTED["counts"]["principles"]
    assert len([n for n in linked if n.count(".") == 1]) == \
        EXPECTED["counts"]["supporting_principles"]
    assert len(linked) == len(list(graph.objects(colchester.doc.iri, GOVKG.addresses)))


# ----------------------------------------------------------------------------- commitments


@pytest.mark.parametrize("row", ROWS)
def test_row_links_by_number_and_text(graph: Graph, row: str) -> None:
    commitment = _commitment(graph, row)
    assert _links(graph, commitment, "by-number") == ROWS[row]["by_number"]
    assert _links(graph, commitment, "by-text") == ROWS[row].get("by_text", [])
    assert {requirement_number(i) for i in graph.objects(commitment, GOVKG.addresses)} == \
        {*ROWS[row]["by_number"], *ROWS[row].get("by_text", [])}


@pytest.mark.parametrize("row", ROWS)
def test_row_evidence_and_further_work_counts(graph: Graph, row: str) -> None:
    commitment = _commitment(graph, row)
    assert len(list(graph.objects(commitment, GOVKG.citesEvidence))) == ROWS[row]["evidence"]
    assert len(list(graph.objects(commitment, GOVKG.hasFurtherWork))) == \
        ROWS[row]["further_work"]


def test_requirements_numbered_addressed_and_left_out(graph: Graph, vocabulary: Graph) -> None:
    commitments = typed(graph, GOVKG.Commitment)
    numbered = [n for c in commitments for n in _links(graph, c, "by-number")]
    addressed = {requirement_number(i)
                 for c in commitments for i in graph.objects(c, GOVKG.addresses)}
    assert len(numbered) == len(set(numbered)) == EXPECTED["counts"]["requirement_numbers"]
    assert len(addressed) == EXPECTED["counts"]["requirements_addressed"]
    left_out = set(EXPECTED["counts"]["requirements_not_addressed"])
    assert requirements_2007(vocabulary) - addressed == left_out


def test_commitment_labels_are_the_wording_alone(graph: Graph) -> None:
    """No requirement number, column header or table debris in a label."""
    for commitment in typed(graph, GOVKG.Commitment):
        label = str(graph.value(commitment, RDFS.label))
        assert label == label.strip() and label[0].isupper(), label
        assert not re.search(r"\d\.\d\.\d|In order to achieve|continued|[<>\t]|\s{2}", label)


def test_links_record_method_and_score(graph: Graph) -> None:
    for link in typed(graph, GOVKG.ItemLink):
        score = float(graph.value(link, GOVKG.matchScore))
        assert graph.value(link, GOVKG.linkMethod) in {LINK_METHOD["by-number"],
                                                         LINK_METHOD["by-text"]}
        assert 85 <= score <= 100


# ----------------------------------------------------------------------------- evidence


@pytest.mark.parametrize("row", EXPECTED["evidence_of"])
def test_evidence_of_row(graph: Graph, row: str) -> None:
    cited = graph.objects(_commitment(graph, row), GOVKG.citesEvidence)
    found = sorted(_key(str(graph.value(e, RDFS.label))) for e in cited)
    assert found == sorted(_key(name) for name in EXPECTED["evidence_of"][row])


@pytest.mark.parametrize(("name", "kind"), EXPECTED["evidence_kinds"].items())
def test_evidence_kind(graph: Graph, name: str, kind: str) -> None:
    evidence = _labelled(graph, GOVKG.Evidence, name)
    assert EVIDENCE_KIND[kind] in set(graph.objects(evidence, GOVKG.evidenceKind))


def test_each_evidence_has_one_label(graph: Graph) -> None:
    for evidence in typed(graph, GOVKG.Evidence):
        assert len(list(graph.objects(evidence, RDFS.label))) == 1, evidence


def test_no_role_holder_or_lone_name_is_evidence(graph: Graph) -> None:
    names = [p["name"] for p in EXPECTED["posts"]] + [b["name"] for b in EXPECTED["bodies"]]
    for evidence in typed(graph, GOVKG.Evidence):
        label = _key(str(graph.value(evidence, RDFS.label)))
        assert "is the council s" not in label and "designated head" not in label, label
        assert label not in {_key(n) for n in names}, label


@pytest.mark.parametrize("word", EXPECTED["noise"]["words"])
def test_scanning_debris_reaches_no_label(graph: Graph, word: str) -> None:
    for node, label in graph.subject_objects(RDFS.label):
        assert word not in str(label), (node, str(label))


# ----------------------------------------------------------------------------- names


@pytest.mark.parametrize("post", EXPECTED["posts"], ids=lambda p: p["name"])
def test_posts_and_their_roles(graph: Graph, post: dict[str, Any]) -> None:
    node = _labelled(graph, ORG.Post, str(post["name"]))
    assert {str(r).removeprefix(str(ROLE)) for r in graph.objects(node, ORG.role)} == \
        set(post["roles"])
    if "assigned_line" in post:
        assert post["assigned_line"] in _lines(graph, node)


@pytest.mark.parametrize("body", EXPECTED["bodies"], ids=lambda b: b["name"])
def test_bodies_and_their_functions(graph: Graph, body: dict[str, Any]) -> None:
    node = _labelled(graph, GOVKG.Body, str(body["name"]))
    functions = {str(f).removeprefix(str(BODY_FUNCTION))
                 for f in graph.objects(node, GOVKG.hasFunction)}
    assert functions == set(body["functions"])


def test_bodies_of_the_framework_wording_are_not_made_up(graph: Graph) -> None:
    """The requirements mention a Standards Committee and an Audit Committee; Colchester
    has neither (its Governance and Audit Committee does both)."""
    names = {_key(str(graph.value(b, SKOS.prefLabel))) for b in typed(graph, GOVKG.Body)}
    assert not names & {"standards committee", "audit committee"}


def _agent(graph: Graph, name: str) -> URIRef:
    if name.startswith("role:"):
        return ROLE[name.removeprefix("role:")]
    posts = [p for p in typed(graph, ORG.Post) if _key(str(graph.value(p, SKOS.prefLabel)))
             == _key(name)]
    return posts[0] if posts else _labelled(graph, GOVKG.Body, name)


def _regarding(graph: Graph, doc: SourceDocument, name: str) -> URIRef:
    kind, _, rest = name.partition(":")
    if name == "document":
        return doc.iri
    if kind == "topic":
        return TOPIC[rest]
    if kind == "evidence":
        return _labelled(graph, GOVKG.Evidence, rest)
    if kind == "body":
        return _labelled(graph, GOVKG.Body, rest)
    if kind in {"evidence-of", "further-work-of"}:
        row, _, opening = rest.partition(":")
        prop = GOVKG.citesEvidence if kind == "evidence-of" else GOVKG.hasFurtherWork
        return _starting(graph, set(graph.objects(_commitment(graph, row), prop)), opening)
    return F2007[name]


@pytest.mark.parametrize("duty", EXPECTED["responsibilities"],
                         ids=lambda d: f"{d['agent']}-{d['kind']}-{d['regarding'][:40]}")
def test_responsibilities(graph: Graph, colchester: Colchester, duty: dict[str, Any]) -> None:
    agent = _agent(graph, str(duty["agent"]))
    regarding = _regarding(graph, colchester.doc, str(duty["regarding"]))
    kind = RESPONSIBILITY_KIND[str(duty["kind"])]
    found = [r for r in graph.subjects(GOVKG.agent, agent)
             if (r, GOVKG.responsibilityKind, kind) in graph
             and (r, GOVKG.regarding, regarding) in graph]
    assert len(found) == 1
    assert _lines(graph, found[0]) == set(duty["lines"])
    assert (agent, RESPONSIBILITY_PROPERTIES[str(duty["kind"])], regarding) in graph


# ----------------------------------------------------------------------------- provenance
# (That every resource cites the document and every quote is the text at its lines is
# tested for all corpus documents in test_provenance.py.)


def test_evidence_quotes_are_single_items(graph: Graph) -> None:
    """An evidence item's quote is that item, not the whole run-together cell."""
    for evidence in typed(graph, GOVKG.Evidence):
        label = _key(str(graph.value(evidence, RDFS.label)))
        for span in graph.objects(evidence, GOVKG.source):
            quote = next(str(graph.value(s, OA.exact)) for s in graph.objects(span, OA.hasSelector)
                         if graph.value(s, OA.exact) is not None)
            assert "\t" not in quote
            assert len(_key(quote)) <= len(label) + 12, (label, quote)
