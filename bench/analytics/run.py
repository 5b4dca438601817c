"""Benchmark of ``govkg analyze``: does the analysis stay linear in the number of councils?

For each size (100, 200 and 400 synthetic councils by default, from ``bench/synthetic.py``)
it loads a fresh on-disk embedded store (ontology and reference data, then the corpus by
the bulk loader) and then measures, each in a fresh subprocess so that the peak memory
is that measurement's own:

1. ``analyze``: the command itself, ``govkg analyze --store DIR --format json``, wall
   time and peak memory (what a user waits for);
2. the same analysis in parts: ``fetch`` (the SPARQL queries; a fixed number of them,
   counted), ``networks`` (grouping the rows into one networkx graph per council),
   ``councils`` (carriers, unowned items, single points of failure), ``compare``
   (ownership across councils and coverage) and ``similarity`` (the n x n matrix: the
   one part that is quadratic by nature).

Usage: ``python -m bench.analytics.run [--councils 100 200 400] [--repeat 3]``. Prints a
Markdown table (for bench/README.md) and writes ``bench/analytics/results.json``.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


def generate(councils: int, folder: Path) -> Path:
    """The synthetic corpus of ``councils`` councils (generated once per folder)."""
    path = folder / f"synthetic-{councils}.nq"
    if not path.is_file():
        subprocess.run([sys.executable, str(ROOT / "bench" / "synthetic.py"), str(councils),
                        str(path)], check=True, stdout=subprocess.DEVNULL)
    return path


def load(data: Path, store_dir: Path) -> None:
    """Ontology and reference data, then the corpus, into a new embedded store."""
    from govkg.graph.build import build
    from govkg.graph.store import open_store

    with open_store(store_dir, build_if_new=False) as store:
        build(store, files=[])
        store.load_file(data)


def parts(store_dir: str) -> dict[str, Any]:
    """Time each stage of the analysis in this process (run in a child)."""
    from govkg.graph.analytics.accountability import analyse_council
    from govkg.graph.analytics.comparison import (
        compare_ownership,
        coverage_matrix,
        similarity_matrix,
    )
    from govkg.graph.analytics.projection import (
        QUERIES,
        accountability_networks,
        feature_sets,
        fetch,
    )
    from govkg.graph.store import open_store

    times: dict[str, float] = {}
    with open_store(store_dir, build_if_new=False) as store:
        start = time.perf_counter()
        data = fetch(store)
        times["fetch"] = time.perf_counter() - start
    start = time.perf_counter()
    networks = accountability_networks(data)
    times["networks"] = time.perf_counter() - start
    start = time.perf_counter()
    reports = [analyse_council(graph) for graph in networks.values()]
    times["councils"] = time.perf_counter() - start
    start = time.perf_counter()
    compare_ownership(networks, data)
    coverage_matrix(networks, data, data.councils())
    times["compare"] = time.perf_counter() - start
    start = time.perf_counter()
    similarity_matrix(feature_sets(data), data.councils())
    times["similarity"] = time.perf_counter() - start
    rows = sum(len(r) for r in data.rows.values())
    return {"times": times, "queries": len(QUERIES), "rows": rows,
            "councils": len(reports), "peak_mb": peak_mb()}


def run_analyze(store_dir: Path) -> tuple[float, float, int]:
    """Wall time (s) and peak memory (MB) of the real command, and its output's size."""
    code = ("import resource, sys, time\n"
            "from typer.testing import CliRunner\n"
            "from govkg.graph.cli import app\n"
            "start = time.perf_counter()\n"
            f"result = CliRunner().invoke(app, ['analyze', '--store', {str(store_dir)!r}, "
            "'--format', 'json'])\n"
            "assert result.exit_code == 0, result.output\n"
            "print(time.perf_counter() - start, "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, len(result.stdout))\n")
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    seconds, memory, size = done.stdout.split()
    return float(seconds), float(memory), int(size)


def measure(councils: int, folder: Path, repeat: int) -> dict[str, Any]:
    data = generate(councils, folder)
    store_dir = folder / f"store-{councils}"
    if not store_dir.exists():
        load(data, store_dir)
    runs = [run_analyze(store_dir) for _ in range(repeat)]
    stages = []
    for _ in range(repeat):
        done = subprocess.run([sys.executable, "-c",
                               "import json, sys; from bench.analytics.run import parts; "
                               f"print(json.dumps(parts({str(store_dir)!r})))"],
                              check=True, capture_output=True, text=True, cwd=ROOT)
        stages.append(json.loads(done.stdout))
    times = {k: statistics.median(s["times"][k] for s in stages)
             for k in stages[0]["times"]}
    return {"councils": councils, "analyze_s": statistics.median(r[0] for r in runs),
            "analyze_peak_mb": max(r[1] for r in runs), "json_bytes": runs[0][2],
            "queries": stages[0]["queries"], "rows": stages[0]["rows"], "stages_s": times}


def table(results: list[dict[str, Any]]) -> str:
    stages = list(results[0]["stages_s"])
    head = ["councils", "`govkg analyze` (s)", "per council (ms)", "peak MB", "queries",
            "rows", *[f"{s} (s)" for s in stages]]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for r in results:
        cells = [str(r["councils"]), f"{r['analyze_s']:.2f}",
                 f"{1000 * r['analyze_s'] / r['councils']:.1f}", f"{r['analyze_peak_mb']:.0f}",
                 str(r["queries"]), str(r["rows"]),
                 *[f"{r['stages_s'][s]:.3f}" for s in stages]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--councils", type=int, nargs="+", default=[100, 200, 400])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--work", type=Path, default=None,
                        help="Folder for corpora and stores (default: a temporary one).")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govkg-bench-analytics-") as scratch:
        folder = args.work or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        results = [measure(n, folder, args.repeat) for n in args.councils]
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print(table(results))


if __name__ == "__main__":
    main()
