"""Validation benchmark (issues D and P): all councils at N, one council, and the baseline.

    python -m bench.validation.run [--councils 400 2000] [--workers 2] [--baseline-cap 300]
                                   [--keep DIR]

For each N: the synthetic councils of bench/synthetic.py are bulk loaded into a fresh
embedded store (``load_file``, as ``bench.run`` does: the ontology and reference data, then
the councils with the derived facts the load writes; with ``--keep DIR``, the store is
kept in DIR and a later run reuses it, its stored reports dropped first, so that
measuring a change to validation does not pay the load again); then, in one run, (1)
`validate_councils` over every council from cold (no stored report: per-council scope,
in parallel processes), (2) the same again when nothing changed (every report reused from the
store), (3) one council alone (median of five councils, its data read from the store
as N-Quads), and (4) the baseline: pySHACL over the whole graph as one, with the same
shapes, in a subprocess stopped after --baseline-cap seconds (reported as "> cap").
Prints a table and the ratios and writes bench/validation/results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyoxigraph as ox

from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore
from govkg.graph.validation import (
    council_graphs,
    council_quads,
    stored_reports,
    validate_councils,
    validate_quads,
)

HERE = Path(__file__).parent

_BASELINE = """
import sys, time
from rdflib import Graph
import pyshacl
from govkg.graph.validation import load_shapes, _vocabulary
data = Graph().parse(sys.argv[1], format="nt")
data += _vocabulary()
start = time.perf_counter()
pyshacl.validate(data, shacl_graph=load_shapes(), advanced=True, allow_warnings=True,
                 inference="none", inplace=True)
print(time.perf_counter() - start)
"""


def cpu_parts() -> tuple[float, float]:
    """CPU seconds of this process, and of its finished worker processes (the pool's,
    reaped when it shuts down)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def cpu_s() -> float:
    """CPU seconds of this process and of its finished worker processes: on a machine
    shared with other sessions, the figure the load average does not inflate; wall time
    on 2 idle cores is about half of it."""
    return sum(cpu_parts())


def loaded_store(councils: int, folder: Path) -> tuple[Path, int, float | None]:
    """The store of ``councils`` synthetic councils in ``folder`` (loaded unless a
    previous run left it complete there), its triple count in the synthetic file, and
    the load's seconds (None when reused)."""
    from bench.synthetic import generate

    store_dir = folder / f"store-{councils}"
    done = folder / f"store-{councils}.triples"
    if done.exists() and store_dir.exists():
        return store_dir, int(done.read_text()), None
    shutil.rmtree(store_dir, ignore_errors=True)
    data = folder / f"synthetic-{councils}.nq"
    with data.open("w", encoding="utf-8") as out:
        triples = generate(councils, out)
    started = time.perf_counter()
    with EmbeddedStore(store_dir) as store:
        build(store, files=[])  # the ontology and reference data, as a real store has
        store.load_file(data)
    seconds = time.perf_counter() - started
    data.unlink()
    done.write_text(str(triples))
    return store_dir, triples, seconds


def measure(councils: int, workers: int, cap: float, folder: Path) -> dict[str, object]:
    store_dir, triples, load_seconds = loaded_store(councils, folder)
    load_before = [round(x, 2) for x in os.getloadavg()]
    with EmbeddedStore(store_dir) as store:
        old = stored_reports(store)
        if old:  # a kept store: from cold means no stored report
            store.replace_graphs({g: [] for g in old})
        graphs = council_graphs(store)
        start, (main0, workers0) = time.perf_counter(), cpu_parts()
        reports = validate_councils(store, workers=workers)
        all_seconds, (main1, workers1) = time.perf_counter() - start, cpu_parts()
        all_main_cpu, all_worker_cpu = main1 - main0, workers1 - workers0
        all_cpu = all_main_cpu + all_worker_cpu
        start, cpu = time.perf_counter(), cpu_s()
        validate_councils(store, workers=workers)
        unchanged_seconds, unchanged_cpu = time.perf_counter() - start, cpu_s() - cpu
        validate_quads(council_quads(store, graphs[next(iter(graphs))]))  # warm caches
        singles = []
        for council in list(graphs)[:5]:
            start = time.perf_counter()
            validate_quads(council_quads(store, graphs[council]), council=council)
            singles.append(time.perf_counter() - start)
        whole = folder / "whole.nt"
        union = council_quads(store, [g for gs in graphs.values() for g in gs])
        ox.serialize((ox.Triple(q.subject, q.predicate, q.object)
                      for q in ox.parse(union, format=ox.RdfFormat.N_QUADS)),
                     output=str(whole), format=ox.RdfFormat.N_TRIPLES)
    try:
        done = subprocess.run([sys.executable, "-c", _BASELINE, str(whole)], capture_output=True,
                              text=True, timeout=cap, check=True)
        baseline: float | None = float(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        baseline = None
    return {"councils": councils, "triples": triples, "validated": len(reports),
            "all_seconds": round(all_seconds, 2),
            "all_unchanged_seconds": round(unchanged_seconds, 2),
            "all_cpu_seconds": round(all_cpu, 2),
            "all_main_cpu_seconds": round(all_main_cpu, 2),
            "all_worker_cpu_seconds": round(all_worker_cpu, 2),
            "all_unchanged_cpu_seconds": round(unchanged_cpu, 2),
            "one_council_median_seconds": round(statistics.median(singles), 3),
            "baseline_whole_graph_seconds": None if baseline is None else round(baseline, 2),
            "baseline_cap_seconds": cap, "workers": workers,
            "load_seconds": None if load_seconds is None else round(load_seconds, 1),
            "load_average_before": load_before,
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "finished_utc": time.strftime("%Y-%m-%d %H:%M", time.gmtime())}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--councils", type=int, nargs="+", default=[400, 2000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-cap", type=float, default=300.0)
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the loaded stores in this folder, and reuse them")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        for n in args.councils:
            row = measure(n, args.workers, args.baseline_cap, folder)
            rows.append(row)
            base = row["baseline_whole_graph_seconds"]
            ratio = (f"{base / row['all_seconds']:.1f}x faster" if base
                     else f"> {args.baseline_cap / row['all_seconds']:.1f}x faster")
            print(f"{n} councils ({row['triples']} triples): all {row['all_seconds']} s "
                  f"(CPU {row['all_cpu_seconds']} s: main process {row['all_main_cpu_seconds']} s, "
                  f"workers {row['all_worker_cpu_seconds']} s), all again unchanged "
                  f"{row['all_unchanged_seconds']} s (CPU {row['all_unchanged_cpu_seconds']} s), "
                  f"one council {row['one_council_median_seconds']} s, whole-graph pySHACL "
                  f"{base if base else '> ' + str(args.baseline_cap)} s -> {ratio}",
                  flush=True)
    (HERE / "results.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
