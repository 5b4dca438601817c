"""``govkg site OUT``: the web service's pages and RDF, written as a static site.

The site is made by asking the real app (the same routes, templates and queries) for
each page through an in-process ASGI client, so the static pages are the served pages.
Each resource ``/id/x`` becomes ``id/x/index.html`` plus ``id/x.ttl``, ``id/x.jsonld``,
``id/x.nt`` and ``id/x.rdf`` (the links every page already shows). Links on the pages
are absolute paths (``/id/x``); here they are rewritten relative to each page, so the
site works from any static host, at its root or in a sub-folder.
"""

from __future__ import annotations

import re
import shutil
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.api.deps import Services
from govkg.api.render import static_dir
from govkg.api.routers.dataset import DUMPS, docs_folder
from govkg.api.routers.resources import SUFFIXES
from govkg.graph.errors import StoreError
from govkg.graph.namespaces import DEFAULT_BASE
from govkg.graph.querylib import load_queries
from govkg.graph.settings import Settings
from govkg.graph.store import Store

SUBJECTS = f"""SELECT DISTINCT ?s WHERE {{ ?s ?p ?o .
  FILTER(ISIRI(?s) && (STRSTARTS(STR(?s), "{DEFAULT_BASE}id/")
                       || STRSTARTS(STR(?s), "{DEFAULT_BASE}def/"))) }}"""
_ABSOLUTE = re.compile(r'((?:href|src|action)=")/(?!/)')


def relative(html: str, depth: int) -> str:
    """Root-relative links made relative to a page ``depth`` folders below the root."""
    prefix = "../" * depth or "./"
    return _ABSOLUTE.sub(lambda m: m.group(1) + prefix, html)


class SiteWriter:
    """Fetches pages from the app and writes them under ``out``."""

    def __init__(self, client: TestClient, out: Path) -> None:
        self.client = client
        self.out = out
        self.count = 0
        self._lock = threading.Lock()

    def fetch(self, path: str, accept: str = "text/html") -> bytes:
        response = self.client.get(path, headers={"accept": accept})
        if response.status_code != 200:
            raise StoreError(f"{path} answered {response.status_code}: {response.text[:200]}")
        return response.content

    def write(self, target: str, data: bytes) -> None:
        path = self.out / target.lstrip("/")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        with self._lock:
            self.count += 1

    def page(self, path: str) -> None:
        """``/x/y`` -> ``x/y/index.html``, its links made relative."""
        folder = path.strip("/")
        target = f"{folder}/index.html" if folder else "index.html"
        depth = target.count("/")
        html = self.fetch(path).decode("utf-8")
        self.write(target, relative(html, depth).encode("utf-8"))


def write_site(out: Path, settings: Settings | None = None,
               progress: Callable[[int], None] | None = None, *,
               store: Store | None = None) -> int:
    """Write the whole site to ``out`` (from ``store``, else the one ``settings`` names);
    returns the number of files written."""
    app = create_app(settings or Settings(), store=store)
    services: Services = app.state.services
    try:
        client = TestClient(app, base_url="http://govkg.site")
        writer = SiteWriter(client, out)
        for path in ("/", "/queries", "/dataset"):
            writer.page(path)
        for name in load_queries():
            writer.page(f"/queries/{name}")
        writer.write("dataset.ttl", writer.fetch("/dataset", "text/turtle"))
        writer.write(".well-known/void", writer.fetch("/.well-known/void", "text/turtle"))
        for name in DUMPS:
            writer.write(f"dumps/{name}", writer.fetch(f"/dumps/{name}", "*/*"))
        subjects = sorted(str(row["s"]) for row in services.runner.select(SUBJECTS).rows)
        paths = [p for p in map(services.links.path_of, subjects)
                 if p is not None and p.rstrip("/") not in ("/def", "/id")]

        def resource(path: str) -> None:
            writer.page(path)
            for suffix in SUFFIXES:
                if suffix != ".trig":
                    writer.write(path + suffix, writer.fetch(path + suffix, "*/*"))

        # the queries run in the app's worker processes: keep them all busy
        with ThreadPoolExecutor(max_workers=services.settings.query_workers) as pool:
            for number, _ in enumerate(pool.map(resource, paths), 1):
                if progress and number % 200 == 0:
                    progress(writer.count)
        writer.write("def.ttl", writer.fetch("/def/", "text/turtle"))
        shutil.copytree(static_dir(), out / "static", dirs_exist_ok=True)
        shutil.copytree(docs_folder(services), out / "docs", dirs_exist_ok=True)
        writer.write("def/index.html", (out / "docs" / "ontology.html").read_bytes())
        return writer.count
    finally:
        app.state.stop()
