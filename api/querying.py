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

Capacity for cheap work: a client's own query text (``/sparql``) and drafts
(``/validate``) run in a pool of their own (``GOVKG_CLIENT_WORKERS`` processes at a lower
CPU priority), where a :class:`Gate` lets one client address hold at most
``GOVKG_QUERIES_PER_CLIENT`` workers at once; the named queries and pages, whose texts
are govkg's own, always have ``GOVKG_QUERY_WORKERS`` of their own. Four runaway queries
from one client therefore hold two client workers, and no page waits for them. Of
govkg's own texts, those that proved heavy (by the CPU their last run took) run in a
third pool at a lower priority (:class:`ProcessRunner`).

Every call takes a ``deadline`` (``time.monotonic()``), set when the request arrived: the
wait for a worker, the parse, the evaluation and the serialisation all count against one
time limit.
"""

from __future__ import annotations

import asyncio
import functools
import json
import os
import pickle
import queue
import select
import subprocess
import sys
import tempfile
import threading
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, cast

from rdflib import Graph, URIRef
from rdflib.term import Node

from govkg.api import worker as protocol
from govkg.api.errors import NotAcceptable
from govkg.graph.errors import GovkgError, InputError, Location, QueryError, StoreError
from govkg.graph.results import serialize
from govkg.graph.store import QueryTimeout, SelectResult, Store, TextRows
from govkg.graph.store.terms import (
    bind_values,
    from_json,
    ox_substitutions,
    query_shape,
    values_block,
)

#: a ``format`` for each query form ("select", "ask", "graph"), or one name for all
Formats = str | Mapping[str, str]


class ResultTooLarge(QueryError):
    """A result exceeded the service's size limit; a LIMIT clause makes it fit."""


class FederationRefused(QueryError):
    """A query calls SERVICE on an endpoint the settings do not allow (HTTP 400)."""


class WorkerCrashed(QueryError):
    """The worker died on this request (Oxigraph crashed on it); HTTP 400."""


class FormatRefused(NotAcceptable):
    """The query's form (``form``) has no format the client accepts (HTTP 406)."""

    def __init__(self, message: str, form: str | None) -> None:
        super().__init__(message)
        self.form = form


class Busy(QueryTimeout):
    """No worker or no slot for the client came free before the deadline (HTTP 503)."""


@dataclass(frozen=True)
class Answer:
    """A serialised result: its form ("select", "ask", "graph" or "report"), format
    name and bytes."""

    form: str
    format: str
    body: bytes


def _formats(format: Formats) -> dict[str, str]:
    return {form: format for form in ("select", "ask", "graph")} if isinstance(format, str) \
        else dict(format)


class QueryRunner(ABC):
    """Runs read-only SPARQL for the service and serialises the result."""

    #: its engine evaluates SPARQL 1.2's ``LATERAL`` (Oxigraph does, Virtuoso does not),
    #: so a list of values can be bound with :func:`~govkg.graph.store.terms.bind_lateral`
    lateral: bool = False

    def __init__(self, timeout: float, max_bytes: int, federation: list[str] | None = None
                 ) -> None:
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.federation = list(federation or [])
        self._kept: dict[Any, Any] = {}
        self._kept_lock = threading.Lock()
        self._writes = 0

    def kept(self, key: Any, make: Callable[[], Any]) -> Any:
        """``make()`` once until the store is next written (:meth:`invalidate`): for what
        every page reads alike, such as the framework items' rows beside each council's
        accountability (a third of its rows, the same for all 400 councils)."""
        with self._kept_lock:
            if key in self._kept:
                return self._kept[key]
            writes = self._writes
        value = make()
        with self._kept_lock:
            if writes == self._writes:  # not written meanwhile
                self._kept[key] = value
        return value

    def deadline(self) -> float:
        """The deadline of a call starting now."""
        return time.monotonic() + self.timeout

    @abstractmethod
    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
            format: Formats, default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None, client: str | None = None,
            deadline: float | None = None) -> Answer:
        """Evaluate and serialise in ``format`` (one name, or one per form).

        ``client`` (the client's address) marks a client's own query text: its SERVICE
        calls are checked against the federation allow-list and it counts against the
        client's share of the workers. Named queries and pages leave it None.
        """

    @abstractmethod
    def validate(self, media: str, body: bytes, *, format: str, title: str,
                 client: str | None, deadline: float) -> bytes:
        """A draft's SHACL report (:func:`govkg.api.drafts.validate_body`)."""

    def invalidate(self) -> None:
        """The store was written: later queries must see the new data (a runner that
        reads the store directly always does; what :meth:`kept` holds is dropped)."""
        with self._kept_lock:
            self._writes += 1
            self._kept.clear()

    def close(self) -> None:
        """Stop whatever the runner started."""
        return None  # the store belongs to the app, which closes it

    # ----------------------------------------------------------- for the HTML pages

    def select(self, sparql: str, bindings: Mapping[str, Node] | None = None) -> SelectResult:
        """A SELECT query's rows as rdflib terms (through the JSON results format)."""
        data = self._json(sparql, bindings)
        variables = data.get("head", {}).get("vars", [])
        rows = [{name: from_json(value) for name, value in row.items()}
                for row in data.get("results", {}).get("bindings", [])]
        return SelectResult(variables, rows)

    def select_text(self, sparql: str, bindings: Mapping[str, Node] | None = None
                    ) -> TextRows:
        """A SELECT query's rows as text (:class:`~govkg.graph.store.TextRows`), straight
        from the JSON results: no rdflib term is made, which for the few thousand rows
        a council page's accountability reads was most of the page's Python time."""
        data = self._json(sparql, bindings)
        rows = [{name: text for name, value in row.items()
                 if (text := "_:" + value["value"] if value.get("type") == "bnode"
                     else value.get("value", ""))}
                for row in data.get("results", {}).get("bindings", [])]
        return TextRows(data.get("head", {}).get("vars", []), rows)

    def _json(self, sparql: str, bindings: Mapping[str, Node] | None) -> dict[str, Any]:
        data: dict[str, Any] = json.loads(self.run(sparql, bindings, format="json").body)
        return data

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
    times faster with VALUES (body-functions 0.5 ms against 32 ms). Only govkg's own
    query texts take bindings; the worker checks the syntax.
    """
    if not bindings:
        return sparql, {}
    try:
        before, after = _slot(sparql)
    except QueryError:  # no WHERE group to open (a DESCRIBE without one, say)
        return sparql, {var.value: str(term) for var, term in ox_substitutions(bindings).items()}
    return before + values_block(bindings) + after, {}


_SLOT = URIRef("urn:govkg:slot")


@functools.lru_cache(maxsize=512)
def _slot(sparql: str) -> tuple[str, str]:
    """``sparql`` cut where :func:`~govkg.graph.store.terms.bind_values` puts its
    ``VALUES`` block: found once per text. Finding the WHERE group scans the text (0.3
    to 1 ms a call), and the service binds the same few dozen texts (its named and page
    queries) for every request."""
    block = values_block({"slot": _SLOT})
    bound = bind_values(sparql, {"slot": _SLOT})
    at = bound.index(block)
    return bound[:at], bound[at + len(block):]


def own_shape(sparql: str, bindings: Mapping[str, Node] | None) -> tuple[str, bool] | None:
    """The form of govkg's own query text and whether it names its dataset (FROM), for
    the worker, which otherwise scans every text it is sent (0.3 to 2 ms for a named
    query): known from the unbound text, scanned once (:func:`query_shape`'s cache). Only
    for texts bound here (``bindings``): the same few dozen texts come again and again,
    where a text a page bound itself (a list of values) is new each time."""
    if not bindings:
        return None
    shape = query_shape(sparql)
    return shape.form, shape.dataset


class Gate:
    """Admission of clients' own work: at most ``total`` at once, ``per_client`` each."""

    def __init__(self, total: int, per_client: int) -> None:
        self.total = max(1, total)
        self.per_client = max(1, per_client)
        self.running: Counter[str] = Counter()
        self._changed = threading.Condition()

    def _fits(self, client: str) -> bool:
        return sum(self.running.values()) < self.total and \
            self.running[client] < self.per_client

    def try_enter(self, client: str) -> bool:
        with self._changed:
            if not self._fits(client):
                return False
            self.running[client] += 1
            return True

    def enter(self, client: str, deadline: float) -> None:
        """Wait for room until ``deadline``; :class:`Busy` after it."""
        with self._changed:
            while not self._fits(client):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise self.busy(client)
                self._changed.wait(left)
            self.running[client] += 1

    def leave(self, client: str) -> None:
        with self._changed:
            self.running[client] -= 1
            if self.running[client] <= 0:
                del self.running[client]
            self._changed.notify_all()

    def busy(self, client: str) -> Busy:
        if self.running[client] >= self.per_client:
            return Busy(f"you already have {self.running[client]} queries running (at most "
                        f"{self.per_client} at once per client); try again when one ends")
        return Busy(f"{self.total} client queries are running, the most this service runs "
                    "at once beside its own pages; try again later")


def _settle(future: asyncio.Future[None]) -> None:
    """The pipe is readable: wake the reader (once, however often the loop calls)."""
    if not future.done():
        future.set_result(None)


def _expire(future: asyncio.Future[None]) -> None:
    """The deadline passed before the pipe became readable (the caller kills the worker)."""
    if not future.done():
        future.set_exception(TimeoutError())


class _Worker:
    """One worker process and its pipes.

    It starts in a session of its own, so the Ctrl-C a terminal sends to ``govkg serve``'s
    process group never reaches it (the server stops it by closing its pipe).
    """

    def __init__(self, path: str, network: bool, nice: int = 0) -> None:
        #: the worker's temporary folder (its TMPDIR: a draft being validated is written
        #: there), removed when it stops or is killed, which it cannot do itself
        self.scratch = tempfile.TemporaryDirectory(prefix="govkg-worker-",
                                                   ignore_cleanup_errors=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govkg.api.worker", path, f"--nice={nice}",
             *([] if network else ["--no-network"])],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, start_new_session=True,
            env={**os.environ, "TMPDIR": self.scratch.name})

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

    async def send_async(self, job: dict[str, Any]) -> None:
        """:meth:`send` without blocking the loop on a big job (a 5 MB query text)."""
        assert self.process.stdin is not None
        framed = protocol.frame(job)  # pickled once, whichever way it goes
        if len(framed) < 1 << 16:  # a pipe takes this at once
            protocol.write_frame(self.process.stdin, framed)
        else:
            await asyncio.to_thread(protocol.write_frame, self.process.stdin, framed)

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
            # the deadline as a timer on the same future: asyncio.wait_for would wrap it
            # in a task and a waiter of its own, on every request
            timer = loop.call_later(max(0.0, deadline - time.monotonic()), _expire, readable)
            try:
                await readable
            finally:
                timer.cancel()
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
        self.scratch.cleanup()

    def stop(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.kill()
        self.scratch.cleanup()


class _Idle(queue.LifoQueue["_Worker"]):
    """Idle workers, the one that answered last on top: with one client a single worker
    serves every request, its caches (the CPU's, the store's blocks) warm, where taking
    them in turn cost a light query 20 to 30% more CPU in the workers. A worker started
    in place of a killed one goes underneath: it is still starting."""

    def put_under(self, worker: _Worker) -> None:
        with self.not_empty:
            self.queue.insert(0, worker)
            self.unfinished_tasks += 1
            self.not_empty.notify()


class _Pool:
    """Worker processes of one kind, started at ``nice`` (a higher number yields the CPU)."""

    def __init__(self, path: str, size: int, *, network: bool, nice: int = 0) -> None:
        self.path, self.size, self.network, self.nice = path, max(1, size), network, nice
        self._idle = _Idle()
        self._count = 0
        self._lock = threading.Lock()
        self._closed = False

    def _spawn(self) -> _Worker:
        return _Worker(self.path, self.network, self.nice)

    def start(self) -> None:
        """Start every worker now, so the first queries do not wait for them."""
        with self._lock:
            while self._count < self.size:
                self._idle.put(self._spawn())
                self._count += 1

    def _alive(self, worker: _Worker) -> _Worker:
        """``worker``, or a fresh one in its place if it died while idle (killed from
        outside, or by the system for memory)."""
        if worker.process.poll() is None:
            return worker
        return self._spawn()

    def try_acquire(self) -> _Worker | None:
        """An idle worker, a new one if the pool is not full, else None."""
        with self._lock:
            if self._closed:
                raise StoreError("the service is shutting down")
            try:
                return self._alive(self._idle.get_nowait())
            except queue.Empty:
                if self._count < self.size:
                    self._count += 1
                    return self._spawn()
        return None

    def acquire(self, deadline: float, busy: Busy) -> _Worker:
        """A worker, waiting until ``deadline`` (then ``busy`` is raised)."""
        worker = self.try_acquire()
        if worker is not None:
            return worker
        try:
            return self._alive(self._idle.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            raise busy from None

    def release(self, worker: _Worker) -> None:
        self._idle.put(worker)

    def retire(self, worker: _Worker) -> None:
        """Replace a killed or dead worker with a fresh one."""
        with self._lock:
            if self._closed:
                self._count -= 1
                return
            self._idle.put_under(self._spawn())

    def close(self) -> None:
        with self._lock:
            self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return


class ProcessRunner(QueryRunner):
    """Queries and drafts on the embedded store, each in a worker process that can be
    killed.

    Two pools: ``workers`` processes for govkg's own queries (named queries, pages) and
    ``client_workers`` for clients' own work (``/sparql`` texts, drafts), started at a
    lower CPU priority (nice 10): a runaway query can hold a client worker until its
    time limit, but it neither takes a worker the pages need nor, on a busy machine, the
    CPU they need. The :class:`Gate` shares the client pool fairly between addresses.

    govkg's own texts are split by weight too: a named or page query whose last run took
    its worker :data:`HEAVY_CPU` seconds of CPU or more (analytics-nodes, analytics-facts
    at 400 councils) runs next time in a third pool of ``workers // 2`` processes at nice
    :data:`HEAVY_NICE`, so the light queries' hops through the server and their workers
    get the CPU first instead of queueing behind a heavy query's time slices.

    Why not pebble's ``ProcessPool`` (which has per-task time limits): each worker here
    keeps a read-only store open between tasks and reopens it when the store is written
    (a generation number in the job), starts in its own session so Ctrl-C stays with
    the server, and is awaited on the event loop through its pipe (no thread hop and no
    result-handler thread per answer, which the benchmark's hot path feels).
    """

    #: the client pool's CPU priority (``nice`` increment)
    CLIENT_NICE = 10
    #: the heavy pool's: enough that a light query's hops (the server's and its worker's)
    #: are not kept waiting behind a heavy one for the CPU, not so much that heavy ones
    #: starve on a machine shared with other work
    HEAVY_NICE = 5
    #: a query whose last run took this much of its worker's CPU (seconds), or ran into
    #: the time limit, runs in the heavy pool next time
    HEAVY_CPU = 0.05
    #: query texts whose last cost is remembered, at most (then they are forgotten)
    REMEMBERED = 512
    lateral = True  # the workers query the embedded Oxigraph store

    def __init__(self, path: str, *, timeout: float, max_bytes: int, workers: int,
                 client_workers: int | None = None, per_client: int = 2,
                 federation: list[str] | None = None, network: bool = False,
                 validation_timeout: float | None = None) -> None:
        super().__init__(timeout, max_bytes, federation)
        self.path = path
        self.validation_timeout = validation_timeout or timeout
        clients = client_workers or max(1, workers // 2)
        self.own = _Pool(path, workers, network=network)
        self.heavy = _Pool(path, max(1, workers // 2), network=network, nice=self.HEAVY_NICE)
        #: govkg's own query text (unbound) -> its last run's CPU seconds in the worker
        self._costs: dict[str, float] = {}
        self.clients = _Pool(path, clients, network=network, nice=self.CLIENT_NICE)
        self.gate = Gate(clients, per_client)
        self.generation = 0

    def start(self) -> None:
        """Start every worker now, so the first queries do not wait for them."""
        self.own.start()
        self.heavy.start()
        self.clients.start()

    def _busy(self) -> Busy:
        return Busy(f"every query worker stayed busy for the time limit of {self.timeout:g} s;"
                    " try again later")

    def _job(self, sparql: str, bindings: Mapping[str, Node] | None, format: Formats,
             default_graph: Iterable[str] | None, named_graphs: Iterable[str] | None,
             client: str | None) -> dict[str, Any]:
        shape = None if client is not None else own_shape(sparql, bindings)
        sparql, substitutions = _bind(sparql, bindings)
        return {"task": "query", "sparql": sparql, "substitutions": substitutions,
                "shape": shape,
                "formats": _formats(format),
                "default_graph": None if default_graph is None else list(default_graph),
                "named_graphs": None if named_graphs is None else list(named_graphs),
                "max_bytes": self.max_bytes, "generation": self.generation,
                "client": client is not None, "federation": self.federation}

    def _failed(self, pool: _Pool, worker: _Worker, timed_out: bool, limit: float
                ) -> GovkgError:
        """Kill and replace a worker that ran out of time or broke; the error to raise."""
        worker.kill()
        pool.retire(worker)
        if timed_out:
            return QueryTimeout(f"stopped after the time limit of {limit:g} s",
                                Location("query"))
        return WorkerCrashed("the query engine failed on this request and was restarted (a "
                             "query nested or branched too deeply?); simplify it",
                             Location("query"))

    @staticmethod
    def _answer(answer: dict[str, Any]) -> Answer:
        if answer["ok"]:
            return Answer(answer["form"], answer["format"], answer["body"])
        kind, message = answer["kind"], answer["message"]
        if kind == "syntax":
            raise QueryError(message, Location("query"))
        if kind == "refused":
            raise FederationRefused(message, Location("query"))
        if kind == "format":
            raise FormatRefused(message, answer.get("form"))
        if kind == "input":
            raise InputError(message, Location("draft"))
        if kind == "too-large":
            raise ResultTooLarge(f"{message}; narrow the query or add a LIMIT",
                                 Location("query"))
        raise StoreError(f"query failed: {message}")

    def _pool(self, client: str | None, key: str | None) -> _Pool:
        """The pool for a job: the clients' for a client's text; the heavy pool for a
        text of govkg's own (``key``) whose last run was heavy; else the own pool."""
        if client is not None:
            return self.clients
        if key is not None and self._costs.get(key, 0.0) >= self.HEAVY_CPU:
            return self.heavy
        return self.own

    def _learn(self, key: str | None, cpu: float | None) -> None:
        """Remember what the text ``key`` cost its worker this time (None: not known)."""
        if key is None or cpu is None:
            return
        if len(self._costs) >= self.REMEMBERED and key not in self._costs:
            self._costs.clear()  # page texts bound by the page itself are new each time
        self._costs[key] = cpu

    def _call(self, job: dict[str, Any], client: str | None, deadline: float,
              limit: float, key: str | None = None) -> Answer:
        """Send ``job`` to a worker and wait for its answer until ``deadline``."""
        pool = self._pool(client, key)
        if client is not None:
            self.gate.enter(client, deadline)
        try:
            worker = pool.acquire(deadline, self._busy())
            try:
                worker.send(job)
                answer = worker.receive(deadline)
            except TimeoutError:
                self._learn(key, limit)  # ran out of time: heavy, whatever it spent
                raise self._failed(pool, worker, True, limit) from None
            except (EOFError, OSError, ValueError):
                raise self._failed(pool, worker, False, limit) from None
            pool.release(worker)
            self._learn(key, answer.get("cpu"))
        finally:
            if client is not None:
                self.gate.leave(client)
        return self._answer(answer)

    async def _call_async(self, job: dict[str, Any], client: str | None, deadline: float,
                          limit: float, key: str | None = None) -> Answer:
        """:meth:`_call` on the event loop: it waits on the worker's pipe, no thread."""
        pool = self._pool(client, key)
        while client is not None and not self.gate.try_enter(client):
            if time.monotonic() > deadline:
                raise self.gate.busy(client)
            await asyncio.sleep(0.005)
        try:
            worker = pool.try_acquire()
            while worker is None:
                if time.monotonic() > deadline:
                    raise self._busy()
                await asyncio.sleep(0.002)
                worker = pool.try_acquire()
            try:
                await worker.send_async(job)
                answer = await worker.receive_async(deadline)
            except TimeoutError:
                self._learn(key, limit)  # ran out of time: heavy, whatever it spent
                raise self._failed(pool, worker, True, limit) from None
            except (EOFError, OSError, ValueError):
                raise self._failed(pool, worker, False, limit) from None
            except asyncio.CancelledError:  # the client went away: the worker's state is unknown
                self._failed(pool, worker, False, limit)
                raise
            pool.release(worker)
            self._learn(key, answer.get("cpu"))
        finally:
            if client is not None:
                self.gate.leave(client)
        return self._answer(answer)

    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
            format: Formats, default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None, client: str | None = None,
            deadline: float | None = None) -> Answer:
        job = self._job(sparql, bindings, format, default_graph, named_graphs, client)
        return self._call(job, client, deadline or self.deadline(), self.timeout,
                          None if client is not None else sparql)

    async def run_async(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
                        format: Formats, default_graph: Iterable[str] | None = None,
                        named_graphs: Iterable[str] | None = None, client: str | None = None,
                        deadline: float | None = None) -> Answer:
        """:meth:`run` without the thread pool: the event loop waits on the worker's pipe.

        A small job goes into the pipe at once and the answer is read only when the pipe
        says it is readable, so the service's hot path, a named query or a SPARQL query
        in a machine format, makes no thread hop. The time limit is the same: past it the
        worker is killed.
        """
        job = self._job(sparql, bindings, format, default_graph, named_graphs, client)
        return await self._call_async(job, client, deadline or self.deadline(), self.timeout,
                                      None if client is not None else sparql)

    def _validation_job(self, media: str, body: bytes, format: str, title: str
                        ) -> dict[str, Any]:
        return {"task": "validate", "media": media, "body": body, "format": format,
                "title": title}

    def validate(self, media: str, body: bytes, *, format: str, title: str,
                 client: str | None, deadline: float) -> bytes:
        job = self._validation_job(media, body, format, title)
        return self._call(job, client, deadline, self.validation_timeout).body

    async def validate_async(self, media: str, body: bytes, *, format: str, title: str,
                             client: str | None, deadline: float) -> bytes:
        """:meth:`validate`, awaited on the event loop."""
        job = self._validation_job(media, body, format, title)
        answer = await self._call_async(job, client, deadline, self.validation_timeout)
        return answer.body

    def invalidate(self) -> None:
        super().invalidate()
        self.generation += 1

    def close(self) -> None:
        self.own.close()
        self.heavy.close()
        self.clients.close()


class StoreRunner(QueryRunner):
    """Queries through the Store interface (a SPARQL server), serialised by govkg.

    The query text goes to the server; here it is only scanned (no parser, no
    evaluation), for its form and its SERVICE calls. The time limit is the store's
    HTTP timeout; drafts are validated in this process (no worker to stop).
    """

    def __init__(self, store: Store, *, timeout: float, max_bytes: int,
                 federation: list[str] | None = None) -> None:
        super().__init__(timeout, max_bytes, federation)
        self.store = store

    def run(self, sparql: str, bindings: Mapping[str, Node] | None = None, *,
            format: Formats, default_graph: Iterable[str] | None = None,
            named_graphs: Iterable[str] | None = None, client: str | None = None,
            deadline: float | None = None) -> Answer:
        shape = query_shape(sparql)
        if client is not None:
            refused = protocol.refused_services(shape, self.federation)
            if refused:
                raise FederationRefused(refused, Location("query"))
        name = _formats(format).get(shape.form)
        if name is None:
            raise FormatRefused(f"no format the client accepts fits a {shape.form} result",
                                shape.form)
        left = (deadline or self.deadline()) - time.monotonic()
        if left <= 0:
            raise QueryTimeout(f"stopped after the time limit of {self.timeout:g} s")
        result = self.store.query(sparql, bindings, default_graph=default_graph,
                                  named_graphs=named_graphs, timeout=left)
        body = serialize(result, name).encode("utf-8")
        if len(body) > self.max_bytes:
            raise ResultTooLarge(f"the result is larger than the limit of {self.max_bytes} "
                                 "bytes; narrow the query or add a LIMIT", Location("query"))
        return Answer(shape.form, name, body)

    def validate(self, media: str, body: bytes, *, format: str, title: str,
                 client: str | None, deadline: float) -> bytes:
        from govkg.api.drafts import validate_body

        return validate_body(media, body, format, title)


class RunnerStore:
    """A query runner where govkg's library code expects a store: SELECT only, so the
    analytics queries and the council-by-council paging (graph/store/paging.py) run in
    the service's worker processes under its time limit."""

    def __init__(self, runner: QueryRunner) -> None:
        self.runner = runner

    def query(self, sparql: str, bindings: Mapping[str, Node] | None = None,
              **_: Any) -> SelectResult:
        return self.runner.select(sparql, bindings)

    def select_text(self, sparql: str, bindings: Mapping[str, Node] | None = None,
                    **_: Any) -> TextRows:
        return self.runner.select_text(sparql, bindings)


def runner_store(runner: QueryRunner) -> Store:
    """:class:`RunnerStore`, typed as the store the library functions take."""
    return cast(Store, RunnerStore(runner))
