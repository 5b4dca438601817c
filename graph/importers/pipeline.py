"""Importing documents: read, detect, choose the layout, build one named graph each.

``import_documents`` is all-or-nothing: every document is read and built before
anything is returned, so a bad file among good ones leaves nothing half-written.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, SKOS, Dataset, Graph, URIRef

from govkg.graph.documents import DEFAULT_LIMITS, Limits
from govkg.graph.errors import InputError, Location
from govkg.graph.importers.base import KINDS, ImportContext, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.detect import (
    MIN_CONFIDENCE,
    Detection,
    detect_council,
    detect_framework,
    detect_kind,
    resolve_council,
    resolve_framework,
)
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.namespaces import GOVKG, bind_prefixes
from govkg.graph.vocabulary import load_vocabulary


@dataclass
class ImportReport:
    """What was imported from one document and what was detected about it; ``source`` is
    the file or web address as given, ``media_type`` the format it was read as."""

    path: Path
    graph: URIRef
    council: Detection
    kind: Detection
    framework: Detection | None
    layout: str
    triples: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    source: str = ""
    media_type: str = "text/plain"
    ocr: bool = False


def _counts(graph: Graph) -> dict[str, int]:
    interesting = [GOVKG.Commitment, GOVKG.Evidence, GOVKG.FurtherWork, GOVKG.Body,
                   URIRef("http://www.w3.org/ns/org#Post"), GOVKG.Responsibility,
                   GOVKG.SelfAssessmentResult, GOVKG.ImprovementAction, GOVKG.Finding,
                   GOVKG.Failure, GOVKG.Recommendation, GOVKG.KeyQuestion]
    counter = Counter(o for o in graph.objects(None, RDF.type) if o in interesting)
    return {str(graph.namespace_manager.qname(k)): n for k, n in counter.items()}


def import_document(
    path: Path | str,
    *,
    council: str | None = None,
    kind: str | None = None,
    framework: str | None = None,
    vocabulary: Graph | None = None,
    gazetteers: Gazetteers | None = None,
    ocr: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Graph, ImportReport]:
    """Import one document (a file in any format govkg reads, or an http(s) address);
    return its named graph and the report."""
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    vocabulary = load_vocabulary() if vocabulary is None else vocabulary
    doc = SourceDocument.read(path, ocr=ocr, limits=limits)
    kind_found, importer_cls = detect_kind(doc, kind)
    council_found = (resolve_council(council, vocabulary) if council
                     else detect_council(doc, vocabulary))
    framework_found: Detection | None = None
    if importer_cls.kind != "governance-review":
        framework_found = resolve_framework(framework) if framework else detect_framework(doc)
    for found, option in ((council_found, "--council"), (framework_found, "--framework")):
        if found is not None and found.confidence < MIN_CONFIDENCE:
            raise InputError(f"not sure enough of {found} to import; pass {option}",
                             Location(str(path)))
    assert council_found.iri is not None
    slug = vocabulary.value(council_found.iri, GOVKG.slug)
    context = ImportContext(
        council=council_found.iri,
        council_label=str(vocabulary.value(council_found.iri, SKOS.prefLabel)
                          or council_found.value),
        council_slug=str(slug) if slug else str(council_found.iri).rsplit("/", 1)[-1],
        kind=importer_cls.kind,
        framework=framework_found.iri if framework_found else None,
    )
    builder = DocumentBuilder(doc, context, vocabulary, gazetteers)
    importer_cls().build(doc, builder)
    report = ImportReport(doc.path, doc.graph_iri, council_found, kind_found, framework_found,
                          importer_cls.layout, len(builder.graph), _counts(builder.graph),
                          doc.source, doc.media_type, doc.ocr)
    return builder.graph, report


def import_documents(
    paths: Sequence[Path | str],
    *,
    council: str | None = None,
    kind: str | None = None,
    framework: str | None = None,
    ocr: bool = False,
    limits: Limits = DEFAULT_LIMITS,
) -> tuple[Dataset, list[ImportReport]]:
    """Import several documents into one dataset, one named graph each (all or nothing)."""
    if not paths:
        raise InputError("no documents given")
    vocabulary = load_vocabulary()
    gazetteers = Gazetteers(vocabulary)
    dataset = Dataset()
    bind_prefixes(dataset.namespace_manager)
    reports = []
    for path in paths:
        graph, report = import_document(path, council=council, kind=kind, framework=framework,
                                        vocabulary=vocabulary, gazetteers=gazetteers, ocr=ocr,
                                        limits=limits)
        target = dataset.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
        reports.append(report)
    return dataset, reports
