"""What bounds a bulk load's memory (graph/store/embedded.py, rdffiles.py): the bulk
loader's memory grows with the bytes of one call, so the file's chunks reach it in
calls of about ``bulk_chunk * 256`` bytes of whole lines (and a line), and the derived
facts in calls of at most a quarter of that; the facts stay those one update derives."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from govkg.graph.build import build
from govkg.graph.store import EmbeddedStore
from govkg.graph.store.derived import is_derived
from govkg.graph.store.rdffiles import line_chunks, nquads_chunks

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from bench.synthetic import generate  # noqa: E402


class RecordingStore:
    """A real Oxigraph store that notes the size of each bulk_load call's input."""

    def __init__(self, real: ox.Store) -> None:
        self.real = real
        self.loaded: list[int] = []

    def bulk_load(self, data: bytes, **options: Any) -> None:
        self.loaded.append(len(data))
        self.real.bulk_load(data, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def derived_quads(store: EmbeddedStore) -> set[str]:
    return {str(q) for q in store._db.quads_for_pattern(None, None, None, None)
            if isinstance(q.graph_name, ox.NamedNode) and is_derived(q.graph_name.value)}


def test_line_chunks_are_whole_lines_within_the_size() -> None:
    text = b"".join(b"<s> <p> \"%d\" <g> .\n" % (10 ** n) for n in range(12))
    for size in (1, 20, 25, 64, 100, len(text)):
        pieces = list(line_chunks(text, size))
        assert b"".join(pieces) == text
        assert all(p.endswith(b"\n") for p in pieces)
        longest = max(len(line) + 1 for line in text.split(b"\n")[:-1])
        assert all(len(p) <= max(size, longest) for p in pieces)
    assert next(line_chunks(text, len(text))) is text  # short enough: no copy
    assert list(line_chunks(b"", 10)) == []


def test_no_loader_call_is_larger_than_a_chunk_and_the_facts_stay_the_same(
        tmp_path: Path) -> None:
    out = io.StringIO()
    generate(4, out)
    data = tmp_path / "corpus.nq"
    data.write_text(out.getvalue(), encoding="utf-8")
    longest = max(len(line) + 1 for line in data.read_bytes().split(b"\n"))
    with EmbeddedStore(tmp_path / "one", bulk_threshold=10_000_000) as store:
        build(store, files=[])
        store.load_file(data)
        facts = derived_quads(store)
    with EmbeddedStore(tmp_path / "bulk", bulk_threshold=100) as store:
        store.bulk_chunk = 300  # calls of about 77 KB: the file and its facts take several
        build(store, files=[])
        recording = RecordingStore(store._db)
        store._ox = recording  # type: ignore[assignment]
        store.load_file(data)
        store._ox = recording.real
        assert derived_quads(store) == facts
    limit = 300 * 256
    chunks = len(list(nquads_chunks(data, limit)))
    data_calls, fact_calls = recording.loaded[:chunks], recording.loaded[chunks:]
    assert max(data_calls) <= limit + longest
    assert len(fact_calls) >= 3  # the facts of four councils take several calls
    assert max(fact_calls) <= limit // 4 + longest
