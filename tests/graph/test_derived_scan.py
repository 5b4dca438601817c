"""The scan form of the councils' rules (graph/store/derived.py, ``scan_form``): a bulk
load of many councils runs each rule of ``council.ru`` over the whole store with its
blocks of triple patterns joined by hashing; the rows must be exactly those of the
rule's text as written, on a real Oxigraph store holding synthetic councils."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore
from govkg.graph.store.derived import Rule, council_rules, prefixes, scan_form

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.synthetic import generate  # noqa: E402

COUNCILS = 4  # councils 0 and 3 have an external review, so every rule finds rows


def rows(store: ox.Store, query: str) -> list[bytes]:
    written = store.query(query).serialize(format=ox.QueryResultsFormat.TSV)
    assert written is not None
    return sorted(written.split(b"\n")[1:])


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> ox.Store:
    folder = tmp_path_factory.mktemp("scan")
    out = io.StringIO()
    generate(COUNCILS, out)
    data = folder / "corpus.nq"
    data.write_text(out.getvalue(), encoding="utf-8")
    with EmbeddedStore(folder / "store") as store:
        build(store, files=[])
        store.load_file(data)
    return ox.Store.read_only(str(folder / "store"))


def test_each_rule_scanned_gives_the_rows_of_its_text(loaded: ox.Store) -> None:
    scanning = [rule for rule in council_rules() if not rule.reads_derived]
    split = [rule for rule in scanning if rule.select_all() != rule.select_all(scan=False)]
    # the rules over commitments, local codes and responsibilities are split
    assert len(split) >= 6
    for rule in scanning:
        written = rows(loaded, rule.select_all(scan=False))
        assert rows(loaded, rule.select_all()) == written, rule.template
    for rule in split:
        assert rows(loaded, rule.select_all()), rule.template  # not an empty comparison


def test_a_block_of_iri_predicates_becomes_one_subquery_per_pattern() -> None:
    where = ("WHERE { GRAPH ?g { ?c <http://ex/p> ?x ; a <http://ex/T> } "
             "GRAPH <http://ex/v> { ?x <http://ex/q> ?y ; <http://ex/r> ?z } }")
    scanned = scan_form(where)
    assert scanned.count("SELECT") == 2
    assert "{ SELECT ?c ?g ?x WHERE { GRAPH ?g { ?c <http://ex/p> ?x } } }" in scanned
    assert "GRAPH <http://ex/v> { ?x <http://ex/q> ?y ; <http://ex/r> ?z }" in scanned
    assert ox.Store().query(prefixes() + "SELECT * " + scanned) is not None  # it parses


@pytest.mark.parametrize("block", [
    "?c <http://ex/p> ?x ; a ?type",  # would scan every type triple
    "?c <http://ex/p> ?x ; ?property ?y",  # would scan every triple
    '?c <http://ex/p> ?x ; <http://ex/label> "a literal"',
    "?c <http://ex/p> ?x . FILTER(?x != ?c)",
    "?c <http://ex/p> ?x",  # one pattern: nothing to join
])
def test_blocks_that_a_scan_would_not_help_stay_as_written(block: str) -> None:
    where = f"WHERE {{ GRAPH ?g {{ {block} }} }}"
    assert scan_form(where) == where


DERIVED_A = "https://w3id.org/govkg/def/derived/addressesItem"
DERIVED_B = "https://w3id.org/govkg/def/derived/coversItem"


@pytest.mark.parametrize("block,written,reads", [
    ("?c derived:addressesItem ?i", DERIVED_A, True),
    ("?c derived:addressesItem ?i", DERIVED_B, False),
    (f"?c <{DERIVED_B}> ?i", DERIVED_B, True),
    ("?c derived:addressesItem ?i", "?fact", True),  # a written variable predicate
    ("?c ?any ?i", DERIVED_B, True),  # a block reading any predicate
    ('?c derived:addressesItem "x"', DERIVED_B, True),  # not plain: read as anything
], ids=["same", "other", "iri", "written-variable", "read-variable", "literal"])
def test_a_rule_reading_derived_facts_waits_only_for_what_it_reads(
        block: str, written: str, reads: bool) -> None:
    """A bulk load hands the rules' quads to the loader only before a rule that may read
    them (each loader call ingests files that RocksDB compacts with the store)."""
    rule = Rule(where=f"WHERE {{ GRAPH ?derived {{ {block} }} }}",
                template=(("?c", DERIVED_A, "?i"),))
    assert rule.reads_any([("?c", written, "?i")]) is reads
    assert not rule.reads_any([])
    plain = Rule(where=f"WHERE {{ GRAPH ?g {{ {block} }} }}", template=rule.template)
    assert not plain.reads_any([("?c", written, "?i")])
