"""Accountability analytics as JSON and pictures: the same report as ``govkg analyze``.

``/analytics`` (every council), ``/analytics/councils/{slug}`` (one council's sections),
and the pictures ``/analytics/councils/{slug}/network.{svg|png}``,
``/analytics/coverage.{svg|png}`` and ``/analytics/crosswalk.{svg|png}``. The report is
computed once per store generation (a fixed number of queries, whatever the number of
councils) and kept until the store changes.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from govkg.api.deps import Services, ServicesDep
from govkg.api.errors import NotFound, error_responses
from govkg.graph.analytics import plots
from govkg.graph.analytics.report import AnalyticsReport, analyse

router = APIRouter(prefix="/analytics", tags=["analytics"])
ImageFormat = Literal["svg", "png"]
MEDIA = {"svg": "image/svg+xml", "png": "image/png"}
#: what the picture routes answer, so OpenAPI clients do not read a PNG as JSON
IMAGES: dict[int | str, dict[str, Any]] = {200: {"content": {m: {} for m in MEDIA.values()}},
                                           **error_responses(404, 422)}


def _report(services: Services) -> AnalyticsReport:
    report: AnalyticsReport = services.cached(("analytics",), lambda: analyse(services.store))
    return report


def _image(figure: Any, fmt: ImageFormat) -> Response:
    return Response(plots.render(figure, fmt), media_type=MEDIA[fmt])


@router.get("", summary="Accountability analytics across every council (JSON)")
def all_councils(services: ServicesDep) -> JSONResponse:
    """Per council: who carries what, concentration, unowned items, single points of
    failure; across councils: ownership by kind of agent, similarity, coverage; the
    crosswalk as a graph."""
    return JSONResponse(_report(services).to_dict())


@router.get("/councils/{slug}", summary="One council's accountability analytics (JSON)",
            responses=error_responses(404, 422))
def one_council(slug: str, services: ServicesDep) -> JSONResponse:
    report = _report(services)
    chosen = [c for c in report.councils if c.slug == slug]
    if not chosen:
        raise NotFound(f"no analytics for a council {slug!r}")
    return JSONResponse({**chosen[0].to_dict(), "nearest": [
        vars(n) for n in report.nearest.get(chosen[0].council, [])]})


@router.get("/councils/{slug}/network.{fmt}", summary="A council's accountability network",
            response_class=Response, responses=IMAGES)
def council_network(slug: str, fmt: ImageFormat, services: ServicesDep) -> Response:
    report = _report(services)
    chosen = [c for c in report.councils if c.slug == slug]
    if not chosen:
        raise NotFound(f"no analytics for a council {slug!r}")
    council = chosen[0]
    return _image(plots.accountability_figure(report.networks[council.council],
                                              [i.iri for i in council.unowned_items]), fmt)


@router.get("/coverage.{fmt}", summary="Councils x principles coverage heatmap",
            response_class=Response, responses=IMAGES)
def coverage(fmt: ImageFormat, services: ServicesDep) -> Response:
    return _image(plots.coverage_figure(_report(services).coverage), fmt)


@router.get("/crosswalk.{fmt}", summary="The crosswalk between the two editions",
            response_class=Response, responses=IMAGES)
def crosswalk(fmt: ImageFormat, services: ServicesDep) -> Response:
    return _image(plots.crosswalk_figure(_report(services).crosswalk_graph), fmt)
