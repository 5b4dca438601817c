"""Corrections: a person's decisions about what the importer read, kept as data.

An importer misreads a line now and then: a heading taken for a commitment, a link to
the wrong framework item, a post given the wrong statutory role. An officer's correction
of it is kept in one small YAML file per document (``<document>.corrections.yaml`` beside
it, or ``<id>.yaml`` in the store's corrections folder, :func:`folder_of`), so it is
applied again every time the document is imported, and it is recorded in the document's graph as a
:class:`govkg:Correction` activity of a ``prov:Person`` at a time, beside the importer's
own activity (whose links keep their method and score).

A statement is named by what survives a re-import: its quote (the span's
``oa:exact``) and where it is (the text-position selector's start, else its first line),
never by the IRIs the importer minted. Three actions:

- ``reject``: the statement is wrong; what only it stated is removed (and named by
  ``prov:invalidated``), what other statements state too loses this source;
- ``relink``: its framework links are replaced by the items given (``to: [B.2]``);
- ``designate``: the post it designates holds another role (``role: monitoring-officer``,
  ``post: Director of Law``), or none (``role: none``).

The file is :mod:`.file`, what a span states :mod:`.statements`, applying a file
:mod:`.editing`; this module finds a document's file and applies it on import.

>>> text = '''document: 44676a6766e52695
... officer: A. Officer
... corrections:
...   - action: relink
...     quote: Behaving with integrity
...     start: 120
...     to: [A.1]
...     decided: 2026-12-05T09:00:00+00:00
... '''
>>> parsed = parse(text, "x.corrections.yaml")
>>> (parsed.corrections[0].items, parsed.corrections[0].entry_line)
(('A.1',), 4)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, URIRef

from govkg.graph.corrections.editing import LINK_PROPERTIES, Outcome, apply
from govkg.graph.corrections.file import (
    ACTIONS,
    SUFFIX,
    Correction,
    CorrectionsFile,
    append,
    load,
    parse,
)
from govkg.graph.corrections.statements import Statement, document_sha, statements
from govkg.graph.errors import DataFileError
from govkg.graph.store.beside import folder_beside

__all__ = ["ACTIONS", "LINK_PROPERTIES", "SUFFIX", "Applied", "Correction", "CorrectionsFile",
           "Outcome", "Statement", "append", "apply", "apply_to_import", "document_sha",
           "find", "folder_of", "load", "parse", "statements"]


def find(sha256: str, source: str | Path | None, folder: Path | None) -> Path | None:
    """The corrections file of a document: beside its file, else in ``folder`` (the
    store's corrections folder) under its id."""
    candidates: Iterable[Path] = []
    if source is not None and not str(source).startswith(("http://", "https://")):
        candidates = [Path(f"{source}{SUFFIX}")]
    if folder is not None:
        candidates = [*candidates, folder / f"{sha256[:16]}.yaml"]
    return next((p for p in candidates if p.is_file()), None)


def folder_of(location: str | Path, configured: Path | None = None) -> Path:
    """The corrections folder of the store at ``location``: ``configured``
    (``GOVKG_CORRECTIONS_DIR``) if given, else ``corrections`` beside the store (inside an
    embedded store's folder; in the user's data folder, one per server URL, for a SPARQL
    server, which has no folder of its own).

    >>> folder_of("/tmp/store")
    PosixPath('/tmp/store/corrections')
    >>> folder_of("https://sparql.example/", Path("/srv/corrections"))
    PosixPath('/srv/corrections')
    """
    if configured is not None:
        return configured.expanduser()
    return folder_beside(location, "corrections")


@dataclass
class Applied:
    """The corrections file applied to one imported graph, and what it did."""

    graph: URIRef
    path: Path
    outcome: Outcome


def apply_to_import(graphs: Iterable[tuple[Graph, str | Path | None]], vocabulary: Graph, *,
                    given: Path | None = None, folder: Path | None = None) -> list[Applied]:
    """Apply each imported document's corrections to its graph: the file ``given``
    (``--corrections``) for the document it names, else the file beside the document,
    else the one in the store's ``folder``. ``graphs`` pairs each graph with the file or
    address it was read from. A ``given`` file that names none of the documents is an
    error, and so is any bad file: raised before anything is stored."""
    explicit = load(given) if given is not None else None
    done: list[Applied] = []
    for graph, source in graphs:
        sha = document_sha(graph)
        chosen: CorrectionsFile | None
        if explicit is not None and explicit.is_for(sha):
            chosen = explicit
        else:
            path = find(sha, source, folder)
            chosen = load(path) if path is not None else None
            if chosen is not None and not chosen.is_for(sha):
                raise DataFileError.at(path or "", 1, f"this file is for document "
                                       f"{chosen.document}, not {sha[:16]}")
        if chosen is not None:
            done.append(Applied(URIRef(graph.identifier), chosen.path,
                                apply(graph, chosen, vocabulary)))
    if explicit is not None and not any(a.path == explicit.path for a in done):
        raise DataFileError.at(explicit.path, 1, f"document: {explicit.document} is none of "
                               "the documents imported")
    return done

