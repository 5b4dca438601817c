"""Reliability replay: a few hundred bad inputs of every kind issue 13 names, against the
command line and a running ``govkg serve`` on 127.0.0.1.

One command, bounded in count and time (it stops by itself)::

    python -m bench.reliability [--budget 600] [--per-category 30]

It builds a small store (the API tests' made-up council), serves it with a write token,
and replays each category's inputs. It prints, per category and in all: inputs tried,
5xx answers, tracebacks (in a body or on stderr), hangs (no answer within the request
limit), unexpected outcomes (a CLI exit other than the expected one, a 2xx to a write
that must be refused), whether the store changed (a digest of its N-Quads before and
after, read by ``govkg export`` while the server holds it) and the latency of a cheap
query sampled every half second throughout (aim: under 1 s). A server that dies or
stops answering is restarted, and counted.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "api" / "data" / "testshire.trig"
TOKEN = "reliability-token"
REQUEST_LIMIT = 30.0  # seconds before a request counts as a hang
CLI_LIMIT = 60.0
GRAPH = "https://w3id.org/govkg/graph/reliability"
RESERVED = ["https://w3id.org/govkg/graph/staging/x", "https://w3id.org/govkg/graph/staging/commit",
            "https://w3id.org/govkg/graph/derived/x", "https://w3id.org/govkg/graph/ontology",
            "https://w3id.org/govkg/graph/reference"]


@dataclass
class Tally:
    """What one category's inputs did."""

    tried: int = 0
    server_errors: int = 0
    tracebacks: int = 0
    hangs: int = 0
    unexpected: int = 0
    examples: list[str] = field(default_factory=list)

    def note(self, problem: str) -> None:
        if len(self.examples) < 3:
            self.examples.append(problem[:160])


# ----------------------------------------------------------------------------- inputs

def bad_rdf() -> Iterator[tuple[str, bytes]]:
    """(suffix, content) of malformed RDF in every syntax govkg reads."""
    nt = [b'<http://e/a> <http://e/b> "x"\n', b"<http://e/a> <http://e/b> <http://e/c d> .\n",
          b'<http://e/a> <http://e/b> "unterminated .\n', b"<a> <b> <c> .\n",
          b'_:x <http://e/b> "x"@ .\n', b'<http://e/a> <http://e/b> "x"^^<bad iri> .\n']
    yield from ((".nt", body) for body in nt)
    nq = [b'<http://e/a> <http://e/b> "x" <http://e/g g> .\n',
          b'<http://e/a> <http://e/b> "x" "g" .\n', b'<http://e/a> <http://e/b> "x" <http://e/g>\n']
    yield from ((".nq", body) for body in nq)
    ttl = [b"@prefix : <http://e/> .\n:a :b :c ;;; ]\n",
           b"@prefix : <http://e/> .\n:a :b <http://e/c d> .",
           b"@prefix : <http://e/> .\n:a :b " + b"(" * 20_000 + b")" * 20_000 + b" .",
           b"@prefix : <http://e/> .\n:a :b " + b"[ :c " * 5_000 + b"1" + b" ]" * 5_000 + b" .",
           b":a :b :c .", b"@prefix : <http://e/> .\n:a :b \"\"\"never closed"]
    yield from ((".ttl", body) for body in ttl)
    trig = [b'<http://not a graph> { <http://e/a> <http://e/b> "x" . }\n',
            b'<http://e/g> { <http://e/a> <http://e/b> "x" \n',
            b'"literal" { <http://e/a> <http://e/b> "x" . }\n',
            b'<https://w3id.org/govkg/graph/staging/x> { <http://e/a> <http://e/b> "x" . }\n']
    yield from ((".trig", body) for body in trig)
    jsonld = [b'{"@context": "http://127.0.0.1:9/ctx.jsonld", "@id": "http://e/a"}',
              b'{"@context": {"@import": "http://127.0.0.1:9/c"}, "@id": "http://e/a"}',
              b'{"@context": ["http://127.0.0.1:9/c"], "@id": "http://e/a"}',
              b'{"http://e/p": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", b'{"@id": ',
              b"\xff\xfe{}"]
    yield from ((".jsonld", body) for body in jsonld)


def odd_encodings() -> Iterator[tuple[str, bytes]]:
    text = '@prefix : <http://e/> .\n:a :b "caf\u00e9" .\n'
    yield ".ttl", text.encode("utf-16")
    yield ".ttl", text.encode("latin-1")
    yield ".ttl", b"\xef\xbb\xbf" + text.encode()
    yield ".ttl", b"\x00" * 1000
    yield ".nt", os.urandom(4096)


XML_BOMB = (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
            + b"".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">'.encode()
                       for i in range(8))
            + b']><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
              b'xmlns:e="http://e/"><rdf:Description rdf:about="http://e/a"><e:p>&i;</e:p>'
              b"</rdf:Description></rdf:RDF>")

INJECTIONS = ['x" } ; DROP ALL ; #', "x> } DELETE WHERE { ?s ?p ?o } #", "' OR 1=1 --",
              "http://e/a> ?p ?o } #", "kent-county-council\n} ; CLEAR ALL", "${jndi:ldap://x}",
              "<script>alert(1)</script>", "../../etc/passwd", "%00", "\u202e", "a" * 3000,
              "council/../../x", "E10000016' UNION SELECT", "?council", "\\u0022"]
#: values that name nothing (a label's unique start, such as ``whistle``, names its topic)
NONSENSE = {"council": ["kent-ccc", "nonsense", "narnia", "E00000000"],
            "topic": ["nonsense", "qqq", "risk-managment", "42"],
            "role": ["chief-cook", "zzz"], "item": ["2016:G.7", "9.9.9", "F.99"]}
NESTED = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
UNION = "SELECT * WHERE { " + " UNION ".join(f"{{ ?s ?p {i} }}" for i in range(20_000)) + " }"
ORS = "SELECT * WHERE { ?s ?p ?o FILTER(" + " || ".join(f"?o = {i}" for i in range(20_000)) + ") }"


# ----------------------------------------------------------------------------- machinery

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``govkg serve`` in a subprocess; restartable."""

    def __init__(self, store: Path) -> None:
        self.store = store
        self.restarts = 0
        self.process: subprocess.Popen[bytes] | None = None
        self.url = ""

    def start(self) -> None:
        port = free_port()
        env = {**os.environ, "GOVKG_WRITE_TOKEN": TOKEN, "GOVKG_QUERY_TIMEOUT": "10"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "govkg.graph", "serve", "--store", str(self.store), "--port",
             str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.healthy(2):
                return
            time.sleep(0.3)
        raise SystemExit("govkg serve did not start within 90 s")

    def healthy(self, timeout: float = 5) -> bool:
        if self.process is None or self.process.poll() is not None:
            return False
        try:
            return httpx.get(f"{self.url}/sparql", params={"query": "ASK {}"},
                             timeout=timeout).is_success
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def ensure(self) -> bool:
        """Restart a dead or stuck server; True if it had to."""
        if self.healthy():
            return False
        self.stop()
        self.restarts += 1
        self.start()
        return True


class Sampler(threading.Thread):
    """Times a cheap query every half second while the replay runs."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server = server
        self.latencies: list[float] = []
        self.failures = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=REQUEST_LIMIT) as client:
            while not self.stopping.wait(0.5):
                started = time.monotonic()
                try:
                    ok = client.get(f"{self.server.url}/queries/crosswalk",
                                    params={"item": "2016:F.1"}).is_success
                except httpx.HTTPError:
                    ok = False
                if ok:
                    self.latencies.append(time.monotonic() - started)
                else:
                    self.failures += 1


def govkg(*args: str, env: dict[str, str] | None = None) -> tuple[int | None, str]:
    """Run the CLI; (exit status or None on a hang, stderr)."""
    try:
        done = subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                              text=True, timeout=CLI_LIMIT, env={**os.environ, **(env or {})},
                              check=False)
    except subprocess.TimeoutExpired:
        return None, ""
    return done.returncode, done.stderr


def digest(store: Path) -> str:
    """The store's content, read by the CLI (read-only while the server holds it)."""
    status, _ = govkg("stats", "--store", str(store))
    done = subprocess.run([sys.executable, "-m", "govkg.graph", "export", "--store", str(store),
                           "--format", "nq"], capture_output=True, timeout=300, check=False)
    if status != 0 or done.returncode != 0:
        raise SystemExit(f"cannot read the store for its digest: {done.stderr[-500:]!r}")
    return hashlib.sha256(b"".join(sorted(done.stdout.splitlines()))).hexdigest()


# ----------------------------------------------------------------------------- categories

Check = Callable[[Tally], None]


def cli_case(tally: Tally, args: list[str], expect: set[int],
             env: dict[str, str] | None = None) -> None:
    tally.tried += 1
    status, stderr = govkg(*args, env=env)
    if status is None:
        tally.hangs += 1
        tally.note(f"hang: {args}")
    elif "Traceback" in stderr:
        tally.tracebacks += 1
        tally.note(f"traceback: {args}: {stderr.strip().splitlines()[-1]}")
    elif status not in expect:
        tally.unexpected += 1
        tally.note(f"exit {status}: {args}: {stderr.strip()[:100]}")


def http_case(tally: Tally, client: httpx.Client, method: str, path: str, *,
              expect: Callable[[int], bool], **kwargs: object) -> None:
    tally.tried += 1
    try:
        response = client.request(method, path, **kwargs)  # type: ignore[arg-type]
    except httpx.TimeoutException:
        tally.hangs += 1
        tally.note(f"hang: {method} {path}")
        return
    except httpx.HTTPError as exc:
        tally.server_errors += 1
        tally.note(f"no answer ({type(exc).__name__}): {method} {path}")
        return
    if response.status_code >= 500:
        tally.server_errors += 1
        tally.note(f"{response.status_code}: {method} {path}: {response.text[:80]}")
    if "Traceback" in response.text:
        tally.tracebacks += 1
    if response.status_code < 500 and not expect(response.status_code):
        tally.unexpected += 1
        tally.note(f"{response.status_code}: {method} {path}")


def refused(status: int) -> bool:
    return 400 <= status < 500


def categories(work: Path, store: Path, limit: int) -> dict[str, tuple[str, Callable[..., None]]]:
    """name -> (where: cli or http, function running its inputs)."""
    auth = {"authorization": f"Bearer {TOKEN}"}
    media = {".nt": "application/n-triples", ".ttl": "text/turtle",
             ".jsonld": "application/ld+json"}
    drafts = {".ttl": "text/turtle", ".trig": "application/trig", ".jsonld": "application/ld+json"}

    def files(cases: Iterator[tuple[str, bytes]], stem: str) -> list[Path]:
        paths = []
        for i, (suffix, body) in enumerate(cases):
            path = work / f"{stem}-{i}{suffix}"
            path.write_bytes(body)
            paths.append(path)
        return paths[:limit]

    def cli_malformed(tally: Tally) -> None:
        for path in files(bad_rdf(), "bad"):
            cli_case(tally, ["validate", str(path), "--store", str(store)], {2})
            cli_case(tally, ["build", str(path), "--store", str(work / "scratch-store")], {2})

    def cli_encoded(tally: Tally) -> None:
        for path in files(odd_encodings(), "odd"):
            cli_case(tally, ["validate", str(path), "--store", str(store)], {0, 1, 2})
        huge = work / "huge.ttl"
        with huge.open("wb") as out:
            out.write(b"@prefix : <http://e/> .\n")
            out.write(b":a :b " + b'"' + b"x" * (3 * 1024 * 1024) + b'" .\n')
        cli_case(tally, ["validate", str(huge), "--store", str(store)], {2},
                 env={"GOVKG_MAX_FILE_BYTES": str(1024 * 1024)})

    def cli_paths(tally: Tally) -> None:
        fifo, fifo_rq = work / "pipe.ttl", work / "pipe.rq"
        for pipe in (fifo, fifo_rq):
            if not pipe.exists():
                os.mkfifo(pipe)
        zero = work / "zero.ttl"
        zero_rq = work / "zero.rq"
        for link in (zero, zero_rq):
            if not link.is_symlink():
                link.symlink_to("/dev/zero")
        folder = work / "folder.ttl"
        folder.mkdir(exist_ok=True)
        afile = work / "a-file"
        afile.write_text("not a store")
        for path in (fifo, zero, folder, Path("/dev/null"), Path("/proc/self/mem")):
            cli_case(tally, ["validate", str(path), "--store", str(store)], {2})
        for path in (zero_rq, fifo_rq, folder):
            cli_case(tally, ["query", "--file", str(path), "--store", str(store)], {2})
        cli_case(tally, ["export", "--store", str(store), "-o", str(work)], {2})
        cli_case(tally, ["validate", "--store", str(store), "-f", "json", "-o", str(work)], {2})
        for command in (["stats"], ["export"], ["query", "--sparql", "ASK {}"], ["validate"]):
            cli_case(tally, [*command, "--store", str(afile)], {2})
        cli_case(tally, ["build", "--store", str(store)], {2})  # served: writing is refused

    def cli_queries(tally: Tally) -> None:
        for i, text in enumerate((NESTED, UNION, ORS, "SELECT * WHERE {", "ASK { ?s ?p ?o ")):
            if len(text) < 100_000:  # a longer one does not fit in an argument
                cli_case(tally, ["query", "--sparql", text, "--store", str(store)], {2})
            path = work / f"query-{i}.rq"
            path.write_text(text, encoding="utf-8")
            cli_case(tally, ["query", "--file", str(path), "--store", str(store)], {2})
        for name, values in NONSENSE.items():
            query = {"council": "statutory-officers", "topic": "topic-owners",
                     "role": "statutory-officers", "item": "crosswalk"}[name]
            for value in values:
                cli_case(tally, ["query", query, "-p", f"{name}={value}", "--store", str(store)],
                         {2})
        for value in INJECTIONS[:8]:
            cli_case(tally, ["query", "topic-owners", "-p", f"topic={value}", "--store",
                             str(store)], {2})

    def http_bodies(tally: Tally, client: httpx.Client) -> None:
        for suffix, body in bad_rdf():
            if suffix in media:
                http_case(tally, client, "PUT", "/rdf-graph-store", params={"graph": GRAPH},
                          content=body, headers={"content-type": media[suffix], **auth},
                          expect=refused)
            if suffix in drafts:
                http_case(tally, client, "POST", "/validate", content=body,
                          headers={"content-type": drafts[suffix]}, expect=refused)
        for target in ("/rdf-graph-store?graph=" + GRAPH, "/validate"):
            http_case(tally, client, "POST" if target == "/validate" else "PUT", target,
                      content=XML_BOMB, headers={"content-type": "application/rdf+xml", **auth},
                      expect=refused)

    def http_reserved(tally: Tally, client: httpx.Client) -> None:
        body = b'<http://e/a> <http://e/b> "x" .'
        for graph in RESERVED:
            for method in ("PUT", "POST", "DELETE"):
                http_case(tally, client, method, "/rdf-graph-store", params={"graph": graph},
                          content=body if method != "DELETE" else None,
                          headers={"content-type": "text/turtle", **auth}, expect=refused)

    def http_unauthorised(tally: Tally, client: httpx.Client) -> None:
        body = b'<http://e/a> <http://e/b> "x" .'
        for headers in ({}, {"authorization": "Bearer wrong"}, {"authorization": TOKEN},
                        {"authorization": f"Basic {TOKEN}"}):
            for method in ("PUT", "POST", "DELETE"):
                http_case(tally, client, method, "/rdf-graph-store", params={"graph": GRAPH},
                          content=body if method != "DELETE" else None,
                          headers={"content-type": "text/turtle", **headers}, expect=refused)
            http_case(tally, client, "POST", "/sparql", data={"update": "DROP ALL"},
                      headers=headers, expect=refused)

    def http_parameters(tally: Tally, client: httpx.Client) -> None:
        for value in INJECTIONS:
            for query, name in (("topic-owners", "topic"), ("statutory-officers", "council"),
                                ("crosswalk", "item")):
                http_case(tally, client, "GET", f"/queries/{query}", params={name: value},
                          expect=refused)
        for name, values in NONSENSE.items():
            query = {"council": "statutory-officers", "topic": "topic-owners",
                     "role": "statutory-officers", "item": "crosswalk"}[name]
            for value in values:
                http_case(tally, client, "GET", f"/queries/{query}", params={name: value},
                          expect=lambda status: status == 400)

    def http_paths(tally: Tally, client: httpx.Client) -> None:
        for path in ("/docs/index.html%00", "/docs/%00", "/docs/..%2f..%2fetc%2fpasswd",
                     "/docs/../../etc/passwd", "/dumps/%00", "/id/%00", "/def/%00",
                     "/queries/%00", "/councils/%00/validation", "/docs/" + "a" * 5000):
            http_case(tally, client, "GET", path, expect=refused)

    def http_federation(tally: Tally, client: httpx.Client) -> None:
        own = f"{client.base_url}sparql"
        for text in (f"SELECT * WHERE {{ SERVICE <{own}> {{ ?s ?p ?o }} }}",
                     "SELECT * WHERE { SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o } }",
                     "SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }",
                     "SELECT * FROM NAMED <http://e/g> WHERE { GRAPH ?g { ?s ?p ?o } }"):
            http_case(tally, client, "GET", "/sparql", params={"query": text},
                      expect=lambda status: status in (200, 400))

    def http_heavy_queries(tally: Tally, client: httpx.Client) -> None:
        for text in (NESTED, UNION, ORS):
            http_case(tally, client, "POST", "/sparql", content=text.encode(),
                      headers={"content-type": "application/sparql-query"}, expect=refused)

    return {"cli: malformed RDF (build, validate)": ("cli", cli_malformed),
            "cli: odd encodings, over the size limit": ("cli", cli_encoded),
            "cli: device, FIFO, folder, file-as-store, served store": ("cli", cli_paths),
            "cli: nested/huge queries, bad parameters": ("cli", cli_queries),
            "http: malformed bodies, JSON-LD @import, XML entities": ("http", http_bodies),
            "http: reserved graph names (with the token)": ("http", http_reserved),
            "http: unauthorised writes": ("http", http_unauthorised),
            "http: injection and nonsense in parameters": ("http", http_parameters),
            "http: %00 and traversal paths": ("http", http_paths),
            "http: SERVICE and FROM": ("http", http_federation),
            "http: nested-brace and huge-UNION queries": ("http", http_heavy_queries)}


# ----------------------------------------------------------------------------- main

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=900, help="stop after this many s")
    parser.add_argument("--per-category", type=int, default=40,
                        help="at most this many files per CLI category")
    args = parser.parse_args()
    from govkg.graph.build import build
    from govkg.graph.store import EmbeddedStore

    work = Path(tempfile.mkdtemp(prefix="govkg-reliability-"))
    store = work / "store"
    with EmbeddedStore(store) as opened:
        build(opened, [FIXTURE])
    server = Server(store)
    server.start()
    sampler = Sampler(server)
    started = time.monotonic()
    tallies: dict[str, Tally] = {}
    try:
        before = digest(store)
        sampler.start()
        with httpx.Client(base_url=server.url, timeout=REQUEST_LIMIT) as client:
            for name, (where, run) in categories(work, store, args.per_category).items():
                if time.monotonic() - started > args.budget:
                    print(f"budget spent; skipped: {name}", file=sys.stderr)
                    continue
                tally = tallies[name] = Tally()
                if where == "cli":
                    run(tally)
                else:
                    client.base_url = httpx.URL(server.url)
                    run(tally, client)
                if server.ensure():
                    tally.note("the server died or stopped answering; restarted")
                print(f"{name}: {tally.tried} tried", file=sys.stderr)
        sampler.stopping.set()
        sampler.join(timeout=REQUEST_LIMIT + 5)
        after = digest(store)
    finally:
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    report(tallies, before != after, sampler, server.restarts, time.monotonic() - started)


def report(tallies: dict[str, Tally], changed: bool, sampler: Sampler, restarts: int,
           elapsed: float) -> None:
    print("| category | tried | 5xx | tracebacks | hangs | unexpected |")
    print("|---|---:|---:|---:|---:|---:|")
    total = Tally()
    for name, tally in tallies.items():
        print(f"| {name} | {tally.tried} | {tally.server_errors} | {tally.tracebacks} | "
              f"{tally.hangs} | {tally.unexpected} |")
        for field_name in ("tried", "server_errors", "tracebacks", "hangs", "unexpected"):
            setattr(total, field_name, getattr(total, field_name) + getattr(tally, field_name))
    print(f"| **all** | {total.tried} | {total.server_errors} | {total.tracebacks} | "
          f"{total.hangs} | {total.unexpected} |")
    print()
    print(f"store changed: {'YES' if changed else 'no'}; server restarts: {restarts}; "
          f"{elapsed:.0f} s in all")
    lat = sorted(sampler.latencies)
    if lat:
        p95 = lat[min(len(lat) - 1, int(0.95 * len(lat)))]
        print(f"cheap query (/queries/crosswalk?item=2016:F.1), {len(lat)} samples: median "
              f"{statistics.median(lat) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max "
              f"{lat[-1] * 1000:.0f} ms, over 1 s: {sum(x > 1 for x in lat)}; "
              f"failed: {sampler.failures}")
    for name, tally in tallies.items():
        for example in tally.examples:
            print(f"  {name}: {example}")


if __name__ == "__main__":
    main()
