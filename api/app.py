"""The web service: :func:`create_app` builds one FastAPI app from settings.

There is no module-level app: ``govkg serve`` and each test build their own, with their
own store and settings, so nothing leaks between them.

>>> from govkg.graph.settings import Settings
>>> app = create_app(Settings(store="/tmp/govkg-doctest-store"), open_now=False)
>>> sorted(app.openapi()["paths"]["/sparql"])  # app.routes nests routers since 0.16x
['get', 'post']
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles

from govkg.api import errors
from govkg.api.deps import Services
from govkg.api.linked import Links
from govkg.api.querying import ProcessRunner, QueryRunner, StoreRunner
from govkg.api.render import make_templates, static_dir
from govkg.api.routers import (
    analytics,
    apidocs,
    compare,
    dataset,
    followup,
    graph_store,
    home,
    originals,
    queries,
    resources,
    review,
    search,
    sparql,
    upload,
    validation,
)
from govkg.graph import __version__
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore, Store, open_store
from govkg.graph.store.originals import Originals

DESCRIPTION = """The corporate governance of UK local authorities as linked data: a
SPARQL 1.1 endpoint, the named competency queries as typed operations, SHACL validation
of councils and of drafts, and a page for every council, framework item and statement,
each linked to the quoted text of its source document."""


def make_runner(store: Store, settings: Settings) -> QueryRunner:
    """Worker processes for the embedded store (a limit that can stop any query), the
    store's own client for a SPARQL server."""
    if isinstance(store, EmbeddedStore):
        return ProcessRunner(str(store.path), timeout=settings.query_timeout,
                             max_bytes=settings.max_result_bytes, workers=settings.query_workers,
                             client_workers=settings.client_workers,
                             per_client=settings.queries_per_client,
                             federation=settings.federation, network=settings.allow_network,
                             validation_timeout=settings.validation_timeout)
    return StoreRunner(store, timeout=settings.query_timeout, max_bytes=settings.max_result_bytes,
                       federation=settings.federation)


def create_app(settings: Settings | None = None, *, store: Store | None = None,
               open_now: bool = True) -> FastAPI:
    """A new app on ``store`` (else the one ``settings`` names, opened at startup).

    With ``open_now`` the store is opened and the workers started here, so the app can
    serve at once (``govkg site`` and ASGI test clients use it without a lifespan);
    otherwise that happens when the server starts the app's lifespan.
    """
    settings = settings or Settings()
    links = Links(published_base=settings.base)
    templates = make_templates(links)
    # the vocabulary documentation is written at first request into GOVKG_DOCS_CACHE, else
    # into a temporary folder of this app's own, removed when the app stops (and at exit)
    scratch = None if settings.docs_cache else tempfile.TemporaryDirectory(
        prefix="govkg-docs-", ignore_cleanup_errors=True)
    docs_dir = settings.docs_cache or Path(scratch.name)  # type: ignore[union-attr]
    owns_store = store is None

    def start(app: FastAPI) -> None:
        if getattr(app.state, "services", None) is not None:
            return
        opened = store if store is not None else open_store(settings=settings)
        runner = make_runner(opened, settings)
        if isinstance(runner, ProcessRunner):
            runner.start()
        app.state.services = Services(settings, opened, runner, templates, links, docs_dir)
        templates.env.globals["originals"] = Originals.beside(opened)  # quotes link to them

    def stop(app: FastAPI) -> None:
        services: Services | None = getattr(app.state, "services", None)
        if services is None:
            return
        services.runner.close()
        upload.close(app.state)
        if owns_store:
            services.store.close()
        if scratch is not None:
            scratch.cleanup()
        app.state.services = None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        start(app)
        try:
            yield
        finally:
            stop(app)

    app = FastAPI(title="govkg", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan, docs_url=None, redoc_url=None)  # see apidocs
    app.state.services = None
    app.state.start, app.state.stop = (lambda: start(app)), (lambda: stop(app))
    errors.install(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins,
                           allow_methods=["GET", "POST"], allow_headers=["*"])
    # the named queries and /sparql first: a request is matched against the routes in
    # order, and these are the service's hot path (60 routes before them cost a named
    # query 0.5 ms); none of the other paths starts with /queries or /sparql. A named
    # query with plain parameters is answered by the shortcut ahead of all of them.
    router, shortcut = queries.build_router()
    app.router.routes.insert(0, shortcut)
    app.include_router(router)
    for module in (sparql, home, graph_store, validation, resources, dataset, analytics,
                   search, compare, followup, originals, upload, review, apidocs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=static_dir()), name="static")
    if open_now:
        start(app)
    return app
