"""The home page and the query page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from govkg.api import pages
from govkg.api.deps import ServicesDep

router = APIRouter(tags=["pages"])

DEFAULT_QUERY = """PREFIX govkg: <https://w3id.org/govkg/def/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX org: <http://www.w3.org/ns/org#>

# Who holds each statutory role, per council
SELECT ?councilLabel ?roleLabel ?postLabel WHERE {
  ?post org:role ?role ; org:postIn ?council ; skos:prefLabel ?postLabel .
  ?role a govkg:StatutoryRole ; skos:prefLabel ?roleLabel .
  ?council skos:prefLabel ?councilLabel .
}
ORDER BY ?councilLabel ?roleLabel
LIMIT 100
"""


@router.get("/", response_class=HTMLResponse, summary="Home: councils and frameworks")
def home(request: Request, services: ServicesDep) -> HTMLResponse:
    """The councils with documents and the framework editions, for people."""
    context = services.cached(("home",), lambda: pages.home(services.runner))
    return services.templates.TemplateResponse(
        request, "home.html", {"title": "Councils and frameworks", **context})


@router.get("/query", response_class=HTMLResponse, summary="The SPARQL query editor")
def query_page(request: Request, services: ServicesDep) -> HTMLResponse:
    """YASGUI, bundled with the service (works offline), posting to ``/sparql``."""
    return services.templates.TemplateResponse(
        request, "query.html", {"title": "SPARQL query", "endpoint": "/sparql",
                                "default_query": DEFAULT_QUERY,
                                "timeout": f"{services.settings.query_timeout:g}"})
