"""From the store to networkx: a few SPARQL queries, then grouping in Python.

Every question the analytics answer grows with the number of councils, so nothing here
asks the store once per council or once per item: :func:`fetch` runs a fixed handful of
queries across all councils (or binds ``?council`` to narrow them), and the projections
group the rows in one pass each. The projections are pure functions of the rows, so the
tests and the web service can feed them rows from anywhere.

The accountability network of one council is a directed graph:

* agent nodes (``kind`` ``post``, ``body`` or ``role``: where a document names only a
  role, the role's IRI is the agent) point to the *duties* they answer for, one edge per
  agent and duty, with the responsibility kinds (``responsible-for``, ``leads``,
  ``monitors``, ``approves``, ``signs``) in the edge's ``kinds``;
* a duty is whatever a responsibility is regarding: a framework item, an improvement
  action, a commitment, a self-assessment result, a piece of evidence, a topic, a
  document; ``govkg:leadPost`` counts as ``leads``;
* duties that are commitments, results, actions or further work point on to the framework
  items they address or assess (edge ``relation``), and so do the council's unowned
  commitments and results, so that items nobody answers for stay in the graph
  (node attribute ``in_scope``).

An agent *owns* an item when it answers for the item itself or for a duty that addresses
it: one hop, deliberately. Signing the whole code (a document that addresses every
principle) or owning a piece of evidence that many commitments cite would otherwise make
a few agents own everything and hide the gaps the analysis is for.

>>> rows = {"responsibilities": [{"council": "c", "agent": "p", "kind": "leads",
...                               "duty": "a"}],
...         "scope": [{"council": "c", "node": "a", "item": "i", "relation": "addresses"}]}
>>> g = accountability_networks(AnalyticsData.from_plain(rows))["c"]
>>> sorted(g.edges)
[('a', 'i'), ('p', 'a')]
"""

from __future__ import annotations

import gc
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cache
from typing import Any

import networkx as nx
from rdflib import URIRef
from rdflib.term import Node

from govkg.graph.errors import InputError
from govkg.graph.namespaces import COUNCIL, RESPONSIBILITY_KIND, ROLE
from govkg.graph.store.base import Store, TextRows

#: Agent node kinds, in the order a picture lists them.
AGENT_KINDS = ("post", "body", "role")
#: Responsibility kinds, as the local names of the responsibility-kind concepts.
RESPONSIBILITY_KINDS = ("responsible-for", "leads", "monitors", "approves", "signs")

#: The queries :func:`fetch` runs, by the name their rows are kept under: each is a
#: named query in ``queries/`` (``analytics-<name>.rq``, golden results and benchmark
#: included); those with a ``council`` parameter are narrowed by it.
QUERY_FILES: dict[str, str] = {
    "responsibilities": "analytics-responsibilities",
    "scope": "analytics-scope",
    "nodes": "analytics-nodes",
    "facts": "analytics-facts",
    "items": "analytics-items",
    "councils": "analytics-councils",
    "features": "analytics-features",
    "crosswalk": "analytics-crosswalk-mappings",
}


def _queries() -> dict[str, tuple[str, bool]]:
    """Name -> (SPARQL text, whether ``?council`` narrows it)."""
    from govkg.graph.querylib import get_query

    found = {}
    for name, file in QUERY_FILES.items():
        query = get_query(file)
        found[name] = (query.text, any(p.name == "council" for p in query.params))
    return found


#: The names the rows are kept under.
QUERIES: tuple[str, ...] = tuple(QUERY_FILES)

Row = Mapping[str, str]


@cache
def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names; None for any other type."""
    return tuple(f.name for f in fields(cls)) if is_dataclass(cls) else None


_LEAVES = frozenset({str, int, float, bool, type(None)})


def as_plain(value: Any) -> Any:
    """A result dataclass as plain data, as :func:`dataclasses.asdict` makes it (dicts
    for dataclasses, tuples stay tuples), without its deep copy of every leaf: the
    reports hold only strings and numbers, and the copying was a sixth of
    ``govkg analyze`` (bench/README.md)."""
    cls = type(value)
    if cls in _LEAVES:
        return value
    if cls is tuple:
        return tuple(as_plain(v) for v in value)
    if cls is list:
        return [as_plain(v) for v in value]
    if cls is dict:
        return {k: as_plain(v) for k, v in value.items()}
    names = _field_names(cls)
    if names is not None:
        return {name: as_plain(getattr(value, name)) for name in names}
    return value


@contextmanager
def cycles_uncollected() -> Iterator[None]:
    """Python's cycle collector paused while the analysis makes its hundreds of
    thousands of small dicts, tuples and graphs, none of which form a cycle worth
    collecting meanwhile: each pass walked every object alive, a fifth of the
    analysis and two thirds of ``to_dict`` at 400 councils (bench/README.md).
    Reference counting still frees everything; the collector runs again after (it
    is process-wide: left paused if another caller paused it first)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _local(iri: str, namespace: str) -> str:
    return iri[len(namespace):] if iri.startswith(namespace) else iri


@dataclass(frozen=True)
class ItemInfo:
    """A framework item as the reports name it."""

    iri: str
    edition: str
    level: str
    notation: str
    label: str
    broader: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, str]:
        return {"iri": self.iri, "notation": self.notation, "label": self.label,
                "edition": self.edition}


@dataclass(frozen=True)
class CouncilInfo:
    """A council: its IRI, its name and its slug (the name on the command line)."""

    iri: str
    label: str
    slug: str

    def to_dict(self) -> dict[str, str]:
        return {"iri": self.iri, "label": self.label, "slug": self.slug}


@dataclass
class AnalyticsData:
    """The rows of every analytics query, as plain strings, and lookups built from them.

    Build it with :func:`fetch` (from a store) or :meth:`from_plain` (from dicts, for
    tests and for callers that already hold rows).
    """

    rows: dict[str, list[dict[str, str]]]
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)
    facts: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    items: dict[str, ItemInfo] = field(default_factory=dict)

    @classmethod
    def from_results(cls, results: Mapping[str, TextRows]) -> AnalyticsData:
        """From the rows of :data:`QUERIES` as text (``Store.select_text``), by name."""
        return cls._indexed({name: results[name].rows if name in results else []
                             for name in QUERIES})

    @classmethod
    def from_plain(cls, rows: Mapping[str, Iterable[Row]]) -> AnalyticsData:
        """From rows already converted to strings; missing queries count as no rows."""
        return cls._indexed({name: [dict(r) for r in rows.get(name, [])] for name in QUERIES})

    @classmethod
    def _indexed(cls, rows: dict[str, list[dict[str, str]]]) -> AnalyticsData:
        data = cls(rows)
        data._index()
        return data

    def _index(self) -> None:
        # labels: the smallest of several, so that the same data always reads the same
        labels: dict[str, set[str]] = defaultdict(set)
        for row in self.rows["nodes"]:
            node = row["node"]
            # a statutory role is also a governance role; the first kind seen is kept
            self.kinds.setdefault(node, row["kind"])
            if "label" in row:
                labels[node].add(row["label"])
        self.labels = {node: min(values) for node, values in labels.items()}
        facts: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
        for row in self.rows["facts"]:
            name = row["property"].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
            facts[row["node"]][name].append(row["value"])
        self.facts = {node: {prop: sorted(set(values))
                             for prop, values in props.items()}
                      for node, props in facts.items()}
        broader: dict[str, set[str]] = defaultdict(set)
        for row in self.rows["items"]:
            if "broader" in row:
                broader[row["item"]].add(row["broader"])
        for row in self.rows["items"]:
            iri = row["item"]
            if iri not in self.items:
                self.items[iri] = ItemInfo(
                    iri, row["edition"], row["level"],
                    row.get("notation", iri.rsplit("/", 1)[-1]),
                    self.labels.get(iri, row.get("label", "")),
                    tuple(sorted(broader.get(iri, ()))))

    def label(self, node: str) -> str:
        """A node's label, else the last segment of its IRI."""
        return self.labels.get(node) or node.rstrip("/").rsplit("/", 1)[-1]

    def kind(self, node: str) -> str:
        """A node's kind (``post``, ``item``, ``evidence`` ...); a role IRI with no type
        in the store is still a role, since documents name roles as agents."""
        kind = self.kinds.get(node)
        if kind is None:
            return "role" if node.startswith(str(ROLE)) else "other"
        return kind

    def fact(self, node: str, name: str) -> list[str]:
        """Values of one describing property (``role``, ``hasFunction``, ``topic``,
        ``slug``, ``council``) of a node."""
        return self.facts.get(node, {}).get(name, [])

    def councils(self) -> list[CouncilInfo]:
        """Councils that have documents, sorted by name."""
        found = {row["council"] for row in self.rows["councils"]}
        found |= {row["council"] for row in self.rows["responsibilities"]}
        return sorted((self.council_info(iri) for iri in found), key=lambda c: c.label)

    def council_info(self, iri: str) -> CouncilInfo:
        slugs = self.fact(iri, "slug")
        slug = slugs[0] if slugs else _local(iri, str(COUNCIL))
        return CouncilInfo(iri, self.label(iri), slug)


def notation_key(notation: str) -> tuple[tuple[int, int, str], ...]:
    """Sort key for item numbers as people read them: 2.10 after 2.9, and the 2016
    letters after the 2007 numbers.

    >>> sorted(["2.10", "A.1", "2.9", "10"], key=notation_key)
    ['2.9', '2.10', '10', 'A.1']
    """
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in notation.split("."))


def council_iri(slug_or_iri: str) -> URIRef:
    """A council given by slug (``kent-county-council``) or full IRI."""
    if slug_or_iri.startswith(("http://", "https://")):
        return URIRef(slug_or_iri)
    if not slug_or_iri or "/" in slug_or_iri or " " in slug_or_iri:
        raise InputError(f"not a council slug: {slug_or_iri!r}")
    return COUNCIL[slug_or_iri]


def fetch(store: Store, council: str | None = None,
          only: Iterable[str] | None = None) -> AnalyticsData:
    """Run the analytics queries (all, or ``only`` those named) once each.

    With ``council`` (a slug or IRI) the per-council queries are narrowed by binding
    ``?council`` as an RDF term; the reference queries are the same either way.

    The queries run side by side, one thread per core: the engine evaluates a query
    without holding Python's lock, and reading is what the stores are built to do at
    once (``docs/store.md``), so the fetch takes about as long as its longest queries
    rather than the sum of all eight.
    """
    bound: dict[str, Node] = {"council": council_iri(council)} if council else {}
    queries = _queries()
    names = list(only or QUERIES)

    def run(name: str) -> TextRows:
        text, narrows = queries[name]
        # text, not rdflib terms: the projections group strings
        return store.select_text(text, bound if narrows else None)

    workers = min(len(names), os.cpu_count() or 1)
    with cycles_uncollected():
        if workers <= 1:
            found = [run(name) for name in names]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                found = list(pool.map(run, names))
        return AnalyticsData.from_results(dict(zip(names, found, strict=True)))


def kind_name(kind: str) -> str:
    """``https://w3id.org/govkg/id/responsibility-kind/leads`` -> ``leads``."""
    return _local(kind, str(RESPONSIBILITY_KIND))


def accountability_networks(data: AnalyticsData) -> dict[str, nx.DiGraph]:
    """One accountability network per council IRI (see the module docstring)."""
    networks: dict[str, nx.DiGraph] = {}

    def network(council: str) -> nx.DiGraph:
        if council not in networks:
            info = data.council_info(council)
            networks[council] = nx.DiGraph(council=council, label=info.label, slug=info.slug)
        return networks[council]

    def add_node(graph: nx.DiGraph, node: str, **attrs: Any) -> None:
        if node not in graph:
            kind = data.kind(node)
            graph.add_node(node, kind=kind, label=data.label(node), **_describe(data, node,
                                                                              kind))
        if attrs:
            graph.nodes[node].update(attrs)

    for row in data.rows["responsibilities"]:
        graph = network(row["council"])
        agent, duty = row["agent"], row["duty"]
        add_node(graph, agent, agent=True)
        add_node(graph, duty)
        kinds = graph.edges[agent, duty]["kinds"] if graph.has_edge(agent, duty) else ()
        graph.add_edge(agent, duty, relation="answers-for",
                       kinds=tuple(sorted({*kinds, kind_name(row["kind"])})))
    for row in data.rows["scope"]:
        graph = network(row["council"])
        node, item = row["node"], row["item"]
        add_node(graph, node)
        add_node(graph, item, in_scope=True)
        graph.add_edge(node, item, relation=row["relation"])
    for graph in networks.values():
        for _node, attrs in graph.nodes(data=True):
            attrs.setdefault("agent", False)
            attrs.setdefault("in_scope", False)
    return networks


def _describe(data: AnalyticsData, node: str, kind: str) -> dict[str, Any]:
    """Attributes that say what an agent or duty is: a post's roles, a body's functions,
    a duty's topics (a topic is its own)."""
    attrs: dict[str, Any] = {}
    if kind == "post":
        attrs["roles"] = tuple(data.fact(node, "role"))
    elif kind == "body":
        attrs["functions"] = tuple(data.fact(node, "hasFunction"))
    elif kind == "item":
        info = data.items.get(node)
        if info is not None:
            attrs["notation"] = info.notation
            attrs["edition"] = info.edition
    attrs["topics"] = (node,) if kind == "topic" else tuple(data.fact(node, "topic"))
    return attrs


def feature_sets(data: AnalyticsData, facet: str = "all") -> dict[str, frozenset[str]]:
    """Per council, the evidence kinds its evidence is of and the functions its bodies
    perform (``facet`` ``evidence``, ``bodies`` or ``all``), as IRIs."""
    if facet not in ("all", "evidence", "bodies"):
        raise InputError(f"unknown facet {facet!r}; use all, evidence or bodies")
    features: dict[str, set[str]] = {c.iri: set() for c in data.councils()}
    for row in data.rows["features"]:
        if facet in ("all", row["facet"]):
            features.setdefault(row["council"], set()).add(row["feature"])
    return {council: frozenset(values) for council, values in features.items()}


def crosswalk_network(data: AnalyticsData) -> nx.Graph:
    """The crosswalk as an undirected graph of items, one edge per mapping.

    Every item of both editions is a node (``edition``, ``notation``, ``level``,
    ``label``), so unmapped items show as isolated nodes; ``no_counterpart_in`` lists the
    editions an item is declared to have no counterpart in.
    """
    graph = nx.Graph()
    for info in data.items.values():
        graph.add_node(info.iri, edition=info.edition, notation=info.notation,
                       level=info.level, label=info.label, no_counterpart_in=())
    for row in data.rows["crosswalk"]:
        if "lonely" in row:
            node = row["lonely"]
            if node not in graph:
                graph.add_node(node, edition="", notation=data.label(node), level="",
                               label=data.label(node), no_counterpart_in=())
            graph.nodes[node]["no_counterpart_in"] = tuple(sorted(
                {*graph.nodes[node]["no_counterpart_in"], row["otherEdition"]}))
            continue
        for end in (row["source"], row["target"]):
            if end not in graph:
                graph.add_node(end, edition="", notation=data.label(end), level="",
                               label=data.label(end), no_counterpart_in=())
        graph.add_edge(row["source"], row["target"], mapping=row["mapping"],
                       skos=_local(row.get("skosRelation", ""),
                                   "http://www.w3.org/2004/02/skos/core#"),
                       set_relation=row.get("setRelation", "").rsplit("/", 1)[-1])
    return graph


__all__ = [
    "AGENT_KINDS",
    "QUERIES",
    "RESPONSIBILITY_KINDS",
    "AnalyticsData",
    "CouncilInfo",
    "ItemInfo",
    "accountability_networks",
    "as_plain",
    "council_iri",
    "cycles_uncollected",
    "crosswalk_network",
    "feature_sets",
    "fetch",
    "kind_name",
    "notation_key",
]
