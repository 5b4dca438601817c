"""``govkg import`` on real development-corpus documents: per-document atomic imports,
coverage printed, a code with nothing linked refused, and the review file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from rdflib import Dataset

from tests.graph.importers.conftest import govkg

OPTIONS = ["--council", "Wealden District Council", "--kind", "local-code",
           "--framework", "2016"]


def test_each_document_goes_in_on_its_own_and_a_failure_is_named(
        tmp_path: Path, dev: Path) -> None:
    code = dev / "04_wealden_local-code.txt"
    front_matter = dev / "01_blackpool_local-code.txt"  # stops before any principle
    out = tmp_path / "out.trig"
    result = govkg("import", str(code), str(front_matter), *OPTIONS, "-o", str(out))
    assert result.returncode == 1
    assert str(front_matter) in result.stderr and "no commitment links" in result.stderr
    assert "items linked per principle: A: 1; B: 1; C: 1; D: 1; E: 1; F: 1; G: 1" \
        in result.stdout
    dataset = Dataset()
    dataset.parse(out, format="trig")
    assert len([g for g in dataset.graphs() if len(g)]) == 1


def test_all_or_nothing_writes_nothing_when_one_fails(tmp_path: Path, dev: Path) -> None:
    out = tmp_path / "out.trig"
    out.write_text("# previous content\n")
    result = govkg("import", str(dev / "04_wealden_local-code.txt"),
                   str(dev / "01_blackpool_local-code.txt"), *OPTIONS, "--all-or-nothing",
                   "-o", str(out))
    assert result.returncode == 1
    assert "01_blackpool_local-code.txt" in result.stderr
    assert out.read_text() == "# previous content\n"


@pytest.mark.parametrize("suffix", [".csv", ".html"])
def test_the_review_lists_each_statement_with_its_links(
        suffix: str, tmp_path: Path, dev: Path) -> None:
    review = tmp_path / f"review{suffix}"
    result = govkg("import", str(dev / "02_lancashire_local-code.txt"), "--council",
                   "Lancashire County Council", "--kind", "local-code", "--framework", "2007",
                   "-o", str(tmp_path / "out.trig"), "--review", str(review))
    assert result.returncode == 0, result.stderr
    text = review.read_text(encoding="utf-8")
    if suffix == ".csv":
        rows = list(csv.DictReader(text.splitlines()))
        lines = (dev / "02_lancashire_local-code.txt").read_text(encoding="utf-8").split("\n")
        assert rows
        for row in rows:
            assert row["quote"] in lines[int(row["line"]) - 1]
            assert row["classification"]
        linked = {row["section"] for row in rows if "by-" in row["links"]}
        assert {"1", "2"} <= linked
    else:
        assert text.startswith("<!doctype html>") and "<table>" in text
        assert text.count("<tr") >= 6


def test_a_review_file_of_another_type_is_refused(tmp_path: Path, dev: Path) -> None:
    result = govkg("import", str(dev / "04_wealden_local-code.txt"), *OPTIONS,
                   "-o", str(tmp_path / "out.trig"), "--review", str(tmp_path / "r.pdf"))
    assert result.returncode == 2
    assert ".html or .csv" in result.stderr
