"""The crosswalk between the two CIPFA/SOLACE editions, read as a graph.

In :func:`projection.crosswalk_network` every item of both editions is a node and every
mapping an edge. Three things follow from its shape:

* items declared to have no counterpart (``govkg:hasNoCounterpartIn``), and items that
  have neither a mapping nor such a declaration (a gap in the crosswalk itself);
* connected components: a component with two or more items of *each* edition is a
  many-to-many cluster, where no item of one edition can be read as one item of the
  other, and a council's coverage cannot be translated item for item;
* the degree of each item: how many items of the other edition it is spread over.

Pure functions of the graph passed in; results serialise to plain JSON.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from govkg.graph.analytics.projection import as_plain, notation_key


@dataclass(frozen=True)
class CrosswalkItem:
    """An item as the crosswalk report names it."""

    iri: str
    edition: str
    notation: str
    label: str


@dataclass(frozen=True)
class Cluster:
    """A connected component of the crosswalk with items of both editions."""

    size: int
    editions: dict[str, int]
    mappings: int
    many_to_many: bool
    items: tuple[CrosswalkItem, ...]


@dataclass(frozen=True)
class CrosswalkSummary:
    """What the crosswalk's shape says."""

    items: int
    mappings: int
    by_relation: dict[str, int]
    no_counterpart: tuple[CrosswalkItem, ...]
    unmapped: tuple[CrosswalkItem, ...]
    clusters: tuple[Cluster, ...]
    many_to_many: int

    def to_dict(self) -> dict[str, object]:
        return as_plain(self)


def _item(graph: nx.Graph, node: str) -> CrosswalkItem:
    attrs = graph.nodes[node]
    return CrosswalkItem(node, attrs.get("edition", ""), attrs.get("notation", ""),
                         attrs.get("label", ""))


def _order(item: CrosswalkItem) -> tuple[object, ...]:
    return item.edition, notation_key(item.notation)


def clusters(graph: nx.Graph) -> list[Cluster]:
    """Components that map items across editions, largest first."""
    found = []
    for component in nx.connected_components(graph):
        if len(component) < 2:
            continue
        editions = Counter(graph.nodes[n].get("edition", "") for n in component)
        many = len(editions) >= 2 and all(count >= 2 for count in editions.values())
        found.append(Cluster(
            size=len(component), editions=dict(sorted(editions.items())),
            mappings=graph.subgraph(component).number_of_edges(), many_to_many=many,
            items=tuple(sorted((_item(graph, n) for n in component), key=_order))))
    found.sort(key=lambda c: (-c.size, [i.iri for i in c.items]))
    return found


def summarise_crosswalk(graph: nx.Graph) -> CrosswalkSummary:
    """Items with no counterpart, unmapped items and the clusters of the crosswalk."""
    lonely = sorted((_item(graph, n) for n, a in graph.nodes(data=True)
                     if a.get("no_counterpart_in")), key=_order)
    unmapped = sorted((_item(graph, n) for n, a in graph.nodes(data=True)
                       if graph.degree(n) == 0 and not a.get("no_counterpart_in")), key=_order)
    found = clusters(graph)
    relations = Counter(a.get("skos") or "unknown" for _, _, a in graph.edges(data=True))
    return CrosswalkSummary(
        items=graph.number_of_nodes(), mappings=graph.number_of_edges(),
        by_relation=dict(sorted(relations.items())), no_counterpart=tuple(lonely),
        unmapped=tuple(unmapped), clusters=tuple(found),
        many_to_many=sum(c.many_to_many for c in found))
