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

The load through govkg goes in batches (``--batch``, default 4 councils a call): one
request that moves and derives 20 councils' graphs ran past Virtuoso's transaction
time limit on this machine. It is slow (about 250 triples/s here, most of it the
per-council derivation, ``derived._per_council``), so only the first ``--govkg-councils``
councils (default 8) go that way and are timed; the rest, with their derived graphs
exactly as govkg's embedded store derives them, go in with Virtuoso's own bulk loader
(``ld_dir`` and ``rdf_loader_run`` through ``isql-vt``), so that the queries run on the
full 400 councils.
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


def start_virtuoso(folder: Path) -> tuple[Any, int]:
    """Virtuoso with a fresh database in ``folder``, as the tests start it, and its SQL
    port (for ``isql-vt``)."""
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
    return server, sql_port


def native_load(folder: Path, first: int, councils: int, sql_port: int) -> dict[str, Any]:
    """Councils ``first`` to ``councils - 1`` with their derived graphs, derived by govkg's
    embedded store, loaded by Virtuoso's own bulk loader."""
    import subprocess

    import pyoxigraph as ox

    from govkg.graph.build import build
    from govkg.graph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from govkg.graph.store import EmbeddedStore
    from govkg.graph.store.derived import VOCABULARY_GRAPH

    data = folder / "rest.nq"
    data.write_text("".join(batches(councils, councils - first, first)), encoding="utf-8")
    own = {str(ONTOLOGY_GRAPH), str(REFERENCE_GRAPH), VOCABULARY_GRAPH}
    with EmbeddedStore(folder / "embedded") as store:
        build(store, files=[])
        store.load_file(data)
        raw = store._db
        quads = [q for g in raw.named_graphs()
                 if isinstance(g, ox.NamedNode) and g.value not in own
                 for q in raw.quads_for_pattern(None, None, None, g)]
    dump = folder / "load"
    dump.mkdir()
    ox.serialize(quads, output=str(dump / "rest.nq"), format=ox.RdfFormat.N_QUADS)
    started = time.perf_counter()
    subprocess.run(["isql-vt", f"127.0.0.1:{sql_port}", "dba", "dba",
                    f"exec=ld_dir('{dump}', 'rest.nq', 'urn:govkg:unnamed'); "
                    "rdf_loader_run(); checkpoint;"], check=True, capture_output=True)
    return {"quads": len(quads), "seconds": time.perf_counter() - started}


def batches(councils: int, size: int, first: int = 0) -> list[str]:
    """Synthetic councils ``first`` to ``councils - 1`` as N-Quads texts of ``size``
    councils each."""
    from bench.synthetic import CouncilWriter, Vocabulary
    from govkg.graph.vocabulary import load_reference

    vocabulary = Vocabulary.from_reference(load_reference())
    texts = []
    for start in range(first, councils, size):
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
    parser.add_argument("--batch", type=int, default=4, help="councils per load call")
    parser.add_argument("--govkg-councils", type=int, default=8,
                        help="councils loaded (and timed) through govkg's own path")
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
    server, sql_port = start_virtuoso(work)
    result: dict[str, Any] = {"councils": args.councils}
    try:
        store = open_remote(server.url, user=server.user, password=server.password)
        build(store, files=[])
        texts = batches(min(args.govkg_councils, args.councils), args.batch)
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
                          "triples_per_s": triples / seconds,
                          "councils": min(args.govkg_councils, args.councils)}
        if args.councils > args.govkg_councils:
            result["native"] = native_load(work, args.govkg_councils, args.councils,
                                           sql_port)
            print(f"[virtuoso] bulk loaded {result['native']}", file=sys.stderr, flush=True)
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
    native = result.get("native")
    lines = [f"### Virtuoso, {result['councils']} councils",
             "",
             f"- load through govkg (`VirtuosoStore.load_file`, staging graphs, the swap and "
             f"the derivation as SPARQL updates) of the first {load['councils']} councils, "
             f"{load['triples']:,} triples: {load['seconds']:.0f} s, "
             f"{load['triples_per_s']:,.0f} triples/s",
             *([f"- the other councils with their derived graphs ({native['quads']:,} quads, "
                f"derived by the embedded store) through Virtuoso's bulk loader: "
                f"{native['seconds']:.0f} s"] if native else []),
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
