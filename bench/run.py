"""govkg's store benchmark: one command, every figure of issue C's aims.

For each size (400 and 2,000 synthetic councils by default) it generates the corpus
(``bench/synthetic.py``), then measures, each in a fresh subprocess so that ``ru_maxrss``
is that measurement's own peak memory:

1. ``load``: bulk load into a new on-disk embedded store (``EmbeddedStore.load_file``),
   after the ontology and reference data; triples per second. ``raw-load`` loads the
   same file with pyoxigraph's bulk loader alone, the engine's ceiling on this machine.
2. ``query``: every named query in ``queries/`` (with its default parameters; the
   representative queries in ``bench/queries/`` when that folder is empty) on the
   on-disk store, one process per query: median and p95 latency over the repetitions,
   after one warm-up run; a query still running at the cap is killed.
3. ``rdflib``: the same queries on a plain in-memory ``rdflib.Dataset`` (union default
   graph), the baseline. rdflib is slow and large (about 1.5 KB and 40 us per quad
   here), so its fill and each query are capped in time, and its fill in memory;
   a capped figure is reported as ">X".

Usage: ``python -m bench.run [--councils 400 2000] [--repeat 10] [--cap 10]``;
``python -m bench.run --report bench/results.json`` prints an earlier run's tables;
``python -m bench.run --councils 2000 --load-only`` measures the two loads alone.
Prints a Markdown table per size, for bench/README.md, and writes ``bench/results.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import FrameType
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent


# ----------------------------------------------------------------------- the queries


def load_queries() -> dict[str, tuple[str, dict[str, Any]]]:
    """Name -> (SPARQL text, default bindings as rdflib terms)."""
    from govkg.graph import paths

    named = paths.data_files(paths.queries_dir(), ".rq")
    if named:
        from govkg.graph.querylib import load_queries as library

        return {name: (query.text, query.bindings()) for name, query in library().items()}
    return {path.stem: (path.read_text(encoding="utf-8"), {})
            for path in sorted((BENCH / "queries").glob("*.rq"))}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def cpu_s() -> float:
    """This process's CPU time (all its threads): on a machine shared with other work,
    steadier than the wall time, which waits for the other processes."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def background_cpu_s(quiet: float = 3.0, limit: float = 600.0) -> float:
    """The CPU this process spends after a load while its own Python code waits: RocksDB's
    background work (compacting the files a load ingested), which a load leaves running
    after its call returns. pyoxigraph's one bulk_load call ingests all its files at the
    end and returns; chunked loads pay for their compactions during the load. Counting
    both until the store is at rest (no CPU for ``quiet`` seconds) compares the same work."""
    started = last = cpu_s()
    waited = still = 0.0
    while still < quiet and waited < limit:
        time.sleep(0.5)
        waited += 0.5
        now = cpu_s()
        still = still + 0.5 if now - last < 0.02 else 0.0
        last = now
    return last - started


class Capped(BaseException):  # noqa: N818 - not an error: a measurement hit its time cap
    """Raised by the alarm; a BaseException, so no ``except Exception`` swallows it (and
    not TimeoutError, which is an OSError that the store turns into a StoreError)."""


def latencies(run: Any, repeat: int, cap: float) -> tuple[list[float], int, bool]:
    """Run ``run`` up to ``repeat`` times within ``cap`` seconds in total; a run still
    going at the cap is interrupted (SIGALRM) and the figure reported as capped."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise Capped

    previous = signal.signal(signal.SIGALRM, interrupt)
    times: list[float] = []
    rows = -1
    capped = False
    started = time.perf_counter()
    try:
        for _ in range(repeat):
            left = cap - (time.perf_counter() - started)
            if left <= 0:
                break
            signal.setitimer(signal.ITIMER_REAL, left)
            begin = time.perf_counter()
            try:
                rows = run()
            except Capped:
                capped = True
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - begin)
    finally:
        signal.signal(signal.SIGALRM, previous)
    return times, rows, capped


def summary(times: list[float], rows: int, capped: bool, cap: float) -> dict[str, Any]:
    if not times:
        return {"median_ms": None, "p95_ms": None, "runs": 0, "rows": rows, "capped": capped,
                "cap_s": cap}
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000,
            "runs": len(times), "rows": rows, "capped": capped, "cap_s": cap}


# ----------------------------------------------------------------------- measurements
# Each runs in its own subprocess (``python -m bench.run --measure NAME ...``) and prints
# one JSON object.


def measure_load(data: Path, store_dir: Path, index: bool = True) -> dict[str, Any]:
    from govkg.graph.build import build
    from govkg.graph.store import EmbeddedStore, events

    with EmbeddedStore(store_dir) as store:
        build(store, files=[])  # ontology and reference data, as a real store has
        # The store's load (documents and derived facts, one change) is timed apart from
        # the search index that a write then refreshes (graph/search.py, told by
        # graph/store/events.py): that index is another component, timed after it.
        listeners, events.LISTENERS[:] = list(events.LISTENERS), []
        try:
            cpu, started = cpu_s(), time.perf_counter()
            counts = store.load_file(data)
            seconds, cpu = time.perf_counter() - started, cpu_s() - cpu
        finally:
            events.LISTENERS[:] = listeners
        background = background_cpu_s()
        index_seconds = None
        if index:
            index_started = time.perf_counter()
            events.announce(store, list(counts))
            index_seconds = time.perf_counter() - index_started
        triples = sum(counts.values())
        stored = store.triple_count()
    return {"triples_in_file": triples, "triples_stored": stored, "graphs": len(counts),
            "seconds": seconds, "cpu_s": cpu, "background_cpu_s": background,
            "triples_per_s": triples / seconds, "search_index_s": index_seconds,
            "peak_mb": peak_mb()}


#: The council bound in the one-council measurements: one with an external review.
ONE_COUNCIL = "synthetic-council-0003"
#: The first page of an all-council result, as the API pages it.
PAGE = 100
MODES = ("one", "page", "full")


def query_in_mode(name: str, mode: str) -> tuple[str, dict[str, Any]] | None:
    """A named query's text and bindings for a mode: ``one`` (one council bound; None
    for a query without a council parameter), ``page`` (all councils, the first 100 rows)
    or ``full`` (all councils, every row)."""
    from govkg.graph.namespaces import COUNCIL

    text, bindings = load_queries()[name]
    if mode == "one":
        from govkg.graph.querylib import load_queries as library

        if "council" not in {p.name for p in library()[name].params}:
            return None
        return text, {**bindings, "council": COUNCIL[ONE_COUNCIL]}
    if mode == "page":
        return f"{text.rstrip()}\nLIMIT {PAGE}", bindings
    return text, bindings


def dump_derived(store_dir: Path, out: Path) -> int:
    """Write the store's derived graphs to N-Quads, so the rdflib baseline holds the
    same data the on-disk store answers from."""
    import pyoxigraph as ox

    from govkg.graph.store.derived import is_derived

    store = ox.Store.read_only(str(store_dir))
    quads = [q for g in store.named_graphs() if isinstance(g, ox.NamedNode) and is_derived(g.value)
             for q in store.quads_for_pattern(None, None, None, g)]
    ox.serialize(quads, output=str(out), format=ox.RdfFormat.N_QUADS)
    return len(quads)


def measure_query(store_dir: Path, name: str, repeat: int, cap: float,
                  mode: str = "full") -> dict[str, Any]:
    """One query on the on-disk store. Oxigraph evaluates in Rust, where no signal can
    stop it, so the driver runs each query in its own process and kills it at the cap."""
    from govkg.graph.store import EmbeddedStore, SelectResult

    chosen = query_in_mode(name, mode)
    assert chosen is not None
    text, bindings = chosen
    from govkg.graph.store.paging import councils_by_label, page_query, pageable

    with EmbeddedStore(store_dir) as store:
        paged = mode == "page" and pageable(load_queries()[name][0])
        # the councils in label order, which the API keeps until the store changes
        groups = councils_by_label(store) if paged else None

        def run() -> int:
            if paged:
                # as the API pages it (graph/store/paging.py): council by council, or
                # score by score, and then the page as a query
                result = store.query(page_query(store, load_queries()[name][0], bindings,
                                                PAGE, 0, groups))
            else:
                result = store.query(text, bindings)
            return len(result) if isinstance(result, SelectResult) else -1

        _, rows, capped = latencies(run, 1, cap)  # warm-up: caches, the OS page cache
        if capped:  # the timed runs would only hit the cap again
            result = summary([], rows, True, cap)
        else:
            result = summary(*latencies(run, repeat, cap), cap)
    return {**result, "peak_mb": peak_mb()}


def measure_raw_load(data: Path, store_dir: Path) -> dict[str, Any]:
    """The engine's own ceiling: pyoxigraph's bulk loader reading the file itself,
    without govkg's journal, graph checks and per-quad Python."""
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    cpu, started = cpu_s(), time.perf_counter()
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_QUADS)
    store.flush()
    seconds, cpu = time.perf_counter() - started, cpu_s() - cpu
    background = background_cpu_s()
    triples = len(store)
    return {"seconds": seconds, "cpu_s": cpu, "background_cpu_s": background,
            "triples_per_s": triples / seconds, "peak_mb": peak_mb()}


def measure_rdflib(data: Path, repeat: int, cap: float, fill_cap: float,
                   memory_cap_mb: float, extra: Path | None = None) -> dict[str, Any]:
    import pyoxigraph as ox
    from rdflib import Dataset, URIRef

    from govkg.graph.namespaces import ONTOLOGY_GRAPH, REFERENCE_GRAPH
    from govkg.graph.store.terms import from_ox
    from govkg.graph.vocabulary import load_ontology, load_reference

    dataset = Dataset(default_union=True)
    dataset.graph(ONTOLOGY_GRAPH).__iadd__(load_ontology())
    dataset.graph(REFERENCE_GRAPH).__iadd__(load_reference())
    terms: dict[Any, Any] = {}
    graphs: dict[str, Any] = {}
    stopped = ""
    started = time.perf_counter()
    count = 0
    files = [data, *([extra] if extra is not None else [])]
    for quad in (q for f in files for q in ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS)):
        name = quad.graph_name.value
        if name not in graphs:
            graphs[name] = dataset.graph(URIRef(name))
        s, p, o = (terms.get(t) or terms.setdefault(t, from_ox(t))
                   for t in (quad.subject, quad.predicate, quad.object))
        graphs[name].add((s, p, o))
        count += 1
        if count % 50_000 == 0:
            if time.perf_counter() - started > fill_cap:
                stopped = f"fill stopped at its time cap of {fill_cap:g} s"
            elif peak_mb() > memory_cap_mb:
                stopped = f"fill stopped at its memory cap of {memory_cap_mb:g} MB"
            if stopped:
                break
    fill = {"seconds": time.perf_counter() - started, "quads": count, "stopped": stopped,
            "triples_per_s": count / (time.perf_counter() - started)}
    results = {}
    if not stopped:
        for name, (text, bindings) in load_queries().items():

            def run(text: str = text, bindings: dict[str, Any] = bindings) -> int:
                result = dataset.query(text, initBindings=bindings)
                return len(list(result)) if result.type == "SELECT" else -1

            results[name] = summary(*latencies(run, repeat, cap), cap)
    return {"fill": fill, "queries": results, "peak_mb": peak_mb()}


# ----------------------------------------------------------------------- the driver


def child(*args: str, timeout: float | None = None) -> dict[str, Any] | None:
    """Run one measurement in a fresh process; None if it ran past ``timeout``."""
    command = [sys.executable, "-m", "bench.run", "--measure", *args]
    try:
        done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return None
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def fmt_ms(entry: dict[str, Any] | None, key: str, repeat: int | None = None) -> str:
    """A latency; ">cap" when not one run finished; "(k runs)" when the cap cut the series."""
    if not entry:
        return "not run"
    if entry[key] is None:
        return f">{entry['cap_s'] * 1000:,.0f}"
    value = f"{entry[key]:.1f}" if entry[key] < 100 else f"{entry[key]:,.0f}"
    if entry["capped"] and repeat is not None:
        value += f" ({entry['runs']} run{'s' if entry['runs'] != 1 else ''})"
    return value


def rest(load: dict[str, Any]) -> float:
    """A load's CPU with the background work it left (:func:`background_cpu_s`)."""
    return float(load["cpu_s"] + load["background_cpu_s"])


def load_line(load: dict[str, Any]) -> str:
    """The bulk load's figures against pyoxigraph's own bulk_load of the same file."""
    return (
        f"- bulk load into the on-disk store: {load['seconds']:.1f} s, "
        f"**{load['triples_per_s']:,.0f} triples/s**, peak memory {load['peak_mb']:,.0f} MB "
        f"(pyoxigraph's own bulk_load of the same file, for comparison: "
        f"{load['raw']['triples_per_s']:,.0f} triples/s, {load['raw']['peak_mb']:,.0f} MB: "
        f"**{load['triples_per_s'] / load['raw']['triples_per_s']:.2f}x**"
        + (f"; CPU time {load['cpu_s']:.1f} s against {load['raw']['cpu_s']:.1f} s: "
           f"**{load['raw']['cpu_s'] / load['cpu_s']:.2f}x**" if "cpu_s" in load else "")
        + (f"; with the CPU each spent after its call until the store was at rest "
           f"(RocksDB compacting what was ingested), {rest(load):.1f} s against "
           f"{rest(load['raw']):.1f} s: **{rest(load['raw']) / rest(load):.2f}x**"
           if "background_cpu_s" in load else "")
        + f"); the load also derived {load.get('derived_quads', 0):,} quads of facts "
        "(docs/store.md)"
        + (f"; the search index then took {load['search_index_s']:.1f} s to follow "
           "(graph/search.py, not part of the store's load)"
           if load.get("search_index_s") is not None else ""))


def report(councils: int, load: dict[str, Any], oxigraph: dict[str, Any],
           baseline: dict[str, Any]) -> str:
    lines = [
        f"### {councils} councils: {load['triples_in_file']:,} triples in "
        f"{load['graphs']:,} graphs",
        "",
        load_line(load),
        f"- queries on the on-disk store: peak memory {oxigraph['peak_mb']:,.0f} MB",
        f"- rdflib baseline: filled {baseline['fill']['quads']:,} quads in "
        f"{baseline['fill']['seconds']:.0f} s ({baseline['fill']['triples_per_s']:,.0f}/s), "
        f"peak memory {baseline['peak_mb']:,.0f} MB"
        + (f"; **{baseline['fill']['stopped']}**, so no rdflib query figures"
           if baseline["fill"]["stopped"] else ""),
        "",
        "| query | one council ms (p95) | first 100 rows ms (p95) | rows | full result "
        "median ms | p95 ms | rdflib median ms | speed-up |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, ours in oxigraph["queries"].items():
        one = oxigraph.get("one", {}).get(name)
        page = oxigraph.get("page", {}).get(name)
        one_text = (f"{fmt_ms(one, 'median_ms', 1)} ({fmt_ms(one, 'p95_ms')})" if one
                    else "no council parameter")
        page_text = (f"{fmt_ms(page, 'median_ms', 1)} ({fmt_ms(page, 'p95_ms')})" if page
                     else "not run")
        theirs = baseline["queries"].get(name)
        ratio = "n/a"  # both ran past the cap, or rdflib was not run
        if theirs and ours["median_ms"]:
            if theirs["median_ms"] is None:
                ratio = f">{theirs['cap_s'] * 1000 / ours['median_ms']:,.1f}x"
            else:
                ratio = f"{theirs['median_ms'] / ours['median_ms']:,.1f}x"
        elif theirs and theirs["median_ms"]:  # rdflib finished, Oxigraph did not
            ratio = f"<{theirs['median_ms'] / (ours['cap_s'] * 1000):,.2f}x"
        rows = str(ours["rows"])
        if theirs and theirs["runs"] and theirs["rows"] != ours["rows"]:
            rows += f" (rdflib: {theirs['rows']})"
        if ours["rows"] < 0:
            rows = "?" if not theirs or not theirs["runs"] else f"? (rdflib: {theirs['rows']})"
        lines.append(f"| {name} | {one_text} | {page_text} | {rows} | "
                     f"{fmt_ms(ours, 'median_ms', 1)} | "
                     f"{fmt_ms(ours, 'p95_ms')} | {fmt_ms(theirs, 'median_ms', 1)} | {ratio} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--councils", type=int, nargs="+", default=[400, 2000])
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query")
    parser.add_argument("--cap", type=float, default=10.0,
                        help="seconds per query (all its timed runs), on each engine")
    parser.add_argument("--fill-cap", type=float, default=600.0,
                        help="seconds to fill the rdflib baseline")
    parser.add_argument("--memory-cap", type=float, default=8000.0,
                        help="MB the rdflib baseline may grow to while filling")
    parser.add_argument("--no-rdflib", action="store_true",
                        help="skip the rdflib baseline (at 2,000 councils it outgrows memory)")
    parser.add_argument("--no-index", action="store_true",
                        help="do not time the search index's refresh after the load")
    parser.add_argument("--out", type=Path, default=None,
                        help="where the raw figures go (default bench/results.json; with "
                        "--load-only, nowhere unless given)")
    parser.add_argument("--load-only", action="store_true",
                        help="measure the bulk load and pyoxigraph's own bulk_load only "
                        "(their CPU, wall time and peak memory), not the queries")
    parser.add_argument("--report", type=Path, metavar="RESULTS.json",
                        help="print the tables of an earlier run's results, measuring nothing")
    parser.add_argument("--measure", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.report:
        earlier = json.loads(args.report.read_text(encoding="utf-8"))
        for councils, result in earlier.items():
            print(report(int(councils), result["load"], result["query"], result["rdflib"]))
            print()
        return 0

    if args.measure:  # one measurement, in this fresh process
        kind, *rest = args.measure
        if kind == "load":
            result = measure_load(Path(rest[0]), Path(rest[1]), rest[2:] != ["no-index"])
        elif kind == "raw-load":
            result = measure_raw_load(Path(rest[0]), Path(rest[1]))
        elif kind == "query":
            result = measure_query(Path(rest[0]), rest[1], int(rest[2]), float(rest[3]),
                                   rest[4] if len(rest) > 4 else "full")
        elif kind == "dump-derived":
            result = {"quads": dump_derived(Path(rest[0]), Path(rest[1]))}
        else:
            result = measure_rdflib(Path(rest[0]), int(rest[1]), float(rest[2]),
                                    float(rest[3]), float(rest[4]),
                                    Path(rest[5]) if len(rest) > 5 else None)
        print(json.dumps(result))
        return 0

    from bench.synthetic import generate

    all_results = {}
    reports = []
    for councils in args.councils:
        work = Path(tempfile.mkdtemp(prefix=f"govkg-bench-{councils}-"))
        try:
            data = work / "corpus.nq"
            with data.open("w", encoding="utf-8") as out:
                generate(councils, out)
            store = work / "store"
            print(f"[{councils}] loading", file=sys.stderr, flush=True)
            load = child("load", str(data), str(store),
                         *(["no-index"] if args.no_index else []))
            raw = child("raw-load", str(data), str(work / "raw"))
            assert load is not None and raw is not None
            load["raw"] = raw
            shutil.rmtree(work / "raw")
            if args.load_only:
                dumped = child("dump-derived", str(store), str(work / "derived.nq"))
                assert dumped is not None
                load["derived_quads"] = dumped["quads"]
                all_results[councils] = {"load": load}
                print(f"{councils} councils: {load['triples_in_file']:,} triples in "
                      f"{load['graphs']:,} graphs\n{load_line(load)}", flush=True)
                continue
            print(f"[{councils}] querying the on-disk store", file=sys.stderr, flush=True)
            oxigraph: dict[str, Any] = {"queries": {}, "one": {}, "page": {}, "peak_mb": 0.0}
            for name in load_queries():
                for mode in MODES:
                    if query_in_mode(name, mode) is None:
                        continue
                    # the warm-up and the timed runs each get the cap, plus time to open
                    measured = child("query", str(store), name, str(args.repeat),
                                     str(args.cap), mode, timeout=2 * args.cap + 30)
                    if measured is None:
                        measured = {**summary([], -1, True, args.cap), "peak_mb": 0.0}
                    oxigraph["peak_mb"] = max(oxigraph["peak_mb"], measured.pop("peak_mb"))
                    oxigraph["queries" if mode == "full" else mode][name] = measured
            derived = work / "derived.nq"
            dumped = child("dump-derived", str(store), str(derived))
            assert dumped is not None
            load["derived_quads"] = dumped["quads"]
            print(f"[{councils}] rdflib baseline", file=sys.stderr, flush=True)
            skipped = {"fill": {"quads": 0, "seconds": 0.0, "triples_per_s": 0.0,
                                "stopped": "not run (--no-rdflib)"},
                       "queries": {}, "peak_mb": 0.0}
            baseline = skipped if args.no_rdflib else child(
                "rdflib", str(data), str(max(1, args.repeat // 2)), str(args.cap),
                str(args.fill_cap), str(args.memory_cap), str(derived))
            assert baseline is not None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        all_results[councils] = {"load": load, "query": oxigraph, "rdflib": baseline}
        reports.append(report(councils, load, oxigraph, baseline))
        print(reports[-1], flush=True)
        print(flush=True)
    results_path = args.out or (None if args.load_only else BENCH / "results.json")
    if results_path is not None:
        results_path.write_text(json.dumps(all_results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
