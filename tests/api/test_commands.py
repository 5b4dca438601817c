"""``govkg serve`` and ``govkg site``."""

from __future__ import annotations

import gzip
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import DCAT, RDF, VOID

from govkg.api.site import Linker, write_site
from govkg.graph.namespaces import DEFAULT_BASE
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


def test_links_become_relative_links_to_files() -> None:
    linker = Linker({"/", "/id/x", "/id/doc", "/queries"})
    html = ('<a href="/id/x">x</a><link href="/static/s.css"><a href="//cdn/x">'
            '<a href="/id/doc/span/1-2">q</a><a href="/query">q</a><a href="/id/x.ttl">t</a>'
            '<a href="#main">skip</a>')
    # a page without a head: each link climbs to the site's root
    assert linker.rewrite(html, "id/y.html") == (
        '<a href="../id/x.html">x</a><link href="../static/s.css"><a href="//cdn/x">'
        '<a href="../id/doc.html">q</a><a href="../server-only.html">q</a>'
        '<a href="../id/x.ttl">t</a><a href="#main">skip</a>')
    # a page with one: its <base> does, once, and a link to a place on it names it
    assert linker.rewrite(f"<head>\n</head>{html}", "id/council/y.html") == (
        '<head>\n<base href="../../">\n</head>'
        '<a href="id/x.html">x</a><link href="static/s.css"><a href="//cdn/x">'
        '<a href="id/doc.html">q</a><a href="server-only.html">q</a>'
        '<a href="id/x.ttl">t</a><a href="id/council/y.html#main">skip</a>')
    assert linker.rewrite('<head>\n<a href="/">home</a>', "index.html") == (
        '<head>\n<a href="index.html">home</a>')
    assert linker.target("/search?q=a") == "search.html?q=a"
    assert linker.target("/id/x#part") == "id/x.html#part"
    # a result in another format than the page's is the server's to give
    assert linker.target("/queries?format=csv") == "server-only.html"
    assert linker.target("/queries?format=html&x=1") == "queries.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, store: EmbeddedStore,
         docs_cache: Path) -> Path:
    out = tmp_path_factory.mktemp("site")
    write_site(out, Settings(query_workers=2, docs_cache=docs_cache), store=store)
    return out


def test_site_pages(site: Path) -> None:
    home = (site / "index.html").read_text()
    assert 'href="id/council/testshire-county-council.html"' in home
    council = site / "id/council/testshire-county-council.html"
    html = council.read_text()
    assert "Statutory officers" in html and "&lt;script&gt;" in html
    # every link relative to the site's root, which the page's <base> names
    assert '<base href="../../">' in html and 'href="static/style.css"' in html
    assert 'href="/' not in html and 'action="/' not in html
    for path in ("id/framework/cipfa-solace-2016.html",
                 "id/framework/cipfa-solace-2016/A.1.html",
                 "id/council/testshire-county-council/post/chief-executive.html",
                 "queries/statutory-officers.html", "docs/ontology.html", "compare.html",
                 "search.html", "server-only.html", "static/search-index.js",
                 "councils/testshire-county-council/follow-up.html",
                 "councils/testshire-county-council/follow-up.xlsx"):
        assert (site / path).is_file(), path
    # every page's stylesheet and scripts are there, and nothing only the server uses
    used = {link for page in site.rglob("*.html") if "docs" not in page.parts
            for link in re.findall(r'(?:href|src)="(static/[^"#?]+)"', page.read_text())}
    assert {"static/style.css", "static/search.js", "static/search-index.js"} <= used
    assert all((site / link).is_file() for link in used)
    assert not (site / "static/yasgui").exists() and not (site / "static/upload.js").exists()
    # no page for a quote span: its link goes to the document's page
    assert not (site / "id/document/testshire-code/span/12-12.html").exists()
    assert 'href="id/document/testshire-code.html"' in (
        site / "id/council/testshire-county-council/post/chief-executive.html").read_text()


def test_site_vocabulary_pages_have_the_header_and_its_links_work_from_disk(
        site: Path) -> None:
    """The vocabulary pages (pyLODE's) of the static site carry the site's header and
    search box, as the server serves them; their links lead to the site's files relative
    to each page (no <base>), and nothing only the server has is linked."""
    pages = sorted((site / "docs").rglob("*.html"))
    assert {"index.html", "ontology.html"} <= {page.name for page in pages}
    assert any(page.parent.name == "schemes" for page in pages)
    for page in pages:
        text = page.read_text()
        header = text[text.index('<header class="site">'):text.index("</header>")]
        assert 'id="site-search-q"' in header
        assert 'href="/' not in header and 'action="/' not in header
        assert "query.html" not in header and "upload" not in header
        links = re.findall(r'(?:href|action)="([^"#?]+)"', header)
        links += re.findall(r'<link rel="stylesheet" href="([^"]+)"', text)[:1]
        assert links and all((page.parent / link).resolve().is_file() for link in links), (
            page, links)
        assert (page.parent / re.search(r'action="([^"]+)"', header)[1]).resolve() == (
            site / "search.html").resolve()


def test_site_rdf_files(site: Path, store: EmbeddedStore) -> None:
    graph = Graph().parse(site / "id/council/testshire-county-council.ttl", format="turtle")
    assert (URIRef(COUNCIL), RDF.type, URIRef("https://w3id.org/govkg/def/Council")) in graph
    post = Graph().parse(site / "id/council/testshire-county-council/post/chief-executive.ttl",
                         format="turtle")
    assert (URIRef(COUNCIL + "/post/chief-executive"), RDF.type,
            URIRef("http://www.w3.org/ns/org#Post")) in post
    dump = Dataset()
    dump.parse(data=gzip.decompress((site / "dumps/govkg.nq.gz").read_bytes()),
               format="nquads")
    assert len(dump) == store.triple_count()
    assert "void:Dataset" in (site / "dataset.ttl").read_text()


def test_site_description_names_the_dumps_it_holds(site: Path) -> None:
    """The site's VoID/DCAT description (``dataset.ttl`` and ``.well-known/void``) names
    the dumps as the site holds them, gzip-compressed, so a client following
    ``void:dataDump`` finds the file."""
    for name in ("dataset.ttl", ".well-known/void"):
        graph = Graph().parse(site / name, format="turtle")
        dumps = sorted(str(o) for o in graph.objects(None, VOID.dataDump))
        assert [d.rsplit("/", 1)[1] for d in dumps] == ["govkg.nq.gz", "govkg.trig.gz"]
        for dump in dumps:
            assert (site / "dumps" / dump.rsplit("/", 1)[1]).is_file(), dump
        downloads = sorted(str(o) for o in graph.objects(None, DCAT.downloadURL))
        assert downloads == dumps
        assert len(set(graph.objects(None, DCAT.compressFormat))) == 1


ELSEWHERE = "https://governance.example.org/kg/"


@pytest.fixture(scope="module")
def site_elsewhere(tmp_path_factory: pytest.TempPathFactory, store: EmbeddedStore,
                   docs_cache: Path) -> Path:
    """The site of a deployment under another base (``GOVKG_BASE``)."""
    out = tmp_path_factory.mktemp("site-elsewhere")
    write_site(out, Settings(query_workers=2, docs_cache=docs_cache, base=ELSEWHERE),
               store=store)
    return out


def iris(graph: Graph | Dataset) -> set[str]:
    """Every IRI a graph's (or a dataset's) statements name, the graphs' names too."""
    statements = graph.quads((None, None, None, None)) if isinstance(graph, Dataset) else graph
    return {str(term) for statement in statements for term in statement
            if isinstance(term, URIRef)}


def test_site_under_another_base_names_everything_under_it(site_elsewhere: Path) -> None:
    """Every RDF file of the site, the resources' Turtle rendered from memory as well as
    the app's, the dumps and the descriptions, names govkg's resources and terms under
    the configured base and never under the stored one; the search index and the pages
    show the IRIs under it."""
    files = sorted(site_elsewhere.rglob("*.ttl"))
    kinds = {file.parent.relative_to(site_elsewhere).parts[:2] for file in files}
    assert len(files) > 400 and {("id", "council"), ("id", "document"), ("def",)} <= kinds
    named: set[str] = set()
    for file in [*files, site_elsewhere / ".well-known/void"]:
        found = iris(Graph().parse(file, format="turtle"))
        assert not {iri for iri in found if iri.startswith(DEFAULT_BASE)}, file
        named |= found
    for name, syntax in (("govkg.nq", "nquads"), ("govkg.trig", "trig")):
        dump = Dataset()
        dump.parse(data=gzip.decompress((site_elsewhere / f"dumps/{name}.gz").read_bytes()),
                   format=syntax)
        found = iris(dump)
        assert not {iri for iri in found if iri.startswith(DEFAULT_BASE)}, name
        named |= found
    assert ELSEWHERE + "id/council/testshire-county-council" in named
    assert ELSEWHERE + "def/Council" in named
    index = (site_elsewhere / "static/search-index.js").read_text()
    assert f'"base":"{ELSEWHERE}"' in index and DEFAULT_BASE not in index
    assert DEFAULT_BASE not in (site_elsewhere / "search.html").read_text()
    # and the pages show the IRIs as the RDF names them, an unlabelled one's in its title
    titled_by_iri = [text for page in site_elsewhere.glob("id/**/*.html")
                     if "<title>https://" in (text := page.read_text())]
    assert titled_by_iri and all(f"<title>{ELSEWHERE}" in text for text in titled_by_iri)
    post = (site_elsewhere / "id/council/testshire-county-council/post/chief-executive.html")
    assert ELSEWHERE + "id/council/testshire-county-council/post/chief-executive" in (
        post.read_text())
