"""``/api-docs``: Swagger UI served from this service, never a CDN, so the interactive
API documentation works offline and behind strict networks. The files are Swagger UI's
published build in ``api/static/swagger`` (see ``api/static/README.md``): version 5,
since the API is described in OpenAPI 3.1, which Swagger UI 4 cannot show."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, Response

from govkg.api.render import with_site_header

router = APIRouter(include_in_schema=False)


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    page = get_swagger_ui_html(
        openapi_url=request.app.openapi_url, title=f"{request.app.title} · Web API",
        swagger_js_url="/static/swagger/swagger-ui-bundle.js",
        swagger_css_url="/static/swagger/swagger-ui.css",
        swagger_favicon_url="/static/swagger/favicon-32x32.png")
    # FastAPI's page names no language (WCAG 3.1.1); ours is British English
    body = bytes(page.body).replace(b"<html>", b'<html lang="en-GB">', 1)
    # the site's skip link, header and search box above Swagger UI, as on every page
    body = with_site_header(body, request.app.state.services.templates,
                            "<style>.swagger-ui button { box-shadow: none; }</style>")
    return HTMLResponse(body)


@router.get("/favicon.ico")
def favicon() -> Response:
    """Pages made elsewhere (the validation report, Swagger UI) name no icon, so
    browsers ask for this one: answer "nothing here" rather than a 404."""
    return Response(status_code=204)
