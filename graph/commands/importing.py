"""``govkg import``: council documents into named graphs, in a TriG file or the store."""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from govkg.graph.commands import err, fail, out
from govkg.graph.commands.store import StoreOption
from govkg.graph.errors import GovkgError

if TYPE_CHECKING:
    from rdflib import Dataset

    from govkg.graph.corrections import Applied
    from govkg.graph.importers.pipeline import ImportReport


class Kind(StrEnum):
    local_code = "local-code"
    self_assessment = "self-assessment"
    governance_review = "governance-review"
    # G3's kinds (graph/importers/kinds)
    annual_governance_statement = "annual-governance-statement"
    internal_audit_report = "internal-audit-report"


class Edition(StrEnum):
    e2007 = "2007"
    e2016 = "2016"


def import_command(
    files: Annotated[list[str], typer.Argument(
        help="Council documents: PDF, Word (.docx), HTML or text files, or http(s):// "
             "addresses.", metavar="FILE_OR_URL")],
    council: Annotated[str | None, typer.Option(
        help="Council name, slug or GSS code (detected from the text when omitted).")] = None,
    kind: Annotated[Kind | None, typer.Option(help="Document kind (detected when omitted).")]
    = None,
    framework: Annotated[Edition | None, typer.Option(
        help="CIPFA/SOLACE edition (detected when omitted).")] = None,
    output: Annotated[Path | None, typer.Option(
        "-o", "--output", help="Write the named graphs to this TriG file instead of the store.")]
    = None,
    review: Annotated[Path | None, typer.Option(
        help="Write what was read (each statement, its classification, its links with "
             "method and score, low-confidence ones marked) to this .html or .csv file.")]
    = None,
    all_or_nothing: Annotated[bool, typer.Option(
        "--all-or-nothing", help="Import nothing if any document fails (by default each "
                                 "document is imported on its own).")] = False,
    store: StoreOption = None,
    ocr: Annotated[bool, typer.Option(
        "--ocr", help="Read scanned PDF pages (no text layer) by optical character "
                      "recognition; needs Tesseract (Debian: tesseract-ocr).")] = False,
    max_size: Annotated[float | None, typer.Option(
        "--max-size", min=0.001, metavar="MB",
        help="Refuse a document larger than this many megabytes (default: 40 for PDF and "
             "Word, 10 for text and web pages).")] = None,
    timeout: Annotated[float, typer.Option(
        help="Seconds to wait for a web address to send its document.")] = 30.0,
    corrections: Annotated[Path | None, typer.Option(
        help="An officer's corrections of one document (YAML; see the README, "
             "\"Corrections\"). Without it, a document's FILE.corrections.yaml beside it, "
             "else the store's corrections/ID.yaml, is applied.")] = None,
) -> None:
    """Import council documents, one named graph each, saying what was detected and what
    each covers.

    Each document is read and built completely before anything is written, so a failed
    document leaves nothing half-written; the others still go in, and the command exits 1
    naming each failure. With --all-or-nothing one failure leaves the output file and the
    store as they were.
    """
    from govkg.graph.documents import Limits
    from govkg.graph.documents.reading import is_url
    from govkg.graph.importers.kinds.carried import link_carried_over
    from govkg.graph.importers.pipeline import ImportFailure, import_documents
    from govkg.graph.importers.review import write_review
    from govkg.graph.rdfio import write_atomically
    from govkg.graph.store import open_store
    from govkg.graph.store.originals import Originals

    limits = Limits(timeout=timeout)
    if max_size is not None:
        size = int(max_size * 1_000_000)
        limits = replace(limits, max_bytes=size, max_text_bytes=size)
    failures: list[ImportFailure] = []
    try:
        dataset, reports = import_documents(
            [f if is_url(f) else Path(f) for f in files], council=council,
            kind=kind.value if kind else None,
            framework=framework.value if framework else None, ocr=ocr, limits=limits,
            all_or_nothing=all_or_nothing, failures=failures)
        corrected = correct_imports(dataset, reports, corrections, store,
                                    to_file=output is not None)
        for report in reports:
            read_as = f" ({report.media_type}{', OCR' if report.ocr else ''})"
            out.print(f"[bold]{report.source or report.path}[/]{read_as} -> {report.graph}",
                      highlight=False)
            out.print(f"  council:   {report.council}", highlight=False)
            out.print(f"  kind:      {report.kind}", highlight=False)
            if report.framework:
                out.print(f"  framework: {report.framework}", highlight=False)
            counts = ", ".join(f"{n} {k}" for k, n in sorted(report.counts.items()))
            out.print(f"  {report.triples} triples: {counts}", highlight=False)
            covered = "; ".join(f"{top}: {len(items)}" for top, items in report.coverage.items())
            out.print(f"  items linked per principle: {covered or 'none'}", highlight=False)
            for warning in report.warnings:
                err.print(f"[bold yellow]warning:[/] {escape(str(report.source or report.path))}"
                          f": {escape(warning)}", highlight=False)
        if review is not None:
            write_review(review, reports)
            out.print(f"wrote the review to {review}")
        if reports and output is not None:
            write_atomically(output, dataset.serialize(format="trig").encode("utf-8"))
            out.print(f"wrote {output}")
        elif reports:
            with open_store(store) as target:
                # originals first: a failed store write leaves an unlinked file, never a
                # quote linking to a missing original
                originals = Originals.beside(target)
                for report in reports:
                    if report.original:
                        originals.keep(report.original, report.media_type)
                target.replace_graphs({g.identifier: g for g in dataset.graphs() if len(g)})
                link_carried_over(target)  # G3 hook: issues carried over from earlier years
                keep_corrections(corrected, corrections, store)
                out.print(f"loaded {len(reports)} document graph(s) into {target.location}")
    except GovkgError as exc:
        raise fail(exc) from None
    if len(files) == 1 and failures:  # the one document: exit as its error says
        raise fail(failures[0].error)
    for failure in failures:
        err.print(f"[bold red]failed:[/] {escape(str(failure.path))}: "
                  f"{escape(failure.error.message)}", highlight=False)
    if failures:
        raise typer.Exit(1)


def _folder(store: str | None) -> Path | None:
    from govkg.graph.corrections import folder_of
    from govkg.graph.settings import Settings

    settings = Settings()
    return folder_of(store or settings.store_location(), settings.corrections_dir)


def correct_imports(dataset: Dataset, reports: list[ImportReport], given: Path | None,
                    store: str | None, *, to_file: bool) -> list[Applied]:
    """Apply the documents' corrections (graph/corrections/) and say what each did; a
    correction that matches nothing any more is a warning naming its file and entry.
    Writing a file instead of the store (``to_file``), the store's corrections folder is
    not consulted."""
    from govkg.graph.corrections import apply_to_import
    from govkg.graph.vocabulary import load_vocabulary

    applied = apply_to_import(
        [(dataset.graph(r.graph), r.source or r.path) for r in reports], load_vocabulary(),
        given=given, folder=None if to_file else _folder(store))
    for done in applied:
        out.print(f"applied {len(done.outcome.applied)} correction(s) from {done.path} to "
                  f"{done.graph}", highlight=False)
        for warning in done.outcome.warnings:
            err.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False)
    return applied


def keep_corrections(applied: list[Applied], given: Path | None, store: str | None) -> None:
    """Keep the file given with --corrections in the store's corrections folder, so that
    a later import of the same document applies it again without the option."""
    from govkg.graph.rdfio import write_atomically

    folder = _folder(store)
    for done in applied:
        if given is not None and done.path == given and folder is not None:
            name = str(done.graph).rsplit("/", 1)[-1]
            write_atomically(folder / f"{name}.yaml", given.read_bytes())


def register(app: typer.Typer) -> None:
    """Add ``import`` to the ``govkg`` app."""
    app.command("import")(import_command)
