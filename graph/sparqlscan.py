"""What a SPARQL query is, read from its tokens: never by evaluating it.

The web service must know a query's form (to negotiate the result format), whether it
names a dataset (``FROM``), which remote endpoints it calls (``SERVICE``) and how deeply
it nests, before Oxigraph sees it: Oxigraph's parser recurses once per nesting level and
segfaults on 5,000 nested groups or 20,000 ``UNION`` branches, and evaluating a query
just to learn its form runs its ``SERVICE`` calls. This scanner is one regular expression
and one loop, linear in the text and without recursion, so no input can crash it; it
understands exactly as much SPARQL as those questions need (comments, strings, IRIs,
prefixed names, variables, keywords, brackets) and leaves the full grammar to Oxigraph.

Codepoint escapes (``\\u0053ERVICE``) are decoded first, as SPARQL 1.1 (19.2) says every
parser must, so an escaped keyword is seen as the keyword.

>>> shape = scan("PREFIX ex: <http://ex/>\\nSELECT ?a (1 AS ?b) FROM <http://g> WHERE { ?a ?p 1 }")
>>> shape.form, shape.projection, shape.dataset
('select', ['a', 'b'], True)
>>> scan("ASK { SERVICE <http://elsewhere/sparql> { ?s ?p ?o } }").services
['http://elsewhere/sparql']
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from govkg.graph.errors import Location, QueryError

#: deeper nesting than this is refused before Oxigraph's parser sees it (it crashes
#: somewhere between 2,000 and 5,000 levels)
MAX_DEPTH = 500
#: more branches than this (UNION, ``||``, ``&&``) are refused: 20,000 of either crash
#: Oxigraph, and 5,000 UNIONs take 16 s to plan on an empty store
MAX_BRANCHES = 1000

FORMS = {"SELECT": "select", "ASK": "ask", "CONSTRUCT": "graph", "DESCRIBE": "graph"}

_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_TOKEN = re.compile(
    r"""(?P<space>\s+)
      | (?P<comment>\#[^\n]*)
      | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
                  |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
      | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
      | (?P<var>[?$]\w+)
      | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
      | (?P<pname>(?:[^\W\d]\w*(?:[.-]+\w+)*)?:(?:[\w%\\:-]|\.(?=[\w%:-]))*)
      | (?P<word>[^\W\d]\w*)
      | (?P<open>[{(\[])
      | (?P<close>[})\]])
      | (?P<branch>\|\||&&)
      | (?P<other>.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass
class QueryShape:
    """What :func:`scan` learnt about a query."""

    form: str  #: "select", "ask" or "graph" (CONSTRUCT and DESCRIBE)
    #: SELECT's projected variables; for ``SELECT *`` every variable named after
    #: ``SELECT`` in order of first appearance (a subquery's inner ones too)
    projection: list[str] = field(default_factory=list)
    dataset: bool = False  #: the query has FROM or FROM NAMED
    #: each SERVICE's endpoint IRI (prefixed names expanded); None for ``SERVICE ?var``
    services: list[str | None] = field(default_factory=list)
    depth: int = 0  #: the deepest nesting of brackets
    unions: int = 0  #: UNION keywords


def unescape(text: str) -> str:
    """Decode SPARQL's ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes, as parsers do first."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def _where(text: str, offset: int) -> Location:
    return Location("query", line=text.count("\n", 0, offset) + 1)


def _tokens(text: str, what: str) -> Iterator[tuple[str, str, int, int]]:
    """``(kind, value, depth, offset)`` of each token but spaces and comments, refusing
    nesting past :data:`MAX_DEPTH` and branches (``UNION``, ``||``, ``&&``) past
    :data:`MAX_BRANCHES`. ``what`` ("query", "update") names the text in messages."""
    depth = branches = 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if kind == "open":
            depth += 1
            if depth > MAX_DEPTH:
                raise QueryError(f"the {what} nests brackets more than {MAX_DEPTH} deep; "
                                 "simplify it", _where(text, match.start()))
        elif kind == "close":
            depth -= 1
        elif kind == "branch" or kind == "word" and value.upper() == "UNION":
            branches += 1
            if branches > MAX_BRANCHES:
                raise QueryError(f"the {what} has more than {MAX_BRANCHES} UNION, || and && "
                                 "branches; use VALUES or IN, or simplify it",
                                 _where(text, match.start()))
        yield kind, value, depth, match.start()


def scan(sparql: str) -> QueryShape:
    """The query's form, projection, dataset clause, SERVICE endpoints and nesting.

    Raises :class:`QueryError` (naming the line) when the text is not a query
    (an update, or no query form after the prologue) or nests or branches past
    :data:`MAX_DEPTH` / :data:`MAX_BRANCHES`. Anything else wrong is Oxigraph's to report.
    """
    text = unescape(sparql)
    prefixes: dict[str, str] = {}
    shape: QueryShape | None = None
    deepest = 0
    pending: list[tuple[str, str]] = []  # the prologue's last tokens (PREFIX ex: <...>)
    in_head = False  # between SELECT and its WHERE group: the projection
    star = False
    seen: dict[str, None] = {}  # variables in order of first appearance
    after_as = False
    service_next = False
    for kind, value, depth, offset in _tokens(text, "query"):
        if kind == "open":
            deepest = max(deepest, depth)
            if shape is not None and value == "{" and depth == 1:
                in_head = False
        if shape is None:
            if kind == "word" and value.upper() in FORMS:
                shape = QueryShape(FORMS[value.upper()])
                in_head = shape.form == "select"
                continue
            if kind == "word" and value.upper() in ("BASE", "PREFIX"):
                pending = [(kind, value)]
                continue
            pending.append((kind, value))
            if len(pending) == 3 and pending[0][1].upper() == "PREFIX" \
                    and pending[1][0] == "pname" and kind == "iri":
                prefixes[pending[1][1][:-1]] = value[1:-1]
            if kind not in ("iri", "pname") or len(pending) > 3:
                raise QueryError("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE "
                                 f"after the prologue, found {value[:40]!r}",
                                 _where(text, offset))
            continue
        upper = value.upper() if kind == "word" else ""
        if service_next:
            if upper == "SILENT":
                continue
            service_next = False
            shape.services.append(_endpoint(kind, value, prefixes))
        if upper == "SERVICE":
            service_next = True
        elif upper == "UNION":
            shape.unions += 1
        elif upper == "FROM" and depth == 0:
            shape.dataset = True
        elif upper in ("WHERE",) and depth == 0:
            in_head = False
        elif upper == "AS":
            after_as = True
            continue
        if kind == "var":
            name = value[1:]
            if in_head and (depth == 0 and not star or after_as):
                shape.projection.append(name)
            seen.setdefault(name)
        elif in_head and depth == 0 and value == "*":
            star = True
        after_as = False
    if shape is None:
        raise QueryError("not a query: expected SELECT, ASK, CONSTRUCT or DESCRIBE",
                         Location("query"))
    if star:
        shape.projection = list(seen)
    shape.depth = deepest
    return shape


@dataclass
class UpdateShape:
    """What :func:`scan_update` learnt about a SPARQL update."""

    loads: int = 0  #: LOAD operations (each fetches a document from its IRI)
    services: list[str | None] = field(default_factory=list)  #: as in :class:`QueryShape`
    #: every graph IRI the update names after GRAPH, WITH, INTO or TO (prefixed names
    #: expanded): the graphs it may write
    graphs: list[str] = field(default_factory=list)


_GRAPH_WORDS = frozenset({"GRAPH", "WITH", "INTO", "TO"})


def scan_update(sparql: str) -> UpdateShape:
    """The LOAD operations, SERVICE endpoints and named graphs of an update, refusing the
    nesting and branching Oxigraph's parser crashes on (as :func:`scan` does for queries).

    >>> shape = scan_update("LOAD <http://x/data.ttl> INTO GRAPH <http://g>")
    >>> shape.loads, shape.graphs
    (1, ['http://g'])
    """
    text = unescape(sparql)
    shape = UpdateShape()
    prefixes: dict[str, str] = {}
    previous: list[tuple[str, str]] = []  # the last three tokens
    for kind, value, _, _ in _tokens(text, "update"):
        upper = value.upper() if kind == "word" else ""
        if upper == "LOAD":
            shape.loads += 1
        if kind == "iri" and len(previous) >= 2 and previous[-2][1].upper() == "PREFIX" \
                and previous[-1][0] == "pname":
            prefixes[previous[-1][1][:-1]] = value[1:-1]
        last = [v.upper() for _, v in previous[-2:]]
        after_service = last[-1:] == ["SERVICE"] or last == ["SERVICE", "SILENT"]
        if after_service and upper != "SILENT":
            shape.services.append(_endpoint(kind, value, prefixes))
        if last[-1:] and last[-1] in _GRAPH_WORDS and kind in ("iri", "pname"):
            named = _endpoint(kind, value, prefixes)
            if named is not None:
                shape.graphs.append(named)
        previous = [*previous[-2:], (kind, value)]
    return shape


def _endpoint(kind: str, value: str, prefixes: dict[str, str]) -> str | None:
    """A SERVICE's endpoint from its token: an IRI, a prefixed name, else None."""
    if kind == "iri":
        return value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else value
    return None
