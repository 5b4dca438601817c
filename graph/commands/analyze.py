"""``govkg analyze``: accountability analytics over the store, as text or JSON, with
pictures (``--plots``) and a GraphML file (``--graphml``).

Exit status: 0 on success, 2 on bad input (an unknown council, an unwritable folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from govkg.graph.commands import err, fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError, InputError, Location

if TYPE_CHECKING:
    from govkg.graph.analytics.report import AnalyticsReport

FORMATS = ("text", "json")
#: How many carriers, unowned items and comparisons the text report lists.
SHOWN = 5


def _items(refs: tuple[object, ...], limit: int = 12) -> str:
    notations = [getattr(r, "notation", str(r)) for r in refs]
    more = f" and {len(notations) - limit} more" if len(notations) > limit else ""
    return ", ".join(notations[:limit]) + more if notations else "none"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def print_text(report: AnalyticsReport) -> None:
    """The report for a person at a terminal: the headline of each section."""
    for council in report.councils:
        out.rule(f"[bold]{council.label}[/]")
        top = f"{council.top_share:.0%}" if council.top_share is not None else "-"
        out.print(f"{council.agents} posts, bodies and roles answer for {council.duties} "
                  f"duties; {council.items_owned} of {council.items_in_scope} framework "
                  f"items have an owner; the top carrier answers for {top} of the duties.",
                  highlight=False)
        table = Table("carrier", "kind", "duties", "items", "share", "by kind",
                      title="Where accountability piles up", title_justify="left")
        for carrier in council.carriers[:SHOWN]:
            table.add_row(carrier.label, carrier.kind, str(carrier.duties), str(carrier.items),
                          f"{carrier.share:.0%}",
                          ", ".join(f"{k} {n}" for k, n in carrier.by_kind.items()))
        if council.carriers:
            out.print(table)
        out.print(f"Items nobody owns ({len(council.unowned_items)}): "
                  f"{_items(council.unowned_items)}", highlight=False)
        for point in council.single_points_of_failure[:SHOWN]:
            out.print(f"Single point of failure: {point.label} alone owns "
                      f"{_items(point.items)}", highlight=False)
        neighbours = report.nearest.get(council.slug, [])
        if neighbours:
            out.print("Most alike (evidence kinds and body functions): " + ", ".join(
                f"{n.label} ({n.similarity:.2f})" for n in neighbours), highlight=False)
    divergent = [o for o in report.ownership if o.divergent]
    out.rule("[bold]Across councils[/]")
    out.print(f"{len(divergent)} items and topics are owned by different kinds of agent in "
              "different councils, for example:", highlight=False)
    for comparison in divergent[:SHOWN]:
        out.print(f"  {_short(comparison.label)}: " + "; ".join(
            f"{c.label}: {', '.join(c.kinds)} ({', '.join(o.label for o in c.owners)})"
            for c in comparison.councils), highlight=False)
    crosswalk = report.crosswalk
    largest = crosswalk.clusters[0].size if crosswalk.clusters else 0
    out.print(f"Crosswalk: {crosswalk.mappings} mappings over {crosswalk.items} items; "
              f"no counterpart: {_items(crosswalk.no_counterpart)}; unmapped: "
              f"{_items(crosswalk.unmapped)}; {crosswalk.many_to_many} many-to-many "
              f"cluster(s), the largest of {largest} items.", highlight=False)


def write_plots(report: AnalyticsReport, folder: Path) -> list[Path]:
    """Every picture of the report, SVG and PNG, into ``folder``."""
    from govkg.graph.analytics import plots

    written: list[Path] = []
    for council in report.councils:
        figure = plots.accountability_figure(report.networks[council.council],
                                             [i.iri for i in council.unowned_items])
        written += plots.save(figure, folder / f"accountability-{council.slug}")
    written += plots.save(plots.coverage_figure(report.coverage), folder / "coverage")
    written += plots.save(plots.coverage_figure(report.ownership_coverage),
                          folder / "ownership")
    written += plots.save(plots.crosswalk_figure(report.crosswalk_graph), folder / "crosswalk")
    return written


def analyze_command(
    council: Annotated[str | None, typer.Option(
        help="Report on one council (slug); comparisons still span all councils.")] = None,
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    plots: Annotated[Path | None, typer.Option(
        "--plots", metavar="DIR", help="Write the pictures (SVG and PNG) into DIR.")] = None,
    graphml: Annotated[Path | None, typer.Option(
        "--graphml", metavar="FILE", help="Write the accountability networks as GraphML.")]
    = None,
    facet: Annotated[str, typer.Option(
        help="Compare councils on evidence kinds and body functions (all), or on one: "
             "evidence or bodies.")] = "all",
    store: StoreOption = None,
) -> None:
    """Who answers for what, where accountability piles up or is missing, which councils
    work alike, and the crosswalk as a graph."""
    from govkg.graph.analytics import analyse
    from govkg.graph.rdfio import check_output
    from govkg.graph.store import open_store

    try:
        if format not in FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        if plots is not None and plots.exists() and not plots.is_dir():
            raise InputError("--plots names a folder to write pictures into, not a file",
                             Location(str(plots)))
        if graphml is not None:
            check_output(graphml)
        with open_store(store, read_only=True) as target:
            report = analyse(target, council, facet)
        if not report.councils and council is None:
            err.print("no council has documents in the store; run govkg build")
        if format == "json":
            typer.echo(report.to_json())
        else:
            print_text(report)
        if plots is not None:
            written = write_plots(report, plots)
            err.print(f"wrote {len(written)} pictures to {plots}")
        if graphml is not None:
            from govkg.graph.analytics.export import write_graphml

            write_graphml(report.networks.values(), graphml)
            err.print(f"wrote {graphml}")
    except GovkgError as exc:
        raise fail(exc) from None


def register(app: typer.Typer) -> None:
    """Add ``analyze`` to the ``govkg`` app."""
    app.command("analyze")(analyze_command)
