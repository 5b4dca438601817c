"""Stores for the analytics tests: the fixture councils, and the imported corpus.

Both are real embedded stores filled the way ``govkg build`` fills one (``build.plan`` then
``build.write``: ontology, reference data, then the data), so the analytics are tested
through the same SPARQL engine they run on.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from govkg.graph.analytics import AnalyticsReport, analyse
from govkg.graph.build import plan, write
from govkg.graph.store import Store, open_store

HERE = Path(__file__).parent
FIXTURE = HERE / "data" / "councils.trig"


@pytest.fixture(scope="session")
def expected() -> dict[str, Any]:
    with (HERE / "expected.toml").open("rb") as file:
        return tomllib.load(file)


def build_store(folder: Path, files: list[Path]) -> Store:
    store = open_store(folder, build_if_new=False)
    write(store, plan(files))
    return store


@pytest.fixture(scope="session")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    store = build_store(tmp_path_factory.mktemp("analytics-fixture"), [FIXTURE])
    yield store
    store.close()


@pytest.fixture(scope="session")
def fixture_report(fixture_store: Store) -> AnalyticsReport:
    return analyse(fixture_store)


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory: pytest.TempPathFactory, corpus_dir: Path) -> Iterator[Store]:
    """The whole shared corpus, imported by the importers' pipeline."""
    from govkg.graph.importers.pipeline import import_documents

    dataset, _ = import_documents(sorted(corpus_dir.glob("*.txt")))
    folder = tmp_path_factory.mktemp("analytics-corpus")
    trig = folder / "corpus.trig"
    dataset.serialize(trig, format="trig")
    store = build_store(folder / "store", [trig])
    yield store
    store.close()


@pytest.fixture(scope="session")
def corpus_report(corpus_store: Store) -> AnalyticsReport:
    return analyse(corpus_store)
