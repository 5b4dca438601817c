"""The expected facts of the development corpus are well-formed and point into the documents.

``tests/data/expected/dev/*.toml`` records, per document of ``../shared/corpus/dev/``, what a
person read in it (format: ``tests/data/expected/dev/README.md``). The import benchmark
scores the importer against these files, so a typo here would silently mis-score it. These
tests check the files against the documents and the reference data, not against any importer:
every document has a file; each file parses and uses only known kinds, frameworks, framework
notations and role slugs; every cited line exists in its document, and the names a file
quotes (posts, bodies, council names, own principles) occur on the lines it cites.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from rdflib import Graph, Namespace
from rdflib.namespace import SKOS

from tests.conftest import REPO, shared_dir

DEV_CORPUS = shared_dir() / "corpus" / "dev"
EXPECTED = REPO / "tests" / "data" / "expected" / "dev"
REFERENCE = REPO / "ontology" / "reference"
ROLE = Namespace("https://w3id.org/govkg/id/role/")

KINDS = {"local-code", "annual-governance-statement", "self-assessment", "external-review", "other"}
FRAMEWORKS = {"2007", "2016", "own", "none"}
REVIEWER_KINDS = {
    "external-auditor", "audit-scotland", "audit-wales", "peer-review", "inspector", "other",
}
POLARITIES = {"weakness", "strength", "improvement", "neutral"}
PRIORITIES = {"key", "improvement", "statutory", ""}
# The three statutory officers every principal council designates (roles.ttl,
# govkg:StatutoryRole); a designation names a post holding one of them.
STATUTORY_ROLES = {"head-of-paid-service", "monitoring-officer", "chief-finance-officer"}


def _documents() -> list[str]:
    """Names of the corpus documents, read from the folder (the corpus is the authority)."""
    return sorted(p.name for p in DEV_CORPUS.glob("*.txt"))


@cache
def _manifest() -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((DEV_CORPUS / "manifest.yaml").read_text(encoding="utf-8"))
    return {entry["file"]: entry for entry in data["documents"]}


@cache
def _notations(edition: str) -> frozenset[str]:
    """skos:notation of every item of one edition's reference data."""
    graph = Graph().parse(REFERENCE / f"cipfa-solace-{edition}.ttl")
    scheme = f"https://w3id.org/govkg/id/framework/cipfa-solace-{edition}"
    return frozenset(
        str(notation)
        for item, notation in graph.subject_objects(SKOS.notation)
        if (item, SKOS.inScheme, None) in graph
        and any(str(s) == scheme for s in graph.objects(item, SKOS.inScheme))
    )


@cache
def _role_slugs() -> frozenset[str]:
    graph = Graph().parse(REFERENCE / "roles.ttl")
    return frozenset(
        str(subject).removeprefix(str(ROLE))
        for subject in graph.subjects(SKOS.inScheme, None)
        if str(subject).startswith(str(ROLE))
    )


def _load(document: str) -> dict[str, Any]:
    path = EXPECTED / (Path(document).stem + ".toml")
    with path.open("rb") as handle:
        return tomllib.load(handle)


def _lines(document: str) -> list[str]:
    """The document's lines, numbered from 1 by position + 1, as stored."""
    return (DEV_CORPUS / document).read_text(encoding="utf-8").split("\n")


def _cited_lines(expected: dict[str, Any]) -> Iterator[tuple[str, int, str]]:
    """Every (where, line, text that must occur on it or "") the file cites."""
    if expected["framework_evidence_line"]:
        yield "framework_evidence_line", expected["framework_evidence_line"], ""
    for item, line in expected.get("items", {}).get("lines", {}).items():
        yield f"items.lines.{item}", line, ""
    for principle in expected.get("own_principles", []):
        yield "own_principles", principle["line"], principle["label"]
    for designation in expected.get("designations", []):
        yield "designations", designation["line"], designation["post"]
    ags = expected.get("ags", {})
    if ags.get("year_line"):  # year_line: an addition to the agreed format
        yield "ags.year_line", ags["year_line"], ags["year"]
    if ags.get("opinion_line"):
        yield "ags.opinion_line", ags["opinion_line"], ""
    # signatories_lines (an addition to the agreed format) cites, in order, the line where
    # each signatory's post is named.
    posts, lines = ags.get("signatories", []), ags.get("signatories_lines", [])
    for post, line in zip(posts, lines, strict=True):
        yield "ags.signatories", line, post
    for issue in ags.get("issues", []):
        yield f"ags.issues[{issue['title']}]", issue["line"], ""
    # G3 in full (additions to the agreed format): the scope of responsibility's line, and
    # the line naming each reviewer and each signatory's printed name
    if ags.get("scope_line"):
        yield "ags.scope_line", ags["scope_line"], ""
    for who, line in zip(ags.get("reviewed_by", []), ags.get("reviewed_by_lines", []),
                         strict=True):
        yield "ags.reviewed_by", line, who
    for name, line in zip(ags.get("signatory_names", []),
                          ags.get("signatory_names_lines", []), strict=True):
        yield "ags.signatory_names", line, name
    for result in expected.get("assessment", {}).get("results", []):
        yield f"assessment.results[{result['item']}]", result["line"], result["rating"]
    review = expected.get("review", {})
    if review.get("reviewer_line"):  # reviewer_line: an addition to the agreed format
        yield "review.reviewer_line", review["reviewer_line"], ""
    for finding in review.get("findings", []):
        yield "review.findings", finding["line"], ""
    for recommendation in review.get("recommendations", []):
        yield "review.recommendations", recommendation["line"], recommendation["concerns"]


def _has_facts(expected: dict[str, Any]) -> bool:
    """Rule K1 of the README: importable when the file records a fact of its kind."""
    kind = expected["kind"]
    if kind in ("local-code", "other"):
        return bool(
            expected["items"]["addressed"]
            or expected.get("own_principles")
            or expected["designations"]
        )
    if kind == "annual-governance-statement":
        ags = expected["ags"]
        return bool(ags["year"] or ags["opinion_level"] or ags["signatories"] or ags["issues"])
    if kind == "self-assessment":
        assessment = expected["assessment"]
        return bool(assessment["results"] or assessment["checklist"])
    return bool(expected["review"]["reviewer_kind"])


DOCUMENTS = _documents()


def test_the_dev_corpus_is_there() -> None:
    assert len(DOCUMENTS) == len(_manifest()) == 37, (
        f"{DEV_CORPUS}: {len(DOCUMENTS)} documents, {len(_manifest())} manifest entries"
    )


def test_every_expectation_file_belongs_to_a_document() -> None:
    stems = {Path(d).stem for d in DOCUMENTS}
    strays = sorted(p.name for p in EXPECTED.glob("*.toml") if p.stem not in stems)
    assert not strays, f"expectation files with no document in {DEV_CORPUS}: {strays}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_document_has_a_well_formed_expectation(document: str) -> None:
    path = EXPECTED / (Path(document).stem + ".toml")
    assert path.is_file(), f"no expectation file {path.relative_to(REPO)} for {document}"
    expected = _load(document)
    entry = _manifest()[document]
    assert expected["file"] == document
    assert expected["kind"] in KINDS
    assert expected["kind"] == entry["kind"], "kind differs from the manifest's"
    assert expected["council"] and expected["council"] in entry["council"], (
        f"council {expected['council']!r} is not the manifest's {entry['council']!r}"
    )
    assert expected["framework"] in FRAMEWORKS
    if expected["framework"] in ("2007", "2016"):
        assert expected["framework_evidence_line"] > 0, "an edition needs the line that shows it"
    assert isinstance(expected["importable"], bool)
    assert expected["importable"] == _has_facts(expected), (
        "importable must be true exactly when the file records a fact of its kind (rule K1)"
    )
    header = path.read_text(encoding="utf-8").splitlines()[0]
    assert header.startswith(f"# {document}"), "the header comment must name the document"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_items_are_notations_of_the_documents_edition(document: str) -> None:
    expected = _load(document)
    addressed = expected["items"]["addressed"]
    lines = expected["items"]["lines"]
    assert len(addressed) == len(set(addressed)), "an item is listed twice"
    assert set(lines) == set(addressed), "every addressed item needs its first line, and only those"
    if expected["framework"] in ("own", "none"):
        assert not addressed, "a document following no edition addresses no edition's items"
        return
    unknown = sorted(set(addressed) - _notations(expected["framework"]))
    assert not unknown, f"not notations of the {expected['framework']} edition: {unknown}"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_assessment_items_exist_in_their_checklist(document: str) -> None:
    expected = _load(document)
    if expected["kind"] != "self-assessment":
        assert "assessment" not in expected
        return
    assessment = expected["assessment"]
    assert assessment["scale"]
    results = assessment["results"]
    if assessment["checklist"] in ("2007", "2016"):
        unknown = sorted({r["item"] for r in results} - _notations(assessment["checklist"]))
        assert not unknown, f"not notations of the {assessment['checklist']} edition: {unknown}"
    for result in results:
        # A row with no rating written (evidence only) has no normalised value.
        if result["rating"]:
            assert 0.0 <= result["normalised"] <= 1.0
        else:
            assert "normalised" not in result


@pytest.mark.parametrize("document", DOCUMENTS)
def test_designations_use_statutory_role_slugs(document: str) -> None:
    expected = _load(document)
    for designation in expected["designations"]:
        assert designation["role"] in _role_slugs(), f"{designation['role']!r} is not in roles.ttl"
        assert designation["role"] in STATUTORY_ROLES, f"{designation['role']!r} is not statutory"


@pytest.mark.parametrize("document", DOCUMENTS)
def test_kind_specific_sections_match_the_kind(document: str) -> None:
    expected = _load(document)
    kind = expected["kind"]
    assert ("ags" in expected) == (kind == "annual-governance-statement")
    assert ("review" in expected) == (kind == "external-review")
    if "review" in expected:
        review = expected["review"]
        assert review["reviewer_kind"] in REVIEWER_KINDS
        assert all(f["polarity"] in POLARITIES for f in review["findings"])
        assert all(r["priority"] in PRIORITIES for r in review["recommendations"])


@pytest.mark.parametrize("document", DOCUMENTS)
def test_cited_lines_exist_and_hold_the_named_text(document: str) -> None:
    expected = _load(document)
    lines = _lines(document)
    for where, number, text in _cited_lines(expected):
        assert 1 <= number <= len(lines), f"{where}: line {number} is not in {document}"
        assert lines[number - 1].strip() != "[gap]", f"{where}: line {number} is the cut mark"
        if text:
            assert text.casefold() in lines[number - 1].casefold(), (
                f"{where}: {text!r} is not on line {number} of {document}"
            )


@pytest.mark.parametrize("document", DOCUMENTS)
def test_the_councils_own_names_occur_in_the_text(document: str) -> None:
    text = (DEV_CORPUS / document).read_text(encoding="utf-8").casefold()
    for name in _load(document)["council_named_as"]:
        assert name.casefold() in text, f"{name!r} does not occur in {document}"
