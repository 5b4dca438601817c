"""Running queries for the web service, within a time limit that really stops them.

Two runners behind one interface:

- :class:`ProcessRunner` for the embedded store: a pool of worker processes
  (:mod:`govkg.api.worker`), each with a read-only view of the store folder. Past the
  time limit the worker is killed, which stops the evaluation whatever it was doing
  (Oxigraph sorts and aggregates before its first row, where the store's cooperative
  limit cannot reach), and a fresh worker takes its place. Results are serialised by
  Oxigraph in the worker.
- :class:`StoreRunner` for any other :class:`~govkg.graph.store.Store` (a SPARQL server):
  the store's own ``timeout`` (the HTTP client's, and the server's where it has one) and
  govkg's serialisers from :mod:`govkg.graph.results`.

Both are called from plain ``def`` routes, so FastAPI runs them in its thread pool and the
event loop keeps answering other requests while a query runs.
"""

from __future__ import annotations

import asyncio
import json
import os
import pickle
import queue
import select
import subprocess
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from govkg.api import worker as protocol
from govkg.graph.errors import GovkgError, Location, QueryError, StoreError
from govkg.graph.results import serialize
from govkg.graph.store import QueryTimeout, SelectResult, Store
from govkg.graph.store.terms import bind_values, from_json, ox_substitutions, query_form


class ResultTooLarge(QueryError):
    """A result exceeded the service's size limit; a LIMIT clause makes it fit."""


@dataclass(frozen=True)
class Answer:
    """A serialised query result: its form ("select", "ask" or "graph") and bytes."""

    form: str
    format: str
    body: bytes


@lru_cache(maxsize=512)
def form_of(sparql: str) -> tuple[str, tuple[str, ...]]:
    """The query's form and SELECT projection; a syntax error names line and column."""
    form, projection = query_form(sparql)
    return form, tuple(projection)


class QueryRunner(ABC):
    """Runs read-only SPARQL for the service and serialises the result."""

    def __init__(self, timeout: float, max_bytes: int) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes

    @abstractmethod
    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *, format: str,
            default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None) -> Answer:
        """Evaluate and serialise in ``format`` (a key of the worker's format tables)."""

    def invalidate(self) -> None:
        """The store was written: later queries must see the new data."""
        return None  # a runner that reads the store directly always sees it

    def close(self) -> None:
        """Stop whatever the runner started."""
        return None  # the store belongs to the app, which closes it

    # ----------------------------------------------------------- for the HTML pages

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        """A SELECT query's rows as rdflib terms (through the JSON results format)."""
        answer = self.run(sparql, bindings, format="json")
        data = json.loads(answer.body)
        variables = data.get("head", {}).get("vars", [])
        rows = [{name: from_json(value) for name, value in row.items()}
                for row in data.get("results", {}).get("bindings", [])]
        return SelectResult(variables, rows)

    def graph(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> Graph:
        """A CONSTRUCT or DESCRIBE query's triples as an rdflib graph."""
        answer = self.run(sparql, bindings, format="ntriples")
        return Graph().parse(data=answer.body.decode("utf-8"), format="nt")


def _bind(sparql: str, bindings: Mapping[str, Node] | None) -> tuple[str, dict[str, str]]:
    """The query with its parameters bound by a ``VALUES`` block opening its WHERE group
    (:func:`~govkg.graph.store.terms.bind_values`: each value written as one N-Triples
    term, never as query text), else as Oxigraph substitutions.

    Why VALUES first: Oxigraph plans a VALUES block into the join order, while it applies
    substitutions late; on 400 councils a named query narrowed to one council ran 3 to 60
    times faster with VALUES (body-functions 0.5 ms against 32 ms).
    """
    if not bindings:
        return sparql, {}
    form_of(sparql)  # a syntax error is reported before any text is added
    try:
        return bind_values(sparql, bindings), {}
    except QueryError:  # no WHERE group to open (a DESCRIBE without one, say)
        return sparql, {var.value: str(term) for var, term in ox_substitutions(bindings).items()}


def _settle(future: asyncio.Future[None]) -> None:
    """The pipe is readable: wake the reader (once, however often the loop calls)."""
    if not future.done():
        future.set_result(None)


class _Worker:
    """One worker process and its pipes."""

    def __init__(self, path: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govkg.api.worker", path],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, job: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        protocol.write_message(self.process.stdin, job)

    def _read(self, size: int, deadline: float) -> bytes:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        chunks: list[bytes] = []
        while size:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([fd], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(fd, min(size, 1 << 20))
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            size -= len(chunk)
        return b"".join(chunks)

    def receive(self, deadline: float) -> dict[str, Any]:
        (length,) = protocol.HEADER.unpack(self._read(protocol.HEADER.size, deadline))
        answer: dict[str, Any] = pickle.loads(self._read(length, deadline))
        return answer

    async def receive_async(self, deadline: float) -> dict[str, Any]:
        """:meth:`receive`, waiting for the pipe on the running event loop."""
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        loop = asyncio.get_running_loop()
        data = bytearray()
        needed = protocol.HEADER.size
        while len(data) < needed:
            readable: asyncio.Future[None] = loop.create_future()
            loop.add_reader(fd, _settle, readable)
            try:  # on Python 3.11, asyncio's timeout is the built-in TimeoutError
                await asyncio.wait_for(readable, max(0.0, deadline - time.monotonic()))
            finally:
                loop.remove_reader(fd)
            chunk = os.read(fd, max(needed - len(data), 1 << 16))
            if not chunk:
                raise EOFError
            data += chunk
            if needed == protocol.HEADER.size and len(data) >= needed:
                needed += protocol.HEADER.unpack(bytes(data[:needed]))[0]
        answer: dict[str, Any] = pickle.loads(bytes(data[protocol.HEADER.size:needed]))
        return answer

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()


class ProcessRunner(QueryRunner):
    """Queries on the embedded store, each in a worker process that can be killed."""

    def __init__(self, path: str, *, timeout: float, max_bytes: int, workers: int) -> None:
        super().__init__(timeout, max_bytes)
        self.path = path
        self.size = max(1, workers)
        self.generation = 0
        self._idle: queue.Queue[_Worker] = queue.Queue()  # oldest (warm) first
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False

    def start(self) -> None:
        """Start every worker now, so the first queries do not wait for them."""
        with self._lock:
            while self._count < self.size:
                self._idle.put(_Worker(self.path))
                self._count += 1

    def _try_acquire(self) -> _Worker | None:
        """An idle worker, a new one if the pool is not full, else None."""
        with self._lock:
            if self._closed:
                raise StoreError("the service is shutting down")
            try:
                return self._idle.get_nowait()
            except queue.Empty:
                if self._count < self.size:
                    self._count += 1
                    return _Worker(self.path)
        return None

    def _busy(self) -> QueryTimeout:
        return QueryTimeout(f"every query worker stayed busy for the time limit of "
                            f"{self.timeout:g} s; try again later")

    def _acquire(self, deadline: float) -> _Worker:
        worker = self._try_acquire()
        if worker is not None:
            return worker
        try:
            return self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            raise self._busy() from None

    def _retire(self, worker: _Worker) -> None:
        """Replace a killed or dead worker with a fresh one."""
        with self._lock:
            if self._closed:
                self._count -= 1
                return
            self._idle.put(_Worker(self.path))

    def _job(self, sparql: str, bindings: Mapping[str, Node] | None, format: str,
             default_graph: Iterable[str] | None,
             named_graphs: Iterable[str] | None) -> dict[str, Any]:
        sparql, substitutions = _bind(sparql, bindings)
        return {"sparql": sparql, "substitutions": substitutions, "format": format,
                "default_graph": None if default_graph is None else list(default_graph),
                "named_graphs": None if named_graphs is None else list(named_graphs),
                "max_bytes": self.max_bytes, "generation": self.generation}

    def _failed(self, worker: _Worker, timed_out: bool) -> GovkgError:
        """Kill and replace a worker that ran out of time or broke; the error to raise."""
        worker.kill()
        self._retire(worker)
        if timed_out:
            return QueryTimeout(f"query stopped after its time limit of {self.timeout:g} s",
                                Location("query"))
        return StoreError("the query worker stopped unexpectedly")

    def _answer(self, answer: dict[str, Any], format: str) -> Answer:
        if answer["ok"]:
            return Answer(answer["form"], format, answer["body"])
        kind, message = answer["kind"], answer["message"]
        if kind == "syntax":
            raise QueryError(f"SPARQL syntax error: {message}", Location("query"))
        if kind == "format":
            raise QueryError(message, Location("query"))
        if kind == "too-large":
            raise ResultTooLarge(f"{message}; narrow the query or add a LIMIT",
                                 Location("query"))
        raise StoreError(f"query failed: {message}")

    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *, format: str,
            default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None) -> Answer:
        job = self._job(sparql, bindings, format, default_graph, named_graphs)
        deadline = time.monotonic() + self.timeout
        worker = self._acquire(deadline)
        try:
            worker.send(job)
            answer = worker.receive(deadline)
        except TimeoutError:
            raise self._failed(worker, timed_out=True) from None
        except (EOFError, OSError, ValueError):
            raise self._failed(worker, timed_out=False) from None
        self._idle.put(worker)
        return self._answer(answer, format)

    async def run_async(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
                        format: str, default_graph: Iterable[str] | None = None,
                        named_graphs: Iterable[str] | None = None) -> Answer:
        """:meth:`run` without the thread pool: the event loop waits on the worker's pipe.

        Nothing here blocks (a job is a few hundred bytes, which a pipe takes at once, and
        the answer is read only when the pipe says it is readable), so the service's hot
        path, a named query or a SPARQL query in a machine format, makes two fewer thread
        hops per request. The time limit is the same: past it the worker is killed.
        """
        job = self._job(sparql, bindings, format, default_graph, named_graphs)
        deadline = time.monotonic() + self.timeout
        worker = self._try_acquire()
        while worker is None:
            if time.monotonic() > deadline:
                raise self._busy()
            await asyncio.sleep(0.002)
            worker = self._try_acquire()
        try:
            worker.send(job)
            answer = await worker.receive_async(deadline)
        except TimeoutError:
            raise self._failed(worker, timed_out=True) from None
        except (EOFError, OSError, ValueError):
            raise self._failed(worker, timed_out=False) from None
        except asyncio.CancelledError:  # the client went away: the worker's state is unknown
            self._failed(worker, timed_out=False)
            raise
        self._idle.put(worker)
        return self._answer(answer, format)

    def invalidate(self) -> None:
        self.generation += 1

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


class StoreRunner(QueryRunner):
    """Queries through the Store interface (a SPARQL server), serialised by govkg."""

    def __init__(self, store: Store, *, timeout: float, max_bytes: int) -> None:
        super().__init__(timeout, max_bytes)
        self.store = store

    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *, format: str,
            default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None) -> Answer:
        form, _ = form_of(sparql)
        result = self.store.query(sparql, bindings, default_graph=default_graph,
                                  named_graphs=named_graphs, timeout=self.timeout)
        body = serialize(result, format).encode("utf-8")
        if len(body) > self.max_bytes:
            raise ResultTooLarge(f"the result is larger than the limit of {self.max_bytes} "
                                 "bytes; narrow the query or add a LIMIT", Location("query"))
        return Answer(form, format, body)
