"""Validation reports are stored per document version: ``validate_councils`` (what
``govkg validate --all`` runs) validates afresh only the councils whose documents
changed since their reports were stored, and gives the others their stored reports,
identical to what validating them again would give. Runs on the bundled corpus in a real
embedded store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef

from govkg.graph.build import bundled_corpus, plan, write
from govkg.graph.namespaces import GOVKG
from govkg.graph.search import SearchIndex
from govkg.graph.store import EmbeddedStore, SelectResult, Store
from govkg.graph.validation import CouncilReport, council_graphs, validate_councils


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    with EmbeddedStore(tmp_path / "store") as opened:
        write(opened, plan([bundled_corpus()]))
        yield opened


def _document_graph(store: Store, council: str) -> tuple[str, URIRef]:
    """One of a council's document graphs and the document it describes."""
    graph = next(g for g in council_graphs(store)[council] if "/document/" in g)
    result = store.query(f"SELECT ?d WHERE {{ GRAPH <{graph}> {{ ?d <{GOVKG.sha256}> ?s }} }}")
    assert isinstance(result, SelectResult) and result.rows
    document = result.rows[0]["d"]
    assert isinstance(document, URIRef)
    return graph, document


def _outcome(report: CouncilReport) -> tuple[object, ...]:
    """What a report says (its blank-node labels differ from one validation to the next)."""
    return (report.council, report.label, report.conforms,
            sorted((f.severity, f.message, f.focus, f.path or "", f.value or "", f.component,
                    f.shape if f.shape and f.shape.startswith("http") else "")
                   for f in report.findings),
            [(p.notation, p.label, p.items, p.addressed) for p in report.coverage],
            len(report.results))


def test_only_changed_councils_are_validated_again(store: Store) -> None:
    first: list[str] = []
    reports = validate_councils(store, workers=1, on_validate=first.append)
    councils = [r.council for r in reports]
    assert sorted(first) == sorted(councils) and len(councils) >= 3

    again: list[str] = []
    unchanged = validate_councils(store, workers=1, on_validate=again.append)
    assert again == []
    assert [_outcome(r) for r in unchanged] == [_outcome(r) for r in reports]

    # a new version of one council's document: another checksum, one commitment fewer
    council = next(r.council for r in reports if r.coverage)
    graph, document = _document_graph(store, council)
    content = Graph()
    exported = store.export("nq", graph=graph).decode("utf-8")
    content.parse(data=exported.replace(f" <{graph}> .", " ."), format="nt")
    content.set((document, GOVKG.sha256, Literal("0" * 64)))
    dropped = next(content.subjects(GOVKG.addresses, None))
    for triple in list(content.triples((dropped, None, None))):
        content.remove(triple)
    store.replace_graph(graph, content)

    changed: list[str] = []
    after = validate_councils(store, workers=1, on_validate=changed.append)
    assert changed == [council]
    fresh = validate_councils(store, workers=1, reuse=False)
    assert [_outcome(r) for r in after] == [_outcome(r) for r in fresh]
    before_total = {r.council: sum(p.addressed for p in r.coverage) for r in reports}
    after_total = {r.council: sum(p.addressed for p in r.coverage) for r in after}
    assert after_total[council] <= before_total[council]
    assert {c: n for c, n in after_total.items() if c != council} == {
        c: n for c, n in before_total.items() if c != council}


def test_stored_reports_are_not_listed_as_data(store: Store) -> None:
    graphs_before = store.graphs()
    validate_councils(store, workers=1)
    assert store.graphs() == graphs_before


def test_stored_reports_leave_the_search_index_as_it_was(store: Store) -> None:
    """The search index skips the report graphs a validation writes (graph/search.py):
    they hold nothing to search, and refreshing the index for them cost more than the
    validation at 400 councils. The index must read afterwards as a full rebuild does."""
    index = SearchIndex.beside(store)
    before = index.entries()
    assert before
    validate_councils(store, workers=1)
    assert index.complete()
    assert index.entries() == before
    index.refresh(store, None)
    assert index.entries() == before
