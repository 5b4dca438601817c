"""The council register's names come from sources, and match what councils call themselves.

Expectations (tests/data/expected/council-register.toml, [self_names] and [source_names]) were
read off the corpus documents and the name sources; the council each document is by is its
manifest's (../shared/corpus/manifest.yaml, corpus/dev/manifest.yaml).
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from govkg.graph.importers.councils import CouncilRegister
from govkg.graph.namespaces import COUNCIL, GOVKG
from tests.graph.importers.manifests import DOCUMENTS, manifest_council

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = tomllib.loads((ROOT / "tests/data/expected/council-register.toml")
                         .read_text(encoding="utf-8"))
BY_NAME = {Path(path).name: path for path in DOCUMENTS}


@pytest.mark.parametrize("name", sorted(EXPECTED["self_names"]), ids=lambda n: n[:24])
def test_each_council_is_called_what_its_own_document_calls_it(vocabulary: Graph,
                                                               name: str) -> None:
    expected = EXPECTED["self_names"][name]
    path = BY_NAME[name]
    line = Path(path).read_text(encoding="utf-8").splitlines()[expected["line"] - 1]
    assert expected["name"] in line, "the expectation's line does not hold the name"
    register = CouncilRegister.from_vocabulary(vocabulary)
    council = URIRef(manifest_council(register, DOCUMENTS[path]["council"]))
    assert str(vocabulary.value(council, SKOS.prefLabel)) == expected["name"]


@pytest.mark.parametrize("slug", sorted(EXPECTED["source_names"]))
def test_the_sources_names_are_the_preferred_and_alternative_labels(vocabulary: Graph,
                                                                     slug: str) -> None:
    council = COUNCIL[slug]
    want = EXPECTED["source_names"][slug]
    assert str(vocabulary.value(council, SKOS.prefLabel)) == want["pref"]
    assert set(want["alt"]) <= {str(v) for v in vocabulary.objects(council, SKOS.altLabel)}


def test_every_name_has_its_source_or_says_it_is_not_verified(vocabulary: Graph) -> None:
    """No invented names: a council's preferred name names where it was read, or carries a
    note that no source gave it (the four councils govkg recorded first keep the label they
    were recorded under, which their comment in the register explains)."""
    legacy = {COUNCIL[s] for s in EXPECTED["gss"]}
    unsourced = []
    for council in vocabulary.subjects(RDF.type, GOVKG.Council):
        sources = list(vocabulary.objects(council, GOVKG.nameSource))
        note = vocabulary.value(council, SKOS.editorialNote)
        if not sources and council not in legacy:
            assert note is not None and "not verified" in str(note), council
            unsourced.append(council)
        for source in sources:
            assert str(source).startswith("https://"), (council, source)
    assert len(unsourced) <= EXPECTED["unverified_names_at_most"]
