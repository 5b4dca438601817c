"""The projection: a fixed number of queries whatever the number of councils, and
narrowing by a bound council."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pytest
from rdflib.term import Node

from govkg.graph.analytics import analyse, council_accountability
from govkg.graph.analytics.projection import QUERIES, fetch, notation_key
from govkg.graph.errors import InputError
from govkg.graph.store import Store


class CountingStore:
    """Passes queries to a real store and counts them."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.queries = 0

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              **options: Any) -> Any:
        self.queries += 1
        return self.store.query(sparql, bindings, **options)

    def select_text(self, sparql: str, bindings: Mapping[str, Node] | None = None,
                    **options: Any) -> Any:
        self.queries += 1
        return self.store.select_text(sparql, bindings, **options)


def test_one_query_each_whatever_the_councils(fixture_store: Store) -> None:
    counting = CountingStore(fixture_store)
    report = analyse(counting)
    assert len(report.councils) == 3
    assert counting.queries == len(QUERIES)


def test_bound_council_narrows_the_rows(fixture_store: Store) -> None:
    data = fetch(fixture_store, "borchester-city-council")
    assert {r["council"] for r in data.rows["responsibilities"]} == {
        "https://w3id.org/govkg/id/council/borchester-city-council"}
    assert [c.slug for c in data.councils()] == ["borchester-city-council"]


def test_council_accountability_alone(fixture_store: Store) -> None:
    """The web service's one-council call gives what the full analysis gives."""
    alone = council_accountability(fixture_store, "ambridge-borough-council")
    full = next(c for c in analyse(fixture_store).councils
                if c.slug == "ambridge-borough-council")
    assert alone == full


@pytest.mark.parametrize("council", ["no-such-council", "not a slug"],
                         ids=["unknown", "malformed"])
def test_unknown_council_is_bad_input(fixture_store: Store, council: str) -> None:
    with pytest.raises(InputError):
        analyse(fixture_store, council)


def test_networks_keep_roles_as_agents(fixture_store: Store) -> None:
    report = analyse(fixture_store, "cheswick-district-council")
    network = report.networks["https://w3id.org/govkg/id/council/cheswick-district-council"]
    role = "https://w3id.org/govkg/id/role/chief-finance-officer"
    assert network.nodes[role]["kind"] == "role"
    assert network.nodes[role]["agent"] is True


@pytest.mark.parametrize(("given", "ordered"), [
    (["2.10", "2.9", "10", "1"], ["1", "2.9", "2.10", "10"]),
    (["B.1", "A.2", "A.10"], ["A.2", "A.10", "B.1"]),
], ids=["2007", "2016"])
def test_notation_order(given: Iterable[str], ordered: list[str]) -> None:
    assert sorted(given, key=notation_key) == ordered
