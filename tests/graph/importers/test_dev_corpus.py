"""The import aims of issue G2, measured on the development corpus against what people
found reading each document (tests/data/expected/dev): every local code that holds
something of its kind imports, and none that does not; item links reach recall 90% and
precision 95%; no statutory designation is invented. The figures come from the same
functions as ``python -m bench.importing`` (bench/README.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.importing import EXPECTED, Result, run_all, totals


@pytest.fixture(scope="module")
def results(corpus_dir: Path) -> list[Result]:
    return run_all(corpus_dir, dev_only=True)


def test_every_dev_document_has_its_expectations(results: list[Result]) -> None:
    missing = [r.file for r in results
               if not (EXPECTED / "dev" / f"{Path(r.file).stem}.toml").is_file()]
    local_codes = [r for r in results if "local-code" in r.file]
    assert local_codes and not [f for f in missing if "local-code" in f]


def test_local_codes_import_exactly_when_they_hold_something_of_their_kind(
        results: list[Result]) -> None:
    codes = [r for r in results if r.expectation and r.expectation.kind == "local-code"]
    wrong = [(r.file, r.imported, r.reason) for r in codes
             if r.imported != r.expectation.importable]  # type: ignore[union-attr]
    assert not wrong


def test_item_links_reach_the_recall_and_precision_aims(results: list[Result]) -> None:
    measured = totals(results)
    assert measured.expected > 0
    assert measured.recall >= 0.90, measured
    assert measured.precision >= 0.95, measured


def test_no_statutory_designation_is_invented(results: list[Result]) -> None:
    invented = [(r.file, sorted(r.designations)) for r in results if r.designations_invented]
    assert not invented


def test_every_statutory_designation_read_is_found(results: list[Result]) -> None:
    measured = totals(results)
    assert measured.designations_expected > 0
    assert measured.designations_found == measured.designations_expected, measured
