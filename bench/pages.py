"""Every page of every pageable named query against its whole result, on a large store.

One command: ``python -m bench.pages --store DIR [QUERY ...]``, where ``DIR`` is a store
of synthetic councils (``bench.web.run --work W`` keeps one in ``W/400/store``). For each
named query the API pages (``paging.pageable``), it reads the pages of ``--size`` rows
one after another, each as the web service runs it (``paging.page_query``, with the
query's default parameters and, for a query paged by council, its rows counted by
council once, as the service counts them for the total, and the time that took as the
budget of a later page), until a short page, and
compares the rows of all pages with
the rows of the whole result, as multisets: a row the pager repeated or skipped at a
page boundary (ties in the order, councils with no rows, the fallback for sparse results)
shows as a difference. The golden suite checks the same on the corpus
(``tests/api/test_query_pages.py``); this is the check at hundreds of councils, where
the pager takes the paths the corpus is too small to need. It exits 1 if any query's
pages differ from its whole result.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from govkg.graph import querylib
from govkg.graph.store import EmbeddedStore, paging
from govkg.graph.store.base import SelectResult


def _rows(result: object) -> Counter[tuple[tuple[str, str], ...]]:
    assert isinstance(result, SelectResult)
    return Counter(tuple(sorted((name, term.n3()) for name, term in row.items()))
                   for row in result.rows)


def check(store: EmbeddedStore, name: str, size: int) -> dict[str, float]:
    """Pages read, rows of the whole result, rows missing from the pages and extra in
    them, and the seconds: counting, the slowest page, all pages."""
    query = querylib.get_query(name)
    bindings = query.bindings()
    bound = paging.bind_values(query.text, dict(bindings))
    whole = _rows(store.query(bound))
    started = time.perf_counter()
    counts = paging.council_counts(store, bound) if paging.pages_by_council(
        query.text) else None
    counting = time.perf_counter() - started
    groups = paging.councils_by_label(store)
    paged: Counter[tuple[tuple[str, str], ...]] = Counter()
    pages = offset = 0
    slowest = total = 0.0
    while True:
        started = time.perf_counter()
        page = _rows(store.query(paging.page_query(store, query.text, bindings, size,
                                                   offset, groups, counts=counts,
                                                   budget=counting)))
        took = time.perf_counter() - started
        slowest, total = max(slowest, took), total + took
        paged.update(page)
        pages, offset = pages + 1, offset + size
        if sum(page.values()) < size:
            break
    return {"pages": pages, "rows": sum(whole.values()),
            "missing": sum((whole - paged).values()), "extra": sum((paged - whole).values()),
            "counting": counting, "slowest": slowest, "mean": total / pages}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", required=True, help="an embedded store's folder")
    parser.add_argument("--size", type=int, default=100, help="rows a page")
    parser.add_argument("queries", nargs="*", help="named queries (default: every one)")
    args = parser.parse_args(argv)
    names = args.queries or sorted(querylib.load_queries())
    store = EmbeddedStore(args.store, read_only=True)
    differ = 0
    try:
        print("| query | pages | rows | missing from the pages | extra in them | "
              "counting by council (ms) | a page, mean (ms) | the slowest page (ms) |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for name in names:
            if not paging.pageable(querylib.get_query(name).text):
                continue
            found = check(store, name, args.size)
            differ += bool(found["missing"] or found["extra"])
            counting = (f"{found['counting'] * 1000:,.0f}"
                        if paging.pages_by_council(querylib.get_query(name).text) else "-")
            print(f"| {name} | {found['pages']} | {found['rows']} | {found['missing']} | "
                  f"{found['extra']} | {counting} | {found['mean'] * 1000:,.1f} | "
                  f"{found['slowest'] * 1000:,.0f} |", flush=True)
    finally:
        store.close()
    print(f"\n{differ} queries whose pages differ from their whole result")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
