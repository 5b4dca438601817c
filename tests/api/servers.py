"""A ``govkg serve`` subprocess on a store built from given files, for the officers'
pages (tests/api/test_officers.py, test_browser.py): the shared ``server`` fixture holds
only testshire.trig, and these pages need the follow-up fixture too, and two councils'
annual governance statements (real documents, ``tests/data/documents/``) for the
significant governance issues on the follow-up page."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from govkg.graph.build import build
from govkg.graph.importers.kinds.carried import link_carried_over
from govkg.graph.importers.pipeline import import_document
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import DATA, FIXTURE, Server, serving

FOLLOW_UP = DATA / "testshire-followup.trig"
OFFICER_FILES = (FIXTURE, FOLLOW_UP)
DOCUMENTS = Path(__file__).parents[1] / "data" / "documents"
#: annual governance statements with significant issues, and the councils they are by
#: (the documents name none: see tests/data/expected/extra/)
STATEMENTS = {
    "barnsley_annual-governance-statement.txt": "Barnsley Metropolitan Borough Council",
    "lincoln_annual-governance-statement.txt": "City of Lincoln Council",
}


def statement_graphs() -> dict[URIRef, Graph]:
    """The named graphs ``govkg import --council C --kind annual-governance-statement``
    makes of :data:`STATEMENTS`."""
    graphs: dict[URIRef, Graph] = {}
    for name, council in STATEMENTS.items():
        graph, _ = import_document(DOCUMENTS / name, council=council,
                                   kind="annual-governance-statement")
        graphs[URIRef(str(graph.identifier))] = graph
    return graphs


def officers_store(folder: Path, files: Sequence[Path] = OFFICER_FILES) -> EmbeddedStore:
    store = EmbeddedStore(folder)
    build(store, list(files))
    store.replace_graphs(statement_graphs())  # type: ignore[arg-type]
    link_carried_over(store)
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
