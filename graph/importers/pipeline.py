"""Importing documents: read, detect, choose the layout, build one named graph each.

Every document is built completely before anything is returned, so a failed document
leaves nothing half-written. ``import_documents`` imports each document on its own (a
failure is reported with its file and the others still go in) or, with
``all_or_nothing``, none if any fails.

The layout-independent pipeline (:mod:`generic`) reads any council's local code; the
layouts written for one corpus document each are tried first and keep that document
when they fit it better.
"""

from __future__ import annotations

import importlib
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, SKOS, Dataset, Graph, URIRef
from rdflib.namespace import ORG

from govkg.graph.documents import DEFAULT_LIMITS, Limits
from govkg.graph.errors import GovkgError, InputError, Location
from govkg.graph.importers.base import KINDS, LAYOUTS, ImportContext, SourceDocument, load_layout
from govkg.graph.importers.builder import DocumentBuilder, collection_paused
from govkg.graph.importers.detect import Detection, detect
from govkg.graph.importers.generic import CURRENT_EDITION, StatementRecord
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.namespaces import GOVKG, bind_prefixes
from govkg.graph.vocabulary import load_vocabulary

# G3 hook: importing the package registers G3's kinds and layouts.
importlib.import_module("govkg.graph.importers.kinds")
# The one pipeline, registered beside the layouts written for single documents.
LAYOUTS.setdefault("generic", "govkg.graph.importers.generic:PipelineImporter")


class NothingLinkedError(GovkgError):
    """A local code was read but none of its statements links to the framework: an
    import that would silently hold nothing the graph can compare."""


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
    #: framework items linked, per core principle (by notation)
    coverage: dict[str, list[str]] = field(default_factory=dict)
    #: what the generic pipeline read, statement by statement (for ``--review``)
    statements: list[StatementRecord] = field(default_factory=list)
    seconds: float = 0.0
    #: what the import should warn of (a statement from which nothing was read)
    warnings: list[str] = field(default_factory=list)
    #: the original file's bytes, kept beside the store when the graph is stored
    original: bytes = field(default=b"", repr=False)


@dataclass
class ImportFailure:
    """A document that could not be imported, and why."""

    path: Path | str
    error: GovkgError


def _counts(graph: Graph) -> dict[str, int]:
    interesting = [GOVKG.Commitment, GOVKG.Evidence, GOVKG.FurtherWork, GOVKG.Body,
                   URIRef("http://www.w3.org/ns/org#Post"), GOVKG.Responsibility,
                   GOVKG.SelfAssessmentResult, GOVKG.ImprovementAction, GOVKG.Finding,
                   GOVKG.Failure, GOVKG.Recommendation, GOVKG.KeyQuestion]
    counter = Counter(o for o in graph.objects(None, RDF.type) if o in interesting)
    return {str(graph.namespace_manager.qname(str(k))): n for k, n in counter.items()}


def _links_a_commitment(graph: Graph) -> bool:
    return any((c, GOVKG.addresses, None) in graph
               for c in graph.subjects(RDF.type, GOVKG.Commitment))


def _designates(graph: Graph) -> bool:
    """Whether the text says a post holds a role: a fact the graph holds and compares
    (a constitution's article on its statutory officers states nothing else)."""
    return any(graph.subjects(ORG.role, None))


def coverage(graph: Graph, vocabulary: Graph, framework: URIRef | None) -> dict[str, list[str]]:
    """The framework items any resource of ``graph`` links to, grouped under their core
    principle's number (``{"A": ["A", "A.1"], ...}``)."""
    if framework is None:
        return {}
    found: dict[str, set[str]] = {}
    for item in set(graph.objects(None, GOVKG.linkedItem)):
        if (item, SKOS.inScheme, framework) not in vocabulary:
            continue
        top = item
        while (up := vocabulary.value(top, SKOS.broader)) is not None:
            top = up
        notation = str(vocabulary.value(item, SKOS.notation) or item)
        found.setdefault(str(vocabulary.value(top, SKOS.notation) or top), set()).add(notation)
    return {k: sorted(v) for k, v in sorted(found.items())}


@collection_paused
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
    layout: str | None = None,
    source: SourceDocument | None = None,
) -> tuple[Graph, ImportReport]:
    """Import one document (a file in any format govkg reads, or an http(s) address);
    return its named graph and the report. ``layout`` forces one layout (``generic`` for
    the pipeline) instead of the best-fitting one; ``source`` is the document already
    read (so a web address is fetched once)."""
    started = time.perf_counter()
    if kind is not None and kind not in KINDS:
        raise InputError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    vocabulary = load_vocabulary() if vocabulary is None else vocabulary
    doc = source if source is not None else SourceDocument.read(path, ocr=ocr, limits=limits)
    path = doc.path
    detected = detect(doc, vocabulary, council=council, kind=kind, framework=framework)
    kind_found, importer_cls = detected.kind, detected.importer
    council_found, framework_found = detected.council, detected.framework
    if layout is not None:
        importer_cls = load_layout(layout)
        kind_found = Detection(importer_cls.kind, None, 1.0, f"layout {layout} given")
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
    importer = importer_cls()
    importer.build(doc, builder)
    if (layout is None and importer_cls.layout != "generic" and context.kind == "local-code"
            and not _links_a_commitment(builder.graph)):
        # a layout written for one document fitted, but read nothing (a changed heading):
        # the one pipeline reads it instead, and the report says so
        importer_cls = load_layout("generic")
        kind_found = Detection(kind_found.value, None, kind_found.confidence,
                               f"{kind_found.reason}, but it read no commitment: read by the "
                               "generic pipeline")
        builder = DocumentBuilder(doc, context, vocabulary, gazetteers)
        importer = importer_cls()
        importer.build(doc, builder)
    report = ImportReport(doc.path, doc.graph_iri, council_found, kind_found, framework_found,
                          importer_cls.layout, len(builder.graph), _counts(builder.graph),
                          doc.source, doc.media_type, doc.ocr,
                          coverage(builder.graph, vocabulary,
                                   context.framework or CURRENT_EDITION),
                          list(getattr(importer, "statements", [])))
    profile = getattr(importer, "profile", None)
    requires_links = profile.requires_links if profile is not None else (
        context.kind == "local-code")
    if (requires_links and not _links_a_commitment(builder.graph)
            and not _designates(builder.graph)):
        raise NothingLinkedError(
            "read as a local code, but no commitment links to any item of "
            f"{framework_found.value if framework_found else 'the framework'} and no post "
            "is said to hold a role; nothing was imported (check --framework, or that this "
            "is a local code)", Location(str(path)))
    report.warnings = list(getattr(importer, "warnings", []))
    report.seconds = round(time.perf_counter() - started, 3)
    report.original = doc.document.original if doc.document is not None else b""
    return builder.graph, report


def import_documents(
    paths: Sequence[Path | str],
    *,
    council: str | None = None,
    kind: str | None = None,
    framework: str | None = None,
    ocr: bool = False,
    limits: Limits = DEFAULT_LIMITS,
    all_or_nothing: bool = True,
    failures: list[ImportFailure] | None = None,
) -> tuple[Dataset, list[ImportReport]]:
    """Import several documents into one dataset, one named graph each.

    A file that cannot be read as a text document at all (missing, empty, binary, not
    UTF-8) refuses the whole command before anything is imported, as bad input. Then, with
    ``all_or_nothing``, the first failure is raised and nothing is returned; without it
    each document is imported atomically on its own, and each failure is appended to
    ``failures`` (with its file) while the others go in.
    """
    if not paths:
        raise InputError("no documents given")
    # a document that cannot be read at all is a usage error: refuse them all
    sources = [SourceDocument.read(path, ocr=ocr, limits=limits) for path in paths]
    vocabulary = load_vocabulary()
    gazetteers = Gazetteers(vocabulary)
    dataset = Dataset()
    bind_prefixes(dataset.namespace_manager)
    reports = []
    for path, source in zip(paths, sources, strict=True):
        try:
            graph, report = import_document(path, council=council, kind=kind,
                                            framework=framework, vocabulary=vocabulary,
                                            gazetteers=gazetteers, ocr=ocr, limits=limits,
                                            source=source)
        except GovkgError as exc:
            if all_or_nothing or failures is None:
                raise
            failures.append(ImportFailure(path, exc))
            continue
        target = dataset.graph(graph.identifier)
        for triple in graph:
            target.add(triple)
        reports.append(report)
    return dataset, reports
