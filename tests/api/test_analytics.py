"""Analytics over HTTP: the same report as `govkg analyze`, as JSON and as pictures."""

from __future__ import annotations

from xml.etree import ElementTree

import httpx

from tests.api.conftest import COUNCIL

SLUG = COUNCIL.rsplit("/", 1)[-1]


def test_analytics_json_names_the_fixture_council(client: httpx.Client) -> None:
    response = client.get("/analytics")
    assert response.status_code == 200
    councils = {c["slug"] for c in response.json()["councils"]}
    assert SLUG in councils


def test_one_council_and_an_unknown_one(client: httpx.Client) -> None:
    one = client.get(f"/analytics/councils/{SLUG}")
    assert one.status_code == 200
    assert one.json()["slug"] == SLUG
    assert client.get("/analytics/councils/nowhere-council").status_code == 404


def test_network_picture_is_a_valid_image_naming_the_council(client: httpx.Client) -> None:
    svg = client.get(f"/analytics/councils/{SLUG}/network.svg")
    assert svg.status_code == 200 and svg.headers["content-type"] == "image/svg+xml"
    ElementTree.fromstring(svg.content)  # parses as XML
    label = client.get(f"/analytics/councils/{SLUG}").json()["label"]
    assert label in svg.text
    png = client.get(f"/analytics/councils/{SLUG}/network.png")
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n") and len(png.content) > 2000


def test_coverage_and_crosswalk_pictures(client: httpx.Client) -> None:
    for path in ("/analytics/coverage.png", "/analytics/crosswalk.svg"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(response.content) > 2000
    assert client.get("/analytics/coverage.gif").status_code == 422
