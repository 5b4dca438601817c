"""govkg's store: one interface over an embedded Oxigraph folder or any SPARQL 1.1 server.

Call :func:`open_store` and use the :class:`Store` it returns; nothing else in govkg
needs to know which backend it got. One module per backend: ``embedded`` (pyoxigraph),
``remote`` (the SPARQL 1.1 Protocol, Update and Graph Store Protocol); ``terms`` converts
RDF terms and binds query parameters safely.

>>> import tempfile
>>> from rdflib import Literal, URIRef
>>> with open_store(tempfile.mkdtemp(), build_if_new=False) as store:
...     _ = store.replace_graph("http://ex/g", [(URIRef("http://ex/a"), URIRef("http://ex/p"),
...                                               Literal("x"))])
...     store.query("SELECT ?s WHERE { ?s ?p ?o }", {"o": Literal("x")}).column("s")
[rdflib.term.URIRef('http://ex/a')]
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from govkg.graph.errors import StoreError, StoreInUse
from govkg.graph.settings import Settings
from govkg.graph.store.base import (
    DERIVED_PREFIX,
    EXPORT_FORMATS,
    STAGING_PREFIX,
    ExportFormat,
    GraphInfo,
    QueryResult,
    QueryTimeout,
    SelectResult,
    Store,
    TextRows,
    reserved_graph,
)
from govkg.graph.store.beside import folder_beside, is_remote
from govkg.graph.store.embedded import EmbeddedStore

__all__ = [
    "DERIVED_PREFIX",
    "EXPORT_FORMATS",
    "STAGING_PREFIX",
    "EmbeddedStore",
    "ExportFormat",
    "GraphInfo",
    "QueryResult",
    "QueryTimeout",
    "SelectResult",
    "TextRows",
    "Store",
    "folder_beside",
    "is_remote",
    "open_store",
    "reserved_graph",
]


def open_store(
    location: str | Path | None = None,
    *,
    settings: Settings | None = None,
    build_if_new: bool = True,
    read_only: bool = False,
) -> Store:
    """Open the store at ``location``: a folder, an http(s) URL, or (None) ``GOVKG_STORE``
    and else the default folder in the user's data directory.

    A folder that holds no store yet (or an empty one) is created, and (unless
    ``build_if_new`` is false) filled with the ontology, the reference data and the
    bundled corpus, so that a fresh install answers queries on first use.

    ``read_only`` says the caller only reads: if another process (``govkg serve``) holds
    the folder, it is opened read-only instead of failing, and the caller sees the data
    as it was at that moment. A writer gets :class:`~govkg.graph.errors.StoreInUse`.
    """
    settings = settings or Settings()
    where = str(location) if location is not None else settings.store_location()
    if is_remote(where):
        from govkg.graph.store.remote import open_remote

        password = settings.store_password.get_secret_value() if settings.store_password else None
        remote = open_remote(
            where, user=settings.store_user, password=password,
            query_endpoint=settings.store_query_endpoint,
            update_endpoint=settings.store_update_endpoint,
            gsp_endpoint=settings.store_gsp_endpoint,
        )
        # a read-only account cannot clean up; staging graphs stay hidden from it anyway
        with contextlib.suppress(StoreError):
            remote.drop_stale_staging()
        return remote
    try:
        store = EmbeddedStore(Path(where).expanduser())
    except StoreInUse:
        if not read_only:
            raise
        return EmbeddedStore(Path(where).expanduser(), read_only=True)
    if build_if_new and (store.created or store.is_empty()):
        from govkg.graph.build import build

        print(f"govkg: building a new store at {store.location} from the bundled data",
              file=sys.stderr)
        try:
            build(store)
        except BaseException:
            store.close()
            raise
    return store
