"""The analytics on the real corpus (imported by the importers' pipeline), against facts
established by reading the documents (``expected.toml``, ``[corpus.*]``)."""

from __future__ import annotations

from typing import Any

import pytest

from govkg.graph.analytics import AnalyticsReport
from govkg.graph.analytics.accountability import CouncilAccountability


def council(report: AnalyticsReport, slug: str) -> CouncilAccountability:
    found = [c for c in report.councils if c.slug == slug]
    assert found, f"{slug} is not in the imported corpus"
    return found[0]


@pytest.fixture(scope="module")
def stevenage(corpus_report: AnalyticsReport,
              expected: dict[str, Any]) -> tuple[CouncilAccountability, dict[str, Any]]:
    want = expected["corpus"]["stevenage"]
    return council(corpus_report, want["council"]), want


def test_who_leads_the_most_improvement_actions(stevenage: tuple[CouncilAccountability,
                                                                 dict[str, Any]]) -> None:
    got, want = stevenage
    leads = sorted(((c.by_kind.get("leads", 0), c.label) for c in got.carriers), reverse=True)
    (most, leader), (second, _) = leads[0], leads[1]
    assert leader.casefold() == want["leads_most_actions"].casefold()
    assert most >= want["leads_most_actions_at_least"]
    assert most > second
    assert got.carriers[0].label == leader  # and so it tops the carriers


def test_the_leads_named_on_rows_with_actions(stevenage: tuple[CouncilAccountability,
                                                               dict[str, Any]]) -> None:
    got, want = stevenage
    leading = {c.label.casefold() for c in got.carriers if c.by_kind.get("leads")}
    assert leading == {name.casefold() for name in want["action_leads"]}


def test_items_nobody_owns(stevenage: tuple[CouncilAccountability, dict[str, Any]]) -> None:
    """No lead named, or a lead with no action to lead: nobody owns the requirement."""
    got, want = stevenage
    unowned = [i.notation for i in got.unowned_items]
    assert set(want["no_lead"]) <= set(unowned)
    assert sorted(unowned) == sorted(want["no_lead"] + want["lead_without_action"])


def test_single_points_of_failure(stevenage: tuple[CouncilAccountability,
                                                   dict[str, Any]]) -> None:
    got, want = stevenage
    sole = {s.label.casefold(): {i.notation for i in s.items}
            for s in got.single_points_of_failure}
    assert all(want["shared_item"] not in items for items in sole.values())
    assert want["sole_item_of_leader"] in sole[want["leads_most_actions"].casefold()]


def test_risk_management_topic(corpus_report: AnalyticsReport,
                               expected: dict[str, Any]) -> None:
    want = expected["corpus"]["risk_management"]
    found = next(o for o in corpus_report.ownership
                 if o.subject_kind == "topic" and o.subject == want["topic"])
    kinds = {c.council.rsplit("/", 1)[-1]: set(c.kinds) for c in found.councils}
    assert kinds[want["topic_individual"]] & {"post", "role"}
    assert "body" in kinds[want["topic_body"]]
    assert found.divergent


def test_risk_management_item(corpus_report: AnalyticsReport,
                              expected: dict[str, Any]) -> None:
    """2007 4.3.1: a post in one council, a committee in another."""
    want = expected["corpus"]["risk_management"]
    found = next(o for o in corpus_report.ownership
                 if o.subject_kind == "item" and o.subject.endswith("2007/" + want["item"]))
    owners = {c.council.rsplit("/", 1)[-1]: {(o.label, o.kind) for o in c.owners}
              for c in found.councils}
    post, body = want["item_post"], want["item_body"]
    assert (post["owner"], "post") in owners[post["council"]]
    assert (body["owner"], "body") in owners[body["council"]]
    assert found.divergent


def test_every_council_of_the_corpus_is_reported(corpus_report: AnalyticsReport) -> None:
    assert {c.slug for c in corpus_report.councils} == {
        "colchester-borough-council", "kent-county-council",
        "leicestershire-county-council", "stevenage-borough-council"}
