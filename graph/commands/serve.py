"""``govkg serve``: the web service (SPARQL endpoint, named queries, pages) on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer

from govkg.graph.commands import fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError


def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    store: StoreOption = None,
) -> None:
    """Serve the graph: pages for people, SPARQL and named queries for programs."""
    import uvicorn

    from govkg.api.app import create_app
    from govkg.graph.settings import Settings
    from govkg.graph.store import open_store

    settings = Settings() if store is None else Settings(store=store)
    try:  # opened here, so a store in use or unreachable is reported as our error
        opened = open_store(settings=settings)
    except GovkgError as exc:
        raise fail(exc) from None
    with opened:
        app = create_app(settings, store=opened, open_now=False)  # workers start with it
        shown = f"[{host}]" if ":" in host else host
        out.print(f"govkg: home page at http://{shown}:{port}/ (SPARQL at /sparql, "
                  f"API at /api-docs); Ctrl-C stops", highlight=False)
        uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``govkg`` app."""
    app.command("serve")(serve_command)
