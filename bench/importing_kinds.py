"""Import benchmark of G3's kinds: annual governance statements, internal audit reports,
self-assessments and auditors' reports, measured against what a person reading each found.

For each such document of ``../shared/corpus/dev/`` (expectations in
``tests/data/expected/dev/``), of ``tests/data/documents/`` (expectations in
``tests/data/expected/extra/``; its Word and PDF files in ``tests/data/expected/tables/``)
and the two of ``../shared/corpus/`` (Stevenage's scored
schedule and Kent's review, their expectations converted from ``tests/data/expected/``,
measured on the facts those cover) it imports the document with nothing given, and when that
is refused, again with ``--council``, ``--kind`` and ``--framework`` from the expectation;
then compares the facts read with the facts expected, as multisets:

- statements and internal audit reports: the year, the opinion's level, each significant
  issue (by line), its title, owner, target date, status and whether it was carried over
  where the reader gave them, each signatory and the name printed above its post, the
  scope of responsibility (by line) and each post or body that took part in the review
  of effectiveness;
- self-assessments: each rated row (item, rating), its normalised score, its numeric score
  and its leads where the reader gave them, each action;
- auditors' reports: each finding (line, polarity, criterion), each recommendation (line,
  priority), its deadline and whom or what it concerns where the reader gave them (bodies
  by name, "post:<name>", "role:<slug>", "kind:<slug>"); the kind of body that issued the
  report, and the report's kind where the reader gave one.

Usage: ``python -m bench.importing_kinds [--markdown]``. Aim: recall 90% or more and
precision 95% or more; on the development corpus, where the captures hold few such facts,
anything found beyond the expectations is invented.
"""

from __future__ import annotations

import argparse
import time
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz
from rdflib import RDF, RDFS, SKOS, Graph, Literal, URIRef
from rdflib.namespace import ORG

from bench.importing import CORPUS, EXPECTED
from govkg.graph.errors import GovkgError
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import EVIDENCE_KIND, GOVKG, ROLE
from govkg.graph.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = ROOT / "tests" / "data" / "documents"
KINDS = {"annual-governance-statement": "annual-governance-statement",
         "internal-audit-report": "internal-audit-report",
         "self-assessment": "self-assessment", "external-review": "governance-review"}
Fact = tuple[str, ...]
#: the reviewer kinds of ontology/reference/auditors.ttl ("inspector" and "other" in an
#: expectation are not measured: the importer has no kind for them)
REVIEWER_KINDS = {"external-auditor", "audit-scotland", "audit-wales", "peer-review"}


def _first_word(text: str) -> str:
    return text.split()[0].lower().strip("(),") if text.strip() else ""


def expected_facts(exp: dict[str, Any]) -> Counter[Fact]:
    """The facts a reader wrote down, in the terms the graph is compared in."""
    facts: Counter[Fact] = Counter()
    ags = exp.get("ags")
    if ags:
        if ags.get("year"):
            facts["year", ags["year"]] += 1
        if ags.get("opinion_level"):
            facts["opinion", ags["opinion_level"]] += 1
        for post in ags.get("signatories", []):
            facts["signatory", post] += 1
        for post, name in zip(ags.get("signatories", []), ags.get("signatory_names", []),
                              strict=False):
            if name:
                facts["signatory-name", post, name] += 1
        if ags.get("scope_line"):
            facts["scope", str(ags["scope_line"])] += 1
        for who in ags.get("reviewed_by", []):
            facts["reviewed-by", who] += 1
        for issue in ags.get("issues", []):
            facts["issue", str(issue["line"])] += 1
            if issue.get("title"):
                facts["issue-title", str(issue["line"]), issue["title"]] += 1
            if issue.get("owner"):
                facts["issue-owner", str(issue["line"]), issue["owner"]] += 1
            if issue.get("target"):
                facts["issue-target", str(issue["line"]), issue["target"]] += 1
            if issue.get("carried_over"):
                facts["issue-carried", str(issue["line"])] += 1
            if issue.get("status"):
                facts["issue-status", str(issue["line"]), _first_word(issue["status"])] += 1
    assessment = exp.get("assessment")
    if assessment:
        for row in assessment.get("results", []):
            if row.get("rating"):
                facts["rating", row["item"], row["rating"]] += 1
            if "normalised" in row:
                facts["normalised", row["item"], f"{row['normalised']:.2f}"] += 1
            if "score" in row:
                facts["score", row["item"], str(row["score"])] += 1
            leads = row.get("lead") or []
            for lead in [leads] if isinstance(leads, str) else leads:
                facts["lead", row["item"], lead] += 1
        for action in assessment.get("actions", []):
            facts["action", action["item"]] += 1
    review = exp.get("review")
    if review:
        # a reviewer is a fact of the text only where a line names it (reviewer_line 0:
        # the excerpt does not say who issued the report, though the whole report does)
        if review.get("reviewer_kind") in REVIEWER_KINDS and review.get("reviewer_line", 1):
            facts["reviewer", review["reviewer_kind"]] += 1
        if review.get("report_kind"):
            facts["report-kind", review["report_kind"]] += 1
        for f in review.get("findings", []):
            facts["finding", str(f["line"]), f["polarity"], f.get("criterion", "")] += 1
        for r in review.get("recommendations", []):
            facts["recommendation", str(r["line"]), r.get("priority", "")] += 1
            if r.get("deadline"):
                facts["deadline", str(r["line"]), r["deadline"]] += 1
            concerns = r.get("concerns") or []
            for concern in [concerns] if isinstance(concerns, str) else concerns:
                facts["concerns", str(r["line"]), concern] += 1
    return facts


def _line(graph: Graph, node: URIRef) -> str:
    lines = [int(graph.value(s, GOVKG.startLine)) for s in graph.objects(node, GOVKG.source)]
    return str(min(lines)) if lines else "0"


def _local(node: object) -> str:
    return str(node).rstrip("/").rsplit("/", 1)[-1]


def _concern(graph: Graph, node: object) -> str:
    """What a recommendation concerns, as the expectations write it: a body by its name,
    "post:<name>", and a shared scheme's role or evidence kind as "role:<slug>" or
    "kind:<slug>"."""
    for prefix, namespace in (("role", ROLE), ("kind", EVIDENCE_KIND)):
        if str(node).startswith(str(namespace)):
            return f"{prefix}:{_local(node)}"
    label = str(graph.value(node, SKOS.prefLabel))  # type: ignore[arg-type]
    return f"post:{label}" if (node, RDF.type, ORG.Post) in graph else label


def found_facts(graph: Graph, vocabulary: Graph) -> Counter[Fact]:
    """The same facts, read from an imported document's graph."""
    facts: Counter[Fact] = Counter()
    for doc in set(graph.subjects(GOVKG.council, None)) & set(graph.subjects(GOVKG.sha256, None)):
        if (period := graph.value(doc, GOVKG.period)) is not None:
            facts["year", str(period)] += 1
        for post in graph.objects(doc, GOVKG.signatory):
            facts["signatory", str(graph.value(post, SKOS.prefLabel))] += 1
        for signature in graph.objects(doc, GOVKG.signature):
            if (name := graph.value(signature, GOVKG.signatoryName)) is not None:
                post = graph.value(signature, GOVKG.signingPost)
                facts["signatory-name", str(graph.value(post, SKOS.prefLabel)), str(name)] += 1
        for scope in graph.objects(doc, GOVKG.scopeOfResponsibility):
            facts["scope", _line(graph, scope)] += 1
        for review in graph.objects(doc, GOVKG.effectivenessReview):
            for who in graph.objects(review, GOVKG.reviewedBy):
                facts["reviewed-by", str(graph.value(who, SKOS.prefLabel))] += 1
        for kind in graph.objects(doc, GOVKG.issuedBy):
            facts["reviewer", _local(kind)] += 1
        for kind in graph.objects(doc, GOVKG.reportKind):
            facts["report-kind", _local(kind)] += 1
    for opinion in graph.subjects(RDF.type, GOVKG.InternalAuditOpinion):
        level = graph.value(opinion, GOVKG.assuranceLevel)
        facts["opinion", str(vocabulary.value(level, SKOS.prefLabel) or _local(level))] += 1
    for issue in graph.subjects(RDF.type, GOVKG.SignificantGovernanceIssue):
        line = _line(graph, issue)
        facts["issue", line] += 1
        if (title := graph.value(issue, RDFS.label)) is not None:
            facts["issue-title", line, str(title)] += 1
        for owner in graph.objects(issue, GOVKG.issueOwner):
            facts["issue-owner", line, str(graph.value(owner, SKOS.prefLabel))] += 1
        if (target := graph.value(issue, GOVKG.targetDate)) is not None:
            facts["issue-target", line, str(target)] += 1
        if graph.value(issue, GOVKG.carriedOver) == Literal(True):
            facts["issue-carried", line] += 1
        if (status := graph.value(issue, GOVKG.issueStatus)) is not None:
            facts["issue-status", line, _first_word(str(status))] += 1
    for result in graph.subjects(RDF.type, GOVKG.SelfAssessmentResult):
        for target in graph.objects(result, GOVKG.assesses):  # a row may assess several
            item = str(graph.value(target, SKOS.notation)
                       or vocabulary.value(target, SKOS.notation) or _local(target))
            if (rating := graph.value(result, GOVKG.ratingLabel)) is not None and str(rating):
                facts["rating", item, str(rating)] += 1
            if (share := graph.value(result, GOVKG.normalisedScore)) is not None:
                facts["normalised", item, f"{float(share):.2f}"] += 1
            score = graph.value(result, GOVKG.score)
            if score is not None and str(rating).replace(".", "", 1).isdigit():
                # a number the council scored (a label's rank on its scale is derived)
                facts["score", item, f"{score.toPython().normalize():f}"] += 1
            for lead in graph.objects(result, GOVKG.assessmentLead):
                facts["lead", item, str(graph.value(lead, SKOS.prefLabel))] += 1
            for _ in graph.objects(result, GOVKG.improvementAction):
                facts["action", item] += 1
    for finding in graph.subjects(RDF.type, GOVKG.Finding):
        criterion = graph.value(finding, GOVKG.criterion)
        facts["finding", _line(graph, finding), _local(graph.value(finding, GOVKG.polarity)),
              _local(criterion) if criterion is not None else ""] += 1
    for rec in graph.subjects(RDF.type, GOVKG.Recommendation):
        line = _line(graph, rec)
        facts["recommendation", line, _local(graph.value(rec, GOVKG.priority))] += 1
        if (deadline := graph.value(rec, GOVKG.responseDeadline)) is not None:
            facts["deadline", line, str(deadline)] += 1
        for concern in graph.objects(rec, GOVKG.concerns):
            facts["concerns", line, _concern(graph, concern)] += 1
    return facts


def _matched(expected: Counter[Fact], found: Counter[Fact]) -> int:
    """Facts found that a reader expected; titles match when they say nearly the same."""
    exact = sum((expected & found).values())
    titles_e = [f for f in expected if f[0] == "issue-title"]
    titles_f = [f for f in found if f[0] == "issue-title"]
    exact -= sum((Counter({f: expected[f] for f in titles_e})
                  & Counter({f: found[f] for f in titles_f})).values())
    pool = list(titles_f)
    for fact in titles_e:
        match = next((f for f in pool if f[1] == fact[1]
                      and fuzz.token_set_ratio(f[2], fact[2]) >= 80), None)
        if match is not None:
            pool.remove(match)
            exact += 1
    return exact


@dataclass
class Result:
    file: str
    corpus: str
    kind: str
    imported: bool = False
    options: str = ""
    reason: str = ""
    expected: int = 0
    found: int = 0
    matched: int = 0
    missed: list[Fact] = field(default_factory=list)
    invented: list[Fact] = field(default_factory=list)
    seconds: float = 0.0


def run_one(path: Path, exp: dict[str, Any], corpus: str, vocabulary: Graph,
            gazetteers: Gazetteers) -> Result:
    """Import ``path`` (with nothing given, then with the options) and compare its facts."""
    result = Result(path.name, corpus, exp["kind"])
    options: dict[str, str | None] = {"council": exp["council"], "kind": KINDS[exp["kind"]]}
    if exp.get("framework") in ("2007", "2016"):
        options["framework"] = exp["framework"]
    expected = expected_facts(exp)
    result.expected = sum(expected.values())
    started = time.perf_counter()
    # nothing, the council alone (a document that names none, of a kind it names), then
    # every option: the first that imports says which options the document needs
    for given in ({}, {"council": options["council"]}, options):
        try:
            graph, _ = import_document(path, vocabulary=vocabulary, gazetteers=gazetteers,
                                       **given)  # type: ignore[arg-type]
        except GovkgError as exc:
            result.reason = exc.message.splitlines()[0][:80]
            continue
        found = found_facts(graph, vocabulary)
        if "measured" in exp:  # a corpus document's expectation covers these facts only
            found = Counter({f: n for f, n in found.items() if f[0] in exp["measured"]})
        result.imported, result.reason = True, ""
        result.options = " ".join(f"--{k} {v}" for k, v in given.items() if v) or "(none)"
        result.found = sum(found.values())
        result.matched = _matched(expected, found)
        result.missed = sorted((expected - found).elements())
        result.invented = sorted((found - expected).elements())
        break
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def documents() -> list[tuple[Path, dict[str, Any], str]]:
    """Every dev-corpus document of G3's kinds and every extra document, with its
    expectation."""
    found = []
    for corpus, folder, expected in (("dev", CORPUS / "dev", EXPECTED / "dev"),
                                     ("extra", DOCUMENTS, EXPECTED / "extra"),
                                     ("tables", DOCUMENTS, EXPECTED / "tables")):
        for path in sorted(expected.glob("*.toml")):
            exp = tomllib.loads(path.read_text(encoding="utf-8"))
            if exp.get("kind") in KINDS and (folder / exp["file"]).is_file():
                found.append((folder / exp["file"], exp, corpus))
    return found


def stevenage(exp: dict[str, Any]) -> dict[str, Any]:
    """Stevenage's schedule (corpus 004) in the terms above, from its own expectation:
    each requirement a row assesses, with the row's score (1-10, so normalised
    (score - 1) / 9), the row's leads (each post by its name in the graph), and one action
    per plan and per action of the row."""
    spellings = {s: post for post, names in exp["post_spellings"].items() for s in names}
    low, high = exp["document"]["scale"]
    results, actions = [], []
    for row in exp["rows"]:
        for item in row["items"]:
            results.append({"item": item, "rating": str(row["score"]), "score": row["score"],
                            "normalised": (row["score"] - low) / (high - low),
                            "lead": [spellings.get(n, n) for n in row["leads"]]})
            actions += [{"item": item}] * (row["plans"] + row["actions"])
    return {"file": exp["document"]["file"], "kind": "self-assessment",
            "council": exp["document"]["council"], "framework": "2007",
            "measured": ["rating", "score", "normalised", "lead", "action"],
            "assessment": {"results": results, "actions": actions}}


def kent_review(exp: dict[str, Any]) -> dict[str, Any]:
    """Kent's review (corpus 003) in the terms above, from its own expectation: each
    recommendation (line, priority) and what it concerns."""
    return {"file": exp["document"]["file"], "kind": "external-review",
            "council": exp["document"]["council"],
            "measured": ["recommendation", "concerns"],
            "review": {"recommendations": exp["recommendation"]}}


def corpus_documents() -> list[tuple[Path, dict[str, Any], str]]:
    """The two documents of ``../shared/corpus/`` that are G3's kinds, each with its
    expectation (``tests/data/expected/``) in the benchmark's terms."""
    found = []
    for name, convert in (("stevenage-self-assessment-004", stevenage),
                          ("kent-review-003", kent_review)):
        exp = convert(tomllib.loads((EXPECTED / f"{name}.toml").read_text(encoding="utf-8")))
        found.append((CORPUS / exp["file"], exp, "corpus"))
    return found


def run_all(*, corpus: bool = False) -> list[Result]:
    """Every document of :func:`documents`, and with ``corpus`` the two of
    :func:`corpus_documents` too."""
    vocabulary = load_vocabulary()
    gazetteers = Gazetteers(vocabulary)
    chosen = documents() + (corpus_documents() if corpus else [])
    return [run_one(path, exp, kind, vocabulary, gazetteers) for path, exp, kind in chosen]


@dataclass(frozen=True)
class Totals:
    documents: int
    imported: int
    expected: int
    found: int
    matched: int

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.found if self.found else 1.0


def totals(results: list[Result]) -> Totals:
    return Totals(len(results), sum(r.imported for r in results),
                  sum(r.expected for r in results), sum(r.found for r in results),
                  sum(r.matched for r in results))


def render(results: list[Result], *, markdown: bool) -> str:
    header = ["document", "kind", "imported (options)", "found/expected", "matched",
              "missed", "invented", "s"]
    rows = [[r.file, r.kind, ("yes " + r.options) if r.imported else f"no: {r.reason}",
             f"{r.found}/{r.expected}", str(r.matched),
             "; ".join(map(" ".join, r.missed)) or "-",
             "; ".join(map(" ".join, r.invented)) or "-", f"{r.seconds:.2f}"]
            for r in results]
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    return "\n".join("  ".join(row) for row in [header, *rows])


def summary(label: str, t: Totals) -> str:
    return (f"{label}: {t.imported}/{t.documents} imported; facts {t.matched} matched of "
            f"{t.expected} expected and {t.found} found: recall {t.recall:.0%}, "
            f"precision {t.precision:.0%}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    results = run_all(corpus=True)
    print(render(results, markdown=args.markdown))
    print()
    for corpus in ("dev", "extra", "tables", "corpus"):
        print(summary(f"{corpus} documents", totals([r for r in results if r.corpus == corpus])))
    print(summary("all", totals(results)))
    print(f"total time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
