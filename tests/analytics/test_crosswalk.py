"""The crosswalk as a graph: a hand-made one, and the real one as read from its file."""

from __future__ import annotations

from typing import Any

import pytest

from govkg.graph.analytics import AnalyticsReport
from govkg.graph.analytics.crosswalk import summarise_crosswalk
from govkg.graph.analytics.projection import AnalyticsData, crosswalk_network

OLD, NEW = "ex:2007", "ex:2016"


def _rows() -> dict[str, list[dict[str, str]]]:
    """Old items 1-5, new items a-e. 1,2 <-> a,b is many-to-many (1-a, 1-b, 2-b);
    3 -> c, d is one-to-many; 4 -> e one-to-one; 5 is declared to have no counterpart;
    nothing maps to new item f, and it is not declared either."""
    items = [{"item": f"ex:{n}", "edition": OLD, "level": "requirement", "notation": n}
             for n in "12345"]
    items += [{"item": f"ex:{n}", "edition": NEW, "level": "sub-principle", "notation": n}
              for n in "abcdef"]
    pairs = [("1", "a", "closeMatch"), ("1", "b", "relatedMatch"), ("2", "b", "broadMatch"),
             ("3", "c", "broadMatch"), ("3", "d", "relatedMatch"), ("4", "e", "closeMatch")]
    crosswalk = [{"mapping": f"ex:m{i}", "source": f"ex:{s}", "target": f"ex:{t}",
                  "skosRelation": f"http://www.w3.org/2004/02/skos/core#{r}"}
                 for i, (s, t, r) in enumerate(pairs)]
    crosswalk.append({"lonely": "ex:5", "otherEdition": NEW})
    return {"items": items, "crosswalk": crosswalk}


def test_hand_made_crosswalk() -> None:
    summary = summarise_crosswalk(crosswalk_network(AnalyticsData.from_plain(_rows())))
    assert (summary.items, summary.mappings) == (11, 6)
    assert summary.by_relation == {"broadMatch": 2, "closeMatch": 2, "relatedMatch": 2}
    assert [i.notation for i in summary.no_counterpart] == ["5"]
    assert [i.notation for i in summary.unmapped] == ["f"]
    shapes = [([i.notation for i in c.items], c.many_to_many) for c in summary.clusters]
    assert shapes == [(["1", "2", "a", "b"], True), (["3", "c", "d"], False),
                      (["4", "e"], False)]
    assert summary.many_to_many == 1


def test_real_crosswalk(fixture_report: AnalyticsReport, expected: dict[str, Any]) -> None:
    want = expected["reference"]["crosswalk"]
    summary = fixture_report.crosswalk
    assert summary.mappings == want["mappings"]
    assert summary.by_relation == want["by_relation"]
    assert [i.notation for i in summary.no_counterpart] == want["no_counterpart"]
    assert [i.notation for i in summary.unmapped] == want["unmapped"]


@pytest.mark.parametrize("edition", ["cipfa-solace-2007", "cipfa-solace-2016"])
def test_real_crosswalk_clusters_span_both_editions(fixture_report: AnalyticsReport,
                                                    edition: str) -> None:
    """Every mapped item sits in a cluster with an item of the other edition."""
    clustered = {i.iri for c in fixture_report.crosswalk.clusters for i in c.items}
    graph = fixture_report.crosswalk_graph
    mapped = {n for n, a in graph.nodes(data=True)
              if a["edition"].endswith(edition) and graph.degree(n)}
    assert mapped <= clustered
    assert all(len(c.editions) == 2 for c in fixture_report.crosswalk.clusters)
