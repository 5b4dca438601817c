"""Pages of the named queries ordered by the council's label (read council by council)
or by score, or in the engine's own order with a sub-select to stream (analytics-nodes),
through ``govkg serve`` (graph/store/paging.py): the pages, fetched one
after another by a real HTTP client, are the full result in its order, with the total in
``X-Total-Count`` and the next page in ``Link`` on every page but the last."""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from govkg.graph.build import build
from govkg.graph.querylib import NamedQuery, load_queries
from govkg.graph.store import EmbeddedStore
from govkg.graph.store.paging import pageable
from tests.api.conftest import Server, serving

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.synthetic import generate  # noqa: E402

#: the synthetic councils have no internal audit report and no annual governance
#: statement, so these answer nothing here; tests/queries/test_paging.py pages them on
#: G3's documents
NO_SYNTHETIC_ROWS = {"internal-audit-opinions", "significant-governance-issues"}
PAGED = sorted((q for q in load_queries().values()
                if pageable(q.text) and q.name not in NO_SYNTHETIC_ROWS),
               key=lambda q: q.name)
SIZE = 40


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``govkg serve`` on 12 synthetic councils: more than the paging's first batches,
    so pages span several batches of councils."""
    folder = tmp_path_factory.mktemp("paged")
    out = io.StringIO()
    generate(12, out)
    (folder / "corpus.nq").write_text(out.getvalue(), encoding="utf-8")
    with EmbeddedStore(folder / "store") as store:
        build(store, files=[])
        store.load_file(folder / "corpus.nq")
    with serving(folder / "store", {}) as running:
        yield running


def keys(query: NamedQuery, row: dict[str, Any]) -> tuple[str, ...]:
    """A JSON result row's ORDER BY values, in order; with no ORDER BY (a query in the
    engine's own order, paged through its streamed form), the whole row."""
    order = re.search(r"ORDER\s+BY\s+(.*)$", query.text, re.S)
    names = re.findall(r"\?(\w+)", order.group(1)) if order else sorted(row)
    return tuple(row.get(name, {}).get("value", "") for name in names)


def bindings(response: httpx.Response) -> list[dict[str, Any]]:
    assert response.status_code == 200, response.text
    rows: list[dict[str, Any]] = response.json()["results"]["bindings"]
    return rows


@pytest.mark.parametrize("query", PAGED, ids=lambda q: q.name)
def test_pages_are_the_full_result_in_order(server: Server, query: NamedQuery) -> None:
    url = f"{server.url}/queries/{query.name}"
    json = {"accept": "application/sparql-results+json"}
    with httpx.Client(timeout=60, headers=json) as client:
        full = bindings(client.get(url))
        assert full, f"{query.name} has no rows on the synthetic councils"
        pages: list[dict[str, Any]] = []
        offset = 0
        while True:
            response = client.get(url, params={"limit": SIZE, "offset": offset})
            page = bindings(response)
            assert response.headers["x-total-count"] == str(len(full))
            assert len(page) == min(SIZE, len(full) - offset)
            pages += page
            if offset + SIZE >= len(full):
                assert "link" not in response.headers
                break
            assert f"offset={offset + SIZE}" in response.headers["link"]
            offset += SIZE
    assert [keys(query, r) for r in pages] == [keys(query, r) for r in full]
    assert Counter(repr(sorted(r.items())) for r in pages) == \
        Counter(repr(sorted(r.items())) for r in full)
