"""A deterministic synthetic corpus of N councils, shaped like govkg's imported graph.

Each council gets what the importers make of its documents (see graph/importers/): a
local code (alternately against the 2007 and the 2016 framework edition) with posts and
their roles, bodies and their functions, ~60 commitments linked to framework items with
item links, evidence of shared kinds, and responsibilities (reified and direct); a
self-assessment with scored results and improvement actions; and, for every third
council, an external governance review with recommendations and failures. Every
resource carries provenance: ``prov:wasDerivedFrom`` its document and a ``govkg:source``
span (``oa:SpecificResource`` with a text-quote and a line selector). Each document is
its own named graph; the councils themselves are in one graph per council.

All terms shared across councils (roles, functions, evidence kinds, topics, framework
items, review standards, ...) are read from govkg's reference data, so the named queries
in ``queries/`` find what they look for. Council ``i`` depends only on ``i``: the first
400 councils of N=2000 are the councils of N=400.

Usage: ``python bench/synthetic.py N OUT.nq`` (about 3,400 triples a council).
"""

from __future__ import annotations

import hashlib
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, RDFS, SKOS, XSD

from govkg.graph.namespaces import (
    COUNCIL,
    COUNCIL_TYPE,
    DOCUMENT,
    FRAMEWORK,
    GOVKG,
    GRAPH,
    ID,
    LINK_METHOD,
    OA,
    ONS_GEOGRAPHY,
    PRIORITY,
    RESPONSIBILITY_KIND,
    REVIEW_AREA,
    REVIEW_STANDARD,
)

RFC5147 = URIRef("http://tools.ietf.org/rfc/rfc5147")
COUNCIL_TYPES = ["county", "district", "unitary", "metropolitan-borough", "london-borough"]
RESPONSIBILITY_KINDS = ["responsible-for", "leads", "monitors", "approves", "signs"]
DIRECT = {"responsible-for": GOVKG.responsibleFor, "leads": GOVKG.leads,
          "monitors": GOVKG.monitors, "approves": GOVKG.approves, "signs": GOVKG.signs}
POSTS = 15
BODIES = 8
COMMITMENTS = 60
EVIDENCE = 25
RESPONSIBILITIES = 20
RESULTS = 30
RECOMMENDATIONS = 12
FAILURES = 5


def _literal(text: str, lang: str | None = None, datatype: URIRef | None = None) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r"))
    if lang:
        return f'"{escaped}"@{lang}'
    if datatype is not None:
        return f'"{escaped}"^^<{datatype}>'
    return f'"{escaped}"'


@dataclass(frozen=True)
class Vocabulary:
    """The shared terms a synthetic council refers to, read from the reference data."""

    roles: list[URIRef]
    statutory_roles: list[URIRef]
    functions: list[URIRef]
    evidence_kinds: list[URIRef]
    topics: list[URIRef]
    items: dict[URIRef, list[URIRef]]  # edition -> its items below the core principles
    standards: list[URIRef]
    areas: list[URIRef]
    priorities: list[URIRef]

    @classmethod
    def from_reference(cls, reference: Graph) -> Vocabulary:
        def instances(rdf_type: URIRef) -> list[URIRef]:
            return sorted(s for s in reference.subjects(RDF.type, rdf_type)
                          if isinstance(s, URIRef))

        items: dict[URIRef, list[URIRef]] = {}
        for edition in (FRAMEWORK["cipfa-solace-2007"], FRAMEWORK["cipfa-solace-2016"]):
            members = {s for s in reference.subjects(SKOS.inScheme, edition)
                       if isinstance(s, URIRef)}
            core = set(instances(GOVKG.CorePrinciple))
            items[edition] = sorted(m for m in members if m not in core) or sorted(members)
        statutory = instances(GOVKG.StatutoryRole)
        return cls(
            roles=sorted(set(instances(GOVKG.GovernanceRole)) | set(statutory)),
            statutory_roles=statutory,
            functions=instances(GOVKG.BodyFunction),
            evidence_kinds=instances(GOVKG.EvidenceKind),
            topics=instances(GOVKG.GovernanceTopic),
            items=items,
            standards=instances(GOVKG.ReviewStandard) or [REVIEW_STANDARD.transparency],
            areas=instances(GOVKG.ReviewArea) or [REVIEW_AREA.systems],
            priorities=instances(GOVKG.Priority) or [PRIORITY.key],
        )


class CouncilWriter:
    """Writes one synthetic council's graphs as N-Quads lines."""

    def __init__(self, index: int, vocabulary: Vocabulary, out: TextIO) -> None:
        self.index = index
        self.v = vocabulary
        self.out = out
        self.random = random.Random(index)  # councils do not depend on one another
        self.slug = f"synthetic-council-{index:04d}"
        self.council = COUNCIL[self.slug]
        self.label = f"Synthetic Council {index:04d}"
        self.triples = 0
        self.graph: URIRef = GRAPH[f"council/{self.slug}"]
        self.document: URIRef = DOCUMENT["none"]
        self.line = 1

    def quad(self, s: URIRef, p: URIRef, o: URIRef | str) -> None:
        obj = f"<{o}>" if isinstance(o, URIRef) else o
        self.out.write(f"<{s}> <{p}> {obj} <{self.graph}> .\n")
        self.triples += 1

    def open_document(self, kind: str) -> str:
        digest = hashlib.sha256(f"{self.slug}/{kind}".encode()).hexdigest()
        self.document = DOCUMENT[digest[:16]]
        self.graph = GRAPH[f"document/{digest[:16]}"]
        self.line = 1
        return digest

    def cite(self, node: URIRef, quote: str) -> None:
        """Provenance as the importers write it: a span with two selectors."""
        start = self.line
        end = start + self.random.randint(0, 3)
        self.line = end + 1
        span = URIRef(f"{self.document}/span/{start}-{end}")
        self.quad(node, PROV.wasDerivedFrom, self.document)
        self.quad(node, GOVKG.source, span)
        self.quad(span, RDF.type, OA.SpecificResource)
        self.quad(span, OA.hasSource, self.document)
        self.quad(span, GOVKG.startLine, _literal(str(start), datatype=XSD.integer))
        self.quad(span, GOVKG.endLine, _literal(str(end), datatype=XSD.integer))
        quote_selector, line_selector = URIRef(f"{span}/quote"), URIRef(f"{span}/lines")
        self.quad(span, OA.hasSelector, quote_selector)
        self.quad(span, OA.hasSelector, line_selector)
        self.quad(quote_selector, RDF.type, OA.TextQuoteSelector)
        self.quad(quote_selector, OA.exact, _literal(quote))
        self.quad(line_selector, RDF.type, OA.FragmentSelector)
        self.quad(line_selector, DCTERMS.conformsTo, RFC5147)
        self.quad(line_selector, RDF.value, _literal(f"line={start - 1},{end}"))

    def resource(self, segment: str, n: int, rdf_type: URIRef, label: str) -> URIRef:
        node = URIRef(f"{ID}document/{self.document.split('/')[-1]}/{segment}/{n}")
        self.quad(node, RDF.type, rdf_type)
        self.quad(node, GOVKG.council, self.council)
        self.quad(node, RDFS.label, _literal(label, "en"))
        self.cite(node, f"{label}, as the document words it.")
        return node

    def pick(self, choices: list[URIRef]) -> URIRef:
        return choices[self.random.randrange(len(choices))]

    # ------------------------------------------------------------------ the council

    def write(self) -> int:
        self.write_council()
        posts, bodies, evidence = self.write_local_code()
        self.write_self_assessment(posts, evidence)
        if self.index % 3 == 0:
            self.write_review(posts, bodies)
        return self.triples

    def write_council(self) -> None:
        c = self.council
        gss = f"E{7 + self.index % 3:02d}{self.index:06d}"
        self.quad(c, RDF.type, GOVKG.Council)
        self.quad(c, SKOS.prefLabel, _literal(self.label, "en"))
        self.quad(c, RDFS.label, _literal(self.label, "en"))
        self.quad(c, GOVKG.slug, _literal(self.slug))
        self.quad(c, GOVKG.councilType, COUNCIL_TYPE[COUNCIL_TYPES[self.index % 5]])
        self.quad(c, GOVKG.gssCode, _literal(gss))
        self.quad(c, GOVKG.statisticalGeography, ONS_GEOGRAPHY[gss])

    def describe_document(self, rdf_type: URIRef, title: str, digest: str,
                          edition: URIRef | None) -> None:
        doc = self.document
        self.quad(doc, RDF.type, rdf_type)
        self.quad(doc, GOVKG.council, self.council)
        self.quad(doc, GOVKG.sha256, _literal(digest))
        self.quad(doc, DCTERMS.title, _literal(f"{self.label}: {title}", "en"))
        self.quad(doc, DCTERMS.identifier, _literal(f"{self.slug}-{rdf_type.split('/')[-1]}.txt"))
        self.quad(doc, GOVKG.period, _literal(f"20{19 + self.index % 5}/{20 + self.index % 5}"))
        if edition is not None:
            self.quad(doc, GOVKG.followsFramework, edition)
        activity = URIRef(f"{doc}/import")
        self.quad(doc, PROV.wasGeneratedBy, activity)
        self.quad(activity, RDF.type, PROV.Activity)

    def write_local_code(self) -> tuple[list[URIRef], list[URIRef], list[URIRef]]:
        edition = FRAMEWORK["cipfa-solace-2007" if self.index % 2 else "cipfa-solace-2016"]
        digest = self.open_document("local-code")
        self.describe_document(GOVKG.LocalCode, "Local Code of Corporate Governance", digest,
                               edition)
        posts = []
        for n in range(POSTS):
            post = COUNCIL[f"{self.slug}/post/post-{n}"]
            self.quad(post, RDF.type, ORG.Post)
            self.quad(post, ORG.postIn, self.council)
            self.quad(post, SKOS.prefLabel, _literal(f"Post {n} of {self.label}", "en"))
            self.quad(post, GOVKG.council, self.council)
            # the statutory roles usually go to the first posts; now and then one is
            # left unassigned, as some real codes leave them
            if n < len(self.v.statutory_roles) and self.random.random() < 0.9:
                self.quad(post, ORG.role, self.v.statutory_roles[n])
            elif self.random.random() < 0.6:
                self.quad(post, ORG.role, self.pick(self.v.roles))
            self.cite(post, f"Post {n}")
            posts.append(post)
        bodies = []
        for n in range(BODIES):
            body = COUNCIL[f"{self.slug}/body/body-{n}"]
            self.quad(body, RDF.type, GOVKG.Body)
            self.quad(body, ORG.unitOf, self.council)
            self.quad(body, SKOS.prefLabel, _literal(f"Committee {n}", "en"))
            self.quad(body, GOVKG.council, self.council)
            self.quad(body, GOVKG.hasFunction, self.v.functions[n % len(self.v.functions)])
            self.cite(body, f"Committee {n}")
            bodies.append(body)
        evidence = []
        for n in range(EVIDENCE):
            node = self.resource("evidence", n, GOVKG.Evidence, f"Evidence document {n}")
            self.quad(node, GOVKG.evidenceKind, self.pick(self.v.evidence_kinds))
            self.quad(node, GOVKG.topic, self.pick(self.v.topics))
            evidence.append(node)
        items = self.v.items[edition]
        for n in range(COMMITMENTS):
            node = self.resource("commitment", n, GOVKG.Commitment, f"We will do thing {n}")
            item = items[(n * 7 + self.index) % len(items)]
            self.quad(node, GOVKG.addresses, item)
            link = URIRef(f"{node}/link")
            self.quad(node, GOVKG.qualifiedLink, link)
            self.quad(link, RDF.type, GOVKG.ItemLink)
            self.quad(link, GOVKG.linkedItem, item)
            by_text = self.random.random() < 0.3
            self.quad(link, GOVKG.linkMethod, LINK_METHOD["by-text" if by_text else "by-number"])
            score = f"{self.random.uniform(70, 99):.1f}" if by_text else "100.0"
            self.quad(link, GOVKG.matchScore, _literal(score, datatype=XSD.decimal))
            for _ in range(2):
                self.quad(node, GOVKG.citesEvidence, self.pick(evidence))
        for n in range(RESPONSIBILITIES):
            agent = self.pick(posts) if n % 3 else self.pick(bodies)
            kind = RESPONSIBILITY_KINDS[n % len(RESPONSIBILITY_KINDS)]
            regarding = self.pick(self.v.topics) if n % 2 else self.pick(evidence)
            node = self.resource("responsibility", n, GOVKG.Responsibility,
                                 f"Responsibility {n}")
            self.quad(node, GOVKG.agent, agent)
            self.quad(node, GOVKG.responsibilityKind, RESPONSIBILITY_KIND[kind])
            self.quad(node, GOVKG.regarding, regarding)
            self.quad(agent, DIRECT[kind], regarding)
        return posts, bodies, evidence

    def write_self_assessment(self, posts: list[URIRef], evidence: list[URIRef]) -> None:
        edition = FRAMEWORK["cipfa-solace-2007" if self.index % 2 else "cipfa-solace-2016"]
        digest = self.open_document("self-assessment")
        self.describe_document(GOVKG.SelfAssessment, "Governance self-assessment", digest,
                               edition)
        items = self.v.items[edition]
        for n in range(RESULTS):
            node = self.resource("result", n, GOVKG.SelfAssessmentResult, f"Result {n}")
            item = items[(n * 5 + self.index) % len(items)]
            score = self.random.randint(1, 5)
            self.quad(node, GOVKG.assesses, item)
            self.quad(node, GOVKG.score, _literal(str(score), datatype=XSD.decimal))
            self.quad(node, GOVKG.scaleMinimum, _literal("1", datatype=XSD.decimal))
            self.quad(node, GOVKG.scaleMaximum, _literal("5", datatype=XSD.decimal))
            self.quad(node, GOVKG.citesEvidence, self.pick(evidence))
            if score <= 2:
                action = self.resource("action", n, GOVKG.ImprovementAction, f"Improve {n}")
                self.quad(node, GOVKG.improvementAction, action)
                self.quad(action, GOVKG.leadPost, self.pick(posts))
                self.quad(action, GOVKG.targetPeriod, _literal(f"20{20 + n % 4}/{21 + n % 4}"))

    def write_review(self, posts: list[URIRef], bodies: list[URIRef]) -> None:
        digest = self.open_document("governance-review")
        self.describe_document(GOVKG.ExternalGovernanceReview, "External governance review",
                               digest, None)
        for n in range(RECOMMENDATIONS):
            node = self.resource("recommendation", n, GOVKG.Recommendation,
                                 f"Recommendation {n}")
            self.quad(node, GOVKG.priority, self.v.priorities[n % len(self.v.priorities)])
            self.quad(node, GOVKG.area, self.v.areas[n % len(self.v.areas)])
            self.quad(node, GOVKG.standard, self.pick(self.v.standards))
            self.quad(node, GOVKG.expectedImpact, _literal(f"Better governance {n}", "en"))
            self.quad(node, GOVKG.concerns, self.pick(self.v.evidence_kinds))
        for n in range(FAILURES):
            node = self.resource("failure", n, GOVKG.Failure, f"Failure {n}")
            self.quad(node, GOVKG.standard, self.pick(self.v.standards))
            self.quad(node, GOVKG.area, self.pick(self.v.areas))
            self.quad(node, GOVKG.concerns, self.pick(posts + bodies))


def generate(councils: int, out: TextIO, reference: Graph | None = None) -> int:
    """Write ``councils`` synthetic councils to ``out`` as N-Quads; returns the triples."""
    if reference is None:
        from govkg.graph.vocabulary import load_reference

        reference = load_reference()
    vocabulary = Vocabulary.from_reference(reference)
    return sum(CouncilWriter(i, vocabulary, out).write() for i in range(councils))


def main(argv: list[str]) -> int:
    if len(argv) != 3 or not argv[1].isdigit():
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    path = Path(argv[2])
    with path.open("w", encoding="utf-8") as out:
        triples = generate(int(argv[1]), out)
    print(f"wrote {triples} triples for {argv[1]} councils to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
