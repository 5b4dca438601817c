"""Across councils: who owns the same thing, similarity, coverage (fixture councils)."""

from __future__ import annotations

from typing import Any

import pytest

from govkg.graph.analytics import AnalyticsReport, analyse
from govkg.graph.analytics.comparison import OwnershipComparison, nearest
from govkg.graph.store import Store

SLUG = {"ambridge": "ambridge-borough-council", "borchester": "borchester-city-council",
        "cheswick": "cheswick-district-council"}


def comparison(report: AnalyticsReport, kind: str, key: str) -> OwnershipComparison:
    for found in report.ownership:
        if found.subject_kind == kind and (found.subject == key or
                                           found.label.split(" ", 1)[0] == key):
            return found
    raise AssertionError(f"no comparison for {kind} {key}")


def kinds_by_council(found: OwnershipComparison) -> dict[str, list[str]]:
    """Council slug (the last segment of its IRI) -> kinds of agent that own it there."""
    return {c.council.rsplit("/", 1)[-1]: list(c.kinds) for c in found.councils}


def test_item_owned_by_different_kinds(fixture_report: AnalyticsReport,
                                       expected: dict[str, Any]) -> None:
    want = expected["fixture"]["ownership"]
    found = comparison(fixture_report, "item", want["divergent_item"])
    assert found.divergent
    assert kinds_by_council(found) == want["divergent_item_kinds"]


def test_item_owned_alike(fixture_report: AnalyticsReport, expected: dict[str, Any]) -> None:
    found = comparison(fixture_report, "item", expected["fixture"]["ownership"]["alike_item"])
    assert not found.divergent
    assert len(found.councils) == 2


def test_topic_owned_by_different_kinds(fixture_report: AnalyticsReport,
                                        expected: dict[str, Any]) -> None:
    """A body that monitors a risk register (tagged risk management) owns the topic."""
    want = expected["fixture"]["ownership"]
    found = comparison(fixture_report, "topic", want["divergent_topic"])
    assert found.divergent
    assert kinds_by_council(found) == want["divergent_topic_kinds"]


def test_divergent_first(fixture_report: AnalyticsReport) -> None:
    flags = [c.divergent for c in fixture_report.ownership]
    assert flags == sorted(flags, reverse=True)


@pytest.mark.parametrize("facet", ["all", "evidence", "bodies"])
def test_similarity(fixture_store: Store, expected: dict[str, Any], facet: str) -> None:
    matrix = analyse(fixture_store, facet=facet).similarity
    for pair, value in expected["fixture"]["similarity"][facet].items():
        a, b = (SLUG[name] for name in pair.split("-"))
        assert matrix.matrix[matrix.index(a)][matrix.index(b)] == pytest.approx(value, abs=1e-4)
        assert matrix.matrix[matrix.index(b)][matrix.index(a)] == pytest.approx(value, abs=1e-4)
    assert all(matrix.matrix[i][i] == 1.0 for i in range(len(matrix.councils)))


@pytest.mark.parametrize("name", ["ambridge", "borchester"])
def test_nearest(fixture_report: AnalyticsReport, expected: dict[str, Any], name: str) -> None:
    got = [n.slug for n in nearest(fixture_report.similarity, SLUG[name], k=5)]
    assert got == expected["fixture"]["similarity"][f"nearest_to_{name}"]


@pytest.mark.parametrize(("measure", "council", "key"), [
    ("addressed", "ambridge", "ambridge_addressed"),
    ("owned", "ambridge", "ambridge_owned"),
    ("addressed", "cheswick", "cheswick_addressed"),
], ids=["ambridge-addressed", "ambridge-owned", "cheswick-addressed"])
def test_coverage(fixture_report: AnalyticsReport, expected: dict[str, Any], measure: str,
                  council: str, key: str) -> None:
    matrix = fixture_report.coverage if measure == "addressed" \
        else fixture_report.ownership_coverage
    row = [c.slug for c in matrix.councils].index(SLUG[council])
    shares = {p[2]: matrix.shares[row][j] for j, p in enumerate(matrix.principles)}
    for notation, value in expected["fixture"]["coverage"][key].items():
        assert shares[notation] == pytest.approx(value, abs=1e-4), notation


def test_coverage_blank_for_the_other_edition(fixture_report: AnalyticsReport) -> None:
    matrix = fixture_report.coverage
    row = [c.slug for c in matrix.councils].index(SLUG["ambridge"])
    assert all(matrix.shares[row][j] is None for j, p in enumerate(matrix.principles)
               if p[1].endswith("2016"))
