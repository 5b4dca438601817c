"""The embedded store: Oxigraph (``pyoxigraph``) persisted in a folder.

Queries go to Oxigraph's own SPARQL engine, never through rdflib's evaluator. Oxigraph
keeps its data in RocksDB, which one process at a time may open: other processes reach
the data through ``govkg serve``, or through a SPARQL server (see ``remote.py``), or
open the folder read-only (``read_only=True``: RocksDB's read-only mode, which takes no
lock and sees the data as it was when opened; it cannot write, and it hides a load that
the journal shows in progress, as the writer's own readers would).

How a replace stays atomic (both paths verified by ``tests/graph/test_store*.py``):

* Up to :attr:`EmbeddedStore.bulk_threshold` triples: ONE SPARQL update,
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }`` for every graph.
  pyoxigraph runs one update as one RocksDB transaction (a failing later operation
  undoes the earlier ones), so readers see old or new, and a kill leaves the old.
* Larger loads use Oxigraph's bulk loader, which is fast but not transactional. The new
  content of a graph that already exists goes to a staging graph; a graph that does not
  exist yet is loaded under its own name. Before loading, a journal file in the store
  folder records which graphs existed; while loading, this process's queries see only
  those graphs. Then ONE update moves every staging graph over its target and records a
  commit marker. Reopening after a crash drops whatever the journal shows was being
  loaded unless the marker says it was committed, and drops leftover staging graphs.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import os
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from govkg.graph.errors import (
    DataFileError,
    Location,
    QueryError,
    StoreError,
    StoreInUse,
    StoreLocationError,
)
from govkg.graph.readonly import open_read_only
from govkg.graph.store import derived
from govkg.graph.store.base import (
    STAGING_PREFIX,
    ExportFormat,
    GraphInfo,
    GraphName,
    QueryResult,
    QueryTimeout,
    SelectResult,
    Store,
    TextRows,
    Triples,
)
from govkg.graph.store.rdffiles import (
    file_quads,
    file_statements,
    line_at,
    line_chunks,
    nquads_chunks,
    nquads_name_no_graph_of,
    serialise,
)
from govkg.graph.store.terms import (
    bind_values,
    from_ox,
    ox_graph_name,
    ox_substitutions,
    query_form,
    to_ox,
)

JOURNAL = "govkg-load.json"
_COMMIT_GRAPH = STAGING_PREFIX + "commit"
_COMMITTED = "urn:govkg:load:"
_TIMEOUT_CHECK_EVERY = 256  # rows between two looks at the clock
_R = TypeVar("_R")


def _check_deadline(deadline: float | None, timeout: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise QueryTimeout(f"query stopped after its time limit of {timeout:g} s")


def _collect_text(result: Any, deadline: float | None, timeout: float | None) -> TextRows:
    """A SELECT's rows as text, written by Oxigraph as SPARQL CSV results (an IRI as
    itself, a literal as its lexical form, in Rust) and read by Python's C csv reader:
    a Python object per value is what made reading 140,000 rows cost seconds."""
    _check_deadline(deadline, timeout)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("only a SELECT query gives rows of text")
    names = [v.value for v in result.variables]
    written = result.serialize(format=ox.QueryResultsFormat.CSV)
    assert written is not None  # no output given: serialize returns the bytes
    text = written.decode("utf-8")
    _check_deadline(deadline, timeout)  # the engine evaluated the query while writing
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader, None)  # the header: the variables' names
    return TextRows(names, [{name: value for name, value in zip(names, row, strict=True)
                             if value} for row in reader])


class EmbeddedStore(Store):
    """An Oxigraph store in a folder on this machine.

    >>> import tempfile
    >>> from rdflib import Graph, Literal, URIRef
    >>> with EmbeddedStore(Path(tempfile.mkdtemp()) / "store") as store:
    ...     g = Graph().add((URIRef("http://ex/a"), URIRef("http://ex/p"), Literal("x")))
    ...     store.replace_graph("http://ex/g", g)
    ...     store.query("SELECT ?o WHERE { ?s ?p ?o }").column("o")
    1
    [rdflib.term.Literal('x')]
    """

    transactional_updates = True
    isolated_reads = True
    crash_safe_loads = True
    native_bindings = False  # a VALUES block is faster in Oxigraph 0.5: see query()
    timeout_enforcement = "cooperative"

    def __init__(self, path: Path, *, bulk_threshold: int = 100_000,
                 read_only: bool = False) -> None:
        self.path = Path(path)
        self.location = str(self.path)
        #: Opened with RocksDB's read-only mode (no lock, no writes): see the module doc.
        self.read_only = read_only
        if self.path.exists() and not self.path.is_dir():
            raise StoreLocationError("is a file, not a store folder; give a folder (a new "
                                     "one is created) or a SPARQL server's URL",
                                     Location(self.location))
        #: Loads larger than this many triples use the bulk loader.
        self.bulk_threshold = bulk_threshold
        #: The bulk loader is fed this many quads a call: its memory grows with a call's
        #: batch (1.3 GB for 1.5 million quads in one call, 0.4 GB in calls of 250,000,
        #: for ~10 % less speed), and the journal makes the calls one change anyway.
        self.bulk_chunk = 250_000
        self.created = not self.path.exists() or not any(self.path.iterdir())
        try:
            if read_only:
                self._ox: ox.Store | None = open_read_only(str(self.path))
            else:
                self.path.mkdir(parents=True, exist_ok=True)
                self._ox = ox.Store(str(self.path))
        except (OSError, RuntimeError) as exc:  # RocksDB's Corruption is a RuntimeError
            if "lock" in str(exc).lower():
                raise StoreInUse(
                    "the store is in use by another process (is govkg serve running?); "
                    "commands that only read (query, export, stats, validate, analyze) "
                    "still work; to change it, stop that process or send the change to "
                    "the server", Location(self.location),
                ) from None
            raise StoreError(f"cannot open the store: {exc}", Location(self.location)) from None
        self._lock = threading.RLock()
        #: While a bulk load runs, the graphs this process's readers may see.
        self._visible: frozenset[str] | None = None
        #: Changes whenever ``_visible`` does, and is odd while a bulk load commits: a
        #: read that saw it change retries, so its snapshot and its graph list agree.
        self._generation = 0
        self._settled = threading.Condition()
        if read_only:
            self._visible = self._settled_graphs()
        else:
            self._recover()

    # ------------------------------------------------------------------ plumbing

    @property
    def _db(self) -> ox.Store:
        if self._ox is None:
            raise StoreError("the store is closed", Location(self.location))
        return self._ox

    def _journal(self) -> Path:
        return self.path / JOURNAL

    def _named_graphs(self) -> list[str]:
        return [g.value for g in self._db.named_graphs() if isinstance(g, ox.NamedNode)]

    def _update(self, sparql: str) -> None:
        self._writable()
        try:
            self._db.update(sparql)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}", Location("update")) from None
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"update failed: {exc}", Location(self.location)) from None

    def _settled_graphs(self) -> frozenset[str] | None:
        """For a read-only view: the graphs a reader may see, ``None`` for all. A load in
        progress (a journal) hides the graphs it is writing; staging graphs never show."""
        graphs = self._named_graphs()
        try:
            before = set(json.loads(self._journal().read_text(encoding="utf-8"))["before"])
        except FileNotFoundError:
            before = set(graphs)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise StoreError(f"unreadable load journal {self._journal()}: {exc}",
                             Location(self.location)) from None
        visible = frozenset(g for g in graphs if g in before and not g.startswith(STAGING_PREFIX))
        return None if visible == frozenset(graphs) else visible

    def _writable(self) -> None:
        if self.read_only:
            raise StoreInUse("the store is open read-only because another process (is govkg "
                             "serve running?) holds it; stop that process to change it, or "
                             "send the change to the server", Location(self.location))

    def _select(self, sparql: str) -> list[dict[str, str]]:
        """A SELECT on everything stored, even what readers do not see yet, as strings."""
        solutions = self._db.query(sparql)
        assert isinstance(solutions, ox.QuerySolutions)
        names = [v.value for v in solutions.variables]
        return [{n: term.value for n, term in zip(names, row, strict=True) if term is not None}
                for row in solutions]

    def _recover(self) -> None:
        """Undo a bulk load that a crash interrupted; drop leftover staging graphs."""
        journal = self._journal()
        if journal.exists():
            try:
                state = json.loads(journal.read_text(encoding="utf-8"))
                load_id, before = state["id"], set(state["before"])
                default_empty = bool(state.get("default_empty"))
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise StoreError(f"unreadable load journal {journal}: {exc}",
                                 Location(self.location)) from None
            committed = bool(self._db.query(
                f"ASK {{ GRAPH <{_COMMIT_GRAPH}> {{ <{_COMMITTED}{load_id}> ?p ?o }} }}"))
            if not committed:
                self._abandon(before, default_empty)
            journal.unlink(missing_ok=True)
        for graph in self._named_graphs():
            if graph.startswith(STAGING_PREFIX):
                self._db.remove_graph(ox.NamedNode(graph))

    # ------------------------------------------------------------------ reading

    def _begin_read(self) -> tuple[int, frozenset[str] | None]:
        with self._settled:
            while self._generation % 2:
                self._settled.wait()
            return self._generation, self._visible

    def _set_visible(self, visible: frozenset[str] | None, *, committing: bool = False) -> None:
        with self._settled:
            self._visible = visible
            self._generation += 1 if committing or self._generation % 2 else 2
            self._settled.notify_all()

    def _named_visible(self, visible: frozenset[str]) -> list[ox.NamedNode]:
        return [ox.NamedNode(g) for g in self._named_graphs() if g in visible]

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[GraphName] | None = None,
        named_graphs: Iterable[GraphName] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        return self._evaluate(sparql, bindings, default_graph, named_graphs, timeout,
                              self._collect)

    def select_text(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        timeout: float | None = None,
    ) -> TextRows:
        # Each value's text straight from pyoxigraph: no rdflib term is made, which was
        # about a quarter of `govkg analyze` at 400 councils (bench/README.md).
        return self._evaluate(sparql, bindings, None, None, timeout, _collect_text)

    def _evaluate(self, sparql: str, bindings: Mapping[str, Node] | None,
                  default_graph: Iterable[GraphName] | None,
                  named_graphs: Iterable[GraphName] | None, timeout: float | None,
                  collect: Callable[[Any, float | None, float | None], _R]) -> _R:
        """Run a query on the graphs this process may see and read its results with
        ``collect``, again if a load started or committed meanwhile."""
        substitutions = None
        if bindings:
            # Bound the way a server binds them, by a VALUES block opening the WHERE group:
            # Oxigraph 0.5 applies `substitutions` (SEP-0007) only to what the query
            # returns, after evaluating it for every value (body-functions for one of 20
            # councils: 5.5 ms against 0.5 ms), and only to projected variables. A query
            # with no WHERE group (DESCRIBE <iri>) falls back to substitutions.
            form, _ = query_form(sparql)
            try:
                sparql = bind_values(sparql, bindings)
            except QueryError:
                if form == "select":
                    raise
                substitutions = ox_substitutions(bindings)
        defaults = None if default_graph is None else [ox_graph_name(g) for g in default_graph]
        named = None if named_graphs is None else [ox_graph_name(g) for g in named_graphs]
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            generation, visible = self._begin_read()
            options: dict[str, Any] = {}
            if substitutions:
                options["substitutions"] = substitutions
            hidden_aware = None if visible is None else self._named_visible(visible)
            if defaults is not None:
                options["default_graph"] = defaults
            elif hidden_aware is not None:
                options["default_graph"] = [*hidden_aware, ox.DefaultGraph()]
            else:
                options["use_default_graph_as_union"] = True
            if named is not None:
                options["named_graphs"] = named
            elif hidden_aware is not None:
                options["named_graphs"] = hidden_aware
            try:
                result = collect(self._db.query(sparql, **options), deadline, timeout)
            except SyntaxError as exc:
                raise QueryError(f"SPARQL syntax error: {exc}", Location("query")) from None
            except (OSError, RuntimeError) as exc:
                raise StoreError(f"query failed: {exc}", Location(self.location)) from None
            if self._generation == generation:  # no load started or committed meanwhile
                return result

    @staticmethod
    def _collect(result: Any, deadline: float | None, timeout: float | None) -> QueryResult:
        def check() -> None:
            _check_deadline(deadline, timeout)

        # Results repeat terms (labels, councils, types) and an rdflib Literal is costly to
        # build (it parses its value), so each distinct term is converted once.
        converted: dict[Any, Node] = {}

        def term(value: Any) -> Node:
            node = converted.get(value)
            if node is None:
                node = converted[value] = from_ox(value)
            return node

        check()  # a query that sorts or groups everything has done its work by now
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            rows = []
            for count, solution in enumerate(result):
                if count % _TIMEOUT_CHECK_EVERY == 0:
                    check()
                rows.append({name: term(value) for name, value in zip(names, solution, strict=True)
                             if value is not None})
            return SelectResult(names, rows)
        graph = Graph()
        for count, triple in enumerate(result):
            if count % _TIMEOUT_CHECK_EVERY == 0:
                check()
            graph.add((term(triple.subject), term(triple.predicate), term(triple.object)))
        return graph

    def graphs(self) -> list[GraphInfo]:
        counts = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(counts, SelectResult)
        return sorted(GraphInfo(str(row["g"]), int(row["n"])) for row in counts
                      if not str(row["g"]).startswith(STAGING_PREFIX)
                      and not derived.is_derived(str(row["g"])))

    def is_empty(self) -> bool:
        """True when no named graph holds data; cheap, unlike counting every graph."""
        return not any(not g.startswith(STAGING_PREFIX) for g in self._named_graphs())

    def _export_quads(self, graph: GraphName | None) -> Iterator[ox.Quad]:
        if graph is not None:
            yield from self._db.quads_for_pattern(None, None, None, ox_graph_name(graph))
            return
        for info in self.graphs():
            yield from self._db.quads_for_pattern(None, None, None, ox.NamedNode(info.iri))
        yield from self._db.quads_for_pattern(None, None, None, ox.DefaultGraph())

    def export(self, format: ExportFormat = "trig", graph: GraphName | None = None) -> bytes:
        return serialise(self._export_quads(graph), format)

    # ------------------------------------------------------------------ writing

    def replace_graphs(self, graphs: Mapping[GraphName, Triples]) -> dict[str, int]:
        materialised: dict[str, list[tuple[Node, Node, Node]]] = {}
        for name, triples in graphs.items():
            ox_graph_name(name)  # refuse a bad IRI before writing anything
            materialised[str(name)] = list(triples)
        total = sum(len(t) for t in materialised.values())
        if total <= self.bulk_threshold:
            self._replace_in_one_update(materialised)
        else:
            quads = (ox.Quad(to_ox(s), to_ox(p), to_ox(o), ox.NamedNode(name))
                     for name, triples in materialised.items() for s, p, o in triples)
            self._bulk_replace(quads, set(materialised))
        return {name: len(triples) for name, triples in materialised.items()}

    def _replace_in_one_update(self, graphs: Mapping[str, list[tuple[Node, Node, Node]]]) -> None:
        self._replace_statements({
            name: [f"{to_ox(s)} {to_ox(p)} {to_ox(o)} ." for s, p, o in triples]
            for name, triples in graphs.items()})

    def _replace_statements(self, graphs: Mapping[str, list[str]]) -> None:
        """Replace graphs with N-Triples statements in ONE update (one transaction), with
        the derived facts of the councils they concern."""
        drops = " ; ".join(f"DROP SILENT GRAPH <{name}>" for name in graphs)
        blocks = [f"GRAPH <{name}> {{\n{chr(10).join(statements)}\n}}"
                  for name, statements in graphs.items() if statements]
        insert = f" ; INSERT DATA {{\n{chr(10).join(blocks)}\n}}" if blocks else ""
        with self._lock:
            derivation = derived.plan_change(self._select, graphs, derived.councils_in_statements(
                s for statements in graphs.values() for s in statements))
            self._update(derivation.update([drops + insert]))

    def _bulk_replace(self, quads: Iterable[ox.Quad], expected: set[str] | None = None) -> None:
        """Load quads with the bulk loader, replacing every graph they name, as one change."""
        self._writable()
        with self._lock:
            before = set(self._named_graphs())
            load_id = uuid.uuid4().hex
            self._write_journal({"id": load_id, "before": sorted(before)})
            self._set_visible(frozenset(before))
            staging: dict[str, str] = {}  # target graph -> its staging graph
            created: set[str] = set()  # graphs new to the store, loaded under their names

            def target(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph) -> ox.NamedNode:
                if not isinstance(graph, ox.NamedNode):
                    raise StoreError("every quad of a load must be in a graph named by an IRI")
                name = graph.value
                if name.startswith(STAGING_PREFIX):
                    raise StoreError(f"graph names under {STAGING_PREFIX} are reserved")
                if name not in before:
                    created.add(name)
                    return graph
                if name not in staging:
                    staging[name] = f"{STAGING_PREFIX}{load_id}/{len(staging)}"
                return ox.NamedNode(staging[name])

            def rewritten() -> Iterator[ox.Quad]:
                cache: dict[Any, ox.NamedNode] = {}
                for quad in quads:
                    graph = quad.graph_name
                    if graph not in cache:
                        cache[graph] = target(graph)
                    yield ox.Quad(quad.subject, quad.predicate, quad.object, cache[graph])

            try:
                stream = rewritten()
                while chunk := list(itertools.islice(stream, self.bulk_chunk)):
                    self._db.bulk_extend(chunk)
            except BaseException:
                self._abandon(before)
                self._set_visible(None)
                raise
            self._commit(load_id, before, staging, created, expected or set())

    def _commit(self, load_id: str, before: set[str], staging: Mapping[str, str],
                created: set[str], expected: set[str]) -> None:
        """Derive the loaded councils' facts and make the load visible in ONE update:
        every staging graph moved over its target, the commit marker written. Undoes the
        load if anything fails before that update has run."""
        moves = [f"MOVE SILENT <{stage}> TO <{name}>" for name, stage in staging.items()]
        # graphs asked for but with no triples in the data become empty
        drops = [f"DROP SILENT GRAPH <{name}>" for name in expected
                 if name in before and name not in staging]
        marker = (f"INSERT DATA {{ GRAPH <{_COMMIT_GRAPH}> {{ <{_COMMITTED}{load_id}> "
                  f"<{_COMMITTED}committed> true }} }}")
        try:  # the loaded councils' facts are derived before the commit, hidden like the data
            loaded = derived.councils_by_graph(self._select, [*staging.values(), *created])
            derivation = derived.plan_change(self._select, [*staging, *expected],
                                             set().union(*loaded.values()), fresh=created)
            if derivation.councils and not derivation.vocabulary:
                commit = " ;\n".join([*moves, *drops, *self._derive_in_bulk(
                    derivation, load_id, before, staging), marker])
            else:  # a new vocabulary: the councils' facts join its closure, so one update
                commit = derivation.update([*moves, *drops, marker])
        except BaseException:
            self._abandon(before)
            self._set_visible(None)
            raise
        self._set_visible(frozenset(before), committing=True)  # readers wait from here
        try:
            self._update(commit)  # the commit point
        except BaseException:
            self._abandon(before)
            raise
        else:
            self._journal().unlink()  # first: a marker without a journal is just dropped
            self._db.remove_graph(ox.NamedNode(_COMMIT_GRAPH))
        finally:
            self._set_visible(None)

    def _derive_in_bulk(self, derivation: derived.Derivation, load_id: str, before: set[str],
                        staging: Mapping[str, str]) -> list[str]:
        """Write the councils' derived facts with the bulk loader, as the load's data: a
        derived graph new to the store under its own name, one that exists to a staging
        graph. Each rule of ``council.ru`` runs as a SELECT (no write transaction), over
        the data as the commit will leave it: the staging graphs in place of the graphs
        they replace. Returns the commit's operations for the derived graphs."""
        writing: dict[str, str] = {}
        for number, (graph, _) in enumerate(derivation.targets()):
            writing[graph] = (f"{STAGING_PREFIX}{load_id}/derived/{number}" if graph in before
                              else graph)
        rows = [(council, writing[graph]) for graph, council in derivation.targets()]
        named = None
        if staging:  # the old content of a replaced graph must not count
            replaced = set(staging)
            named = [ox.NamedNode(g) for g in
                     {*before, *staging.values(), *writing.values(), *self._named_graphs()}
                     if g not in replaced]
        # N-Quads; one loader call for many rules (each call has a cost), but never more
        # than a quarter of a data chunk's bytes (16 MB): the loader's memory grows with
        # a call's batch, and here it comes on top of what the rules' scans left the
        # process holding (at 2,000 councils, 104 MB of derived quads in one call took
        # the load's peak from 0.59 to 1.03 GB; 54 MB from 0.66 to 0.92 GB)
        pending: list[bytes] = []  # a few pieces: at most one a rule
        pending_triples: list[tuple[str, str, str]] = []  # the templates of `pending`
        limit = self.bulk_chunk * 64

        def flush() -> None:
            if pending:
                # (joining one piece returns it: bytes.join makes no copy of a lone item)
                self._db.bulk_load(b"".join(pending), format=ox.RdfFormat.N_QUADS)
                pending.clear()
            pending_triples.clear()

        # Loading as many councils as the store held, or more: one scan of the whole
        # store per rule is cheaper than a lookup from each council (derived.Rule).
        held = sum(1 for g in before if g.startswith(derived.COUNCIL_GRAPH_PREFIX))
        by_council = {f"<{council}>".encode(): f"<{writing[graph]}>".encode()
                      for graph, council in derivation.targets()}
        scan = len(by_council) >= held
        for rule in derived.council_rules():
            if rule.reads_any(pending_triples):  # it reads what rules before it wrote
                flush()
            whole = scan and not rule.reads_derived
            query = rule.select_all() if whole else rule.select(rows)
            solutions = self._db.query(query, named_graphs=named)
            assert isinstance(solutions, ox.QuerySolutions)
            # the rows as TSV, whose terms are N-Triples text when they are IRIs: made
            # into N-Quads without a Python object per term (derived.Rule.nquads)
            tsv = solutions.serialize(format=ox.QueryResultsFormat.TSV)
            # the evaluation's state (a scan's hash tables: about 0.25 GB at 2,000
            # councils) lives as long as the solutions do: freed before the loader runs
            del solutions
            lines = rule.nquads(tsv, by_council if whole else None)
            if lines is None:  # a literal, blank node or unbound term: read as terms
                rows_of = by_council if whole else None
                if b"_:" in tsv:  # a blank node must stay the one node it is: no text
                    flush()
                    self._db.bulk_extend(self._rule_quads(rule, query, named, rows_of))
                    continue
                # written again as N-Quads by Oxigraph, to join the other rules' text:
                # each loader call ingests files that RocksDB then compacts with the
                # whole store, which made a call of a few quads cost a large one's CPU
                lines = ox.serialize(self._rule_quads(rule, query, named, rows_of, tsv),
                                     format=ox.RdfFormat.N_QUADS) or b""
            for piece in line_chunks(lines, limit):
                if sum(map(len, pending)) + len(piece) > limit:
                    flush()
                pending.append(piece)
            pending_triples.extend(rule.template)
        flush()
        ops = [f"DROP SILENT GRAPH <{graph}>" for graph in writing if graph in before]
        ops += [f"MOVE <{stage}> TO <{graph}>" for graph, stage in writing.items()
                if stage != graph and self._db.contains_named_graph(ox.NamedNode(stage))]
        return ops

    def _rule_quads(self, rule: derived.Rule, query: str, named: list[ox.NamedNode] | None,
                    by_council: Mapping[bytes, bytes] | None,
                    tsv: bytes | None = None) -> list[ox.Quad]:
        """A rule's quads, term by term: for rows whose terms TSV does not
        write as N-Triples (literals, blank nodes) or that leave a term unbound. The
        rows are read back from ``tsv`` (the rule's rows already written; Oxigraph's
        parser restores an abbreviated literal's datatype), else the query runs again:
        a blank node read from text would be a new node."""
        solutions = (self._db.query(query, named_graphs=named) if tsv is None else
                     ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV))
        assert isinstance(solutions, ox.QuerySolutions)
        quads: list[ox.Quad] = []
        for row in solutions:
            if by_council is None:
                graph = row["derived"]
            else:
                written = by_council.get(str(row["council"]).encode())
                if written is None:
                    continue  # a council this load does not change
                graph = ox.NamedNode(written.decode()[1:-1])
            for triple in rule.template:
                terms = [row[t[1:]] if t.startswith("?") else ox.NamedNode(t) for t in triple]
                if None not in terms:
                    quads.append(ox.Quad(*terms, graph))
        return quads

    def _abandon(self, before: set[str], default_empty: bool = False) -> None:
        """Undo an uncommitted bulk load: its graphs were never visible to readers. A
        load that found the default graph empty empties it again (a file's triples in no
        graph land there)."""
        for graph in self._named_graphs():
            if graph not in before:
                self._db.remove_graph(ox.NamedNode(graph))
        if default_empty:
            self._db.clear_graph(ox.DefaultGraph())
        self._journal().unlink(missing_ok=True)

    def _write_journal(self, state: dict[str, Any]) -> None:
        journal = self._journal()
        temporary = journal.with_suffix(".tmp")
        with temporary.open("w", encoding="utf-8") as out:
            json.dump(state, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, journal)
        directory = os.open(self.path, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)

    def load_file(self, path: Path, *, graph: GraphName | None = None) -> dict[str, int]:
        default = ox_graph_name(graph) if graph is not None else None
        if path.is_file() and path.stat().st_size > self.bulk_threshold * 100:  # ~100 B/triple
            if graph is None and path.suffix.lower() == ".nq":
                loaded = self._bulk_load_new_graphs(path)
                if loaded is not None:
                    return loaded
            counts: dict[str, int] = {}
            self._bulk_replace(file_quads(path, default, counts))
            return counts
        statements = file_statements(path, default)
        self._replace_statements(statements)
        return {name: len(lines) for name, lines in statements.items()}

    def _bulk_load_new_graphs(self, path: Path) -> dict[str, int] | None:
        """Load an N-Quads file whose graphs are all new to the store with the bulk loader
        reading the file's bytes itself, in chunks of whole lines (its memory grows with
        a call's batch): no Python object per quad. ``None`` (nothing done) when a graph
        of the file may exist already (its old content would be merged, not replaced),
        the file has blank nodes, or the store's default graph holds data: the general
        path handles those. Same journal and commit as :meth:`_bulk_replace`."""
        self._writable()
        with self._lock:
            before = set(self._named_graphs())
            if self._default_graph_holds_data() or not nquads_name_no_graph_of(path, before):
                return None
            load_id = uuid.uuid4().hex
            self._write_journal({"id": load_id, "before": sorted(before), "default_empty": True})
            self._set_visible(frozenset(before))
            try:
                # ~64 MB a call: 96 MB took the CPU of one call for the whole file at 400
                # councils (32 MB: 10 % more) and 0.75 GB (one call: 1.3 GB)
                for offset, chunk in nquads_chunks(path, self.bulk_chunk * 256):
                    try:
                        self._db.bulk_load(chunk, format=ox.RdfFormat.N_QUADS)
                    except SyntaxError as exc:
                        line = line_at(path, offset) - 1 + (exc.lineno or 1)
                        raise DataFileError.at(path, line, f"RDF syntax error: {exc.msg}") from None
                if self._default_graph_holds_data():
                    raise DataFileError.at(path, None, "has triples outside a named graph; "
                                           "say which graph they belong to")
                created = set(self._named_graphs()) - before
                reserved = sorted(g for g in created if g.startswith(STAGING_PREFIX)
                                  or derived.is_derived(g))
                if reserved:
                    raise StoreError(f"{path}: graph names under {STAGING_PREFIX} and "
                                     f"{derived.DERIVED_PREFIX} are reserved: {reserved[0]}")
                counts = {row["g"]: int(row["n"]) for row in self._select(
                    "SELECT ?g (COUNT(*) AS ?n) WHERE { VALUES ?g { "
                    + " ".join(f"<{g}>" for g in sorted(created))
                    + " } GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")} if created else {}
            except BaseException:
                self._abandon(before, default_empty=True)
                self._set_visible(None)
                raise
            self._commit(load_id, before, {}, created, set())
        return counts

    def _default_graph_holds_data(self) -> bool:
        return next(iter(self._db.quads_for_pattern(None, None, None, ox.DefaultGraph())),
                    None) is not None

    def drop_graph(self, graph: GraphName) -> None:
        name = ox_graph_name(graph).value
        with self._lock:
            derivation = derived.plan_change(self._select, [name], set())
            self._update(derivation.update([f"DROP SILENT GRAPH <{name}>"]))

    def update(self, sparql: str) -> None:
        with self._lock:
            self._update(sparql)

    def close(self) -> None:
        if self._ox is not None:
            if not self.read_only:
                self._ox.flush()
            self._ox = None  # RocksDB releases the folder lock when the store is freed
