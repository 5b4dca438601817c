"""Per-council accountability on the fixture councils, against hand-worked figures."""

from __future__ import annotations

from typing import Any

import pytest

from govkg.graph.analytics import AnalyticsReport
from govkg.graph.analytics.accountability import (
    CouncilAccountability,
    analyse_council,
    owners,
    without,
)

COUNCILS = ["ambridge", "borchester", "cheswick"]


def council(report: AnalyticsReport, slug: str) -> CouncilAccountability:
    return next(c for c in report.councils if c.slug == slug)


@pytest.mark.parametrize("name", COUNCILS)
def test_headline_figures(fixture_report: AnalyticsReport, expected: dict[str, Any],
                          name: str) -> None:
    want = expected["fixture"][name]
    got = council(fixture_report, want["council"])
    assert (got.agents, got.duties, got.items_in_scope, got.items_owned) == (
        want["agents"], want["duties"], want["items_in_scope"], want["items_owned"])
    assert got.top_share == pytest.approx(want["top_share"], abs=1e-4)
    assert [i.notation for i in got.unowned_items] == want["unowned"]


def test_carriers_in_order(fixture_report: AnalyticsReport, expected: dict[str, Any]) -> None:
    want = expected["fixture"]["ambridge"]
    got = council(fixture_report, want["council"])
    assert [[c.label, c.kind, c.duties, c.items, c.share] for c in got.carriers] == [
        [label, kind, duties, items, pytest.approx(share, abs=1e-4)]
        for label, kind, duties, items, share in want["carriers"]]


def test_responsibilities_by_kind(fixture_report: AnalyticsReport,
                                  expected: dict[str, Any]) -> None:
    """govkg:leadPost and a reified 'leads' on the same action count once."""
    want = expected["fixture"]["ambridge"]
    carriers = {c.label: c for c in council(fixture_report, want["council"]).carriers}
    assert carriers["Head of Resources"].by_kind == want["by_kind_head_of_resources"]
    assert carriers["Audit Committee"].by_kind == want["by_kind_audit_committee"]


def test_post_roles_and_body_functions(fixture_report: AnalyticsReport) -> None:
    carriers = {c.label: c for c in council(fixture_report, "ambridge-borough-council").carriers}
    assert carriers["Head of Resources"].roles == (
        "https://w3id.org/govkg/id/role/chief-finance-officer",)
    assert carriers["Audit Committee"].functions == (
        "https://w3id.org/govkg/id/body-function/audit",)
    assert carriers["Monitoring Officer"].iri == "https://w3id.org/govkg/id/role/monitoring-officer"


def test_single_points_of_failure(fixture_report: AnalyticsReport,
                                  expected: dict[str, Any]) -> None:
    want = expected["fixture"]["ambridge"]
    got = council(fixture_report, want["council"])
    assert [[s.label, [i.notation for i in s.items]] for s in got.single_points_of_failure] \
        == want["single_points"]


@pytest.mark.parametrize("slug", ["ambridge-borough-council", "borchester-city-council",
                                  "cheswick-district-council"])
def test_single_points_are_what_removal_shows(fixture_report: AnalyticsReport,
                                              slug: str) -> None:
    """The definition itself: removing an agent leaves exactly its listed items unowned
    (beyond those unowned already), and removing any other agent leaves none."""
    network = next(n for n in fixture_report.networks.values() if n.graph["slug"] == slug)
    report = analyse_council(network)
    listed = {s.iri: {i.iri for i in s.items} for s in report.single_points_of_failure}
    before = {i for i, who in owners(network).items() if not who}
    for carrier in report.carriers:
        after = {i for i, who in owners(without(network, carrier.iri)).items() if not who}
        assert after - before == listed.get(carrier.iri, set()), carrier.label


def test_json_is_plain(fixture_report: AnalyticsReport) -> None:
    import json

    text = json.dumps(fixture_report.to_dict())
    assert "Ambridge Borough Council" in text
