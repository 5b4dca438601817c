"""The store benchmark on Virtuoso: the path users take when one machine is not enough.

``python -m bench.store_virtuoso --councils 400`` starts Debian's Virtuoso Open Source on
127.0.0.1 with the same settings the tests use (``tests/graph/conftest.py``: its
``virtuoso.ini``, ports and ``Server`` helper), loads the ontology, the reference data
and N synthetic councils (``bench/synthetic.py``) through govkg's own store interface
(``VirtuosoStore``: staging graphs in requests of 500 triples, then one request that
moves them and derives the councils' facts), and times every named query as
``bench/run.py`` does on the embedded store: one council bound, the first page of 100
rows (council by council where the query allows it, ``graph/store/paging.py``), and the
full result. Queries are capped in time by the client (``--cap``); Virtuoso's own
``MaxQueryExecutionTime`` is 120 s.

The load goes council by council in batches (``--batch``, default 20 councils a call)
because Virtuoso's SPARQL compiler runs out of memory on one request that moves and
derives hundreds of graphs (``remote.py``, ``VirtuosoStore``).
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))


def start_virtuoso(folder: Path) -> Any:
    """Virtuoso with a fresh database in ``folder``, as the tests start it."""
    import subprocess

    from tests.graph.conftest import _VIRTUOSO_INI, Server, _command, free_port

    http_port, sql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, sql_port=sql_port, http_port=http_port))
    log = folder / "server.log"
    with log.open("wb") as out:
        process = subprocess.Popen([_command("virtuoso-t"), "+foreground", "+configfile",
                                    str(ini)], stdout=out, stderr=subprocess.STDOUT, cwd=folder)
    server = Server(f"http://127.0.0.1:{http_port}/", process, log, "dba", "dba")
    server.wait_until_ready(f"http://127.0.0.1:{http_port}/sparql")
    return server


def batches(councils: int, size: int) -> list[str]:
    """The synthetic corpus as N-Quads texts of ``size`` councils each."""
    from bench.synthetic import CouncilWriter, Vocabulary
    from govkg.graph.vocabulary import load_reference

    vocabulary = Vocabulary.from_reference(load_reference())
    texts = []
    for start in range(0, councils, size):
        out = io.StringIO()
        for i in range(start, min(councils, start + size)):
            CouncilWriter(i, vocabulary, out).write()
        texts.append(out.getvalue())
    return texts


def timed(run: Any, repeat: int, cap: float) -> dict[str, Any]:
    """Median and p95 of up to ``repeat`` runs after a warm-up, within ``cap`` seconds."""
    from bench.run import summary

    rows = -1
    started = time.perf_counter()
    try:
        rows = run()  # warm-up
    except Exception as exc:  # noqa: BLE001 - a failed query is a result to report
        return {**summary([], -1, True, cap), "error": str(exc)[:300]}
    times: list[float] = []
    while len(times) < repeat and time.perf_counter() - started < cap:
        begin = time.perf_counter()
        try:
            rows = run()
        except Exception:  # noqa: BLE001 - the client's time limit: the series stops
            break
        times.append(time.perf_counter() - begin)
    return summary(times, rows, len(times) < repeat, cap)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--batch", type=int, default=20, help="councils per load call")
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--cap", type=float, default=10.0)
    args = parser.parse_args(argv)

    from bench.run import ONE_COUNCIL, PAGE, load_queries
    from govkg.graph.build import build
    from govkg.graph.namespaces import COUNCIL
    from govkg.graph.querylib import load_queries as library
    from govkg.graph.store import SelectResult
    from govkg.graph.store.paging import councils_by_label, page_by_council, pages_by_council
    from govkg.graph.store.remote import open_remote

    work = Path(tempfile.mkdtemp(prefix="govkg-bench-virtuoso-"))
    server = start_virtuoso(work)
    result: dict[str, Any] = {"councils": args.councils}
    try:
        store = open_remote(server.url, user=server.user, password=server.password)
        build(store, files=[])
        texts = batches(args.councils, args.batch)
        started = time.perf_counter()
        triples = 0
        for number, text in enumerate(texts):
            path = work / "batch.nq"
            path.write_text(text, encoding="utf-8")
            triples += sum(store.load_file(path).values())
            print(f"[virtuoso] loaded batch {number + 1}/{len(texts)}", file=sys.stderr,
                  flush=True)
        seconds = time.perf_counter() - started
        result["load"] = {"triples": triples, "seconds": seconds,
                          "triples_per_s": triples / seconds}
        params = {name: {p.name for p in q.params} for name, q in library().items()}
        groups = councils_by_label(store)
        queries: dict[str, dict[str, Any]] = {}
        for name, (text, bindings) in load_queries().items():
            entry: dict[str, Any] = {}

            def count(answer: Any) -> int:
                return len(answer) if isinstance(answer, SelectResult) else -1

            if "council" in params[name]:
                one = {**bindings, "council": COUNCIL[ONE_COUNCIL]}
                entry["one"] = timed(lambda one=one, text=text: count(
                    store.query(text, one, timeout=args.cap)),
                                     args.repeat, args.cap)
            if pages_by_council(text):
                entry["page"] = timed(lambda text=text, bindings=bindings: count(
                    page_by_council(store, text, bindings, PAGE, 0, groups)),
                    args.repeat, args.cap)
            else:
                paged = f"{text.rstrip()}\nLIMIT {PAGE}"
                entry["page"] = timed(lambda paged=paged, bindings=bindings: count(
                    store.query(paged, bindings, timeout=args.cap)), args.repeat, args.cap)
            entry["full"] = timed(lambda text=text, bindings=bindings: count(
                store.query(text, bindings, timeout=args.cap)), args.repeat, args.cap)
            queries[name] = entry
            print(f"[virtuoso] {name}: " + ", ".join(
                f"{mode} {v['median_ms'] and round(v['median_ms'], 1)} ms"
                for mode, v in entry.items()), file=sys.stderr, flush=True)
        result["queries"] = queries
        store.close()
    finally:
        server.stop()
    out = BENCH / "results-virtuoso.json"
    out.write_text(json.dumps(result, indent=2), encoding="utf-8")
    print(report(result))
    return 0


def report(result: dict[str, Any]) -> str:
    """The Markdown table of a run, for bench/README.md."""
    from bench.run import fmt_ms

    load = result["load"]
    lines = [f"### Virtuoso, {result['councils']} councils: {load['triples']:,} triples",
             "",
             f"- load through govkg (`VirtuosoStore.load_file`, staging graphs, the swap and "
             f"the derivation as SPARQL updates): {load['seconds']:.0f} s, "
             f"{load['triples_per_s']:,.0f} triples/s",
             "",
             "| query | one council ms (p95) | first 100 rows ms (p95) | rows | full result "
             "median ms | p95 ms |",
             "|---|---:|---:|---:|---:|---:|"]
    for name, entry in result["queries"].items():
        one = entry.get("one")
        one_text = (f"{fmt_ms(one, 'median_ms', 1)} ({fmt_ms(one, 'p95_ms')})" if one
                    else "no council parameter")
        page, full = entry["page"], entry["full"]
        rows = "?" if full["rows"] < 0 else str(full["rows"])
        lines.append(f"| {name} | {one_text} | {fmt_ms(page, 'median_ms', 1)} "
                     f"({fmt_ms(page, 'p95_ms')}) | {rows} | {fmt_ms(full, 'median_ms', 1)} | "
                     f"{fmt_ms(full, 'p95_ms')} |")
    medians = [e["one"]["median_ms"] for e in result["queries"].values() if "one" in e]
    if medians and all(m is not None for m in medians):
        lines += ["", f"Median of the one-council medians: {statistics.median(medians):.1f} ms"]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
