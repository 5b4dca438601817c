"""``govkg validate``: SHACL completeness validation of councils' governance.

Exit status: 0 when every council conforms (warnings allowed), 1 when there are
violations, 2 on bad input.
"""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Annotated

import typer
from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Graph
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from govkg.graph.commands import fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError, InputError
from govkg.graph.validation import CouncilReport

FORMATS = ("text", "json", "turtle", "html")


def report_json(reports: list[CouncilReport]) -> str:
    """Per council: conformance, counts, completeness per principle and every finding."""
    return json.dumps({"councils": [{
        "council": r.council, "label": r.label, "conforms": r.conforms,
        "violations": r.violations, "warnings": r.warnings, "completeness": r.completeness,
        "coverage": [{"principle": p.notation, "label": p.label, "items": p.items,
                      "addressed": p.addressed, "share": p.share} for p in r.coverage],
        "findings": [f.as_dict() for f in r.findings],
    } for r in reports]}, indent=2)


def report_turtle(reports: list[CouncilReport]) -> str:
    """The SHACL validation reports, one per council, in one graph."""
    merged = Graph()
    for report in reports:
        merged += report.results
        merged.namespace_manager = report.results.namespace_manager
    return merged.serialize(format="turtle")


def _principles(reports: list[CouncilReport]) -> list[str]:
    return sorted({p.notation for r in reports for p in r.coverage},
                  key=lambda n: (n.isdigit(), n))


def report_html(reports: list[CouncilReport], title: str = "Governance validation") -> str:
    """A readable page: the council x principle completeness table, then the findings."""
    env = Environment(loader=PackageLoader("govkg.graph", "templates"),
                      autoescape=select_autoescape(["html"]))
    views = [{**r.__dict__, "violations": r.violations, "warnings": r.warnings,
              "completeness": r.completeness, "slug": r.council.rsplit("/", 1)[-1],
              "coverage_by": {p.notation: p for p in r.coverage}} for r in reports]
    return env.get_template("validation.html").render(
        title=title, reports=views, principles=_principles(reports),
        conforming=sum(r.conforms for r in reports))


def report_text(reports: list[CouncilReport], console: Console) -> None:
    """The summary: the completeness table, then each council's findings, worst first."""
    principles = _principles(reports)
    if principles:
        table = Table("council", *principles, "overall", title="Completeness by principle")
        for report in reports:
            cover = {p.notation: p for p in report.coverage}
            table.add_row(report.label, *(f"{cover[p].share:.0%}" if p in cover else "-"
                                          for p in principles), f"{report.completeness:.0%}")
        console.print(table)
    for report in reports:
        verdict = "[green]conforms[/]" if report.conforms else "[red]does not conform[/]"
        console.print(f"\n[bold]{report.label}[/]: {verdict} "
                      f"({report.violations} violation(s), {report.warnings} warning(s))")
        for finding in report.findings:
            colour = {"violation": "red", "warning": "yellow"}.get(finding.severity, "white")
            # property-shape messages do not name their resource: say which it is
            where = "" if finding.message.startswith(report.label) else f" ({finding.focus})"
            console.print(f"  [{colour}]{finding.severity}[/]: {escape(finding.message)}{where}",
                          highlight=False)


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
    from govkg.graph.rdfio import write_atomically
    from govkg.graph.store import open_store
    from govkg.graph.validation import validate_councils, validate_file

    try:
        if format not in FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        if council and all_:
            raise InputError("give --council or --all, not both")
        if file is not None:
            reports = validate_file(file)
        else:
            with open_store(store) as target:
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
