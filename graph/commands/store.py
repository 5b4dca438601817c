"""``govkg build``, ``govkg export`` and ``govkg stats``: filling, dumping and describing
the store. Every command takes ``--store`` (a folder or a SPARQL server's URL), which
wins over ``GOVKG_STORE``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from govkg.graph.commands import err, fail, out
from govkg.graph.errors import GovkgError

StoreOption = Annotated[str | None, typer.Option(
    "--store", metavar="PATH|URL",
    help="Store folder or SPARQL server URL (default: $GOVKG_STORE, else the user data folder).")]


def build_command(
    files: Annotated[list[Path] | None, typer.Argument(
        help="RDF files (.trig/.nq: each named graph; .ttl/.nt/.jsonld: one graph per file) "
             "to load instead of the bundled corpus.")] = None,
    store: StoreOption = None,
    clean: Annotated[bool, typer.Option(
        "--clean", help="Also drop graphs in the store that this build does not write.")] = False,
) -> None:
    """Load the ontology, reference data and corpus (or FILES) into the store."""
    from govkg.graph.build import bundled_corpus, plan, write
    from govkg.graph.store import open_store

    inputs = files if files else ([bundled_corpus()] if bundled_corpus().is_file() else [])
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    try:
        with Progress(*columns, console=err, transient=True) as progress:
            task = progress.add_task("reading", total=len(inputs) + 2)

            def on_read(what: str) -> None:
                progress.update(task, advance=1, description=f"read {what}")

            sources = plan(files or None, on_read)  # everything parsed before any write
            progress.update(task, description="writing to the store")
            with open_store(store, build_if_new=False) as target:
                write(target, sources, clean=clean)
                location = target.location
            progress.update(task, advance=1, description="done")
    except GovkgError as exc:
        raise fail(exc) from None
    triples = sum(len(source.content) for source in sources)
    out.print(f"built {len(sources)} graphs, {triples} triples, in {location}", highlight=False)


def export_command(
    store: StoreOption = None,
    format: Annotated[str, typer.Option(
        "--format", "-f", help="trig, nq, ttl (one graph, or the union) or jsonld.")] = "trig",
    graph: Annotated[str | None, typer.Option(
        "--graph", help="Export only this graph IRI.")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="File to write (default: standard output).")] = None,
) -> None:
    """Write the store (or one graph) as RDF."""
    from govkg.graph.errors import InputError
    from govkg.graph.rdfio import check_output, write_atomically
    from govkg.graph.store import EXPORT_FORMATS, open_store

    if format not in EXPORT_FORMATS:
        raise fail(InputError(f"unknown format {format!r}; use one of {', '.join(EXPORT_FORMATS)}"))
    try:
        if output is not None:
            check_output(output)
        with open_store(store, read_only=True) as source:
            if graph is not None and graph not in {info.iri for info in source.graphs()}:
                raise InputError(f"no graph <{graph}> in {source.location}")
            data = source.export(format, graph)
    except GovkgError as exc:
        raise fail(exc) from None
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        write_atomically(output, data)  # a reader of OUT never sees half a file
    except GovkgError as exc:
        raise fail(exc) from None
    err.print(f"wrote {len(data)} bytes to {output}", highlight=False)


def stats_command(store: StoreOption = None) -> None:
    """List the store's graphs with their triple counts and source documents."""
    from govkg.graph.build import graph_documents
    from govkg.graph.store import open_store

    try:
        with open_store(store, read_only=True) as source:
            graphs = source.graphs()
            documents = graph_documents(source)
            location = source.location
    except GovkgError as exc:
        raise fail(exc) from None
    rows = []
    for info in graphs:
        docs = documents.get(info.iri, [])
        shown = [f"{title} <{iri}>" if title else f"<{iri}>" for iri, title in docs[:3]]
        if len(docs) > 3:
            shown.append(f"... and {len(docs) - 3} more")
        rows.append((info.iri, str(info.triples), shown))
    if out.is_terminal:
        table = Table(title=f"govkg store: {location}", title_justify="left")
        table.add_column("graph", overflow="fold")
        table.add_column("triples", justify="right")
        table.add_column("source documents", overflow="fold")
        for iri, count, shown in rows:
            table.add_row(iri, count, "\n".join(shown))
        out.print(table)
    else:  # piped: one tab-separated line per graph, for scripts
        for iri, count, shown in rows:
            out.print("\t".join([iri, count, "; ".join(shown)]), highlight=False, markup=False)
    out.print(f"{len(graphs)} graphs, {sum(i.triples for i in graphs)} triples in {location}",
              highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    """Add ``build``, ``export`` and ``stats`` to the ``govkg`` app."""
    app.command("build")(build_command)
    app.command("export")(export_command)
    app.command("stats")(stats_command)
