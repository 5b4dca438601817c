"""A page of an all-council result read council by council (graph/store/paging.py) is
the same as the slice of the full result that the engine sorts: for every named query
that pages this way, on the bundled corpus and on synthetic councils, the pages read
one after another give the full result's rows in its order."""

from __future__ import annotations

import io
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from rdflib import BNode
from rdflib.term import Node

from govkg.graph.build import build, bundled_corpus, plan, write
from govkg.graph.querylib import NamedQuery, load_queries
from govkg.graph.store import EmbeddedStore, SelectResult, Store, open_store
from govkg.graph.store.paging import (
    FIRST_BATCH,
    NARROWED_ROWS,
    council_counts,
    councils_by_label,
    page_by_council,
    page_by_score,
    page_query,
    pages_by_council,
    pages_by_narrowing,
    pages_by_score,
    scores,
    without_sub_selects,
)
from govkg.graph.store.terms import bind_values

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.synthetic import generate  # noqa: E402
from tests.queries.test_golden_kinds import open_kinds_store  # noqa: E402

PAGED = sorted((q for q in load_queries().values() if pages_by_council(q.text)),
               key=lambda q: q.name)
BY_SCORE = sorted((q for q in load_queries().values() if pages_by_score(q.text)),
                  key=lambda q: q.name)
NARROWED = sorted((q for q in load_queries().values() if pages_by_narrowing(q.text)),
                  key=lambda q: q.name)


def open_test_store(kind: str, folder: Path, councils: int = 10) -> Store:
    """A store of the bundled corpus, of G3's documents (``kinds``: internal audit
    opinions and issues) or of ten synthetic councils (``synthetic``, or ``councils`` of
    them: more than FALLBACK_AFTER, so both ways of paging run; every third has an
    external review)."""
    if kind == "bundled":
        opened = open_store(folder / "store", build_if_new=False)
        write(opened, plan([bundled_corpus()]))
        return opened
    if kind == "kinds":
        return open_kinds_store(folder / "store")
    out = io.StringIO()
    generate(councils, out)
    (folder / "corpus.nq").write_text(out.getvalue(), encoding="utf-8")
    embedded = EmbeddedStore(folder / "store")
    build(embedded, files=[])
    embedded.load_file(folder / "corpus.nq")
    return embedded


@pytest.fixture(scope="module", params=["bundled", "synthetic", "kinds"])
def store(request: pytest.FixtureRequest,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_test_store(request.param, tmp_path_factory.mktemp(request.param))
    yield opened
    opened.close()


def test_the_slow_all_council_queries_page_by_council() -> None:
    names = {q.name for q in PAGED}
    assert {"statutory-officers", "unaddressed-items", "coverage-matrix",
            "topic-owners", "ags-responsibilities", "open-recommendations-by-owner",
            "internal-audit-opinions", "significant-governance-issues"} <= names
    assert "lowest-scoring-items" not in names  # ordered by score first


def keys(query: NamedQuery, row: dict[str, Node]) -> tuple[str, ...]:
    order = re.search(r"ORDER\s+BY\s+(.*)$", query.text, re.S)
    assert order is not None
    return tuple(str(row.get(name, "")) for name in re.findall(r"\?(\w+)", order.group(1)))


def assert_pages_make_the_result(query: NamedQuery, full: SelectResult,
                                 page: Callable[[int, int], SelectResult]) -> None:
    """Pages of 7 rows read one after another, and one past the last, give the full
    result's rows in its order."""
    size = 7
    pages: list[dict[str, Node]] = []
    for offset in range(0, len(full) + size, size):
        found = page(size, offset)
        assert len(found) == min(size, max(0, len(full) - offset))
        pages.extend(found.rows)
    assert [keys(query, r) for r in pages] == [keys(query, r) for r in full.rows]
    assert Counter(tuple(sorted(r.items())) for r in pages) == \
        Counter(tuple(sorted(r.items())) for r in full.rows)


@pytest.mark.parametrize("query", PAGED + BY_SCORE, ids=lambda q: q.name)
def test_a_paged_query_orders_its_rows_totally(store: Store, query: NamedQuery) -> None:
    """No two different rows share their ORDER BY keys: where they did, the engine could
    give them in one order to a page read from the first council and in the other to
    one read from its own (``counted``), and a page boundary between them would repeat
    one row and skip the other."""
    full = store.query(query.text, query.bindings())
    assert isinstance(full, SelectResult)
    rows_by_keys: dict[tuple[str, ...], set[tuple]] = {}
    for row in full.rows:
        rows_by_keys.setdefault(keys(query, row), set()).add(tuple(sorted(row.items())))
    assert [k for k, rows in rows_by_keys.items() if len(rows) > 1] == []


#: how a page is read: council by council from the first council, the whole result's
#: slice wherever the rows are sparse, or from the council the offset falls in by the
#: query's counts of rows by council (as the web service reads it)
WAYS = {"by-council": (1.0, False), "sliced-when-sparse": (0.0, False),
        "counted": (None, True)}


def counts_of(store: Store, query: NamedQuery, counted: bool) -> dict | None:
    if not counted:
        return None
    counts = council_counts(store, bind_values(query.text, query.bindings()))
    assert counts is not None  # every row of these queries has its council
    return counts


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("query", PAGED, ids=lambda q: q.name)
def test_pages_read_by_council_are_the_full_result_in_its_order(store: Store,
                                                                query: NamedQuery,
                                                                way: str) -> None:
    share, counted = WAYS[way]
    bindings = query.bindings()
    full = store.query(query.text, bindings)
    assert isinstance(full, SelectResult)
    groups = councils_by_label(store)
    counts = counts_of(store, query, counted)
    if counts is not None:
        assert sum(counts.values()) == len(full)
    assert_pages_make_the_result(
        query, full, lambda size, offset: page_by_council(store, query.text, bindings, size,
                                                          offset, groups, share, counts))


@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("query", PAGED, ids=lambda q: q.name)
def test_a_page_as_a_query_gives_the_pages_rows_in_order(store: Store, query: NamedQuery,
                                                         way: str) -> None:
    """``page_query``: the text the web service runs for a page gives the rows of the
    full result's slice, in its order, from the first page to past the last."""
    share, counted = WAYS[way]
    bindings = query.bindings()
    full = store.query(query.text, bindings)
    assert isinstance(full, SelectResult)
    groups = councils_by_label(store)
    counts = counts_of(store, query, counted)
    size = 5
    for offset in sorted({0, 3, len(full) // 2, max(0, len(full) - 2), len(full) + 1}):
        text = page_query(store, query.text, bindings, size, offset, groups, share,
                          counts=counts)
        page = store.query(text)
        assert isinstance(page, SelectResult)
        wanted = full.rows[offset:offset + size]
        assert [keys(query, r) for r in page.rows] == [keys(query, r) for r in wanted]
        assert Counter(tuple(sorted(r.items())) for r in page.rows) == \
            Counter(tuple(sorted(r.items())) for r in wanted)


def test_the_query_ordered_by_score_pages_by_score() -> None:
    assert [q.name for q in BY_SCORE] == ["lowest-scoring-items"]


@pytest.mark.parametrize("share", [1.0, 0.0], ids=["by-council", "sliced-when-sparse"])
@pytest.mark.parametrize("query", BY_SCORE, ids=lambda q: q.name)
def test_pages_read_by_score_are_the_full_result_in_its_order(store: Store,
                                                              query: NamedQuery,
                                                              share: float,
                                                              request: pytest.FixtureRequest
                                                              ) -> None:
    """``page_by_score``, and ``page_query`` that the web service runs for it: every page,
    one after another and from past the last, is the full result's slice in its order."""
    bindings = query.bindings()
    full = store.query(query.text, bindings)
    assert isinstance(full, SelectResult)
    if request.node.callspec.params["store"] != "kinds":  # G3's documents: no scores
        assert len(full) > 0
    groups = councils_by_label(store)

    def page(size: int, offset: int) -> SelectResult:
        found = page_by_score(store, query.text, bindings, size, offset, groups, share)
        as_query = store.query(page_query(store, query.text, bindings, size, offset, groups,
                                          share))
        assert isinstance(as_query, SelectResult)
        assert as_query.rows == found.rows  # the VALUES table keeps the rows' order
        return found

    assert_pages_make_the_result(query, full, page)


def test_scores_equal_as_numbers_are_paged_as_one(tmp_path: Path) -> None:
    """Half the synthetic councils' scores of 1 written as xsd:integer, the rest as
    xsd:decimal: the engine orders the two as one score (then by council), so they
    are bound together, and the pages are still the full result's slices."""
    out = io.StringIO()
    generate(8, out)
    decimal_one = '"1"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    parts = out.getvalue().split(decimal_one)
    assert len(parts) > 4
    text = "".join(part + (('"1"^^<http://www.w3.org/2001/XMLSchema#integer>'
                            if i % 2 else decimal_one) if i < len(parts) - 1 else "")
                   for i, part in enumerate(parts))
    (tmp_path / "corpus.nq").write_text(text, encoding="utf-8")
    store = EmbeddedStore(tmp_path / "store")
    build(store, files=[])
    store.load_file(tmp_path / "corpus.nq")
    try:
        lowest = scores(store)[0]
        assert sorted(str(s.datatype).rsplit("#")[-1] for s in lowest) == \
            ["decimal", "integer"]
        query = load_queries()["lowest-scoring-items"]
        bindings = query.bindings()
        full = store.query(query.text, bindings)
        assert isinstance(full, SelectResult)
        groups = councils_by_label(store)
        assert_pages_make_the_result(
            query, full, lambda size, offset: page_by_score(store, query.text, bindings,
                                                            size, offset, groups))
    finally:
        store.close()


class _Counted:
    """The store's own queries, counted by form (a real store: only the count is added)."""

    def __init__(self, store: Store) -> None:
        self.store, self.asks, self.selects = store, 0, 0

    def query(self, text: str, *args: object, **kwargs: object) -> object:
        if re.search(r"^\s*ASK\b", text, re.MULTILINE):
            self.asks += 1
        else:
            self.selects += 1
        return self.store.query(text, *args, **kwargs)  # type: ignore[arg-type]


def test_a_query_with_no_rows_is_answered_after_its_first_councils(store: Store) -> None:
    """A query with no rows at all (internal-audit-opinions without G3's documents) asks
    once whether it has any, after its first councils gave none, instead of reading
    councils until the fallback and then the whole query; the page is empty either way."""
    query = load_queries()["internal-audit-opinions"]
    bindings = query.bindings()
    full = store.query(query.text, bindings)
    assert isinstance(full, SelectResult)
    counted = _Counted(store)
    groups = councils_by_label(store)
    page = page_by_council(counted, query.text, bindings, 10, 0, groups, 1.0)  # type: ignore[arg-type]
    text = page_query(counted, query.text, bindings, 10, 0, groups, 1.0)  # type: ignore[arg-type]
    assert page.rows == full.rows[:10]
    assert store.query(text).rows == full.rows[:10]  # type: ignore[union-attr]
    if len(full) == 0:
        assert (counted.selects, counted.asks) == (2, 2)  # a first batch and the ASK, twice
    else:  # G3's documents hold opinions: the ASK is asked only when a batch is empty
        assert counted.asks <= 2


def test_rows_only_in_a_late_council_are_found_after_the_ask(store: Store) -> None:
    """A query whose first councils have no rows but a later one has: the ASK says there
    are rows, and the page is still the full result's slice (council by council, or
    the whole result's when sparse)."""
    groups = councils_by_label(store)
    last = groups[-1][1][-1]
    text = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?council ?councilLabel WHERE { ?council skos:prefLabel ?councilLabel "
            f"FILTER(?council = <{last}>) }} ORDER BY ?councilLabel")
    assert pages_by_council(text)
    full = store.query(text)
    assert isinstance(full, SelectResult) and len(full) >= 1
    for share in (1.0, 0.0):
        counted = _Counted(store)
        page = page_by_council(counted, text, None, 5, 0, groups, share)  # type: ignore[arg-type]
        assert page.rows == full.rows[:5]
        assert counted.asks == (1 if len(groups) > FIRST_BATCH else 0)


class _Recorded:
    """The store's own queries, their texts recorded (a real store: only the record is
    added)."""

    def __init__(self, store: Store) -> None:
        self.store, self.texts = store, []  # type: list[str]

    def query(self, text: str, *args: object, **kwargs: object) -> object:
        self.texts.append(text)
        return self.store.query(text, *args, **kwargs)  # type: ignore[arg-type]


def _with_councils(texts: list[str], name: str) -> list[bool]:
    """For each batch's query, whether it binds ``?name`` in the councils' table."""
    return [bool(re.search(rf"VALUES\s*\(\?council\s+\?{name}\)", t)) for t in texts]


def test_a_parameter_every_council_has_rows_of_is_bound_with_the_councils(
        tmp_path: Path) -> None:
    """evidence-for-item's framework item, on ten synthetic councils (each cites
    evidence for it): every batch binds the item with its councils in one VALUES table,
    so the engine starts from the councils, not from every council's commitments to
    the item. The page is the full result's slice."""
    store = open_test_store("synthetic", tmp_path)
    try:
        query = load_queries()["evidence-for-item"]
        bindings = query.bindings()
        full = store.query(query.text, bindings)
        assert isinstance(full, SelectResult)
        groups = councils_by_label(store)
        first = [c for _, members in groups[:FIRST_BATCH] for c in members]
        assert len({row["council"] for row in full.rows}) == len(groups)
        offset = sum(row["council"] in first for row in full.rows) + 1  # past batch one
        recorded = _Recorded(store)
        page = page_by_council(recorded, query.text, bindings, 5, offset, groups, 1.0)  # type: ignore[arg-type]
        assert page.rows == full.rows[offset:offset + 5]
        assert len(recorded.texts) >= 2 and all(_with_councils(recorded.texts, "item"))
    finally:
        store.close()


def test_a_parameter_with_sparse_rows_is_bound_on_its_own_after_the_first_batch(
        store: Store) -> None:
    """A parameter whose rows only a late council has: the first batch binds it with
    its councils, and once they gave fewer than a row each, the later batches bind it
    in a VALUES block of its own (it selects, so the engine rightly starts from it).
    The page is still the full result's."""
    groups = councils_by_label(store)
    last = groups[-1][1][-1]
    text = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
            "SELECT ?council ?councilLabel WHERE { ?chosen skos:prefLabel ?councilLabel . "
            "?council skos:prefLabel ?councilLabel } ORDER BY ?councilLabel")
    assert pages_by_council(text)
    bindings = {"chosen": last}
    full = store.query(text, bindings)
    assert isinstance(full, SelectResult) and len(full) >= 1
    recorded = _Recorded(store)
    page = page_by_council(recorded, text, bindings, 5, 0, groups, 1.0)  # type: ignore[arg-type]
    assert page.rows == full.rows[:5]
    batches = [t for t in recorded.texts if not re.search(r"^\s*ASK\b", t, re.MULTILINE)]
    assert _with_councils(batches, "chosen")[:1] == [True]
    assert not any(_with_councils(batches[1:], "chosen"))
    assert len(batches) > (1 if len(groups) > FIRST_BATCH else 0)
def test_the_query_joining_its_labels_by_hashing_pages_narrowed() -> None:
    assert [q.name for q in NARROWED] == ["analytics-nodes"]


@pytest.mark.parametrize("text", [
    # ordered: the ORDER BY's order, not the engine's
    "SELECT ?n ?l WHERE { ?n a ?c OPTIONAL { SELECT ?n ?l WHERE { ?n rdfs:label ?l } } } "
    "ORDER BY ?l",
    "SELECT DISTINCT ?n ?l WHERE { ?n a ?c OPTIONAL { SELECT ?n ?l WHERE { ?n rdfs:label ?l } } }",
    # the sub-select leaves out a variable of its group
    "SELECT ?n ?l WHERE { ?n a ?c OPTIONAL { SELECT ?n ?l WHERE { ?n rdfs:label ?l ; a ?c } } }",
    # not a group of triple patterns alone
    "SELECT ?n ?l WHERE { ?n a ?c OPTIONAL { SELECT ?n ?l WHERE { ?n rdfs:label ?l "
    "FILTER(?n != ?l) } } }",
    # a sub-select with its own modifier
    "SELECT ?n ?l WHERE { ?n a ?c OPTIONAL { SELECT ?n ?l WHERE { ?n rdfs:label ?l } LIMIT 1 } }",
    # no sub-select
    "SELECT ?n ?l WHERE { ?n a ?c OPTIONAL { ?n rdfs:label ?l } }",
])
def test_only_a_plain_optional_sub_select_in_the_engines_order_is_narrowed(text: str) -> None:
    assert not pages_by_narrowing(text)


def assert_narrowed_pages_are_the_full_result(store: Store, query: NamedQuery) -> None:
    """The pages the web service runs (``page_query``), within :data:`NARROWED_ROWS`
    (the page's rows as a ``VALUES`` table) and past it (the whole result's slice), are
    the full result's slices in its order, from the first page to past the last."""
    bindings = query.bindings()
    full = store.query(query.text, bindings)
    assert isinstance(full, SelectResult) and len(full) > 0
    assert len(store.query(without_sub_selects(query.text), bindings)) <= len(full)
    size = 100
    offsets = {*range(0, min(len(full), NARROWED_ROWS) + size, size), 3, len(full) - 2,
               len(full) + 1, NARROWED_ROWS - size, NARROWED_ROWS - size + 1}
    for offset in sorted(o for o in offsets if o >= 0):
        text = page_query(store, query.text, bindings, size, offset)
        # within NARROWED_ROWS the rows themselves; past it, or with a blank node
        # among the nodes (G3's documents), the whole result's slice
        blank = any(isinstance(row.get("node"), BNode) for row in full.rows[:offset + size])
        assert (not text.startswith("#")) == (offset + size <= NARROWED_ROWS and not blank)
        page = store.query(text)
        assert isinstance(page, SelectResult)
        assert page.rows == full.rows[offset:offset + size], offset


@pytest.mark.parametrize("query", NARROWED, ids=lambda q: q.name)
def test_narrowed_pages_are_the_full_result_in_its_order(store: Store,
                                                         query: NamedQuery) -> None:
    assert_narrowed_pages_are_the_full_result(store, query)


def test_narrowed_pages_keep_the_order_of_a_nodes_several_labels(tmp_path: Path) -> None:
    """Nodes with several labels (``skos:prefLabel`` in two languages and ``rdfs:label``,
    written in an order other than the index's, one of them in two graphs): the hash
    join gives them in the reverse of the order a lookup finds them, and the narrowed
    pages are still the full result's slices."""
    store = open_test_store("synthetic", tmp_path)
    try:
        query = load_queries()["analytics-nodes"]
        nodes = [row["node"] for row in store.query(query.text).rows[::40]]  # type: ignore[union-attr]
        assert len(nodes) > 20
        extra = "\n".join(
            f"{node.n3()} <http://www.w3.org/2000/01/rdf-schema#label> \"z {i}\" .\n"
            f"{node.n3()} <http://www.w3.org/2004/02/skos/core#prefLabel> \"{i} y\"@cy .\n"
            f"{node.n3()} <http://www.w3.org/2000/01/rdf-schema#label> \"a {i}\" ."
            for i, node in enumerate(nodes))
        store.update(f"INSERT DATA {{ GRAPH <https://example.org/labels/1> {{ {extra} }} "
                     f"GRAPH <https://example.org/labels/2> {{ {extra.splitlines()[0]} }} }}")
        full = store.query(query.text)
        assert isinstance(full, SelectResult)
        labelled = Counter(str(row["node"]) for row in full if "label" in row)
        assert sum(1 for count in labelled.values() if count >= 4) >= 20
        assert_narrowed_pages_are_the_full_result(store, query)
    finally:
        store.close()


def test_a_query_may_give_its_own_fallback_share(tmp_path: Path) -> None:
    """assurance-gaps gives ``page fallback share: 0.5`` in its header: on 40 synthetic
    councils (about two rows for every third) its first page of 10 rows is read council by
    council (the page is its rows as a VALUES table), where the same text without that
    header line falls back to the whole result's slice (the page needs more than a tenth
    of the councils, and less than half); the same rows either way."""
    query = load_queries()["assurance-gaps"]
    undeclared = re.sub(r"(?m)^#\+\s*page fallback share:.*\n", "", query.text)
    assert undeclared != query.text
    store = open_test_store("synthetic", tmp_path, councils=40)
    try:
        full = store.query(query.text)
        assert isinstance(full, SelectResult) and len(full) > 10
        groups = councils_by_label(store)
        for text, sliced in ((query.text, False), (undeclared, True)):
            paged = page_query(store, text, None, 10, 0, groups)
            assert ("LIMIT 10 OFFSET 0" in paged) == sliced
            page = store.query(paged)
            assert isinstance(page, SelectResult)
            assert [keys(query, r) for r in page.rows] == [keys(query, r) for r in full.rows[:10]]
    finally:
        store.close()


def test_with_counts_a_late_page_starts_at_its_council(tmp_path: Path) -> None:
    """On 40 synthetic councils, a page near the end of self-assessment-scores (30 rows a
    council) is the whole result's slice when read from the first council (the page
    needs far more than a tenth of the councils), and with the query's rows counted by
    council it is read from the councils that hold it (its rows as a VALUES table); the
    same rows, in the same order, either way."""
    query = load_queries()["self-assessment-scores"]
    store = open_test_store("synthetic", tmp_path, councils=40)
    try:
        full = store.query(query.text)
        assert isinstance(full, SelectResult) and len(full) > 1000
        groups = councils_by_label(store)
        counts = council_counts(store, query.text)
        assert counts is not None and sum(counts.values()) == len(full)
        offset = len(full) - 150
        for given, sliced in ((None, True), (counts, False)):
            text = page_query(store, query.text, None, 100, offset, groups, counts=given)
            assert text.rstrip().endswith(f"LIMIT 100 OFFSET {offset}") == sliced
            page = store.query(text)
            assert isinstance(page, SelectResult)
            assert [keys(query, r) for r in page.rows] == \
                [keys(query, r) for r in full.rows[offset:offset + 100]]
            assert Counter(tuple(sorted(r.items())) for r in page.rows) == \
                Counter(tuple(sorted(r.items())) for r in full.rows[offset:offset + 100])
    finally:
        store.close()


def test_a_late_page_over_its_budget_takes_the_whole_results_slice(tmp_path: Path) -> None:
    """With a budget of no time at all (counting the whole result was instant), a later
    page of self-assessment-scores read by its counts gives up after its first batch of
    councils for the whole result's slice; with all the time it needs, it is read from
    its councils; the same rows either way."""
    query = load_queries()["self-assessment-scores"]
    store = open_test_store("synthetic", tmp_path, councils=40)
    try:
        full = store.query(query.text)
        assert isinstance(full, SelectResult)
        groups = councils_by_label(store)
        counts = council_counts(store, query.text)
        offset = 600
        for budget, sliced in ((0.0, True), (3600.0, False)):
            text = page_query(store, query.text, None, 100, offset, groups, counts=counts,
                              budget=budget)
            assert text.rstrip().endswith(f"LIMIT 100 OFFSET {offset}") == sliced
            page = store.query(text)
            assert isinstance(page, SelectResult)
            assert [keys(query, r) for r in page.rows] == \
                [keys(query, r) for r in full.rows[offset:offset + 100]]
    finally:
        store.close()
