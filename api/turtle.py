"""Short Turtle for the static site's ``x.ttl`` files, written without rdflib's serialiser.

The site writes one Turtle file for each of 2,000 resources; rdflib's serialiser would
take a second or two for all, and N-Triples lines (full IRIs, the subject repeated on
every line) made them 5 MB, a sixth of the site. This writer groups a subject's
statements (``;``), writes the usual vocabularies as prefixed names and govkg's own
IRIs relative to ``@base``: the same triples in a third of the bytes. A name is only
shortened when the short form is certainly the same IRI (a plain local name; a relative
reference without ``.``/``..`` segments or a scheme-like first segment); anything else
is written in full, as rdflib writes it.

Published under another base (``GOVKG_BASE``), the same names are written: relative
ones resolve against the published ``@base``, and the prefixes and full IRIs under the
stored base are written under the published one (:meth:`govkg.api.linked.Links.publish`),
so a file never names a resource by its stored IRI.

>>> from rdflib import Literal, URIRef
>>> from rdflib.namespace import RDF, SKOS
>>> post = URIRef("https://w3id.org/govkg/id/council/x/post/ceo")
>>> print(write([(post, [(RDF.type, URIRef("http://www.w3.org/ns/org#Post")),
...                      (SKOS.prefLabel, Literal("Chief Executive", lang="en"))])]))
@base <https://w3id.org/govkg/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<BLANKLINE>
<id/council/x/post/ceo> a org:Post ;
    skos:prefLabel "Chief Executive"@en .
<BLANKLINE>
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from rdflib import RDF, URIRef
from rdflib.term import Node

from govkg.graph.namespaces import DEFAULT_BASE, PREFIXES

#: vocabularies written as prefixed names (govkg's own resources go relative to @base)
VOCABULARIES = sorted(((prefix, str(namespace)) for prefix, namespace in PREFIXES.items()
                       if not str(namespace).startswith(DEFAULT_BASE + "id/")),
                      key=lambda pair: -len(pair[1]))
#: a local name that needs no escaping in Turtle (a subset of PN_LOCAL)
_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_SCHEME_LIKE = re.compile(r"^[^/?#]*:")
_TYPE = RDF.type

Statements = Iterable[tuple[Node, Iterable[tuple[Node, Node]]]]


def _published(iri: str, base: str) -> str:
    """``iri`` with the stored base replaced by ``base``."""
    return base + iri[len(DEFAULT_BASE):] if iri.startswith(DEFAULT_BASE) else iri


class _Names:
    """Shortens IRIs (stored under the default base), remembering which prefixes it
    used; an IRI written in full is written under the published ``base``."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.used: set[str] = set()

    def term(self, node: Node) -> str:
        if not isinstance(node, URIRef):
            return str(node.n3())
        text = str(node)
        for prefix, namespace in VOCABULARIES:
            if text.startswith(namespace):
                if _LOCAL.match(text[len(namespace):]):
                    self.used.add(prefix)
                    return f"{prefix}:{text[len(namespace):]}"
                break
        written = URIRef(_published(text, self.base)).n3()  # <...>, escaped for Turtle
        relative = written[1:-1][len(self.base):] if written[1:].startswith(self.base) else None
        if relative is None or _SCHEME_LIKE.match(relative) or relative.startswith("/") or any(
                segment in (".", "..") for segment in relative.split("#")[0].split("/")):
            return str(written)
        return f"<{relative}>"


def write(statements: Statements, base: str = DEFAULT_BASE) -> str:
    """Turtle of ``statements`` (stored IRIs): each subject with its (predicate, object)
    pairs, in the order given (a repeated pair is written once), published under
    ``base``."""
    names = _Names(base)
    blocks = []
    for subject, pairs in statements:
        lines = list(dict.fromkeys(
            f"{'a' if p == _TYPE else names.term(p)} {names.term(o)}" for p, o in pairs))
        if lines:
            blocks.append(f"{names.term(subject)} " + " ;\n    ".join(lines) + " .\n")
    header = [f"@base <{base}> ."] + [f"@prefix {prefix}: <{_published(namespace, base)}> ."
                                       for prefix, namespace in sorted(VOCABULARIES)
                                       if prefix in names.used]
    return "\n".join(header) + "\n\n" + "\n".join(blocks)
