"""Document-reading benchmark (issue 14): PDF pages a second, and a 60-page code imported.

    python -m bench.reading [--font-size 16] [--runs 3] [--json bench/reading.json]

In one run, on the same machine:

1. **PDF reading.** The 25-page Leicestershire fixture (tests/data/formats, a LibreOffice
   export of a Word file with tables over page breaks, running headers and footers) is
   read by govkg's PDF reader (words, lines and tables with positions, furniture set aside,
   tables joined) and, as the baseline, by pypdf's plain ``extract_text`` of every page.
   Median of ``--runs``; pages a second and the ratio govkg / pypdf.
2. **Whole import.** Colchester's code made into a PDF of about 60 pages (the same way
   as the fixtures, with the body text at ``--font-size`` points; needs LibreOffice)
   is imported by ``python -m govkg.graph import FILE -o OUT.trig`` in a fresh process:
   wall time and that process's peak memory (``ru_maxrss`` of the child). The aims: 30 s
   or less, under 500 MB. (Repeating the fixture's pages would not do: a code that
   states its principles twice is no code.)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader

from govkg.graph.documents import read_document
from govkg.graph.documents.text import parse_text

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "data" / "formats" / "leicestershire-code.pdf"


def govkg_read(path: Path) -> float:
    start = time.perf_counter()
    read_document(path)
    return time.perf_counter() - start


def pypdf_read(path: Path) -> float:
    start = time.perf_counter()
    for page in PdfReader(path).pages:
        page.extract_text()
    return time.perf_counter() - start


def long_code(corpus: Path, out: Path, font_size: float) -> Path:
    """Colchester's code (corpus file 002: numbered aims and requirements in tables) as a
    long PDF, made as the fixtures are (python-docx, then LibreOffice) with the body text
    at ``font_size`` points."""
    spec = importlib.util.spec_from_file_location(
        "make_format_fixtures", REPO / "scripts" / "make_format_fixtures.py")
    assert spec is not None and spec.loader is not None
    fixtures = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = fixtures  # its dataclasses look their module up
    spec.loader.exec_module(fixtures)
    fixture = fixtures.SPLIT_TABLE  # the whole document, not only the fixture's lines
    text = (corpus / fixture.corpus_file).read_text(encoding="utf-8")
    word = out / "long-code.docx"
    fixtures.write_docx(parse_text(text, source=fixture.corpus_file), fixture.council, word,
                        font_size)
    return Path(fixtures.convert_to_pdf(word, out))


def whole_import(path: Path, out: Path) -> tuple[float, float]:
    """Seconds and peak MB of ``govkg import`` of ``path`` in a fresh process."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "govkg.graph", "import", str(path), "-o",
                           str(out)], capture_output=True, text=True, timeout=900, check=False)
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"import failed:\n{done.stdout}\n{done.stderr}")
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return seconds, peak_kb / 1024


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--font-size", type=float, default=16.0)
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", type=Path, default=REPO / "bench" / "reading.json")
    args = parser.parse_args(argv)
    pages = len(PdfReader(FIXTURE).pages)
    ours = statistics.median(govkg_read(FIXTURE) for _ in range(args.runs))
    baseline = statistics.median(pypdf_read(FIXTURE) for _ in range(args.runs))
    with tempfile.TemporaryDirectory() as scratch:
        code = long_code(args.corpus, Path(scratch), args.font_size)
        code_pages = len(PdfReader(code).pages)
        seconds, peak_mb = whole_import(code, Path(scratch) / "code.trig")
    results = {
        "fixture_pages": pages,
        "govkg_pages_per_second": round(pages / ours, 2),
        "pypdf_pages_per_second": round(pages / baseline, 2),
        "ratio_govkg_to_pypdf": round(baseline / ours, 3),
        "import_pages": code_pages,
        "import_seconds": round(seconds, 1),
        "import_peak_mb": round(peak_mb, 1),
        "runs": args.runs,
    }
    print(f"PDF reading, {pages} pages (median of {args.runs}):")
    print(f"  govkg (pdfplumber, structure)  {results['govkg_pages_per_second']:>8} pages/s")
    print(f"  pypdf extract_text (baseline)  {results['pypdf_pages_per_second']:>8} pages/s")
    print(f"  ratio govkg / pypdf            {results['ratio_govkg_to_pypdf']:>8}x")
    print(f"Whole import of a {code_pages}-page PDF code: {seconds:.1f} s (aim <= 30 s), "
          f"peak {peak_mb:.0f} MB (aim < 500 MB)")
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
