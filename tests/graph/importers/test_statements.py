"""The annual governance statement in full, and who issued an auditor's report: real
statements and reports (the development corpus and ``tests/data/documents/``) imported
through the pipeline, checked against what a person reading each wrote down
(``tests/data/expected/dev/`` and ``extra/``), never against the importer's own output."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest
from rdflib import RDF, RDFS, SKOS, XSD, Graph, URIRef

from bench.importing import CORPUS
from govkg.graph.importers.kinds.reading import cues
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import GOVKG, ID
from govkg.graph.vocabulary import load_reference

DATA = Path(__file__).resolve().parents[2] / "data"
KINDS = {"external-review": "governance-review"}


def _expected(where: str, stem: str) -> dict[str, Any]:
    return tomllib.loads((DATA / "expected" / where / f"{stem}.toml").read_text("utf-8"))


def _import(where: str, stem: str) -> tuple[Graph, dict[str, Any]]:
    exp = _expected(where, stem)
    folder = CORPUS / "dev" if where == "dev" else DATA / "documents"
    graph, _ = import_document(folder / exp["file"], council=exp["council"],
                               kind=KINDS.get(exp["kind"], exp["kind"]))
    return graph, exp


def _document(graph: Graph) -> URIRef:
    return next(d for d in graph.subjects(GOVKG.sha256, None) if isinstance(d, URIRef))


def _lines(graph: Graph, node: URIRef) -> set[int]:
    return {int(graph.value(span, GOVKG.startLine)) for span in graph.objects(node, GOVKG.source)}


STATEMENTS = [("dev", "12_blackpool_annual-governance-statement"),
              ("dev", "13_wealden_annual-governance-statement"),
              ("dev", "14_cornwall_annual-governance-statement"),
              ("dev", "15_north-lanarkshire_annual-governance-statement"),
              ("dev", "16_arun_annual-governance-statement"),
              ("extra", "lincoln_annual-governance-statement"),
              ("extra", "barnsley_annual-governance-statement"),
              ("extra", "surrey_annual-governance-statement"),
              ("extra", "horsham_annual-governance-statement")]
REPORTS = [("dev", "20_isle-of-wight_external-review"), ("dev", "21_sutton_external-review"),
           ("dev", "22_fife_external-review"), ("dev", "23_perth-and-kinross_external-review"),
           ("dev", "24_dorset_external-review"), ("extra", "halton_external-review"),
           ("extra", "herefordshire_external-review"), ("extra", "bridgend_external-review"),
           ("extra", "woking_external-review")]


def _ids(cases: list[tuple[str, str]]) -> list[Any]:
    return [pytest.param(where, stem, id=stem) for where, stem in cases]


@pytest.mark.parametrize("where,stem", _ids(STATEMENTS))
def test_the_scope_of_responsibility_is_the_line_the_reader_found(where: str, stem: str
                                                                  ) -> None:
    graph, exp = _import(where, stem)
    scopes = list(graph.objects(_document(graph), GOVKG.scopeOfResponsibility))
    expected = exp["ags"].get("scope_line", 0)
    assert [_lines(graph, s) for s in scopes] == ([{expected}] if expected else [])


@pytest.mark.parametrize("where,stem", _ids(STATEMENTS))
def test_the_review_of_effectiveness_names_who_took_part_as_posts_and_bodies(
        where: str, stem: str) -> None:
    """Each reviewer is the council's post or body (linked, not a string), cited on the
    line that names it; a duty to review ("the Regulations require ...") names nobody."""
    graph, exp = _import(where, stem)
    found = {}
    for review in graph.objects(_document(graph), GOVKG.effectivenessReview):
        assert graph.value(review, RDF.type) == GOVKG.EffectivenessReview
        for agent in graph.objects(review, GOVKG.reviewedBy):
            assert graph.value(agent, GOVKG.council) is not None
            assert {graph.value(agent, RDF.type)} <= {GOVKG.Body,
                                                       URIRef("http://www.w3.org/ns/org#Post")}
            found[str(graph.value(agent, SKOS.prefLabel))] = _lines(graph, agent)
    ags = exp["ags"]
    assert sorted(found) == sorted(ags.get("reviewed_by", []))
    for who, line in zip(ags.get("reviewed_by", []), ags.get("reviewed_by_lines", []),
                         strict=True):
        assert line in found[who]


def test_a_signature_keeps_the_post_and_the_name_printed_above_it() -> None:
    graph, exp = _import("dev", "13_wealden_annual-governance-statement")
    doc = _document(graph)
    signed = {str(graph.value(graph.value(s, GOVKG.signingPost), SKOS.prefLabel)):
              (str(graph.value(s, GOVKG.signatoryName)), _lines(graph, s))
              for s in graph.objects(doc, GOVKG.signature)}
    ags = exp["ags"]
    assert signed == {post: (name, {line}) for post, name, line in zip(
        ags["signatories"], ags["signatory_names"], ags["signatory_names_lines"], strict=True)}
    # the post stays the document's signatory too, for the queries that read that
    assert {str(graph.value(p, SKOS.prefLabel)) for p in graph.objects(doc, GOVKG.signatory)} \
        == set(ags["signatories"])


def test_a_statement_said_to_be_signed_has_those_signatures_and_no_others() -> None:
    """Surrey's resolution says the statement was signed by two posts; its "once signed
    by ..." sentences (what happens after signing) add none."""
    graph, exp = _import("extra", "surrey_annual-governance-statement")
    doc = _document(graph)
    signed = sorted((str(graph.value(graph.value(s, GOVKG.signingPost), SKOS.prefLabel)),
                     min(_lines(graph, s))) for s in graph.objects(doc, GOVKG.signature))
    ags = exp["ags"]
    assert signed == sorted(zip(ags["signatories"], ags["signatories_lines"], strict=True))


@pytest.mark.parametrize("where,stem", _ids(REPORTS))
def test_the_issuing_body_and_report_kind_are_the_readers(where: str, stem: str) -> None:
    graph, exp = _import(where, stem)
    doc = _document(graph)
    review = exp["review"]
    assert [str(k) for k in graph.objects(doc, GOVKG.issuedBy)] == \
        [str(ID[f"reviewer-kind/{review['reviewer_kind']}"])]
    kind = review.get("report_kind", "")
    assert [str(k) for k in graph.objects(doc, GOVKG.reportKind)] == \
        ([str(ID[f"report-kind/{kind}"])] if kind else [])


def test_a_public_interest_report_is_the_external_auditors_even_unnamed() -> None:
    """Only the appointed auditor makes a public interest report (LAAA 2014 sch.7 para 1):
    Woking's decision names the firm, not its role, and is still the auditor's, cited on
    the line naming the report."""
    graph, exp = _import("extra", "woking_external-review")
    doc = _document(graph)
    assert graph.value(doc, GOVKG.issuedBy) == ID["reviewer-kind/external-auditor"]
    assert exp["review"]["reviewer_line"] in _lines(graph, doc)


def test_every_kind_the_cues_name_is_in_the_reference_data() -> None:
    reference = load_reference()
    for table, cls in (("reviewer", GOVKG.ReviewerKind), ("report", GOVKG.ReportKind)):
        namespace = "reviewer-kind" if table == "reviewer" else "report-kind"
        for kind in cues()["auditors"][table]:
            concept = ID[f"{namespace}/{kind}"]
            assert (concept, RDF.type, cls) in reference, concept
            assert reference.value(concept, SKOS.prefLabel) is not None


# ---- the date signed, and the actions under each issue: invented statements (Testshire is
# a made-up council; no council's wording), written by the tests themselves

# long enough to be read as a governance document at all
HEAD = ("Testshire Borough Council\nAnnual Governance Statement 2024/25\n\n"
        "This statement explains how the council reviewed the way it is governed during the "
        "year, and what it intends to do about the matters that review brought to light.\n\n")
SIGNED = "\nSigned\n\nJo Bloggs\nLeader of the Council\n\nSam Smith\nChief Executive\n\n"


def _statement(tmp_path: Path, text: str) -> Graph:
    path = tmp_path / "testshire-ags.txt"
    path.write_text(HEAD + text, encoding="utf-8")
    graph, _ = import_document(path, council="Testshire Borough Council",
                               kind="annual-governance-statement")
    return graph


def _signed(graph: Graph) -> list[tuple[str, str, set[int]]]:
    """The date signed: its value, datatype and the lines it cites."""
    doc = _document(graph)
    return [(str(day), str(day.datatype), _lines(graph, doc))
            for day in graph.objects(doc, GOVKG.signedDate)]


@pytest.mark.parametrize("line", ["Date: 24 July 2025", "Dated 24th July, 2025",
                                  "Date ........ 24/07/2025"])
def test_a_date_line_under_the_signatures_is_the_date_signed(tmp_path: Path, line: str
                                                             ) -> None:
    graph = _statement(tmp_path, "Scope of responsibility.\n" + SIGNED + line + "\n")
    where = (HEAD + "Scope of responsibility.\n" + SIGNED).count("\n") + 1
    [(day, datatype, lines)] = _signed(graph)
    assert (day, datatype) == ("2025-07-24", str(XSD.date))
    assert where in lines


def test_a_signed_line_dates_the_statement_wherever_it_stands(tmp_path: Path) -> None:
    graph = _statement(tmp_path, "Signed ............ Date: 3 August 2025\n"
                       "Leader of the Council\n")
    assert [d[0] for d in _signed(graph)] == ["2025-08-03"]


def test_a_sentence_saying_when_it_was_signed_dates_it(tmp_path: Path) -> None:
    graph = _statement(tmp_path, "The committee approved the statement for signature at its "
                       "meeting on 17 September 2025.\n")
    [(day, _, lines)] = _signed(graph)
    assert day == "2025-09-17" and HEAD.count("\n") + 1 in lines


@pytest.mark.parametrize("text", [
    # a date far from any signature, and not said to be a signing date, is some other date
    "Date: 24 July 2025\n\n" + "Some text.\n" * 12 + SIGNED,
    # a statement yet to be signed has no date signed
    "The statement will be signed on 30 September 2025 by the Leader of the Council.\n",
    # no such day
    "Leader of the Council\nDate: 31/02/2025\n"])
def test_no_date_signed_where_none_is_stated(tmp_path: Path, text: str) -> None:
    assert _signed(_statement(tmp_path, text)) == []


def _actions(graph: Graph) -> dict[str, list[tuple[str, str, str, set[int]]]]:
    """Each issue's label, with its planned actions: label, lead post, target, lines."""
    found = {}
    for issue in graph.objects(_document(graph), GOVKG.significantIssue):
        actions = []
        for action in graph.objects(issue, GOVKG.plannedAction):
            assert graph.value(action, RDF.type) == GOVKG.ImprovementAction
            lead = graph.value(action, GOVKG.leadPost)
            actions.append((str(graph.value(action, RDFS.label)),
                            str(graph.value(lead, SKOS.prefLabel)) if lead else "",
                            str(graph.value(action, GOVKG.targetDate) or ""),
                            _lines(graph, action)))
        found[str(graph.value(issue, RDFS.label))] = sorted(actions)
    return found


def test_a_table_of_issues_gives_each_issue_its_action_owner_and_target(tmp_path: Path
                                                                        ) -> None:
    table = ("Significant governance issue\tProposed action\tLead officer\tTarget date\n"
             "Data protection\tRefresh the data protection training\tData Protection "
             "Officer\tMarch 2026\n"
             "Workforce planning\tAgree a workforce strategy\tHead of HR\tJune 2026\n")
    graph = _statement(tmp_path, "The issues and their actions are these.\n\n" + table)
    first = HEAD.count("\n") + 4
    assert _actions(graph) == {
        "Data protection": [("Refresh the data protection training", "Data Protection Officer",
                             "March 2026", {first})],
        "Workforce planning": [("Agree a workforce strategy", "Head of HR", "June 2026",
                                {first + 1})]}
    issue = next(graph.objects(_document(graph), GOVKG.significantIssue))
    assert graph.value(issue, GOVKG.issueOwner) is not None


def test_a_list_under_an_issue_gives_it_those_actions_and_no_more(tmp_path: Path) -> None:
    text = ("The 'Contract management' issue remains open; the Head of Commercial Services is "
            "the lead.\n"
            "Actions:\n"
            "- Publish a contracts register\n"
            "- Train budget holders, lead: Head of Finance\n"
            "The next section describes other matters.\n"
            "- A list that is not the issue's\n")
    graph = _statement(tmp_path, text)
    first = HEAD.count("\n") + 3
    assert _actions(graph) == {"Contract management": [
        ("Publish a contracts register", "", "", {first}),
        ("Train budget holders, lead: Head of Finance", "Head of Finance", "", {first + 1})]}


def test_a_statement_without_an_issue_table_or_list_has_no_actions(tmp_path: Path) -> None:
    graph = _statement(tmp_path, "Actions:\n- Something the council will do\n\n"
                       "Issue\tStatus\nAn issue with no actions column\tOpen\n")
    assert not list(graph.subjects(GOVKG.plannedAction, None))
