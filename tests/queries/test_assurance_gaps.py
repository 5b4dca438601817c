"""``assurance-gaps`` cites both sides of every gap: the code's statement and the adverse
review item, each with a line and a quote that the document's text (as read) holds on that line,
so that a reader can check the gap against the two documents."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from rdflib import URIRef
from rdflib.namespace import RDFS, SKOS

from bench.importing import CORPUS
from govkg.graph.build import bundled_corpus, plan, write
from govkg.graph.importers.base import SourceDocument
from govkg.graph.querylib import load_queries
from govkg.graph.store import Store, open_store

_TAGS = re.compile(r"</?\w+>")
_FILE = "SELECT ?file WHERE { ?doc <http://purl.org/dc/terms/identifier> ?file }"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    opened = open_store(tmp_path_factory.mktemp("store"), build_if_new=False)
    write(opened, plan([bundled_corpus()]))
    yield opened
    opened.close()


def _lines(store: Store, document: URIRef) -> list[str]:
    (row,) = store.query(_FILE, {"doc": document})
    return SourceDocument.read(CORPUS / str(row["file"])).lines  # the text quotes are of


def test_each_gap_quotes_the_code_and_the_review_on_their_lines(store: Store) -> None:
    query = load_queries()["assurance-gaps"]
    rows = store.query(query.text, query.bindings({}))
    assert len(rows) > 0
    for row in rows:
        for side, document in (("code", row["code"]), ("review", row["review"])):
            lines = _lines(store, URIRef(str(document)))
            quote, line = str(row[f"{side}Quote"]), int(row[f"{side}Line"])
            assert quote.strip()
            # Kent's code importer quotes some evidence names without the document's inline
            # underline tags ("<u>Member</u> & ..."): the words must still be that line's
            line_text = lines[line - 1]
            assert quote in line_text or quote in _TAGS.sub("", line_text), (side, line, quote)


def test_each_gap_carries_exactly_its_resources_own_labels(store: Store) -> None:
    """The query reads the labels from facts derived at load on each gap
    (``derived:gapReviewItemLabel``, ``derived:gapCodeEvidenceLabel``,
    ``derived:gapArrangementLabel``): each must be exactly the resource's own
    ``rdfs:label`` or ``skos:prefLabel`` in the documents, and a resource without one has
    none."""
    query = load_queries()["assurance-gaps"]
    rows = store.query(query.text, query.bindings({}))
    seen: dict[tuple[str, URIRef], set[object]] = {}
    for row in rows:
        for name in ("reviewItem", "codeEvidence", "arrangement"):
            seen.setdefault((name, row[name]), set()).add(row.get(f"{name}Label"))
    assert seen
    for (name, resource), labels in seen.items():
        property_ = str(SKOS.prefLabel if name == "arrangement" else RDFS.label)
        own = {r["label"] for r in store.query(
            f"SELECT ?label WHERE {{ ?x <{property_}> ?label }}", {"x": resource})}
        assert labels == (own or {None}), (name, resource)
