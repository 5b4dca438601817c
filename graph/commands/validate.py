"""``govkg validate``: SHACL completeness validation of councils' governance.

Exit status: 0 when every council conforms (warnings allowed), 1 when there are
violations, 2 on bad input.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from govkg.graph.commands import fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError, InputError
from govkg.graph.reports import FORMATS, report_html, report_json, report_text, report_turtle


def validate_command(
    file: Annotated[Path | None, typer.Argument(
        help="A draft (TriG, Turtle, JSON-LD) to validate instead of the store.")] = None,
    council: Annotated[str | None, typer.Option(help="Validate one council (slug).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Validate every council (default).")]
    = False,
    format: Annotated[str, typer.Option("--format", "-f", help="text, json, turtle or html.")]
    = "text",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write to this file.")]
    = None,
    store: StoreOption = None,
) -> None:
    """Check councils' governance for completeness against the framework they follow."""
    from govkg.graph.rdfio import check_output, write_atomically
    from govkg.graph.store import open_store
    from govkg.graph.validation import validate_councils, validate_file

    try:
        if format not in FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        if council and all_:
            raise InputError("give --council or --all, not both")
        if output is not None:
            check_output(output)
        if file is not None:
            reports = validate_file(file)
        else:
            with open_store(store, read_only=True) as target:
                reports = validate_councils(target, [council] if council else None)
        if not reports:
            raise InputError("no council has documents in the store; run govkg build")
        if format == "text" and output is None:
            report_text(reports, out)
        else:
            text = {"json": lambda: report_json(reports), "turtle": lambda: report_turtle(reports),
                    "html": lambda: report_html(reports)}.get(format)
            if text is None:  # text to a file
                console = Console(record=True, width=120, file=io.StringIO())
                report_text(reports, console)
                rendered = console.export_text()
            else:
                rendered = text()
            if output is None:
                typer.echo(rendered)
            else:
                write_atomically(output, rendered.encode("utf-8"))
                out.print(f"wrote {output}")
    except GovkgError as exc:
        raise fail(exc) from None
    if not all(r.conforms for r in reports):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``validate`` to the ``govkg`` app."""
    app.command("validate")(validate_command)
