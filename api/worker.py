"""A query worker: a child process that runs SPARQL on a read-only view of the store.

Why a process and not a thread: Oxigraph evaluates a query that sorts, groups or
aggregates to its end before it gives a first row, so a time limit checked between rows
(``EmbeddedStore``'s cooperative limit) cannot stop it, and a thread cannot be killed.
A process can: the web service sends each query to an idle worker and, past the time
limit, kills that worker and starts another. RocksDB lets any number of read-only
openers share the folder that the service holds open for writing.

The worker also serialises the result with Oxigraph's own (Rust) writers, so rows never
become Python objects on the hot path; only the bytes cross the pipe.

Protocol on stdin/stdout: each message is a 4-byte big-endian length and a pickled
dict. Requests: ``{"sparql", "substitutions" (name -> N-Triples term), "default_graph",
"named_graphs", "format", "max_bytes", "generation"}``. Answers: ``{"ok": True, "form",
"body"}`` or ``{"ok": False, "kind", "message"}``. This module imports only pyoxigraph
and the standard library, so a worker starts in a fraction of a second.
"""

from __future__ import annotations

import pickle
import struct
import sys
from typing import Any, BinaryIO

import pyoxigraph as ox

HEADER = struct.Struct(">I")

RESULT_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "trig": ox.RdfFormat.TRIG,
}


class ResultTooLarge(Exception):
    """Raised from inside Oxigraph's writer, which stops the evaluation with it."""


class CappedBuffer:
    """A file-like sink that refuses to grow past ``limit`` bytes."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise ResultTooLarge(f"the result is larger than the limit of {self.limit} bytes")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        """Oxigraph may flush its sink; there is nothing to do."""

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def read_message(stream: BinaryIO) -> Any:
    """One framed message, or None at end of stream."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    (length,) = HEADER.unpack(header)
    return pickle.loads(stream.read(length))


def write_message(stream: BinaryIO, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def parse_term(text: str) -> Any:
    """A pyoxigraph term from its N-Triples form (the parent wrote it with rdflib)."""
    statement = f"<urn:x:s> <urn:x:p> {text} .".encode()
    (quad,) = list(ox.parse(statement, format=ox.RdfFormat.N_TRIPLES))
    return quad.object


def graph_names(iris: list[str] | None) -> list[Any] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def run(store: ox.Store, job: dict[str, Any]) -> dict[str, Any]:
    """Evaluate one request and serialise its result; errors become answers."""
    options: dict[str, Any] = {}
    if job.get("default_graph") is not None:
        options["default_graph"] = graph_names(job["default_graph"])
    else:
        options["use_default_graph_as_union"] = True
    if job.get("named_graphs") is not None:
        options["named_graphs"] = graph_names(job["named_graphs"])
    if job.get("substitutions"):
        options["substitutions"] = {ox.Variable(name): parse_term(term)
                                    for name, term in job["substitutions"].items()}
    sink = CappedBuffer(int(job["max_bytes"]))
    try:
        result = store.query(job["sparql"], **options)
        tabular = isinstance(result, ox.QueryBoolean | ox.QuerySolutions)
        form = "graph" if not tabular else "ask" if isinstance(result, ox.QueryBoolean) \
            else "select"
        formats: dict[str, Any] = RESULT_FORMATS if tabular else GRAPH_FORMATS
        if job["format"] not in formats:
            return {"ok": False, "kind": "format", "message": f"a {form} result has no "
                    f"{job['format']} form; use one of {', '.join(formats)}"}
        result.serialize(sink, format=formats[job["format"]])  # type: ignore[arg-type]
    except SyntaxError as exc:
        return {"ok": False, "kind": "syntax", "message": str(exc)}
    except ResultTooLarge as exc:
        return {"ok": False, "kind": "too-large", "message": str(exc)}
    except (OSError, RuntimeError, ValueError) as exc:
        if "larger than the limit" in str(exc):  # the writer's error, wrapped by Oxigraph
            return {"ok": False, "kind": "too-large", "message": str(exc)}
        return {"ok": False, "kind": "store", "message": str(exc)}
    return {"ok": True, "form": form, "body": sink.getvalue()}


def main(path: str) -> None:
    """Serve requests from stdin until it closes."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer stream
    store = ox.Store.read_only(path)
    generation = 0
    while True:
        job = read_message(requests)
        if job is None:
            return
        if job.get("generation", 0) != generation:  # the service wrote: see the new data
            del store
            store = ox.Store.read_only(path)
            generation = job["generation"]
        write_message(answers, run(store, job))


if __name__ == "__main__":
    main(sys.argv[1])
