"""``govkg site OUT``: the web service's pages and RDF, written as a static site that
works from any static host and straight from disk (``file://``).

What it writes, and why it is quick and small:

* The pages that need the named queries (home, councils, frameworks, framework items,
  the named queries, comparison, follow-up, validation) are asked of the real app (the
  same routes, templates and queries) through an in-process ASGI client.
* Every other resource page (posts, bodies, evidence, commitments, ...) is rendered with
  the same ``resource.html`` template from ONE pass over the store's triples, instead of
  five queries per page; each gets its RDF as ``x.ttl`` (written as N-Triples lines, which
  are Turtle) and nothing more: the full dumps hold every format's worth of data.
* Quote spans, their selectors and item links get no page of their own: a link to one
  goes to the page of the nearest resource above it (a span's document, a link's
  commitment), where the quote is shown.
* Every link becomes a relative link to a file (``id/x`` -> ``id/x.html``), so opening
  ``index.html`` from disk shows pages, never folder listings; what only a server can do
  (the SPARQL editor, the Web API, the SHACL validation reports, which take SHACL a
  minute per council) links to a page that says so.
* The councils' original files kept beside the store are copied to ``originals/``, so a
  quote's link to its page of the original PDF works from disk too.
* The full dumps are written gzip-compressed (``dumps/govkg.trig.gz``), the N-Quads
  lines sorted (a quarter smaller compressed).
* Every file names govkg's resources under the configured base (``GOVKG_BASE``): the
  Turtle rendered from memory, the dumps, the search index and the pages.
* Small (the corpus in 26.7 MB, aim 30 MB): pages leave out the end tags HTML makes
  optional and the links to what only the server has; a council of the register
  without documents gets no follow-up page (its list is empty); the templates name a
  property once for its values and show a quote once (see bench/README.md).
* Search works offline: ``static/search-index.js`` holds the search index (the same
  entries as the server's FTS5 index) and ``static/search.js`` searches it in the page.
"""

from __future__ import annotations

import functools
import gzip
import json
import re
import shutil
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS
from rdflib.term import Node

from govkg.api import turtle
from govkg.api.app import create_app
from govkg.api.deps import Services
from govkg.api.linked import LABEL_PROPERTIES
from govkg.api.pages import ITEM_TYPES, council_unreferenced, follow_ups, items, slug_of
from govkg.api.render import static_dir
from govkg.api.routers import followup
from govkg.api.routers.dataset import DUMPS, description, docs_folder, docs_page
from govkg.graph.errors import StoreError
from govkg.graph.namespaces import DEFAULT_BASE, GOVKG, OA
from govkg.graph.querylib import load_queries
from govkg.graph.results import serialize_graph
from govkg.graph.search import SearchIndex, filter_key
from govkg.graph.settings import Settings
from govkg.graph.store import SelectResult, Store
from govkg.graph.store.originals import Originals

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
#: types whose resources are shown on the page of the resource above them
NO_PAGE = {str(OA.SpecificResource), str(OA.TextQuoteSelector), str(OA.FragmentSelector),
           str(OA.TextPositionSelector), str(GOVKG.ItemLink)}
#: types whose pages come from the app (they need the named queries)
APP_TYPES = {str(GOVKG.Council), str(GOVKG.FrameworkEdition), str(GOVKG.CorePrinciple),
             str(GOVKG.SubPrinciple), str(GOVKG.SupportingPrinciple),
             str(GOVKG.SpecificRequirement)}
LABEL_PREDICATES = (SKOS.prefLabel, RDFS.label, DCTERMS.title)
#: a page's title: its label, else its number (as :data:`govkg.api.pages.LABEL_ORDER`)
PAGE_LABELS = (*LABEL_PREDICATES, SKOS.notation)
SERVER_ONLY = "server-only.html"
#: static files only the server's pages use
SERVER_STATIC = ("swagger", "yasgui", "query.js", "upload.*", "README.md")
SITE_QUERY_TIMEOUT = 300.0  # seconds
_LINK = re.compile(r'((?:href|src|action)=")(/(?!/)[^"]*)"')
_TYPE = RDF.type  # (rdflib's namespaces look names up)
#: the neighbours' statements a resource's description carries
_DESCRIBED = {URIRef(p.strip("<>")) for p in LABEL_PROPERTIES}
_HERE = re.compile(r'((?:href|action)=")#')
#: a quote's footer whose span link leads where its document link does
_SAME_PLACE = re.compile(r'(<footer><a href="([^"]+)">(?:(?!</footer>).)*?)\n\s*· '
                         r'<a href="\2">span</a></footer>', re.S)
_KEEP_SPACES = re.compile(r"(<(pre|textarea|script|blockquote)\b.*?</\2>)", re.S)
_INDENT = re.compile(r"\n[ \t]+")
#: end tags HTML lets a page leave out (WHATWG HTML, "Optional tags"): a cell's before the
#: next cell or the row's end, a row's before the next row or the table part's end, an
#: item's before the next item or the list's end; the parser closes them the same way
_OPTIONAL_END = re.compile(r"</t[dh]>(?=\s*(?:<t[dhr]\b|</(?:tr|tbody|table)>))"
                           r"|</tr>(?=\s*(?:<tr\b|</(?:tbody|table)>))"
                           r"|</li>(?=\s*(?:<li\b|</[ou]l>))")
_FORMATS = re.compile(r'<p class="formats">.*?</p>', re.S)
_SUFFIX = re.compile(r"\.(ttl|jsonld|nt|rdf|trig|nq|csv|xlsx|css|js|png|svg|html|md|txt|pdf|docx)$")


def page_file(path: str) -> str:
    """The file a page is written to: ``/`` -> ``index.html``, ``/id/x`` -> ``id/x.html``."""
    folder = path.strip("/")
    return f"{folder}.html" if folder else "index.html"


class Linker:
    """Turns the app's root-relative links into relative links to the written files."""

    def __init__(self, pages: set[str]) -> None:
        self.pages = pages
        #: pages link to the same few thousand places 100,000 times
        self.target = functools.lru_cache(maxsize=None)(self._target)  # type: ignore[method-assign]

    def target(self, link: str) -> str:
        """The file a root-relative link leads to, with its fragment."""
        return self._target(link)

    def _target(self, link: str) -> str:
        parts = urlsplit(link)
        path, fragment = parts.path, f"#{parts.fragment}" if parts.fragment else ""
        if parse_qs(parts.query).get("format", ["html"])[0] != "html":
            return SERVER_ONLY  # a query's result as JSON or CSV: the server answers it
        if path in ("/search",):
            return "search.html" + (f"?{parts.query}" if parts.query else "") + fragment
        if path.startswith("/dumps/"):
            return path.lstrip("/") + ".gz"  # see write_site
        if path.startswith(("/static/", "/docs/")) or _SUFFIX.search(path):
            return path.lstrip("/") + fragment
        if path == "/def/":
            return "docs/ontology.html"
        candidate = path.rstrip("/") or "/"
        while candidate:
            if candidate in self.pages:
                return page_file(candidate) + fragment
            if not candidate.startswith(("/id/", "/def/")):
                break
            candidate = candidate.rsplit("/", 1)[0]
        return SERVER_ONLY

    def rewrite(self, html: str, file: str) -> str:
        """The page's links relative to the site's root, and a ``<base>`` that points
        there from the page's folder (one ``../../`` a page rather than on each of its
        links, a ninth of the site's bytes); links to a place on the page itself then
        name the page's file. A quote's link to its span, which has no page here, leads
        where its document's link does, so it is left out; lines lose their indent
        and optional end tags (see :func:`_compact`)."""
        html = _FORMATS.sub(lambda m: _turtle_only(m.group(0)), html)
        up = "../" * file.count("/")
        based = bool(up) and "<head>\n" in html
        html = _LINK.sub(lambda m: f'{m.group(1)}{"" if based else up}'
                         f'{self.target(m.group(2))}"', html)
        html = _SAME_PLACE.sub(r"\1</footer>", html)
        html = _compact(html)
        if not based:
            return html
        html = _HERE.sub(lambda m: f'{m.group(1)}{file}#', html)
        return html.replace("<head>\n", f'<head>\n<base href="{up}">\n', 1)


def _compact(html: str) -> str:
    r"""``html`` without the indent of its lines and the end tags HTML makes optional
    (:data:`_OPTIONAL_END`: a table row's ``</td></tr>``, a tenth of the site's pages),
    but in ``pre``, ``textarea``, scripts and quotes (shown as written, ``pre-wrap``);
    elsewhere a browser collapses the indent with the line break before it. A general
    minifier (minify-html) would also collapse the quotes' spaces and line breaks.

    >>> _compact("<tr><td>a</td>\n  <td>b</td></tr>\n</tbody><pre> x</td></pre>")
    '<tr><td>a\n<td>b\n</tbody><pre> x</td></pre>'
    """
    def compact(part: str) -> str:
        return _OPTIONAL_END.sub("", _INDENT.sub("\n", part))

    parts, last = [], 0
    for kept in _KEEP_SPACES.finditer(html):
        parts += [compact(html[last:kept.start()]), kept.group(0)]
        last = kept.end()
    return "".join([*parts, compact(html[last:])])


def _turtle_only(paragraph: str) -> str:
    link = re.search(r'<a href="[^"]+\.ttl"[^>]*>Turtle</a>', paragraph)
    return f'<p class="formats">This resource as RDF: {link.group(0)}.</p>' if link else ""


class SiteWriter:
    """Writes files under ``out`` and counts them."""

    def __init__(self, client: TestClient, out: Path, linker: Linker) -> None:
        self.client = client
        self.out = out
        self.linker = linker
        self.count = 0
        self.bytes = 0
        self._lock = threading.Lock()
        self._folders: set[Path] = set()

    def fetch(self, path: str, accept: str = "text/html") -> bytes:
        response = self.client.get(path, headers={"accept": accept})
        if response.status_code != 200:
            raise StoreError(f"{path} answered {response.status_code}: {response.text[:200]}")
        return response.content

    def write(self, target: str, data: bytes) -> None:
        path = self.out / target.lstrip("/")
        if path.parent not in self._folders:  # asking the file system costs as much as
            path.parent.mkdir(parents=True, exist_ok=True)  # writing a page
            with self._lock:
                self._folders.add(path.parent)
        path.write_bytes(data)
        with self._lock:
            self.count += 1
            self.bytes += len(data)

    def html(self, path: str, html: str) -> None:
        file = page_file(path)
        self.write(file, self.linker.rewrite(html, file).encode("utf-8"))

    def page(self, path: str) -> None:
        self.html(path, self.fetch(path).decode("utf-8"))


class Triples:
    """The whole store read once, indexed for the generic resource pages."""

    def __init__(self, result: SelectResult) -> None:
        self.out: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        self.into: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        #: a subject's first value of each predicate (labels are looked up 50,000 times)
        self.first: dict[tuple[Node, Node], Node] = {}
        for row in result.rows:
            s, p, o = row["s"], row["p"], row["o"]
            self.out[s].append((p, o))
            self.first.setdefault((s, p), o)
            if not isinstance(o, Literal):
                self.into[o].append((s, p))

    def value(self, subject: Node, predicate: Node) -> Node | None:
        return self.first.get((subject, predicate))

    def label(self, node: Node, order: Iterable[Node] = LABEL_PREDICATES) -> Node | None:
        for predicate in order:
            found = self.value(node, predicate)
            if found is not None:
                return found
        return None

    def only_councils_refer_to(self, node: Node) -> bool:
        """Nothing but councils (the register's successions) refers to ``node``."""
        return all(str(GOVKG.Council) in self.types(s) for s, _ in self.into.get(node, ()))

    def types(self, node: Node) -> set[str]:
        return {str(o) for p, o in self.out.get(node, ()) if p == _TYPE}

    def sources(self, node: Node) -> list[dict[str, Node]]:
        spans = [o for p, o in self.out.get(node, ()) if p == GOVKG.source]
        if str(OA.SpecificResource) in self.types(node):
            spans.append(node)
        rows = []
        for span in spans:
            document, start = self.value(span, OA.hasSource), self.value(span, GOVKG.startLine)
            # a span has several selectors (quote, lines, position): the quote's is the one
            exact = next((e for p, sel in self.out.get(span, ()) if p == OA.hasSelector
                          if (e := self.value(sel, OA.exact)) is not None), None)
            if document is None or start is None or exact is None:
                continue
            row = {"resource": node, "span": span, "exact": exact, "start": start,
                   "end": self.value(span, GOVKG.endLine) or start, "document": document}
            for key, value in (("documentTitle", self.value(document, DCTERMS.title)),
                               ("page", self.value(span, GOVKG.page)),
                               ("sha", self.value(document, GOVKG.sha256)),
                               ("format", self.value(document, DCTERMS.format))):
                if value is not None:
                    row[key] = value
            rows.append(row)
        return sorted(rows, key=lambda r: int(str(r["start"])))

    def resource(self, iri: URIRef) -> dict[str, Any]:
        """What :func:`govkg.api.pages.resource` gives the template, from memory."""
        def row(**terms: Node | None) -> dict[str, Node]:
            return {k: v for k, v in terms.items() if v is not None}

        properties = sorted((row(p=p, pLabel=self.value(p, RDFS.label), o=o,
                                 oLabel=self.label(o)) for p, o in self.out.get(iri, ())),
                            key=lambda r: (str(r["p"]), str(r["o"])))
        incoming = sorted((row(s=s, p=p, pLabel=self.value(p, RDFS.label), sLabel=self.label(s))
                           for s, p in self.into.get(iri, ())),
                          key=lambda r: (str(r["p"]), str(r["s"])))
        return {"iri": iri, "label": self.label(iri, PAGE_LABELS),
                "properties": properties, "incoming": incoming, "sources": self.sources(iri),
                "more_properties": None, "more_incoming": None, "exists": True}

    def turtle(self, iri: URIRef, base: str = DEFAULT_BASE) -> bytes:
        """The resource's statements and its neighbours' labels, the server's description
        of it (:data:`govkg.api.linked.DESCRIBE`), as short Turtle (:mod:`govkg.api.turtle`)
        published under ``base``."""
        statements = self.out.get(iri, [])
        labels = {o: found for _, o in statements if not isinstance(o, Literal)
                  and (found := [(p, v) for p, v in self.out.get(o, ()) if p in _DESCRIBED])}
        return turtle.write([(iri, statements), *labels.items()], base).encode("utf-8")


#: expands :func:`search_index_js`'s tables into the entries search.js reads
_EXPAND = """window.GOVKG_SEARCH = (function (d) {
  window.GOVKG_BASE = d.base;  // search.js links to the pages by the IRIs after it
  return d.entries.map(function (e) {
    var council = e[4] === null ? [null, null] : d.councils[e[4]];
    return {iri: e[0].indexOf("://") > 0 ? e[0] : d.base + e[0], kind: e[1],
            kindLabel: d.kinds[e[1]], label: e[2], body: e[3], council: council[0],
            councilLabel: council[1], documentKind: e[5], principles: e[6]};
  });
})("""


def search_index_js(store: Store, base: str = DEFAULT_BASE) -> bytes:
    """The search index as a script (``file://`` pages may load scripts, not JSON):
    the same entries as the server's FTS5 index, written as tables (each entry a row,
    IRIs after the base, each council and kind named once: a third smaller), which the
    script expands into the objects ``search.js`` reads, the IRIs under the published
    ``base``; an entry's council and principles are the search form's filter values
    (:func:`govkg.graph.search.filter_key`), which name no base."""
    entries = SearchIndex.beside(store).entries()
    councils: dict[object, int] = {}
    kinds: dict[object, object] = {}
    rows = []
    for entry in entries:
        iri, council, principles = str(entry["iri"]), entry["council"], entry["principles"]
        assert isinstance(principles, list)
        if council is not None and council not in councils:
            councils[council] = len(councils)
        kinds[entry["kind"]] = entry["kindLabel"]
        rows.append([iri[len(DEFAULT_BASE):] if iri.startswith(DEFAULT_BASE) else iri,
                     entry["kind"], entry["label"], entry["body"],
                     councils[council] if council is not None else None,
                     entry["documentKind"], [filter_key(str(p)) for p in principles]])
    labels = {e["council"]: e["councilLabel"] for e in entries if e["council"] is not None}
    tables = {"base": base, "kinds": kinds,
              "councils": [[filter_key(str(c)), labels[c]] for c in councils], "entries": rows}
    return (_EXPAND + json.dumps(tables, ensure_ascii=False, separators=(",", ":"))
            + ");\n").encode("utf-8")


def write_site(out: Path, settings: Settings | None = None,
               progress: Callable[[int], None] | None = None, *,
               store: Store | None = None) -> int:
    """Write the whole site to ``out`` (from ``store``, else the one ``settings`` names);
    returns the number of files written."""
    settings = settings or Settings()
    # nobody waits on a page here: a busy machine must not stop a slow query midway
    settings = settings.model_copy(update={"query_timeout": max(settings.query_timeout,
                                                                SITE_QUERY_TIMEOUT)})
    app = create_app(settings, store=store)
    services: Services = app.state.services
    base = services.links.published_base
    # the pages' navigation leaves out what only the server has (SPARQL, upload, API)
    services.templates.env.globals["static_site"] = True
    try:
        client = TestClient(app, base_url="http://govkg.site")
        data = services.store.query(ALL)
        assert isinstance(data, SelectResult)
        triples = Triples(data)
        ours = [s for s in triples.out if isinstance(s, URIRef)
                and str(s).startswith((DEFAULT_BASE + "id/", DEFAULT_BASE + "def/"))]
        app_pages: list[tuple[URIRef, str]] = []
        # rendered here from the triples and batched queries, not asked of the app
        kinds: dict[str, list[tuple[URIRef, str]]] = {"resource": [], "council": [],
                                                      "item": []}
        for iri in ours:
            types = triples.types(iri)
            path = services.links.path_of(iri)
            if path is None or path.rstrip("/") in ("/def", "/id") or types & NO_PAGE:
                continue
            if str(GOVKG.Council) in types and triples.only_councils_refer_to(iri):
                kinds["council"].append((iri, path))  # see pages.council_unreferenced
            elif types & ITEM_TYPES:
                kinds["item"].append((iri, path))
            elif types & APP_TYPES:
                app_pages.append((iri, path))
            else:
                kinds["resource"].append((iri, path))
        # a council only other councils refer to has nothing to follow up (as its page
        # says, see pages.council_unreferenced): no follow-up page and downloads for it
        followed = [iri for iri, _ in app_pages if str(GOVKG.Council) in triples.types(iri)]
        councils = [slug_of(iri) for iri in followed]
        fixed = ["/", "/queries", "/dataset", "/compare", "/search",
                 *(f"/queries/{name}" for name in load_queries()),
                 *(f"/councils/{slug}/follow-up" for slug in councils)]
        pages = {*fixed, *(p for _, p in app_pages),
                 *(p for listed in kinds.values() for _, p in listed)}
        writer = SiteWriter(client, out, Linker(pages))
        # pyLODE writes the vocabulary docs in a child process: let it run meanwhile
        docs = ThreadPoolExecutor(max_workers=1)
        docs_written = docs.submit(docs_folder, services)
        # the follow-up lists of every council in two queries, where the app's pages
        # would ask two a council: the app's page and downloads then find them made
        today = date.today()
        for iri, rows in follow_ups(services.runner, followed, today).items():
            context = {"iri": iri, "label": triples.label(iri, PAGE_LABELS), "rows": rows,
                       "today": today}
            services.cached(followup.key(slug_of(iri), today), lambda c=context: c)

        def from_app(path: str) -> None:
            if path == "/search":  # searches the prebuilt index in the page
                writer.html(path, writer.fetch(path).decode("utf-8").replace(
                    '<script src="/static/search.js"',
                    '<script src="/static/search-index.js"></script>\n'
                    '<script src="/static/search.js"'))
                return
            writer.page(path)
            if path.startswith(("/id/", "/def/")):
                writer.write(path + ".ttl", writer.fetch(path + ".ttl", "*/*"))

        def download(path: str, target: str, compress: bool = False) -> None:
            data = writer.fetch(path, "*/*")
            if target.endswith(".nq.gz"):  # N-Quads lines in any order are the same
                data = b"".join(sorted(data.splitlines(keepends=True)))  # quads; sorted,
                # the subjects' lines are together and gzip finds a quarter less
            writer.write(target, gzip.compress(data, mtime=0) if compress else data)

        # the app's queries run in its worker processes: keep them all busy, while this
        # thread renders the pages made from memory
        with ThreadPoolExecutor(max_workers=services.settings.query_workers) as pool:
            item_pages = pool.submit(items, services.runner,
                                     [iri for iri, _ in kinds["item"]], triples.sources)
            asked = [pool.submit(from_app, path)
                     for path in [*fixed, *(p for _, p in app_pages)]]
            asked += [pool.submit(download, f"/councils/{slug}/follow-up.{kind}",
                                  f"councils/{slug}/follow-up.{kind}")
                      for slug in councils for kind in ("csv", "xlsx")]
            asked += [pool.submit(download, f"/compare.{kind}", f"compare.{kind}")
                      for kind in ("csv", "xlsx")]
            # compressed: the dumps would be a third of the site
            asked += [pool.submit(download, f"/dumps/{name}", f"dumps/{name}.gz", True)
                      for name in DUMPS]
            environment = services.templates.env
            made: dict[str, Callable[[URIRef], dict[str, Any] | None]] = {
                "resource": lambda iri: None, "council": council_unreferenced,
                "item": lambda iri: item_pages.result()[iri]}
            for kind, listed in kinds.items():
                template = environment.get_template(f"{kind}.html")
                for number, (iri, path) in enumerate(listed, 1):
                    generic_page = triples.resource(iri)
                    writer.html(path, template.render(
                        iri=iri, path=path, label=generic_page["label"],
                        resource=generic_page, types=sorted(triples.types(iri)),
                        page=made[kind](iri), title=str(generic_page["label"] or iri)))
                    writer.write(path + ".ttl", triples.turtle(iri, base))
                    if progress and number % 500 == 0:
                        progress(writer.count)
            for number, done in enumerate(asked, 1):
                done.result()  # raises what the app answered, if not 200
                if progress and number % 50 == 0:
                    progress(writer.count)
        # the description names the dumps as this site holds them, compressed
        void = serialize_graph(description(services, compressed=True), "turtle").encode()
        writer.write("dataset.ttl", void)
        writer.write(".well-known/void", void)
        writer.write("def.ttl", writer.fetch("/def/", "text/turtle"))
        writer.html("/server-only", services.templates.env.get_template(
            "server_only.html").render(title="Needs the govkg server"))
        # what only the server's own pages use (the SPARQL editor, the API docs, the
        # upload pages: here those link to server-only.html) is left out, a megabyte
        shutil.copytree(static_dir(), out / "static", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns(*SERVER_STATIC))
        writer.write("static/search-index.js", search_index_js(services.store, base))
        originals = Originals.beside(services.store)
        for name in originals.names():  # the quotes' links lead to them
            writer.write(f"originals/{name}", (originals.folder / name).read_bytes())
        shutil.copytree(docs_written.result(), out / "docs", dirs_exist_ok=True)
        for page in (out / "docs").rglob("*.html"):  # the header and search box, as served
            up = "../" * (len(page.relative_to(out).parts) - 1)
            page.write_bytes(docs_page(page.read_bytes(), services.templates, static_site=True,
                                       link=lambda href, up=up: up + writer.linker.target(href)))
        docs.shutdown()
        return writer.count
    finally:
        app.state.stop()
