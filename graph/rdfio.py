"""Reading RDF and SPARQL files with errors that name the file and line.

rdflib and pyoxigraph each report syntax errors in their own way; this module turns
them into :class:`~govkg.graph.errors.DataFileError` so every caller reports the same.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph
from rdflib import Dataset, Graph
from rdflib.plugins.parsers.notation3 import BadSyntax

from govkg.graph.errors import DataFileError

_FORMATS = {".ttl": "turtle", ".trig": "trig", ".nt": "nt", ".nq": "nquads", ".jsonld": "json-ld",
            ".json": "json-ld", ".rdf": "xml", ".owl": "xml"}
_OXIGRAPH_POSITION = re.compile(r"(?:error at |line )(\d+)[:.](\d+)")


def rdf_format(path: Path) -> str:
    """The rdflib format name for a file, from its suffix."""
    try:
        return _FORMATS[path.suffix.lower()]
    except KeyError:
        raise DataFileError.at(
            path, None, f"unknown RDF file type {path.suffix!r}; expected one of {sorted(_FORMATS)}"
        ) from None


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError.at(path, None, "no such file") from None
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise DataFileError.at(path, line, "not UTF-8 text") from None
    except IsADirectoryError:
        raise DataFileError.at(path, None, "is a directory, not a file") from None


def parse_graph(path: Path, graph: Graph | None = None) -> Graph:
    """Parse one RDF file into ``graph`` (a new one by default).

    Syntax errors become :class:`DataFileError` naming the file and the line.
    """
    fmt = rdf_format(path)
    text = _read_text(path)
    target = graph if graph is not None else (Dataset() if fmt in ("trig", "nquads") else Graph())
    try:
        target.parse(data=text, format=fmt, publicID=path.resolve().as_uri())
    except BadSyntax as exc:
        raise DataFileError.at(path, exc.lines + 1, f"Turtle syntax error: {exc._why}") from None
    except (SyntaxError, ValueError) as exc:  # other parsers (N-Triples, JSON-LD, RDF/XML)
        line = getattr(exc, "lineno", None)
        raise DataFileError.at(path, line, f"RDF syntax error: {exc}") from None
    return target


def sparql_syntax_error(text: str) -> tuple[int | None, str] | None:
    """Check a SPARQL query or update with Oxigraph's parser.

    Returns ``None`` when it parses, else ``(line, message)``. The query is run on an
    empty in-memory store, which is the cheapest way pyoxigraph offers to parse it.
    """
    store = pyoxigraph.Store()
    try:
        store.query(text)
        return None
    except SyntaxError as query_error:
        try:  # maybe it is an update, which query() refuses
            pyoxigraph.Store().update(text)
            return None
        except SyntaxError:
            pass
        message = str(query_error)
        match = _OXIGRAPH_POSITION.search(message)
        return (int(match.group(1)) if match else None, message)


def read_sparql(path: Path) -> str:
    """Read a ``.rq`` file, refusing one that does not parse, naming file and line."""
    text = _read_text(path)
    error = sparql_syntax_error(text)
    if error is not None:
        line, message = error
        raise DataFileError.at(path, line, f"SPARQL syntax error: {message}")
    return text


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a
    half-written file: write a temporary file beside it, then rename over."""
    import os
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; give it the usual mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
