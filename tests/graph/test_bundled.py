"""The imported corpus ships in the wheel; it must equal a fresh import, graph by graph.

Regenerate it with the command in the README (govkg import ... -o graph/data/corpus.trig).
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Dataset
from rdflib.compare import isomorphic, to_isomorphic

from govkg.graph.build import bundled_corpus
from govkg.graph.importers.pipeline import import_documents


def test_bundled_corpus_equals_a_fresh_import(corpus_dir: Path) -> None:
    assert bundled_corpus().is_file(), "graph/data/corpus.trig is missing: regenerate it"
    bundled = Dataset().parse(bundled_corpus(), format="trig")
    fresh, reports = import_documents(sorted(corpus_dir.glob("*.txt")))
    assert len(reports) == 5
    names = {str(g.identifier) for g in fresh.graphs() if len(g)}
    assert names == {str(g.identifier) for g in bundled.graphs() if len(g)}
    for name in sorted(names):
        old, new = bundled.graph(name), fresh.graph(name)
        if not isomorphic(old, new):
            missing = to_isomorphic(new) - to_isomorphic(old)
            extra = to_isomorphic(old) - to_isomorphic(new)
            raise AssertionError(f"{name}: {len(missing)} triples missing from the bundle, "
                                 f"{len(extra)} stale; regenerate graph/data/corpus.trig")
