"""``/compare``: councils x framework items for one edition (narrowed by council type
and principle), each cell linking to the quotes behind it; the same table as CSV and as
an Excel workbook."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from govkg.api import pages
from govkg.api.deps import Services, ServicesDep
from govkg.api.exports import download

router = APIRouter(tags=["pages"])

EditionParam = Annotated[str, Query(description="The framework edition: 2007 or 2016.")]
TypeParam = Annotated[str | None, Query(alias="type", description="A council type slug, "
                                        "e.g. county, district, unitary.")]
PrincipleParam = Annotated[str | None, Query(description="A core principle's notation "
                                             "(A or 4) or IRI: its items become the columns.")]


def table(services: Services, edition: str, council_type: str | None,
          principle: str | None) -> dict[str, Any]:
    return services.cached(
        ("compare", edition, council_type, principle),
        lambda: pages.compare(services.runner, edition, council_type or None, principle or None))


@router.get("/compare", summary="Compare councils against a framework edition (HTML)")
def compare_page(request: Request, services: ServicesDep, edition: EditionParam = "2016",
                 council_type: TypeParam = None, principle: PrincipleParam = None) -> Response:
    """Councils x framework items: how many commitments address each item."""
    context = table(services, edition, council_type, principle)
    chosen = {"edition": edition, "type": council_type or "", "principle": principle or ""}
    query = urlencode({k: v for k, v in chosen.items() if v})
    return services.templates.TemplateResponse(request, "compare.html", {
        "title": "Compare councils", **context, "chosen": chosen,
        "csv": f"/compare.csv?{query}", "xlsx": f"/compare.xlsx?{query}"})


@router.get("/compare.{kind}", summary="The comparison as CSV or an Excel workbook",
            response_class=Response,
            responses={200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-"
                                         "officedocument.spreadsheetml.sheet": {}}}})
def compare_download(kind: Literal["csv", "xlsx"], services: ServicesDep,
                     edition: EditionParam = "2016", council_type: TypeParam = None,
                     principle: PrincipleParam = None) -> Response:
    context = table(services, edition, council_type, principle)
    headers = ["Council", "Council type",
               *(f"{c['notation']} {c['label']}" for c in context["columns"])]
    rows = [[str(r["council"]["councilLabel"]), str(r["council"].get("councilTypeLabel", "")),
             *r["cells"]] for r in context["rows"]]
    notes = [f"Framework: {context['edition']['label']}",
             "Each number is how many of the council's commitments (in its local code) "
             "address the item or an item below it; 0 means none does.",
             "Source: govkg, the corporate governance of UK councils as linked data."]
    name = f"govkg-compare-{edition}" + (f"-{principle}" if principle else "")
    return download(kind, name, "Comparison", headers, rows, notes)
