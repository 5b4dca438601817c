"""Applying a document's corrections to its graph, each recorded as a person's decision
(a ``govkg:Correction`` activity beside the importer's own)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV
from rdflib.term import Node

from govkg.graph.corrections.file import Correction, CorrectionsFile
from govkg.graph.corrections.statements import designations, document_of, label_of, role_gazetteer
from govkg.graph.errors import DataFileError
from govkg.graph.importers.builder import RESPONSIBILITY_PROPERTIES, decimal
from govkg.graph.namespaces import (
    COUNCIL,
    GOVKG,
    ID,
    LINK_METHOD,
    OA,
    RESPONSIBILITY_KIND,
    slugify,
)

#: the properties a qualified link stands for
LINK_PROPERTIES = (GOVKG.addresses, GOVKG.assesses, GOVKG.standard, SKOS.relatedMatch)


@dataclass
class Outcome:
    """What applying a file did: the corrections applied, and a warning (naming the file
    and entry) for each that matches no statement any more."""

    applied: list[Correction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Editor:
    """Applies corrections to one document's graph."""

    def __init__(self, graph: Graph, vocabulary: Graph, where: str) -> None:
        self.graph, self.vocabulary, self.where = graph, vocabulary, where
        self.doc = document_of(graph)
        self.roles = role_gazetteer(vocabulary)
        council = graph.value(self.doc, GOVKG.council)
        slug = vocabulary.value(council, GOVKG.slug) if council is not None else None
        self.council = council
        self.council_slug = str(slug) if slug else str(council).rsplit("/", 1)[-1]
        self.edition = graph.value(self.doc, GOVKG.followsFramework) or \
            URIRef(str(ID) + "framework/cipfa-solace-2016")

    # -- finding the statement

    def spans(self, c: Correction) -> list[URIRef]:
        """The spans a correction names: its quote at its position (else its line), or,
        when the document moved it, its quote wherever it is alone."""
        g = self.graph
        same_quote = [s for s in g.subjects(RDF.type, OA.SpecificResource)
                      if isinstance(s, URIRef) and any(
                          str(q) == c.quote for sel in g.objects(s, OA.hasSelector)
                          for q in g.objects(sel, OA.exact))]
        def at(span: URIRef) -> bool:
            starts = [int(str(v)) for sel in g.objects(span, OA.hasSelector)
                      for v in g.objects(sel, OA.start)]
            if c.start is not None and starts:
                return c.start in starts
            return c.line is None or int(g.value(span, GOVKG.startLine) or 0) == c.line

        exact = [s for s in same_quote if at(s)]
        return exact or (same_quote if len(same_quote) == 1 else [])

    # -- the record of the decision

    def activity(self, c: Correction, span: URIRef, comment: str) -> URIRef:
        g = self.graph
        key = f"{c.action}|{c.start}|{c.line}|{c.quote}|{c.items}|{c.post}|{c.role}"
        doc_id = str(self.doc).rsplit("/", 1)[-1]
        node = ID[f"document/{doc_id}/correction/{hashlib.sha1(key.encode()).hexdigest()[:12]}"]
        person = ID[f"person/{slugify(c.officer) or 'x'}"]
        g.add((person, RDF.type, PROV.Person))
        g.add((person, RDFS.label, Literal(c.officer)))
        g.add((node, RDF.type, PROV.Activity))
        g.add((node, RDF.type, GOVKG.Correction))
        g.add((node, GOVKG.correctionAction, Literal(c.action)))
        g.add((node, RDFS.label, Literal(comment, lang="en")))
        g.add((node, PROV.wasAssociatedWith, person))
        g.add((node, PROV.endedAtTime, Literal(c.decided.isoformat(), datatype=XSD.dateTime)))
        g.add((node, PROV.used, span))
        importing = g.value(self.doc, PROV.wasGeneratedBy)
        if importing is not None:
            g.add((node, PROV.wasInformedBy, importing))
        if c.reason:
            g.add((node, RDFS.comment, Literal(c.reason, lang="en")))
        return node

    # -- removing

    def drop_link(self, owner: Node, link: Node) -> None:
        """Remove an item link, and the plain triple it qualifies when no other link of the
        owner points to the same item."""
        g = self.graph
        item = g.value(link, GOVKG.linkedItem)
        for triple in list(g.triples((link, None, None))):
            g.remove(triple)
        g.remove((owner, GOVKG.qualifiedLink, link))
        still = any(g.value(other, GOVKG.linkedItem) == item
                    for other in g.objects(owner, GOVKG.qualifiedLink))
        if item is not None and not still:
            for prop in LINK_PROPERTIES:
                g.remove((owner, prop, item))

    def drop(self, node: URIRef) -> None:
        """Remove a resource: its links, what it says and what points to it, and the direct
        responsibility triple a removed responsibility stood for."""
        g = self.graph
        if (node, RDF.type, GOVKG.ItemLink) in g:  # a link the document itself makes
            for owner in list(g.subjects(GOVKG.qualifiedLink, node)):
                self.drop_link(owner, node)
            return
        for link in list(g.objects(node, GOVKG.qualifiedLink)):
            self.drop_link(node, link)
        if (node, RDF.type, GOVKG.Responsibility) in g:
            agent, kind = g.value(node, GOVKG.agent), g.value(node, GOVKG.responsibilityKind)
            regarding = g.value(node, GOVKG.regarding)
            others = [r for r in g.subjects(GOVKG.agent, agent) if r != node
                      and (r, GOVKG.responsibilityKind, kind) in g
                      and (r, GOVKG.regarding, regarding) in g]
            prop = {RESPONSIBILITY_KIND[k]: p for k, p in RESPONSIBILITY_PROPERTIES.items()}
            if not others and kind in prop:
                g.remove((agent, prop[kind], regarding))
        g.remove((node, None, None))
        g.remove((None, None, node))

    # -- the actions

    def reject(self, c: Correction, span: URIRef) -> None:
        g = self.graph
        invalidated = []
        for post, _, role, _ in designations(g, self.vocabulary, span, c.quote, self.roles):
            g.remove((post, ORG.role, role))
        for node in list(g.subjects(GOVKG.source, span)):
            if node == self.doc or not isinstance(node, URIRef):
                continue
            if set(g.objects(node, GOVKG.source)) - {span}:
                g.remove((node, GOVKG.source, span))
            else:
                self.drop(node)
                invalidated.append(node)
        activity = self.activity(c, span, f"{c.officer} rejected this statement")
        for node in invalidated:
            g.add((activity, PROV.invalidated, node))

    def items(self, c: Correction) -> list[URIRef]:
        found = []
        for notation in c.items:
            matches = [i for i in self.vocabulary.subjects(SKOS.notation, Literal(notation))
                       if (i, SKOS.inScheme, self.edition) in self.vocabulary]
            if not matches:
                raise DataFileError.at(self.where, c.entry_line, f"to: no item {notation!r} "
                                       f"in {label_of(self.graph, self.vocabulary, self.edition)}")
            found.append(URIRef(str(matches[0])))
        return found

    def relink(self, c: Correction, span: URIRef) -> bool:
        g = self.graph
        targets = self.items(c)
        owners = [n for n in g.subjects(GOVKG.source, span) if n != self.doc
                  and isinstance(n, URIRef) and (n, RDF.type, GOVKG.ItemLink) not in g
                  and any(True for _ in g.objects(n, GOVKG.qualifiedLink))]
        if not owners:
            return False
        activity = self.activity(c, span, f"{c.officer} linked this statement to "
                                 f"{', '.join(c.items)}")
        for node in owners:
            prop = GOVKG.addresses
            for link in list(g.objects(node, GOVKG.qualifiedLink)):
                item = g.value(link, GOVKG.linkedItem)
                if (item, SKOS.inScheme, self.edition) in self.vocabulary or (
                        item, RDF.type, SKOS.Concept) in g:
                    prop = next((p for p in LINK_PROPERTIES if (node, p, item) in g), prop)
                    self.drop_link(node, link)
            for item in targets:
                link = URIRef(f"{node}/link/{hashlib.sha1(str(item).encode()).hexdigest()[:8]}")
                g.add((node, prop, item))
                g.add((node, GOVKG.qualifiedLink, link))
                g.add((link, RDF.type, GOVKG.ItemLink))
                g.add((link, GOVKG.linkedItem, item))
                g.add((link, GOVKG.linkMethod, LINK_METHOD["by-person"]))
                g.add((link, GOVKG.matchScore, decimal(100)))
                g.add((link, PROV.wasDerivedFrom, self.doc))
                g.add((link, PROV.wasGeneratedBy, activity))
                for source in list(g.objects(node, GOVKG.source)):
                    g.add((link, GOVKG.source, source))
        return True

    def role(self, c: Correction) -> URIRef | None:
        assert c.role is not None
        if c.role.strip().lower() == "none":
            return None
        found = self.roles.lookup(c.role) or next(
            (r for r in self.roles.labels.values() if str(r).rsplit("/", 1)[-1] == c.role
             or str(r) == c.role), None)
        if found is None:
            raise DataFileError.at(self.where, c.entry_line, f"role: {c.role!r} is no role "
                                   "govkg knows (a slug such as monitoring-officer, or a "
                                   "label such as Monitoring Officer, or none)")
        return found

    def designate(self, c: Correction, span: URIRef) -> bool:
        g = self.graph
        role = self.role(c)
        found = designations(g, self.vocabulary, span, c.quote, self.roles)
        posts = [p for p in g.subjects(GOVKG.source, span) if (p, RDF.type, ORG.Post) in g]
        if c.post:
            post = COUNCIL[f"{self.council_slug}/post/{slugify(c.post)}"]
        elif found or len(posts) == 1:
            post = found[0][0] if found else URIRef(str(posts[0]))
        else:
            return False
        for old, _, old_role, _ in found:
            g.remove((old, ORG.role, old_role))
        words = f"designated {c.post or label_of(g, self.vocabulary, post)} as " + (
            label_of(g, self.vocabulary, role) if role is not None else "no role")
        if role is not None:
            if (post, RDF.type, ORG.Post) not in g:
                g.add((post, RDF.type, ORG.Post))
                g.add((post, SKOS.prefLabel, Literal(c.post, lang="en")))
                if self.council is not None:
                    g.add((post, ORG.postIn, self.council))
                    g.add((post, GOVKG.council, self.council))
                g.add((post, PROV.wasDerivedFrom, self.doc))
            g.add((post, ORG.role, role))
            g.add((post, GOVKG.source, span))
        self.activity(c, span, f"{c.officer} {words}")
        return True


def apply(graph: Graph, corrections: CorrectionsFile, vocabulary: Graph) -> Outcome:
    """Apply a document's corrections to its graph, in the file's order. A correction
    that no longer matches a statement is left out with a warning; one that cannot mean
    anything (an item or role that does not exist) is a :class:`DataFileError`."""
    editor = _Editor(graph, vocabulary, str(corrections.path))
    outcome = Outcome()
    for c in corrections.corrections:
        spans = editor.spans(c)
        done = False
        for span in spans:
            if c.action == "reject":
                editor.reject(c, span)
                done = True
            elif c.action == "relink":
                done = editor.relink(c, span) or done
            else:
                done = editor.designate(c, span) or done
        if done:
            outcome.applied.append(c)
        else:
            what = "matches no statement of the document any more" if not spans else (
                "names a statement with nothing to " + c.action)
            outcome.warnings.append(f"{corrections.path}:{c.entry_line}: the {c.action} "
                                    f"correction of {c.quote[:60]!r} {what}; not applied")
    return outcome

