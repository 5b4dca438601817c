"""Groups of ``govkg`` commands, each module with a ``register(app)`` that adds them.

Keeping commands out of ``cli.py`` lets each area own its commands while ``cli.py`` only
wires them in; the helpers here report our errors the way ``cli.py`` does.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from govkg.graph.errors import GovkgError, InputError, QueryError

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def fail(error: GovkgError) -> typer.Exit:
    """Report one of our errors on stderr; exit 2 for bad input (a malformed query or a
    parameter value that names nothing is bad input too), 1 otherwise."""
    err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, markup=True)
    return typer.Exit(2 if isinstance(error, InputError | QueryError) else 1)
