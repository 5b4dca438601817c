"""Validation benchmark (issues D and P): all councils at N, one council, and the baseline.

    python -m bench.validation.run [--councils 400 2000] [--workers 2] [--baseline-cap 300]

For each N: the synthetic councils of bench/synthetic.py are loaded into a fresh embedded
store (with the derived facts the load writes); then, in one run, (1) `validate_councils`
over every council from cold (no stored report: per-council scope, in parallel
processes), (2) the same again when nothing changed (every report reused from the
store), (3) one council alone (median of five councils, its data read from the store
as N-Quads), and (4) the baseline: pySHACL over the whole graph as one, with the same
shapes, in a subprocess stopped after --baseline-cap seconds (reported as "> cap").
Prints a table and the ratios and writes bench/validation/results.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from govkg.graph.build import plan, write
from govkg.graph.store import open_store
from govkg.graph.validation import (
    council_data,
    council_graphs,
    council_quads,
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


def measure(councils: int, workers: int, cap: float, folder: Path) -> dict[str, object]:
    from bench.synthetic import generate

    data = folder / f"synthetic-{councils}.nq"
    with data.open("w", encoding="utf-8") as out:
        triples = generate(councils, out)
    store_dir = folder / f"store-{councils}"
    with open_store(store_dir, build_if_new=False) as store:
        write(store, plan([data]))
        graphs = council_graphs(store)
        start = time.perf_counter()
        reports = validate_councils(store, workers=workers)
        all_seconds = time.perf_counter() - start
        start = time.perf_counter()
        validate_councils(store, workers=workers)
        unchanged_seconds = time.perf_counter() - start
        validate_quads(council_quads(store, graphs[next(iter(graphs))]))  # warm caches
        singles = []
        for council in list(graphs)[:5]:
            start = time.perf_counter()
            validate_quads(council_quads(store, graphs[council]), council=council)
            singles.append(time.perf_counter() - start)
        whole = folder / "whole.nt"
        union = council_data(store, [g for gs in graphs.values() for g in gs])
        union.serialize(whole, format="nt")
    try:
        done = subprocess.run([sys.executable, "-c", _BASELINE, str(whole)], capture_output=True,
                              text=True, timeout=cap, check=True)
        baseline: float | None = float(done.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        baseline = None
    return {"councils": councils, "triples": triples, "validated": len(reports),
            "all_seconds": round(all_seconds, 2),
            "all_unchanged_seconds": round(unchanged_seconds, 2),
            "one_council_median_seconds": round(statistics.median(singles), 3),
            "baseline_whole_graph_seconds": None if baseline is None else round(baseline, 2),
            "baseline_cap_seconds": cap}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--councils", type=int, nargs="+", default=[400, 2000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--baseline-cap", type=float, default=300.0)
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.councils:
            row = measure(n, args.workers, args.baseline_cap, Path(tmp))
            rows.append(row)
            base = row["baseline_whole_graph_seconds"]
            ratio = (f"{base / row['all_seconds']:.1f}x faster" if base
                     else f"> {args.baseline_cap / row['all_seconds']:.1f}x faster")
            print(f"{n} councils ({row['triples']} triples): all {row['all_seconds']} s, "
                  f"all again unchanged {row['all_unchanged_seconds']} s, "
                  f"one council {row['one_council_median_seconds']} s, whole-graph pySHACL "
                  f"{base if base else '> ' + str(args.baseline_cap)} s -> {ratio}",
                  flush=True)
    (HERE / "results.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
