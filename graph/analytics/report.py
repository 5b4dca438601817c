"""One entry point for the whole analysis: :func:`analyse`.

The CLI (``govkg analyze``) and the web service (``/analytics/...``) both call it, so
the two always report the same numbers; ``AnalyticsReport.to_dict()`` is the JSON they
show. The store is asked a fixed number of queries whatever the number of councils.

>>> import tempfile
>>> from govkg.graph.store import open_store
>>> with open_store(tempfile.mkdtemp(), build_if_new=False) as store:
...     analyse(store).to_dict()["councils"]
[]
"""

from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx
import orjson

from govkg.graph.analytics.accountability import CouncilAccountability, analyse_council
from govkg.graph.analytics.comparison import (
    CoverageMatrix,
    Neighbour,
    OwnershipComparison,
    SimilarityMatrix,
    compare_ownership,
    coverage_matrix,
    nearest,
    similarity_matrix,
)
from govkg.graph.analytics.crosswalk import CrosswalkSummary, summarise_crosswalk
from govkg.graph.analytics.projection import (
    AnalyticsData,
    CouncilInfo,
    accountability_networks,
    council_iri,
    crosswalk_network,
    cycles_uncollected,
    feature_sets,
    fetch,
)
from govkg.graph.errors import InputError
from govkg.graph.store.base import Store

#: How many nearest councils a report lists for each council.
NEAREST = 3


@dataclass
class AnalyticsReport:
    """Everything ``govkg analyze`` reports; the networks are kept for pictures and
    GraphML but are not part of the JSON."""

    councils: list[CouncilAccountability]
    ownership: list[OwnershipComparison]
    similarity: SimilarityMatrix
    nearest: dict[str, list[Neighbour]]
    coverage: CoverageMatrix
    ownership_coverage: CoverageMatrix
    crosswalk: CrosswalkSummary
    council: str | None = None
    networks: dict[str, nx.DiGraph] = field(default_factory=dict, repr=False)
    crosswalk_graph: nx.Graph = field(default_factory=nx.Graph, repr=False)

    def to_dict(self) -> dict[str, object]:
        """Plain JSON for the CLI's ``--format json`` and the web service."""
        with cycles_uncollected():
            return self._plain()

    def to_json(self) -> str:
        """:meth:`to_dict` as JSON text indented by two spaces, as ``json.dumps(...,
        indent=2, ensure_ascii=False)`` writes it (byte for byte at 400 synthetic
        councils, 15 MB), by orjson: 0.03 s of CPU where the standard library's
        indenting encoder, which is Python, took 0.4 s. (The two part only on floats
        below 1e-4 or past 1e16, which they write ``1e-05`` and ``1e-5``: the shares
        and similarities here are ratios of small counts.)"""
        return orjson.dumps(self.to_dict(), option=orjson.OPT_INDENT_2).decode("utf-8")

    def _plain(self) -> dict[str, object]:
        return {
            "council": self.council,
            "councils": [c.to_dict() for c in self.councils],
            "ownership": [o.to_dict() for o in self.ownership],
            "similarity": self.similarity.to_dict(),
            "nearest": {k: [vars(n) for n in v] for k, v in self.nearest.items()},
            "coverage": self.coverage.to_dict(),
            "ownership_coverage": self.ownership_coverage.to_dict(),
            "crosswalk": self.crosswalk.to_dict(),
        }


def analyse_data(data: AnalyticsData, council: str | None = None,
                 facet: str = "all") -> AnalyticsReport:
    """The report from already-fetched rows (pure: no store)."""
    everyone = data.councils()
    chosen: list[CouncilInfo] = everyone
    if council is not None:
        iri = str(council_iri(council))
        chosen = [c for c in everyone if iri == c.iri]
        if not chosen:
            raise InputError(f"no council {council!r} has documents in the store; "
                             "see govkg stats, or give its slug as in the reference data")
    networks = accountability_networks(data)
    for info in everyone:  # a council with documents but no responsibilities yet
        networks.setdefault(info.iri, nx.DiGraph(council=info.iri, label=info.label,
                                                 slug=info.slug))
    matrix = similarity_matrix(feature_sets(data, facet), everyone, facet)
    crosswalk = crosswalk_network(data)
    return AnalyticsReport(
        councils=[analyse_council(networks[c.iri]) for c in chosen],
        ownership=compare_ownership(networks, data),
        similarity=matrix,
        nearest={c.slug: nearest(matrix, c.iri, NEAREST) for c in chosen},
        coverage=coverage_matrix(networks, data, everyone),
        ownership_coverage=coverage_matrix(networks, data, everyone, "owned"),
        crosswalk=summarise_crosswalk(crosswalk),
        council=chosen[0].slug if council is not None else None,
        networks={c.iri: networks[c.iri] for c in chosen},
        crosswalk_graph=crosswalk,
    )


def analyse(store: Store, council: str | None = None, facet: str = "all") -> AnalyticsReport:
    """Fetch the rows (a fixed number of queries) and analyse them.

    ``council`` (slug or IRI) narrows the per-council sections; comparisons and
    similarity always span every council, since they are about the others too.
    """
    data = fetch(store)
    with cycles_uncollected():
        return analyse_data(data, council, facet)


def council_accountability(store: Store, council: str) -> CouncilAccountability:
    """One council's accountability, from queries narrowed to it (the web service's
    council page: cheaper than :func:`analyse` when only one council is wanted)."""
    data = fetch(store, council, only=("responsibilities", "scope", "nodes", "facts",
                                       "items", "councils"))
    iri = str(council_iri(council))
    if iri not in {c.iri for c in data.councils()}:
        raise InputError(f"no council {council!r} has documents in the store")
    networks = accountability_networks(data)
    info = data.council_info(iri)
    network = networks.get(iri, nx.DiGraph(council=iri, label=info.label, slug=info.slug))
    return analyse_council(network)
