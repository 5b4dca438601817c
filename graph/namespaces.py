"""The namespaces govkg mints IRIs in, and the W3C ones it reuses.

All govkg IRIs sit under one base, ``https://w3id.org/govkg/``: terms under ``def/``,
resources under ``id/``, named graphs under ``graph/``. Publishing under another domain
rewrites that base when the data is served (see ``GOVKG_BASE``); the stored data and
the bundled files always use the default base so that they stay comparable.
"""

from __future__ import annotations

import hashlib
import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, XSD, NamespaceManager

DEFAULT_BASE = "https://w3id.org/govkg/"

GOVKG = Namespace(DEFAULT_BASE + "def/")
ID = Namespace(DEFAULT_BASE + "id/")
GRAPH = Namespace(DEFAULT_BASE + "graph/")
#: Terms of the facts govkg derives at load time (graph/store/derived.py), never imported.
DERIVED = Namespace(DEFAULT_BASE + "def/derived/")

FRAMEWORK = Namespace(ID + "framework/")
F2007 = Namespace(FRAMEWORK + "cipfa-solace-2007/")
F2016 = Namespace(FRAMEWORK + "cipfa-solace-2016/")
SCHEME = Namespace(ID + "scheme/")
ROLE = Namespace(ID + "role/")
BODY_FUNCTION = Namespace(ID + "body-function/")
EVIDENCE_KIND = Namespace(ID + "evidence-kind/")
TOPIC = Namespace(ID + "topic/")
COUNCIL = Namespace(ID + "council/")
COUNCIL_TYPE = Namespace(ID + "council-type/")
DOCUMENT = Namespace(ID + "document/")
LINK_METHOD = Namespace(ID + "link-method/")
RESPONSIBILITY_KIND = Namespace(ID + "responsibility-kind/")
SET_RELATION = Namespace(ID + "set-relation/")
REVIEW_STANDARD = Namespace(ID + "review-standard/")
REVIEW_AREA = Namespace(ID + "review-area/")
PRIORITY = Namespace(ID + "priority/")

OA = Namespace("http://www.w3.org/ns/oa#")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SH = Namespace("http://www.w3.org/ns/shacl#")
ONS_GEOGRAPHY = Namespace("http://statistics.data.gov.uk/id/statistical-geography/")

#: Named graphs that are not documents.
ONTOLOGY_GRAPH = GRAPH["ontology"]
REFERENCE_GRAPH = GRAPH["reference"]
#: Where stored validation reports live, one graph per council (graph/validation.py):
#: derived graphs that hold no resource to search (graph/search.py skips them).
VALIDATION_REPORT_GRAPHS = str(GRAPH) + "derived/validation/"

PREFIXES: dict[str, Namespace] = {
    "govkg": GOVKG,
    "derived": DERIVED,
    "fw": FRAMEWORK,
    "f07": F2007,
    "f16": F2016,
    "scheme": SCHEME,
    "role": ROLE,
    "fn": BODY_FUNCTION,
    "ek": EVIDENCE_KIND,
    "topic": TOPIC,
    "council": COUNCIL,
    "doc": DOCUMENT,
    "rk": RESPONSIBILITY_KIND,
    "skos": Namespace(str(SKOS)),
    "dcterms": Namespace(str(DCTERMS)),
    "dcat": Namespace(str(DCAT)),
    "prov": Namespace(str(PROV)),
    "org": Namespace(str(ORG)),
    "oa": OA,
    "foaf": FOAF,
    "owl": Namespace(str(OWL)),
    "rdf": Namespace(str(RDF)),
    "rdfs": Namespace(str(RDFS)),
    "xsd": Namespace(str(XSD)),
    "sh": SH,
}


def bind_prefixes(manager: NamespaceManager) -> None:
    """Bind govkg's usual prefixes, so serialised Turtle reads like the data files."""
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=True, replace=True)


_SLUG_UNSAFE = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 80


def slugify(text: str) -> str:
    """A readable, stable IRI segment for a name.

    "&" reads as "and" and apostrophes vanish, so spellings of one name give one IRI;
    a very long name (a whole bullet of evidence) is cut and given a hash, so IRIs stay
    readable and distinct.

    >>> slugify("Director of Law & Governance (MO)")
    'director-of-law-and-governance-mo'
    >>> slugify("Cabinet Members’ Meeting")
    'cabinet-members-meeting'
    """
    plain = re.sub(r"['’‘`]", "", text.lower().replace("&", " and "))
    slug = _SLUG_UNSAFE.sub("-", plain).strip("-")
    if len(slug) > _MAX_SLUG:
        digest = hashlib.sha1(slug.encode("utf-8")).hexdigest()[:8]
        slug = f"{slug[:_MAX_SLUG - 9].rstrip('-')}-{digest}"
    return slug


def is_govkg_term(iri: URIRef | str) -> bool:
    """True for an IRI in govkg's own term namespace (``def/``)."""
    return str(iri).startswith(str(GOVKG)) and str(iri) != str(GOVKG)
