"""The ``govkg`` command line.

Typer (on Click) gives typed options, ``--help`` on every command and shell completion;
rich prints tables and progress bars. Exit status: 0 success, 1 the check found
problems, 2 bad input (Typer's usage errors use 2 too).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from govkg.graph import __version__
from govkg.graph.commands import analyze as analyze_commands
from govkg.graph.commands import err, fail, out
from govkg.graph.commands import importing as importing_commands
from govkg.graph.commands import query as query_commands
from govkg.graph.commands import search as search_commands
from govkg.graph.commands import serve as serve_commands
from govkg.graph.commands import site as site_commands
from govkg.graph.commands import store as store_commands
from govkg.graph.commands import validate as validate_commands
from govkg.graph.errors import GovkgError, InputError

app = typer.Typer(
    name="govkg",
    help="A knowledge graph of UK local-government corporate governance.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
ontology_app = typer.Typer(help="Check and document the ontology and reference data.",
                           no_args_is_help=True)
app.add_typer(ontology_app, name="ontology")

for commands in (store_commands, importing_commands, query_commands, validate_commands,
                 analyze_commands, serve_commands, site_commands, search_commands):
    commands.register(app)


def _version(value: bool) -> None:
    if value:
        out.print(f"govkg {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """A knowledge graph of UK local-government corporate governance."""


@ontology_app.command("check")
def ontology_check(
    files: Annotated[list[Path] | None, typer.Argument(
        help="Turtle (.ttl) and SPARQL (.rq) files to check instead of the installed "
             "ontology/, shapes/ and queries/; .ttl files are checked as ontology unless "
             "they sit in a folder named 'shapes'.")] = None,
) -> None:
    """Parse and lint everything under ontology/, shapes/ and queries/."""
    from govkg.graph.vocabulary import check

    if files:
        missing = [f for f in files if not f.is_file()]
        if missing:
            raise fail(InputError(f"no such file: {', '.join(map(str, missing))}"))
        problems = check(
            ontology_files=[f for f in files if f.suffix == ".ttl" and f.parent.name != "shapes"],
            shape_files=[f for f in files if f.suffix == ".ttl" and f.parent.name == "shapes"],
            query_files=[f for f in files if f.suffix == ".rq"],
        )
    else:
        problems = check()
    for problem in problems:
        (err if problem.severity == "error" else out).print(str(problem), highlight=False,
                                                           markup=False)
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    if errors:
        err.print(f"{errors} error(s), {warnings} warning(s)")
        raise typer.Exit(1)
    out.print(f"ontology check passed ({warnings} warning(s))")


@ontology_app.command("docs")
def ontology_docs(
    out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="Folder to write HTML into.")],
) -> None:
    """Write HTML documentation of the ontology and of each concept scheme."""
    from govkg.graph.docs import write_docs

    written = write_docs(out_dir)
    out.print(f"wrote {len(written)} pages; open {written[0]}")


@ontology_app.command("sssom")
def ontology_sssom(
    out_file: Annotated[Path, typer.Argument(metavar="OUT.tsv", help="SSSOM TSV file to write.")],
) -> None:
    """Export the 2007-2016 crosswalk as an SSSOM mapping table."""
    from govkg.graph.crosswalk import write_sssom

    try:
        rows = write_sssom(out_file)
    except GovkgError as exc:
        raise fail(exc) from None
    out.print(f"wrote {rows} mappings to {out_file}")


def main() -> None:
    """Console-script entry point.

    govkg's own errors are reported by each command (exit 2 or 1). Anything else is a
    bug: it is reported in one line, not a stack trace, unless ``GOVKG_DEBUG`` is set;
    Ctrl-C stops quietly with the shell's usual status 130.
    """
    import os
    import sys

    from rich.markup import escape

    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("GOVKG_DEBUG"):
            raise
        err.print(f"[bold red]internal error:[/] {type(exc).__name__}: {escape(str(exc))} "
                  "(a bug in govkg; set GOVKG_DEBUG=1 to see where)", highlight=False,
                  markup=True)
        sys.exit(1)
