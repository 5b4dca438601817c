"""``govkg analyze`` end to end on the fixture store."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from govkg.graph.cli import app
from tests.analytics.conftest import FIXTURE, build_store

runner = CliRunner()


@pytest.fixture(scope="module")
def location(tmp_path_factory: pytest.TempPathFactory) -> str:
    """A store of its own, closed again: the CLI opens it like any user would, and an
    embedded store opens in one process (and one handle) at a time."""
    folder = tmp_path_factory.mktemp("analytics-cli")
    build_store(folder, [FIXTURE]).close()
    return str(folder)


def test_json(location: str) -> None:
    result = runner.invoke(app, ["analyze", "--store", location, "--format", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [c["slug"] for c in report["councils"]] == [
        "ambridge-borough-council", "borchester-city-council", "cheswick-district-council"]
    assert set(report) >= {"ownership", "similarity", "nearest", "coverage", "crosswalk"}
    # orjson writes what the standard library's indenting encoder writes, byte for byte
    assert result.stdout == json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def test_text_for_one_council(location: str) -> None:
    result = runner.invoke(app, ["analyze", "--store", location, "--council",
                                 "ambridge-borough-council"])
    assert result.exit_code == 0, result.output
    assert "Ambridge Borough Council" in result.stdout
    assert "Borchester City Council" in result.stdout  # as the nearest council
    assert "Items nobody owns (1): 1.3.2" in result.stdout


def test_unknown_council_exits_2(location: str) -> None:
    result = runner.invoke(app, ["analyze", "--store", location, "--council", "nowhere"])
    assert result.exit_code == 2


def test_unknown_format_exits_2(location: str) -> None:
    result = runner.invoke(app, ["analyze", "--store", location, "--format", "xml"])
    assert result.exit_code == 2


def test_plots_and_graphml(location: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["analyze", "--store", location, "--council",
                                 "borchester-city-council", "--plots", str(tmp_path / "p"),
                                 "--graphml", str(tmp_path / "net.graphml")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "p").iterdir())
    assert names == sorted(f"{stem}.{ext}" for ext in ("svg", "png") for stem in (
        "accountability-borchester-city-council", "coverage", "ownership", "crosswalk"))
    graph = nx.read_graphml(tmp_path / "net.graphml")
    body = "https://w3id.org/govkg/id/council/borchester-city-council/body/governance-committee"
    assert graph.nodes[body]["kind"] == "body"
    assert graph.nodes[body]["councils"] == "Borchester City Council"
    assert {graph.edges[e]["kinds"] for e in graph.out_edges(body)} == {"responsible-for",
                                                                        "monitors"}
