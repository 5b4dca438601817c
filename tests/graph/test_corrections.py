"""Corrections (graph/corrections/): the file, applying it to a real import, and
``govkg import --corrections`` in its own process on a real store.

The document is tests/data/formats/leicestershire-code.pdf; the corrections are
tests/data/corrections/leicestershire-code.pdf.corrections.yaml and what they must do is
tests/data/expected/corrections.toml (both described in tests/data/README.md).
"""

from __future__ import annotations

import shutil
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV

from govkg.graph import corrections
from govkg.graph.errors import DataFileError
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import GOVKG, LINK_METHOD, OA
from govkg.graph.store import EmbeddedStore, folder_beside, open_store
from govkg.graph.vocabulary import load_vocabulary
from tests.graph.conftest import Server, clear
from tests.graph.test_bad_input_cli import assert_refused, govkg

DATA = Path(__file__).parents[1] / "data"
DOCUMENT = DATA / "formats" / "leicestershire-code.pdf"
FILE = DATA / "corrections" / "leicestershire-code.pdf.corrections.yaml"
EXPECTED = tomllib.loads((DATA / "expected" / "corrections.toml").read_text())
COUNCIL = "Leicestershire County Council"
IMPORT = ["--council", COUNCIL, "--kind", "local-code", "--framework", "2016"]

pytestmark = pytest.mark.xdist_group("corrections")


@pytest.fixture(scope="module")
def vocabulary() -> Graph:
    return load_vocabulary()


@pytest.fixture(scope="module")
def imported(vocabulary: Graph) -> Graph:
    graph, _ = import_document(DOCUMENT, council=COUNCIL, kind="local-code", framework="2016",
                               vocabulary=vocabulary)
    return graph


@pytest.fixture
def corrected(imported: Graph, vocabulary: Graph) -> tuple[Graph, corrections.Outcome]:
    graph = Graph()
    graph += imported
    return graph, corrections.apply(graph, corrections.load(FILE), vocabulary)


def _roles(graph: Graph, post: str) -> set[URIRef]:
    return {URIRef(r) for r in graph.objects(URIRef(post), ORG.role)}


def _statement(graph: Graph, vocabulary: Graph, quote: str) -> corrections.Statement:
    return next(s for s in corrections.statements(graph, vocabulary) if s.quote == quote)


# --------------------------------------------------------------------- applying

def test_the_file_applies_its_matching_corrections_and_warns_of_the_other(
        corrected: tuple[Graph, corrections.Outcome]) -> None:
    _, outcome = corrected
    assert len(outcome.applied) == EXPECTED["applied"]
    assert outcome.warnings == [
        f"{FILE}:{EXPECTED['unmatched_line']}: the reject correction of 'A statement this "
        "document never makes' matches no statement of the document any more; not applied"]


def test_reject_removes_what_only_the_statement_said(imported: Graph, vocabulary: Graph,
                                                    corrected: tuple[Graph, corrections.Outcome]
                                                    ) -> None:
    graph, _ = corrected
    expected = EXPECTED["reject"]
    removed, kept = URIRef(expected["removed_role"]), URIRef(expected["kept_role"])
    assert {removed, kept} <= _roles(imported, expected["post"])
    assert removed not in _roles(graph, expected["post"])
    assert kept in _roles(graph, expected["post"])
    # what only that line stated is gone, and named as invalidated; what other lines state
    # too (the post's responsibility for the code, which the introduction's lead-in gives
    # it as well) keeps those lines and loses this one
    invalidated = set(graph.objects(None, PROV.invalidated))
    assert all((node, None, None) not in graph for node in invalidated)
    assert all((node, RDF.type, GOVKG.Responsibility) in imported for node in invalidated)
    row = _statement(imported, vocabulary, corrections.load(FILE).corrections[0].quote).span
    stated = [n for n in imported.subjects(GOVKG.source, row)
              if (n, RDF.type, GOVKG.Responsibility) in imported]
    assert stated
    for node in stated:
        assert node in invalidated or (
            (node, GOVKG.source, row) not in graph and (node, GOVKG.source, None) in graph)


def test_relink_replaces_the_importers_links_with_a_persons(
        imported: Graph, vocabulary: Graph, corrected: tuple[Graph, corrections.Outcome]) -> None:
    graph, _ = corrected
    quote = EXPECTED["relink"]["quote"]
    before = _statement(imported, vocabulary, quote)
    assert sorted(link[1] for link in before.links) == EXPECTED["relink"]["before"]
    after = _statement(graph, vocabulary, quote)
    assert [(link[0], link[3], link[4]) for link in after.links] == [
        (URIRef(EXPECTED["relink"]["item"]), "by a person", 100.0)]
    link = next(graph.subjects(GOVKG.linkedItem, URIRef(EXPECTED["relink"]["item"])))
    assert (link, GOVKG.linkMethod, LINK_METHOD["by-person"]) in graph
    # the importer's links elsewhere keep their methods
    assert (None, GOVKG.linkMethod, LINK_METHOD["by-text"]) in graph


def test_designate_moves_the_role_to_the_post_named(
        imported: Graph, corrected: tuple[Graph, corrections.Outcome]) -> None:
    graph, _ = corrected
    expected = EXPECTED["designate"]
    role = URIRef(expected["role"])
    assert role in _roles(imported, expected["old_post"])
    assert role not in _roles(graph, expected["old_post"])
    assert role in _roles(graph, expected["new_post"])
    assert (URIRef(expected["new_post"]), ORG.postIn, URIRef(EXPECTED["council"])) in graph


def test_each_correction_is_a_persons_decision_beside_the_import(
        corrected: tuple[Graph, corrections.Outcome]) -> None:
    graph, _ = corrected
    activities = set(graph.subjects(RDF.type, GOVKG.Correction))
    assert len(activities) == EXPECTED["applied"]
    importing = graph.value(URIRef(EXPECTED["document"]), PROV.wasGeneratedBy)
    people = {}
    for activity in activities:
        assert (activity, RDF.type, PROV.Activity) in graph
        person = graph.value(activity, PROV.wasAssociatedWith)
        assert (person, RDF.type, PROV.Person) in graph
        people[str(graph.value(activity, GOVKG.correctionAction))] = str(
            graph.value(person, URIRef("http://www.w3.org/2000/01/rdf-schema#label")))
        assert graph.value(activity, PROV.endedAtTime) is not None
        assert graph.value(activity, PROV.used) is not None
        assert (activity, PROV.wasInformedBy, importing) in graph
    assert people == {"reject": "Test Officer", "relink": "Test Officer",
                      "designate": "Another Officer"}
    assert (importing, RDF.type, GOVKG.Correction) not in graph


def test_applying_again_to_a_fresh_import_gives_the_same_graph(
        corrected: tuple[Graph, corrections.Outcome], vocabulary: Graph) -> None:
    from rdflib.compare import isomorphic

    again, _ = import_document(DOCUMENT, council=COUNCIL, kind="local-code", framework="2016",
                               vocabulary=vocabulary)
    corrections.apply(again, corrections.load(FILE), vocabulary)
    assert isomorphic(again, corrected[0])


@pytest.mark.parametrize(("entry", "says"), [
    ("to: [Z.9]", "to: no item 'Z.9' in Delivering Good Governance"),
    ("to: [F.1]\n    role: nobody", None),
], ids=["unknown-item", "relink-ignores-role"])
def test_an_item_that_does_not_exist_is_an_error_at_its_line(
        imported: Graph, vocabulary: Graph, tmp_path: Path, entry: str, says: str | None) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(f"document: {corrections.document_sha(imported)}\nofficer: T\n"
                    "corrections:\n  - action: relink\n    quote: Managing Risks\n"
                    f"    {entry}\n    decided: 2026-12-05T09:00:00Z\n")
    graph = Graph()
    graph += imported
    if says is None:
        assert len(corrections.apply(graph, corrections.load(path), vocabulary).applied) == 1
        return
    with pytest.raises(DataFileError) as raised:
        corrections.apply(graph, corrections.load(path), vocabulary)
    assert raised.value.location is not None and raised.value.location.line == 4
    assert says in raised.value.message


# --------------------------------------------------------------------- the file

HEAD = "document: 44676a6766e52695\nofficer: T\ncorrections:\n"
BAD = [
    ("not-yaml", HEAD + "  - action: reject\n    quote: [unclosed\n", 6,
     "(while parsing a flow sequence at line 5)"),
    ("unknown-action", HEAD + "  - action: delete\n    quote: x\n    decided: 2026-12-05\n", 4,
     "action: 'delete'; use one of reject, relink, designate"),
    ("no-quote", HEAD + "  - action: reject\n    decided: 2026-12-05\n", 4, "quote"),
    ("no-time", HEAD + "  - action: reject\n    quote: x\n", 4, "say when"),
    ("bad-time", HEAD + "  - action: reject\n    quote: x\n    decided: yesterday\n", 4,
     "not an ISO 8601 date"),
    ("no-officer", "document: 44676a6766e52695\ncorrections:\n  - action: reject\n"
     "    quote: x\n    decided: 2026-12-05\n", 3, "say who decided"),
    ("unknown-key", HEAD + "  - action: reject\n    quote: x\n    decided: 2026-12-05\n"
     "    colour: red\n", 4, "unknown key(s) colour"),
    ("twice", HEAD + "  - action: reject\n    quote: x\n    quote: y\n", 6, "given twice"),
    ("bad-start", HEAD + "  - action: reject\n    quote: x\n    start: ten\n"
     "    decided: 2026-12-05\n", 4, "start: 'ten' is not a whole number"),
    ("relink-without-items", HEAD + "  - action: relink\n    quote: x\n"
     "    decided: 2026-12-05\n", 4, "relink needs the items"),
    ("designate-without-role", HEAD + "  - action: designate\n    quote: x\n"
     "    decided: 2026-12-05\n", 4, "designate needs role"),
    ("no-document", "officer: T\ncorrections: []\n", 1, "document: the SHA-256"),
    ("a-list", "- action: reject\n", 1, "a corrections file is a mapping"),
]


@pytest.mark.parametrize(("text", "line", "says"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_a_bad_file_is_refused_naming_its_line(tmp_path: Path, text: str, line: int,
                                               says: str) -> None:
    path = tmp_path / "bad.corrections.yaml"
    path.write_text(text)
    with pytest.raises(DataFileError) as raised:
        corrections.load(path)
    assert raised.value.location is not None
    assert (raised.value.location.source, raised.value.location.line) == (str(path), line)
    assert says in raised.value.message


def test_append_keeps_what_a_person_wrote(tmp_path: Path) -> None:
    path = tmp_path / "x.corrections.yaml"
    when = datetime(2026, 12, 5, 9, 30, tzinfo=UTC)
    first = corrections.Correction("reject", 'a "quoted"\tline: with colon', "A. Officer", when,
                                   start=12, line=3, reason="not a commitment")
    corrections.append(path, "44676a6766e52695", first, title="A code")
    text = path.read_text()
    path.write_text(text.replace("corrections:\n", "# kept by hand\ncorrections:\n"))
    second = corrections.Correction("relink", "1.10", "B. Officer", when, items=("1.10",))
    corrections.append(path, "44676a6766e52695", second)
    loaded = corrections.load(path)
    assert "# kept by hand" in path.read_text()
    assert [(c.action, c.quote, c.start, c.line, c.items, c.officer, c.decided, c.reason)
            for c in loaded.corrections] == [
        ("reject", 'a "quoted"\tline: with colon', 12, 3, (), "A. Officer", when,
         "not a commitment"),
        ("relink", "1.10", None, None, ("1.10",), "B. Officer", when, "")]


# --------------------------------------------------------------------- the command line

@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """The document in a folder of its own, as an officer keeps it."""
    shutil.copy(DOCUMENT, tmp_path / DOCUMENT.name)
    return tmp_path


def _corrected_in(trig: Path) -> tuple[int, bool]:
    from rdflib import Dataset

    dataset = Dataset()
    dataset.parse(trig, format="trig")
    person_link = (None, GOVKG.linkMethod, LINK_METHOD["by-person"])
    return (len({s for s, *_ in dataset.quads((None, RDF.type, GOVKG.Correction, None))}),
            any(True for _ in dataset.quads((*person_link, None))))


def test_cli_applies_the_file_given_and_warns_naming_the_entry(folder: Path) -> None:
    out = folder / "out.trig"
    done = govkg("import", str(folder / DOCUMENT.name), *IMPORT, "--corrections", str(FILE),
                 "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert f"applied 3 correction(s) from {FILE}" in done.stdout
    assert f"warning: {FILE}:{EXPECTED['unmatched_line']}: the reject correction" in " ".join(
        done.stderr.split())
    assert _corrected_in(out) == (3, True)


def test_cli_applies_the_file_beside_the_document_without_the_option(folder: Path) -> None:
    shutil.copy(FILE, folder / f"{DOCUMENT.name}{corrections.SUFFIX}")
    out = folder / "out.trig"
    done = govkg("import", str(folder / DOCUMENT.name), *IMPORT, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _corrected_in(out) == (3, True)


def test_cli_reimport_into_a_store_applies_the_corrections_again(folder: Path) -> None:
    store = folder / "store"
    with EmbeddedStore(store) as opened:
        from govkg.graph.build import build

        build(opened, [])
    query = ("PREFIX govkg: <https://w3id.org/govkg/def/> "
             "SELECT (COUNT(?c) AS ?n) WHERE { GRAPH ?g { ?c a govkg:Correction } }")
    for given in (["--corrections", str(FILE)], []):
        done = govkg("import", str(folder / DOCUMENT.name), *IMPORT, "--store", str(store),
                     *given)
        assert done.returncode == 0, done.stderr
        with EmbeddedStore(store) as opened:
            assert opened.query(query).rows[0]["n"] == Literal(3)
    assert (store / "corrections" / "44676a6766e52695.yaml").read_bytes() == FILE.read_bytes()


@pytest.mark.parametrize("configured", [True, False], ids=["GOVKG_CORRECTIONS_DIR", "default"])
def test_cli_reimport_into_a_sparql_server_keeps_and_applies_the_corrections_again(
        folder: Path, oxigraph_server: Server, monkeypatch: pytest.MonkeyPatch,
        configured: bool) -> None:
    """A SPARQL server has no folder: the corrections are kept in the configured one, else
    in the user's data folder (XDG_DATA_HOME is the test's own), one folder per server."""
    url = oxigraph_server.url
    kept = folder / "kept corrections"
    if configured:
        monkeypatch.setenv("GOVKG_CORRECTIONS_DIR", str(kept))
    expected = kept if configured else folder_beside(url, "corrections")
    assert str(expected).startswith(str(folder.parent))  # never the user's real data folder
    with open_store(url) as remote:
        clear(remote)
    query = ("PREFIX govkg: <https://w3id.org/govkg/def/> "
             "SELECT (COUNT(?c) AS ?n) WHERE { GRAPH ?g { ?c a govkg:Correction } }")
    try:
        for given in (["--corrections", str(FILE)], []):
            done = govkg("import", str(folder / DOCUMENT.name), *IMPORT, "--store", url,
                         *given)
            assert done.returncode == 0, done.stderr
            with open_store(url) as remote:
                assert remote.query(query).rows[0]["n"] == Literal(3)
    finally:
        with open_store(url) as remote:
            clear(remote)
    assert (expected / "44676a6766e52695.yaml").read_bytes() == FILE.read_bytes()


@pytest.mark.parametrize(("text", "says"), [
    (FILE.read_text().replace("action: relink", "action: relabel"), ":14: action: 'relabel'"),
    (FILE.read_text().replace("to: [F.1]", "to: [F.99]"), ":14: to: no item 'F.99'"),
    (FILE.read_text().replace("44676a6766e52695816806b8190f257f0bdb", "0" * 36),
     ":1: document: 000000000000000000000000000000000000"),
], ids=["bad-action", "unknown-item", "another-document"])
def test_cli_refuses_a_bad_file_and_stores_nothing(folder: Path, text: str, says: str) -> None:
    store = folder / "store"
    with EmbeddedStore(store) as opened:
        from govkg.graph.build import build

        build(opened, [])
        before = opened.export("nq")
    bad = folder / "bad.corrections.yaml"
    bad.write_text(text)
    done = govkg("import", str(folder / DOCUMENT.name), *IMPORT, "--store", str(store),
                 "--corrections", str(bad))
    assert_refused(done, f"{bad}{says}")
    with EmbeddedStore(store) as opened:
        assert opened.export("nq") == before
    assert not (store / "corrections").exists()


def test_a_corrected_graph_still_meets_the_shapes(
        corrected: tuple[Graph, corrections.Outcome], tmp_path: Path) -> None:
    from govkg.graph.validation import validate_file

    path = tmp_path / "corrected.ttl"
    corrected[0].serialize(destination=path, format="turtle")
    (report,) = validate_file(path)
    assert (report.council, report.violations) == (EXPECTED["council"], 0)


def test_rejecting_a_heading_drops_the_links_made_from_it(imported: Graph, vocabulary: Graph,
                                                          tmp_path: Path) -> None:
    """The heading "Principle C: ..." (line 95 of the PDF's text) links the document, and
    the commitments under it by structure, to principle C; rejecting it drops those links."""
    principle = URIRef("https://w3id.org/govkg/id/framework/cipfa-solace-2016/C")
    document = URIRef(EXPECTED["document"])
    link = next(k for k in imported.objects(document, GOVKG.qualifiedLink)
                if (k, GOVKG.linkedItem, principle) in imported)
    quote = next(str(imported.value(selector, OA.exact))
                 for span in imported.objects(link, GOVKG.source)
                 for selector in imported.objects(span, OA.hasSelector)
                 if imported.value(selector, OA.exact) is not None)
    assert quote.startswith("Principle C")
    path = tmp_path / "heading.corrections.yaml"
    path.write_text(f"document: {corrections.document_sha(imported)}\nofficer: T\n"
                    f"corrections:\n  - action: reject\n    quote: '{quote}'\n"
                    "    decided: 2026-12-05T09:00:00Z\n")
    assert (document, GOVKG.addresses, principle) in imported
    graph = Graph()
    graph += imported
    assert len(corrections.apply(graph, corrections.load(path), vocabulary).applied) == 1
    assert (document, GOVKG.addresses, principle) not in graph
    assert not [link for link in graph.subjects(GOVKG.linkedItem, principle)
                if (None, GOVKG.qualifiedLink, link) not in graph]  # no link left dangling
    invalidated = set(graph.objects(None, PROV.invalidated))
    assert invalidated and all((n, RDF.type, GOVKG.ItemLink) in imported for n in invalidated)
