"""Comparing councils: who owns the same thing, which councils work alike, coverage.

* :func:`compare_ownership`: for each framework item and each governance topic, which
  kinds of agent own it in each council (risk management: a committee in one council,
  a cabinet member in another). A topic is owned by an agent that answers for the topic
  itself or for a duty tagged with it (a risk register is about risk management).
* :func:`similarity_matrix`: Jaccard similarity of councils on the evidence kinds they
  cite and the functions their bodies perform, and :func:`nearest` councils to one.
  The matrix is the one quadratic result in the analytics (it has n x n cells); it is
  computed from per-council sets fetched in one query, so the store's work stays linear.
* :func:`coverage_matrix`: councils x core principles, the share of each principle's
  lowest-level items that the council's commitments, results and actions address.

Every result is a dataclass whose ``to_dict`` is plain JSON.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from govkg.graph.analytics.accountability import agents, owners
from govkg.graph.analytics.projection import AGENT_KINDS, AnalyticsData, CouncilInfo, as_plain
from govkg.graph.errors import InputError


@dataclass(frozen=True)
class Owner:
    """An agent that owns the compared thing in one council."""

    iri: str
    label: str
    kind: str
    roles: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()


@dataclass(frozen=True)
class CouncilOwners:
    """Who owns the compared thing in one council, and what kinds of agent they are."""

    council: str
    label: str
    kinds: tuple[str, ...]
    owners: tuple[Owner, ...]


@dataclass(frozen=True)
class OwnershipComparison:
    """One item or topic across the councils that have an owner for it.

    ``divergent`` is true when two councils give it to different kinds of agent.
    """

    subject: str
    label: str
    subject_kind: str
    councils: tuple[CouncilOwners, ...]
    divergent: bool

    def to_dict(self) -> dict[str, object]:
        return as_plain(self)


def _owner(graph: nx.DiGraph, agent: str) -> Owner:
    attrs = graph.nodes[agent]
    return Owner(agent, attrs.get("label", agent), attrs.get("kind", "other"),
                 tuple(attrs.get("roles", ())), tuple(attrs.get("functions", ())))


def topic_owners(graph: nx.DiGraph) -> dict[str, set[str]]:
    """For every topic in the network, the agents that answer for it or for a duty
    tagged with it."""
    result: dict[str, set[str]] = defaultdict(set)
    for agent in agents(graph):
        for duty in graph.successors(agent):
            for topic in graph.nodes[duty].get("topics", ()):
                result[topic].add(agent)
    return dict(result)


def compare_ownership(networks: Mapping[str, nx.DiGraph], data: AnalyticsData,
                      subject_kind: str = "all") -> list[OwnershipComparison]:
    """Items and topics with an owner in at least one council, with their owners per
    council; divergent ones first, then by label. ``subject_kind``: ``item``, ``topic``
    or ``all``."""
    if subject_kind not in ("all", "item", "topic"):
        raise InputError(f"unknown subject kind {subject_kind!r}; use all, item or topic")
    by_subject: dict[tuple[str, str], list[CouncilOwners]] = defaultdict(list)
    for council in sorted(networks, key=lambda c: networks[c].graph.get("label", c)):
        graph = networks[council]
        found: list[tuple[str, dict[str, set[str]]]] = []
        if subject_kind in ("all", "item"):
            found.append(("item", owners(graph)))
        if subject_kind in ("all", "topic"):
            found.append(("topic", topic_owners(graph)))
        for kind, owned in found:
            for subject, who in owned.items():
                if not who:
                    continue
                listed = tuple(sorted((_owner(graph, a) for a in who),
                                      key=lambda o: (o.label, o.iri)))
                kinds = tuple(k for k in (*AGENT_KINDS, "other") if any(o.kind == k
                                                                       for o in listed))
                by_subject[(kind, subject)].append(CouncilOwners(
                    council, graph.graph.get("label", council), kinds, listed))
    comparisons = []
    for (kind, subject), councils in by_subject.items():
        label = data.items[subject].notation + " " + data.items[subject].label \
            if kind == "item" and subject in data.items else data.label(subject)
        divergent = len({c.kinds for c in councils}) > 1
        comparisons.append(OwnershipComparison(subject, label.strip(), kind, tuple(councils),
                                               divergent))
    comparisons.sort(key=lambda c: (not c.divergent, -len(c.councils), c.subject_kind, c.label))
    return comparisons


# ---------------------------------------------------------------------------- similarity


@dataclass(frozen=True)
class SimilarityMatrix:
    """Jaccard similarity between councils' feature sets; ``matrix[i][j]`` compares
    ``councils[i]`` with ``councils[j]``."""

    facet: str
    councils: tuple[CouncilInfo, ...]
    matrix: tuple[tuple[float, ...], ...]
    features: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return {"facet": self.facet, "councils": [c.to_dict() for c in self.councils],
                "matrix": [list(row) for row in self.matrix], "features": self.features}

    def index(self, council: str) -> int:
        """Position of a council given by IRI or slug."""
        for i, info in enumerate(self.councils):
            if council in (info.iri, info.slug):
                return i
        raise InputError(f"no council {council!r} in the store")


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b|; two empty sets are not alike (0.0), since nothing is known."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def similarity_matrix(features: Mapping[str, frozenset[str]], councils: Iterable[CouncilInfo],
                      facet: str = "all") -> SimilarityMatrix:
    """Pairwise Jaccard similarity of ``features`` (council IRI -> set), in the order of
    ``councils``; rounded to four places so that JSON stays small and stable."""
    listed = tuple(councils)
    sets = [features.get(c.iri, frozenset()) for c in listed]
    # Jaccard is symmetric: each pair is computed once, for the cell above the diagonal
    cells = [[0.0] * len(sets) for _ in sets]
    for i, a in enumerate(sets):
        cells[i][i] = 1.0 if a else round(jaccard(a, a), 4)
        for j in range(i + 1, len(sets)):
            cells[i][j] = cells[j][i] = round(jaccard(a, sets[j]), 4)
    rows = [tuple(row) for row in cells]
    return SimilarityMatrix(facet, listed, tuple(rows), {c.iri: len(s) for c, s in
                                                        zip(listed, sets, strict=True)})


@dataclass(frozen=True)
class Neighbour:
    """A council and how alike it is to the one asked about."""

    council: str
    label: str
    slug: str
    similarity: float


def nearest(matrix: SimilarityMatrix, council: str, k: int = 5) -> list[Neighbour]:
    """The ``k`` councils most alike to ``council`` (IRI or slug), most alike first,
    ties by name."""
    i = matrix.index(council)
    others = [(matrix.matrix[i][j], info) for j, info in enumerate(matrix.councils) if j != i]
    others.sort(key=lambda pair: (-pair[0], pair[1].label))
    return [Neighbour(info.iri, info.label, info.slug, score) for score, info in others[:k]]


# ---------------------------------------------------------------------------- coverage


@dataclass(frozen=True)
class CoverageMatrix:
    """Councils x core principles (of both editions): the share of each principle's
    lowest-level items the council addresses (``measure`` ``addressed``) or that an
    agent owns (``owned``), or ``None`` where the council says nothing about that
    edition."""

    measure: str
    councils: tuple[CouncilInfo, ...]
    principles: tuple[tuple[str, str, str], ...]  # (iri, edition, notation)
    shares: tuple[tuple[float | None, ...], ...]

    def to_dict(self) -> dict[str, object]:
        return {"measure": self.measure, "councils": [c.to_dict() for c in self.councils],
                "principles": [{"iri": p[0], "edition": p[1], "notation": p[2]}
                               for p in self.principles],
                "shares": [list(row) for row in self.shares]}


def _leaves_by_principle(data: AnalyticsData) -> dict[str, set[str]]:
    children: dict[str, set[str]] = defaultdict(set)
    for info in data.items.values():
        for parent in info.broader:
            children[parent].add(info.iri)
    leaves: dict[str, set[str]] = {}
    for info in data.items.values():
        if info.level != "principle":
            continue
        found, stack = set(), [info.iri]
        while stack:
            node = stack.pop()
            below = children.get(node, set())
            if not below and node != info.iri:
                found.add(node)
            stack.extend(below)
        leaves[info.iri] = found or {info.iri}
    return leaves


def coverage_matrix(networks: Mapping[str, nx.DiGraph], data: AnalyticsData,
                    councils: Iterable[CouncilInfo], measure: str = "addressed") -> CoverageMatrix:
    """Per council and core principle, the share of the principle's lowest-level items
    (2016 sub-principles, 2007 specific requirements) that the council addresses, or
    (``measure="owned"``) that some post, body or role of the council owns."""
    if measure not in ("addressed", "owned"):
        raise InputError(f"unknown measure {measure!r}; use addressed or owned")
    leaves = _leaves_by_principle(data)
    principles = sorted(leaves, key=lambda p: (data.items[p].edition,
                                               data.items[p].notation))
    listed = tuple(councils)
    rows = []
    for council in listed:
        graph = networks.get(council.iri)
        addressed = {n for n, a in graph.nodes(data=True) if a.get("kind") == "item"} \
            if graph is not None else set()
        editions = {data.items[i].edition for i in addressed if i in data.items}
        counted = addressed if measure == "addressed" or graph is None else \
            {item for item, who in owners(graph).items() if who}
        rows.append(tuple(
            round(len(counted & leaves[p]) / len(leaves[p]), 4)
            if data.items[p].edition in editions else None
            for p in principles))
    return CoverageMatrix(measure, listed, tuple((p, data.items[p].edition, data.items[p].notation)
                                        for p in principles), tuple(rows))
