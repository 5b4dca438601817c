"""Each picture is produced, is a valid image of sensible size, and names its council."""

from __future__ import annotations

import io
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from matplotlib.figure import Figure
from PIL import Image

from govkg.graph.analytics import AnalyticsReport, plots

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG = "{http://www.w3.org/2000/svg}"


def svg_text(data: bytes) -> str:
    """All the text of an SVG, which must parse as XML."""
    root = ET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    return " ".join("".join(e.itertext()) for e in root.iter(f"{SVG}text"))


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    return width, height


def figures(report: AnalyticsReport) -> list[tuple[str, Figure, list[str]]]:
    """(id, figure, names the picture must show)."""
    found = []
    for council in report.councils:
        figure = plots.accountability_figure(report.networks[council.council],
                                             [i.iri for i in council.unowned_items])
        found.append((f"accountability-{council.slug}", figure, [council.label]))
    names = [c.label for c in report.coverage.councils]
    found.append(("coverage", plots.coverage_figure(report.coverage), names))
    found.append(("ownership", plots.coverage_figure(report.ownership_coverage), names))
    found.append(("crosswalk", plots.crosswalk_figure(report.crosswalk_graph),
                  ["2007 edition", "2016 edition"]))
    return found


@pytest.fixture(scope="module")
def rendered(fixture_report: AnalyticsReport) -> dict[str, tuple[bytes, bytes, list[str]]]:
    return {name: (plots.render(figure, "svg"), plots.render(figure, "png"), names)
            for name, figure, names in figures(fixture_report)}


NAMES = ["accountability-ambridge-borough-council", "accountability-borchester-city-council",
         "accountability-cheswick-district-council", "coverage", "ownership", "crosswalk"]


@pytest.mark.parametrize("name", NAMES)
def test_svg_parses_and_names_what_it_shows(rendered: dict[str, tuple[bytes, bytes,
                                                                        list[str]]],
                                            name: str) -> None:
    svg, _, names = rendered[name]
    text = svg_text(svg)
    for shown in names:
        assert shown in text


@pytest.mark.parametrize("name", NAMES)
def test_png_is_an_image_of_sensible_size(rendered: dict[str, tuple[bytes, bytes,
                                                                      list[str]]],
                                          name: str) -> None:
    _, png, names = rendered[name]
    width, height = png_size(png)
    assert 400 <= width <= 4000 and 200 <= height <= 8000
    with Image.open(io.BytesIO(png)) as image:
        image.verify()
    if name.startswith("accountability-"):
        with Image.open(io.BytesIO(png)) as image:
            assert names[0] in image.info["Title"]


def test_council_name_is_the_title(fixture_report: AnalyticsReport) -> None:
    council = fixture_report.councils[0]
    figure = plots.accountability_figure(fixture_report.networks[council.council])
    assert plots.title_of(figure).startswith(council.label)


def test_save_writes_svg_and_png(fixture_report: AnalyticsReport, tmp_path: Path) -> None:
    written = plots.save(plots.coverage_figure(fixture_report.coverage), tmp_path / "c")
    assert [p.name for p in written] == ["c.svg", "c.png"]
    assert all(p.stat().st_size > 1000 for p in written)


def test_unknown_format_is_refused(fixture_report: AnalyticsReport) -> None:
    from govkg.graph.errors import InputError

    with pytest.raises(InputError):
        plots.render(plots.coverage_figure(fixture_report.coverage), "gif")
