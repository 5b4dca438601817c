"""Full-text search over what the store holds: councils, posts, bodies, framework items,
evidence, commitments, recommendations and actions, with the quoted source text.

The index is a SQLite FTS5 table (standard library, BM25 ranking, Porter stemming) kept
beside the store: ``govkg-search.sqlite`` in an embedded store's folder, or one file per
URL in the user's data folder for a SPARQL server. Every write to the store is announced
(:mod:`govkg.graph.store.events`) with the graphs it changed, and :func:`store_changed`
re-reads just those graphs, so the index follows every load without a rebuild. Each row
remembers the graph it was read from; an index that was never built (a store filled
before this module existed) is built in full on first use.

>>> import tempfile
>>> from govkg.graph.store import EmbeddedStore
>>> from govkg.graph.build import build
>>> with EmbeddedStore(Path(tempfile.mkdtemp()) / "store") as store:
...     _ = build(store, [])
...     hits = SearchIndex.beside(store).search("integrity")
>>> hits.total > 0 and hits.hits[0].kind == "framework-item"
True
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import re
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_data_dir
from rdflib import URIRef

from govkg.graph.errors import GovkgError, InputError
from govkg.graph.namespaces import COUNCIL, FRAMEWORK, GOVKG, VALIDATION_REPORT_GRAPHS
from govkg.graph.store.base import STAGING_PREFIX, SelectResult
from govkg.graph.store.terms import n3

if TYPE_CHECKING:
    from govkg.graph.store.base import Store

INDEX_FILE = "govkg-search.sqlite"
#: highlight marks FTS5 puts around matched words; never in the text (control characters)
OPEN, CLOSE = "\x02", "\x03"
SCHEMA_VERSION = "5"
#: the index; ``council`` is a column FTS5 indexes (tokens of the council's IRI) so that a
#: search narrowed to a council finds its rows through the index instead of reading every
#: match of the words (49 ms at 400 councils for a common word), and people's words are
#: looked for in ``label`` and ``body`` only
ENTRY_TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS entry USING fts5(
    label, body, iri UNINDEXED, graph UNINDEXED, kind UNINDEXED,
    council, council_label UNINDEXED, doc_kind UNINDEXED,
    principles UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')"""

#: what each indexed class is called, most specific first (a resource gets the first)
KINDS: dict[str, str] = {
    str(GOVKG.Council): "council",
    "http://www.w3.org/ns/org#Post": "post",
    str(GOVKG.Body): "body",
    str(GOVKG.CorePrinciple): "framework-item",
    str(GOVKG.SubPrinciple): "framework-item",
    str(GOVKG.SupportingPrinciple): "framework-item",
    str(GOVKG.SpecificRequirement): "framework-item",
    str(GOVKG.Evidence): "evidence",
    str(GOVKG.Commitment): "commitment",
    str(GOVKG.FurtherWork): "further-work",
    str(GOVKG.Recommendation): "recommendation",
    str(GOVKG.Finding): "finding",
    str(GOVKG.Failure): "failure",
    str(GOVKG.ImprovementAction): "improvement-action",
    str(GOVKG.SelfAssessmentResult): "self-assessment-result",
    str(GOVKG.LocalCode): "document",
    str(GOVKG.SelfAssessment): "document",
    str(GOVKG.AnnualGovernanceStatement): "document",
    str(GOVKG.ExternalGovernanceReview): "document",
}
KIND_LABELS = {"council": "Council", "post": "Post", "body": "Body",
               "framework-item": "Framework item", "evidence": "Evidence",
               "commitment": "Commitment", "further-work": "Further work",
               "recommendation": "Recommendation", "finding": "Finding",
               "failure": "Failure", "improvement-action": "Improvement action",
               "self-assessment-result": "Self-assessment result", "document": "Document"}
#: the kinds of document a resource can come from (the filter's values)
DOCUMENT_KINDS: dict[str, str] = {
    str(GOVKG.LocalCode): "local-code",
    str(GOVKG.SelfAssessment): "self-assessment",
    str(GOVKG.AnnualGovernanceStatement): "annual-governance-statement",
    str(GOVKG.ExternalGovernanceReview): "external-review",
}
DOCUMENT_KIND_LABELS = {"local-code": "Local code", "self-assessment": "Self-assessment",
                        "annual-governance-statement": "Annual governance statement",
                        "external-review": "External governance review",
                        "framework": "Framework"}

_PREFIXES = """PREFIX govkg: <https://w3id.org/govkg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
_TYPES = " ".join(f"<{iri}>" for iri in KINDS)
def _scanned(variables: str, pattern: str, scan: bool) -> str:
    """``pattern`` as it is joined to the resources: as written, Oxigraph looks it up
    from each resource (a lookup per row); as a subquery (``scan``), it evaluates it once
    for the whole store and joins by hashing. At 400 synthetic councils the subquery
    costs about 0.75 s whatever the graphs, the lookups about 7 ms a graph, so a
    refresh of more than a tenth of the store's graphs scans (``SearchIndex.refresh``)."""
    return f"{{ SELECT {variables} WHERE {{ {pattern} }} }}" if scan else pattern


def _entries(scan: bool) -> str:
    """Each indexed resource of the graphs, with its type, label, notation and council.
    %(graphs)s is a VALUES block of graph IRIs (each formatted by ``n3``) or nothing."""
    def optional(variables: str, pattern: str) -> str:
        return f"OPTIONAL {{ {_scanned(variables, pattern, scan)} }}"

    stated = "?r govkg:council ?stated . OPTIONAL { ?stated skos:prefLabel ?statedLabel }"
    return _PREFIXES + f"""
SELECT ?r ?g ?type ?label ?notation ?council ?councilLabel WHERE {{
  %(graphs)s
  VALUES ?type {{ {_TYPES} }}
  GRAPH ?g {{ ?r a ?type }}
  {optional("?r ?pref", "?r skos:prefLabel ?pref")}
  {optional("?r ?rdfsLabel", "?r rdfs:label ?rdfsLabel")}
  {optional("?r ?title", "?r dcterms:title ?title")}
  BIND(COALESCE(?pref, ?rdfsLabel, ?title) AS ?label)
  {optional("?r ?ownNotation", "?r skos:notation ?ownNotation")}
  {optional("?r ?assessed", "?r govkg:assesses/skos:notation ?assessed")}
  BIND(COALESCE(?ownNotation, ?assessed) AS ?notation)
  {optional("?r ?stated ?statedLabel", stated)}
  BIND(IF(?type = govkg:Council, ?r, ?stated) AS ?council)
  BIND(IF(?type = govkg:Council, ?pref, ?statedLabel) AS ?councilLabel)
}}"""


def _texts(scan: bool) -> str:
    """The text of each resource: its quoted sources, definitions and stated impacts; of
    the resources of the types the index holds only (the spans and selectors of every
    quote are typed too: looking up their texts was most of this query's time)."""
    texts = ("{ ?r govkg:source/oa:hasSelector/oa:exact ?text }\n"
             "  UNION { ?r skos:definition ?text }\n"
             "  UNION { ?r govkg:expectedImpact ?text }")
    return _PREFIXES + f"""
SELECT ?r ?text WHERE {{
  %(graphs)s
  VALUES ?type {{ {_TYPES} }}
  GRAPH ?g {{ ?r a ?type }}
  {_scanned("?r ?text", texts, scan)}
}}"""


ENTRIES, ENTRIES_SCANNED = _entries(False), _entries(True)
TEXTS, TEXTS_SCANNED = _texts(False), _texts(True)
#: the resources of the graphs that the index holds (those of a type it names), found
#: first: the patterns after it then start from each resource
_RESOURCES = """{ SELECT DISTINCT ?r WHERE {
    %(graphs)s
    VALUES ?type { """ + _TYPES + """ }
    GRAPH ?g { ?r a ?type } } }"""
_DOCUMENT_KIND_TYPES = ", ".join(f"<{iri}>" for iri in DOCUMENT_KINDS)
#: the kind of document each resource was read from (``?fromType``) and the kind of a
#: document itself (``?ownType``), which wins. Each an OPTIONAL from the bound resource:
#: as a UNION, Oxigraph evaluated both branches for every resource in the store before
#: joining (at 400 synthetic councils, 3.8 s against 0.5 s for 100 of the 934 documents)
DOCUMENT_TYPES = _PREFIXES + """
SELECT DISTINCT ?r ?fromType ?ownType WHERE {
  """ + _RESOURCES + """
  OPTIONAL { ?r prov:wasDerivedFrom ?doc . ?doc a ?fromType
             FILTER(?fromType IN (""" + _DOCUMENT_KIND_TYPES + """)) }
  OPTIONAL { ?r a ?ownType FILTER(?ownType IN (""" + _DOCUMENT_KIND_TYPES + """)) }
}"""
#: the core principle(s) each resource is about: an item's own, or the items it
#: addresses or assesses, directly or through what cites it. The resources are found in a
#: subquery first: with the graphs' VALUES beside the path, Oxigraph walked the path for
#: every graph named (12 s for the 200 graphs of 60 synthetic councils; 0.7 s so; the
#: refresh after a 400-council load took 409 s)
PRINCIPLES = _PREFIXES + """
SELECT DISTINCT ?r ?principle WHERE {
  { SELECT DISTINCT ?r WHERE { %(graphs)s GRAPH ?g { ?r a ?type } } }
  ?r (govkg:addresses|govkg:assesses|^govkg:citesEvidence/govkg:addresses
      |^govkg:improvementAction/govkg:assesses)?/skos:broader* ?principle .
  ?principle a govkg:CorePrinciple .
}"""
#: the core principles a search can be narrowed to
PRINCIPLE_CHOICES = _PREFIXES + """
SELECT ?principle ?notation ?label ?editionLabel WHERE {
  ?principle a govkg:CorePrinciple ; skos:notation ?notation ; skos:prefLabel ?label ;
      skos:inScheme/skos:prefLabel ?editionLabel .
} ORDER BY ?editionLabel ?notation"""


@dataclass(frozen=True)
class Hit:
    """One search result; ``snippet`` and ``title`` are HTML (escaped, matches in
    ``<mark>``)."""

    iri: str
    kind: str
    label: str
    title: str
    snippet: str
    council: str | None
    council_label: str | None
    document_kind: str | None
    principles: list[str]
    rank: float

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    def as_json(self) -> dict[str, object]:
        return {"iri": self.iri, "kind": self.kind, "label": self.label,
                "title": self.title, "snippet": self.snippet, "council": self.council,
                "councilLabel": self.council_label, "documentKind": self.document_kind,
                "principles": self.principles, "rank": self.rank}


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    offset: int
    hits: list[Hit] = field(default_factory=list)


def marked(text: str) -> str:
    """FTS5's highlighted text made safe HTML: everything escaped, then the marks
    (control characters, which escaping leaves alone) turned into ``<mark>``."""
    return html.escape(text).replace(OPEN, "<mark>").replace(CLOSE, "</mark>")


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """A person's words as an FTS5 query: every word must occur (the last may be the
    start of a word); FTS5 operators and quotes in the input are plain text."""
    words = _WORD.findall(text)
    if not words:
        raise InputError("the search has no words: give one or more words to look for")
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def index_path(store: Store) -> Path:
    """Where ``store``'s index lives: in an embedded store's folder, else in the user's
    data folder, one file per server URL."""
    folder = getattr(store, "path", None)
    if isinstance(folder, Path):
        return folder / INDEX_FILE
    digest = hashlib.sha256(store.location.encode("utf-8")).hexdigest()[:16]
    return Path(user_data_dir("govkg", appauthor=False)) / "search" / f"{digest}.sqlite"


def _values(graphs: Sequence[str] | None) -> str:
    if graphs is None:
        return ""
    return "VALUES ?g { " + " ".join(n3(URIRef(g)) for g in graphs) + " }"


def _select(store: Store, template: str, graphs: Sequence[str] | None) -> SelectResult:
    result = store.query(template % {"graphs": _values(graphs)})
    assert isinstance(result, SelectResult)
    return result


def _graph_count(store: Store) -> int:
    result = store.query("SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { } }")
    assert isinstance(result, SelectResult)
    return int(result.rows[0]["n"]) if result.rows else 0


class SearchIndex:
    """The FTS5 index of one store."""

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def beside(cls, store: Store) -> SearchIndex:
        """The index of ``store``, built in full if it never was."""
        index = cls(index_path(store))
        if not index.complete():
            index.refresh(store, None)
        return index

    def _connect(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        connection = sqlite3.connect(self.path, timeout=30)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript("""
            CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
        """ + ENTRY_TABLE + ";")
        return connection

    def stale(self) -> None:
        """Forget that the index is complete, so the next use rebuilds it."""
        try:
            with self._connect() as connection:
                connection.execute("DELETE FROM meta WHERE key='schema'")
        except (sqlite3.Error, OSError):
            with contextlib.suppress(OSError):  # then it cannot be read either
                self.path.unlink(missing_ok=True)

    def complete(self) -> bool:
        if not self.path.is_file():
            return False
        with self._connect() as connection:
            row = connection.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        return row is not None and row[0] == SCHEMA_VERSION

    def refresh(self, store: Store, graphs: Iterable[str] | None) -> int:
        """Re-read ``graphs`` (None: all) from ``store``; returns the rows written."""
        # Stored validation reports (two statements about their graph) have nothing to
        # index: refreshing 400 of them scanned the store and deleted by graph from the
        # whole FTS table, which cost more than validating the councils.
        names = None if graphs is None else sorted(
            {g for g in graphs if not g.startswith((STAGING_PREFIX, VALIDATION_REPORT_GRAPHS))})
        if names == []:
            return 0
        # a refresh of many graphs scans the store once per pattern (see _scanned)
        scan = names is None or len(names) * 10 >= _graph_count(store)
        entries = _select(store, ENTRIES_SCANNED if scan else ENTRIES, names)
        texts: dict[str, list[str]] = {}
        for row in _select(store, TEXTS_SCANNED if scan else TEXTS, names):
            texts.setdefault(str(row["r"]), []).append(str(row["text"]))
        derived_from: dict[str, str] = {}
        own: dict[str, str] = {}
        for row in _select(store, DOCUMENT_TYPES, names):
            if "fromType" in row:
                derived_from[str(row["r"])] = str(row["fromType"])
            if "ownType" in row:
                own[str(row["r"])] = str(row["ownType"])
        doc_types = {**derived_from, **own}  # a document is of its own kind
        principles: dict[str, set[str]] = {}
        for row in _select(store, PRINCIPLES, names):
            principles.setdefault(str(row["r"]), set()).add(str(row["principle"]))
        order = list(KINDS)
        chosen: dict[tuple[str, str], dict[str, str]] = {}
        # the same entry whichever way the store was read: the scanned and the looked-up
        # queries give a resource's rows (several labels, several texts) in other orders,
        # so the first type in KINDS and then the least label (and council) wins, and
        # texts are sorted
        ranks: dict[tuple[str, str], tuple[int, str, str, str]] = {}
        for row in entries:
            key = (str(row["r"]), str(row["g"]))
            rank = (order.index(str(row["type"])), str(row.get("label", "")),
                    str(row.get("council", "")), str(row.get("councilLabel", "")))
            if key not in ranks or rank < ranks[key]:
                ranks[key] = rank
                chosen[key] = {k: str(v) for k, v in row.items()}
        rows = []
        for (iri, graph), row in chosen.items():
            kind = KINDS[row["type"]]
            label = row.get("label") or (
                f"{KIND_LABELS[kind]} {row['notation']}" if row.get("notation")
                else KIND_LABELS[kind])
            if kind == "framework-item" and row.get("notation"):
                label = f"{row['notation']} {label}"
            doc_kind = DOCUMENT_KINDS.get(doc_types.get(iri, ""))
            if kind == "framework-item":
                doc_kind = "framework"
            rows.append((label, "\n".join(sorted(set(texts.get(iri, [])))), iri, graph,
                         kind, row.get("council"), row.get("councilLabel"), doc_kind,
                         " " + " ".join(sorted(principles.get(iri, ()))) + " "))
        with self._connect() as connection:
            if names is None:  # made again: an index of an earlier schema has other columns
                connection.execute("DROP TABLE IF EXISTS entry")
                connection.execute(ENTRY_TABLE)
            else:
                connection.executemany("DELETE FROM entry WHERE graph = ?",
                                       [(g,) for g in names])
            connection.executemany("INSERT INTO entry(label, body, iri, graph, kind, council,"
                                   " council_label, doc_kind, principles) "
                                   "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
            if names is None:
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)",
                                   (SCHEMA_VERSION,))
        return len(rows)

    def search(self, text: str, *, council: str | None = None, kind: str | None = None,
               document_kind: str | None = None, principle: str | None = None,
               limit: int = 20, offset: int = 0) -> Results:
        """The resources that match every word of ``text``, best first (BM25, a match in
        the label counting ten times one in the quoted text), narrowed by the filters.

        ``council`` is a slug or IRI, ``principle`` an IRI or its path after
        ``/framework/`` (``cipfa-solace-2016/A``), ``kind`` and ``document_kind`` one of
        :data:`KIND_LABELS` and :data:`DOCUMENT_KIND_LABELS`.
        """
        where = ["entry MATCH ?"]
        match = "{label body} : (" + fts_query(text) + ")"
        params: list[object] = [match]
        if council:
            council_iri = council if council.startswith("http") else str(COUNCIL[council])
            # the index finds the council's rows by its IRI's words; the equality keeps
            # out a council whose IRI holds those words in a row (east-kent-... for kent-...)
            params[0] = match + ' AND council : "' + council_iri.replace('"', '""') + '"'
            where.append("council = ?")
            params.append(council_iri)
        if kind:
            if kind not in KIND_LABELS:
                raise InputError(f"unknown kind {kind!r}; one of {', '.join(KIND_LABELS)}")
            where.append("kind = ?")
            params.append(kind)
        if document_kind:
            if document_kind not in DOCUMENT_KIND_LABELS:
                raise InputError(f"unknown kind of document {document_kind!r}; one of "
                                 f"{', '.join(DOCUMENT_KIND_LABELS)}")
            where.append("doc_kind = ?")
            params.append(document_kind)
        if principle:
            iri = principle if principle.startswith("http") else str(FRAMEWORK[principle])
            where.append("instr(principles, ?) > 0")
            params.append(f" {iri} ")
        clause = " AND ".join(where)
        with self._connect() as connection:
            total = connection.execute(f"SELECT count(*) FROM entry WHERE {clause}",
                                       params).fetchone()[0]
            found = connection.execute(
                f"SELECT iri, kind, label, highlight(entry, 0, ?, ?),"
                f" snippet(entry, 1, ?, ?, '…', 24), council, council_label, doc_kind,"
                f" principles, bm25(entry, 10.0, 1.0, 0, 0, 0, 0) AS score FROM entry"
                f" WHERE {clause} ORDER BY score LIMIT ? OFFSET ?",
                [OPEN, CLOSE, OPEN, CLOSE, *params, limit, offset]).fetchall()
        hits = [Hit(iri, kind_, label, marked(title), marked(snippet), council_, clabel,
                    dkind, principles_.split(), round(-score, 3))
                for (iri, kind_, label, title, snippet, council_, clabel, dkind,
                     principles_, score) in found]
        return Results(text, total, offset, hits)


    def entries(self) -> list[dict[str, object]]:
        """Every indexed resource once (the static site searches these in the page)."""
        with self._connect() as connection:
            found = connection.execute(
                "SELECT iri, kind, label, body, council, council_label, doc_kind, principles"
                " FROM entry ORDER BY iri").fetchall()
        seen: dict[str, dict[str, object]] = {}
        for iri, kind, label, body, council, council_label, doc_kind, principles in found:
            seen.setdefault(iri, {"iri": iri, "kind": kind, "kindLabel": KIND_LABELS[kind],
                                  "label": label, "body": body, "council": council,
                                  "councilLabel": council_label, "documentKind": doc_kind,
                                  "principles": principles.split()})
        return list(seen.values())


def store_changed(store: Store, graphs: list[str] | None) -> None:
    """The listener :mod:`govkg.graph.store.events` calls after every write.

    The write has happened; the index must never make it look failed. If the index
    cannot follow (a server that stops answering, a full disk), it is marked stale and
    rebuilt in full by the next search."""
    index = SearchIndex(index_path(store))
    try:
        index.refresh(store, graphs if index.complete() else None)
    except (GovkgError, sqlite3.Error, OSError):
        index.stale()


def filter_key(iri: str) -> str:
    """The short form :meth:`SearchIndex.search` takes for a council or principle IRI (a
    council's slug, a principle's path after ``/framework/``), the same under any
    published base: the search form's and the static site's filter values.

    >>> filter_key("https://w3id.org/govkg/id/framework/cipfa-solace-2016/A")
    'cipfa-solace-2016/A'
    >>> filter_key("https://w3id.org/govkg/id/council/kent-county-council")
    'kent-county-council'
    """
    for namespace in (str(FRAMEWORK), str(COUNCIL)):
        if iri.startswith(namespace):
            return iri[len(namespace):]
    return iri


def principle_choices(store: Store) -> list[dict[str, str]]:
    """The core principles of every edition, for the search and compare forms."""
    result = store.query(PRINCIPLE_CHOICES)
    assert isinstance(result, SelectResult)
    return [{k: str(v) for k, v in row.items()} for row in result]
