"""Detection of council, kind and edition, and refusal of bad input, on the real corpus."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest
from rdflib import Graph

from govkg.graph.importers.base import LAYOUTS, SourceDocument, load_layout
from govkg.graph.importers.detect import MIN_CONFIDENCE
from govkg.graph.importers.pipeline import ImportReport
from tests.graph.importers.conftest import EXPECTED_DIR, expected

DETECTION = expected("detection")


@pytest.mark.parametrize("stem", sorted(DETECTION), ids=lambda s: s[:3])
def test_detects_council_kind_and_edition(
        stem: str, imported: Callable[[str], tuple[Graph, ImportReport]]) -> None:
    want = DETECTION[stem]
    _, report = imported(f"{stem}.txt")
    assert str(report.council.iri) == want["council"]
    assert report.council.confidence >= 0.5
    assert report.kind.value == want["kind"]
    assert report.layout == want["layout"]
    if "framework" in want:
        assert report.framework is not None
        assert str(report.framework.iri) == want["framework"]
    else:
        assert report.framework is None


@pytest.mark.parametrize("stem", sorted(DETECTION), ids=lambda s: s[:3])
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_each_layout_fits_its_own_document_only(stem: str, layout: str,
                                                corpus_dir: Path) -> None:
    """A layout written for one document fits that document only; the one pipeline
    (``generic``) fits every local code, but a layout of a document's own fits it better."""
    doc = SourceDocument.read(corpus_dir / f"{stem}.txt")
    fit = load_layout(layout).fits(doc)
    want = DETECTION[stem]
    if want["layout"] == layout:
        assert fit >= 0.8
    elif layout == "generic" and want["kind"] == "local-code":
        assert fit < load_layout(want["layout"]).fits(doc)
    else:
        assert fit < 0.5


DEV_CODES = expected("dev-detection")["codes"]


@pytest.mark.parametrize("path", sorted((EXPECTED_DIR / "dev").glob("*.toml")),
                         ids=lambda p: p.stem[:2])
def test_the_pipeline_detects_a_code_by_its_title_and_principles(path: Path,
                                                                 corpus_dir: Path) -> None:
    """A document whose title calls it a code and that takes up its principles one by one
    is detected as a local code; no document of another kind is."""
    want = tomllib.loads(path.read_text(encoding="utf-8"))
    fit = load_layout("generic").fits(SourceDocument.read(corpus_dir / "dev" / want["file"]))
    if want["file"] in DEV_CODES:
        assert fit >= MIN_CONFIDENCE
    elif want["kind"] != "local-code" and not (want["kind"] == "other" and want["importable"]):
        assert fit < MIN_CONFIDENCE


def govkg(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                          text=True, check=False, cwd=cwd)


def _bad_inputs(tmp: Path, corpus: Path) -> dict[str, tuple[Path, str]]:
    empty = tmp / "empty.txt"
    empty.write_text("")
    binary = tmp / "binary.txt"
    binary.write_bytes(b"%PDF-1.7\x00\x01\x02" * 100)
    latin = tmp / "latin1.txt"
    latin.write_bytes(("Code of Corporate Governance\n" * 20).encode()
                      + "caf\xe9\n".encode("latin-1"))
    return {
        "missing": (tmp / "nope.txt", "no such file"),
        "empty": (empty, "empty"),
        "binary": (binary, "binary"),
        "not-utf8": (latin, "not UTF-8"),
    }


@pytest.mark.parametrize("case", ["missing", "empty", "binary", "not-utf8"])
def test_bad_input_is_refused_naming_file_and_problem_and_nothing_is_written(
        case: str, tmp_path: Path, corpus_dir: Path) -> None:
    path, problem = _bad_inputs(tmp_path, corpus_dir)[case]
    good = corpus_dir / "002_4f0066847b539ee0.txt"
    out = tmp_path / "out.trig"
    result = govkg("import", str(good), str(path), "-o", str(out))
    assert result.returncode == 2
    assert str(path) in result.stderr and problem in result.stderr
    assert not out.exists()


def test_a_document_of_another_kind_is_refused(tmp_path: Path, corpus_dir: Path) -> None:
    out = tmp_path / "out.trig"
    review = corpus_dir / "003_952b029969f02f1c.txt"
    result = govkg("import", str(review), "--kind", "local-code", "-o", str(out))
    assert result.returncode == 2
    assert "governance-review" in result.stderr and str(review) in result.stderr
    assert not out.exists()


def test_a_failed_import_leaves_an_existing_output_untouched(tmp_path: Path,
                                                             corpus_dir: Path) -> None:
    out = tmp_path / "out.trig"
    out.write_text("# previous content\n")
    result = govkg("import", str(corpus_dir / "002_4f0066847b539ee0.txt"),
                   str(tmp_path / "missing.txt"), "-o", str(out))
    assert result.returncode == 2
    assert out.read_text() == "# previous content\n"


def test_a_document_naming_no_known_council_is_refused(tmp_path: Path, corpus_dir: Path) -> None:
    text = (corpus_dir / "002_4f0066847b539ee0.txt").read_text(encoding="utf-8")
    anonymous = tmp_path / "anonymous.txt"
    anonymous.write_text(text.replace("Colchester", "Anytown").replace("colchester", "anytown"),
                         encoding="utf-8")
    result = govkg("import", str(anonymous), "-o", str(tmp_path / "out.trig"))
    assert result.returncode == 2
    # The document names Essex County Council once, in passing (a partner's post): detection
    # reports that guess with its low confidence and asks for the council instead.
    assert "not sure enough of Essex County Council" in result.stderr
    assert "--council" in result.stderr
    named = govkg("import", str(anonymous), "--council", "Anytown Borough Council",
                  "-o", str(tmp_path / "out.trig"))
    assert named.returncode == 0, named.stderr
    assert "anytown-borough-council" in (tmp_path / "out.trig").read_text()
