"""``govkg serve`` and ``govkg site``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF

from govkg.api.site import relative, write_site
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import COUNCIL, Server


def test_serve_prints_the_home_page(server: Server) -> None:
    assert f"home page at {server.url}/" in server.banner


def test_serve_reports_a_store_in_use(store: EmbeddedStore) -> None:
    """The session's store is open in this process: serve says so and exits 2 (the user's
    to fix, issue 13), no trace."""
    done = subprocess.run([sys.executable, "-m", "govkg.graph", "serve", "--store",
                           str(store.path), "--port", "1"], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 2
    assert "in use" in done.stderr and "Traceback" not in done.stderr


def test_relative_links() -> None:
    html = '<a href="/id/x">x</a><link href="/static/s.css"><a href="//cdn/x">'
    assert relative(html, 2) == '<a href="../../id/x">x</a><link href="../../static/s.css">' \
        '<a href="//cdn/x">'
    assert relative('<a href="/">home</a>', 0) == '<a href="./">home</a>'


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store: EmbeddedStore,
         docs_cache: Path) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(out, Settings(query_workers=2, docs_cache=docs_cache), store=store)
    return out


def test_site_pages(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert 'href="./id/council/testshire-county-council"' in home
    council = site / "id/council/testshire-county-council/index.html"
    html = council.read_text()
    assert "Statutory officers" in html and "&lt;script&gt;" in html
    assert 'href="../../../static/style.css"' in html  # every link relative to the page
    assert 'href="/' not in html
    for path in ("id/framework/cipfa-solace-2016/index.html",
                 "id/framework/cipfa-solace-2016/A.1/index.html",
                 "queries/statutory-officers/index.html", "docs/ontology.html",
                 "static/yasgui/yasgui.min.js", "def/index.html"):
        assert (site / path).is_file(), path


def test_site_rdf_files(site: Path, store: EmbeddedStore) -> None:
    graph = Graph().parse(site / "id/council/testshire-county-council.ttl", format="turtle")
    assert (URIRef(COUNCIL), RDF.type, URIRef("https://w3id.org/govkg/def/Council")) in graph
    Graph().parse(site / "id/council/testshire-county-council.jsonld", format="json-ld")
    dump = Dataset()
    dump.parse(site / "dumps/govkg.nq", format="nquads")
    assert len(dump) == store.triple_count()
    assert "void:Dataset" in (site / "dataset.ttl").read_text()
