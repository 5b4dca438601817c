"""OCR reading benchmark (issue 14): what finding a scan's tables costs on top of OCR.

    python -m bench.ocr_reading [--runs 1]

Kent's tables of recommendations (``tests/data/documents/kent_review-recommendations.pdf``,
3 pages, four ruled tables, one row cut by a page break) are scanned at run time as the
tests scan it (every page a black-and-white image at 200 dpi, no text layer), then, in the
same run: read by govkg's PDF reader with ``ocr=True`` (pages rendered at 300 dpi, rules
found in the image and whitened, Tesseract's hOCR, tables found by pdfplumber's finder and
their cells filled, blocks laid out), and, as the baseline, each page rendered the same way
and given to Tesseract for hOCR alone. Median of ``--runs``: seconds a page of each and
their ratio; and how many tables and rows the reading found.
"""

from __future__ import annotations

import argparse
import io
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

import pypdfium2

from govkg.graph.documents import BlockKind, read_document
from scripts.make_format_fixtures import write_scanned_pdf

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "tests" / "data" / "documents" / "kent_review-recommendations.pdf"
_DPI = 300  # as graph/documents/pdf.py renders a page for OCR


def govkg_read(path: Path) -> tuple[float, int, int]:
    """Seconds to read the scan with OCR, and the tables and rows found."""
    start = time.perf_counter()
    doc = read_document(path, ocr=True)
    seconds = time.perf_counter() - start
    tables = [b for b in doc.blocks if b.kind is BlockKind.TABLE]
    return seconds, len(tables), sum(len(b.rows) for b in tables)


def tesseract_only(path: Path) -> float:
    """Seconds to render each page and read it into hOCR, and nothing more."""
    start = time.perf_counter()
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        for page in pdf:
            png = io.BytesIO()
            page.render(scale=_DPI / 72).to_pil().save(png, format="PNG")
            subprocess.run(["tesseract", "stdin", "stdout", "-l", "eng", "--psm", "3", "hocr"],
                           input=png.getvalue(), capture_output=True, timeout=300, check=True)
    finally:
        pdf.close()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        scan = Path(scratch) / "scan.pdf"
        write_scanned_pdf(SOURCE, scan, pages=99)
        pages = len(pypdfium2.PdfDocument(str(scan)))
        read = [govkg_read(scan) for _ in range(args.runs)]
        ours = statistics.median(seconds for seconds, _, _ in read)
        baseline = statistics.median(tesseract_only(scan) for _ in range(args.runs))
    _, tables, rows = read[0]
    print(f"OCR of a {pages}-page scan (median of {args.runs}):")
    print(f"  govkg --ocr (rules, tables, blocks)  {ours / pages:>6.2f} s/page "
          f"({tables} tables, {rows} rows)")
    print(f"  tesseract hOCR alone (baseline)      {baseline / pages:>6.2f} s/page")
    print(f"  ratio govkg / tesseract              {ours / baseline:>6.2f}x")


if __name__ == "__main__":
    main()
