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


def _prefixes() -> list[tuple[str, str]]:
    from govkg.graph.namespaces import PREFIXES

    return sorted(((str(ns), prefix) for prefix, ns in PREFIXES.items()),
                  key=lambda pair: -len(pair[0]))


def display_iri(iri: str) -> str:
    """An IRI as a person reads it in a table: under the longest of govkg's prefixes
    that names its namespace (``council:kent-county-council``; ``govkg:`` is the
    vocabulary, ``def/``), else in full.

    >>> display_iri("https://w3id.org/govkg/id/council/kent-county-council")
    'council:kent-county-council'
    >>> display_iri("https://w3id.org/govkg/def/Council")
    'govkg:Council'
    >>> display_iri("https://w3id.org/govkg/id/review-area/systems")
    'https://w3id.org/govkg/id/review-area/systems'
    """
    for namespace, prefix in _prefixes():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace):]}"
    return iri


def _cell(term: object) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        return display_iri(str(term))
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
    from govkg.graph.querylib import NamedQuery, Names, get_query, load_query
    from govkg.graph.rdfio import read_sparql, sparql_complexity_error
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
        named: NamedQuery | None = None
        if name:
            named = get_query(name)
            text = named.text
        elif file:
            text = read_sparql(file)
            try:
                named = load_query(file)
            except GovkgError:  # an ad-hoc file needs no header; then it takes no values
                if values:
                    raise
        else:
            assert sparql is not None
            if values:
                raise InputError("--param goes with a named query or a --file with a header")
            text = sparql
            too_complex = sparql_complexity_error(text)
            if too_complex is not None:
                raise QueryError(f"--sparql: {too_complex}")
        with open_store(store, read_only=True) as target:
            bindings = {} if named is None else named.bindings(values, Names.from_store(target)
                                                               if values else None)
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
