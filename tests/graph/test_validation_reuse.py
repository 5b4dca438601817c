"""Validation reuses one in-memory store per thread (the vocabulary loaded once, each
council's data added and removed again) and gives the SHACL engine only the statements
the shapes can read. Neither may change a report: each council's report must be the one
a fresh store with the whole vocabulary gives, in whatever order and on whatever thread
the councils are validated. Runs on the bundled corpus in a real embedded store."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import RDF, BNode
from rdflib.namespace import SH

from govkg.graph import validation
from govkg.graph.build import bundled_corpus, plan, write
from govkg.graph.namespaces import REFERENCE_GRAPH
from govkg.graph.store import EmbeddedStore
from govkg.graph.validation import (
    CouncilReport,
    council_graphs,
    council_quads,
    validate_quads,
)


@pytest.fixture(scope="module")
def councils(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, bytes]]:
    """Each corpus council's document graphs as N-Quads, read from a real store."""
    with EmbeddedStore(tmp_path_factory.mktemp("store") / "store") as store:
        write(store, plan([bundled_corpus()]))
        yield {council: council_quads(store, graphs)
               for council, graphs in council_graphs(store).items()}


def _iri(node: object) -> str:
    """A node as text, a blank node's label left out (it differs from one validation to
    the next)."""
    text = "" if node is None else str(node)
    return text if text.startswith("http") or not isinstance(node, BNode) else "_"


def _keys(report: CouncilReport) -> tuple[object, ...]:
    """What a report says, blank-node labels aside: every result by focus node, path,
    component, severity, value, message and shape, the findings in their order, the
    coverage, the council and whether it conforms."""
    results = report.results
    return (report.council, report.label, report.conforms,
            Counter(tuple(_iri(results.value(r, p)) for p in (
                SH.focusNode, SH.resultPath, SH.sourceConstraintComponent, SH.resultSeverity,
                SH.value, SH.resultMessage, SH.sourceShape))
                for r in results.subjects(RDF.type, SH.ValidationResult)),
            [(f.severity, f.message, f.focus, f.path, f.value, f.component,
              f.shape if (f.shape or "").startswith("http") else "_") for f in report.findings],
            [(p.notation, p.label, p.items, p.addressed) for p in report.coverage])


@pytest.fixture(scope="module")
def whole(councils: dict[str, bytes]) -> dict[str, tuple[object, ...]]:
    """Each council's report from a fresh store holding the whole vocabulary, the engine
    given all of it and every statement of the data."""
    return {c: _keys(validate_quads(q, council=c, whole_vocabulary=True))
            for c, q in councils.items()}


def test_each_council_gets_the_whole_vocabularys_report_in_any_order(
        councils: dict[str, bytes], whole: dict[str, tuple[object, ...]]) -> None:
    assert len(councils) >= 3
    for order in (sorted(councils), sorted(councils, reverse=True)):
        for council in order:
            assert _keys(validate_quads(councils[council], council=council)) == whole[council]


def test_the_reused_store_holds_only_the_vocabulary_between_councils(
        councils: dict[str, bytes], monkeypatch: pytest.MonkeyPatch) -> None:
    """After each validation the store holds the vocabulary alone, and after
    ``REUSES`` validations a fresh store (with the same vocabulary) replaces it."""
    monkeypatch.setattr(validation, "REUSES", 2)
    council, quads = next(iter(councils.items()))
    validate_quads(quads, council=council)
    before = set(validation._reusable.store)
    vocabulary = validation._vocabulary_parts(validation._store_words())[0]
    assert before == set(ox.parse(vocabulary, format=ox.RdfFormat.N_QUADS))
    stores = set()
    for council, quads in [*councils.items()] * 2:
        validate_quads(quads, council=council)
        stores.add(id(validation._reusable.store))
        assert set(validation._reusable.store) == before
    assert len(stores) > 1


def test_threads_validating_at_once_get_their_own_councils_reports(
        councils: dict[str, bytes], whole: dict[str, tuple[object, ...]]) -> None:
    jobs = sorted(councils) * 3
    with ThreadPoolExecutor(max_workers=3) as pool:
        got = list(pool.map(lambda c: _keys(validate_quads(councils[c], council=c)), jobs))
    assert got == [whole[c] for c in jobs]


def test_data_stated_in_the_vocabularys_graph_is_validated_as_well(
        councils: dict[str, bytes], whole: dict[str, tuple[object, ...]]) -> None:
    """Data in a graph the vocabulary occupies cannot be told apart from the vocabulary
    in the store; the engine then reads the whole store, and the report is the same."""
    council, quads = next(iter(councils.items()))
    moved = ox.serialize((ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(
        str(REFERENCE_GRAPH))) for q in ox.parse(quads, format=ox.RdfFormat.N_QUADS)),
        format=ox.RdfFormat.N_QUADS)
    assert _keys(validate_quads(moved, council=council)) == whole[council]


def test_a_failing_validation_leaves_the_reused_store_as_it_was(
        councils: dict[str, bytes], tmp_path: Path) -> None:
    council, quads = next(iter(councils.items()))
    validate_quads(quads, council=council)
    store = validation._reusable.store
    before = set(store)
    with pytest.raises(SyntaxError):  # pyoxigraph's parse error, half-way through
        validate_quads(quads + b"<urn:x> <urn:y> .\n", council=council)
    assert set(store) == before
