"""Council and edition detection over the corpus: how often each is right, and how fast.

    python -m bench.councils            # every document of ../shared/corpus and corpus/dev
    python -m bench.councils --repeat 5
    python -m bench.councils --markdown # the per-document table for bench/README.md

Accuracy: each document's council and framework edition detected from its text alone
(``govkg.graph.importers.detect``), against the corpus manifests; a document that
tests/data/expected/council-detection.toml lists as never naming its council is right when
detection refuses or stays below the import threshold. Speed: the register's one-pass token
look-up against the baseline of one regular expression per council name (how detect.py
worked before the register), in the same run, as seconds per pass and their ratio.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from rdflib import Graph, URIRef

from govkg.graph.errors import InputError
from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.councils import CouncilRegister
from govkg.graph.importers.detect import (
    EDITIONS,
    MIN_CONFIDENCE,
    Detection,
    detect_council,
    detect_framework,
)
from govkg.graph.vocabulary import load_vocabulary
from tests.conftest import shared_dir
from tests.graph.importers.conftest import expected
from tests.graph.importers.manifests import DOCUMENTS, edition_of, manifest_council


def _baseline(register: CouncilRegister) -> Callable[[str], dict[str, int]]:
    """One compiled pattern per council name: the naive way, O(councils x text)."""
    patterns = [(c.iri, re.compile(rf"\b{re.escape(name)}\b", re.IGNORECASE))
                for c in register.councils.values() for name in {c.name, *c.labels}]

    def detect(text: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for iri, pattern in patterns:
            n = len(pattern.findall(text))
            if n:
                counts[str(iri)] = counts.get(str(iri), 0) + n
        return counts

    return detect


def _guess(run: Callable[[], Detection]) -> Detection | None:
    try:
        return run()
    except InputError:
        return None


def accuracy(vocabulary: Graph, markdown: bool) -> None:
    """One row per document: what its manifest says, what detection found, right or not."""
    register = CouncilRegister.from_vocabulary(vocabulary)
    unnamed = set(expected("council-detection")["unnamed"])
    rows, right = [], {"council": 0, "edition": 0}
    for path in sorted(DOCUMENTS, key=lambda p: Path(p).name):
        name = Path(path).name
        doc = SourceDocument.read(Path(path))
        want = manifest_council(register, DOCUMENTS[path]["council"])
        found = _guess(partial(detect_council, doc, vocabulary))
        sure = found is not None and found.confidence >= MIN_CONFIDENCE
        if name in unnamed:
            ok = not sure
            want_text = "(names none: no guess)"
        else:
            ok = sure and found is not None and str(found.iri) == want
            want_text = register.councils[URIRef(want)].name
        right["council"] += ok
        edition = edition_of(DOCUMENTS[path].get("framework", ""))
        framework = _guess(partial(detect_framework, doc))
        framework_sure = framework is not None and framework.confidence >= MIN_CONFIDENCE
        edition_ok = (not framework_sure if edition is None else
                      framework_sure and framework is not None
                      and framework.iri == EDITIONS[edition])
        right["edition"] += edition_ok
        rows.append((name, want_text, _shown(found), "yes" if ok else "NO",
                     edition or "none", _shown(framework), "yes" if edition_ok else "NO"))
    n = len(rows)
    if markdown:
        print("| document | council (manifest) | detected | right | edition | detected | "
              "right |\n|---|---|---|---|---|---|---|")
        for row in rows:
            print("| " + " | ".join(row) + " |")
    else:
        for row in rows:
            print("  ".join(row))
    print(f"council right {right['council']}/{n}, edition right {right['edition']}/{n}")


def _shown(found: Detection | None) -> str:
    if found is None:
        return "refused"
    value = found.value.removeprefix("CIPFA/SOLACE ")
    return f"{value} ({found.confidence:.2f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    accuracy(load_vocabulary(), args.markdown)
    corpus = shared_dir() / "corpus"
    texts = [p.read_text(encoding="utf-8")
             for p in sorted([*corpus.glob("*.txt"), *(corpus / "dev").glob("*.txt")])]
    start = time.perf_counter()
    register = CouncilRegister.from_vocabulary(load_vocabulary())
    build = time.perf_counter() - start
    naive = _baseline(register)
    results = {}
    for name, run in (("register", register.detect), ("baseline", naive)):
        best = float("inf")
        for _ in range(args.repeat):
            start = time.perf_counter()
            for text in texts:
                run(text)
            best = min(best, time.perf_counter() - start)
        results[name] = best
    chars = sum(map(len, texts))
    print(f"{len(texts)} documents, {chars:,} characters, {len(register.councils)} councils; "
          f"register built in {build:.3f} s")
    for name, seconds in results.items():
        print(f"{name:9} {seconds:.3f} s per pass (best of {args.repeat})")
    print(f"baseline / register = {results['baseline'] / results['register']:.1f}x")


if __name__ == "__main__":
    main()
