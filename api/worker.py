"""A worker: a child process that parses and runs client work on a read-only store view.

Why a process and not a thread: Oxigraph evaluates a query that sorts, groups or
aggregates to its end before it gives a first row, so a time limit checked between rows
(``EmbeddedStore``'s cooperative limit) cannot stop it, and a thread cannot be killed.
A process can: the web service sends each query to an idle worker and, past the time
limit, kills that worker and starts another. And Oxigraph's parser crashes the process
on some inputs (5,000 nested groups, 20,000 ``UNION`` branches): in a worker that costs
one worker, which the service replaces, never the service. So the server process never
hands a client's query text to Oxigraph; everything about it happens here: the scan
that learns its form and refuses ``SERVICE`` calls the settings do not allow
(:mod:`govkg.graph.sparqlscan`), the parse, the evaluation and the serialisation.
RocksDB lets any number of read-only openers share the folder the service holds open
for writing.

The worker serialises the result with Oxigraph's own (Rust) writers, so rows never
become Python objects on the hot path; only the bytes cross the pipe. It also validates
drafts (``POST /validate``) under the same time limit, importing rdflib and pySHACL only
when the first draft comes.

Protocol on stdin/stdout: each message is a 4-byte big-endian length and a pickled
dict. Query requests: ``{"task": "query", "sparql", "substitutions" (name -> N-Triples
term), "default_graph", "named_graphs", "formats" (form -> format name), "max_bytes",
"generation", "client" (a client's text: check SERVICE), "federation" (allowed
endpoints), "shape" (form and FROM-or-not of govkg's own text, scanned once by the
service, or None: scan it here)}``; validation requests: ``{"task": "validate", "media",
"body", "format", "title"}``. Answers: ``{"ok": True, "form", "format", "body", "cpu"
(the query's CPU seconds here: the service learns which queries are heavy)}`` or
``{"ok": False, "kind", "message"}``. Started with ``--no-network``, the worker turns
Python's network off (:func:`govkg.graph.safeparse.forbid_network`); with ``--nice=N``
it lowers its CPU priority (the pools for clients' own queries and for heavy ones).
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import time
from typing import Any, BinaryIO

import pyoxigraph as ox

from govkg.graph.errors import GovkgError
from govkg.graph.readonly import open_read_only
from govkg.graph.sparqlscan import QueryShape, UpdateShape, scan

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


def frame(message: Any) -> bytes:
    """``message`` as the protocol sends it: its length, then its pickle."""
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def write_frame(stream: BinaryIO, framed: bytes) -> None:
    stream.write(framed)
    stream.flush()


def write_message(stream: BinaryIO, message: Any) -> None:
    write_frame(stream, frame(message))


def parse_term(text: str) -> Any:
    """A pyoxigraph term from its N-Triples form (the parent wrote it with rdflib)."""
    statement = f"<urn:x:s> <urn:x:p> {text} .".encode()
    (quad,) = list(ox.parse(statement, format=ox.RdfFormat.N_TRIPLES))
    return quad.object


def graph_names(iris: list[str] | None) -> list[Any] | None:
    return None if iris is None else [ox.NamedNode(iri) for iri in iris]


def refused_services(shape: QueryShape | UpdateShape, allowed: list[str]) -> str | None:
    """Why the query's SERVICE calls may not run (None when they all may)."""
    if not shape.services:
        return None
    if not allowed:
        return ("federated queries (SERVICE) are off on this service: it never calls "
                "another endpoint unless GOVKG_FEDERATION lists it")
    for endpoint in shape.services:
        if endpoint is None:
            return "SERVICE with a variable is refused: name the endpoint's IRI"
        if endpoint not in allowed:
            return (f"SERVICE <{endpoint}> is not an allowed endpoint (GOVKG_FEDERATION "
                    f"allows {', '.join(allowed)})")
    return None


def run(store: ox.Store, job: dict[str, Any]) -> dict[str, Any]:
    """Check, evaluate and serialise one query; errors become answers."""
    started = time.process_time()
    if job.get("shape") and not job.get("client"):  # govkg's own text, scanned by the service
        form, dataset = job["shape"]
    else:
        try:
            shape = scan(job["sparql"])
        except GovkgError as exc:
            return {"ok": False, "kind": "syntax", "message": str(exc)}
        if job.get("client"):
            refused = refused_services(shape, job.get("federation") or [])
            if refused:
                return {"ok": False, "kind": "refused", "message": refused}
        form, dataset = shape.form, shape.dataset
    fmt = job["formats"].get(form)
    formats: dict[str, Any] = GRAPH_FORMATS if form == "graph" else RESULT_FORMATS
    if fmt not in formats:
        return {"ok": False, "kind": "format", "form": form, "message": f"a {form} result "
                f"has no {fmt} form; use one of {', '.join(formats)}"}
    options: dict[str, Any] = {}
    if job.get("default_graph") is not None:
        options["default_graph"] = graph_names(job["default_graph"])
    elif not dataset:  # FROM / FROM NAMED: the query's own dataset is honoured
        options["use_default_graph_as_union"] = True
    if job.get("named_graphs") is not None:
        options["named_graphs"] = graph_names(job["named_graphs"])
    if job.get("substitutions"):
        options["substitutions"] = {ox.Variable(name): parse_term(term)
                                    for name, term in job["substitutions"].items()}
    sink = CappedBuffer(int(job["max_bytes"]))
    try:
        result = store.query(job["sparql"], **options)
        result.serialize(sink, format=formats[fmt])  # type: ignore[arg-type]
    except SyntaxError as exc:
        return {"ok": False, "kind": "syntax", "message": f"SPARQL syntax error: {exc}"}
    except ResultTooLarge as exc:
        return {"ok": False, "kind": "too-large", "message": str(exc)}
    except (OSError, RuntimeError, ValueError) as exc:
        if "larger than the limit" in str(exc):  # the writer's error, wrapped by Oxigraph
            return {"ok": False, "kind": "too-large", "message": str(exc)}
        return {"ok": False, "kind": "store", "message": str(exc)}
    return {"ok": True, "form": form, "format": fmt, "body": sink.getvalue(),
            "cpu": time.process_time() - started}


def validate(job: dict[str, Any]) -> dict[str, Any]:
    """Validate a draft; a problem with it (syntax, remote context, DTD) is the answer."""
    from govkg.api.drafts import validate_body  # rdflib and pySHACL: only when needed

    try:
        body = validate_body(job["media"], job["body"], job["format"], job["title"])
    except GovkgError as exc:
        return {"ok": False, "kind": "input", "message": exc.message if exc.location is None
                or exc.location.line is None else f"line {exc.location.line}: {exc.message}"}
    return {"ok": True, "form": "report", "format": job["format"], "body": body}


def main(path: str, network: bool = True, nice: int = 0) -> None:
    """Serve requests from stdin until it closes."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer stream
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops us (closing stdin)
    if nice:
        os.nice(nice)
    if not network:
        from govkg.graph.safeparse import forbid_network

        forbid_network()
    store, why = _open(path)
    generation = 0
    while True:
        job = read_message(requests)
        if job is None:
            return
        if job.get("task") == "validate":
            write_message(answers, validate(job))
            continue
        if job.get("generation", 0) != generation or store is None:
            # the service wrote (see the new data), or the last open failed: open again
            del store
            store, why = _open(path)
            generation = job.get("generation", 0)
        write_message(answers, run(store, job) if store is not None else
                      {"ok": False, "kind": "store", "message": why})


def _open(path: str) -> tuple[ox.Store | None, str]:
    """The store, read-only; or None and why it could not be opened, which every query
    is answered with until an open succeeds (a worker that died here would look to the
    service like a query that crashed the engine)."""
    try:
        return open_read_only(path), ""
    except (OSError, RuntimeError) as exc:
        return None, f"cannot open the store {path} read-only: {exc}"


if __name__ == "__main__":
    main(sys.argv[1], network="--no-network" not in sys.argv[2:],
         nice=next((int(a.split("=", 1)[1]) for a in sys.argv[2:] if a.startswith("--nice=")),
                   0))
