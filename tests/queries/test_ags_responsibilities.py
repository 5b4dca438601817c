"""``ags-responsibilities`` finds who signs, approves or answers for the Annual Governance
Statement however a document says it: a responsibility regarding a statement, regarding
something of the statement's evidence kind, or regarding the evidence kind itself ("the
Leader signs the annual governance statement", with no statement of a year named). The
last branch once compared ``?about`` inside a ``FILTER`` of an otherwise empty group, where
it is never bound, so it matched nothing. Made-up council, real embedded Oxigraph store."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from govkg.graph.build import Source, plan, write
from govkg.graph.querylib import load_queries
from govkg.graph.store import Store, open_store

GOVKG = Namespace("https://w3id.org/govkg/def/")
ID = "https://w3id.org/govkg/id/"
COUNCIL = URIRef(ID + "council/upper-example-district-council")
AGS_KIND = URIRef(ID + "evidence-kind/annual-governance-statement")
GRAPH = URIRef(ID + "document/upper-example-code")


def _responsibility(name: str, agent: str, kind: str, about: URIRef
                    ) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    node = URIRef(f"{COUNCIL}/responsibility/{name}")
    post = URIRef(f"{COUNCIL}/post/{agent}")
    return [(node, RDF.type, GOVKG.Responsibility), (node, GOVKG.council, COUNCIL),
            (node, GOVKG.agent, post), (post, RDFS.label, Literal(agent.replace("-", " "))),
            (node, GOVKG.responsibilityKind, URIRef(ID + f"responsibility-kind/{kind}")),
            (node, GOVKG.regarding, about)]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    statement = URIRef(f"{COUNCIL}/evidence/annual-governance-statement")
    triples = [(COUNCIL, RDF.type, GOVKG.Council),
               (COUNCIL, SKOS.prefLabel, Literal("Upper Example District Council", lang="en")),
               (statement, GOVKG.evidenceKind, AGS_KIND),
               *_responsibility("leader-signs", "leader", "signs", AGS_KIND),
               *_responsibility("committee-approves", "audit-committee", "approves", statement),
               *_responsibility("officer-leads-budget", "treasurer", "leads",
                                URIRef(f"{COUNCIL}/evidence/budget"))]
    opened = open_store(tmp_path_factory.mktemp("ags") / "store", build_if_new=False)
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    write(opened, [*plan([]), Source(str(GRAPH), "made-up code", graph)])
    yield opened
    opened.close()


def test_every_way_of_naming_the_statement_is_found(store: Store) -> None:
    query = load_queries()["ags-responsibilities"]
    rows = store.query(query.text, query.bindings({}))
    found = {(str(row["agentLabel"]), str(row["kindLabel"])) for row in rows}
    kinds = {str(row["kindLabel"]) for row in rows}
    assert {agent for agent, _ in found} == {"leader", "audit committee"}
    assert len(kinds) == 2  # the two kinds, labelled from the reference data
    assert all(row["council"] == COUNCIL for row in rows)
