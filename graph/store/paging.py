"""A page of a named query's all-council result without evaluating every council.

A query ordered by ``?councilLabel`` first (13 of the named queries) must evaluate and
sort every council's rows before Oxigraph hands back the first: the first page of 100
rows costs the whole result (1 to 8 s at 400 councils). Its rows come council by
council in the order of their labels, so the same page is the rows of the first
councils by label, each council's rows evaluated with the council bound (a lookup from
the council, milliseconds) and sorted by the rest of the ORDER BY, as the engine would
sort them.

The councils are those with documents (``derived:hasDocument``, docs/store.md): a
council's rows in these queries come from its documents. Councils that share a label
are evaluated together, so the query itself orders their rows. A query may read the
label in an ``OPTIONAL``: then the rows of councils without one sort first, and those
councils come first, as one group. When the first councils give no row, the query is
asked whether it has any (an ``ASK`` of its WHERE group): a query with none is answered
at once. When the rows are too sparse for reading council by council to pay, the page
is the whole result's slice (the share of the councils past which this happens may be
given in the query's header: :func:`fallback_share_of`). Whether a query may be paged
this way is decided by its text (:func:`pages_by_council`); the golden suite checks, for
each such query, that every page equals the slice of the full result
(``tests/queries/test_paging.py``).

A page further on would have to read every council before it (or, past a share of
them, the whole result). With the query's rows counted by council and label
(:func:`council_counts`: one grouped count, as costly as counting the whole result,
which the web service does once per store version for the total anyway), a page starts
at the council its offset falls in and passes over the councils with no rows, so the
last page costs what the first does (self-assessment-scores at 400 councils: 1.2 s to
about 60 ms a page past the first few).

>>> pages_by_council("SELECT ?council WHERE { ?council skos:prefLabel ?councilLabel } "
...                  "ORDER BY ?councilLabel ?x")
True
>>> pages_by_council("SELECT ?council WHERE { ?x ?p ?council } ORDER BY ?score ?councilLabel")
False

A query ordered by ``?score`` (a ``govkg:score``) and then by the council's label
(lowest-scoring-items) is paged score by score (:func:`pages_by_score`): the distinct
numeric scores, lowest first, come from the score facts alone (one scan of
``govkg:score``, milliseconds); each score's rows are those of the query with the score
bound, whose order is then the council's label first, so they are read council by
council as above, until the page is full. Scores that are equal as numbers but written
differently (``1`` and ``1.0``) are bound together, since the engine orders them as one.
A score the query's own filter excludes gives no rows: it is passed over, at the cost
of looking (it comes after every score the filter keeps, so only a last page pays).

>>> pages_by_score("SELECT ?council ?score WHERE { ?r govkg:score ?score ; "
...                "govkg:council ?council . ?council skos:prefLabel ?councilLabel } "
...                "GROUP BY ?council ?councilLabel ?score ORDER BY ?score ?councilLabel")
True

A query with no ``ORDER BY`` gives its rows in the engine's own order, and ``LIMIT``
slices them as they come, unless the query joins an ``OPTIONAL`` sub-select by hashing
(analytics-nodes: every label in the store in one scan, which ``govkg analyze`` needs
for the whole result, 2.8x faster than looking each node's labels up): the engine
builds the whole sub-select before the first row, so the first page paid the scan
(480 ms at 2,000 councils). Such a query's early pages (:func:`narrowed_page`) are
read from the query itself with each sub-select narrowed by a ``VALUES`` block to the
values its rows can join (lookups, not the scan): those of the first rows of the rest
of the query (:func:`without_sub_selects`; each of its rows is at least one row of
the whole), checked to cover every row up to the page's end. The rows come in the
query's own order (the hash join gives a node's several labels in the reverse of the
order a lookup finds them, so the sub-select written as a plain ``OPTIONAL`` gives
the same rows in another order); ``tests/queries/test_paging.py`` checks every page
against the full result's slice. Pages past :data:`NARROWED_ROWS` are the whole
result's slice, as before.

>>> without_sub_selects("SELECT ?n ?l WHERE { ?n a ?c OPTIONAL { SELECT ?n ?l WHERE "
...                     "{ ?n rdfs:label ?l } } }")
'SELECT ?n ?l WHERE { ?n a ?c  }'
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from govkg.graph.namespaces import DERIVED, GOVKG, SKOS
from govkg.graph.store.base import SelectResult, Store
from govkg.graph.store.terms import (
    ask_where,
    bind_rows,
    bind_table,
    bind_values,
    n3,
    query_form,
    wrapped,
)

# The query's solution modifiers end the text: ORDER BY ?councilLabel first, no LIMIT or
# OFFSET of its own, and any GROUP BY by ?council (else a group could span councils).
_ORDERED_BY_COUNCIL = re.compile(r"ORDER\s+BY\s+(ASC\s*\(\s*)?\?councilLabel\b[^{}]*$",
                                 re.IGNORECASE)
_ORDERED_BY_SCORE = re.compile(r"ORDER\s+BY\s+(ASC\s*\(\s*)?\?score\s*\)?\s+"
                               r"(ASC\s*\(\s*)?\?councilLabel\b[^{}]*$", re.IGNORECASE)
_SCORED = re.compile(r"govkg:score\s+\?score\b")
_LABELLED = re.compile(r"\?council\s+(a\s+govkg:Council\s*;\s*)?skos:prefLabel\s+\?councilLabel")

#: Councils evaluated in one query at first; the batch doubles while rows are missing,
#: up to MAX_BATCH: with more councils bound at once Oxigraph may plan a scan instead of
#: lookups from each (unaddressed-items at 400 councils: 9 ms for 4 councils, 435 ms for
#: 8; its first page 1.6 s with batches up to 64, 0.11 s up to 4).
FIRST_BATCH = 2
MAX_BATCH = 4
#: When the rows so far say that filling the page needs more than this share of the
#: councils, the page is read from the whole result instead (LIMIT and OFFSET): at 400
#: councils a sparse query (39 rows in all) cost 10 s council by council, 4 s in full.
FALLBACK_SHARE = 0.1
#: ... but only once this many councils have been looked at.
FALLBACK_AFTER = 6
#: The query's parameters are bound row by row in the councils' VALUES table, not in a
#: VALUES block of their own, unless the councils looked at gave fewer rows each than
#: this. Oxigraph's plan starts from its smallest VALUES block, a parameter's one row,
#: and so reads every council's rows of the parameter in each batch: a parameter that
#: every council has rows of (evidence-for-item's framework item) selects nothing, and
#: the batch is better read from its councils (2,000 councils, 2 of them bound: 61 ms
#: of CPU from the item, 8 ms from the councils; bench/README.md, "evidence-for-item at
#: 2,000"). Where rows are sparser the parameter selects, and later batches start from
#: it (topic-owners at 2,000, 4 councils: 19 ms from its topic, 44 ms from the councils;
#: its first 2 councils cost 19 and 20 ms either way).
DENSE_ROWS = 1.0
#: A query may give its own share in its header (``#+ page fallback share: 0.5``): one
#: whose rows for a council are a few lookups from the council costs about as much per
#: council whole as read council by council (assurance-gaps at 2,000 councils, in CPU:
#: 0.47 ms a council whole, 0.9 ms one by one in batches), where the share above assumes
#: the whole result about ten times cheaper. At about two rows a council its first page at
#: 400 councils needs 45 (40 ms of CPU council by council, 115 ms from the whole result).
_DECLARED_SHARE = re.compile(r"^#\+\s*page fallback share:\s*([0-9]*\.?[0-9]+)\s*(#.*)?$",
                             re.MULTILINE)

# councils without a label first (an unbound value sorts first), for the queries that
# read the label in an OPTIONAL; in the others their group gives no rows
COUNCILS_BY_LABEL = f"""
SELECT DISTINCT ?councilLabel ?council WHERE {{
  ?council <{DERIVED.hasDocument}> ?document .
  OPTIONAL {{ ?council <{SKOS.prefLabel}> ?councilLabel }}
}} ORDER BY ?councilLabel ?council"""


def pages_by_council(text: str) -> bool:
    """True when a query's text lets a page be read council by council: ordered by the
    council's label first, the label a ``skos:prefLabel`` of ``?council`` (required or
    optional), grouped (if at all) by ``?council``, and no limit or offset of its own."""
    return (bool(_ORDERED_BY_COUNCIL.search(text)) and bool(_LABELLED.search(text))
            and _grouped_by(text, "council")
            and not re.search(r"\b(LIMIT|OFFSET)\b", text, re.IGNORECASE))


# the distinct numeric scores, lowest first: one scan of govkg:score
SCORES = f"""
SELECT DISTINCT ?score WHERE {{
  ?scored <{GOVKG.score}> ?score . FILTER(isNumeric(?score))
}} ORDER BY ?score"""


def _grouped_by(text: str, name: str) -> bool:
    """True when the query is not grouped, or is grouped by ``?name`` among others."""
    grouped = re.search(r"\bGROUP\s+BY\b([^{}]*?)(ORDER\s+BY|$)", text, re.IGNORECASE)
    return grouped is None or bool(re.search(rf"\?{name}\b", grouped.group(1)))


def pages_by_score(text: str) -> bool:
    """True when a query's text lets a page be read score by score and, within a score,
    council by council: ordered by ``?score`` (a ``govkg:score``, ascending) and then by
    the council's label, the label a ``skos:prefLabel`` of ``?council``, grouped (if at
    all) by both, and no limit or offset of its own."""
    return (bool(_ORDERED_BY_SCORE.search(text)) and bool(_SCORED.search(text))
            and bool(_LABELLED.search(text))
            and _grouped_by(text, "council") and _grouped_by(text, "score")
            and not re.search(r"\b(LIMIT|OFFSET)\b", text, re.IGNORECASE))


#: An OPTIONAL sub-select with no modifiers over a group of triple patterns alone.
_OPTIONAL_SELECT = re.compile(r"OPTIONAL\s*\{\s*SELECT\s+(?P<names>(?:\?\w+\s+)+)WHERE\s*"
                              r"\{(?P<group>[^{}]*)\}\s*\}", re.IGNORECASE)
# what the group may not hold (it would not be a plain lookup), and the solution
# modifiers that make a query's order the ORDER BY's, not the engine's
_NOT_PLAIN = re.compile(r"\b(FILTER|BIND|VALUES|OPTIONAL|MINUS|SERVICE|GRAPH|SELECT)\b",
                        re.IGNORECASE)
_MODIFIED = re.compile(r"\b(ORDER\s+BY|GROUP\s+BY|HAVING|DISTINCT|REDUCED|LIMIT|OFFSET)\b",
                       re.IGNORECASE)
#: Pages ending within this many rows are read narrowed: such a page costs a lookup
#: for each row before its end, where the whole result's slice costs a scan of the
#: store (analytics-nodes, a page of 100 at offset 400, under a load average of 8: 41
#: against 16 ms at 40 councils, 73 against 380 ms at 400; the first page 7 to 12
#: against 9 to 10 ms, and 15 to 27 against 360 to 410 ms).
NARROWED_ROWS = 500


def _sub_selects(text: str) -> tuple[str, list[re.Match[str]]] | None:
    """The query's text with whole-line comments blanked (same offsets), and its
    ``OPTIONAL`` sub-selects that may be narrowed (no modifiers, every variable of
    their group of triple patterns projected), when its rows come in the engine's own
    order (no ``ORDER BY``, grouping, ``DISTINCT``, ``LIMIT`` or ``OFFSET``) and it has
    no other sub-select; None otherwise."""
    code = re.sub(r"(?m)^[ \t]*#.*$", lambda m: " " * len(m.group()), text)
    found = [m for m in _OPTIONAL_SELECT.finditer(code)
             if set(m.group("names").split()) == set(re.findall(r"\?\w+", m.group("group")))
             and not _NOT_PLAIN.search(m.group("group"))]
    rest = _OPTIONAL_SELECT.sub(" ", code)  # one SELECT left: the query's own
    if not found or len(re.findall(r"\bSELECT\b", rest, re.IGNORECASE)) != 1 or \
            _MODIFIED.search(code):
        return None
    return code, found


def pages_by_narrowing(text: str) -> bool:
    """True when the query's early pages can be read with its ``OPTIONAL`` sub-selects
    narrowed (:func:`narrowed_page`): it is in the engine's own order and has such a
    sub-select, each projecting every variable of its group of triple patterns."""
    return _sub_selects(text) is not None


def without_sub_selects(text: str) -> str:
    """The query without its ``OPTIONAL`` sub-selects (``pages_by_narrowing(text)`` must
    hold): the rows they extend, each at least one row of the whole query."""
    found = _sub_selects(text)
    if found is None:
        raise ValueError("the query has no OPTIONAL sub-select to narrow")
    parts, at = [], 0
    for match in found[1]:
        parts.append(text[at:match.start()])
        at = match.end()
    return "".join(parts) + text[at:]


def narrowed_page(store: Store, text: str, bindings: Mapping[str, Node] | None,
                  limit: int, offset: int = 0) -> str:
    """A query whose rows are rows ``offset`` to ``offset + limit`` of a query in the
    engine's own order with ``OPTIONAL`` sub-selects (``pages_by_narrowing(text)``):
    the page's rows as a ``VALUES`` table, read from the query with each sub-select
    narrowed to the values of its join variables in the first ``offset + limit`` rows
    of the query without them; their rows up to the page's end must all hold such a
    value, so none lacks a match the whole query would give it. Past
    :data:`NARROWED_ROWS`, or where that does not hold or a blank node is among the
    values or the page, the whole result's slice."""
    values = dict(bindings or {})
    whole = _sliced_text(bind_values(text, values), limit, offset)
    found = _sub_selects(text)
    if found is None:
        raise ValueError("the query has no OPTIONAL sub-select to narrow")
    end = offset + limit
    if end > NARROWED_ROWS:
        return whole
    first = store.query(_sliced_text(bind_values(without_sub_selects(text), values), end, 0))
    assert isinstance(first, SelectResult)
    code, matches = found
    tables: list[tuple[list[str], set[tuple[Node | None, ...]]]] = []
    parts, at = [], 0
    for match in matches:
        # the variables it shares with the rest of the WHERE group (its first brace on)
        outside = code[code.index("{"):match.start()] + code[match.end():]
        keys = [n[1:] for n in match.group("names").split() if re.search(rf"\{n}\b", outside)]
        table = list(dict.fromkeys(tuple(row.get(k) for k in keys) for row in first.rows))
        if any(term is None or isinstance(term, BNode) for key in table for term in key):
            return whole
        tables.append((keys, set(table)))
        rows = " ".join("(" + " ".join(n3(term) for term in key) + ")" for key in table)
        parts += [text[at:match.start("group")],
                  f" VALUES ({' '.join('?' + k for k in keys)}) {{ {rows} }}"]
        at = match.start("group")
    narrowed = store.query(_sliced_text(bind_values("".join(parts) + text[at:], values),
                                        end, 0))
    assert isinstance(narrowed, SelectResult)
    if any(tuple(row.get(k) for k in keys) not in table
           for row in narrowed.rows for keys, table in tables):
        return whole  # a row the first rows did not foresee: not narrowed enough
    page = narrowed.rows[offset:end]
    if any(isinstance(term, BNode) for row in page for term in row.values()):
        return whole
    return rows_query(narrowed.variables, page)


def pageable(text: str) -> bool:
    """True when a page of the query's all-council result can be read without
    evaluating every council (:func:`pages_by_council` or :func:`pages_by_score`), or
    without building a sub-select whole first (:func:`pages_by_narrowing`)."""
    return pages_by_council(text) or pages_by_score(text) or pages_by_narrowing(text)


def scores(store: Store) -> list[list[Node]]:
    """The store's distinct numeric ``govkg:score`` values, lowest first, those equal as
    numbers (``1``, ``1.0``) together, as the engine's ORDER BY ties them."""
    result = store.query(SCORES)
    assert isinstance(result, SelectResult)
    tied: list[list[Node]] = []
    for row in result.rows:
        score = row["score"]
        if tied and isinstance(score, Literal) and score.eq(tied[-1][0]):
            tied[-1].append(score)
        else:
            tied.append([score])
    return tied


def councils_by_label(store: Store) -> list[tuple[Node | None, list[URIRef]]]:
    """The councils with documents, grouped by label, in the engine's label order; the
    councils without a label first, as one group labelled ``None``."""
    result = store.query(COUNCILS_BY_LABEL)
    assert isinstance(result, SelectResult)
    groups: list[tuple[Node | None, list[URIRef]]] = []
    for row in result.rows:
        label, council = row.get("councilLabel"), row["council"]
        if groups and groups[-1][0] == label:
            groups[-1][1].append(council)  # type: ignore[arg-type]
        else:
            groups.append((label, [council]))  # type: ignore[list-item]
    return groups


#: Rows of a query by council and label: ``{(council, label or None): rows}``.
Counts = dict[tuple[Node, Node | None], int]


def council_counts(store: Store, bound: str) -> Counts | None:
    """The rows of the (bound) query by council and label, in one grouped count of its
    rows; ``None`` when a row has no council (its rows cannot all be found by council)."""
    result = store.query(wrapped(bound, "?council ?councilLabel (COUNT(*) AS ?rows)",
                                 "GROUP BY ?council ?councilLabel"))
    assert isinstance(result, SelectResult)
    counts: Counts = {}
    for row in result.rows:
        if "council" not in row:
            return None
        counts[(row["council"], row.get("councilLabel"))] = int(row["rows"])  # type: ignore[call-overload]
    return counts


def _from_counts(groups: list[tuple[Node | None, list[URIRef]]], counts: Counts,
                 offset: int, limit: int) -> tuple[list[tuple[Node | None, list[URIRef]]], int]:
    """The groups of councils holding rows ``offset`` to ``offset + limit`` (those with
    no rows left out) and how many of their rows come before the offset. A group's rows
    are its councils' rows with the group's label: a council with two labels has rows in
    two groups, as :func:`_locate` reads them.

    >>> a, b, c = URIRef("http://a"), URIRef("http://b"), URIRef("http://c")
    >>> groups = [(Literal("A"), [a]), (Literal("B"), [b]), (Literal("C"), [c])]
    >>> counts = {(a, Literal("A")): 3, (c, Literal("C")): 2}
    >>> found, skip = _from_counts(groups, counts, 4, 10)
    >>> [[str(m) for m in members] for _, members in found], skip
    ([['http://c']], 1)
    >>> [str(label) for label, _ in _from_counts(groups, counts, 2, 1)[0]]
    ['A']
    """
    kept: list[tuple[Node | None, list[URIRef]]] = []
    before = 0  # rows of the groups before the first kept
    for label, members in groups:
        rows = sum(counts.get((council, label), 0) for council in members)
        if not rows:
            continue
        if not kept and before + rows <= offset:
            before += rows
            continue
        kept.append((label, members))
        before += rows
        if before >= offset + limit:
            break
    first = sum(counts.get((council, label), 0) for label, members in kept
                for council in members)
    return kept, offset - (before - first)


@dataclass
class _Located:
    """What reading a page council by council found: the page's rows, and the councils
    (with their labels) whose rows make it, and how many of their rows come before it.
    ``fallback`` is set when the rows were too sparse and the page is the whole
    result's slice."""

    names: list[str] = field(default_factory=list)
    rows: list[dict[str, Node]] = field(default_factory=list)
    window: list[tuple[URIRef, Node | None]] = field(default_factory=list)
    skip: int = 0
    fallback: bool = False
    #: of the offset, the rows still to skip after every council looked at
    left: int = 0
    #: the counts say the offset is past the last row
    past: bool = False


def _locate(store: Store, bound: str, limit: int, offset: int,
            groups: list[tuple[Node | None, list[URIRef]]], fallback_share: float,
            tied: list[Node] | None = None,
            parameters: tuple[str, Mapping[str, Node]] | None = None,
            budget: float | None = None) -> _Located:
    """The page council by council; with ``tied`` (scores equal as numbers), only the
    rows of those scores, each council bound with each score in one VALUES table (at
    400 councils, 4 councils and a score so: 10 ms; as two VALUES blocks, 24 to 46 ms
    from 2 councils). ``parameters`` is the query's text without its parameters and
    the parameters (``bound`` is the text with them), to bind them with the councils
    while the rows are dense (:data:`DENSE_ROWS`). With a ``budget`` (seconds: what
    counting the whole result took), the page falls back to the whole result's slice
    as soon as the batches read so far say the rest would take longer than that."""
    found = _Located()
    skip = offset
    batch = FIRST_BATCH
    at = 0
    seen = 0  # rows of the councils looked at, skipped ones included
    started, batches = time.perf_counter(), 0
    while at < len(groups) and len(found.rows) < limit:
        if at >= FALLBACK_AFTER and (offset + limit) * at > fallback_share * len(groups) * max(
                seen, 1):  # councils needed, at this many rows a council, > the share
            return _Located(fallback=True)
        if budget is not None and batches:
            spent = time.perf_counter() - started
            if spent + spent / batches * math.ceil((len(groups) - at) / MAX_BATCH) > budget:
                return _Located(fallback=True)
        batches += 1
        chosen = groups[at:at + batch]
        at += len(chosen)
        labels = {label for label, _ in chosen}
        councils = [c for _, members in chosen for c in members]
        looked = at - len(chosen)  # groups of councils looked at before this batch
        if tied is not None:
            text = bind_table(bound, ("council", "score"),
                              [(c, score) for c in councils for score in tied])
        elif parameters and parameters[1] and seen >= DENSE_ROWS * looked:
            plain, values = parameters
            text = bind_table(plain, ("council", *values),
                              [(c, *values.values()) for c in councils])
        else:
            text = bind_rows(bound, "council", councils)
        result = store.query(text)
        assert isinstance(result, SelectResult)
        found.names = result.variables
        skip_before = skip
        for row in result.rows:
            if row.get("councilLabel") not in labels:
                continue  # another label of a council with several
            seen += 1
            if skip:
                skip -= 1
            else:
                found.rows.append(row)
        if found.rows:
            if not found.window:  # the page starts in this batch
                found.skip = skip_before
            found.window += [(c, label) for label, members in chosen for c in members]
        if not seen and at == len(chosen) and tied is None and not _has_rows(store, bound):
            return _Located(names=found.names)  # the query has no rows: an empty page
        if len(found.rows) < limit:
            batch = min(batch * 2, MAX_BATCH)
    found.rows = found.rows[:limit]
    found.left = skip
    return found


def _has_rows(store: Store, bound: str) -> bool:
    """Whether the query has any row at all, asked once its first councils gave none: a
    query with no rows (internal-audit-opinions without G3's documents) otherwise reads
    councils until the fallback and then evaluates the whole query. The ASK of its WHERE
    group stops at the first solution where the plan streams (0.1 to 0.5 ms at 400
    councils for the sparse queries that reach it); it is never asked before a first
    batch is empty, since a plan that does not stream pays for the whole group
    (unaddressed-items: 0.5 s at 400 councils)."""
    return bool(store.query(ask_where(bound)))


def fallback_share_of(text: str, fallback_share: float | None = None) -> float:
    """The share of the councils past which a page is read from the whole result:
    ``fallback_share`` when given, else the one the query's header gives (``page fallback
    share``), else :data:`FALLBACK_SHARE`.

    >>> fallback_share_of("#+ page fallback share: 0.5\\nSELECT ...")
    0.5
    >>> fallback_share_of("SELECT ..."), fallback_share_of("SELECT ...", 0.3)
    (0.1, 0.3)
    """
    if fallback_share is not None:
        return fallback_share
    declared = _DECLARED_SHARE.search(text)
    return float(declared.group(1)) if declared else FALLBACK_SHARE


def _check(text: str, bindings: Mapping[str, Node] | None, score: bool = False) -> None:
    if not (pages_by_score(text) if score else pages_by_council(text)):
        raise ValueError("the query is not ordered by ?score and ?councilLabel first"
                         if score else "the query is not ordered by ?councilLabel first")
    if bindings and "council" in bindings:
        raise ValueError("the council is bound: the query answers one council already")


def _by_council(store: Store, text: str, bindings: Mapping[str, Node] | None,
                limit: int, offset: int,
                groups: list[tuple[Node | None, list[URIRef]]] | None,
                fallback_share: float | None, counts: Counts | None,
                budget: float | None = None) -> tuple[str, _Located]:
    """The bound query and what reading its page council by council found; with
    ``counts``, from the council the offset falls in (:func:`_from_counts`), within
    ``budget`` seconds (:func:`_locate`)."""
    _check(text, bindings)
    bound = bind_values(text, dict(bindings or {}))
    groups = councils_by_label(store) if groups is None else groups
    share = fallback_share_of(text, fallback_share)
    parameters = (text, dict(bindings or {}))
    if counts is not None and offset >= sum(counts.values()):
        return bound, _Located(past=True)
    if counts is None or not offset:
        # a first page as measured: from the first council, where a sparse query's rows
        # (ags-responsibilities: 39 in 13 of 400 councils) cost less as the whole
        # result's slice (3 ms) than council by council (61 ms), which the guess finds
        return bound, _locate(store, bound, limit, offset, groups, share,
                              parameters=parameters)
    # the counts say which councils a later page spans: read them, unless they are more
    # of the councils than the query's share, where the whole result's slice costs less
    spanned, skip = _from_counts(groups, counts, offset, limit)
    if len(spanned) > max(share * len(groups), FALLBACK_AFTER):
        return bound, _Located(fallback=True)
    return bound, _locate(store, bound, limit, skip, spanned, math.inf,
                          parameters=parameters, budget=budget)


def page_by_council(store: Store, text: str, bindings: Mapping[str, Node] | None,
                    limit: int, offset: int = 0,
                    groups: list[tuple[Node | None, list[URIRef]]] | None = None,
                    fallback_share: float | None = None,
                    counts: Counts | None = None, budget: float | None = None) -> SelectResult:
    """Rows ``offset`` to ``offset + limit`` of the query's all-council result, read a
    few councils at a time (``pages_by_council(text)`` must hold; ``council`` must not
    be bound). ``groups`` is :func:`councils_by_label`, when the caller keeps it;
    ``counts``, the bound query's :func:`council_counts`, when the caller has them:
    then a later page starts at the council its offset falls in, and with ``budget``
    (what counting them took, in seconds) it gives up for the whole result's slice
    once reading council by council would take longer. When the rows are too
    sparse for reading council by council to pay (``fallback_share``: by default
    :func:`fallback_share_of` the text), the page is the whole result's, by ``LIMIT``
    and ``OFFSET``: the same rows either way."""
    bound, found = _by_council(store, text, bindings, limit, offset, groups,
                               fallback_share, counts, budget)
    names = query_form(bound)[1] if found.past else []  # none for a SELECT *
    if names:  # no row is left: nothing to evaluate
        return SelectResult(names, [])
    if found.fallback or found.past:
        return _sliced(store, bound, limit, offset)
    return SelectResult(found.names, found.rows)


def page_by_score(store: Store, text: str, bindings: Mapping[str, Node] | None,
                  limit: int, offset: int = 0,
                  groups: list[tuple[Node | None, list[URIRef]]] | None = None,
                  fallback_share: float | None = None) -> SelectResult:
    """Rows ``offset`` to ``offset + limit`` of the all-council result of a query ordered
    by score and then by the council's label (``pages_by_score(text)`` must hold;
    ``council`` and ``score`` must not be bound): for each score, lowest first, the
    query with the score bound, read council by council (or, where its rows are too
    sparse, whole), until the page is full. The same rows as the whole result's slice."""
    _check(text, bindings, score=True)
    if bindings and "score" in bindings:
        raise ValueError("the score is bound: the query answers one score already")
    bound = bind_values(text, dict(bindings or {}))
    groups = councils_by_label(store) if groups is None else groups
    names: list[str] = []
    rows: list[dict[str, Node]] = []
    skip = offset
    for tied in scores(store):
        if len(rows) >= limit:
            break
        found = _locate(store, bound, limit - len(rows), skip, groups,
                        fallback_share_of(text, fallback_share), tied)
        if found.fallback:  # sparse: this score's rows whole, to know how many to skip
            result = store.query(bind_rows(bound, "score", tied))
            assert isinstance(result, SelectResult)
            found = _Located(names=result.variables,
                             rows=result.rows[skip:skip + limit - len(rows)],
                             left=max(0, skip - len(result.rows)))
        names = found.names or names
        rows += found.rows
        skip = found.left
    if not names:  # no score at all: the query's own (empty) answer
        return _sliced(store, bound, limit, offset)
    return SelectResult(names, rows)


def page_query(store: Store, text: str, bindings: Mapping[str, Node] | None,
               limit: int, offset: int = 0,
               groups: list[tuple[Node | None, list[URIRef]]] | None = None,
               fallback_share: float | None = None, counts: Counts | None = None,
               budget: float | None = None) -> str:
    """A query whose rows are exactly :func:`page_by_council`'s page, for a caller that
    must run the page itself (the web service runs it in a worker and writes it in the
    format asked for): the page's rows as a ``VALUES`` table (:func:`rows_query`); with
    a blank node among them, the query with the page's councils and labels bound and
    ``LIMIT``/``OFFSET`` within their rows; where the rows are too sparse, the whole
    result's slice. A query ordered by score (:func:`pages_by_score`) gives its page's
    rows from :func:`page_by_score` as a ``VALUES`` table, or with a blank node among
    them the whole result's slice. A query in the engine's own order with a sub-select
    to narrow (:func:`pages_by_narrowing`) gives :func:`narrowed_page`. ``counts``
    (the bound query's :func:`council_counts`) starts a page read by council at the
    council its offset falls in, within ``budget``, as :func:`page_by_council` does."""
    if pages_by_narrowing(text):  # never a query with an ORDER BY, as the two above are
        return narrowed_page(store, text, bindings, limit, offset)
    if pages_by_score(text) and not pages_by_council(text):
        page = page_by_score(store, text, bindings, limit, offset, groups, fallback_share)
        if any(isinstance(term, BNode) for row in page.rows for term in row.values()):
            return _sliced_text(bind_values(text, dict(bindings or {})), limit, offset)
        return rows_query(page.variables, page.rows)
    bound, found = _by_council(store, text, bindings, limit, offset, groups,
                               fallback_share, counts, budget)
    names = query_form(bound)[1] if found.past else []  # none for a SELECT *
    if names:  # no row is left: nothing to evaluate
        return rows_query(names, [])
    if found.fallback or not found.window:  # sparse, or past the last row
        return _sliced_text(bound, limit, offset)
    if not any(isinstance(term, BNode) for row in found.rows for term in row.values()):
        # the rows themselves, as a VALUES table in their order: evaluating the page's
        # councils again cost as much as finding them, or more where the engine's plan
        # for many councils at once scans (unaddressed-items: 9 ms for 4, 435 ms for 8)
        return rows_query(found.names, found.rows)
    if any(label is None for _, label in found.window):  # VALUES would need UNDEF
        return _sliced_text(bound, limit, offset)
    narrowed = bind_table(bound, ("council", "councilLabel"), found.window)
    return _sliced_text(narrowed, limit, found.skip)


def rows_query(names: list[str], rows: list[dict[str, Node]]) -> str:
    """A SELECT whose answer is ``rows``, in their order, as a ``VALUES`` table (``UNDEF``
    where a row leaves a variable unbound; no blank nodes, which VALUES cannot hold).

    >>> rows_query(["a", "b"], [{"a": URIRef("http://x/1")}])
    'SELECT ?a ?b WHERE { VALUES (?a ?b) { (<http://x/1> UNDEF) } }'
    """
    table = " ".join("(" + " ".join(n3(row[name]) if name in row else "UNDEF"
                                    for name in names) + ")" for row in rows)
    variables = " ".join(f"?{name}" for name in names)
    return f"SELECT {variables} WHERE {{ VALUES ({variables}) {{ {table} }} }}"


def _sliced_text(bound: str, limit: int, offset: int) -> str:
    return f"{bound.rstrip()}\nLIMIT {limit} OFFSET {offset}"


def _sliced(store: Store, bound: str, limit: int, offset: int) -> SelectResult:
    """The page from the whole result, as the engine sorts it."""
    result = store.query(_sliced_text(bound, limit, offset))
    assert isinstance(result, SelectResult)
    return result
