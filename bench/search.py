"""Search benchmark: how fast ``/search`` answers at N synthetic councils.

One command: ``python -m bench.search --councils 400``. It writes N councils with
``bench/synthetic.py``, loads them into a new embedded store (the index follows the
load through the store's write announcements, and the time that takes is reported),
then times each query of :data:`QUERIES` on the FTS5 index (median and p95 of
``--runs`` runs after a warm-up) and, as the baseline measured in the same run, the
same words looked for the way a search without an index would: one SPARQL query with
``CONTAINS(LCASE(?text), ...)`` over every label and quoted span. It prints a table and
the ratio baseline / index per query; ``--report FILE`` keeps the raw figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.synthetic import generate
from govkg.graph.build import build
from govkg.graph.search import SearchIndex, index_path
from govkg.graph.store import EmbeddedStore

#: (words, filters): common and rare words, with and without filters
QUERIES: list[tuple[str, dict[str, str]]] = [
    ("audit", {}),
    ("council", {}),
    ("risk management", {}),
    ("integrity", {"document_kind": "local-code"}),
    ("policy", {"kind": "evidence"}),
    ("improve", {"council": "synthetic-council-0007"}),
    ("openness", {"principle": "cipfa-solace-2016/B"}),
    ("chief executive", {}),
]

BASELINE = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX govkg: <https://w3id.org/govkg/def/>
SELECT DISTINCT ?r WHERE {
  { ?r skos:prefLabel|rdfs:label ?text } UNION { ?r govkg:source/oa:hasSelector/oa:exact ?text }
  FILTER(%s)
} LIMIT 20"""


def timed(function: object, runs: int) -> list[float]:
    """Milliseconds per run, after one warm-up run."""
    assert callable(function)
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--baseline-runs", type=int, default=3)
    parser.add_argument("--work", type=Path, help="folder for the data and store")
    parser.add_argument("--report", type=Path, help="write the raw figures here as JSON")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="govkg-bench-search-"))
    work.mkdir(parents=True, exist_ok=True)  # a --work folder not made yet is made
    data = work / f"synthetic-{args.councils}.nq"
    with data.open("w", encoding="utf-8") as out:
        generate(args.councils, out)
    report: dict[str, object] = {"councils": args.councils}
    with EmbeddedStore(work / "store") as store:
        start = time.perf_counter()
        build(store, [])  # ontology and reference data
        store.load_file(data)
        report["load_and_index_s"] = round(time.perf_counter() - start, 2)
        start = time.perf_counter()
        rows = SearchIndex(index_path(store)).refresh(store, None)
        report["full_reindex_s"] = round(time.perf_counter() - start, 2)
        report["indexed_rows"] = rows
        report["index_mb"] = round(index_path(store).stat().st_size / 1e6, 1)
        index = SearchIndex.beside(store)
        results = []
        print(f"{args.councils} councils: {rows} indexed resources, index "
              f"{report['index_mb']} MB; load + index {report['load_and_index_s']} s, "
              f"full re-index {report['full_reindex_s']} s")
        print(f"{'query':<40} {'hits':>7} {'median ms':>10} {'p95 ms':>8} "
              f"{'baseline ms':>12} {'ratio':>7}")
        for words, filters in QUERIES:
            hits = index.search(words, **filters).total
            times = timed(lambda w=words, f=filters: index.search(w, **f), args.runs)
            condition = " && ".join(f'CONTAINS(LCASE(STR(?text)), "{w.lower()}")'
                                    for w in words.split())
            base = timed(lambda c=condition: store.query(BASELINE % c), args.baseline_runs)
            name = words + (" " + json.dumps(filters) if filters else "")
            median, baseline = statistics.median(times), statistics.median(base)
            results.append({"query": name, "hits": hits, "median_ms": round(median, 2),
                            "p95_ms": round(p95(times), 2),
                            "baseline_median_ms": round(baseline, 1),
                            "ratio": round(baseline / median, 1)})
            print(f"{name[:40]:<40} {hits:>7} {median:>10.2f} {p95(times):>8.2f} "
                  f"{baseline:>12.1f} {baseline / median:>7.1f}")
        report["queries"] = results
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
