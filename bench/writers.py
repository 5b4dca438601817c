"""Why govkg writes SPARQL results itself: its writers against rdflib's serialisers.

One command: ``python -m bench.writers [--rows 50000]``. It serialises the same SELECT
result (five variables: two IRIs, three language-tagged literals per row) with
``govkg.graph.results.serialize`` and with rdflib's ``Result.serialize`` (building the
``Result`` counts, since that is what a caller would have to do), best of three, and
prints seconds and the ratio per format. rdflib has no TSV writer, so TSV is govkg's only.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from rdflib import Literal, URIRef, Variable
from rdflib.query import Result

from govkg.graph.results import serialize
from govkg.graph.store import SelectResult


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    names = ["a", "b", "c", "d", "e"]
    rows = [{v: URIRef(f"http://example.org/{i}/{v}") if v < "c"
             else Literal(f"label {i} {v}", lang="en") for v in names} for i in range(args.rows)]
    ours = SelectResult(names, rows)

    def rdflib_writer(fmt: str) -> bytes:
        result = Result("SELECT")
        result.vars = [Variable(v) for v in names]
        result.bindings = [{Variable(k): term for k, term in row.items()} for row in rows]
        return result.serialize(format=fmt, encoding="utf-8")

    print(f"| format | govkg (s) | rdflib (s) | rdflib / govkg |  ({args.rows} rows)")
    print("|---|---:|---:|---:|")
    for fmt in ("json", "xml", "csv"):
        mine = best(lambda fmt=fmt: serialize(ours, fmt))
        theirs = best(lambda fmt=fmt: rdflib_writer(fmt))
        print(f"| {fmt} | {mine:.3f} | {theirs:.3f} | {theirs / mine:.1f} |")


if __name__ == "__main__":
    main()
