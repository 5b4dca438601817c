"""The layout-independent pipeline: sections whatever the numbering, statements classified
only where the words say so, own principles kept as the council's scheme, and linear time.

The documents here are written by the tests from the framework's own labels (reference
data), in the layouts councils use; no council's prose is copied.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, SKOS, Graph, URIRef
from rdflib.namespace import DCTERMS, ORG

from bench.importing import synthetic_code
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import ImportReport, NothingLinkedError, import_document
from govkg.graph.namespaces import F2007, F2016, FRAMEWORK, GOVKG, LINK_METHOD, ROLE, TOPIC

OPTIONS = {"council": "Anytown Borough Council", "kind": "local-code", "framework": "2016"}
LETTERS = "ABCDEFG"
WORDS = ["One", "Two", "Three", "Four", "Five", "Six", "Seven"]


def _labels(vocabulary: Graph) -> dict[str, str]:
    return {n: str(vocabulary.value(F2016[n], SKOS.prefLabel)) for n in LETTERS}


# Documents under 200 characters are refused as too short; this opening states nothing.
PREAMBLE = ("Local Code of Corporate Governance\n\nThis document sets out the local code of "
            "corporate governance of the council, the arrangements it has in place and how the "
            "code is kept up to date.\n\n")


def _import(tmp_path: Path, text: str, vocabulary: Graph, gazetteers: Gazetteers,
            **options: str | None) -> tuple[Graph, ImportReport]:
    path = tmp_path / "code.txt"
    path.write_text(PREAMBLE + text, encoding="utf-8")
    given = {**OPTIONS, **options}
    return import_document(path, vocabulary=vocabulary, gazetteers=gazetteers, **given)


def _addressed(graph: Graph) -> set[str]:
    return {str(i).removeprefix(str(F2016)) for i in graph.objects(None, GOVKG.addresses)
            if str(i).startswith(str(F2016))}


# One 2016 code, seven ways of numbering its principles: every one is read alike.
NUMBERINGS = {
    "principle-letter-colon": lambda i, label: f"Principle {LETTERS[i]}: {label}",
    "principle-letter-dash": lambda i, label: f"Principle {LETTERS[i]} – {label}",
    "core-principle-number": lambda i, label: f"Core Principle {i + 1}. {label}",
    "principle-word": lambda i, label: f"Principle {WORDS[i]} - {label}",
    "letter-dot": lambda i, label: f"{LETTERS[i]}. {label}",
    "number-dot": lambda i, label: f"{i + 1}. {label}",
    "wording-only": lambda i, label: label,
    "number-only-heading": lambda i, label: f"Principle {LETTERS[i]}",
}


@pytest.mark.parametrize("numbering", sorted(NUMBERINGS))
def test_every_numbering_finds_the_seven_principles_and_their_commitments(
        numbering: str, tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    parts = ["Local Code of Corporate Governance", ""]
    for i, letter in enumerate(LETTERS):
        parts += [NUMBERINGS[numbering](i, labels[letter]), "",
                  f"  • The council publishes its register of decisions for area {letter}.",
                  f"  • We review our arrangements for area {letter} every year.", ""]
    graph, report = _import(tmp_path, "\n".join(parts), vocabulary, gazetteers)
    assert _addressed(graph) == set(LETTERS)
    assert sorted(report.coverage) == list(LETTERS)
    commitments = set(graph.subjects(RDF.type, GOVKG.Commitment))
    under = {c for c in commitments for link in graph.objects(c, GOVKG.qualifiedLink)
             if (link, GOVKG.linkMethod, LINK_METHOD["by-structure"]) in graph}
    assert len(under) == 14  # the two bullets under each principle, by structure


def test_a_2007_code_numbered_in_words_finds_its_principles(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    f2007 = FRAMEWORK["cipfa-solace-2007/"]
    parts = []
    for i in range(6):
        label = vocabulary.value(URIRef(f"{f2007}{i + 1}"), SKOS.prefLabel)
        parts += [f"Principle {WORDS[i]}: {label}", "",
                  "  • The council keeps its constitution under review.", ""]
    graph, _ = _import(tmp_path, "\n".join(parts), vocabulary, gazetteers, framework="2007")
    found = {str(i).removeprefix(str(f2007)) for i in graph.objects(None, GOVKG.addresses)}
    assert found == {"1", "2", "3", "4", "5", "6"}


def test_numbered_paragraphs_that_are_not_principles_are_no_sections(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    text = ("1 Introduction\n\n1.1 Corporate governance is how a council directs itself.\n\n"
            "2. Review\n\n2.1 The code is reviewed every year by the council.\n")
    with pytest.raises(NothingLinkedError, match="no commitment links"):
        _import(tmp_path, text, vocabulary, gazetteers)


def test_a_statement_restating_a_sub_principle_links_to_it_by_text(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    sub = str(vocabulary.value(F2016["F.2"], SKOS.prefLabel))
    text = f"Principle F: {labels['F']}\n\n  • We are committed to {sub.lower()}.\n"
    graph, report = _import(tmp_path, text, vocabulary, gazetteers)
    assert "F.2" in _addressed(graph)
    linked = [r for r in report.statements if any(link.notation == "F.2" for link in r.links)]
    assert linked and all(link.score >= 82 for r in linked for link in r.links
                          if link.notation == "F.2")


def test_designations_only_where_a_sentence_pairs_post_and_role(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    text = (f"Principle A: {labels['A']}\n\n"
            "The Director of Resources and Democracy is the Monitoring Officer.\n\n"
            "The Section 151 Officer reviews the budget every year.\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers)
    holders = {str(graph.value(p, SKOS.prefLabel)): {str(r) for r in graph.objects(p, ORG.role)}
               for p in graph.subjects(RDF.type, ORG.Post)}
    assert holders.get("Director of Resources and Democracy") == {str(ROLE["monitoring-officer"])}
    statutory = {ROLE["chief-finance-officer"], ROLE["head-of-paid-service"]}
    assert not any(r in statutory for r in graph.objects(None, ORG.role))


def test_a_responsibility_is_read_from_its_verb_and_agent(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    text = (f"Principle G: {labels['G']}\n\n"
            "The Audit and Governance Committee monitors the risk management arrangements.\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers)
    agents = {str(graph.value(a, SKOS.prefLabel)) for r in
              graph.subjects(RDF.type, GOVKG.Responsibility)
              for a in graph.objects(r, GOVKG.agent)}
    assert "Audit and Governance Committee" in agents


def test_own_principles_are_kept_as_the_councils_scheme_and_mapped_with_scores(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    text = ("Our code of corporate governance accepts these principles of good governance:\n\n"
            "  • Openness\n  • Integrity\n  • Accountability\n")
    graph, report = _import(tmp_path, text, vocabulary, gazetteers, framework=None)
    concepts = {str(graph.value(c, SKOS.prefLabel)): c
                for c in graph.subjects(RDF.type, SKOS.Concept)}
    assert sorted(concepts) == ["Accountability", "Integrity", "Openness"]
    assert (concepts["Integrity"], SKOS.relatedMatch, F2016["A"]) in graph
    assert (concepts["Openness"], SKOS.relatedMatch, F2016["B"]) in graph
    for concept in concepts.values():
        links = list(graph.objects(concept, GOVKG.qualifiedLink))
        assert links and all(graph.value(link, GOVKG.matchScore) is not None for link in links)
    # the mapping is the importer's judgement: no commitment addresses a framework item
    assert _addressed(graph) == set()
    assert report.counts["govkg:Commitment"] == 3


def test_statement_spans_quote_the_document_exactly(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    text = (f"Principle B – {labels['B']}\n\nWe consult residents on the budget. "
            "We publish our decisions.\n")
    _, report = _import(tmp_path, text, vocabulary, gazetteers)
    lines = (PREAMBLE + text).split("\n")
    assert report.statements
    for statement in report.statements:
        assert statement.quote in lines[statement.line - 1]


def test_import_time_is_linear_in_the_documents_size(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """Not a timed test: the work (commitments made) grows with the size, and a large
    document imports at all (bench/importing.py --scaling gives the times)."""
    small = tmp_path / "small.txt"
    large = tmp_path / "large.txt"
    small.write_text(synthetic_code(20_000, vocabulary), encoding="utf-8")
    large.write_text(synthetic_code(200_000, vocabulary), encoding="utf-8")
    counts = []
    for path in (small, large):
        _, report = import_document(path, vocabulary=vocabulary, gazetteers=gazetteers,
                                    **OPTIONS)
        counts.append(report.counts["govkg:Commitment"])
        assert sorted(report.coverage) == list(LETTERS)
    ratio = large.stat().st_size / small.stat().st_size
    assert 0.8 * ratio <= counts[1] / counts[0] <= 1.2 * ratio


@pytest.mark.parametrize("separator", [" –", " -", "."])
def test_a_changed_heading_does_not_lose_a_corpus_codes_commitments(
        separator: str, tmp_path: Path, corpus_dir: Path, vocabulary: Graph,
        gazetteers: Gazetteers) -> None:
    """Issue G2's finding: "Principle A:" read, "Principle A –" gave 0 commitments."""
    text = (corpus_dir / "001_8248a4b135ee80e6.txt").read_text(encoding="utf-8")
    changed = re.sub(r"(?m)^(Principle [A-G]):", rf"\1{separator}", text)
    assert changed != text
    path = tmp_path / "leicestershire-changed.txt"
    path.write_text(changed, encoding="utf-8")
    graph, report = import_document(path, vocabulary=vocabulary, gazetteers=gazetteers,
                                    kind="local-code")
    assert sorted(report.coverage) == list(LETTERS)
    assert report.counts["govkg:Commitment"] >= 19
    subs = {n for n in _addressed(graph) if re.fullmatch(r"[A-G]\.\d", n)}
    assert len(subs) >= 19


def test_a_table_is_read_by_its_column_headings(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """Rows after a principle's row are its content; the evidence column's titles, run
    together by extraction, are split and cited by the commitments of their row; the
    further-work column is kept with them; requirement numbers link by number."""
    f2007 = FRAMEWORK["cipfa-solace-2007/"]
    label = vocabulary.value(URIRef(f"{f2007}1"), SKOS.prefLabel)
    requirement = vocabulary.value(URIRef(f"{f2007}1.1.1"), SKOS.prefLabel)
    rows = [f"Principle One: {label}\tHow we achieve this\tPolicies/Plans\tFurther work",
            f"1.1.1 {requirement}\tWe publish our plan every year\tCorporate PlanRisk "
            "Management Strategy Financial Regulations Member Code of Conduct Complaints "
            "Procedure Whistleblowing Policy Petitions Scheme\tReview the plan in spring"]
    graph, _ = _import(tmp_path, "\n".join(rows) + "\n", vocabulary, gazetteers,
                       framework="2007")
    by_number = [c for c in graph.subjects(GOVKG.addresses, URIRef(f"{f2007}1.1.1"))
                 for link in graph.objects(c, GOVKG.qualifiedLink)
                 if (link, GOVKG.linkMethod, LINK_METHOD["by-number"]) in graph]
    assert by_number
    evidence = {str(graph.value(e, RDFS.label)) for e in graph.subjects(RDF.type, GOVKG.Evidence)}
    assert {"Corporate Plan", "Risk Management Strategy", "Financial Regulations",
            "Petitions Scheme"} <= evidence
    cited = {e for c in by_number for e in graph.objects(c, GOVKG.citesEvidence)}
    assert len(cited) >= 4
    work = list(graph.subjects(RDF.type, GOVKG.FurtherWork))
    assert len(work) == 1
    assert any((c, GOVKG.hasFurtherWork, work[0]) in graph for c in by_number)
    # the column headings are not statements
    labels = {str(graph.value(c, RDFS.label)) for c in graph.subjects(RDF.type, GOVKG.Commitment)}
    assert "How we achieve this" not in labels


def test_a_known_set_of_own_principles_named_in_a_sentence(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    text = ("The principles of good governance require the council to be open and inclusive "
            "in its dealings, to act with integrity, and to be accountable to the public.\n")
    graph, report = _import(tmp_path, text, vocabulary, gazetteers)
    concepts = sorted(str(graph.value(c, SKOS.prefLabel))
                      for c in graph.subjects(RDF.type, SKOS.Concept))
    assert concepts == ["accountable", "integrity", "open and inclusive"]
    assert _addressed(graph) == set()
    assert report.counts["govkg:Commitment"] == 3


FORMATS = Path(__file__).resolve().parents[2] / "data" / "formats"


@pytest.mark.parametrize("stem,options", [
    ("leicestershire-code", {"council": "Leicestershire County Council", "framework": "2016"}),
    ("lancashire-code", {"council": "Lancashire County Council", "framework": "2007"}),
], ids=["leicestershire", "lancashire"])
def test_the_pipeline_reads_word_pdf_and_html_alike(
        stem: str, options: dict[str, str], vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """The same code as Word, PDF and HTML (tests/data/formats) gives the same items and
    the same counts through the one pipeline."""
    found = {}
    for suffix in (".docx", ".pdf", ".html"):
        _, report = import_document(FORMATS / f"{stem}{suffix}", vocabulary=vocabulary,
                                    gazetteers=gazetteers, kind="local-code",
                                    layout="generic", **options)
        found[suffix] = (report.coverage, report.counts)
    assert found[".docx"] == found[".pdf"] == found[".html"]
    assert found[".docx"][0]


def test_evidence_only_where_the_words_name_a_document(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    text = (f"Principle A: {labels['A']}\n\n  • Whistleblowing Policy\n"
            "  • Delegated powers\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers)
    evidence = {str(graph.value(e, RDFS.label)) for e in graph.subjects(RDF.type, GOVKG.Evidence)}
    assert evidence == {"Whistleblowing Policy"}


# A constitution's article on its statutory officers, in the two forms councils publish:
# sentences, and a table of posts and their designations flattened to one line a row.
DESIGNATION_SENTENCES = ("Statutory officers\n\nThe Director of Resources is the Council's "
                         "Chief Finance Officer.\n")
DESIGNATION_TABLE = ("Statutory officers\n\nThe Council has designated these posts:\n\n"
                     "Post Designation\nManaging Director Head of Paid Service\n"
                     "Assistant Director Legal Services Monitoring Officer\n")


@pytest.mark.parametrize("text", [DESIGNATION_SENTENCES, DESIGNATION_TABLE],
                         ids=["sentences", "flattened-table"])
def test_a_text_that_only_designates_statutory_officers_imports_them(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers, text: str) -> None:
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers, framework=None)
    held = {(str(graph.value(post, SKOS.prefLabel)), str(role).removeprefix(str(ROLE)))
            for post, role in graph.subject_objects(ORG.role)}
    expected = ({("Director of Resources", "chief-finance-officer")} if text is
                DESIGNATION_SENTENCES else
                {("Managing Director", "head-of-paid-service"),
                 ("Assistant Director Legal Services", "monitoring-officer")})
    assert expected <= held


def test_a_role_row_outside_a_designation_table_designates_no_one(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """The same line without the table's heading is a list of names, not a designation."""
    text = ("Contacts\n\nManaging Director Head of Paid Service\n\n"
            "The Monitoring Officer keeps the constitution under review.\n")
    with pytest.raises(NothingLinkedError, match="no post is said to hold a role"):
        _import(tmp_path, text, vocabulary, gazetteers, framework=None)


def test_a_numbered_requirements_table_is_read_row_by_row(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """One commitment per numbered row (its number links it), the evidence column split
    into its items, the further work kept with the row, the header printed again after a
    page break skipped, and what the passive says someone does to a listed document."""
    principle = str(vocabulary.value(F2007["1"], SKOS.prefLabel))
    first, second = (str(vocabulary.value(F2007[n], SKOS.prefLabel)) for n in ("1.1.1",
                                                                               "1.1.2"))
    header = "To deliver this principle we will:\tSource documents\tFurther work"
    text = (f"Core Principle 1 – {principle}\n\n{header}\n"
            f"1.1.1 {first}\tPay Policy approved by the Cabinet. Risk Register\t"
            "A review of the register is planned.\n"
            f"{header}\n1.1.2 {second}\tAnnual Report\t\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers, framework="2007")
    commitments = set(graph.subjects(RDF.type, GOVKG.Commitment))
    numbers = {str(i).removeprefix(str(F2007)) for c in commitments
               for i in graph.objects(c, GOVKG.addresses)}
    assert len(commitments) == 2 and numbers == {"1.1.1", "1.1.2"}
    evidence = {str(graph.value(e, RDFS.label)): e
                for e in graph.subjects(RDF.type, GOVKG.Evidence)}
    assert set(evidence) == {"Pay Policy approved by the Cabinet", "Risk Register",
                             "Annual Report"}
    assert len(set(graph.subjects(RDF.type, GOVKG.FurtherWork))) == 1
    cabinet = next(b for b in graph.subjects(RDF.type, GOVKG.Body)
                   if str(graph.value(b, SKOS.prefLabel)) == "Cabinet")
    assert (cabinet, GOVKG.approves, evidence["Pay Policy approved by the Cabinet"]) in graph


def _named(graph: Graph, cls: URIRef, name: str) -> URIRef:
    found = [n for n in graph.subjects(RDF.type, cls)
             if name in {str(graph.value(n, p)) for p in (RDFS.label, SKOS.prefLabel)}]
    assert len(found) == 1, (name, found)
    return found[0]


def test_a_numbered_row_states_who_does_what_in_its_listed_items(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """A dash inside a title is no bullet; a heading-less table after a row is the rest of
    that row; listed items say who does what in the active ("examines the work of"), in
    the passive with words between ("review of ... by") and of the items above them; a
    requirement making a senior officer responsible is met by the post its row says holds
    the role."""
    def label(notation: str) -> str:
        return str(vocabulary.value(F2007[notation], SKOS.prefLabel))

    header = "To deliver this principle we will:\tSource documents\tFurther work"
    text = (f"Core Principle 2 – {label('2')}\n\n{header}\n"
            f"2.2.4 {label('2.2.4')}\tThe Director of Finance and Property is the Chief "
            "Financial Officer (S151 Officer). Treasury Strategy - Annual Statement\t"
            "The Audit Committee regularly examines the work of the Riverside Regeneration "
            "Partnership.\n"
            "\n\tComplaints Procedure\tA yearly review of the treasury arrangements by the "
            "Audit Committee.\n\tOversight of the above takes place by the Audit Committee\t\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers, framework="2007")
    (commitment,) = graph.subjects(RDF.type, GOVKG.Commitment)
    cited = {str(graph.value(e, RDFS.label)) for e in graph.objects(commitment,
                                                                   GOVKG.citesEvidence)}
    assert {"Treasury Strategy - Annual Statement", "Complaints Procedure"} <= cited
    committee = _named(graph, GOVKG.Body, "Audit Committee")
    partnership = _named(graph, GOVKG.Body, "Riverside Regeneration Partnership")
    assert (committee, GOVKG.monitors, partnership) in graph
    assert (committee, GOVKG.monitors, F2007["2.2.4"]) in graph  # "review of ... by"
    for name in ("Treasury Strategy - Annual Statement", "Complaints Procedure"):
        assert (committee, GOVKG.monitors, _named(graph, GOVKG.Evidence, name)) in graph
    head = _named(graph, ORG.Post, "Director of Finance and Property")
    assert (head, ORG.role, ROLE["chief-finance-officer"]) in graph
    # what the requirement makes the officer responsible for: the topic its wording names
    assert set(graph.objects(head, GOVKG.responsibleFor)) == {TOPIC["financial-management"]}


def test_those_named_together_sign_the_document_named_before(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """Agents joined by "and" before the verb all do it; "it" is the document the
    sentence before names."""
    labels = _labels(vocabulary)
    text = ("The council publishes an Annual Governance Statement each year. The Leader of "
            "the Council and the Managing Director are signatories to it.\n\n"
            f"Principle A: {labels['A']}\n\n  • The council keeps a register.\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers)
    statement = _named(graph, GOVKG.Evidence, "Annual Governance Statement")
    signers = set(graph.subjects(GOVKG.signs, statement))
    assert ROLE["leader"] in signers and len(signers) == 2


def test_the_title_and_date_of_the_cover_describe_the_document(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    labels = _labels(vocabulary)
    text = f"March 2024\n\nPrinciple A: {labels['A']}\n\n  • The council keeps a register.\n"
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers)
    doc = next(graph.subjects(DCTERMS.title, None))
    assert str(graph.value(doc, DCTERMS.title)) == "Local Code of Corporate Governance"
    assert str(graph.value(doc, DCTERMS.date)) == "2024-03"


def test_a_principle_table_with_statements_run_together_is_cut_by_requirement(
        tmp_path: Path, vocabulary: Graph, gazetteers: Gazetteers) -> None:
    """A table headed by the principle: its first column names the supporting principles
    (addressed by the document), and a cell whose statements ran together with no
    punctuation is cut where each requirement's wording begins."""
    def label(notation: str) -> str:
        return str(vocabulary.value(F2007[notation], SKOS.prefLabel))

    requirements = ["1.1.1", "1.2.1", "1.3.1"]
    text = ("Principle One\tHow we achieve this\tPolicies/Plans\n"
            f"{label('1')}: {label('1.1')} {label('1.2')}\t"
            f"{' '.join(label(n) for n in requirements)}\tRisk Register\n")
    graph, _ = _import(tmp_path, text, vocabulary, gazetteers, framework="2007")
    commitments = list(graph.subjects(RDF.type, GOVKG.Commitment))
    numbers = [[str(i).removeprefix(str(F2007)) for i in graph.objects(c, GOVKG.addresses)]
               for c in commitments]
    read = sorted(sorted(n for n in found if re.fullmatch(r"\d\.\d+\.\d+", n))
                  for found in numbers)
    assert read == [[n] for n in requirements]
    doc = next(graph.subjects(RDF.type, GOVKG.LocalCode))
    addressed = {str(i).removeprefix(str(F2007)) for i in graph.objects(doc, GOVKG.addresses)}
    assert {"1", "1.1", "1.2"} <= addressed and "1.3" not in addressed
