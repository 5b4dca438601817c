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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from govkg.graph import paths
from govkg.graph.namespaces import COUNCIL, GOVKG, GRAPH, ONTOLOGY_GRAPH, PREFIXES, REFERENCE_GRAPH

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

    def select_all(self) -> str:
        """The SELECT of the rule's rows for every council in the store, each with
        ``?council`` in place of the graph to write: a scan of the predicates the rule
        joins, which for most of the store's councils at once costs about half of
        looking the councils up one by one. Not for rules that read ``GRAPH ?derived``."""
        names = sorted({t[1:] for triple in self.template for t in triple if t.startswith("?")}
                       | {"council"})
        where = re.sub(r"VALUES \(\?council \?derived\) \{ " + _MARKER + r"\s*\}", "",
                       self.where)
        return prefixes() + "SELECT " + " ".join(f"?{n}" for n in names) + "\n" + where

    def select(self, rows: Iterable[tuple[str, str]]) -> str:
        """The SELECT of the rule's rows for (council, graph to write) pairs."""
        names = sorted({t[1:] for triple in self.template for t in triple if t.startswith("?")}
                       | {"derived"})
        values = "\n".join(f"    (<{council}> <{graph}>)" for council, graph in rows)
        return (prefixes() + "SELECT " + " ".join(f"?{n}" for n in names) + "\n"
                + self.where.replace(_MARKER, _MARKER + "\n" + values))


@lru_cache(maxsize=1)
def council_rules() -> tuple[Rule, ...]:
    """The operations of ``council.ru`` as :class:`Rule`; their templates are read by
    rdflib's SPARQL parser, their WHERE clauses are the text after each ``WHERE``."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate
    from rdflib.term import Variable

    text = _update_text("council")
    parsed = translateUpdate(parseUpdate(prefixes() + text)).algebra
    # operations end with "} ;" on a line of its own (the last with "}")
    parts = re.split(r"(?m)^\}\s*;\s*$", text)
    bodies = [part + "}" for part in parts[:-1]] + parts[-1:]
    if len(bodies) != len(parsed) or not all("\nWHERE" in body for body in bodies):
        raise ValueError(f"{derivation_dir() / 'council.ru'}: {len(parsed)} operations, "
                         f"but {len(bodies) - 1} lines '}} ;' between them")
    rules = []
    for body, operation in zip(bodies, parsed, strict=True):
        where = body[body.index("\nWHERE") + 1:].rstrip()
        quads = dict(operation.insert.quads or {})
        if list(quads) != [Variable("derived")] or operation.insert.triples:
            raise ValueError("each operation of council.ru inserts into GRAPH ?derived only")
        rules.append(Rule(where, tuple(
            tuple(f"?{t}" if isinstance(t, Variable) else str(t) for t in triple)
            for triple in quads[Variable("derived")])))
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


def plan_change(select: Select, graphs: Iterable[str], new_councils: Iterable[str]) -> Derivation:
    """What replacing ``graphs`` re-derives: the councils their old content names (read
    with ``select`` before the change) and those their new content names; every council
    when the ontology or the reference data changes, since their facts join its closure."""
    changed = {g for g in graphs if not is_derived(g)}
    if not changed:
        return Derivation()
    vocabulary = bool(changed & VOCABULARY_SOURCES)
    existing = councils_by_graph(select, None if vocabulary else changed)
    return Derivation(set(new_councils).union(*existing.values()), vocabulary)
