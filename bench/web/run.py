"""The web service's benchmark: named-query throughput and latency over HTTP, in one run.

Three servers answer the same requests on 127.0.0.1, one after another (never at the
same time, so none takes the others' CPU):

1. ``govkg serve`` on an on-disk embedded store of N synthetic councils
   (``bench/synthetic.py``) plus the ontology and reference data: each request is a
   named-query operation, ``GET /queries/{name}?council=...``, JSON results;
2. a bare ``oxigraph serve --union-default-graph`` on the same store folder (both on
   disk): the same query text with the same parameter values, bound the way a SPARQL
   server binds them (a ``VALUES`` block, :func:`govkg.graph.store.terms.bind_values`);
3. rdflib-endpoint serving the same quads (an in-memory rdflib Dataset, its only kind):
   the same SPARQL text as for oxigraph.

The workload is what the council pages and the API do: every named query, those that
take a ``council`` parameter narrowed to one council (a different council each request,
in a fixed order), the others with their defaults. Each query's time for one council is
measured first and printed (the calibration); ``--leave-out`` can drop queries, none are
dropped by default. ``--clients`` threads send requests back to back for ``--seconds``
per server, after one warm-up pass; a request still unanswered at the end of the window
is not counted.

Runaway queries (issue 13): a fourth window per round runs govkg with ``--runaway``
threads (default 4) that send, back to back from the same client, a query Oxigraph works
on for about ten seconds (:data:`RUNAWAY`) to ``/sparql``, while the clients send the same
named-query workload. The table gives p95 with and without them, over the whole
workload and over its cheap queries (under :data:`CHEAP_MS` in the calibration).

govkg and oxigraph take turns (``--rounds``), restarting each time, so that both meet the
same background load on a shared machine; rdflib-endpoint, much slower, gets one long
window (``--baseline-seconds``) at the end.

CPU per request (``--cpu QUERY ...``, issue 17): instead of the windows, one client sends
``--cpu-requests`` requests of each named query one after another (councils in turn), and
the CPU time the server's processes spent meanwhile (``/proc``: the server and its query
workers, user and system) is divided by the requests. Unlike latency under load, that
figure does not move with what else the machine runs, so it shows what govkg's service
adds to each request beside the bare server's. Servers take turns as above.

Usage: ``python -m bench.web.run [--councils 400] [--clients 4] [--seconds 20]``.
Prints a Markdown table (for bench/README.md) and writes ``bench/web/results.json``
(``bench/web/cpu-results.json`` with ``--cpu``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HERE = Path(__file__).resolve().parent
JSON_RESULTS = "application/sparql-results+json"
WARM_UP_CAP = 30.0  # seconds one warm-up request may take
#: a named query is "cheap" when its calibration took less than this (milliseconds)
CHEAP_MS = 1000.0
#: 300 x 300 x 300 combinations, all filtered out: about ten seconds of Oxigraph's time
_CROSS = " ".join(str(i) for i in range(300))
RUNAWAY = (f"ASK {{ VALUES ?a {{ {_CROSS} }} VALUES ?b {{ {_CROSS} }} VALUES ?c {{ {_CROSS} }} "
           "FILTER(?a + ?b + ?c < 0) }")


@dataclass(frozen=True)
class Request:
    """One request of the workload, in the two shapes the servers take it."""

    name: str
    params: dict[str, str]  # for govkg's named-query operation
    sparql: str  # the same query with the same values bound, for a bare SPARQL server
    accept: str  # SPARQL JSON results, or N-Triples for a CONSTRUCT


@dataclass
class Outcome:
    """What one server did in its window."""

    server: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    per_query: dict[str, list[float]] = field(default_factory=dict)

    def merge(self, other: Outcome) -> None:
        """Add another window's figures (the same server, another round)."""
        self.seconds += other.seconds
        self.latencies += other.latencies
        for key, count in other.errors.items():
            self.errors[key] = self.errors.get(key, 0) + count
        for key, times in other.per_query.items():
            self.per_query.setdefault(key, []).extend(times)
        for key, count in other.runaway.items():
            self.runaway[key] = self.runaway.get(key, 0) + count

    runaway: dict[str, int] = field(default_factory=dict)  #: runaway answers by status

    def summary(self, cheap: set[str] | None = None) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        cheap_times = sorted(t for name, times in self.per_query.items()
                             if cheap is not None and name in cheap for t in times)

        def pct(p: float, values: list[float] = ordered) -> float | None:
            if not values:
                return None
            return values[min(len(values) - 1, int(round(p * (len(values) - 1))))] * 1000

        return {"server": self.server, "requests": len(ordered),
                "throughput_rps": len(ordered) / self.seconds, "p50_ms": pct(0.5),
                "p95_ms": pct(0.95), "cheap_p95_ms": pct(0.95, cheap_times),
                "errors": self.errors, "runaway": self.runaway,
                "per_query_median_ms": {k: statistics.median(v) * 1000
                                        for k, v in sorted(self.per_query.items()) if v}}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


#: clock ticks per second of the CPU times in /proc/PID/stat
_TICKS = os.sysconf("SC_CLK_TCK")


def process_tree(pid: int) -> list[int]:
    """``pid`` and every process it started, and theirs (a server's query workers)."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            for child in (task / "children").read_text().split():
                found += process_tree(int(child))
    return found


def cpu_times(pid: int) -> dict[int, tuple[float, float]]:
    """User and system CPU seconds of ``pid`` and each of its descendants."""
    times = {}
    for each in process_tree(pid):
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            times[each] = (int(fields[11]) / _TICKS, int(fields[12]) / _TICKS)
    return times


@dataclass
class CpuCost:
    """What one server spent on one query's requests, summed over its turns."""

    requests: int = 0
    own: list[float] = field(default_factory=lambda: [0.0, 0.0])  # the server process
    children: list[float] = field(default_factory=lambda: [0.0, 0.0])  # its workers
    latencies: list[float] = field(default_factory=list)

    def add(self, pid: int, before: dict[int, tuple[float, float]],
            after: dict[int, tuple[float, float]], latencies: list[float]) -> None:
        for each, (user, system) in after.items():
            was = before.get(each, (0.0, 0.0))  # a worker started meanwhile: all of it
            target = self.own if each == pid else self.children
            target[0] += user - was[0]
            target[1] += system - was[1]
        self.requests += len(latencies)
        self.latencies += latencies

    def per_request(self) -> dict[str, float]:
        """Milliseconds of CPU per request, and the median wall time."""
        n = max(1, self.requests)
        own, children = sum(self.own) / n * 1000, sum(self.children) / n * 1000
        return {"server_ms": own, "server_user_ms": self.own[0] / n * 1000,
                "workers_ms": children, "workers_user_ms": self.children[0] / n * 1000,
                "total_ms": own + children, "requests": self.requests,
                "wall_median_ms": statistics.median(self.latencies) * 1000
                if self.latencies else 0.0}


def cpu_turn(server: Server, send: Any, requests: list[Request], queries: list[str],
             count: int, costs: dict[str, CpuCost]) -> None:
    """One server's turn: ``count`` requests of each query, one at a time, after a
    warm-up of 20; the CPU its processes spent on them is added to ``costs``."""
    pid = server.process.pid
    with httpx.Client() as http:
        for query in queries:
            mine = [r for r in requests if r.name == query]
            if not mine:
                raise SystemExit(f"no named query {query!r}")
            for request in mine[:20]:
                if send(http, request, timeout=WARM_UP_CAP) != 200:
                    raise SystemExit(f"{server.name} refused {query} (see {server.log})")
            latencies = []
            before = cpu_times(pid)
            for number in range(count):
                started = time.perf_counter()
                status = send(http, mine[number % len(mine)], timeout=WARM_UP_CAP)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    raise SystemExit(f"{server.name} answered {status} to {query}")
            costs.setdefault(query, CpuCost()).add(pid, before, cpu_times(pid), latencies)


def cpu_report(costs: dict[str, dict[str, CpuCost]], args: argparse.Namespace) -> None:
    """The CPU table: per query and server, ms of CPU per request (server process and
    workers), the median wall time, and each govkg's total over oxigraph's."""
    table = {server: {query: cost.per_request() for query, cost in by_query.items()}
             for server, by_query in costs.items()}
    (HERE / "cpu-results.json").write_text(json.dumps(
        {"councils": args.councils, "requests": args.cpu_requests, "rounds": args.rounds,
         "servers": table}, indent=2), encoding="utf-8")
    oxigraph = table.get("oxigraph serve", {})
    print(f"\n{args.councils} synthetic councils; one client, {args.cpu_requests} requests "
          f"of each query per turn, {args.rounds} turns each; CPU ms per request\n")
    print("| query | server | server process | its workers | total | wall median (ms) | "
          "oxigraph's total over this |")
    print("|---|---|---:|---:|---:|---:|---:|")
    logs: dict[str, list[float]] = {}
    for query in args.cpu:
        for server, by_query in table.items():
            cost = by_query[query]
            ratio = ""
            if server != "oxigraph serve" and query in oxigraph and cost["total_ms"]:
                value = oxigraph[query]["total_ms"] / cost["total_ms"]
                logs.setdefault(server, []).append(math.log(value))
                ratio = f"{value:.2f}x"
            print(f"| {query} | {server} | {cost['server_ms']:.2f} | {cost['workers_ms']:.2f} "
                  f"| {cost['total_ms']:.2f} | {cost['wall_median_ms']:.2f} | {ratio} |")
    for server, values in logs.items():
        print(f"\n{server}: oxigraph's CPU per request over its own, geometric mean over "
              f"{len(values)} queries: {math.exp(sum(values) / len(values)):.2f}x")


def workload(councils: list[str], rounds: int) -> list[Request]:
    """Every named query, narrowed to one council where it can be, cycling councils."""
    from govkg.graph.querylib import load_queries
    from govkg.graph.store.terms import bind_values

    requests = []
    queries = load_queries()
    for number in range(rounds):
        council = councils[number % len(councils)]
        for name, query in queries.items():
            takes_council = any(p.name == "council" for p in query.params)
            params = {"council": council} if takes_council else {}
            bindings = query.bindings(params)  # the declared defaults too, as govkg binds
            text = bind_values(query.text, bindings) if bindings else query.text
            accept = "application/n-triples" if query.form in ("CONSTRUCT", "DESCRIBE") \
                else JSON_RESULTS
            requests.append(Request(name, params, text, accept))
    return requests


def prepare(councils: int, work: Path) -> tuple[Path, Path, list[str]]:
    """The synthetic corpus in an on-disk store, and the same quads as one N-Quads file."""
    sys.path.insert(0, str(HERE.parent.parent))
    from bench.synthetic import generate
    from govkg.graph.build import build
    from govkg.graph.store import EmbeddedStore

    work.mkdir(parents=True, exist_ok=True)
    folder, dump = work / "store", work / "all.nq"
    if not (work / "ready").exists():
        shutil.rmtree(folder, ignore_errors=True)
        corpus = work / "councils.nq"
        started = time.perf_counter()
        with corpus.open("w", encoding="utf-8") as out:
            triples = generate(councils, out)
        print(f"generated {councils} councils, {triples} triples "
              f"in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        with EmbeddedStore(folder) as store:
            build(store, [])  # the ontology and the reference data
            store.load_file(corpus)
            dump.write_bytes(store.export("nq"))
            print(f"stored {store.triple_count()} triples", file=sys.stderr)
        corpus.unlink()
        (work / "ready").touch()
    with EmbeddedStore(folder) as store:
        from govkg.graph.store import SelectResult

        rows = store.query("SELECT DISTINCT ?c WHERE { ?d <https://w3id.org/govkg/def/council> "
                           "?c } ORDER BY ?c")
        assert isinstance(rows, SelectResult)
        found = [str(row["c"]).rsplit("/", 1)[-1] for row in rows]
    return folder, dump, found


class Server:
    """A server process, started and stopped around one measurement."""

    def __init__(self, name: str, command: list[str], probe: str,
                 env: dict[str, str] | None = None, start_timeout: float = 900) -> None:
        self.name = name
        descriptor, log = tempfile.mkstemp(prefix=f"bench-{name}-", suffix=".log")
        self.log = Path(log)
        self.process = subprocess.Popen(command, stdout=descriptor, stderr=subprocess.STDOUT,
                                        env={**os.environ, **(env or {})},
                                        start_new_session=True)
        os.close(descriptor)
        deadline = time.monotonic() + start_timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"{name} exited; see {self.log}")
            try:
                if httpx.get(probe, timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"{name} did not start within {start_timeout:.0f} s")
            time.sleep(0.5)

    def stop(self) -> None:
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def calibrate(send: Any, requests: list[Request], cap: float) -> dict[str, float | None]:
    """Each query once (for one council), timed, for the record: None when it failed or
    ran past ``cap`` seconds (govkg's time limit in the benchmark)."""
    times: dict[str, float | None] = {}
    with httpx.Client() as http:
        for request in {r.name: r for r in requests}.values():
            started = time.monotonic()
            try:
                ok = send(http, request, timeout=cap + 5) == 200
            except httpx.TimeoutException:
                ok = False
            times[request.name] = time.monotonic() - started if ok else None
    return times


def measure(name: str, send: Any, requests: list[Request], clients: int,
            seconds: float, warm_up: bool = True, runaway: int = 0,
            sparql_url: str | None = None) -> Outcome:
    """``clients`` threads send requests back to back for ``seconds``, after one warm-up
    request per query (unless ``warm_up`` is false: a server that keeps working on a
    request its client gave up on would spend the window on the warm-up); ``runaway``
    more threads send :data:`RUNAWAY` to ``sparql_url`` meanwhile."""
    with httpx.Client() as http:
        for request in {r.name: r for r in requests}.values() if warm_up else ():
            with contextlib.suppress(httpx.TimeoutException):
                send(http, request, timeout=min(seconds, WARM_UP_CAP))
    outcome = Outcome(name, seconds)
    lock = threading.Lock()
    end = time.monotonic() + seconds

    def client(offset: int) -> None:
        with httpx.Client() as http:
            index = offset
            while True:
                left = end - time.monotonic()
                if left <= 0:
                    return
                request = requests[index % len(requests)]
                index += clients
                started = time.monotonic()
                try:
                    status = send(http, request, timeout=left)
                except httpx.TimeoutException:
                    return  # unanswered at the end of the window
                except httpx.HTTPError as exc:
                    status = type(exc).__name__
                took = time.monotonic() - started
                with lock:
                    if status == 200:
                        outcome.latencies.append(took)
                        outcome.per_query.setdefault(request.name, []).append(took)
                    else:
                        outcome.errors[str(status)] = outcome.errors.get(str(status), 0) + 1

    def runaway_client() -> None:
        with httpx.Client() as http:
            while end - time.monotonic() > 0:
                try:
                    status = str(http.post(sparql_url or "", content=RUNAWAY.encode(),
                                           headers={"content-type": "application/sparql-query"},
                                           timeout=max(0.1, end - time.monotonic())).status_code)
                except httpx.TimeoutException:
                    return
                with lock:
                    outcome.runaway[status] = outcome.runaway.get(status, 0) + 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    threads += [threading.Thread(target=runaway_client) for _ in range(runaway)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcome


def source_tree(ref: str, work: Path) -> Path:
    """govkg's code at git ``ref``, laid out as the installed package is (``govkg/graph``,
    ``govkg/api``... as pyproject.toml maps them), for the front of ``PYTHONPATH``: a
    benchmark then runs that commit's server in turns with this checkout's, on the same
    store and the same machine load, so before and after are measured in one run."""
    import tomllib

    root = HERE.parent.parent
    commit = subprocess.run(["git", "-C", str(root), "rev-parse", "--short", ref], check=True,
                            capture_output=True, text=True).stdout.strip()
    target = work / f"tree-{commit}"
    if not (target / "govkg").exists():
        shutil.rmtree(target, ignore_errors=True)
        (target / "src").mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(root), "archive", commit], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target / "src")], input=archive, check=True)
        mapping = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
        package = target / "govkg-tmp"
        for name, folder in mapping["tool"]["setuptools"]["package-dir"].items():
            if name.count(".") == 1:  # govkg.graph -> graph; subpackages come with it
                (package / name.split(".")[1]).parent.mkdir(parents=True, exist_ok=True)
                (package / name.split(".")[1]).symlink_to(target / "src" / folder)
        package.rename(target / "govkg")
    return target


def govkg_server(folder: Path, args: argparse.Namespace, source: Path | None = None
                 ) -> tuple[Server, Any]:
    """``govkg serve`` on the store, and how to send it a request (``send.url`` is its
    base URL); ``source`` runs the code of an earlier commit (:func:`source_tree`)."""
    url = f"http://127.0.0.1:{free_port()}"
    server = Server("govkg", [sys.executable, "-m", "govkg.graph", "serve", "--store",
                              str(folder), "--port", url.rsplit(":", 1)[1]],
                    f"{url}/sparql?query=ASK%7B%7D",
                    env={"GOVKG_QUERY_TIMEOUT": str(args.limit),
                         "GOVKG_QUERY_WORKERS": str(args.workers),
                         **({"PYTHONPATH": str(source)} if source else {})})

    def send(http: httpx.Client, request: Request, timeout: float = 600) -> int:
        return http.get(f"{url}/queries/{request.name}", params=request.params,
                        headers={"accept": request.accept}, timeout=timeout).status_code

    send.url = url  # type: ignore[attr-defined]
    return server, send


def sparql_server(name: str, command: list[str], endpoint: str) -> tuple[Server, Any]:
    """A bare SPARQL server, and how to send it a request (the bound query text)."""
    server = Server(name, command, f"{endpoint}?query=ASK%7B%7D")

    def send(http: httpx.Client, request: Request, timeout: float = 600) -> int:
        return http.post(endpoint, data={"query": request.sparql},
                         headers={"accept": request.accept}, timeout=timeout).status_code

    return server, send


def oxigraph_server(folder: Path) -> tuple[Server, Any]:
    port = free_port()
    return sparql_server("oxigraph", ["oxigraph", "serve", "--location", str(folder), "--bind",
                                      f"127.0.0.1:{port}", "--union-default-graph"],
                         f"http://127.0.0.1:{port}/query")


def start_server(name: str, folder: Path, args: argparse.Namespace, before: Path | None
                 ) -> tuple[Server, Any]:
    """The server a turn is named for: "govkg serve at REF" runs ``before``'s code
    (:func:`source_tree`), any other "govkg ..." this checkout's, else oxigraph."""
    if not name.startswith("govkg"):
        return oxigraph_server(folder)
    return govkg_server(folder, args, before if name.startswith("govkg serve at") else None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="the window of govkg and of oxigraph in each round")
    parser.add_argument("--rounds", type=int, default=3,
                        help="govkg and oxigraph take turns this many times, so that both "
                        "meet the same background load")
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "govkg-web-bench",
                        help="where the store and dumps are kept between runs")
    parser.add_argument("--skip", nargs="*", default=[], help="servers to leave out")
    parser.add_argument("--leave-out", nargs="*", default=[],
                        help="named queries to leave out of the workload")
    parser.add_argument("--runaway", type=int, default=4,
                        help="runaway queries sent at once in govkg's extra window (0: none)")
    parser.add_argument("--workers", type=int, default=4,
                        help="govkg's query worker processes (GOVKG_QUERY_WORKERS)")
    parser.add_argument("--baseline-seconds", type=float, default=300.0,
                        help="rdflib-endpoint's window: long enough for it to answer at all")
    parser.add_argument("--cap", type=float, default=30.0,
                        help="govkg's query time limit during the calibration")
    parser.add_argument("--limit", type=float, default=10.0,
                        help="govkg's query time limit in the measured windows (the "
                        "service's default)")
    parser.add_argument("--against", metavar="REF",
                        help="also measure govkg serve at this git commit, in turns with "
                        "this checkout's and oxigraph (before and after in one run)")
    parser.add_argument("--cpu", nargs="+", metavar="QUERY",
                        help="measure the CPU each server spends per request of these "
                        "named queries, one client, instead of the windows")
    parser.add_argument("--cpu-requests", type=int, default=1000,
                        help="with --cpu: requests of each query in each turn")
    args = parser.parse_args()
    folder, dump, councils = prepare(args.councils, args.work / str(args.councils))
    before = source_tree(args.against, args.work) if args.against else None
    requests = workload(councils, rounds=len(councils))
    if args.cpu:
        return cpu_main(folder, requests, before, args)

    server, send = govkg_server(folder, argparse.Namespace(**{**vars(args), "limit": args.cap}))
    try:  # the time of each query for one council, for the record
        calibration = calibrate(send, requests, args.cap)
    finally:
        server.stop()
    requests = [r for r in requests if r.name not in args.leave_out]

    totals: dict[str, Outcome] = {}
    with_runaway = f"govkg serve + {args.runaway} runaway"
    windows = [("govkg serve", 0), ("oxigraph serve", 0)]
    if before is not None:
        windows.insert(0, (f"govkg serve at {args.against}", 0))
    if args.runaway:
        windows.append((with_runaway, args.runaway))
    for _ in range(args.rounds):
        for name, runaway in windows:
            if name.split()[0] in args.skip:
                continue
            server, send = start_server(name, folder, args, before)
            try:
                outcome = measure(name, send, requests, args.clients, args.seconds,
                                  runaway=runaway, sparql_url=f"{getattr(send, 'url', '')}"
                                  "/sparql")
            finally:
                server.stop()
            totals.setdefault(name, Outcome(name, 0.0)).merge(outcome)
    outcomes = list(totals.values())
    if "rdflib-endpoint" not in args.skip:
        port = free_port()
        server, send = sparql_server(  # rdflib-endpoint 0.6 answers at its root
            "rdflib-endpoint", ["rdflib-endpoint", "serve", str(dump), "--host", "127.0.0.1",
                                "--port", str(port)], f"http://127.0.0.1:{port}/")
        try:
            # no warm-up: rdflib-endpoint evaluates on its event loop and has no time
            # limit, so a warm-up request given up on would still hold it for minutes
            outcomes.append(measure("rdflib-endpoint", send, requests, args.clients,
                                    args.baseline_seconds, warm_up=False))
        finally:
            server.stop()
    report(outcomes, calibration, args)
    return 0


def cpu_main(folder: Path, requests: list[Request], before: Path | None,
             args: argparse.Namespace) -> int:
    """``--cpu``: the servers take turns, each measured by :func:`cpu_turn`."""
    servers = ["govkg serve", "oxigraph serve"]
    if before is not None:
        servers.insert(0, f"govkg serve at {args.against}")
    costs: dict[str, dict[str, CpuCost]] = {}
    for _ in range(args.rounds):
        for name in servers:
            if name.split()[0] in args.skip:
                continue
            server, send = start_server(name, folder, args, before)
            try:
                cpu_turn(server, send, requests, args.cpu, args.cpu_requests,
                         costs.setdefault(name, {}))
            finally:
                server.stop()
    cpu_report(costs, args)
    return 0


def report(outcomes: list[Outcome], calibration: dict[str, float | None],
           args: argparse.Namespace) -> None:
    cheap = {name for name, took in calibration.items()
             if took is not None and took * 1000 < CHEAP_MS}
    summaries = [o.summary(cheap) for o in outcomes]
    (HERE / "results.json").write_text(json.dumps(
        {"councils": args.councils, "clients": args.clients, "seconds": args.seconds,
         "rounds": args.rounds, "workers": args.workers,
         "baseline_seconds": args.baseline_seconds,
         "left_out": args.leave_out, "runaway": args.runaway, "cheap": sorted(cheap),
         "calibration_ms": {
             k: None if v is None else v * 1000 for k, v in calibration.items()},
         "servers": summaries}, indent=2), encoding="utf-8")
    print("\nqueries for one council on govkg (calibration, ms): " + ", ".join(
        f"{k} {'>' + format(args.cap, 'g') + ' s' if v is None else format(v * 1000, '.0f')}"
        for k, v in sorted(calibration.items())))
    print("left out of the workload: " + (", ".join(sorted(args.leave_out)) or "none"))
    govkg = next((s for s in summaries if s["server"] == "govkg serve"), None)
    print(f"\n{args.councils} synthetic councils, {args.clients} concurrent clients; govkg "
          f"and oxigraph {args.rounds} x {args.seconds:g} s in turns, rdflib-endpoint "
          f"{args.baseline_seconds:g} s\n")
    print("| server | requests | throughput (req/s) | p50 (ms) | p95 (ms) | cheap p95 (ms) | "
          "errors | runaway answers | govkg's throughput as a multiple |")
    print("|---|---:|---:|---:|---:|---:|---|---|---:|")
    for s in summaries:
        ratio = ""
        if govkg and s is not govkg and s["throughput_rps"]:
            ratio = f"{govkg['throughput_rps'] / s['throughput_rps']:.2f}x"
        p50 = "-" if s["p50_ms"] is None else f"{s['p50_ms']:.1f}"
        p95 = "-" if s["p95_ms"] is None else f"{s['p95_ms']:.1f}"
        cheap95 = "-" if s["cheap_p95_ms"] is None else f"{s['cheap_p95_ms']:.1f}"
        print(f"| {s['server']} | {s['requests']} | {s['throughput_rps']:.2f} | {p50} | "
              f"{p95} | {cheap95} | {s['errors'] or '-'} | {s['runaway'] or '-'} | "
              f"{ratio} |")
    per_query(summaries)
    alone = next((s for s in summaries if s["server"] == "govkg serve"), None)
    loaded = next((s for s in summaries if s["server"].startswith("govkg serve +")), None)
    if alone and loaded and alone["cheap_p95_ms"] and loaded["cheap_p95_ms"]:
        print(f"\ncheap queries' p95 with {args.runaway} runaway queries against without: "
              f"{loaded['cheap_p95_ms']:.0f} ms / {alone['cheap_p95_ms']:.0f} ms = "
              f"{loaded['cheap_p95_ms'] / alone['cheap_p95_ms']:.2f}x")


def per_query(summaries: list[dict[str, Any]]) -> None:
    """Each query's median latency on each server, and oxigraph's median over govkg's
    for each (1.00x: as fast as the bare server), with their geometric mean over the
    queries both answered: the cost of govkg's service per request, which throughput
    hides when a few slow queries hold the clients (a query past govkg's time limit
    answers 503 and is not counted, where oxigraph runs it to the end)."""
    medians = {s["server"]: s["per_query_median_ms"] for s in summaries
               if not s["server"].startswith(("govkg serve +", "rdflib"))}
    oxigraph = medians.get("oxigraph serve")
    if not oxigraph:
        return
    servers = [name for name in medians if name != "oxigraph serve"]
    print("\n| query | " + " | ".join(f"{name} (ms)" for name in [*servers, "oxigraph serve"])
          + " | " + " | ".join(f"oxigraph / {name}" for name in servers) + " |")
    print("|---|" + "---:|" * (2 * len(servers) + 1))
    logs: dict[str, list[float]] = {name: [] for name in servers}
    for query in sorted(oxigraph):
        row = [medians[name].get(query) for name in servers]
        ratios = []
        for name, took in zip(servers, row, strict=True):
            if took:
                logs[name].append(math.log(oxigraph[query] / took))
                ratios.append(f"{oxigraph[query] / took:.2f}x")
            else:
                ratios.append("-")
        print(f"| {query} | " + " | ".join("-" if t is None else f"{t:.1f}" for t in row)
              + f" | {oxigraph[query]:.1f} | " + " | ".join(ratios) + " |")
    for name, values in logs.items():
        if values:
            print(f"\n{name}: oxigraph's median latency over govkg's, geometric mean over "
                  f"{len(values)} queries: {math.exp(sum(values) / len(values)):.2f}x")


if __name__ == "__main__":
    sys.exit(main())
