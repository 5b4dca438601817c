"""Facts derived at load time, kept as data beside the documents they come from.

Oxigraph answers a query fastest when every pattern starts from a bound term; a property
path from an unbound variable (``?leaf skos:broader+ ?principle``), a ``FILTER EXISTS``
re-run for every row or a ``UNION`` the council cannot reach make it scan the whole
store. So what such patterns compute is computed once, when the data changes, and stored
as plain triples in the ``derived:`` namespace (``https://w3id.org/govkg/def/derived/``):

* ``graph/derived/vocabulary``: the closure of the vocabulary (``queries/derived/
  vocabulary.ru``), rewritten whenever the ontology or the reference data is;
* ``graph/derived/council/<slug>``: the facts of one council (``queries/derived/
  council.ru``), rewritten whenever a graph holding a resource of that council is.

Both are rewritten by SPARQL updates that the store appends to the very update (or, for
a bulk load, the very commit) that replaces the documents, so readers and a crash see
the old documents with the old facts or the new with the new, on every backend that runs
one update as one transaction (``docs/store.md``). The updates read the union of the
named graphs through ``GRAPH ?g``, since an update's default graph is not the union.

An update that inserts writes inside a transaction, which costs Oxigraph about 2.5x what
reading the same rows costs; for a bulk load of hundreds of councils that was most of
the load. So a bulk load runs each operation of ``council.ru`` as the SELECT of its
WHERE clause instead (:func:`council_rules`) and hands the rows, made into quads by the
operation's own template, to the bulk loader, under the same journal as the documents:
the same text derives the same facts either way (``tests/graph/test_derived.py``).

>>> plan = Derivation(councils={"https://w3id.org/govkg/id/council/kent"}, vocabulary=False)
>>> [graph for graph, _ in plan.targets()]
['https://w3id.org/govkg/graph/derived/council/kent']
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from govkg.graph import paths
from govkg.graph.namespaces import (
    COUNCIL,
    GOVKG,
    GRAPH,
    ONTOLOGY_GRAPH,
    PREFIXES,
    REFERENCE_GRAPH,
)

#: Every derived graph's IRI starts with this.
DERIVED_PREFIX = str(GRAPH) + "derived/"
VOCABULARY_GRAPH = DERIVED_PREFIX + "vocabulary"
COUNCIL_GRAPH_PREFIX = DERIVED_PREFIX + "council/"
#: Graphs whose change rewrites the vocabulary closure (and so every council's facts).
VOCABULARY_SOURCES = frozenset({str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH)})
COUNCIL_PREDICATE = str(GOVKG.council)

_MARKER = "#councils"
# An N-Triples statement whose predicate is govkg:council, as the stores write them.
_COUNCIL_STATEMENT = re.compile(r"^\S+ <" + re.escape(COUNCIL_PREDICATE) + r"> <([^>]+)> \.$")
_IRI = re.compile(r"^[^\s<>\"{}|\\^`]+$")

#: A function that runs a SELECT and returns its rows as dicts of plain strings.
Select = Callable[[str], list[dict[str, str]]]


def derivation_dir() -> Path:
    """The SPARQL updates that derive the facts (``queries/derived/*.ru``)."""
    return paths.queries_dir() / "derived"


def prefixes() -> str:
    """PREFIX lines for every prefix govkg uses, from its one source (namespaces.py)."""
    return "".join(f"PREFIX {name}: <{namespace}>\n" for name, namespace in PREFIXES.items())


#: Rule files read after ``council.ru`` as more of its operations: views that one reader
#: of the store needs (``council-analytics.ru``: what ``govkg analyze`` reads).
COUNCIL_VIEWS = ("council-analytics",)


@lru_cache(maxsize=2)
def _update_text(name: str) -> str:
    text = (derivation_dir() / f"{name}.ru").read_text(encoding="utf-8")
    if name == "council":  # each file's last operation ends with a line "}"
        text = " ;\n\n".join([text.rstrip(), *(
            (derivation_dir() / f"{view}.ru").read_text(encoding="utf-8").strip()
            for view in COUNCIL_VIEWS)]) + "\n"
    return text


def council_graph(council: str) -> str:
    """The derived graph of a council: its slug under govkg's council namespace, else a
    hash of its IRI."""
    if council.startswith(str(COUNCIL)) and re.match(r"^[a-z0-9-]+$", council[len(COUNCIL):]):
        return COUNCIL_GRAPH_PREFIX + council[len(COUNCIL):]
    return COUNCIL_GRAPH_PREFIX + hashlib.sha256(council.encode()).hexdigest()[:16]


def is_derived(graph: str) -> bool:
    """True for a graph this module writes."""
    return graph.startswith(DERIVED_PREFIX)


@dataclass
class Derivation:
    """What one change must re-derive: the vocabulary closure, and which councils."""

    councils: set[str] = field(default_factory=set)
    vocabulary: bool = False
    #: Derive each council by its own operations, with its graph a constant (Virtuoso).
    per_council: bool = False

    def __bool__(self) -> bool:
        return bool(self.councils) or self.vocabulary

    def targets(self) -> list[tuple[str, str]]:
        """(derived graph, council) per council, in a stable order."""
        return [(council_graph(c), c) for c in sorted(self.councils)]

    def update(self, operations: Iterable[str]) -> str:
        """One SPARQL update: the change's own ``operations``, then the derivation (with
        the prefixes, which SPARQL allows only at the start of the request)."""
        derivation = self.operations()
        return (prefixes() if derivation else "") + " ;\n".join([*operations, *derivation])

    def operations(self) -> list[str]:
        """SPARQL update operations to append to the change, after its data operations:
        each derived graph is dropped, then written again from the new data."""
        ops: list[str] = []
        if self.vocabulary:
            ops += [f"DROP SILENT GRAPH <{VOCABULARY_GRAPH}>", _update_text("vocabulary")]
        targets = self.targets()
        if targets:
            ops += [f"DROP SILENT GRAPH <{graph}>" for graph, _ in targets]
            if self.per_council:
                ops += [_per_council(graph, council) for graph, council in targets]
            else:
                rows = "\n".join(f"    (<{council}> <{graph}>)" for graph, council in targets)
                ops.append(_update_text("council").replace(_MARKER, _MARKER + "\n" + rows))
        return ops


def _per_council(graph: str, council: str) -> str:
    """``council.ru`` for one council, its derived graph written as a constant: Virtuoso
    7 fails on an INSERT template whose graph is a variable bound by VALUES ("Function
    string_output_string needs a string output as argument 1")."""
    text = re.sub(r"VALUES \(\?council \?derived\) \{ " + _MARKER + r"\s*\}",
                  f"VALUES ?council {{ <{council}> }}", _update_text("council"))
    return re.sub(r"\?derived\b", f"<{graph}>", text)


@dataclass(frozen=True)
class Rule:
    """One operation of ``council.ru`` as a query: ``where`` is its WHERE clause (the
    ``#councils`` VALUES block in it), ``template`` the triples it inserts into the
    graph ``?derived``, each term a variable name (``?x``) or an IRI."""

    where: str
    template: tuple[tuple[str, str, str], ...]

    @property
    def reads_derived(self) -> bool:
        """True when the rule reads the derived graph the rules before it write."""
        return "GRAPH ?derived" in self.where

    def reads_any(self, written: Iterable[tuple[str, str, str]]) -> bool:
        """True when the rule may read a fact of the template triples ``written`` (the
        rules before it whose quads are not loaded yet): one of its ``GRAPH ?derived``
        blocks matches one of their predicates, or a block or a written triple has a
        variable predicate, or a block is not plain triple patterns (then it may read
        anything). A bulk load loads what is pending before such a rule only: each
        loader call ingests files that RocksDB then compacts with the whole store."""
        written = list(written)
        if not self.reads_derived or not written:
            return False
        read = _derived_reads(self.where)
        return read is None or any(p.startswith("?") or p in read for _, p, _ in written)

    @property
    def variables(self) -> tuple[str, ...]:
        """The template's variables, without ``?``, in a stable order."""
        return tuple(sorted({t[1:] for triple in self.template for t in triple
                             if t.startswith("?")}))

    def select_all(self, scan: bool = True) -> str:
        """The SELECT of the rule's rows for every council in the store, each with
        ``?council`` in place of the graph to write: a scan of the predicates the rule
        joins, which for most of the store's councils at once costs about half of
        looking the councils up one by one. Not for rules that read ``GRAPH ?derived``.
        ``DISTINCT``: the same fact follows from many rows (an item from each of a
        council's commitments), and each row costs its terms' decoding and loading. With
        ``scan`` (the default) its blocks are joined by hashing (:func:`scan_form`);
        without, the WHERE clause is as written (what the tests compare it with)."""
        names = sorted({*self.variables, "council"})
        where = re.sub(r"VALUES \(\?council \?derived\) \{ " + _MARKER + r"\s*\}", "",
                       self.where)
        return (prefixes() + "SELECT DISTINCT " + " ".join(f"?{n}" for n in names) + "\n"
                + (scan_form(where) if scan else where))

    def select(self, rows: Iterable[tuple[str, str]]) -> str:
        """The SELECT of the rule's rows for (council, graph to write) pairs."""
        names = sorted({*self.variables, "derived"})
        values = "\n".join(f"    (<{council}> <{graph}>)" for council, graph in rows)
        return (prefixes() + "SELECT DISTINCT " + " ".join(f"?{n}" for n in names) + "\n"
                + self.where.replace(_MARKER, _MARKER + "\n" + values))

    def nquads(self, tsv: bytes, graphs: Mapping[bytes, bytes] | None) -> bytes | None:
        """The rule's quads as N-Quads text, from its rows as SPARQL TSV results (the
        SELECT of :meth:`select` with ``graphs`` None, of :meth:`select_all` with
        ``graphs`` mapping each council, as ``<iri>``, to the graph to write; rows of
        other councils are left out). TSV writes an IRI as N-Triples does, so the terms
        are copied as bytes; ``None`` when a term is anything else (a literal, which
        TSV may abbreviate, a blank node, or unbound), for the caller to read as terms.
        No term of a TSV row holds a raw tab or line break, so counting the fields that
        start with ``<`` tells whether all do."""
        header, _, body = tsv.partition(b"\n")
        if not body:
            return b""
        columns = [name[1:].decode() for name in header.split(b"\t")]
        rows = body.count(b"\n") + (not body.endswith(b"\n"))
        iris = body.count(b"\t<") + body.count(b"\n<") + body.startswith(b"<")
        if iris != rows * len(columns):
            return None
        index = {name: i for i, name in enumerate(columns)}
        graph_at = index["council" if graphs is not None else "derived"]
        # each template triple as a %-format of the row's fields and the graph
        formats = [(b" ".join(b"%s" if t.startswith("?") else f"<{t}>".encode() for t in triple)
                    + b" %s .\n", [index[t[1:]] for t in triple if t.startswith("?")])
                   for triple in self.template]
        out: list[bytes] = []
        for line in body.splitlines():
            fields = line.split(b"\t")
            graph = fields[graph_at] if graphs is None else graphs.get(fields[graph_at])
            if graph is None:
                continue  # a council this load does not change
            for form, at in formats:
                out.append(form % (*(fields[i] for i in at), graph))
        return b"".join(out)


_GRAPH_BLOCK = re.compile(r"GRAPH\s+(\?[A-Za-z_][A-Za-z0-9_]*)\s*\{([^{}]*)\}")
_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@lru_cache(maxsize=64)
def scan_form(where: str) -> str:
    """A rule's WHERE clause for a scan of the whole store (:meth:`Rule.select_all`),
    with the same solutions: each ``GRAPH ?g { ... }`` block of several triple patterns
    becomes the join of one subquery per pattern, each projecting its variables and
    ``?g``. A block over every council is a join of a few predicates' triples; Oxigraph
    evaluates the block's patterns one lookup (a RocksDB seek) per row of the one before,
    but joins subqueries by hashing, after one scan of each predicate: at 400 synthetic
    councils the rules' SELECTs took 3.6 s of CPU instead of 6.7 s (bench/README.md,
    "Load memory and speed"). A block stays as written when a pattern has a variable
    predicate or is ``?x a ?type`` (its scan would read every triple, or every type, of
    the store: three such rules were 2.6 to 6 times slower split), or when it holds
    anything but triple patterns of variables and IRIs. Not for the rules' per-council
    form (:meth:`Rule.select`, the updates), which start from the bound council."""

    def split(block: re.Match[str]) -> str:
        graph, body = block.group(1), block.group(2)
        try:
            triples = _template(body)
        except (ValueError, SyntaxError):
            return block.group(0)  # a literal, a blank node, a FILTER: as written
        if len(triples) < 2 or any(p.startswith("?") or (p == _RDF_TYPE and o.startswith("?"))
                                   for _, p, o in triples):
            return block.group(0)
        parts = []
        for triple in triples:
            names = sorted({t for t in triple if t.startswith("?")} | {graph})
            pattern = " ".join(t if t.startswith("?") else f"<{t}>" for t in triple)
            parts.append(f"{{ SELECT {' '.join(names)} WHERE "
                         f"{{ GRAPH {graph} {{ {pattern} }} }} }}")
        return "{ " + "\n    ".join(parts) + " }"

    return _GRAPH_BLOCK.sub(split, where)


_DERIVED_BLOCK = re.compile(r"GRAPH\s+\?derived\s*\{([^{}]*)\}")


@lru_cache(maxsize=64)
def _derived_reads(where: str) -> frozenset[str] | None:
    """The predicates a WHERE clause reads in ``GRAPH ?derived`` blocks; ``None`` when a
    block has a variable predicate or anything but triple patterns of variables and IRIs
    (or nests a group), so that what it reads is not known from its text."""
    blocks = _DERIVED_BLOCK.findall(where)
    if len(blocks) != len(re.findall(r"GRAPH\s+\?derived\b", where)):
        return None
    read: set[str] = set()
    for body in blocks:
        try:
            triples = _template(body)
        except (ValueError, SyntaxError):
            return None
        for _, predicate, _ in triples:
            if predicate.startswith("?"):
                return None
            read.add(predicate)
    return frozenset(read)


_VARIABLE_IRI = "urn:govkg:variable:"
_TEMPLATE = re.compile(r"^\s*INSERT\s*\{\s*GRAPH\s+\?derived\s*\{(?P<triples>.*)\}\s*\}\s*$",
                       re.DOTALL)


def _template(triples: str) -> tuple[tuple[str, str, str], ...]:
    """The triples of an INSERT template, read by Oxigraph's SPARQL parser: a CONSTRUCT
    of the same template with each variable bound to an IRI that names it (rdflib's
    SPARQL parser took 0.4 s of every bulk load's CPU for the same)."""
    import pyoxigraph as ox

    names = sorted(set(re.findall(r"\?([A-Za-z_][A-Za-z0-9_]*)", triples)))
    values = " ".join(f"<{_VARIABLE_IRI}{name}>" for name in names)
    query = (prefixes() + f"CONSTRUCT {{ {triples} }} WHERE {{ VALUES ("
             + " ".join(f"?{name}" for name in names) + f") {{ ({values}) }} }}")
    result = ox.Store().query(query)
    assert isinstance(result, ox.QueryTriples)

    def term(node: object) -> str:
        if not isinstance(node, ox.NamedNode):
            raise ValueError(f"{derivation_dir() / 'council.ru'}: a template term is "
                             f"neither a variable nor an IRI: {node}")
        value = node.value
        return "?" + value[len(_VARIABLE_IRI):] if value.startswith(_VARIABLE_IRI) else value

    return tuple(sorted((term(t.subject), term(t.predicate), term(t.object))
                        for t in result))


@lru_cache(maxsize=1)
def council_rules() -> tuple[Rule, ...]:
    """The operations of ``council.ru`` as :class:`Rule`: each operation's text before
    ``WHERE`` is its ``INSERT`` template (read by :func:`_template`), the text after it
    its WHERE clause. Operations end with a line ``} ;`` (the last with ``}``)."""
    text = _update_text("council")
    parts = re.split(r"(?m)^\}\s*;\s*$", text)
    bodies = [part + "}" for part in parts[:-1]] + parts[-1:]
    rules = []
    for body in bodies:
        # the comments before an operation are part of its text
        body = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("#"))
        if body.count("\nWHERE") != 1:
            raise ValueError(f"{derivation_dir() / 'council.ru'}: each operation is one "
                             "INSERT ... WHERE, ended by a line '} ;'")
        head, where = body.split("\nWHERE")
        match = _TEMPLATE.match(head)
        if match is None:
            raise ValueError("each operation of council.ru inserts into GRAPH ?derived only")
        rules.append(Rule("WHERE" + where.rstrip(), _template(match.group("triples"))))
    return tuple(rules)


def councils_in_statements(statements: Iterable[str]) -> set[str]:
    """The councils that N-Triples statements (``<s> <p> <o> .``) give resources to."""
    found = set()
    for statement in statements:
        if COUNCIL_PREDICATE in statement:
            match = _COUNCIL_STATEMENT.match(statement)
            if match and _IRI.match(match.group(1)):
                found.add(match.group(1))
    return found


def councils_by_graph(select: Select, graphs: Iterable[str] | None = None) -> dict[str, set[str]]:
    """The councils of each graph (the IRIs govkg:council points to in it), of the given
    graphs or of all, by one query."""
    values = ""
    if graphs is not None:
        names = sorted(g for g in graphs if _IRI.match(g))
        if not names:
            return {}
        values = "VALUES ?g { " + " ".join(f"<{g}>" for g in names) + " } "
    found: dict[str, set[str]] = {}
    query = (f"SELECT DISTINCT ?g ?c WHERE {{ {values}GRAPH ?g {{ ?x <{COUNCIL_PREDICATE}> ?c }} "
             "FILTER(isIRI(?c)) }")
    for row in select(query):
        if not is_derived(row["g"]):
            found.setdefault(row["g"], set()).add(row["c"])
    return found


def plan_change(select: Select, graphs: Iterable[str], new_councils: Iterable[str],
                fresh: Iterable[str] = ()) -> Derivation:
    """What replacing ``graphs`` re-derives: the councils their old content names (read
    with ``select`` before the change) and those their new content names; every council
    when the ontology or the reference data changes, since their facts join its closure.
    ``fresh`` graphs are new to the store: part of the change, with no old content to
    read (a bulk load has already read their councils into ``new_councils``)."""
    new = {g for g in fresh if not is_derived(g)}
    changed = {g for g in graphs if not is_derived(g)} - new
    if not changed and not new:
        return Derivation()
    vocabulary = bool((changed | new) & VOCABULARY_SOURCES)
    existing = councils_by_graph(select, None if vocabulary else changed) if (
        changed or vocabulary) else {}
    return Derivation(set(new_councils).union(*existing.values()), vocabulary)
