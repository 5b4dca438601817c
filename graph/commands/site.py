"""``govkg site OUT``: the web service's pages and RDF files as a static site."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govkg.graph.commands import err, fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError


def site_command(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="Folder to write the site into.")],
    store: StoreOption = None,
) -> None:
    """Write every page, each resource's RDF, the dumps and the vocabulary docs to OUT."""
    from govkg.api.site import write_site
    from govkg.graph.settings import Settings

    settings = Settings() if store is None else Settings(store=store)
    try:
        written = write_site(out_dir, settings, progress=lambda n: err.print(
            f"  {n} files written", highlight=False))
    except GovkgError as exc:
        raise fail(exc) from None
    out.print(f"wrote {written} files to {out_dir}; open {out_dir / 'index.html'}",
              highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``site`` to the ``govkg`` app."""
    app.command("site")(site_command)
