"""The two CIPFA/SOLACE editions, the crosswalk, roles and councils as reference data."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from pathlib import Path

import pytest
from rdflib import RDF, SKOS, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from govkg.graph.namespaces import COUNCIL, F2007, F2016, GOVKG, ONS_GEOGRAPHY

EXPECTED = tomllib.loads((Path(__file__).parent / "expected_frameworks.toml").read_text())


def items_of(vocabulary: Graph, edition: str, cls: URIRef) -> set[str]:
    scheme = URIRef(edition)
    return {str(vocabulary.value(i, SKOS.notation)) for i in vocabulary.subjects(RDF.type, cls)
            if (i, SKOS.inScheme, scheme) in vocabulary}


def test_2016_has_seven_principles(vocabulary: Graph) -> None:
    spec = EXPECTED["edition-2016"]
    assert items_of(vocabulary, spec["iri"], GOVKG.CorePrinciple) == set(spec["principles"])


def test_2016_has_21_sub_principles_under_the_right_principles(vocabulary: Graph) -> None:
    spec = EXPECTED["edition-2016"]
    subs = items_of(vocabulary, spec["iri"], GOVKG.SubPrinciple)
    per_principle = Counter(n.split(".")[0] for n in subs)
    assert dict(per_principle) == spec["sub_principles"]
    assert len(subs) == 21
    for notation in subs:
        broader = vocabulary.value(F2016[notation], SKOS.broader)
        assert broader == F2016[notation.split(".")[0]]


def test_2007_has_six_principles_and_18_supporting_principles(vocabulary: Graph) -> None:
    spec = EXPECTED["edition-2007"]
    assert items_of(vocabulary, spec["iri"], GOVKG.CorePrinciple) == set(spec["principles"])
    supporting = items_of(vocabulary, spec["iri"], GOVKG.SupportingPrinciple)
    assert dict(Counter(n.split(".")[0] for n in supporting)) == spec["supporting_principles"]


def _colchester_requirement_numbers(corpus_dir: Path) -> set[str]:
    text = (corpus_dir / "002_4f0066847b539ee0.txt").read_text(encoding="utf-8")
    return set(re.findall(r"(?m)^\s*(?:In order to achieve our aims we have/will:\s*)?"
                          r"([1-6]\.[1-4]\.\d{1,2})(?!\d)\s+(?!continued)", text))


def test_every_requirement_colchester_numbers_is_in_the_2007_edition(
        vocabulary: Graph, corpus_dir: Path) -> None:
    stated = _colchester_requirement_numbers(corpus_dir)
    assert len(stated) > 40  # the code numbers most of the edition's requirements
    held = items_of(vocabulary, EXPECTED["edition-2007"]["iri"], GOVKG.SpecificRequirement)
    assert stated <= held, sorted(stated - held)


def test_requirements_colchester_omits_are_filled_from_the_other_documents(
        vocabulary: Graph, corpus_dir: Path) -> None:
    omitted = set(EXPECTED["edition-2007"]["omitted_by_colchester"])
    assert not omitted & _colchester_requirement_numbers(corpus_dir)
    held = items_of(vocabulary, EXPECTED["edition-2007"]["iri"], GOVKG.SpecificRequirement)
    assert omitted <= held


def test_2007_requirements_are_numbered_without_gaps(vocabulary: Graph) -> None:
    held = items_of(vocabulary, EXPECTED["edition-2007"]["iri"], GOVKG.SpecificRequirement)
    by_parent: dict[str, list[int]] = {}
    for number in held:
        parent, last = number.rsplit(".", 1)
        by_parent.setdefault(parent, []).append(int(last))
    for parent, numbers in by_parent.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), parent


def test_every_item_is_in_the_crosswalk_or_has_no_counterpart(vocabulary: Graph) -> None:
    unmapped = vocabulary.query("""
        SELECT ?item WHERE {
          ?item a/rdfs:subClassOf* govkg:FrameworkItem .
          FILTER NOT EXISTS { ?m govkg:sourceItem|govkg:targetItem ?item }
          FILTER NOT EXISTS { ?item govkg:hasNoCounterpartIn ?other }
          # Behaviours and actions are covered through their sub-principle (see the
          # CrosswalkCoverageShape in shapes/vocabulary.ttl).
          FILTER NOT EXISTS { ?item a govkg:BehaviourAndAction }
        }""", initNs={"govkg": GOVKG, "rdfs": URIRef("http://www.w3.org/2000/01/rdf-schema#")})
    assert list(unmapped) == []


def test_crosswalk_mappings_cross_editions_and_carry_plain_skos(vocabulary: Graph) -> None:
    mappings = list(vocabulary.subjects(RDF.type, GOVKG.ItemMapping))
    assert len(mappings) > 50
    for mapping in mappings:
        source = vocabulary.value(mapping, GOVKG.sourceItem)
        target = vocabulary.value(mapping, GOVKG.targetItem)
        assert str(source).startswith(str(F2007)) and str(target).startswith(str(F2016))
        relation = vocabulary.value(mapping, GOVKG.skosRelation)
        assert (source, relation, target) in vocabulary


def test_sssom_export_round_trips(tmp_path: Path, vocabulary: Graph) -> None:
    from sssom.parsers import parse_sssom_table

    from govkg.graph.crosswalk import crosswalk_rows, write_sssom

    out = tmp_path / "crosswalk.sssom.tsv"
    written = write_sssom(out)
    msdf = parse_sssom_table(out)
    assert len(msdf.df) == written == len(crosswalk_rows(vocabulary))
    mapped = set(msdf.df["subject_id"]) | set(msdf.df["object_id"])
    assert "f07:4.3" in mapped and "f16:F.1" in mapped
    assert (msdf.df["object_id"] == "sssom:NoTermFound").sum() == sum(
        1 for _ in vocabulary.subject_objects(GOVKG.hasNoCounterpartIn))


@pytest.mark.parametrize("slug,gss", [
    ("kent-county-council", "E10000016"),
    ("leicestershire-county-council", "E10000018"),
    ("colchester-borough-council", "E07000071"),
    ("stevenage-borough-council", "E07000243"),
], ids=lambda v: v)
def test_council_has_gss_code_and_ons_geography(vocabulary: Graph, slug: str, gss: str) -> None:
    council = COUNCIL[slug]
    assert vocabulary.value(council, GOVKG.gssCode) == Literal(gss)
    assert vocabulary.value(council, GOVKG.statisticalGeography) == ONS_GEOGRAPHY[gss]


def test_alternative_labels_are_unambiguous_within_each_scheme(vocabulary: Graph) -> None:
    seen: dict[tuple[str, str], set[str]] = {}
    for concept, label in vocabulary.subject_objects(SKOS.altLabel | SKOS.prefLabel):
        if (concept, RDF.type, GOVKG.FrameworkItem) in vocabulary:
            continue
        for scheme in vocabulary.objects(concept, SKOS.inScheme):
            seen.setdefault((str(scheme), str(label).casefold()), set()).add(str(concept))
    clashes = {key: c for key, c in seen.items() if len(c) > 1 and "framework" not in key[0]}
    assert clashes == {}


# Councils whose documents are kept for an independent evaluation (never a source).
RESERVED_SITES = ("eastdevon", "cheshirewestandchester", "welhat", "reigate-banstead",
                  "coventry", "southsomerset", "scilly", "maidstone", "spelthorne",
                  "west-dunbarton", "kingston", "southribble", "westberks", "rotherham",
                  "croydon")


def test_behaviours_sit_under_their_sub_principle_and_name_their_sources(
        vocabulary: Graph) -> None:
    behaviours = list(vocabulary.subjects(RDF.type, GOVKG.BehaviourAndAction))
    assert behaviours
    for behaviour in behaviours:
        parent = vocabulary.value(behaviour, SKOS.broader)
        assert (parent, RDF.type, GOVKG.SubPrinciple) in vocabulary
        assert str(vocabulary.value(behaviour, SKOS.notation)).startswith(
            f"{vocabulary.value(parent, SKOS.notation)}.")
        sources = [str(s) for s in vocabulary.objects(behaviour, DCTERMS.source)]
        assert sources and all(s.startswith("https://") for s in sources)
        assert not [s for s in sources if any(site in s for site in RESERVED_SITES)]
