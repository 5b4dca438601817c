"""The same five timings on two revisions of govkg, in one run (issue P).

    python -m bench.revisions [--base main] [--councils 20] [--store DIR] [--only ...]
    python -m bench.revisions --store DIR --only queries [--mode one|page|full] [--queries ...]

The base revision is exported with ``git archive`` to a temporary folder and imported
from there (its ``govkg`` package put first on ``sys.path``); the working tree is the
other side. Each timing runs in a fresh subprocess per side, one side after the other:

0. loading ``--councils`` synthetic councils (``bench/synthetic.py``) into a new
   on-disk store after the ontology and reference data (``EmbeddedStore.load_file``,
   the derived facts included, the search index not), and whether both sides derive
   the same facts;
1. importing a synthetic 1 MB local code (``bench.importing.synthetic_code``);
2. SHACL for one council: ``validate_quads`` on each of five councils' N-Quads (median),
   after one warm-up, from a store of ``--councils`` synthetic councils;
3. ``govkg analyze --format json`` on the same store (or ``--store``, an existing one
   such as a 400-council store of ``bench.analytics.run --work``), and whether the two
   sides print the same JSON;
4. the search index of every graph of the same store, refreshed into a new index file
   (``SearchIndex.refresh``, what follows a load of all the store's councils), and
   whether both sides write the same rows.

``--only queries`` times the named queries instead, on both sides, on the same store
(one council bound, the first page of 100 rows as each side's web service reads it, or
the full result of all councils as ``bench.run`` times it), and checks that both sides
give the same rows.

Each figure is given as wall and CPU seconds (the process's own, its threads included):
on a machine that other work shares, the wall time stretches with the load and the CPU
time much less, so the CPU ratio is the one to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("graph", "api", "ontology", "shapes", "queries")

_IMPORT = """
import gc, json, sys, tempfile, time
from pathlib import Path
from bench.importing import Gazetteers, import_document, load_vocabulary, synthetic_code
vocabulary = load_vocabulary()
path = Path(tempfile.mkdtemp()) / "code.txt"
path.write_text(synthetic_code(1_000_000, vocabulary), encoding="utf-8")
gc.collect()
wall, cpu = time.perf_counter(), time.process_time()
graph, _ = import_document(path, vocabulary=vocabulary, gazetteers=Gazetteers(vocabulary),
                           council="Anytown Borough Council", kind="local-code",
                           framework="2016")
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu, len(graph)]))
"""

_SHACL = """
import hashlib, json, statistics, sys, time
from pathlib import Path
from govkg.graph.validation import validate_quads
folder = Path(sys.argv[1])
councils = [(folder / f"c{i}.nq").read_bytes() for i in range(6)]
validate_quads(councils[0])
walls, cpus, found = [], [], []
for quads in councils[1:]:
    wall, cpu = time.perf_counter(), time.process_time()
    report = validate_quads(quads)
    walls.append(time.perf_counter() - wall)
    cpus.append(time.process_time() - cpu)
    # blank-node shapes and paths get new ids each run: compare what they say
    found += sorted(repr((f.severity, f.message, f.focus, f.component, f.value))
                    for f in report.findings)
    found.append(repr([(p.notation, p.items, p.addressed) for p in report.coverage]))
print(json.dumps([statistics.median(walls), statistics.median(cpus),
                  hashlib.sha256(chr(10).join(found).encode()).hexdigest()]))
"""

_ANALYZE = """
import json, sys, time
wall, cpu = time.perf_counter(), time.process_time()
from typer.testing import CliRunner
from govkg.graph.cli import app
result = CliRunner().invoke(app, ["analyze", "--store", sys.argv[1], "--format", "json"])
assert result.exit_code == 0, result.output
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu,
                  __import__("hashlib").sha256(result.stdout.encode()).hexdigest()]))
"""

_QUERIES = """
import hashlib, json, statistics, sys, time
from pathlib import Path
from rdflib import Graph
from govkg.graph.namespaces import COUNCIL
from govkg.graph.querylib import load_queries
from govkg.graph.store import EmbeddedStore, SelectResult
from govkg.graph.store import paging
from govkg.graph.store.terms import bind_values
store = EmbeddedStore(Path(sys.argv[1]), read_only=True)
mode, repeat, council = sys.argv[2], int(sys.argv[3]), COUNCIL[sys.argv[4]]
groups = paging.councils_by_label(store)  # the web service keeps it until a write
found = {}
for name in sys.argv[5:]:
    query = load_queries()[name]
    bindings = query.bindings()
    if mode == "one":
        if not any(p.name == "council" for p in query.params):
            continue
        text, bindings = query.text, {**bindings, "council": council}
        def run():
            return store.query(text, bindings)
    elif mode == "full":  # every row of all councils, as bench.run times it
        def run():
            return store.query(query.text, bindings)
    elif hasattr(paging, "page_query") and getattr(paging, "pageable",
                                                   paging.pages_by_council)(query.text):
        def run():  # as the web service reads a first page: the page as a query
            return store.query(paging.page_query(store, query.text, bindings, 100, 0, groups))
    else:  # LIMIT on the whole query, as the web service of the base revision did
        def run():
            return store.query(bind_values(query.text, bindings) + "\\nLIMIT 100 OFFSET 0")
    run()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    if isinstance(result, SelectResult):
        items = sorted(repr(sorted((k, v.n3()) for k, v in row.items())) for row in result)
    else:
        items = sorted(" ".join(t.n3() for t in triple) for triple in result)
    found[name] = [1000 * statistics.median(times), len(items),
                   hashlib.sha256("\\n".join(items).encode()).hexdigest()]
print(json.dumps(found))
"""

_SEARCH = """
import hashlib, json, sqlite3, sys, tempfile, time
from pathlib import Path
from govkg.graph.search import SearchIndex
from govkg.graph.store import EmbeddedStore
with EmbeddedStore(Path(sys.argv[1]), read_only=True) as store:
    graphs = [g for g in store._named_graphs() if "/graph/derived/" not in g]
    path = Path(tempfile.mkdtemp()) / "index.sqlite"
    wall, cpu = time.perf_counter(), time.process_time()
    SearchIndex(path).refresh(store, graphs)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
rows = sqlite3.connect(path).execute("SELECT label, body, iri, graph, kind, council, "
    "council_label, doc_kind, principles FROM entry ORDER BY iri, graph").fetchall()
print(json.dumps([wall, cpu, len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()]))
"""

_LOAD = """
import hashlib, json, shutil, sys, time
from pathlib import Path
import pyoxigraph as ox
from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore, events
from govkg.graph.store.derived import is_derived
data, folder = Path(sys.argv[1]), Path(sys.argv[2])
shutil.rmtree(folder, ignore_errors=True)
with EmbeddedStore(folder) as store:
    build(store, files=[])
    events.LISTENERS[:] = []  # the search index is timed apart (bench.search)
    wall, cpu = time.perf_counter(), time.process_time()
    counts = store.load_file(data)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    facts = sorted(str(q) for q in store._db.quads_for_pattern(None, None, None, None)
                   if isinstance(q.graph_name, ox.NamedNode) and is_derived(q.graph_name.value))
shutil.rmtree(folder, ignore_errors=True)
print(json.dumps([wall, cpu, sum(counts.values()), len(facts),
                  hashlib.sha256(chr(10).join(facts).encode()).hexdigest()]))
"""

_DATA = """
import sys
from pathlib import Path
from bench.synthetic import generate
folder, councils = Path(sys.argv[1]), int(sys.argv[2])
with (folder / "synthetic.nq").open("w", encoding="utf-8") as out:
    generate(councils, out)
print("[]")
"""

_STORE = """
import sys
from pathlib import Path
from govkg.graph.build import plan, write
from govkg.graph.store import open_store
from govkg.graph.validation import council_graphs, council_quads
folder = Path(sys.argv[1])
data = folder / "synthetic.nq"
with open_store(folder / "store", build_if_new=False) as store:
    write(store, plan([data]))
    graphs = council_graphs(store)
    for i, council in enumerate(list(graphs)[:6]):
        (folder / f"c{i}.nq").write_bytes(council_quads(store, graphs[council]))
print("[]")
"""


def export(revision: str, folder: Path) -> Path:
    """The revision's tree in ``folder/tree`` and an import root in ``folder/root`` whose
    ``govkg`` package maps to it (as the editable install maps the working tree)."""
    tree, root = folder / "tree", folder / "root" / "govkg"
    tree.mkdir(parents=True)
    root.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    for name in PACKAGES:
        (root / name).symlink_to(tree / name)
    return tree


def run(code: str, *args: str, side: Path | None) -> list[object]:
    """``code`` in a fresh interpreter on one side (None: the working tree)."""
    env = None
    cwd = ROOT
    if side is not None:
        env = {**os.environ, "PYTHONPATH": f"{side.parent / 'root'}:{side}"}
        cwd = side
    done = subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, check=True,
                          capture_output=True, text=True, timeout=3600)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base", default="main", help="the revision to compare against")
    parser.add_argument("--councils", type=int, default=20,
                        help="synthetic councils in the store SHACL and analyze read")
    parser.add_argument("--store", type=Path, default=None,
                        help="an existing store for analyze and search (default: one made "
                        "here; past about 330 councils its file is larger than "
                        "GOVKG_MAX_FILE_BYTES, so give a store such as a 400-council one "
                        "of bench.analytics.run --work)")
    parser.add_argument("--only", nargs="+",
                        choices=("load", "import", "shacl", "analyze", "search", "queries"),
                        default=("load", "import", "shacl", "analyze", "search"),
                        help="the timings to take")
    parser.add_argument("--queries", nargs="+", default=None,
                        help="named queries for --only queries (default: all)")
    parser.add_argument("--mode", choices=("one", "page", "full"), default="one",
                        help="one council bound, the first page of 100 rows of all, or "
                             "every row of all councils (the query's default parameters)")
    parser.add_argument("--repeat", type=int, default=10, help="timed runs per query")
    parser.add_argument("--rounds", type=int, default=3,
                        help="alternating runs of each side for --only queries (the "
                             "fastest median of each side counts)")
    args = parser.parse_args(argv)
    if "queries" in args.only:
        if args.store is None:
            parser.error("--only queries needs --store (a store of bench.analytics.run)")
        return compare_queries(args)
    with tempfile.TemporaryDirectory(prefix="govkg-bench-revisions-") as scratch:
        folder = Path(scratch)
        base = export(args.base, folder / "base")
        data = folder / "data"
        data.mkdir()
        run(_DATA, str(data), str(args.councils), side=None)
        if "shacl" in args.only or ({"analyze", "search"} & set(args.only)
                                      and args.store is None):
            run(_STORE, str(data), side=None)
        store = str(args.store or data / "store")
        rows = []
        for key, name, code, extra in (
                ("load", f"bulk load, {args.councils} councils", _LOAD,
                 (str(data / "synthetic.nq"), str(folder / "load-store"))),
                ("import", "import 1 MB code", _IMPORT, ()),
                ("shacl", "SHACL, one council", _SHACL, (str(data),)),
                ("analyze", f"govkg analyze ({store})", _ANALYZE, (store,)),
                ("search", f"search index of every graph ({store})", _SEARCH, (store,))):
            if key not in args.only:
                continue
            before = run(code, *extra, side=base)
            after = run(code, *extra, side=None)
            same = "same output" if before[2:] == after[2:] else "OUTPUT DIFFERS"
            rows.append(f"| {name} | {before[0]:.2f} | {before[1]:.2f} | {after[0]:.2f} | "
                        f"{after[1]:.2f} | {before[1] / after[1]:.1f}x | {same} |")
            print(rows[-1], flush=True)
    print(f"\n| measure | {args.base} wall s | {args.base} CPU s | this tree wall s | "
          "this tree CPU s | CPU ratio | output |\n|---|---:|---:|---:|---:|---:|---|")
    print("\n".join(rows))
    return 0


def compare_queries(args: argparse.Namespace) -> int:
    """Each named query's median latency on both sides, on the same store, in one run:
    with one council bound (``--mode one``), as the first page of 100 rows of all
    councils (``--mode page``: council by council where this tree's web service pages
    that way, else ``LIMIT`` on the whole query) or as every row of all councils
    (``--mode full``: ``store.query(text, bindings)`` with the query's default
    parameters, as ``bench.run`` times it), and whether both give the same rows."""
    sys.path.insert(0, str(ROOT))
    from govkg.graph.querylib import load_queries

    names = args.queries or sorted(load_queries())
    with tempfile.TemporaryDirectory(prefix="govkg-bench-revisions-") as scratch:
        base = export(args.base, Path(scratch) / "base")
        extra = (str(args.store), args.mode, str(args.repeat), "synthetic-council-0003", *names)
        rounds: list[tuple[Any, Any]] = []
        for _ in range(args.rounds):  # alternating, so both sides meet the same load
            rounds.append((run(_QUERIES, *extra, side=base), run(_QUERIES, *extra, side=None)))
    # per query, each side's fastest median over the rounds
    before = {name: min((r[0][name] for r in rounds), key=lambda m: m[0])
              for name in rounds[0][0]}
    after = {name: min((r[1][name] for r in rounds), key=lambda m: m[0])
             for name in rounds[0][1]}
    print(f"| query ({args.mode}) | {args.base} ms | this tree ms | ratio | rows | answer |\n"
          "|---|---:|---:|---:|---:|---|")
    for name in names:
        if name not in after or name not in before:
            continue
        (old_ms, rows, old_digest), (new_ms, _, new_digest) = before[name], after[name]
        same = "same rows" if old_digest == new_digest else "ROWS DIFFER"
        print(f"| {name} | {old_ms:,.1f} | {new_ms:,.1f} | {old_ms / new_ms:.1f}x | {rows} | "
              f"{same} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
