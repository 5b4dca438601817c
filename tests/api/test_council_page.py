"""The council page's accountability reads only the council's nodes (issue 17): the same
network, matrix and items as from every council's rows. Real embedded Oxigraph store of
the Testshire fixtures (tests/api/data), read through the service's in-process runner,
with and without LATERAL binding."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from govkg.api import pictures
from govkg.api.querying import StoreRunner
from govkg.graph.analytics.projection import accountability_networks, fetch
from govkg.graph.store import EmbeddedStore
from tests.api.servers import officers_store

COUNCIL = "https://w3id.org/govkg/id/council/testshire-county-council"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    with officers_store(tmp_path_factory.mktemp("council-page") / "store") as opened:
        yield opened


class LateralRunner(StoreRunner):
    """The in-process runner, binding lists as the service's workers do."""

    lateral = True


@pytest.mark.parametrize("runner_class", [StoreRunner, LateralRunner],
                         ids=["values", "lateral"])
def test_the_councils_own_nodes_give_the_whole_network(
        store: EmbeddedStore, runner_class: type[StoreRunner]) -> None:
    runner = runner_class(store, timeout=60, max_bytes=1 << 28)
    narrowed = pictures.council_data(runner, COUNCIL)
    whole = fetch(store, COUNCIL, only=(*pictures.BY_COUNCIL, *pictures.BY_NODE))
    got, expected = (accountability_networks(d)[COUNCIL] for d in (narrowed, whole))
    assert len(expected) > 10 and expected.graph == got.graph
    assert dict(got.nodes(data=True)) == dict(expected.nodes(data=True))
    assert sorted(got.edges(data=True)) == sorted(expected.edges(data=True))
    assert narrowed.items == whole.items
    # fewer rows read than every council's: the point of narrowing
    assert len(narrowed.rows["nodes"]) < len(whole.rows["nodes"])


def test_the_page_draws_the_same_matrix_from_either(store: EmbeddedStore) -> None:
    drawn = [pictures.accountability(cls(store, timeout=60, max_bytes=1 << 28), COUNCIL)
             for cls in (StoreRunner, LateralRunner)]
    assert drawn[0].rows and drawn[0] == drawn[1]

