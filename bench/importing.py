"""Import benchmark: every corpus document through ``govkg import``, measured against what
a person reading it found.

For each document in ``../shared/corpus/`` and ``../shared/corpus/dev/`` it imports the
document first with nothing given (detection only), and when that is refused, again with
``--council``, ``--kind`` and ``--framework`` from the document's expectations (or the
corpus manifest); every document is read by the one pipeline or G3's kinds (no layout is
written for a single document). It prints, per document and in total: imported
or not (and with which options), the framework items linked against the items the document
addresses (``tests/data/expected/dev/*.toml``, ``[items].addressed``; for the five corpus
documents, their expectation files), recall and precision, statutory designations found
and invented, and the time taken.

Usage: ``python -m bench.importing [--markdown] [--corpus DIR]``.
The totals over the development corpus's local codes are the issue's aims: recall 90% or
more, precision 95% or more, no invented designation (``tests/graph/importers/
test_dev_corpus.py`` asserts them from the same functions).
"""

from __future__ import annotations

import argparse
import re
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz
from rdflib import SKOS, Graph
from rdflib.namespace import ORG

from govkg.graph.errors import GovkgError
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.pipeline import import_document
from govkg.graph.namespaces import FRAMEWORK, GOVKG, ROLE
from govkg.graph.vocabulary import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
EXPECTED = ROOT / "tests" / "data" / "expected"
CORPUS = ROOT.parent.parent / "shared" / "corpus"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus")
STATUTORY = {"head-of-paid-service", "monitoring-officer", "chief-finance-officer"}

#: the five corpus documents' expectation files, and how each states the items addressed
CORPUS_EXPECTED = {
    "000_ca4996a9720cfea0": "kent-code-000",
    "001_8248a4b135ee80e6": "leicestershire-code-001",
    "002_4f0066847b539ee0": "colchester-code-002",
    "003_952b029969f02f1c": "kent-review-003",
    "004_be3172b2ed2f7dbd": "stevenage-self-assessment-004",
}


@dataclass
class Expectation:
    """What reading the document found, in the terms the benchmark compares."""

    council: str
    kind: str
    framework: str  # "2007" | "2016" | "own" | "none"
    importable: bool
    items: set[str] | None  # notations; None when the document is not measured for items
    designations: set[tuple[str, str]] = field(default_factory=set)  # (post, role slug)
    own_principles: set[str] = field(default_factory=set)


@dataclass
class Result:
    file: str
    expectation: Expectation | None
    imported: bool = False
    options: str = ""
    reason: str = ""
    linked: set[str] = field(default_factory=set)
    designations: set[tuple[str, str]] = field(default_factory=set)
    seconds: float = 0.0
    pipeline: str = ""
    own_principles: set[str] = field(default_factory=set)

    @property
    def own_found(self) -> int:
        expected = self.expectation.own_principles if self.expectation else set()
        return sum(1 for p in self.own_principles if _stem_in(p, expected))

    @property
    def true_positives(self) -> int:
        items = self.expectation.items if self.expectation else None
        return len(self.linked & items) if items is not None else 0

    @property
    def designations_found(self) -> int:
        return sum(1 for d in self.designations if _designation_in(d, self._expected_d))

    @property
    def designations_invented(self) -> int:
        return sum(1 for d in self.designations if not _designation_in(d, self._expected_d))

    @property
    def _expected_d(self) -> set[tuple[str, str]]:
        return self.expectation.designations if self.expectation else set()


def _designation_in(found: tuple[str, str], expected: set[tuple[str, str]]) -> bool:
    return any(role == found[1] and fuzz.token_set_ratio(post.lower(), found[0].lower()) >= 90
               for post, role in expected)


def _all_notations(vocabulary: Graph, edition: str) -> set[str]:
    scheme = FRAMEWORK[f"cipfa-solace-{edition}"]
    return {str(vocabulary.value(i, SKOS.notation))
            for i in vocabulary.subjects(SKOS.inScheme, scheme)
            if vocabulary.value(i, SKOS.notation) is not None}


def _edition(text: str, find: Any) -> str:
    """"2007" or "2016" where ``text`` names the edition, else "none"."""
    found = find(r"(2007|2016)", text)
    return str(found.group(1)) if found else "none"


def corpus_expectation(stem: str, vocabulary: Graph) -> Expectation | None:
    """The items and designations of a corpus document, from its expectation file."""
    name = CORPUS_EXPECTED.get(stem)
    if name is None or not (EXPECTED / f"{name}.toml").is_file():
        return None
    data = tomllib.loads((EXPECTED / f"{name}.toml").read_text(encoding="utf-8"))
    doc = data.get("document", {})
    kind = doc.get("kind", "")
    edition = _edition(doc.get("framework", ""), re.search)
    items: set[str] | None = None
    if kind == "local-code" and edition in ("2007", "2016"):
        every = _all_notations(vocabulary, edition)
        counts = data.get("counts", {})
        if "requirements_not_addressed" in counts:  # 2007 codes: every item but these
            items = every - set(counts["requirements_not_addressed"])
        else:  # 2016: the principles and the sub-principles its rows state
            rows = data.get("rows", [])
            items = set(data.get("principles", {})) | {
                i for row in (rows if isinstance(rows, list) else []) for i in row["items"]}
    designations = set()
    posts = data.get("posts", {})
    entries = posts.items() if isinstance(posts, dict) else [
        (p["name"], p) for p in posts]
    for post, entry in entries:
        designations |= {(post, r) for r in entry.get("roles", []) if r in STATUTORY}
    return Expectation(doc.get("council", ""), kind, edition, True, items, designations)


def dev_expectation(path: Path, manifest: dict[str, Any]) -> Expectation | None:
    """The development corpus's expectations (tests/data/expected/dev), or else only the
    manifest's options (nothing measured)."""
    file = EXPECTED / "dev" / f"{path.stem}.toml"
    if file.is_file():
        data = tomllib.loads(file.read_text(encoding="utf-8"))
        items = set(data.get("items", {}).get("addressed", []))
        designations = {(d["post"], d["role"]) for d in data.get("designations", [])}
        own = {p["label"] for p in data.get("own_principles", [])}
        measured = data.get("kind") == "local-code" or (data.get("kind") == "other"
                                                         and bool(items))
        return Expectation(data.get("council", ""), data.get("kind", ""),
                           str(data.get("framework", "none")), bool(data.get("importable")),
                           items if measured else None, designations, own)
    entry = manifest.get(path.name)
    if entry is None:
        return None
    edition = _edition(str(entry.get("framework", "")), re.match)
    return Expectation(entry["council"], entry["kind"], edition, entry["kind"] == "local-code",
                       None)


def _linked(graph: Graph, vocabulary: Graph) -> set[str]:
    """The framework items the document addresses (``govkg:addresses``, from the document
    or any statement in it). A council's own principles mapped to framework items
    (``skos:relatedMatch``) are a scored judgement, not a fact of the text: they are
    counted apart (rule O1 of tests/data/expected/dev/README.md)."""
    found = set()
    for item in set(graph.objects(None, GOVKG.addresses)):
        notation = vocabulary.value(item, SKOS.notation)
        if notation is not None and str(item).startswith(str(FRAMEWORK)):
            found.add(str(notation))
    return found


def _own_principles(graph: Graph) -> set[str]:
    return {str(graph.value(c, SKOS.prefLabel)) for c in graph.subjects(SKOS.inScheme, None)
            if "/principle/" in str(c)}


def _stem_in(label: str, labels: set[str]) -> bool:
    stem = label.lower()[:4]
    return any(other.lower()[:4] == stem for other in labels)


def _designations(graph: Graph) -> set[tuple[str, str]]:
    found = set()
    for post, role in graph.subject_objects(ORG.role):
        slug = str(role).removeprefix(str(ROLE))
        if slug in STATUTORY:
            name = graph.value(post, SKOS.prefLabel)
            # a post whose title is the role's own name states nothing about who holds it
            if name is not None and slug.replace("-", " ") not in str(name).lower():
                found.add((str(name), slug))
    return found


# How each kind of the development corpus is read. "other" documents (councils' pages
# summarising their codes, constitution extracts) are read as local codes: what the one
# pipeline can take from them is what a code states.
_KINDS = {"local-code": "local-code", "self-assessment": "self-assessment",
          "external-review": "governance-review", "governance-review": "governance-review",
          "other": "local-code"}


def run_one(path: Path, expectation: Expectation | None, vocabulary: Graph,
            gazetteers: Gazetteers, layout: str | None = None) -> Result:
    """Import ``path`` (with nothing given, then with the options) and measure it."""
    result = Result(path.name, expectation, pipeline=layout or "")
    attempts: list[dict[str, str | None]] = [{}]
    if expectation is not None:
        options: dict[str, str | None] = {"council": expectation.council or None,
                                          "kind": _KINDS.get(expectation.kind)}
        if expectation.framework in ("2007", "2016"):
            options["framework"] = expectation.framework
        if options["kind"] is not None:
            # the kind alone, the council alone (a document that names none, of a kind
            # detected), both, then every option: the first that imports says which
            # options a document needs
            attempts += [{"kind": options["kind"]}, {"council": options["council"]},
                         {"council": options["council"], "kind": options["kind"]}, options]
    started = time.perf_counter()
    for given in attempts:
        try:
            graph, report = import_document(path, vocabulary=vocabulary, gazetteers=gazetteers,
                                            layout=layout, **given)
        except GovkgError as exc:
            result.reason = exc.message.splitlines()[0][:90]
            continue
        result.imported = True
        result.options = " ".join(f"--{k} {v!s}" for k, v in given.items() if v) or "(none)"
        result.pipeline = report.layout
        result.linked = _linked(graph, vocabulary)
        result.designations = _designations(graph)
        result.own_principles = _own_principles(graph)
        result.reason = ""
        break
    result.seconds = round(time.perf_counter() - started, 2)
    return result


def run_all(corpus: Path = CORPUS, *, dev_only: bool = False) -> list[Result]:
    """Every corpus document, then every development-corpus document."""
    vocabulary = load_vocabulary()
    gazetteers = Gazetteers(vocabulary)
    results = []
    if not dev_only:
        for path in sorted(corpus.glob("*.txt")):
            expectation = corpus_expectation(path.stem, vocabulary)
            results.append(run_one(path, expectation, vocabulary, gazetteers))
    manifest_file = corpus / "dev" / "manifest.yaml"
    manifest = ({e["file"]: e for e in yaml.safe_load(manifest_file.read_text())["documents"]}
                if manifest_file.is_file() else {})
    for path in sorted((corpus / "dev").glob("*.txt")):
        results.append(run_one(path, dev_expectation(path, manifest), vocabulary, gazetteers))
    return results


@dataclass(frozen=True)
class Totals:
    documents: int
    local_codes: int
    imported_codes: int
    importable_codes: int
    expected: int
    linked: int
    true_positives: int
    designations_found: int
    designations_expected: int
    designations_invented: int

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.true_positives / self.linked if self.linked else 1.0


def totals(results: list[Result]) -> Totals:
    """Item links summed over the measured documents (micro-averaged)."""
    measured = [r for r in results if r.expectation and r.expectation.items is not None]
    codes = [r for r in results if r.expectation and r.expectation.kind == "local-code"]
    return Totals(
        documents=len(results),
        local_codes=len(codes),
        imported_codes=sum(r.imported for r in codes),
        importable_codes=sum(bool(r.expectation and r.expectation.importable) for r in codes),
        expected=sum(len(r.expectation.items or ()) for r in measured if r.expectation),
        linked=sum(len(r.linked) for r in measured),
        true_positives=sum(r.true_positives for r in measured),
        designations_found=sum(r.designations_found for r in results),
        designations_expected=sum(len(r.expectation.designations) for r in results
                                  if r.expectation),
        designations_invented=sum(r.designations_invented for r in results),
    )


def _row(r: Result) -> list[str]:
    items = r.expectation.items if r.expectation else None
    if items is not None:
        tp = r.true_positives
        recall = f"{tp / len(items):.0%}" if items else "-"
        precision = f"{tp / len(r.linked):.0%}" if r.linked else "-"
        measure = [f"{len(r.linked)}/{len(items)}", recall, precision]
    else:
        measure = [f"{len(r.linked)}/-", "-", "-"]
    state = ("yes " + r.options) if r.imported else f"no: {r.reason}"
    return [r.file, r.expectation.kind if r.expectation else "?", state, r.pipeline, *measure,
            f"{r.designations_found}/{len(r._expected_d)}", str(r.designations_invented),
            f"{r.own_found}/{len(r.expectation.own_principles) if r.expectation else 0}"
            f" ({len(r.own_principles)} read)", f"{r.seconds:.2f}"]


HEADER = ["document", "kind", "imported (options)", "layout", "linked/expected", "recall",
          "precision", "designations found/expected", "invented",
          "own principles found/expected", "seconds"]


def render(results: list[Result], *, markdown: bool) -> str:
    rows = [_row(r) for r in results]
    lines = []
    if markdown:
        lines.append("| " + " | ".join(HEADER) + " |")
        lines.append("|" + "---|" * len(HEADER))
        lines += ["| " + " | ".join(c.replace("|", "/") for c in row) + " |" for row in rows]
    else:
        lines += ["\t".join(row) for row in [HEADER, *rows]]
    return "\n".join(lines)


def summary(label: str, t: Totals) -> str:
    return (f"{label}: {t.documents} documents; local codes imported {t.imported_codes}/"
            f"{t.local_codes} ({t.importable_codes} importable by reading); item links "
            f"{t.true_positives} right of {t.linked} made, {t.expected} expected: recall "
            f"{t.recall:.1%}, precision {t.precision:.1%}; statutory designations found "
            f"{t.designations_found}/{t.designations_expected}, invented "
            f"{t.designations_invented}")


def synthetic_code(size: int, vocabulary: Graph) -> str:
    """A local code of about ``size`` characters built from the 2016 framework's own
    labels (no council's prose): per principle a heading, then per sub-principle a
    heading and bullets of commitments, repeated until the size is reached."""
    scheme = FRAMEWORK["cipfa-solace-2016"]
    tops = sorted(vocabulary.objects(scheme, SKOS.hasTopConcept), key=str)
    parts = ["Local Code of Corporate Governance", "",
             "This code follows the CIPFA/SOLACE framework (2016) and its seven principles.", ""]
    round_ = 0
    while sum(len(p) + 1 for p in parts) < size:
        round_ += 1
        for top in tops:
            notation = str(vocabulary.value(top, SKOS.notation))
            parts += [f"Principle {notation}: {vocabulary.value(top, SKOS.prefLabel)}", ""]
            for sub in sorted(vocabulary.subjects(SKOS.broader, top), key=str):
                parts += [str(vocabulary.value(sub, SKOS.prefLabel)), ""]
                parts += [f"  • The council keeps a register of decisions ({round_}).",
                          f"  • The Audit Committee reviews the arrangements yearly ({round_}).",
                          f"  • We publish the policy on this on our website ({round_}).", ""]
    return "\n".join(parts) + "\n"


def scaling(sizes: tuple[int, ...] = (100_000, 1_000_000)) -> list[tuple[int, float, int, float]]:
    """Import time of synthetic codes of each size: (characters, seconds, commitments,
    CPU seconds). The CPU time is the process's own, so it stays comparable when other
    work shares the machine's cores and stretches the wall time."""
    import tempfile

    vocabulary = load_vocabulary()
    gazetteers = Gazetteers(vocabulary)
    found = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            path = Path(tmp) / f"code-{size}.txt"
            path.write_text(synthetic_code(size, vocabulary), encoding="utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            _, report = import_document(path, vocabulary=vocabulary, gazetteers=gazetteers,
                                        council="Anytown Borough Council", kind="local-code",
                                        framework="2016")
            found.append((path.stat().st_size, time.perf_counter() - started,
                          report.counts.get("govkg:Commitment", 0),
                          time.process_time() - cpu))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--scaling", action="store_true",
                        help="also time synthetic codes of 100 KB and 1 MB (linear time)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.scaling:
        figures = scaling()
        base_size, base_time, _, _ = figures[0]
        for size, seconds, commitments, cpu in figures:
            print(f"synthetic code {size / 1e6:.2f} MB: {seconds:.1f} s ({cpu:.1f} s CPU), "
                  f"{commitments} commitments; {size / base_size:.1f}x the size in "
                  f"{seconds / base_time:.1f}x the time")
    results = run_all(args.corpus)
    print(render(results, markdown=args.markdown))
    print()
    dev = [r for r in results if r.file[:2].isdigit() and r.file[2] == "_"]
    print(summary("development corpus", totals(dev)))
    print(summary("all documents", totals(results)))
    print(f"total time {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
