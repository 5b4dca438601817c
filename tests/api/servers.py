"""A ``govkg serve`` subprocess on a store built from given files, for the officers'
pages (tests/api/test_officers.py, test_browser.py): the shared ``server`` fixture holds
only testshire.trig, and these pages need the follow-up fixture too."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import DATA, FIXTURE, Server, serving

FOLLOW_UP = DATA / "testshire-followup.trig"
OFFICER_FILES = (FIXTURE, FOLLOW_UP)


def officers_store(folder: Path, files: Sequence[Path] = OFFICER_FILES) -> EmbeddedStore:
    store = EmbeddedStore(folder)
    build(store, list(files))
    return store


def officers_server(tmp_path_factory: pytest.TempPathFactory,
                    docs_cache: Path) -> Iterator[Server]:
    """For a module's fixture: ``yield from officers_server(...)``."""
    folder = tmp_path_factory.mktemp("officers") / "store"
    officers_store(folder).close()
    # the default query limit (10 s): the officers' pages run more queries than the API's
    with serving(folder, {"GOVKG_DOCS_CACHE": str(docs_cache),
                          "GOVKG_QUERY_TIMEOUT": "10"}) as server:
        yield server
