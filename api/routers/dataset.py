"""The dataset itself: its VoID/DCAT description, full dumps, and the vocabulary's
documentation (pyLODE, written by ``govkg.graph.docs.write_docs`` on first request).

Everything in the description is named under the published base (``GOVKG_BASE``), so it
is right for the deployed site and for ``govkg site`` alike.
"""

from __future__ import annotations

import html
import logging
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.templating import Jinja2Templates
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, VOID, XSD

from govkg.api.deps import Services, ServicesDep
from govkg.api.errors import NotFound
from govkg.api.negotiation import TABLES, choose
from govkg.api.render import with_site_header
from govkg.api.routers.responses import errors
from govkg.graph.errors import StoreError
from govkg.graph.namespaces import GOVKG, ONTOLOGY_GRAPH, bind_prefixes
from govkg.graph.results import serialize_graph
from govkg.graph.store.rdffiles import republish

router = APIRouter(tags=["dataset"])
log = logging.getLogger("govkg.api")

DUMPS = {"govkg.trig": ("trig", "application/trig"),
         "govkg.nq": ("nq", "application/n-quads")}
VOCABULARIES = ["http://www.w3.org/2004/02/skos/core#", "http://www.w3.org/ns/org#",
                "http://www.w3.org/ns/prov#", "http://www.w3.org/ns/oa#",
                "http://purl.org/dc/terms/", str(GOVKG)]
_docs_lock = threading.Lock()

#: pyLODE's pages under the site's header, as served (the files on disk stay pyLODE's, for
#: use anywhere). pyLODE's table of contents is fixed to the window's top right, so it would
#: cover the header, whose height changes as it wraps: instead it becomes the second column
#: of a grid beside the content, sticky (in view however far one scrolls, never over the
#: header); pyLODE's "made by" note, fixed and turned on the left edge, where the header
#: now is, goes under the content. The header's links are named more exactly than
#: pyLODE's ``:link``/``:visited`` (blue and purple on the header's black: 1.7:1), so they
#: stay white.
DOCS_CSS = """<style>
html > body { padding: 0; }
header.site a:link, header.site a:visited { color: #fff; }
main#main-content { max-width: none; padding: 1rem 70px 2rem; }
main#main-content:has(> #toc) { display: grid; gap: 1.5rem; align-items: start;
  grid-template-columns: minmax(0, 1fr) 200px; }
main#main-content > #content { width: auto; grid-column: 1; grid-row: 1; }
main#main-content > #toc { position: sticky; top: 0; grid-column: 2; grid-row: 1;
  height: auto; max-height: 100vh; }
main#main-content > #pylode { position: static; transform: none; grid-column: 1; grid-row: 2; }
@media (max-width: 40em) {
  main#main-content:has(> #toc) { display: block; padding: 1rem; }
  main#main-content > #toc { position: static; max-height: none; }
}
</style>"""


def description(services: Services, compressed: bool = False) -> Graph:
    """VoID and DCAT: size, subsets per named graph, endpoint, dumps, vocabularies.

    ``compressed``: the dumps as the static site holds them (``govkg.nq.gz``, with
    DCAT's ``compressFormat``), so its description names files that are there.
    """
    base = services.links.published_base
    graph = Graph()
    bind_prefixes(graph.namespace_manager)
    graph.bind("void", VOID)
    dataset = URIRef(base + "dataset")
    infos = services.store.graphs()
    for kind in (VOID.Dataset, DCAT.Dataset):
        graph.add((dataset, RDF.type, kind))
    graph.add((dataset, DCTERMS.title, Literal("govkg: corporate governance of UK councils",
                                               lang="en")))
    graph.add((dataset, DCTERMS.description, Literal(
        "Councils' local codes of corporate governance, self-assessments and external "
        "reviews, read against the CIPFA/SOLACE framework, with every statement linked "
        "to the quoted text of its source document.", lang="en")))
    graph.add((dataset, VOID.triples, Literal(sum(i.triples for i in infos), datatype=XSD.integer)))
    graph.add((dataset, VOID.uriSpace, Literal(base + "id/")))
    graph.add((dataset, VOID.sparqlEndpoint, URIRef(base + "sparql")))
    graph.add((dataset, VOID.rootResource, URIRef(base + "id/framework/cipfa-solace")))
    for iri in VOCABULARIES:
        graph.add((dataset, VOID.vocabulary, URIRef(services.links.publish(iri))))
    for name, (_, media) in DUMPS.items():
        dump = URIRef(f"{base}dumps/{name}.gz" if compressed else f"{base}dumps/{name}")
        graph.add((dataset, VOID.dataDump, dump))
        distribution = URIRef(f"{base}dataset#{name}")
        graph.add((dataset, DCAT.distribution, distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCAT.downloadURL, dump))
        graph.add((distribution, DCAT.mediaType,
                   URIRef(f"https://www.iana.org/assignments/media-types/{media}")))
        if compressed:
            graph.add((distribution, DCAT.compressFormat,
                       URIRef("https://www.iana.org/assignments/media-types/application/gzip")))
    for info in infos:
        subset = URIRef(services.links.publish(info.iri))
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, VOID.triples, Literal(info.triples, datatype=XSD.integer)))
    graph.add((dataset, DCTERMS.conformsTo, URIRef(services.links.publish(str(ONTOLOGY_GRAPH)))))
    return graph


@router.get("/dataset", summary="The VoID/DCAT description of the dataset",
            responses={200: {"content": {m: {} for m in TABLES["graph"].values()}},
                       **errors(400, 406, 422, 500, s400="An unknown format.")})
def dataset(request: Request, services: ServicesDep,
            format: Annotated[str | None, Query(
                description="turtle, jsonld, ntriples, rdfxml, trig or html")] = None
            ) -> Response:
    """Size, named graphs, the SPARQL endpoint and the dumps, as RDF (or Turtle in a page)."""
    choice = choose("graph", request.headers.get("accept"), format=format)
    graph = services.cached(("dataset",), lambda: description(services))
    if choice.name == "html":
        return services.templates.TemplateResponse(request, "table.html", {
            "title": "The govkg dataset", "boolean": None, "formats": [], "link": str,
            "description": "Full dumps: /dumps/govkg.trig (TriG) and /dumps/govkg.nq "
                           "(N-Quads). The description in VoID and DCAT:",
            "turtle": serialize_graph(graph, "turtle"), "params": [], "values": {}})
    return Response(serialize_graph(graph, choice.name), media_type=choice.content_type)


@router.get("/.well-known/void", include_in_schema=False)
def well_known_void(request: Request, services: ServicesDep) -> Response:
    """Where RFC 5785 clients look for a VoID description."""
    graph = services.cached(("dataset",), lambda: description(services))
    return Response(serialize_graph(graph, "turtle"), media_type="text/turtle; charset=utf-8")


@router.get("/dumps/{name}", summary="A full dump of the store (TriG or N-Quads)",
            responses={200: {"content": {"application/trig": {}, "application/n-quads": {}}},
                       **errors(404, 422, 500, s404="No dump of that name.")})
def dump(name: str, services: ServicesDep) -> Response:
    """Every named graph, as the store exports it (``govkg export``)."""
    if name not in DUMPS:
        raise NotFound(f"no dump {name!r}; there are {', '.join(DUMPS)}")
    export_format, media = DUMPS[name]
    # under another base (GOVKG_BASE) the dump names everything as the pages and the
    # resources' RDF do
    body = services.cached(("dump", name), lambda: republish(
        services.store.export(export_format), export_format, services.links.published_base))
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


def docs_folder(services: Services) -> Path:
    """The pyLODE documentation, written once into the docs cache by ``govkg ontology
    docs`` in a child process (pyLODE is slow to import and raises bare exceptions; a
    failure there must not take the service down). If it writes only part of the
    documentation, the part is served with an index saying what is missing."""
    folder = services.docs_dir
    with _docs_lock:
        if (folder / "index.html").is_file():
            return folder
        done = subprocess.run(
            [sys.executable, "-m", "govkg.graph", "ontology", "docs", str(folder)],
            capture_output=True, text=True, timeout=600, check=False)
        if done.returncode != 0:
            log.warning("govkg ontology docs failed: %s", done.stderr.strip()[-2000:])
            if not (folder / "ontology.html").is_file():
                raise StoreError("the vocabulary documentation could not be generated")
            schemes = sorted((folder / "schemes").glob("*.html"))
            links = "".join(f'<li><a href="schemes/{html.escape(p.name)}">'
                            f"{html.escape(p.stem)}</a></li>" for p in schemes)
            (folder / "index.html").write_text(
                '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>govkg '
                "vocabulary documentation</title></head><body><h1>govkg vocabulary "
                'documentation</h1><p><a href="ontology.html">The govkg ontology</a></p>'
                f"<h2>Concept schemes</h2><ul>{links}</ul><p>Some concept schemes could "
                "not be documented.</p></body></html>", encoding="utf-8")
    return folder


def docs_page(page: bytes, templates: Jinja2Templates, *, static_site: bool = False,
              link: Callable[[str], str] | None = None) -> bytes:
    """A page of the vocabulary documentation as the site shows it: with the skip link,
    header and search box every page has (as ``/api-docs`` has them), pyLODE's layout
    made room for them by :data:`DOCS_CSS` (``static_site`` and ``link``: as
    :func:`~govkg.api.render.with_site_header` takes them, for ``govkg site``'s copy)."""
    return with_site_header(page, templates, DOCS_CSS, static_site=static_site, link=link)


@router.get("/docs/{name:path}", summary="The vocabulary documentation (pyLODE)",
            response_class=HTMLResponse,
            responses=errors(404, 422, 500, s404="No such page.",
                             s500="The documentation could not be generated."))
def docs(name: str, services: ServicesDep) -> Response:
    """``index.html``, ``ontology.html`` and ``schemes/<scheme>.html``."""
    folder = docs_folder(services).resolve()
    try:  # a NUL byte (``%00``) or an over-long name makes the OS calls raise
        target = (folder / (name or "index.html")).resolve()
        found = target.is_relative_to(folder) and target.is_file()
    except (OSError, ValueError):
        found = False
    if not found:
        raise NotFound(f"no documentation page {name!r}")
    if target.suffix != ".html":
        return FileResponse(target)
    return HTMLResponse(docs_page(target.read_bytes(), services.templates))
