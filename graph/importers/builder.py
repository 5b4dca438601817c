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

import hashlib
from decimal import Decimal

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

#: responsibility kind (local name) -> direct property
RESPONSIBILITY_PROPERTIES = {
    "responsible-for": GOVKG.responsibleFor,
    "leads": GOVKG.leads,
    "monitors": GOVKG.monitors,
    "approves": GOVKG.approves,
    "signs": GOVKG.signs,
}

Lines = tuple[int, int]


def decimal(value: object) -> Literal:
    """An xsd:decimal in the canonical form Turtle writes ("9.0"), so a graph that is
    serialised and read back compares equal to the one that was built."""
    text = format(Decimal(str(value)).normalize(), "f")
    return Literal(text if "." in text else f"{text}.0", datatype=XSD.decimal)


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
        span = ID[f"document/{self.doc.id}/span/{start}-{end}-{digest}"]
        g = self.graph
        if node != self.doc.iri:
            g.add((node, PROV.wasDerivedFrom, self.doc.iri))
        g.add((node, GOVKG.source, span))
        if (span, RDF.type, OA.SpecificResource) not in g:
            quote_selector = URIRef(f"{span}/quote")
            line_selector = URIRef(f"{span}/lines")
            g.add((span, RDF.type, OA.SpecificResource))
            g.add((span, OA.hasSource, self.doc.iri))
            g.add((span, GOVKG.startLine, Literal(start)))
            g.add((span, GOVKG.endLine, Literal(end)))
            g.add((span, OA.hasSelector, quote_selector))
            g.add((span, OA.hasSelector, line_selector))
            g.add((quote_selector, RDF.type, OA.TextQuoteSelector))
            g.add((quote_selector, OA.exact, Literal(exact)))
            g.add((line_selector, RDF.type, OA.FragmentSelector))
            g.add((line_selector, DCTERMS.conformsTo, RFC5147))
            # RFC 5147 counts line *positions* from 0: "line=4,6" selects lines 5 and 6.
            g.add((line_selector, RDF.value, Literal(f"line={start - 1},{end}")))
            self._position(span, start, end, exact)
        return span

    def _position(self, span: URIRef, start: int, end: int, exact: str) -> None:
        """The Web Annotation position selector of a span (character offsets into the
        document's canonical text, end exclusive) and, for a PDF, the page it is on."""
        offsets = self.doc.position(start, end, exact)
        if offsets is None:
            return
        position = URIRef(f"{span}/position")
        g = self.graph
        g.add((span, OA.hasSelector, position))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(offsets[0], datatype=XSD.nonNegativeInteger)))
        g.add((position, OA.end, Literal(offsets[1], datatype=XSD.nonNegativeInteger)))
        page = self.doc.page_at(offsets[0])
        if page is not None:
            g.add((span, GOVKG.page, Literal(page, datatype=XSD.positiveInteger)))

    # ------------------------------------------------------------------ resources

    def resource(self, segment: str, key: str, rdf_type: URIRef, lines: Lines,
                 quote: str | None = None, label: str | None = None) -> URIRef:
        """A document-scoped resource of ``rdf_type`` with its source."""
        node = ID[f"document/{self.doc.id}/{segment}/{slugify(key) or 'x'}"]
        self.graph.add((node, RDF.type, rdf_type))
        self.graph.add((node, GOVKG.council, self.council))
        if label:
            self.graph.add((node, RDFS.label, Literal(label, lang="en")))
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
             prop: URIRef = GOVKG.addresses, *, lines: Lines | None = None,
             quote: str | None = None) -> URIRef:
        """``node`` addresses (or assesses) framework ``item``; record how and how sure, and
        (with ``lines``) the text the link was made from. Returns the item link."""
        g = self.graph
        g.add((node, prop, item))
        # An IRI, not a blank node: links stay addressable and graphs compare cheaply.
        link = URIRef(f"{node}/link/{hashlib.sha1(str(item).encode()).hexdigest()[:8]}")
        g.add((node, GOVKG.qualifiedLink, link))
        g.add((link, RDF.type, GOVKG.ItemLink))
        g.add((link, GOVKG.linkedItem, item))
        g.add((link, GOVKG.linkMethod, LINK_METHOD[method]))
        g.add((link, GOVKG.matchScore, decimal(round(score, 1))))
        if lines is not None:
            self.cite(link, lines, quote)
        else:  # made from the resource's own text: it shares the resource's source
            g.add((link, PROV.wasDerivedFrom, self.doc.iri))
            for span in list(g.objects(node, GOVKG.source)):
                g.add((link, GOVKG.source, span))
        return link

    def link_match(self, node: URIRef, match: ItemMatch, prop: URIRef = GOVKG.addresses, *,
                   lines: Lines | None = None, quote: str | None = None) -> URIRef:
        return self.link(node, match.item, "by-text", match.score, prop, lines=lines, quote=quote)
