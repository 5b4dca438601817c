"""Detection that reports its guesses (issue 15, "Behaviour"), on the real development
corpus: an undecided document is refused once, listing each guess with its confidence and
reason and naming every option to give; a decided one is never taken for another kind;
a statement given with ``--kind`` says which reader read it, and one from which nothing
was read is a warning that says what was looked for."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from rdflib import Graph

from govkg.graph.errors import DetectionError
from govkg.graph.importers.base import SourceDocument, load_layout
from govkg.graph.importers.detect import MIN_CONFIDENCE, detect_kind
from govkg.graph.importers.pipeline import NothingLinkedError, import_document
from tests.graph.importers.conftest import EXPECTED_DIR, expected, govkg

DEV_EXPECTED = sorted((EXPECTED_DIR / "dev").glob("*.toml"))
DEV_CODES = expected("dev-detection")["codes"]
#: the kind a development-corpus document of each manifest kind is read as
KIND_READ_AS = {"local-code": "local-code", "annual-governance-statement":
                "annual-governance-statement", "self-assessment": "self-assessment",
                "external-review": "governance-review"}
#: North Hertfordshire's self-assessment names a statement and a self-assessment once each in
#: its body, neither as itself, and its council only by an abbreviation (read from the text)
UNDECIDED = "19_north-hertfordshire_self-assessment.txt"
#: North Lanarkshire's statement opens by saying what "the Annual Governance Statement" is
#: (line 8), and names no council
NAMES_NO_COUNCIL = "15_north-lanarkshire_annual-governance-statement.txt"


@pytest.mark.parametrize("path", DEV_EXPECTED, ids=lambda p: p.stem[:2])
def test_no_document_is_detected_as_another_kind(path: Path, dev: Path) -> None:
    """Detection either decides a document's own kind or asks for it: it never decides
    another (every kind's guess is weighed, not only the cover title)."""
    want = tomllib.loads(path.read_text(encoding="utf-8"))
    doc = SourceDocument.read(dev / want["file"])
    try:
        found, _ = detect_kind(doc)
    except DetectionError:
        assert want["file"] not in DEV_CODES, "a code that calls itself one was not detected"
        return
    if want["file"] in DEV_CODES:
        assert found.value == "local-code"
    elif want["kind"] in KIND_READ_AS:
        assert found.value == KIND_READ_AS[want["kind"]], found
    else:  # a page about a code or a statement: never a local code unless listed
        assert found.value != "local-code", found


def _guess(err: str, kind: str) -> tuple[float, str]:
    """The confidence and reason an error gives for its guess of ``kind``."""
    found = re.search(rf"{kind} \([\w-]+, confidence ([\d.]+): ([^;]*)", err)
    assert found is not None, err
    return float(found.group(1)), found.group(2)


def test_an_undecided_document_is_refused_listing_each_guess_and_the_options(
        tmp_path: Path, dev: Path) -> None:
    out = tmp_path / "out.trig"
    store = tmp_path / "store"
    result = govkg("import", str(dev / UNDECIDED), "--store", str(store), "-o", str(out))
    assert result.returncode == 2
    err = " ".join(result.stderr.split())
    assert str(dev / UNDECIDED) in err
    # one error: every option it needs, each guess with its confidence and reason
    assert re.search(r"pass --kind \S*self-assessment\S* --council NAME", err), err
    assert "kind: not decided" in err
    for kind in ("self-assessment", "annual-governance-statement"):
        confidence, reason = _guess(err, kind)
        assert confidence < MIN_CONFIDENCE and "in the body" in reason
    assert "council: not sure enough of North Hertfordshire District Council" in err
    assert "framework: CIPFA/SOLACE 2016" in err
    assert not out.exists() and not store.exists()


def test_the_error_names_the_options_for_callers(dev: Path, vocabulary: Graph) -> None:
    with pytest.raises(DetectionError) as raised:
        import_document(dev / UNDECIDED, vocabulary=vocabulary)
    assert raised.value.options == ("--kind", "--council")


def test_a_statement_that_says_what_it_is_asks_only_for_its_council(
        tmp_path: Path, dev: Path) -> None:
    result = govkg("import", str(dev / NAMES_NO_COUNCIL), "-o", str(tmp_path / "out.trig"))
    assert result.returncode == 2
    err = " ".join(result.stderr.split())
    assert "pass --council NAME" in err and "--kind" not in err
    decided = re.search(r"kind: annual-governance-statement \(confidence ([\d.]+): (.*?) "
                        r"council:", err)
    assert decided is not None, err
    assert float(decided.group(1)) >= MIN_CONFIDENCE and "names itself" in decided.group(2)
    assert "council: not found" in err
    assert "framework: none detected" in err and "read without one" in err


def test_a_decided_kind_asks_only_for_what_is_missing(dev: Path, vocabulary: Graph) -> None:
    """A code that calls itself one but names no council (Lichfield's page) is asked for
    --council alone, with the kind it was decided as."""
    with pytest.raises(DetectionError) as raised:
        import_document(dev / "05_lichfield_local-code.txt", vocabulary=vocabulary)
    assert raised.value.options == ("--council",)
    assert "kind: local-code" in raised.value.message


@pytest.mark.parametrize("name", ["01_blackpool_local-code.txt",
                                  "11_carmarthenshire_local-code.txt"])
def test_a_code_whose_capture_stops_before_its_principles_is_read_as_one(
        name: str, dev: Path, vocabulary: Graph) -> None:
    """Title and a sentence call it a code: detected as one, so the import says that it
    holds nothing (exit 1), rather than asking for --kind."""
    council = tomllib.loads((EXPECTED_DIR / "dev" / name.replace(".txt", ".toml"))
                            .read_text(encoding="utf-8"))["council"]
    with pytest.raises(NothingLinkedError, match="read as a local code"):
        import_document(dev / name, council=council, vocabulary=vocabulary)


def test_a_statement_that_calls_itself_one_is_detected_without_its_title(
        tmp_path: Path, dev: Path) -> None:
    """Wealden's statement with its title lines taken away still says "this Statement"."""
    source = dev / "13_wealden_annual-governance-statement.txt"
    text = "\n".join(line for line in source.read_text(encoding="utf-8").splitlines()
                     if line.strip().lower() != "annual governance statement")
    untitled = tmp_path / "untitled.txt"
    untitled.write_text(text, encoding="utf-8")
    statement = load_layout("governance-statement")
    fit, reason = statement.assess(SourceDocument.read(untitled))
    assert fit >= MIN_CONFIDENCE and "names itself" in reason
    assert statement.assess(SourceDocument.read(source))[0] >= fit


def test_a_statement_given_its_kind_says_which_reader_read_it_and_warns_when_empty(
        tmp_path: Path, dev: Path) -> None:
    out = tmp_path / "out.trig"
    result = govkg("import", str(dev / NAMES_NO_COUNCIL), "--kind",
                   "annual-governance-statement", "--council", "North Lanarkshire Council",
                   "-o", str(out))
    assert result.returncode == 0, result.stderr
    stdout = " ".join(result.stdout.split())
    assert "read by the governance-statement layout" in stdout
    assert "generic pipeline" not in stdout
    err = " ".join(result.stderr.split())
    assert "warning:" in err and "nothing was read as an annual-governance-statement" in err
    for looked_for in ("the year it covers", "the scope of responsibility",
                       "the review of effectiveness", "the internal audit opinion",
                       "significant governance issues", "signatories"):
        assert looked_for in err
    assert out.exists()


def test_a_kind_given_that_the_text_does_not_name_is_read_by_that_kind(
        tmp_path: Path, dev: Path) -> None:
    """Southwark's self-assessment never names its kind: given it, its own reader reads
    it, and the summary says the text alone would not have said so."""
    result = govkg("import", str(dev / "18_southwark_self-assessment.txt"), "--kind",
                   "self-assessment", "-o", str(tmp_path / "out.trig"))
    assert result.returncode == 0, result.stderr
    stdout = " ".join(result.stdout.split())
    assert "read by the rated-assessment layout" in stdout
    assert "though the text alone would not say so" in stdout


def test_a_statement_from_which_something_is_read_has_no_warning(
        dev: Path, vocabulary: Graph) -> None:
    _, report = import_document(dev / "13_wealden_annual-governance-statement.txt",
                                vocabulary=vocabulary)
    assert report.kind.value == "annual-governance-statement"
    assert report.warnings == []
