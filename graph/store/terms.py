"""RDF terms across rdflib, pyoxigraph and the SPARQL protocol, and safe query bindings.

rdflib is govkg's API for terms; pyoxigraph is the embedded engine; SPARQL servers speak
JSON results and N-Triples. This module converts between them, so that every backend
returns the same rdflib terms, and binds query parameters without building query text
from user input.

Binding on a server: the SPARQL protocol has no parameters, so a bound query gets a
``VALUES`` block at the start of its top-level ``WHERE`` group. That is safe because the
only text inserted is each term as rdflib serialises it in N-Triples form (``.n3()``,
which escapes quotes, backslashes and line breaks in literals and refuses an IRI with
characters that could end it), and variable names that match SPARQL's ``VARNAME``
production. A value can therefore only ever be one RDF term, never query syntax.

>>> bind_values("SELECT ?n WHERE { ?c <http://x/name> ?n }", {"c": URIRef("http://x/a")})
'SELECT ?n WHERE { VALUES (?c) { (<http://x/a>) } ?c <http://x/name> ?n }'
"""

from __future__ import annotations

import re
import sys
import threading
from collections.abc import Iterable, Mapping
from typing import Any

import pyoxigraph as ox
from cachetools import LRUCache
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from govkg.graph.errors import QueryError
from govkg.graph.sparqlscan import QueryShape, scan

_XSD_STRING = str(XSD.string)
_OX_XSD_STRING = ox.NamedNode(_XSD_STRING)
_VARNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# ----------------------------------------------------------------- pyoxigraph <-> rdflib


def from_ox(term: Any) -> Node:
    """An rdflib term for a pyoxigraph term (simple literals without ``xsd:string``)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype
        return Literal(term.value, datatype=None if datatype == _OX_XSD_STRING else datatype.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise QueryError(f"unsupported RDF term {term!r} (RDF-star triples are not supported)")


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term for an rdflib term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(_bnode_id(str(term)))
    raise QueryError(f"cannot store {term!r}: not an IRI, literal or blank node")


_BNODE_UNSAFE = re.compile(r"[^A-Za-z0-9]")


def _bnode_id(label: str) -> str:
    """A blank-node label every parser accepts (rdflib's may hold ``-`` or ``_``)."""
    safe = _BNODE_UNSAFE.sub("x", label)
    return safe if safe and safe[0].isalpha() else "b" + safe


def ox_graph_name(graph: str | URIRef) -> ox.NamedNode:
    """A graph IRI for pyoxigraph, refusing what is not an absolute IRI."""
    try:
        return ox.NamedNode(str(graph))
    except ValueError as exc:
        raise QueryError(f"not a valid graph IRI: {str(graph)!r} ({exc})") from None


def n3(term: Node) -> str:
    """A term in N-Triples form, for SPARQL text; refuses IRIs that could break out."""
    if isinstance(term, BNode):
        return "_:" + _bnode_id(str(term))
    if isinstance(term, Literal):
        return str(to_ox(term))  # pyoxigraph escapes as N-Triples requires
    if isinstance(term, URIRef):
        try:
            return str(ox.NamedNode(str(term)))
        except ValueError as exc:
            raise QueryError(f"not a valid IRI: {str(term)!r} ({exc})") from None
    raise QueryError(f"cannot write {term!r} as an RDF term")


def ox_n3(term: Any) -> str:
    """A pyoxigraph term in N-Triples form (its ``str`` is exactly that)."""
    return str(term)


# ----------------------------------------------------------------- SPARQL JSON results


def from_json(binding: Mapping[str, str]) -> Node:
    """An rdflib term for one value of SPARQL 1.1 Query Results JSON."""
    kind = binding.get("type")
    value = binding.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if kind in ("literal", "typed-literal"):
        lang = binding.get("xml:lang")
        if lang:
            return Literal(value, lang=lang)
        datatype = binding.get("datatype")
        return Literal(value, datatype=None if datatype in (None, _XSD_STRING) else datatype)
    raise QueryError(f"unsupported term in SPARQL results: {dict(binding)!r}")


def normalise(term: Node) -> Node:
    """Drop an explicit ``xsd:string`` so literals from every backend compare equal."""
    if isinstance(term, Literal) and str(term.datatype) == _XSD_STRING:
        return Literal(str(term))
    return term


# ----------------------------------------------------------------- VALUES injection

# Tokens that can hold braces or the word WHERE without meaning them: comments,
# strings (long and short), IRIs. An IRI is '<' followed by IRI characters and '>';
# any other '<' is the less-than operator.
_SKIP = re.compile(
    r"""\#[^\n]*
      | '''(?:[^'\\]|\\.|'(?!''))*'''
      | \"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
      | '(?:[^'\\\n]|\\.)*'
      | "(?:[^"\\\n]|\\.)*"
      | <[^<>"{}|^`\\\x00-\x20]*>
    """,
    re.VERBOSE,
)
# prefixed names (which may end in 'where'), keywords, variables
_WORD = re.compile(r"[A-Za-z_][\w.-]*:[\w.%:-]*|:[\w.%:-]*|[A-Za-z_]\w*|[?$]\w+")


def _top_level_group(sparql: str) -> int:
    """Index just after the ``{`` that opens the query's top-level WHERE group."""
    depth = 0
    saw_where = False
    construct = False
    i = 0
    while i < len(sparql):
        match = _SKIP.match(sparql, i)
        if match:
            i = match.end()
            continue
        char = sparql[i]
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "{":
            if depth == 0 and (saw_where or not construct):  # not CONSTRUCT's template
                return i + 1
            depth += 1
        elif char == "}":
            depth -= 1
        else:
            word = _WORD.match(sparql, i)
            if word:
                token = word.group(0)
                if depth == 0 and token.upper() == "WHERE":
                    saw_where = True
                elif depth == 0 and token.upper() == "CONSTRUCT":
                    construct = True
                i = word.end()
                continue
        i += 1
    raise QueryError("cannot bind parameters: the query has no WHERE group")


def values_block(bindings: Mapping[str, Node]) -> str:
    """``VALUES (?a ?b) { (t1 t2) }`` for one row of bindings."""
    names = []
    for name in bindings:
        if not _VARNAME.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
        names.append(name)
    terms = []
    for name in names:
        term = bindings[name]
        if isinstance(term, BNode):
            raise QueryError(f"parameter {name!r}: a blank node cannot be bound on a server")
        terms.append(n3(term))
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"


def bind_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``bindings`` as a VALUES block opening its top-level WHERE group."""
    if not bindings:
        return sparql
    at = _top_level_group(sparql)
    return f"{sparql[:at]} {values_block(bindings)}{sparql[at:]}"


def _group_end(sparql: str, at: int) -> int:
    """Index of the ``}`` closing the group whose ``{`` is just before ``at``."""
    depth = 1
    i = at
    while i < len(sparql):
        match = _SKIP.match(sparql, i)
        if match:
            i = match.end()
            continue
        if sparql[i] == "{":
            depth += 1
        elif sparql[i] == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise QueryError("cannot bind parameters: the query's WHERE group is not closed")


def bind_lateral(sparql: str, name: str, terms: Iterable[Node]) -> str:
    """The query with ``VALUES ?name { t1 t2 ... }`` and then its own WHERE group as a
    ``LATERAL`` join (SPARQL 1.2, which Oxigraph evaluates): the group runs once per
    value, with the value bound.

    Why not :func:`bind_rows`: Oxigraph's planner starts from the smallest ``VALUES``
    block, so a query with a small table of its own (the analytics' classes or
    properties) scans every council's data and only then joins a few hundred values.
    """
    if not _VARNAME.match(name):
        raise QueryError(f"not a SPARQL variable name: {name!r}")
    at = _top_level_group(sparql)
    end = _group_end(sparql, at)
    values = " ".join(n3(t) for t in terms)
    return (f"{sparql[:at]} VALUES ?{name} {{ {values} }} LATERAL {{{sparql[at:end]}}}"
            f"\n{sparql[end:]}")


# the prologue's declarations (a PREFIX or BASE may only open the query)
_DECLARATION = re.compile(r"\b(?:PREFIX\s+[A-Za-z_]?[\w.-]*:\s*<[^<>\s]*>|BASE\s*<[^<>\s]*>)",
                          re.IGNORECASE)


def ask_where(sparql: str) -> str:
    r"""An ASK of the query's top-level WHERE group, with its prologue: whether the query
    has any solution at all, which the engine answers at the first it finds (where its
    plan streams), without the solution modifiers' sort or grouping of every row.

    >>> ask_where("PREFIX a: <http://a/> SELECT ?x WHERE { ?x a:p ?y } ORDER BY ?y")
    'PREFIX a: <http://a/>\nASK { ?x a:p ?y }'
    """
    at = _top_level_group(sparql)
    end = _group_end(sparql, at)
    prologue = "\n".join(_DECLARATION.findall(sparql[:at]))
    return f"{prologue}\nASK {{{sparql[at:end]}}}"


# the prologue as written: blanks, comments, PREFIX and BASE declarations
_PROLOGUE = re.compile(r"^(?:\s+|#[^\n]*|(?:PREFIX\s+[^\s:]*:\s*|BASE\s*)<[^>]*>)*",
                       re.IGNORECASE)


def wrapped(sparql: str, select: str, after: str = "") -> str:
    r"""A SELECT of ``select`` over the query's rows, the query as its sub-select (which
    keeps the query's own ORDER BY, GROUP BY and VALUES), its prologue in front, and
    ``after`` (a GROUP BY, say) at the end: a count of its rows.

    >>> wrapped("PREFIX a: <http://a/> SELECT ?x WHERE { ?x a:p 1 }", "(COUNT(*) AS ?n)")
    'PREFIX a: <http://a/> SELECT (COUNT(*) AS ?n) WHERE { SELECT ?x WHERE { ?x a:p 1 }\n}'
    """
    prologue = _PROLOGUE.match(sparql)
    end = prologue.end() if prologue else 0
    tail = f" {after}" if after else ""
    return f"{sparql[:end]}SELECT {select} WHERE {{ {sparql[end:]}\n}}{tail}"


def bind_rows(sparql: str, name: str, terms: Iterable[Node]) -> str:
    """The query with ``VALUES ?name { t1 t2 ... }`` opening its top-level WHERE group:
    one variable bound to each of several values (a page of councils, say)."""
    if not _VARNAME.match(name):
        raise QueryError(f"not a SPARQL variable name: {name!r}")
    at = _top_level_group(sparql)
    return f"{sparql[:at]} VALUES ?{name} {{ {' '.join(n3(t) for t in terms)} }}{sparql[at:]}"


def bind_table(sparql: str, names: Iterable[str], rows: Iterable[Iterable[Node]]) -> str:
    """The query with ``VALUES (?a ?b) { (a1 b1) (a2 b2) ... }`` opening its top-level
    WHERE group: several variables bound together, row by row."""
    names = list(names)
    for name in names:
        if not _VARNAME.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
    at = _top_level_group(sparql)
    table = " ".join("(" + " ".join(n3(t) for t in row) + ")" for row in rows)
    return (f"{sparql[:at]} VALUES ({' '.join('?' + n for n in names)}) {{ {table} }}"
            f"{sparql[at:]}")


#: bytes of query text (as Python holds it) whose shapes are kept: the web service once
#: cached every text it saw (449 MB after 100 large queries); this cache cannot pass it
FORM_CACHE_BYTES = 4_000_000
#: text -> (shape, the text's size in bytes): cachetools sizes an entry by its value
_shapes: LRUCache[str, tuple[QueryShape, int]] = LRUCache(
    maxsize=FORM_CACHE_BYTES, getsizeof=lambda entry: entry[1])
_shapes_lock = threading.Lock()


def query_shape(sparql: str) -> QueryShape:
    """The query's shape (:func:`govkg.graph.sparqlscan.scan`), from a cache bounded by
    the bytes of the texts it keeps (a text larger than the whole cache is not kept)."""
    with _shapes_lock:
        entry = _shapes.get(sparql)
    if entry is not None:
        return entry[0]
    shape = scan(sparql)
    size = sys.getsizeof(sparql)
    if size <= FORM_CACHE_BYTES:
        with _shapes_lock:
            _shapes[sparql] = (shape, size)
    return shape


def query_form(sparql: str) -> tuple[str, list[str]]:
    """The query's form ("select", "ask" or "graph") and, for SELECT, its projection.

    Learnt by scanning the text (:mod:`govkg.graph.sparqlscan`), never by evaluating it:
    evaluating, even on an empty store, runs a ``SERVICE`` call and has no time limit.
    The full syntax is checked where the query runs.

    >>> query_form("PREFIX ex: <http://ex/> SELECT ?a WHERE { ?a ex:p 1 }")
    ('select', ['a'])
    """
    shape = query_shape(sparql)
    return shape.form, list(shape.projection)


def ox_substitutions(bindings: Mapping[str, Node]) -> dict[ox.Variable, Any]:
    """Bindings as pyoxigraph ``substitutions`` (SEP-0007), checking variable names."""
    result = {}
    for name, term in bindings.items():
        if not _VARNAME.match(name):
            raise QueryError(f"not a SPARQL variable name: {name!r}")
        result[ox.Variable(name)] = to_ox(term)
    return result


def nt_lines(triples: Iterable[tuple[Node, Node, Node]]) -> Iterable[str]:
    """Triples as N-Triples statements (one string each, without the newline)."""
    for s, p, o in triples:
        yield f"{n3(s)} {n3(p)} {n3(o)} ."
