"""Derived facts (graph/store/derived.py) are rewritten with the documents they come from,
in the same change, on the embedded store and on a real ``oxigraph serve``: loading a
council's document writes its derived graph, replacing the document rewrites it,
dropping it empties it, readers see old documents with old facts or new with new, and a
load killed with ``kill -9`` leaves the old documents with the old facts."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import PROV, RDFS, SKOS

from govkg.graph.build import build
from govkg.graph.namespaces import (
    COUNCIL,
    DERIVED,
    DOCUMENT,
    EVIDENCE_KIND,
    F2007,
    GOVKG,
    GRAPH,
    OA,
)
from govkg.graph.store import EmbeddedStore, SelectResult, Store
from govkg.graph.store.derived import VOCABULARY_GRAPH, council_graph
from govkg.graph.store.remote import open_remote

from .conftest import Server, clear

C = COUNCIL["testshire-derived"]
DOC = DOCUMENT["derived-test-code"]
DOC_GRAPH = GRAPH["document/derived-test-code"]
LEAF, SUPPORTING, PRINCIPLE = F2007["1.1.1"], F2007["1.1"], F2007["1"]
OTHER_LEAF = F2007["2.1.1"]


def code(addressed: URIRef, padding: int = 0) -> Graph:
    """A local code of council C with one commitment addressing ``addressed``, and
    ``padding`` unrelated statements to make the load as large as wanted."""
    graph = Graph()
    graph.add((DOC, RDF.type, GOVKG.LocalCode))
    graph.add((DOC, GOVKG.council, C))
    commitment = URIRef(f"{DOC}/commitment/1")
    graph.add((commitment, RDF.type, GOVKG.Commitment))
    graph.add((commitment, GOVKG.council, C))
    graph.add((commitment, GOVKG.addresses, addressed))
    graph.add((commitment, PROV.wasDerivedFrom, DOC))
    for i in range(padding):
        graph.add((URIRef(f"{DOC}/note/{i}"), GOVKG.startLine, Literal(i)))
    return graph


ADDRESSED = f"""
PREFIX derived: <{DERIVED}>
SELECT ?item WHERE {{ <{C}> derived:addressesItem ?item }}"""


def addressed(store: Store) -> set[str]:
    result = store.query(ADDRESSED)
    assert isinstance(result, SelectResult)
    return {str(item) for item in result.column("item")}


@pytest.fixture(params=["embedded", "oxigraph", "virtuoso"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """An embedded store, a real Oxigraph server or a real Virtuoso, holding the ontology
    and reference data (whose closure the council's facts join)."""
    opened: Store
    if request.param == "embedded":
        opened = EmbeddedStore(tmp_path / "store")
    else:
        server: Server = request.getfixturevalue(f"{request.param}_server")
        opened = open_remote(server.url, user=server.user, password=server.password)
        clear(opened)
    build(opened, [])
    try:
        yield opened
    finally:
        clear(opened)
        opened.close()


def test_loading_a_document_writes_its_councils_derived_graph(store: Store) -> None:
    assert store.triple_count() > 0 and addressed(store) == set()
    store.replace_graph(DOC_GRAPH, code(LEAF))
    # the item and every item above it, through the vocabulary closure
    assert addressed(store) == {str(LEAF), str(SUPPORTING), str(PRINCIPLE)}
    documents = store.query(f"SELECT ?d WHERE {{ GRAPH <{council_graph(str(C))}> "
                            f"{{ <{C}> <{DERIVED.hasDocument}> ?d }} }}")
    assert isinstance(documents, SelectResult) and documents.column("d") == [DOC]
    # the store's own graphs are not listed as data
    assert {info.iri for info in store.graphs()} >= {str(DOC_GRAPH)}
    assert not any(info.iri.startswith(str(GRAPH) + "derived/") for info in store.graphs())


def test_replacing_or_dropping_a_document_rewrites_the_derived_graph(store: Store) -> None:
    store.replace_graph(DOC_GRAPH, code(LEAF))
    store.replace_graph(DOC_GRAPH, code(OTHER_LEAF))
    assert addressed(store) == {str(OTHER_LEAF), str(F2007["2.1"]), str(F2007["2"])}
    store.drop_graph(DOC_GRAPH)
    assert addressed(store) == set()


def test_the_large_load_path_rewrites_the_derived_graph_too(store: Store) -> None:
    attribute = "bulk_threshold" if isinstance(store, EmbeddedStore) else "max_request_triples"
    setattr(store, attribute, 7)  # staging graphs, then one commit
    store.replace_graph(DOC_GRAPH, code(LEAF, padding=20))
    assert str(LEAF) in addressed(store)
    store.replace_graph(DOC_GRAPH, code(OTHER_LEAF, padding=20))
    assert addressed(store) == {str(OTHER_LEAF), str(F2007["2.1"]), str(F2007["2"])}


def test_the_vocabulary_closure_is_rewritten_with_the_reference_data(store: Store) -> None:
    closure = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{VOCABULARY_GRAPH}> {{ ?s ?p ?o }} }}"
    result = store.query(closure)
    assert isinstance(result, SelectResult) and int(result.rows[0]["n"]) > 1000
    store.drop_graph(GRAPH["reference"])
    result = store.query(closure)
    assert isinstance(result, SelectResult)
    assert int(result.rows[0]["n"]) < 100  # only the ontology's subclass closure is left


# A council with a local code and an external review, for the facts derived for
# assurance-gaps and open-recommendations-by-owner (queries/derived/council.ru, the
# last three operations).
GAPS = COUNCIL["testshire-gaps"]
GAP_CODE, GAP_REVIEW = DOCUMENT["gaps-test-code"], DOCUMENT["gaps-test-review"]
KIND, OTHER_KIND = EVIDENCE_KIND["code-of-conduct"], EVIDENCE_KIND["financial-regulations"]
WEAKNESS = URIRef("https://w3id.org/govkg/id/polarity/weakness")
STRENGTH = URIRef("https://w3id.org/govkg/id/polarity/strength")


def _quoted(graph: Graph, resource: URIRef, line: int, quote: str | None) -> None:
    """A span of ``resource`` on ``line``, with a text-quote selector when ``quote``."""
    span = URIRef(f"{resource}/span/{line}")
    graph.add((resource, GOVKG.source, span))
    graph.add((span, GOVKG.startLine, Literal(line)))
    selector = URIRef(f"{span}/quote")
    graph.add((span, OA.hasSelector, selector))
    if quote is not None:
        graph.add((selector, OA.exact, Literal(quote)))


def gap_documents() -> dict[URIRef, Graph]:
    """The code cites one piece of evidence of KIND (two spans: one quoted, one not) and
    one of OTHER_KIND; the review has a recommendation, a failure, a finding of a
    weakness, a finding of a strength and a finding without polarity, all concerning
    KIND, and a recommendation concerning a kind the code does not rely on; the council
    also has an improvement action."""
    code, review = Graph(), Graph()
    code.add((GAP_CODE, RDF.type, GOVKG.LocalCode))
    code.add((GAP_CODE, GOVKG.council, GAPS))
    for name, kind, line in (("conduct", KIND, 3), ("regulations", OTHER_KIND, 4)):
        evidence = URIRef(f"{GAP_CODE}/evidence/{name}")
        code.add((evidence, RDF.type, GOVKG.Evidence))
        code.add((evidence, GOVKG.council, GAPS))
        code.add((evidence, GOVKG.evidenceKind, kind))
        code.add((evidence, PROV.wasDerivedFrom, GAP_CODE))
        _quoted(code, evidence, line, f"the {name} evidence")
        code.add((evidence, RDFS.label, Literal(f"{name} evidence label")))
    _quoted(code, URIRef(f"{GAP_CODE}/evidence/conduct"), 9, None)
    action = URIRef(f"{GAP_CODE}/action/1")
    code.add((action, RDF.type, GOVKG.ImprovementAction))
    code.add((action, GOVKG.council, GAPS))
    review.add((GAP_REVIEW, RDF.type, GOVKG.ExternalGovernanceReview))
    review.add((GAP_REVIEW, GOVKG.council, GAPS))
    items = {"recommendation": (GOVKG.Recommendation, None, KIND),
             "failure": (GOVKG.Failure, None, KIND),
             "weakness": (GOVKG.Finding, WEAKNESS, KIND),
             "strength": (GOVKG.Finding, STRENGTH, KIND),
             "unstated": (GOVKG.Finding, None, KIND),
             "elsewhere": (GOVKG.Recommendation, None, EVIDENCE_KIND["forward-plan"])}
    for line, (name, (kind, polarity, concerns)) in enumerate(items.items(), start=10):
        item = URIRef(f"{GAP_REVIEW}/{name}")
        review.add((item, RDF.type, kind))
        review.add((item, GOVKG.council, GAPS))
        review.add((item, PROV.wasDerivedFrom, GAP_REVIEW))
        review.add((item, GOVKG.concerns, concerns))
        if polarity is not None:
            review.add((item, GOVKG.polarity, polarity))
        _quoted(review, item, line, f"the {name} item")
    _quoted(review, URIRef(f"{GAP_REVIEW}/recommendation"), 20, "its later line")
    review.add((URIRef(f"{GAP_REVIEW}/recommendation"), RDFS.label,
                Literal("recommendation label")))
    return {GRAPH["document/gaps-test-code"]: code, GRAPH["document/gaps-test-review"]: review}


def _pairs(store: Store, sparql: str) -> set[tuple[str, ...]]:
    result = store.query(f"PREFIX derived: <{DERIVED}>\n{sparql}")
    assert isinstance(result, SelectResult)
    return {tuple(str(row[name]) for name in result.variables) for row in result.rows}


def test_the_gaps_and_follow_ups_are_derived_for_the_queries_that_read_them(
        store: Store) -> None:
    """One gap per statement of the code and adverse review item (a recommendation, a
    failure, a finding of a weakness) concerning the same arrangement, with its type,
    review, code and council; for both sides the first line of their spans with a quote
    and one quote; and the council's recommendations and improvement actions as what it
    follows up."""
    for graph, content in gap_documents().items():
        store.replace_graph(graph, content)
    conduct = f"{GAP_CODE}/evidence/conduct"
    gaps = _pairs(store, f"""
        SELECT ?statement ?item ?type ?arrangement ?review ?code WHERE {{
          ?gap derived:gapCouncil <{GAPS}> ; derived:gapStatement ?statement ;
               derived:gapReviewItem ?item ; derived:gapItemType ?type ;
               derived:gapArrangement ?arrangement ; derived:gapReview ?review ;
               derived:gapCode ?code }}""")
    assert gaps == {(conduct, f"{GAP_REVIEW}/{name}", str(kind), str(KIND), str(GAP_REVIEW),
                     str(GAP_CODE))
                    for name, kind in (("recommendation", GOVKG.Recommendation),
                                       ("failure", GOVKG.Failure),
                                       ("weakness", GOVKG.Finding))}
    # on each gap, both sides' first line of their spans with a quote and one quote ...
    quoted = _pairs(store, f"""
        SELECT ?item ?codeLine ?codeQuote ?line ?quote WHERE {{
          ?gap derived:gapCouncil <{GAPS}> ; derived:gapReviewItem ?item ;
               derived:gapCodeLine ?codeLine ; derived:gapCodeQuote ?codeQuote ;
               derived:gapReviewLine ?line ; derived:gapReviewQuote ?quote }}""")
    recommendation = f"{GAP_REVIEW}/recommendation"
    assert {(item, code_line, code_quote) for item, code_line, code_quote, _, _ in quoted} == {
        (f"{GAP_REVIEW}/{name}", "3", "the conduct evidence")
        for name in ("recommendation", "failure", "weakness")}
    assert {(item, line) for item, _, _, line, _ in quoted} == {
        (recommendation, "10"), (f"{GAP_REVIEW}/failure", "11"), (f"{GAP_REVIEW}/weakness", "12")}
    assert {(item, quote) for item, _, _, _, quote in quoted if item != recommendation} == {
        (f"{GAP_REVIEW}/failure", "the failure item"),
        (f"{GAP_REVIEW}/weakness", "the weakness item")}
    assert [quote for item, _, _, _, quote in quoted if item == recommendation] in (
        ["the recommendation item"], ["its later line"])
    # ... and the labels of its statement, review item and arrangement, where they have one
    labels = _pairs(store, f"""
        SELECT ?item ?property ?label WHERE {{
          ?gap derived:gapCouncil <{GAPS}> ; derived:gapReviewItem ?item ; ?property ?label .
          FILTER(?property IN (derived:gapCodeEvidenceLabel, derived:gapReviewItemLabel,
                               derived:gapArrangementLabel)) }}""")
    kind_labels = {str(row["label"]) for row in store.query(
        f"SELECT ?label WHERE {{ <{KIND}> <{SKOS.prefLabel}> ?label }}")}
    assert labels == {(f"{GAP_REVIEW}/{name}", str(DERIVED[prop]), label)
                      for name in ("recommendation", "failure", "weakness")
                      for prop, label in [("gapCodeEvidenceLabel", "conduct evidence label"),
                                          *[("gapArrangementLabel", k) for k in kind_labels]]
                      } | {(recommendation, str(DERIVED.gapReviewItemLabel),
                            "recommendation label")}
    follow_ups = _pairs(store, f"SELECT ?thing WHERE {{ ?thing derived:followUpOf <{GAPS}> }}")
    assert follow_ups == {(f"{GAP_REVIEW}/{name}",) for name in ("recommendation", "elsewhere")} \
        | {(f"{GAP_CODE}/action/1",)}
    # the review replaced without its failure: the facts follow
    graph, review = list(gap_documents().items())[1]
    review.remove((URIRef(f"{GAP_REVIEW}/failure"), None, None))
    store.replace_graph(graph, review)
    assert len(_pairs(store, f"SELECT ?gap WHERE {{ ?gap derived:gapCouncil <{GAPS}> }}")) == 2
    assert _pairs(store, f"""
        SELECT ?item WHERE {{
          ?gap derived:gapCouncil <{GAPS}> ; derived:gapReviewItem ?item ;
               derived:gapReviewLine ?line ; derived:gapCodeEvidenceLabel ?label }}""") == {
        (f"{GAP_REVIEW}/{name}",) for name in ("recommendation", "weakness")}


CONSISTENT = f"""
PREFIX govkg: <{GOVKG}>
PREFIX derived: <{DERIVED}>
SELECT ?addressed ?derived WHERE {{
  ?commitment govkg:council <{C}> ; govkg:addresses ?addressed .
  OPTIONAL {{ <{C}> derived:addressesItem ?derived FILTER(?derived IN (<{LEAF}>, <{OTHER_LEAF}>)) }}
}}"""


def test_readers_see_old_documents_with_old_facts_or_new_with_new(store: Store) -> None:
    if not store.isolated_reads:  # Virtuoso promises no isolation (docs/store.md)
        assert type(store).__name__ == "VirtuosoStore"
        return
    store.replace_graph(DOC_GRAPH, code(LEAF))
    seen: list[tuple[str, ...]] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            result = store.query(CONSISTENT)
            assert isinstance(result, SelectResult)
            seen.append(tuple(sorted({str(v) for row in result.rows for v in row.values()})))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for i in range(12):
            store.replace_graph(DOC_GRAPH, code(OTHER_LEAF if i % 2 == 0 else LEAF))
    finally:
        stop.set()
        reader.join(timeout=60)
    assert seen, "the reader never ran"
    assert set(seen) <= {(str(LEAF),), (str(OTHER_LEAF),)}, set(seen)


# The child replaces the council's code with a large version addressing another item and
# is killed part-way, as in test_store_embedded.py.
CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    from govkg.graph.store import EmbeddedStore
    from tests.graph.test_derived import DOC_GRAPH, OTHER_LEAF, code

    store = EmbeddedStore(Path(sys.argv[1]), bulk_threshold=int(sys.argv[2]))
    new = code(OTHER_LEAF, padding=300_000)
    print("loading", flush=True)
    store.replace_graph(DOC_GRAPH, new)
    print("done", flush=True)
""")


@pytest.mark.slow
@pytest.mark.parametrize("threshold", [1_000, 10_000_000], ids=["bulk-commit", "one-update"])
def test_a_killed_load_leaves_the_old_documents_and_the_old_facts(
    tmp_path: Path, threshold: int
) -> None:
    path = tmp_path / "store"
    with EmbeddedStore(path) as store:
        build(store, [])
        store.replace_graph(DOC_GRAPH, code(LEAF))
        before = addressed(store)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(path), str(threshold)],
                             stdout=subprocess.PIPE, text=True,
                             cwd=Path(__file__).resolve().parents[2])
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "loading"
    time.sleep(1.0)
    child.send_signal(signal.SIGKILL)
    rest = child.stdout.read()
    child.wait(timeout=30)
    assert "done" not in rest, "the load finished before the kill; make it larger"
    with EmbeddedStore(path) as store:
        assert addressed(store) == before == {str(LEAF), str(SUPPORTING), str(PRINCIPLE)}
        assert store.triple_count(DOC_GRAPH) == len(code(LEAF))


CLOSURES = {
    # derived property: the property path it stands for, from each start the .ru takes
    "broaderOrSelf": "{ SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x skos:inScheme ?s } } } "
                     "GRAPH ?g { ?x skos:broader* ?y }",
    "subClassOf": "{ SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x rdfs:subClassOf ?any } } } "
                  "GRAPH ?g { ?x rdfs:subClassOf+ ?y }",
    "matchOrSelf": "{ { SELECT DISTINCT ?x ?g WHERE { GRAPH ?g { ?x skos:inScheme ?s } } } "
                   "GRAPH ?g { ?x (skos:exactMatch|skos:closeMatch|skos:broadMatch"
                   "|skos:narrowMatch|^skos:exactMatch|^skos:closeMatch|^skos:broadMatch"
                   "|^skos:narrowMatch)? ?y } } "
                   # and what vocabulary.ru adds to the path: a restated behaviour
                   "UNION { GRAPH ?g { ?x a <https://w3id.org/govkg/def/BehaviourAndAction> ;"
                   " skos:broader ?y } }",
}


@pytest.mark.parametrize("name", sorted(CLOSURES))
def test_the_closures_written_step_by_step_equal_the_property_paths(tmp_path: Path,
                                                                    name: str) -> None:
    """vocabulary.ru climbs four steps per closure instead of a ``*`` path, and adds an
    item itself apart from its counterparts instead of a ``?`` path (Virtuoso refuses
    both): on Oxigraph, the result must equal the paths', and no chain in the
    vocabulary may be four steps long (else a fifth step could add more)."""
    prefixes = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
                "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> ")
    with EmbeddedStore(tmp_path / "store") as store:
        build(store, [])
        written = store.query(f"SELECT ?x ?y WHERE {{ GRAPH <{VOCABULARY_GRAPH}> "
                              f"{{ ?x <{DERIVED[name]}> ?y }} }}")
        path = store.query(f"{prefixes}SELECT DISTINCT ?x ?y WHERE {{ {CLOSURES[name]} }}")
        assert isinstance(written, SelectResult) and isinstance(path, SelectResult)
        pairs = {(str(r["x"]), str(r["y"])) for r in written}
        assert len(pairs) > 50
        assert pairs == {(str(r["x"]), str(r["y"])) for r in path}
        link = "rdfs:subClassOf" if name == "subClassOf" else "skos:broader"
        deep = store.query(f"{prefixes}ASK {{ GRAPH ?g {{ ?a {'/'.join([link] * 4)} ?b }} }}")
        assert deep is False
