"""``govkg search TEXT``: the full-text index (:mod:`govkg.graph.search`) from the
command line, with the same filters as ``/search``."""

from __future__ import annotations

import json
import re
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from govkg.graph.commands import fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError

_MARKS = re.compile("<mark>(.*?)</mark>")


def _terminal(snippet_html: str) -> str:
    """A hit's HTML snippet as rich markup: the matched words in bold."""
    import html

    parts = _MARKS.split(snippet_html)
    return "".join(escape(html.unescape(part)) if i % 2 == 0
                   else f"[bold]{escape(html.unescape(part))}[/bold]"
                   for i, part in enumerate(parts))


def search_command(
    text: Annotated[list[str], typer.Argument(metavar="TEXT", help="Words to look for.")],
    council: Annotated[str | None, typer.Option(help="A council's slug or IRI.")] = None,
    kind: Annotated[str | None, typer.Option(
        help="council, post, body, framework-item, evidence, commitment, ...")] = None,
    document: Annotated[str | None, typer.Option(
        help="local-code, self-assessment, annual-governance-statement, external-review, "
             "framework")] = None,
    principle: Annotated[str | None, typer.Option(
        help="A core principle: IRI or e.g. cipfa-solace-2016/A.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many results.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    store: StoreOption = None,
) -> None:
    """Search councils, posts, bodies, framework items, evidence and quoted source text."""
    from govkg.graph.search import SearchIndex
    from govkg.graph.store import open_store

    try:
        with open_store(store) as opened:
            results = SearchIndex.beside(opened).search(
                " ".join(text), council=council, kind=kind, document_kind=document,
                principle=principle, limit=limit)
    except GovkgError as exc:
        raise fail(exc) from None
    if as_json:
        typer.echo(json.dumps({"query": results.query, "total": results.total,
                               "hits": [h.as_json() for h in results.hits]}, indent=2))
        return
    table = Table("kind", "result", "council", "quote",
                  title=f"{results.total} result(s) for {escape(results.query)}",
                  title_justify="left")
    for hit in results.hits:
        table.add_row(hit.kind_label, _terminal(hit.title) + f"\n[dim]{escape(hit.iri)}[/dim]",
                      escape(hit.council_label or ""), _terminal(hit.snippet))
    out.print(table)


def register(app: typer.Typer) -> None:
    """Add ``search`` to the ``govkg`` app."""
    app.command("search")(search_command)
