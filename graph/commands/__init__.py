"""Groups of ``govkg`` commands, each module with a ``register(app)`` that adds them.

Keeping commands out of ``cli.py`` lets each area own its commands while ``cli.py`` only
wires them in; the helpers here report our errors the way ``cli.py`` does.
"""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from govkg.graph.errors import GovkgError, InputError, QueryError

#: tables fit a terminal's own width; piped or captured output is never cut to fit (rich
#: would cut it at COLUMNS or 80 columns, so a saved table lost its long labels)
_UNBOUNDED = 100_000


def _console(*, stderr: bool = False) -> Console:
    console = Console(stderr=stderr, soft_wrap=True)
    if not console.is_terminal:
        console.width = _UNBOUNDED
    return console


out = _console()
err = _console(stderr=True)


def fail(error: GovkgError) -> typer.Exit:
    """Report one of our errors on stderr; exit 2 for bad input (a malformed query or a
    parameter value that names nothing is bad input too), 1 otherwise."""
    err.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, markup=True)
    return typer.Exit(2 if isinstance(error, InputError | QueryError) else 1)
