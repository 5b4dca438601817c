"""Validation reports in the forms people and programs read: JSON, Turtle, HTML, text.

Shared by ``govkg validate`` and the web service's validation endpoints.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, select_autoescape
from rdflib import Graph
from rich.console import Console
from rich.markup import escape
from rich.table import Table

if TYPE_CHECKING:  # pySHACL and rdflib's SPARQL engine cost every command 0.3 s to import
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


def report_html(reports: list[CouncilReport], title: str = "Governance validation", *,
                fragment: bool = False) -> str:
    """A readable page: the council x principle completeness table, then the findings;
    with ``fragment``, only what goes inside a page's ``<main>`` (the web site puts it in
    its own layout, with the header and search box every page has)."""
    env = Environment(loader=PackageLoader("govkg.graph", "templates"),
                      autoescape=select_autoescape(["html"]))
    views = [{**r.__dict__, "violations": r.violations, "warnings": r.warnings,
              "completeness": r.completeness, "slug": r.council.rsplit("/", 1)[-1],
              "coverage_by": {p.notation: p for p in r.coverage}} for r in reports]
    page = "validation_report.html" if fragment else "validation.html"
    return env.get_template(page).render(
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
                                          for p in principles),
                          "-" if report.completeness is None else f"{report.completeness:.0%}")
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
