"""`govkg validate` on the corpus: the gaps found by reading the documents are reported,
and nothing the documents do cover is reported missing."""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from govkg.graph.build import bundled_corpus, plan, write
from govkg.graph.store import open_store
from govkg.graph.validation import CouncilReport, validate_councils

EXPECTED = tomllib.loads((Path(__file__).parents[1] / "data" / "expected" / "validation.toml")
                         .read_text(encoding="utf-8"))
#: The shapes whose findings a reader can establish from the documents alone.
READ_SHAPES = {"LocalCodeCoverageShape", "LocalCodeItemCoverageShape", "StatutoryOfficerShape",
               "StatutoryIncompatibilityShape", "GovernanceBodiesShape",
               "SelfAssessmentCoverageShape"}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("store")
    with open_store(folder, build_if_new=False) as store:
        write(store, plan([bundled_corpus()]))
    return folder


@pytest.fixture(scope="module")
def reports(store_dir: Path) -> dict[str, CouncilReport]:
    # closed before the tests run: the CLI tests open the same folder in another process
    with open_store(store_dir, build_if_new=False) as store:
        return {r.council.rsplit("/", 1)[-1]: r for r in validate_councils(store, workers=2)}


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_reported_gaps_are_the_ones_found_by_reading(
        slug: str, reports: dict[str, CouncilReport]) -> None:
    report = reports[slug]
    want = EXPECTED[slug]
    got = sorted([f.shape.rsplit("/", 1)[-1], f.value] for f in report.findings
                 if f.shape and f.shape.rsplit("/", 1)[-1] in READ_SHAPES)
    assert got == sorted(want["findings"])
    assert report.conforms == want["conforms"]
    if "completeness" in want:
        assert report.completeness == pytest.approx(want["completeness"], abs=0.001)


def test_every_corpus_council_is_validated(reports: dict[str, CouncilReport]) -> None:
    assert set(reports) == set(EXPECTED)


def test_findings_name_the_council_and_the_item(reports: dict[str, CouncilReport]) -> None:
    colchester = reports["colchester-borough-council"]
    messages = [f.message for f in colchester.findings]
    assert any("Colchester Borough Council" in m and "2.2.1" in m and "scheme of delegation"
               in m.lower() for m in messages)


def test_cli_json_summary_and_exit_status(store_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "govkg.graph", "validate", "--store",
                             str(store_dir), "--council", "kent-county-council", "-f", "json",
                             "-o", str(out)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr  # warnings only: Kent conforms
    (kent,) = json.loads(out.read_text())["councils"]
    by_principle = {p["principle"]: (p["items"], p["addressed"]) for p in kent["coverage"]}
    assert by_principle["4"] == (12, 10) and by_principle["1"] == (8, 8)


def test_a_draft_with_a_violation_exits_1_and_is_not_stored(store_dir: Path,
                                                             tmp_path: Path) -> None:
    draft = tmp_path / "draft.ttl"
    draft.write_text(
        "@prefix govkg: <https://w3id.org/govkg/def/> .\n"
        "@prefix fw: <https://w3id.org/govkg/id/framework/> .\n"
        "<https://w3id.org/govkg/id/document/draft> a govkg:LocalCode ;\n"
        "  govkg:council <https://w3id.org/govkg/id/council/stevenage-borough-council> ;\n"
        "  govkg:followsFramework fw:cipfa-solace-2016 .\n")
    result = subprocess.run([sys.executable, "-m", "govkg.graph", "validate", str(draft),
                             "-f", "text"], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "does not address core principle A" in result.stdout
    with open_store(store_dir, build_if_new=False) as store:
        assert not any("draft" in g.iri for g in store.graphs())


def test_a_trig_draft_is_validated_as_the_union_of_its_graphs(tmp_path: Path) -> None:
    draft = tmp_path / "draft.trig"
    draft.write_text(
        "@prefix govkg: <https://w3id.org/govkg/def/> .\n"
        "@prefix fw: <https://w3id.org/govkg/id/framework/> .\n"
        "<http://example.org/draft> {\n"
        "  <https://w3id.org/govkg/id/document/draft> a govkg:LocalCode ;\n"
        "    govkg:council <https://w3id.org/govkg/id/council/stevenage-borough-council> ;\n"
        "    govkg:followsFramework fw:cipfa-solace-2016 .\n}\n")
    result = subprocess.run([sys.executable, "-m", "govkg.graph", "validate", str(draft)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stderr
    assert "does not address core principle G" in result.stdout
