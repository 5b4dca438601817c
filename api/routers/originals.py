"""``/originals/{sha256}.{ext}``: the councils' original files, as imported.

The address is the file's SHA-256 (the graph's ``govkg:sha256`` of the document) and the
extension of its format, so it never changes and never points at other bytes; the file
is served with its format's content type, and a page's quote links to it (a PDF at the
quote's page). A council's web page is served as the council published it, but in a
sandbox (``Content-Security-Policy: sandbox``): its scripts never run as this site.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import FileResponse

from govkg.api.deps import ServicesDep
from govkg.api.errors import NotFound
from govkg.graph.store.originals import CONTENT_TYPES, Originals

router = APIRouter(tags=["documents"])

#: an original is the same bytes forever: let browsers and proxies keep it
CACHE = "public, max-age=31536000, immutable"


@router.get("/originals/{name}", response_class=FileResponse,
            summary="A council's original document (PDF, Word, web page or text)",
            responses={200: {"content": {media: {} for media in CONTENT_TYPES.values()}}})
def original(name: str, services: ServicesDep) -> FileResponse:
    """The original file called ``<sha256>.<ext>``; 404 for any other name."""
    path = Originals.beside(services.store).path(name)
    if path is None:
        raise NotFound(f"no original document {name!r}")
    headers = {"Cache-Control": CACHE, "X-Content-Type-Options": "nosniff"}
    if name.endswith(".html"):
        headers["Content-Security-Policy"] = "sandbox"
    return FileResponse(path, media_type=CONTENT_TYPES[name.rsplit(".", 1)[1]],
                        headers=headers, content_disposition_type="inline",
                        filename=name)
