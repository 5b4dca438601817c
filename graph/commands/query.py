"""``govkg query``: run a named query from ``queries/`` (or an ad-hoc one) on the store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rdflib import Graph, Literal, URIRef
from rich.table import Table

from govkg.graph.commands import err, fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError, InputError, QueryError

FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld")


def _parse_params(params: list[str]) -> dict[str, str]:
    values = {}
    for item in params:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise QueryError(f"--param takes name=value, not {item!r}")
        values[name.strip()] = value
    return values


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return str(term).replace("https://w3id.org/govkg/id/", "govkg:")
    if isinstance(term, Literal):
        return str(term)
    return str(term)


def _list_queries() -> None:
    from govkg.graph.querylib import TYPES, load_queries

    table = Table("name", "title", "parameters", title="Named queries", show_lines=False)
    for query in load_queries().values():
        params = ", ".join(f"{p.name}: {TYPES[p.type][2]}" + (f" = {p.default}" if p.default
                                                              else " (optional)")
                           for p in query.params)
        table.add_row(query.name, query.title, params or "-")
    out.print(table)


def query_command(
    name: Annotated[str | None, typer.Argument(help="A query's name (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option(
        "--param", "-p", help="name=value; repeat for several parameters.")] = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help=f"One of: {', '.join(FORMATS)}.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the named queries.")] = False,
    file: Annotated[Path | None, typer.Option("--file", help="Run the query in this .rq file.")]
    = None,
    sparql: Annotated[str | None, typer.Option("--sparql", help="Run this SPARQL text.")] = None,
    store: StoreOption = None,
) -> None:
    """Answer a competency question across all councils (parameters narrow it)."""
    from govkg.graph.querylib import get_query, load_query
    from govkg.graph.rdfio import read_sparql
    from govkg.graph.results import GRAPH_FORMATS, TABULAR_FORMATS, serialize
    from govkg.graph.store import open_store

    if list_:
        _list_queries()
        return
    try:
        if format not in FORMATS:
            raise InputError(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
        chosen = [x for x in (name, file, sparql) if x]
        if len(chosen) != 1:
            raise InputError("give exactly one of a query NAME, --file or --sparql")
        values = _parse_params(param or [])
        if name:
            named = get_query(name)
            text, bindings = named.text, named.bindings(values)
        elif file:
            text = read_sparql(file)
            try:
                bindings = load_query(file).bindings(values)
            except GovkgError:  # an ad-hoc file needs no header; then it takes no values
                if values:
                    raise
                bindings = {}
        else:
            assert sparql is not None
            if values:
                raise InputError("--param goes with a named query or a --file with a header")
            text, bindings = sparql, {}
        with open_store(store, read_only=True) as target:
            result = target.query(text, bindings)
        if format == "table":
            if isinstance(result, Graph):
                out.print(serialize(result, "turtle"), highlight=False, markup=False)
            elif isinstance(result, bool):
                out.print("yes" if result else "no")
            else:
                # a person reads labels: hide an IRI column that has a ...Label beside it
                shown = [v for v in result.variables if f"{v}Label" not in result.variables]
                table = Table(*shown, title=name or None)
                for row in result.rows:
                    table.add_row(*(_cell(row.get(v)) for v in shown))
                out.print(table)
                err.print(f"{len(result)} row(s)")
            return
        graph_result = isinstance(result, Graph)
        if graph_result and format not in GRAPH_FORMATS:
            raise InputError(f"a graph result takes --format {', '.join(GRAPH_FORMATS)}")
        if not graph_result and format not in TABULAR_FORMATS:
            raise InputError(f"a table result takes --format {', '.join(TABULAR_FORMATS)}")
        typer.echo(serialize(result, format), nl=False)
    except GovkgError as exc:
        raise fail(exc) from None


def register(app: typer.Typer) -> None:
    """Add ``query`` to the ``govkg`` app."""
    app.command("query")(query_command)
