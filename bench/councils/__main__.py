"""Council detection over the corpus: the register's one-pass token look-up against the
baseline of one regular expression per council name (how detect.py worked before the
register), measured in the same run.

    python -m bench.councils            # every document of ../shared/corpus and corpus/dev
    python -m bench.councils --repeat 5

Prints the seconds per pass over the corpus for each and the ratio baseline / register.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable

from govkg.graph.importers.councils import CouncilRegister
from govkg.graph.vocabulary import load_vocabulary
from tests.conftest import shared_dir


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
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
