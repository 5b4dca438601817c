"""RDF files in and out of a store, with Oxigraph's parsers and serialisers.

Both backends read files with Oxigraph's parser (much faster than rdflib's) and write
exports with its serialisers; this module does it once for both, and turns parser
errors into :class:`~govkg.graph.errors.DataFileError` naming the file and line.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from govkg.graph.errors import DataFileError, StoreError
from govkg.graph.namespaces import DEFAULT_BASE, PREFIXES

EXPORT_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nq": ox.RdfFormat.N_QUADS,
    "ttl": ox.RdfFormat.TURTLE,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def file_quads(path: Path, graph: ox.NamedNode | None,
               counts: dict[str, int] | None = None) -> Iterator[ox.Quad]:
    """The quads of an RDF file, triples outside a named graph going to ``graph``.

    Counts the quads per graph into ``counts`` as they are read. A file with triples
    outside a named graph and no ``graph`` to put them in is refused.
    """
    suffix = path.suffix.lower().lstrip(".")
    fmt = ox.RdfFormat.from_extension(suffix) if suffix else None
    if fmt is None:
        raise DataFileError.at(path, None, f"unknown RDF file type {path.suffix!r}")
    if not path.is_file():
        raise DataFileError.at(path, None, "no such file")
    counts = counts if counts is not None else {}
    try:
        for quad in ox.parse(path=str(path), format=fmt):
            name = quad.graph_name
            if isinstance(name, ox.DefaultGraph):
                if graph is None:
                    raise DataFileError.at(path, None, "has triples outside a named graph; "
                                           "say which graph they belong to")
                name = graph
            elif not isinstance(name, ox.NamedNode):
                raise DataFileError.at(path, None, "a graph is named by a blank node")
            counts[name.value] = counts.get(name.value, 0) + 1
            yield ox.Quad(quad.subject, quad.predicate, quad.object, name)
    except SyntaxError as exc:
        raise DataFileError.at(path, exc.lineno, f"RDF syntax error: {exc.msg}") from None
    except OSError as exc:
        raise DataFileError.at(path, None, f"cannot read: {exc}") from None


def nquads_chunks(path: Path, size: int) -> Iterator[tuple[int, bytes]]:
    """An N-Quads file in chunks of whole lines of about ``size`` bytes, each with the
    byte offset where it starts (:func:`line_at` turns that into a line number when an
    error needs one): N-Quads is a line format, so each chunk parses alone, and the bulk
    loader reads them without a Python object per quad. The lines are not counted: at
    400 synthetic councils (324 MB) counting them cost 0.3 s of CPU. Read, not mapped:
    a mapped file's pages count in the process's memory while the loader holds its own."""
    offset = 0
    with path.open("rb") as data:
        # the block, then the rest of its last line: one copy of the chunk's bytes (a
        # remainder carried to the next block cost two, 0.5 s of CPU at 400 councils)
        while block := data.read(size):
            if not block.endswith(b"\n"):
                block += data.readline()
            if not block.endswith(b"\n"):
                block += b"\n"  # the file's last line
            yield offset, block
            offset += len(block)


def line_chunks(data: bytes, size: int) -> Iterator[bytes]:
    """N-Quads text (whole lines) in pieces of whole lines of at most about ``size``
    bytes (a line longer than ``size`` is a piece of its own); the text itself when it
    is that short, without a copy."""
    start = 0
    while len(data) - start > size:
        end = data.rfind(b"\n", start, start + size)
        end = data.find(b"\n", start + size) if end == -1 else end
        if end == -1:
            break
        yield data[start:end + 1]
        start = end + 1
    if start < len(data):
        yield data[start:] if start else data


def line_at(path: Path, offset: int) -> int:
    """The number of the line that starts at byte ``offset`` of a file."""
    with path.open("rb") as data:
        return data.read(offset).count(b"\n") + 1


#: Bytes of an N-Quads file read at a time when looking for graph names in it.
SCAN_CHUNK = 32 << 20
#: Up to this many graphs, each is looked for in the file; beyond, the end of every line
#: is read (:func:`nquads_graph_candidates`).
FEW_GRAPHS = 16


def nquads_name_no_graph_of(path: Path, graphs: Iterable[str]) -> bool:
    """True when no statement of an N-Quads file ends with an IRI of ``graphs`` (as its
    graph, or as the object of a triple in no graph) and the file has no blank node
    (``_:`` anywhere), which must be read in one parse to stay one node each. Read in
    chunks of whole lines (:func:`chunk_names_no_graph_of` on each), not mapped: the
    pages of a mapped file count in the process's resident memory, which made the whole
    file (1.6 GB at 2,000 synthetic councils) the bulk load's peak."""
    names = frozenset(graphs)
    return all(chunk_names_no_graph_of(chunk, names)
               for _, chunk in nquads_chunks(path, SCAN_CHUNK))


def chunk_names_no_graph_of(chunk: bytes, graphs: frozenset[str]) -> bool:
    """:func:`nquads_name_no_graph_of` for one chunk of whole N-Quads lines. For a few
    graphs each is looked for in the chunk (a statement cannot hold a raw line break, so
    what follows an IRI up to the next one says whether it ends a statement); for many,
    the end of every line is read instead."""
    if b"_:" in chunk:
        return False
    if len(graphs) > FEW_GRAPHS:
        return not _graph_candidates(chunk) & graphs
    for name in graphs:
        token = b"<" + name.encode("utf-8") + b">"
        found = chunk.find(token)
        while found != -1:
            after = found + len(token)
            end = chunk.find(b"\n", after)
            rest = chunk[after:end if end != -1 else len(chunk)].strip()
            if rest == b"." or (rest.startswith(b".") and rest[1:].lstrip().startswith(b"#")):
                return False
            found = chunk.find(token, after)
    return True


def nquads_graph_candidates(path: Path, size: int = SCAN_CHUNK) -> set[str] | None:
    """Every IRI that may name a graph of an N-Quads file: the last IRI of each statement
    (more than its graphs when a triple in no graph ends with an IRI), read from its
    bytes. ``None`` when the file has blank nodes (``_:`` anywhere), which must be read
    in one parse to stay one node each."""
    found: set[str] = set()
    for _, chunk in nquads_chunks(path, size):
        if b"_:" in chunk:
            return None
        found |= _graph_candidates(chunk)
    return found


def _graph_candidates(chunk: bytes) -> set[str]:
    """The last IRI of each statement of a chunk of whole N-Quads lines."""
    # the last two tokens of each line: (<g>, .) or (<o>, <g>.); a file of quads has
    # few distinct ones, so the rest of the work is per distinct tail, not per line
    tails = {tuple(line.rsplit(None, 2)[-2:]) for line in chunk.split(b"\n")}
    found = set()
    for tail in tails:
        if len(tail) == 2 and tail[1] == b".":
            token = tail[0]
        elif tail and tail[-1].endswith(b"."):
            token = tail[-1][:-1]
        else:
            continue  # a blank line, or no statement's end
        if token.startswith(b"<") and token.endswith(b">"):
            found.add(token[1:-1].decode("utf-8", "replace"))
    return found


def file_statements(path: Path, graph: ox.NamedNode | None) -> dict[str, list[str]]:
    """An RDF file as N-Triples statements per graph, parsed in full (nothing written)."""
    statements: dict[str, list[str]] = {}
    for quad in file_quads(path, graph):
        name = quad.graph_name
        assert isinstance(name, ox.NamedNode)  # file_quads names every graph
        statements.setdefault(name.value, []).append(f"{quad.triple} .")
    return statements


def serialise(quads: Iterable[ox.Quad], format: str, base: str = DEFAULT_BASE) -> bytes:
    """Quads in an export format; Turtle gets their union, each triple once. Under
    another ``base`` than the stored one, every IRI under the stored base (and the
    prefixes naming govkg's namespaces) is written under ``base``."""
    try:
        fmt = EXPORT_FORMATS[format]
    except KeyError:
        raise StoreError(f"unknown export format {format!r}; use one of "
                         f"{', '.join(EXPORT_FORMATS)}") from None
    if base != DEFAULT_BASE:
        quads = (ox.Quad(*(_published(term, base) for term in quad)) for quad in quads)
    data: Iterable[Any] = quads
    if fmt == ox.RdfFormat.TURTLE:
        data = dict.fromkeys(quad.triple for quad in quads)
    prefixes = {name: str(ns) if base == DEFAULT_BASE else str(ns).replace(
        DEFAULT_BASE, base, 1) for name, ns in PREFIXES.items()}
    output = ox.serialize(data, format=fmt,
                          prefixes=prefixes if fmt != ox.RdfFormat.JSON_LD else None)
    return output if output is not None else b""


def republish(data: bytes, format: str, base: str) -> bytes:
    """An export (``format``, stored IRIs) written again with its IRIs under ``base``
    (``GOVKG_BASE``): the dumps a deployment under another domain publishes."""
    if base == DEFAULT_BASE:
        return data
    return serialise(ox.parse(data, format=EXPORT_FORMATS[format]), format, base)


def _published(term: Any, base: str) -> Any:
    """An Oxigraph term with the stored base replaced by ``base`` (in a quoted triple's
    terms too); any other term as it is."""
    if isinstance(term, ox.NamedNode) and term.value.startswith(DEFAULT_BASE):
        return ox.NamedNode(base + term.value[len(DEFAULT_BASE):])
    if isinstance(term, ox.Triple):
        return ox.Triple(*(_published(part, base) for part in term))
    return term
