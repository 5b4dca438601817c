"""Where accountability piles up in one council, and where it is missing.

Read over a council's accountability network (:func:`projection.accountability_networks`):

* **carriers**: each post, body or role with the number of duties it answers for, the
  framework items it owns, its responsibilities by kind, and its *share*: the fraction
  of the council's owned duties (duties with at least one agent) that it answers for.
  Shares do not add up to one where agents share duties; the top carrier's share is the
  concentration figure auditors ask for ("one post answers for 40% of everything").
* **unowned items**: items the council's commitments, results or actions address or
  assess that no agent owns;
* **single points of failure**: agents that are the only owner of some item, so that
  taking the agent away leaves those items unowned.

Everything here is a pure function of the graph passed in, and every result is a
dataclass whose :meth:`to_dict` is plain JSON (the web service returns it as is).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import networkx as nx

from govkg.graph.analytics.projection import RESPONSIBILITY_KINDS, as_plain, notation_key


@dataclass(frozen=True)
class ItemRef:
    """A framework item as a report names it."""

    iri: str
    notation: str
    label: str


@dataclass(frozen=True)
class Carrier:
    """One agent and how much it answers for."""

    iri: str
    label: str
    kind: str
    roles: tuple[str, ...]
    functions: tuple[str, ...]
    duties: int
    items: int
    share: float
    by_kind: dict[str, int]


@dataclass(frozen=True)
class SinglePoint:
    """An agent that alone owns ``items``."""

    iri: str
    label: str
    kind: str
    items: tuple[ItemRef, ...]


@dataclass(frozen=True)
class CouncilAccountability:
    """The accountability of one council, ready to print or to serve as JSON."""

    council: str
    label: str
    slug: str
    agents: int
    duties: int
    items_in_scope: int
    items_owned: int
    top_share: float | None
    carriers: tuple[Carrier, ...]
    unowned_items: tuple[ItemRef, ...]
    single_points_of_failure: tuple[SinglePoint, ...]

    def to_dict(self) -> dict[str, object]:
        """Plain JSON: strings, numbers, lists and objects only."""
        return as_plain(self)


def agents(graph: nx.DiGraph) -> list[str]:
    """The network's agents, in a stable order."""
    return sorted(n for n, a in graph.nodes(data=True) if a.get("agent"))


def owned_items(graph: nx.DiGraph, agent: str) -> set[str]:
    """Items ``agent`` answers for itself, or through a duty that addresses them."""
    found: set[str] = set()
    for duty in graph.successors(agent):
        if graph.nodes[duty].get("kind") == "item":
            found.add(duty)
        # a duty that is itself an agent (a body monitoring a partnership board) passes
        # nothing on: ownership is one hop, see projection's docstring
        if graph.nodes[duty].get("agent"):
            continue
        found.update(i for i in graph.successors(duty)
                     if graph.nodes[i].get("kind") == "item"
                     and graph.edges[duty, i].get("relation") in ("addresses", "assesses"))
    return found


def owners(graph: nx.DiGraph) -> dict[str, set[str]]:
    """For every item in the network, the agents that own it (possibly none)."""
    result: dict[str, set[str]] = {n: set() for n, a in graph.nodes(data=True)
                                   if a.get("kind") == "item"}
    for agent in agents(graph):
        for item in owned_items(graph, agent):
            result[item].add(agent)
    return result


def scope(graph: nx.DiGraph) -> set[str]:
    """The items the council has said something about (its commitments, results and
    actions address or assess them) and any an agent answers for directly: every item
    node of the network."""
    return {n for n, a in graph.nodes(data=True) if a.get("kind") == "item"}


def _item_ref(graph: nx.DiGraph, item: str) -> ItemRef:
    attrs = graph.nodes[item]
    return ItemRef(item, attrs.get("notation") or attrs.get("label", item), attrs.get("label", ""))


def _notation_key(ref: ItemRef) -> tuple[object, ...]:
    return notation_key(ref.notation), ref.iri


def analyse_council(graph: nx.DiGraph) -> CouncilAccountability:
    """Carriers, concentration, unowned items and single points of failure of one
    council's network."""
    item_owners = owners(graph)
    in_scope = scope(graph)
    duties_owned = {d for a in agents(graph) for d in graph.successors(a)}
    carriers = []
    for agent in agents(graph):
        attrs = graph.nodes[agent]
        duties = list(graph.successors(agent))
        by_kind = Counter(k for d in duties for k in graph.edges[agent, d].get("kinds", ()))
        carriers.append(Carrier(
            iri=agent, label=attrs.get("label", agent), kind=attrs.get("kind", "other"),
            roles=tuple(attrs.get("roles", ())), functions=tuple(attrs.get("functions", ())),
            duties=len(duties), items=len(owned_items(graph, agent)),
            share=round(len(duties) / len(duties_owned), 4) if duties_owned else 0.0,
            by_kind={k: by_kind[k] for k in RESPONSIBILITY_KINDS if by_kind[k]}))
    carriers.sort(key=lambda c: (-c.duties, -c.items, c.label, c.iri))
    sole: dict[str, list[str]] = {}
    for item, who in item_owners.items():
        if len(who) == 1:
            sole.setdefault(next(iter(who)), []).append(item)
    single_points = [
        SinglePoint(agent, graph.nodes[agent].get("label", agent),
                    graph.nodes[agent].get("kind", "other"),
                    tuple(sorted((_item_ref(graph, i) for i in items), key=_notation_key)))
        for agent, items in sole.items()]
    single_points.sort(key=lambda s: (-len(s.items), s.label, s.iri))
    unowned = sorted((_item_ref(graph, i) for i in in_scope if not item_owners.get(i)),
                     key=_notation_key)
    return CouncilAccountability(
        council=graph.graph.get("council", ""), label=graph.graph.get("label", ""),
        slug=graph.graph.get("slug", ""), agents=len(carriers), duties=len(duties_owned),
        items_in_scope=len(in_scope), items_owned=sum(1 for w in item_owners.values() if w),
        top_share=carriers[0].share if carriers else None, carriers=tuple(carriers),
        unowned_items=tuple(unowned), single_points_of_failure=tuple(single_points))


def without(graph: nx.DiGraph, agent: str) -> nx.DiGraph:
    """The network with ``agent`` removed: what-if analysis for the web service, and the
    definition that :func:`analyse_council`'s single points of failure are checked
    against in the tests."""
    copy = graph.copy()
    copy.remove_node(agent)
    return copy
