"""The council register: built from its sources, complete per nation and type, with the
corpus councils' GSS codes and the 2023 abolitions (expectations in
tests/data/expected/council-register.toml, established from the sources)."""

from __future__ import annotations

import csv
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from govkg.graph.namespaces import COUNCIL, COUNCIL_TYPE, GOVKG, ID, ONS_GEOGRAPHY

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = tomllib.loads((ROOT / "tests/data/expected/council-register.toml")
                         .read_text(encoding="utf-8"))
ABOLISHED = ID["council-status/abolished"]


@pytest.fixture(scope="module")
def councils(vocabulary: Graph) -> list[URIRef]:
    return [c for c in vocabulary.subjects(RDF.type, GOVKG.Council) if isinstance(c, URIRef)]


def test_the_register_holds_every_council_of_its_sources(vocabulary: Graph,
                                                         councils: list[URIRef]) -> None:
    assert len(councils) == EXPECTED["total"]
    abolished = [c for c in councils if vocabulary.value(c, GOVKG.councilStatus) == ABOLISHED]
    assert len(abolished) == EXPECTED["abolished"]
    current = Counter(
        (str(vocabulary.value(c, GOVKG.nation)).rsplit("/", 1)[-1],
         str(vocabulary.value(c, GOVKG.councilType)).rsplit("/", 1)[-1])
        for c in councils if c not in abolished)
    want = {(nation, kind): n for nation, kinds in EXPECTED["current"].items()
            for kind, n in kinds.items()}
    assert dict(current) == want


def test_every_council_has_a_name_a_gss_code_and_its_statistical_geography(
        vocabulary: Graph, councils: list[URIRef]) -> None:
    codes = Counter()
    for council in councils:
        code = str(vocabulary.value(council, GOVKG.gssCode))
        codes[code] += 1
        assert vocabulary.value(council, SKOS.prefLabel) is not None, council
        assert vocabulary.value(council, GOVKG.statisticalGeography) == ONS_GEOGRAPHY[code]
        assert vocabulary.value(council, GOVKG.councilType) in set(
            vocabulary.subjects(RDF.type, GOVKG.CouncilType)), council
        assert list(vocabulary.objects(council, DCTERMS.source)), council
    assert max(codes.values()) == 1


@pytest.mark.parametrize("slug", sorted(EXPECTED["gss"]))
def test_the_corpus_councils_keep_their_iris_and_gss_codes(vocabulary: Graph, slug: str) -> None:
    council = COUNCIL[slug]
    assert str(vocabulary.value(council, GOVKG.gssCode)) == EXPECTED["gss"][slug]
    assert str(vocabulary.value(council, GOVKG.slug)) == slug


# The 2023 orders' councils, then those of the 2019-2021 orders with their own dates.
ABOLITIONS = {**{slug: ("2023-04-01", successors)
                 for slug, successors in EXPECTED["successors"].items()},
              **{slug: (entry["on"], entry["successors"])
                 for slug, entry in EXPECTED["reorganisations_2019_2021"].items()}}


@pytest.mark.parametrize("slug", sorted(ABOLITIONS))
def test_abolished_councils_have_their_date_and_successors(vocabulary: Graph, slug: str) -> None:
    council = COUNCIL[slug]
    on, expected_successors = ABOLITIONS[slug]
    assert vocabulary.value(council, GOVKG.councilStatus) == ABOLISHED
    assert str(vocabulary.value(council, GOVKG.abolishedOn)) == on
    successors = sorted(str(s).rsplit("/", 1)[-1]
                        for s in vocabulary.objects(council, DCTERMS.isReplacedBy))
    assert successors == sorted(expected_successors)
    for successor in successors:
        assert (COUNCIL[successor], DCTERMS.replaces, council) in vocabulary
        assert vocabulary.value(COUNCIL[successor], GOVKG.councilStatus) != ABOLISHED


def test_short_names_and_initialisms_are_labels(vocabulary: Graph) -> None:
    kent = COUNCIL["kent-county-council"]
    labels = {str(v) for v in vocabulary.objects(kent, SKOS.altLabel)}
    assert {"Kent CC", "KCC"} <= labels
    assert vocabulary.value(kent, GOVKG.councilType) == COUNCIL_TYPE["county"]
    # An initialism two councils share names neither.
    shared = [c for c in vocabulary.subjects(SKOS.altLabel, None)
              if any(str(v) == "LCC" for v in vocabulary.objects(c, SKOS.altLabel))]
    assert shared == []


def test_the_build_script_reproduces_the_committed_register(tmp_path: Path) -> None:
    out = tmp_path / "councils.ttl"
    built = subprocess.run([sys.executable, str(ROOT / "scripts/build_councils.py"),
                            "--output", str(out)], capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    assert out.read_text(encoding="utf-8") == (
        ROOT / "ontology/reference/councils.ttl").read_text(encoding="utf-8")


def test_abolitions_agree_with_an_independent_list(vocabulary: Graph,
                                                   councils: list[URIRef]) -> None:
    """The orders' successors, as the register records them, against mySociety's dataset
    (scripts/data/names-mysociety.csv, kept apart from the hand table of abolitions); where
    they differ the expectations say why (Dorset County Council's area went to both new
    councils under SI 2018/648, the dataset names only one)."""
    with (ROOT / "scripts/data/names-mysociety.csv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        listed = {r["gss"]: set(filter(None, r["replaced_by"].split("|"))) for r in rows}
    differ = {}
    for council in councils:
        if vocabulary.value(council, GOVKG.councilStatus) != ABOLISHED:
            continue
        gss = str(vocabulary.value(council, GOVKG.gssCode))
        successors = {str(vocabulary.value(s, GOVKG.gssCode))
                      for s in vocabulary.objects(council, DCTERMS.isReplacedBy)}
        if successors != listed[gss]:
            differ[gss] = sorted(successors - listed[gss])
    assert differ == EXPECTED["successors_beyond_the_dataset"]
