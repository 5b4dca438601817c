"""Every page query (``queries/pages/*.rq``) answers the Testshire fixtures as established
by reading them (``golden/pages/<name>.toml``, see its README); a page query without
golden results fails. Real embedded Oxigraph store; parameters bound as the pages bind
them."""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govkg.graph import paths
from govkg.graph.querylib import get_page_query, load_queries
from govkg.graph.store import EmbeddedStore, SelectResult
from tests.api.servers import officers_store

GOLDEN = Path(__file__).parent / "golden" / "pages"
NAMES = sorted(p.stem for p in (paths.queries_dir() / "pages").glob("*.rq"))


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    with officers_store(tmp_path_factory.mktemp("pages") / "store") as opened:
        yield opened


def cases(name: str) -> list[dict[str, Any]]:
    path = GOLDEN / f"{name}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8"))["case"] if path.is_file() else []


def test_every_page_query_has_golden_results() -> None:
    assert NAMES and [n for n in NAMES if not cases(n)] == []


def test_page_queries_are_not_named_queries() -> None:
    assert not set(NAMES) & set(load_queries())


@pytest.mark.parametrize(("name", "index"), [(n, i) for n in NAMES for i in range(len(cases(n)))],
                         ids=lambda v: str(v))
def test_page_query_golden(store: EmbeddedStore, name: str, index: int) -> None:
    case = cases(name)[index]
    query = get_page_query(name)
    result = store.query(query.text, query.bindings(case.get("params", {})))
    assert isinstance(result, SelectResult)
    if "row_count" in case:
        assert len(result) == case["row_count"]
    if "rows" in case:
        got = {tuple(str(row.get(c, "")) for c in case["columns"]) for row in result.rows}
        assert got == {tuple(r) for r in case["rows"]}
