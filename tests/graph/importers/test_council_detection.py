"""Council and edition detection over every corpus document, against the manifests.

The manifests (../shared/corpus/manifest.yaml, corpus/dev/manifest.yaml) name each
document's council and framework edition; they are the expectations.
tests/data/expected/council-detection.toml lists, from reading the documents, those that
never name their council, where detection must not guess.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

from govkg.graph.errors import InputError
from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.councils import CouncilRegister
from govkg.graph.importers.detect import (
    EDITIONS,
    MIN_CONFIDENCE,
    detect_council,
    detect_framework,
    resolve_council,
)
from tests.graph.importers.conftest import expected
from tests.graph.importers.manifests import DOCUMENTS, edition_of, manifest_council

EXPECTED = expected("council-detection")


@pytest.mark.parametrize("path", sorted(DOCUMENTS), ids=lambda p: Path(p).name[:24])
def test_each_document_is_detected_as_its_manifest_council_or_not_guessed(
        path: str, vocabulary: Graph) -> None:
    register = CouncilRegister.from_vocabulary(vocabulary)
    want = manifest_council(register, DOCUMENTS[path]["council"])
    doc = SourceDocument.read(Path(path))
    name = Path(path).name
    try:
        found = detect_council(doc, vocabulary)
    except InputError:
        assert name in EXPECTED["unnamed"], "refused, but the document names its council"
        return
    if name in EXPECTED["unnamed"]:
        assert found.confidence < MIN_CONFIDENCE, f"guessed {found}"
        return
    assert str(found.iri) == want, str(found)
    assert found.confidence >= MIN_CONFIDENCE, str(found)
    if name in EXPECTED["place_only"]:
        assert "never names a council" in found.reason


@pytest.mark.parametrize("path", sorted(DOCUMENTS), ids=lambda p: Path(p).name[:24])
def test_each_document_is_detected_as_its_manifest_edition_or_not_guessed(path: str) -> None:
    want = edition_of(DOCUMENTS[path]["framework"])
    doc = SourceDocument.read(Path(path))
    try:
        found = detect_framework(doc)
    except InputError:
        assert want is None, "refused, but the manifest names the edition"
        return
    if want is None:
        assert found.confidence < MIN_CONFIDENCE, f"guessed {found}"
    else:
        assert found.iri == EDITIONS[want], str(found)
        assert found.confidence >= MIN_CONFIDENCE, str(found)


# ---------------------------------------------------------------- rules, on made-up texts


def _doc(tmp_path: Path, text: str) -> SourceDocument:
    path = tmp_path / "doc.txt"
    path.write_text(text + "\n" + "The Council reviews its governance every year. " * 5,
                    encoding="utf-8")
    return SourceDocument.read(path)


FILLER = "\n".join(f"Paragraph {n} about governance." for n in range(10))


def test_a_place_in_a_postal_address_is_not_the_council(tmp_path: Path,
                                                        vocabulary: Graph) -> None:
    text = (f"Code of Corporate Governance\n{FILLER}\n"
            + "Write to us at Civic Centre, High Street, Maidstone ME14 1XQ.\n" * 6)
    with pytest.raises(InputError, match="which council"):
        detect_council(_doc(tmp_path, text), vocabulary)


def test_a_neighbour_named_in_passing_is_not_the_council(tmp_path: Path,
                                                         vocabulary: Graph) -> None:
    text = (f"Code of Corporate Governance\n{FILLER}\n"
            "We share a post with the Essex County Council Partnership Lead.")
    found = CouncilRegister.from_vocabulary(vocabulary).detect(_doc(tmp_path, text).text)
    assert all(m.confidence < MIN_CONFIDENCE for m in found)


def test_the_title_a_defined_abbreviation_and_the_web_address_name_the_council(
        tmp_path: Path, vocabulary: Graph) -> None:
    register = CouncilRegister.from_vocabulary(vocabulary)
    titled = register.detect(f"Wealden District Council\nLocal Code\n{FILLER}")
    assert titled[0].council.slug == "wealden-district-council"
    defined = register.detect(f"Code\n{FILLER}\nKent County Council (KCC) adopts this code. "
                              "KCC reviews it. KCC publishes it.")
    assert defined[0].council.slug == "kent-county-council"
    assert "abbreviation KCC" in defined[0].reason
    web = register.detect(f"Code\n{FILLER}\nSee www.braintree.gov.uk for our policies.")
    assert web[0].council.slug == "braintree-district-council"
    assert web[0].confidence >= MIN_CONFIDENCE


def test_the_current_council_is_preferred_to_an_abolished_one_of_the_same_place(
        vocabulary: Graph) -> None:
    assert resolve_council("Somerset", vocabulary).iri.endswith("/somerset-council")
    assert resolve_council("Somerset County Council", vocabulary).iri.endswith(
        "/somerset-county-council")
    assert resolve_council("E10000016", vocabulary).iri.endswith("/kent-county-council")
    assert resolve_council("Wealden Council", vocabulary).iri.endswith(
        "/wealden-district-council")
    assert resolve_council("Anytown Borough Council", vocabulary).iri.endswith(
        "/anytown-borough-council")


def test_a_bare_year_does_not_decide_the_edition(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="edition"):
        detect_framework(_doc(tmp_path, "Annual report 2016/17. Budget 2016. Plan 2007-2010."))
    named = detect_framework(_doc(
        tmp_path, "We follow Delivering Good Governance in Local Government (2016)."))
    assert named.iri == EDITIONS["2016"]



def test_the_home_page_the_register_records_names_the_council(vocabulary: Graph) -> None:
    """www.rbkc.gov.uk is no stem of 'Kensington and Chelsea': only the register's recorded
    home page (foaf:homepage, from the Directgov directory) can name the council; a host two
    councils share (Adur and Worthing) names neither."""
    register = CouncilRegister.from_vocabulary(vocabulary)
    found = register.detect(f"Code\n{FILLER}\nSee www.rbkc.gov.uk for our policies.")
    assert [m.council.slug for m in found] == ["royal-borough-of-kensington-and-chelsea"]
    assert "www.rbkc.gov.uk" in found[0].reason
    assert register.detect(f"Code\n{FILLER}\nSee www.adur-worthing.gov.uk for our policies.") \
        == []


def _current_councils() -> list[tuple[str, str]]:
    from govkg.graph.vocabulary import load_vocabulary

    register = CouncilRegister.from_vocabulary(load_vocabulary())
    return sorted((c.slug, c.name) for c in register.councils.values() if c.current)


@pytest.mark.parametrize(("slug", "name"), _current_councils(), ids=lambda v: v)
def test_every_current_council_is_found_by_its_own_name_in_a_title(
        vocabulary: Graph, slug: str, name: str) -> None:
    """The register's names and the detector agree: a document titled with a council's own
    name (its preferred label, from the name sources) is that council's, surely enough to
    import, whatever other council shares its place or initials."""
    found = CouncilRegister.from_vocabulary(vocabulary).detect(
        f"{name}\nLocal Code of Corporate Governance\n{FILLER}")
    assert found and found[0].council.slug == slug, [(m.council.name, m.confidence)
                                                     for m in found[:2]]
    assert found[0].confidence >= MIN_CONFIDENCE
