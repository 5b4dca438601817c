"""Provenance on every corpus import: every resource read from a document says so and
points to a quoted span, and every quote really is the text at the lines it cites."""

from __future__ import annotations

from collections.abc import Callable
from itertools import accumulate
from pathlib import Path

import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.namespace import PROV

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.pipeline import ImportReport
from govkg.graph.namespaces import GOVKG, OA

DOCUMENTS = ["000_ca4996a9720cfea0.txt", "001_8248a4b135ee80e6.txt", "002_4f0066847b539ee0.txt",
             "003_952b029969f02f1c.txt", "004_be3172b2ed2f7dbd.txt"]
#: Types of the provenance machinery itself, and the import activity.
MACHINERY = {OA.SpecificResource, OA.TextQuoteSelector, OA.FragmentSelector,
             OA.TextPositionSelector, PROV.Activity}


@pytest.fixture(params=DOCUMENTS, ids=lambda name: name[:3])
def imported_doc(request: pytest.FixtureRequest, corpus_dir: Path,
                 imported: Callable[[str], tuple[Graph, ImportReport]]
                 ) -> tuple[Graph, SourceDocument]:
    graph, _ = imported(request.param)
    return graph, SourceDocument.read(corpus_dir / request.param)


def test_every_resource_read_from_the_document_cites_it(
        imported_doc: tuple[Graph, SourceDocument]) -> None:
    graph, doc = imported_doc
    typed = {s for s, t in graph.subject_objects(RDF.type) if t not in MACHINERY
             and s != doc.iri}
    assert len(typed) > 20
    unsourced = sorted(str(s) for s in typed if (s, GOVKG.source, None) not in graph
                       or (s, PROV.wasDerivedFrom, doc.iri) not in graph)
    assert unsourced == []


def test_every_quote_is_the_text_at_its_lines(imported_doc: tuple[Graph, SourceDocument]) -> None:
    graph, doc = imported_doc
    spans = list(graph.subjects(RDF.type, OA.SpecificResource))
    assert spans
    wrong = []
    for span in spans:
        start, end = int(graph.value(span, GOVKG.startLine)), int(graph.value(span, GOVKG.endLine))
        assert graph.value(span, OA.hasSource) == doc.iri
        quotes = [graph.value(s, OA.exact) for s in graph.objects(span, OA.hasSelector)
                  if (s, RDF.type, OA.TextQuoteSelector) in graph]
        if len(quotes) != 1 or not str(quotes[0]) or str(quotes[0]) not in doc.quote(start, end):
            wrong.append((start, end, [str(q) for q in quotes]))
    assert wrong == []


def test_the_document_records_its_checksum_and_kind(
        imported_doc: tuple[Graph, SourceDocument]) -> None:
    graph, doc = imported_doc
    assert str(graph.value(doc.iri, GOVKG.sha256)) == doc.sha256
    kinds = {GOVKG.LocalCode, GOVKG.SelfAssessment, GOVKG.ExternalGovernanceReview}
    assert len(set(graph.objects(doc.iri, RDF.type)) & kinds) == 1
    assert isinstance(graph.value(doc.iri, GOVKG.council), URIRef)


def test_the_line_at_an_offset_is_the_line_that_holds_it(
        imported_doc: tuple[Graph, SourceDocument]) -> None:
    """Importers number a span's line by ``line_at`` (a bisection); every offset of the
    document, newlines and the end included, falls on the line counting newlines gives."""
    doc = imported_doc[1]
    newlines_before = list(accumulate((c == "\n" for c in doc.text), initial=0))
    assert [doc.line_at(offset) for offset in range(len(doc.text) + 1)] == [
        n + 1 for n in newlines_before]
