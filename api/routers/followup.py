"""``/councils/{slug}/follow-up``: what a council has to follow up (improvement actions,
significant governance issues, reviewers' recommendations, further work) across years,
overdue first; also as CSV and as an Excel workbook."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, Request, Response

from govkg.api import pages
from govkg.api.deps import Services, ServicesDep
from govkg.api.errors import NotFound
from govkg.api.exports import download, plain
from govkg.graph.errors import QueryError
from govkg.graph.namespaces import COUNCIL
from govkg.graph.store.terms import n3

router = APIRouter(tags=["pages"])


def key(slug: str, today: date) -> tuple[str, str, date]:
    """The app's cache key of a council's follow-up list (the static site fills it)."""
    return ("follow-up", slug, today)


def gather(services: Services, slug: str) -> dict[str, Any]:
    """The council's label and follow-up rows, once per store generation and day (the
    page and its two downloads share them)."""
    iri = COUNCIL[slug]
    try:
        n3(iri)  # an IRI the store can hold, or there is no such council
    except QueryError:
        raise NotFound(f"no council {slug!r}") from None
    today = date.today()

    def make() -> dict[str, Any]:
        label = pages.resource(services.runner, iri)["label"]
        if label is None:
            raise NotFound(f"no council {slug!r}")
        return {"iri": iri, "label": label, "rows": pages.follow_up(services.runner, iri, today),
                "today": today}

    found: dict[str, Any] = services.cached(key(slug, today), make)
    return found


@router.get("/councils/{slug}/follow-up", summary="A council's follow-up list (HTML)")
def follow_up_page(slug: str, request: Request, services: ServicesDep) -> Response:
    context = gather(services, slug)
    return services.templates.TemplateResponse(request, "follow_up.html", {
        "title": f"Follow-up: {context['label']}", "slug": slug, **context,
        "overdue": sum(1 for r in context["rows"] if r["overdue"])})


@router.get("/councils/{slug}/follow-up.{kind}", response_class=Response,
            summary="A council's follow-up list as CSV or an Excel workbook",
            responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-"
                                         "officedocument.spreadsheetml.sheet": {}}}})
def follow_up_download(slug: str, kind: Literal["csv", "xlsx"],
                       services: ServicesDep) -> Response:
    context = gather(services, slug)
    headers = ["Overdue", "Kind", "What", "Owner", "Target", "Status", "Priority",
               "Carried over", "Framework items", "Document", "Year", "IRI"]
    rows = [["yes" if r["overdue"] else "", r["kindLabel"], plain(r["label"]),
             "; ".join(str(v or k) for k, v in r["owners"].items()), plain(r["target"]),
             plain(r["status"]), plain(r["priority"]), r["carried"] or "",
             ", ".join(r["items"]),
             plain(r["documentTitle"]), plain(r["year"]), services.links.publish(str(r["action"]))]
            for r in context["rows"]]
    notes = [f"{context['label']}: follow-up list as of {context['today'].isoformat()}",
             "Overdue: the target period has ended and the reported status does not say "
             "the work is done.", "Source: govkg (each row's IRI links to its quote)."]
    return download(kind, f"govkg-follow-up-{slug}", "Follow-up", headers, rows, notes)
