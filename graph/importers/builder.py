"""Builds one document's named graph: resources, links and the provenance of each.

Every layout module adds what it reads through a :class:`DocumentBuilder`, so that
IRIs are minted one way, every resource points back to its source lines and quoted
text, and nothing is stated without a source.

IRIs:
- document-scoped things (commitments, results, recommendations, ...):
  ``id/document/{doc}/{segment}/{key}``
- council-scoped things that several documents may name (posts, bodies, evidence):
  ``id/council/{council}/{post|body|evidence}/{slug of name}``; each document that
  names them states them again in its own graph, with its own provenance.
- source spans: ``id/document/{doc}/span/{start}-{end}-{hash of quote}``, a Web
  Annotation ``oa:SpecificResource`` with a text-quote selector, an RFC 5147 line
  selector and a text-position selector (character offsets into the document's canonical
  text), and for a PDF the page (``govkg:page``), so a reader can check the triple
  against the document.
"""

from __future__ import annotations

import functools
import gc
import hashlib
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import ParamSpec, TypeVar

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV

from govkg.graph import __version__
from govkg.graph.documents.reading import is_url
from govkg.graph.importers.base import KINDS, ImportContext, SourceDocument
from govkg.graph.importers.linking import Gazetteers, ItemMatch, ItemMatcher
from govkg.graph.namespaces import (
    COUNCIL,
    GOVKG,
    ID,
    LINK_METHOD,
    OA,
    RESPONSIBILITY_KIND,
    bind_prefixes,
    slugify,
)

RFC5147 = URIRef("http://tools.ietf.org/rfc/rfc5147")

# The terms every span and link repeats, made once: an rdflib Namespace attribute builds
# a new URIRef on every access, and a 1 MB code makes some 700,000 such accesses
# (bench/README.md, import benchmark).
_TYPE, _VALUE, _LABEL = RDF.type, RDF.value, RDFS.label
_DERIVED_FROM, _SOURCE = PROV.wasDerivedFrom, GOVKG.source
_SPECIFIC_RESOURCE, _HAS_SOURCE, _HAS_SELECTOR = OA.SpecificResource, OA.hasSource, OA.hasSelector
_START_LINE, _END_LINE = GOVKG.startLine, GOVKG.endLine
_QUOTE_SELECTOR, _EXACT = OA.TextQuoteSelector, OA.exact
_FRAGMENT_SELECTOR, _CONFORMS_TO = OA.FragmentSelector, DCTERMS.conformsTo
_POSITION_SELECTOR, _START, _END = OA.TextPositionSelector, OA.start, OA.end
_PAGE, _COUNCIL = GOVKG.page, GOVKG.council
_QUALIFIED_LINK, _ITEM_LINK, _LINKED_ITEM = GOVKG.qualifiedLink, GOVKG.ItemLink, GOVKG.linkedItem
_LINK_METHOD, _MATCH_SCORE, _ADDRESSES = GOVKG.linkMethod, GOVKG.matchScore, GOVKG.addresses
_ID = str(ID)

#: responsibility kind (local name) -> direct property
RESPONSIBILITY_PROPERTIES = {
    "responsible-for": GOVKG.responsibleFor,
    "leads": GOVKG.leads,
    "monitors": GOVKG.monitors,
    "approves": GOVKG.approves,
    "signs": GOVKG.signs,
}

Lines = tuple[int, int]

_P = ParamSpec("_P")
_R = TypeVar("_R")


def collection_paused(function: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``function`` with Python's cyclic garbage collector paused (and restarted
    after, if it was running), for code that builds a document's graph.

    Why: a graph is millions of small dicts and tuples that all stay alive, so every
    full collection during the build walks all of them (and the vocabulary) for nothing:
    it was a third of the CPU time of importing a 1 MB code (bench/README.md, import
    benchmark). Nothing an import makes is cyclic garbage it needs collected before it
    ends; whatever is, the next collection after it takes.
    """
    @functools.wraps(function)
    def paused(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        was_running = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if was_running:
                gc.enable()
    return paused


@lru_cache(maxsize=4096, typed=True)
def decimal(value: object) -> Literal:
    """An xsd:decimal in the canonical form Turtle writes ("9.0"), so a graph that is
    serialised and read back compares equal to the one that was built. Cached: link
    scores repeat (most are 100.0), and a Literal is immutable."""
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


@lru_cache(maxsize=65536)
def _integer(value: int, datatype: URIRef | None = None) -> Literal:
    """A line number or offset as a Literal, made once per value: a span repeats them."""
    return Literal(value, datatype=datatype)


@lru_cache(maxsize=64)
def _method(name: str) -> URIRef:
    """The link-method concept of ``name`` (by-structure, by-text, ...), made once."""
    return LINK_METHOD[name]


class DocumentBuilder:
    """Collects the triples of one document's named graph."""

    def __init__(self, doc: SourceDocument, context: ImportContext, vocabulary: Graph,
                 gazetteers: Gazetteers | None = None) -> None:
        self.doc = doc
        self.context = context
        self.vocabulary = vocabulary
        self.gazetteers = gazetteers or Gazetteers(vocabulary)
        self.matcher = ItemMatcher(vocabulary, context.framework) if context.framework else None
        # One document's triples in one graph: the plain in-memory store without contexts
        # adds a triple in about half the time of rdflib's context-aware default, and the
        # adds are most of an import's time (bench/README.md, import benchmark).
        self.graph = Graph(store="SimpleMemory", identifier=doc.graph_iri)
        bind_prefixes(self.graph.namespace_manager)
        # The hot paths (cite, link, resource) add straight to the store: Graph.add only
        # checks the terms' types, and the builder makes every term itself.
        self._add = self.graph.store.add
        self._doc_iri = doc.iri
        self._doc_id = doc.id
        self._span_prefix = f"{_ID}document/{self._doc_id}/span/"
        #: the spans described so far (a set lookup, not a graph query per citation)
        self._spans: set[URIRef] = set()
        self._describe_document()

    # ------------------------------------------------------------------ document

    @property
    def council(self) -> URIRef:
        return self.context.council

    def _describe_document(self) -> None:
        g, doc = self.graph, self.doc.iri
        g.add((doc, RDF.type, KINDS[self.context.kind]))
        g.add((doc, GOVKG.council, self.council))
        g.add((doc, GOVKG.sha256, Literal(self.doc.sha256)))
        g.add((doc, DCTERMS.identifier, Literal(self.doc.path.name)))
        g.add((doc, DCTERMS.format, Literal(self.doc.media_type)))
        if is_url(self.doc.source):  # the address it was fetched from, after redirects
            g.add((doc, DCTERMS.source, URIRef(self.doc.address)))
        if self.doc.ocr:
            g.add((doc, GOVKG.textFromOCR, Literal(True)))
        if self.context.framework is not None:
            g.add((doc, GOVKG.followsFramework, self.context.framework))
        activity = ID[f"document/{self.doc.id}/import"]
        g.add((doc, PROV.wasGeneratedBy, activity))
        g.add((activity, RDF.type, PROV.Activity))
        g.add((activity, RDFS.label, Literal(f"govkg {__version__} import")))

    def describe(self, *, title: str | None = None, date: str | None = None,
                 period: str | None = None, lines: Lines | None = None) -> None:
        """Title, date (ISO: 2022-04 or 2023-05-01) and period (2019/20) of the document."""
        g, doc = self.graph, self.doc.iri
        if title:
            g.set((doc, DCTERMS.title, Literal(title, lang="en")))
        if date:
            datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(date), XSD.date)
            g.set((doc, DCTERMS.date, Literal(date, datatype=datatype)))
        if period:
            g.set((doc, GOVKG.period, Literal(period)))
        if lines:
            self.cite(doc, lines)

    # ------------------------------------------------------------------ provenance

    def _name(self, node: URIRef, name: str) -> None:
        """One preferred label per resource; another spelling becomes an alternative."""
        label = Literal(name, lang="en")
        current = self.graph.value(node, SKOS.prefLabel)
        self.graph.add((node, SKOS.prefLabel if current is None or current == label
                        else SKOS.altLabel, label))

    def cite(self, node: URIRef, lines: Lines, quote: str | None = None) -> URIRef:
        """Record that ``node`` was read from ``lines`` (inclusive, from 1), quoting
        ``quote`` (the exact text; the whole lines when omitted). Returns the span."""
        start, end = lines
        if not 1 <= start <= end <= len(self.doc.lines):
            raise ValueError(f"lines {start}-{end} are outside {self.doc.path.name}")
        exact = quote if quote is not None else self.doc.quote(start, end)
        digest = hashlib.sha1(exact.encode("utf-8")).hexdigest()[:8]
        span = URIRef(f"{self._span_prefix}{start}-{end}-{digest}")
        add, g, doc = self._add, self.graph, self._doc_iri
        if node != doc:
            add((node, _DERIVED_FROM, doc), g)
        add((node, _SOURCE, span), g)
        if span not in self._spans:
            self._spans.add(span)
            quote_selector = URIRef(f"{span}/quote")
            line_selector = URIRef(f"{span}/lines")
            add((span, _TYPE, _SPECIFIC_RESOURCE), g)
            add((span, _HAS_SOURCE, doc), g)
            add((span, _START_LINE, _integer(start)), g)
            add((span, _END_LINE, _integer(end)), g)
            add((span, _HAS_SELECTOR, quote_selector), g)
            add((span, _HAS_SELECTOR, line_selector), g)
            add((quote_selector, _TYPE, _QUOTE_SELECTOR), g)
            add((quote_selector, _EXACT, Literal(exact)), g)
            add((line_selector, _TYPE, _FRAGMENT_SELECTOR), g)
            add((line_selector, _CONFORMS_TO, RFC5147), g)
            # RFC 5147 counts line *positions* from 0: "line=4,6" selects lines 5 and 6.
            add((line_selector, _VALUE, Literal(f"line={start - 1},{end}")), g)
            self._position(span, start, end, exact)
        return span

    def _position(self, span: URIRef, start: int, end: int, exact: str) -> None:
        """The Web Annotation position selector of a span (character offsets into the
        document's canonical text, end exclusive) and, for a PDF, the page it is on."""
        offsets = self.doc.position(start, end, exact)
        if offsets is None:
            return
        position = URIRef(f"{span}/position")
        add, g = self._add, self.graph
        add((span, _HAS_SELECTOR, position), g)
        add((position, _TYPE, _POSITION_SELECTOR), g)
        add((position, _START, _integer(offsets[0], XSD.nonNegativeInteger)), g)
        add((position, _END, _integer(offsets[1], XSD.nonNegativeInteger)), g)
        page = self.doc.page_at(offsets[0])
        if page is not None:
            add((span, _PAGE, _integer(page, XSD.positiveInteger)), g)

    # ------------------------------------------------------------------ resources

    def resource(self, segment: str, key: str, rdf_type: URIRef, lines: Lines,
                 quote: str | None = None, label: str | None = None) -> URIRef:
        """A document-scoped resource of ``rdf_type`` with its source."""
        node = URIRef(f"{_ID}document/{self._doc_id}/{segment}/{slugify(key) or 'x'}")
        add, g = self._add, self.graph
        add((node, _TYPE, rdf_type), g)
        add((node, _COUNCIL, self.council), g)
        if label:
            add((node, _LABEL, Literal(label, lang="en")), g)
        self.cite(node, lines, quote)
        return node

    def _council_scoped(self, segment: str, name: str) -> URIRef:
        return COUNCIL[f"{self.context.council_slug}/{segment}/{slugify(name)}"]

    def post(self, name: str, lines: Lines, quote: str | None = None) -> URIRef:
        """A post of the council, named as the document names it ("Director of Law and
        Governance"). Roles are added only with :meth:`assign_role`, where the text says so;
        a post whose title *is* a role's name ("Chief Executive") holds that role."""
        node = self._council_scoped("post", name)
        g = self.graph
        g.add((node, RDF.type, ORG.Post))
        g.add((node, ORG.postIn, self.council))
        self._name(node, name)
        g.add((node, GOVKG.council, self.council))
        self.cite(node, lines, quote)
        titled_role = self.gazetteers.roles.lookup(name)
        if titled_role is not None:
            g.add((node, ORG.role, titled_role))
        return node

    def assign_role(self, post: URIRef, role: URIRef, lines: Lines,
                    quote: str | None = None) -> None:
        """The document says ``post`` holds ``role``; the quote is that statement."""
        self.graph.add((post, ORG.role, role))
        self.cite(post, lines, quote)

    def body(self, name: str, lines: Lines, quote: str | None = None,
             functions: list[URIRef] | None = None, *, of_council: bool = True) -> URIRef:
        """A committee, board, panel, the Cabinet or the full Council, with the functions
        its name signals (from the body-function scheme) plus any given. A partnership or
        other joint body the council takes part in is recorded with ``of_council=False``:
        it is named in the council's documents but is not one of its units."""
        node = self._council_scoped("body", name)
        g = self.graph
        g.add((node, RDF.type, GOVKG.Body))
        if of_council:
            g.add((node, ORG.unitOf, self.council))
        self._name(node, name)
        g.add((node, GOVKG.council, self.council))
        for function in [*self.gazetteers.functions.concepts(name), *(functions or [])]:
            g.add((node, GOVKG.hasFunction, function))
        self.cite(node, lines, quote)
        return node

    def evidence(self, label: str, lines: Lines, quote: str | None = None) -> URIRef:
        """A policy, plan, procedure, report or practice the council cites, typed by
        evidence kind where its name says which."""
        node = self._council_scoped("evidence", label)
        g = self.graph
        g.add((node, RDF.type, GOVKG.Evidence))
        # one label per resource; another spelling of the same name is an alternative
        current = g.value(node, RDFS.label)
        g.add((node, RDFS.label if current is None or str(current) == label else SKOS.altLabel,
               Literal(label, lang="en")))
        g.add((node, GOVKG.council, self.council))
        for kind in self.gazetteers.evidence_kinds.concepts(label):
            g.add((node, GOVKG.evidenceKind, kind))
        for topic in self.gazetteers.topics.concepts(label):
            g.add((node, GOVKG.topic, topic))
        self.cite(node, lines, quote if quote is not None else label)
        return node

    def responsibility(self, agent: URIRef, kind: str, regarding: URIRef, lines: Lines,
                       quote: str | None = None) -> URIRef:
        """``agent`` (a post, body or — where the document names only the role — a role)
        is responsible for / leads / monitors / approves / signs ``regarding``."""
        prop = RESPONSIBILITY_PROPERTIES[kind]
        key = f"{slugify(str(agent).rsplit('/', 1)[-1])}-{kind}-" \
              f"{hashlib.sha1(str(regarding).encode()).hexdigest()[:8]}"
        node = self.resource("responsibility", key, GOVKG.Responsibility, lines, quote)
        g = self.graph
        g.add((node, GOVKG.agent, agent))
        g.add((node, GOVKG.responsibilityKind, RESPONSIBILITY_KIND[kind]))
        g.add((node, GOVKG.regarding, regarding))
        g.add((agent, prop, regarding))
        return node

    # ------------------------------------------------------------------ linking

    def link(self, node: URIRef, item: URIRef, method: str, score: float = 100.0,
             prop: URIRef = _ADDRESSES, *, lines: Lines | None = None,
             quote: str | None = None) -> URIRef:
        """``node`` addresses (or assesses) framework ``item``; record how and how sure, and
        (with ``lines``) the text the link was made from. Returns the item link."""
        add, g = self._add, self.graph
        add((node, prop, item), g)
        # An IRI, not a blank node: links stay addressable and graphs compare cheaply.
        link = URIRef(f"{node}/link/{hashlib.sha1(str(item).encode()).hexdigest()[:8]}")
        add((node, _QUALIFIED_LINK, link), g)
        add((link, _TYPE, _ITEM_LINK), g)
        add((link, _LINKED_ITEM, item), g)
        add((link, _LINK_METHOD, _method(method)), g)
        add((link, _MATCH_SCORE, decimal(round(score, 1))), g)
        if lines is not None:
            self.cite(link, lines, quote)
        else:  # made from the resource's own text: it shares the resource's source
            add((link, _DERIVED_FROM, self._doc_iri), g)
            for span in list(g.objects(node, _SOURCE)):
                add((link, _SOURCE, span), g)
        return link

    def link_match(self, node: URIRef, match: ItemMatch, prop: URIRef = GOVKG.addresses, *,
                   lines: Lines | None = None, quote: str | None = None) -> URIRef:
        return self.link(node, match.item, "by-text", match.score, prop, lines=lines, quote=quote)
