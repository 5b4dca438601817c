"""The static site's shortcuts give the pages the app gives: the council pages of councils
nothing refers to, the framework items' pages from queries run once for every item, and
the follow-up lists from queries run once for every council (api/site.py, api/pages.py).

Each is checked against the app's own per-page queries on real stores: the API tests'
made-up council (tests/api/data/testshire.trig), and for the follow-up lists the
officers' store (its follow-up fixture and two councils' annual governance statements,
see tests/api/servers.py and tests/data/README.md)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from govkg.api import pages
from govkg.api.app import create_app
from govkg.api.linked import DESCRIBE
from govkg.api.querying import QueryRunner
from govkg.api.site import ALL, Triples, write_site
from govkg.graph.build import build
from govkg.graph.namespaces import GOVKG
from govkg.graph.settings import Settings
from govkg.graph.store import SelectResult, open_store
from tests.api.conftest import COUNCIL
from tests.api.servers import officers_store

ITEMS = """PREFIX govkg: <https://w3id.org/govkg/def/>
SELECT DISTINCT ?item WHERE {
  VALUES ?type { govkg:CorePrinciple govkg:SubPrinciple govkg:SupportingPrinciple
                 govkg:SpecificRequirement }
  ?item a ?type }"""


def runner_of(app: FastAPI) -> QueryRunner:
    runner: QueryRunner = app.state.services.runner
    return runner


def triples_of(runner: QueryRunner) -> Triples:
    data = runner.select(ALL)
    assert isinstance(data, SelectResult)
    return Triples(data)


def unordered(rows: list[dict[str, Any]], drop: str = "") -> list[str]:
    """Rows as sorted text, without the column ``drop`` (equal rows in another order,
    which SPARQL leaves free for ties of ORDER BY, compare equal)."""
    return sorted(repr(sorted((k, str(v)) for k, v in row.items() if k != drop))
                  for row in rows)


def test_a_council_nothing_refers_to_has_what_its_queries_find(app: FastAPI) -> None:
    runner = runner_of(app)
    triples = triples_of(runner)
    councils = sorted(s for s in triples.out if str(GOVKG.Council) in triples.types(s))
    unreferenced = [c for c in councils if triples.only_councils_refer_to(c)]
    succeeded = [c for c in unreferenced if triples.into.get(c)]
    referenced = [c for c in councils if not triples.only_councils_refer_to(c)]
    # the register, its successions, and the made-up council
    assert len(unreferenced) > 100 and len(succeeded) > 10 and referenced
    for iri in [*unreferenced[::40], *succeeded[::4]]:  # a spread of each
        assert pages.council(runner, URIRef(iri)) == pages.council_unreferenced(URIRef(iri))
    # and the shortcut is not one that would hold for any council
    assert URIRef(COUNCIL) in referenced
    assert pages.council(runner, URIRef(COUNCIL)) != pages.council_unreferenced(
        URIRef(COUNCIL))


def test_every_items_page_data_is_what_its_own_queries_find(app: FastAPI) -> None:
    runner = runner_of(app)
    triples = triples_of(runner)
    iris = [URIRef(str(row["item"])) for row in runner.select(ITEMS).rows]
    batched = pages.items(runner, iris, triples.sources)
    assert len(batched) == len(iris) > 100
    practised = 0
    for iri in iris:
        alone, together = pages.item(runner, iri), batched[iri]
        for key in ("practice", "evidence", "crosswalk", "narrower"):
            assert unordered(together[key], "item") == unordered(alone[key], "item"), (iri, key)
        assert together["sources"].keys() == alone["sources"].keys()
        for resource, spans in alone["sources"].items():
            assert unordered(together["sources"][resource]) == unordered(spans)
        practised += bool(alone["practice"])
    assert practised > 5  # the made-up council's commitments are on items' pages


@pytest.fixture(scope="module")
def officers_app(tmp_path_factory: pytest.TempPathFactory,
                 docs_cache: Path) -> Iterator[FastAPI]:
    store = officers_store(tmp_path_factory.mktemp("site-officers") / "store")
    application = create_app(Settings(query_workers=2, docs_cache=docs_cache), store=store)
    yield application
    application.state.stop()
    store.close()


def test_every_councils_follow_up_is_what_its_own_queries_find(officers_app: FastAPI) -> None:
    runner = runner_of(officers_app)
    triples = triples_of(runner)
    councils = sorted(URIRef(str(s)) for s in triples.out
                      if str(GOVKG.Council) in triples.types(s) and triples.into.get(s))
    today = date(2026, 12, 5)
    batched = pages.follow_ups(runner, councils, today)
    followed = 0
    for iri in councils:
        alone = pages.follow_up(runner, iri, today)
        assert batched[iri] == alone, iri
        followed += bool(alone)
    assert followed >= 3  # the made-up council and the two statements' councils
    # a council only other councils refer to (the register's successions) has nothing to
    # follow up, so the site writes no follow-up page for it (api/site.py)
    successions = [iri for iri in councils if triples.only_councils_refer_to(iri)]
    assert len(successions) > 10 and not any(batched[iri] for iri in successions)



def test_every_resources_turtle_is_the_servers_description_of_it(app: FastAPI) -> None:
    """The site's short Turtle (api/turtle.py) reads back as the graph the server's
    DESCRIBE query gives (a resource's statements and its neighbours' labels), for a
    spread of every subject of the store: prefixed names, @base-relative IRIs, literals
    of every kind and blank nodes."""
    runner = runner_of(app)
    triples = triples_of(runner)
    subjects = [s for s in triples.out if isinstance(s, URIRef)]
    assert len(subjects) > 1000
    for subject in subjects[::7]:
        described = runner.graph(DESCRIBE, {"resource": subject})
        text = triples.turtle(subject).decode("utf-8")
        assert isomorphic(Graph().parse(data=text, format="turtle"), described), text


#: the issue's aim for ``govkg site`` of the corpus: 30 MB, read as decimal megabytes
SITE_AIM_BYTES = 30_000_000


@pytest.mark.slow
def test_the_corpus_site_is_within_30_mb_and_every_page_has_its_rdf(
        tmp_path: Path, docs_cache: Path) -> None:
    """``govkg build`` then ``govkg site`` (bench/README.md "Static site"): the files and
    folders of the site hold fewer bytes than the aim (as ``du -sb`` counts them), and
    each resource's page still has its Turtle beside it."""
    store = open_store(tmp_path / "store", build_if_new=False)
    try:
        build(store)
        out = tmp_path / "site"
        write_site(out, Settings(query_workers=2, docs_cache=docs_cache), store=store)
    finally:
        store.close()
    entries = [out, *out.rglob("*")]
    size = sum(entry.stat().st_size for entry in entries)
    assert size < SITE_AIM_BYTES, f"{size:,} bytes"
    resource_pages = list((out / "id").rglob("*.html"))
    assert len(resource_pages) > 1500  # the register's councils and the five documents' resources
    assert not [page for page in resource_pages if not page.with_suffix(".ttl").is_file()]
