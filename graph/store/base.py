"""The one interface every store backend implements, and its neutral result types.

Everything in govkg that queries, validates or publishes talks to a :class:`Store`, so
it never knows whether the data sits in an embedded Oxigraph folder or on a SPARQL
server. Like ``rdflib.store.Store``, each backend declares what it can guarantee as
class-level flags, and the shared test-suite checks each flag against the real backend.

Query semantics shared by all backends: the default graph is the *union* of all named
graphs (govkg keeps every triple in a named graph: one per source document, plus the
ontology and the reference data), unless ``default_graph`` narrows it.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar
from typing import Literal as TypingLiteral

from rdflib import BNode, Graph, URIRef
from rdflib.term import Node

from govkg.graph.errors import QueryError, StoreError
from govkg.graph.namespaces import GRAPH
from govkg.graph.store.events import announce_writes

#: Staging graphs hold a graph's new content until it is swapped in; never queried.
#: The embedded store's load journal (its commit marker graph) is under it too.
STAGING_PREFIX = str(GRAPH) + "staging/"
#: Graphs govkg computes from others at load time; rewritten by every load, never by hand.
DERIVED_PREFIX = str(GRAPH) + "derived/"
#: Graphs written only by ``govkg build``: the ontology and the reference data.
VOCABULARY_GRAPHS = (str(GRAPH) + "ontology", str(GRAPH) + "reference")


def reserved_graph(name: str) -> str | None:
    """Why a client may not write graph ``name`` directly, or ``None`` if it may.

    >>> reserved_graph("https://w3id.org/govkg/graph/staging/x").startswith("graphs under")
    True
    >>> reserved_graph("https://w3id.org/govkg/graph/document/x") is None
    True
    """
    if name.startswith(STAGING_PREFIX):
        return (f"graphs under {STAGING_PREFIX} hold loads in progress and are dropped when "
                "the store reopens")
    if name.startswith(DERIVED_PREFIX):
        return f"graphs under {DERIVED_PREFIX} are derived from the others at every load"
    if name in VOCABULARY_GRAPHS:
        return "the ontology and reference data are written only by govkg build"
    return None

#: What ``replace_graphs`` accepts for one graph: an rdflib graph or plain triples.
Triples = Graph | Iterable[tuple[Node, Node, Node]]
GraphName = URIRef | str

ExportFormat = TypingLiteral["trig", "nq", "ttl", "jsonld"]
EXPORT_FORMATS: tuple[str, ...] = ("trig", "nq", "ttl", "jsonld")


class QueryTimeout(StoreError):
    """A query ran longer than its time limit and was stopped."""


@dataclass(frozen=True)
class SelectResult:
    """The rows of a SELECT query, the same from every backend.

    ``rows`` maps each bound variable (without ``?``) to an rdflib term; an unbound
    variable is absent from its row. Simple literals never carry ``xsd:string``, so
    rows from different backends compare equal.
    """

    variables: list[str]
    rows: list[dict[str, Node]] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, Node]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def column(self, variable: str) -> list[Node | None]:
        """One variable's values, row by row (``None`` where unbound)."""
        return [row.get(variable) for row in self.rows]


@dataclass(frozen=True)
class TextRows:
    """The rows of a SELECT as plain text, for callers that need no RDF terms.

    Each value is an IRI as itself, a literal's lexical form (no language or datatype)
    or a blank node as ``_:label``; a variable that is unbound, or bound to an empty
    literal, is absent from its row. Reading text skips making an rdflib term per value,
    which costs seconds for a hundred thousand rows (``govkg analyze``).
    """

    variables: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)

    def __iter__(self) -> Iterator[dict[str, str]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_result(cls, result: object) -> TextRows:
        """The text of a :class:`SelectResult`'s terms (a ``QueryError`` for any other
        result: only a SELECT has rows)."""
        if not isinstance(result, SelectResult):
            raise QueryError("only a SELECT query gives rows of text")
        return cls(result.variables, [
            {name: text for name, term in row.items()
             if (text := f"_:{term}" if isinstance(term, BNode) else str(term))}
            for row in result.rows])


#: SELECT gives a :class:`SelectResult`, ASK a ``bool``, CONSTRUCT and DESCRIBE a Graph.
QueryResult = SelectResult | bool | Graph


@dataclass(frozen=True, order=True)
class GraphInfo:
    """A named graph in the store and how many triples it holds."""

    iri: str
    triples: int


class Store(ABC):
    """A quad store that govkg reads and writes through SPARQL.

    Subclasses set the capability flags below truthfully; ``docs/store.md`` lists them
    per backend and says how each was tested.
    """

    #: A multi-operation update (and so ``replace_graphs``) is all-or-nothing.
    transactional_updates: ClassVar[bool] = False
    #: Readers never see part of an update: a replaced graph is old or new, never half.
    isolated_reads: ClassVar[bool] = False
    #: A load killed with ``kill -9`` leaves the previous data, and the store reopens.
    crash_safe_loads: ClassVar[bool] = False
    #: Query parameters are bound by the engine itself (else by a ``VALUES`` block).
    native_bindings: ClassVar[bool] = False
    #: Where a query time limit is enforced: "server", "client" or "cooperative"
    #: (checked between result rows, so a query that sorts or groups everything
    #: before its first row cannot be stopped sooner).
    timeout_enforcement: ClassVar[str] = "client"

    #: A human-readable location for messages: a folder or a URL.
    location: str

    def __init_subclass__(cls, **kwargs: object) -> None:  # each write tells listeners
        super().__init_subclass__(**kwargs)
        announce_writes(cls)

    # ------------------------------------------------------------------ reading

    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[GraphName] | None = None,
        named_graphs: Iterable[GraphName] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query; ``bindings`` are bound as RDF terms, never spliced as text.

        Raises :class:`~govkg.graph.errors.QueryError` for a malformed query or binding,
        :class:`QueryTimeout` past ``timeout`` seconds, and ``StoreError`` otherwise.
        """

    def select_text(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        timeout: float | None = None,
    ) -> TextRows:
        """A SELECT query's rows as text (:class:`TextRows`); bindings as in :meth:`query`.

        This default reads :meth:`query`'s terms; a backend overrides it where it can
        skip making them.
        """
        return TextRows.from_result(self.query(sparql, bindings, timeout=timeout))

    @abstractmethod
    def graphs(self) -> list[GraphInfo]:
        """Every named graph with data, with its triple count, sorted by IRI (not the
        store's own staging and derived graphs, which queries see but nobody writes)."""

    @abstractmethod
    def export(self, format: ExportFormat = "trig", graph: GraphName | None = None) -> bytes:
        """The whole store (or one graph) serialised in ``format``.

        ``ttl`` has no named graphs: without ``graph`` it holds the union of all graphs.
        """

    # ------------------------------------------------------------------ writing

    @abstractmethod
    def replace_graphs(self, graphs: Mapping[GraphName, Triples]) -> dict[str, int]:
        """Replace each named graph's content with the given triples, as one change.

        Returns the number of triples written per graph. How atomic the change is, for
        readers and against a crash, is what the capability flags say.
        """

    @abstractmethod
    def load_file(self, path: Path, *, graph: GraphName | None = None) -> dict[str, int]:
        """Replace every graph that an RDF file holds (N-Quads and TriG name theirs).

        Triples outside a named graph (and all of a Turtle, N-Triples or JSON-LD file)
        go to ``graph``; a file that has such triples and no ``graph`` is refused. The
        file is read by the backend's fastest parser; a syntax error raises
        :class:`~govkg.graph.errors.DataFileError` with file and line, and writes nothing.
        """

    @abstractmethod
    def drop_graph(self, graph: GraphName) -> None:
        """Remove a named graph; nothing happens if it does not exist."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 update as given (for maintenance; data loads use replace)."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (for the embedded store: its folder lock)."""

    # ------------------------------------------------------------------ conveniences

    def replace_graph(self, graph: GraphName, triples: Triples) -> int:
        """Replace one named graph atomically; see :meth:`replace_graphs`."""
        return self.replace_graphs({graph: triples})[str(graph)]

    def triple_count(self, graph: GraphName | None = None) -> int:
        """Triples in one graph, or in all named graphs."""
        infos = self.graphs()
        if graph is None:
            return sum(info.triples for info in infos)
        return next((info.triples for info in infos if info.iri == str(graph)), 0)

    def is_empty(self) -> bool:
        """True when no named graph holds a triple."""
        return not self.graphs()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.location}>"
