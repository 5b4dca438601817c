"""``govkg import``: council documents into named graphs, in a TriG file or the store."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from govkg.graph.commands import fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError


class Kind(StrEnum):
    local_code = "local-code"
    self_assessment = "self-assessment"
    governance_review = "governance-review"


class Edition(StrEnum):
    e2007 = "2007"
    e2016 = "2016"


def import_command(
    files: Annotated[list[Path], typer.Argument(help="Plain-text council documents.")],
    council: Annotated[str | None, typer.Option(
        help="Council name, slug or GSS code (detected from the text when omitted).")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Document kind (detected when omitted).")]
    = None,
    framework: Annotated[Edition | None, typer.Option(
        help="CIPFA/SOLACE edition (detected when omitted).")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write the named graphs to this TriG file instead of the store.")]
    = None,
    store: StoreOption = None,
) -> None:
    """Import council documents, one named graph each, saying what was detected.

    Every document is read and checked before anything is written: one bad file among
    several leaves the output file and the store as they were.
    """
    from govkg.graph.importers.pipeline import import_documents
    from govkg.graph.rdfio import write_atomically
    from govkg.graph.store import open_store

    try:
        dataset, reports = import_documents(
            files, council=council, kind=kind.value if kind else None,
            framework=framework.value if framework else None)
        for report in reports:
            out.print(f"[bold]{report.path}[/] -> {report.graph}")
            out.print(f"  council:   {report.council}", highlight=False)
            out.print(f"  kind:      {report.kind}", highlight=False)
            if report.framework:
                out.print(f"  framework: {report.framework}", highlight=False)
            counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts.items()))
            out.print(f"  {report.triples} triples: {counts}", highlight=False)
        if output is not None:
            write_atomically(output, dataset.serialize(format="trig").encode("utf-8"))
            out.print(f"wrote {output}")
            return
        with open_store(store) as target:
            target.replace_graphs({g.identifier: g for g in dataset.graphs() if len(g)})
            out.print(f"loaded {len(reports)} document graph(s) into {target.location}")
    except GovkgError as exc:
        raise fail(exc) from None


def register(app: typer.Typer) -> None:
    """Add ``import`` to the ``govkg`` app."""
    app.command("import")(import_command)
