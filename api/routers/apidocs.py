"""``/api-docs``: Swagger UI served from this service, never a CDN, so the interactive
API documentation works offline and behind strict networks. The files come from the
``swagger-ui-bundle`` package (Swagger UI's published build, packaged for Python)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from swagger_ui_bundle import swagger_ui_path

from govkg.api.errors import NotFound

router = APIRouter(include_in_schema=False)

#: the files the page loads (nothing else of the bundle is served)
FILES = {"swagger-ui-bundle.js": "text/javascript", "swagger-ui.css": "text/css",
         "favicon-32x32.png": "image/png"}


@router.get("/api-docs", response_class=HTMLResponse)
def api_docs(request: Request) -> HTMLResponse:
    return get_swagger_ui_html(
        openapi_url=request.app.openapi_url, title=f"{request.app.title} · Web API",
        swagger_js_url="/api-docs/files/swagger-ui-bundle.js",
        swagger_css_url="/api-docs/files/swagger-ui.css",
        swagger_favicon_url="/api-docs/files/favicon-32x32.png")


@router.get("/api-docs/files/{name}")
def api_docs_file(name: str) -> FileResponse:
    if name not in FILES:
        raise NotFound(f"no Swagger UI file {name!r}")
    return FileResponse(Path(swagger_ui_path) / name, media_type=FILES[name],
                        headers={"Cache-Control": "public, max-age=86400"})
