"""A council's page over HTTP, against the same page's queries on the bare engine.

The aim (issue 17): a council page, all its queries, p95 150 ms or less at 400 councils.
One command measures it: ``python -m bench.web.council_page --councils 400``.

Two measurements take turns in each round (``--rounds``), so both meet the same
background load on a shared machine:

1. **the bare engine** (the baseline): the queries the page runs, recorded once per
   council by running the page's own code (:func:`govkg.api.pages.page_of`) with a
   recording runner, then replayed one after another on a read-only pyoxigraph store of
   the same folder, with the same bound text the workers run and every row read;
2. **govkg serve**: ``GET /id/council/{slug}`` as HTML from ``govkg serve`` on that store
   (a fresh server each round, so its page cache is empty), one client, a different
   council each request, each council once per round after one warm-up page.

With ``--against REF`` a third measurement takes its turn in each round: ``govkg serve``
running the code of git commit REF (:func:`bench.web.run.source_tree`) on the same store,
so a change is measured before and after in one run.

Prints p50 and p95 of each, their ratios, the page's slowest queries on the bare engine,
and whether the aim is met; writes ``bench/web/council-page-results.json``.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import httpx

from bench.web.run import HERE, govkg_server, prepare, source_tree

#: the aim, in milliseconds (issue 17)
AIM_P95_MS = 150.0
Recorded = list[tuple[str, str]]  # (query name, bound query text)


def percentile(values: Iterable[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p * (len(ordered) - 1))))]


#: what a page adds to a query's text when it binds values or pages rows
_BOUND = re.compile(r"VALUES \?\w+ \{[^}]*\} LATERAL \{|VALUES \([^)]*\) \{[^}]*\}"
                    r"|VALUES \?\w+ \{[^}]*\}|(ORDER BY [?\w ]+)?LIMIT \d+\s*$|[\s{}]")


def canonical(text: str) -> str:
    """A query's text without the values a page binds, its LIMIT and its layout: the
    same for every council, so each page query is reported under one name."""
    return _BOUND.sub("", text)


def query_names() -> dict[str, str]:
    """Canonical query text (:func:`canonical`) -> a name for the report: the named
    queries (the analytics' too), the page queries, and the page-only queries of
    :mod:`govkg.api.pages` by their constant's name."""
    from govkg.api import pages
    from govkg.graph import paths
    from govkg.graph.querylib import get_page_query, load_queries

    names = {canonical(query.text): name for name, query in load_queries().items()}
    names.update({canonical(get_page_query(file.stem).text): f"pages/{file.stem}"
                  for file in (paths.queries_dir() / "pages").glob("*.rq")})
    names.update({canonical(value): name.strip("_") for name, value in vars(pages).items()
                  if name.strip("_").isupper() and isinstance(value, str) and "SELECT" in value})
    return names


def record(folder: Path, slugs: list[str]) -> dict[str, Recorded]:
    """The queries each council's page runs, as the workers would run them (bound)."""
    from rdflib import URIRef

    from govkg.api import pages
    from govkg.api.querying import Answer, Formats, StoreRunner, _bind
    from govkg.graph.store import EmbeddedStore

    names = query_names()

    class Recording(StoreRunner):
        """A runner on the store in this process that notes every query it runs."""

        seen: Recorded
        lateral = True  # as the service's workers (an embedded Oxigraph store)

        def run(self, sparql: str, bindings: Mapping[str, Any] | None = None, *,
                format: Formats, **options: Any) -> Answer:
            name = names.get(canonical(sparql), sparql[:60])
            self.seen.append((name, _bind(sparql, bindings)[0]))
            return super().run(sparql, bindings, format=format, **options)

    recorded: dict[str, Recorded] = {}
    with EmbeddedStore(folder, read_only=True) as store:
        runner = Recording(store, timeout=600, max_bytes=1 << 30)
        for slug in slugs:
            runner.seen = []
            # what GET /id/council/{slug} runs: the generic view, the types, the page
            pages.page_of(runner, URIRef(f"https://w3id.org/govkg/id/council/{slug}"))
            recorded[slug] = runner.seen
    return recorded


def bare_engine(folder: Path, recorded: dict[str, Recorded]
                ) -> tuple[list[float], dict[str, list[float]]]:
    """Each council's page queries one after another on a read-only pyoxigraph store:
    seconds per page, and per query name."""
    import pyoxigraph as ox

    store = ox.Store.read_only(str(folder))
    pages: list[float] = []
    per_query: dict[str, list[float]] = defaultdict(list)
    for queries in recorded.values():
        started = time.perf_counter()
        for name, text in queries:
            began = time.perf_counter()
            result = store.query(text, use_default_graph_as_union=True)
            if not isinstance(result, ox.QueryBoolean):
                for _ in result:  # every row (or triple) read
                    pass
            per_query[name].append(time.perf_counter() - began)
        pages.append(time.perf_counter() - started)
    del store
    return pages, per_query


def over_http(folder: Path, slugs: list[str], args: argparse.Namespace,
              source: Path | None = None) -> tuple[list[float], dict[str, int]]:
    """Each council's HTML page from a fresh ``govkg serve`` (of an earlier commit's
    code with ``source``): seconds per page, and the count of failed requests by status."""
    server, send = govkg_server(folder, args, source)
    url = send.url
    times: list[float] = []
    errors: dict[str, int] = {}
    try:
        with httpx.Client(headers={"accept": "text/html"}) as http:
            http.get(f"{url}/id/council/{slugs[-1]}", timeout=600)  # warm-up
            for slug in slugs[:-1]:
                started = time.perf_counter()
                status = http.get(f"{url}/id/council/{slug}", timeout=600).status_code
                if status == 200:
                    times.append(time.perf_counter() - started)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
    finally:
        server.stop()
    return times, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--councils", type=int, default=400)
    parser.add_argument("--pages", type=int, default=0,
                        help="councils' pages measured per round (0: every council)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--work", type=Path,
                        default=Path(tempfile.gettempdir()) / "govkg-web-bench",
                        help="where the store is kept between runs (shared with bench.web.run)")
    parser.add_argument("--workers", type=int, default=4,
                        help="govkg's query worker processes (GOVKG_QUERY_WORKERS)")
    parser.add_argument("--limit", type=float, default=10.0,
                        help="govkg's query time limit (the service's default)")
    parser.add_argument("--against", metavar="REF",
                        help="also measure govkg serve at this git commit, in turns with "
                        "this checkout's (before and after in one run)")
    args = parser.parse_args()
    folder, _, slugs = prepare(args.councils, args.work / str(args.councils))
    before = source_tree(args.against, args.work) if args.against else None
    if args.pages:
        slugs = slugs[:args.pages + 1]  # one more: the warm-up page
    recorded = record(folder, slugs[:-1])
    engine: list[float] = []
    per_query: dict[str, list[float]] = defaultdict(list)
    http: list[float] = []
    errors: dict[str, int] = {}
    earlier: list[float] = []
    for _ in range(args.rounds):
        if before is not None:
            times, failed = over_http(folder, slugs, args, before)
            earlier += times
            for status, count in failed.items():
                key = f"{args.against}: {status}"
                errors[key] = errors.get(key, 0) + count
        pages, queries = bare_engine(folder, recorded)
        engine += pages
        for name, took in queries.items():
            per_query[name] += took
        times, failed = over_http(folder, slugs, args)
        http += times
        for status, count in failed.items():
            errors[status] = errors.get(status, 0) + count
    report(args, engine, http, errors, per_query, recorded, earlier)
    return 0


def report(args: argparse.Namespace, engine: list[float], http: list[float],
           errors: dict[str, int], per_query: dict[str, list[float]],
           recorded: dict[str, Recorded], earlier: list[float] | None = None) -> None:
    ms = {name: {"p50": percentile(values, 0.5) * 1000, "p95": percentile(values, 0.95) * 1000}
          for name, values in (("engine", engine), ("http", http), ("before", earlier or []))
          if values}
    queries = len(next(iter(recorded.values())))
    slowest = sorted(((statistics.median(v) * 1000, name) for name, v in per_query.items()),
                     reverse=True)
    (HERE / "council-page-results.json").write_text(json.dumps(
        {"councils": args.councils, "rounds": args.rounds, "workers": args.workers,
         "pages": len(http), "queries_per_page": queries, "errors": errors, "ms": ms,
         "against": args.against,
         "engine_median_ms_per_query": {n: t for t, n in slowest}}, indent=2),
        encoding="utf-8")
    print(f"\n{args.councils} synthetic councils, {len(recorded)} councils' pages x "
          f"{args.rounds} rounds, {queries} queries a page\n")
    print("| measure | pages | p50 (ms) | p95 (ms) |")
    print("|---|---:|---:|---:|")
    for name, label in (("engine", "the page's queries one after another, bare engine"),
                        ("before", f"GET /id/council/{{slug}} from govkg serve at {args.against}"),
                        ("http", "GET /id/council/{slug} from govkg serve")):
        if name in ms:
            count = {"engine": len(engine), "http": len(http), "before": len(earlier or [])}[name]
            print(f"| {label} | {count} | {ms[name]['p50']:.1f} | {ms[name]['p95']:.1f} |")
    if errors:
        print(f"\nfailed pages: {errors}")
    if "engine" in ms and "http" in ms:
        print(f"\nthe page over HTTP against its queries on the bare engine: p50 "
              f"{ms['http']['p50'] / ms['engine']['p50']:.2f}x, p95 "
              f"{ms['http']['p95'] / ms['engine']['p95']:.2f}x the time")
        if "before" in ms:
            print(f"this checkout against {args.against}: p50 "
                  f"{ms['before']['p50'] / ms['http']['p50']:.2f}x, p95 "
                  f"{ms['before']['p95'] / ms['http']['p95']:.2f}x as fast")
        verdict = "met" if ms["http"]["p95"] <= AIM_P95_MS else "not met"
        print(f"aim, p95 {AIM_P95_MS:g} ms or less: {verdict} ({ms['http']['p95']:.0f} ms)")
    print("\nthe page's queries on the bare engine, median ms: " + ", ".join(
        f"{name} {took:.1f}" for took, name in slowest))


if __name__ == "__main__":
    sys.exit(main())
