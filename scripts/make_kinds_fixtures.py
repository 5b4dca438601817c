"""Make Word and PDF fixtures of G3's kinds whose ratings and recommendations are real tables.

    python scripts/make_kinds_fixtures.py [--corpus ../shared/corpus] [--out tests/data/documents]

The corpus keeps these documents as extracted text, their tables flattened; councils
publish them as Word files and PDFs with real tables. This rebuilds the tables from the
text and writes each as Word (python-docx) and as LibreOffice's PDF of that Word file, with
the helpers of ``make_format_fixtures.py`` (header rows repeated on each page, the council
as running header, "Page N of M" as footer):

* ``north-hertfordshire_self-assessment.{docx,pdf}`` from ``dev/19_north-hertfordshire_
  self-assessment.txt``: the self-assessment's title lines, then its table (framework item,
  SCORE, Action). In the capture the score "Substantial" was pulled into the behaviour's
  text by the PDF's columns; here it stands in the SCORE cell of the behaviour's row, and
  the sub-principle's row "A 1) ..." above it has no score. The capture is cut inside the
  council's evidence; the table stops at the last whole sentence before the cut.
* ``kent_review-recommendations.{docx,pdf}`` from section 4 of ``003_952b029969f02f1c.txt``
  (lines 279-322): the headings and the four tables "Recommendations: Key | Impact", each
  holding its "Recommendations: Improvement" rows after a group row, as the text has them.

Both quote the corpus texts as data (tests/data/README.md says so). Run again only to change
them; it needs LibreOffice (Debian's ``libreoffice-writer``).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_format_fixtures import REPO, convert_to_pdf, write_docx  # noqa: E402

from govkg.graph.documents.model import Document, TextWriter  # noqa: E402
from govkg.graph.documents.text import parse_text  # noqa: E402

KENT_REVIEW = "003_952b029969f02f1c.txt"
KENT_LINES = (279, 322)
NORTH_HERTS = "dev/19_north-hertfordshire_self-assessment.txt"


def _raw(text: str, start: str, end: str | None) -> str:
    """The text from ``start`` up to ``end`` (both structural labels of the document)."""
    first = text.index(start)
    return text[first:text.index(end, first + len(start)) if end else len(text)].strip()


def _between(text: str, start: str, end: str | None) -> str:
    return " ".join(_raw(text, start, end).split())


def _listed(text: str) -> str:
    """A cell whose list lost its bullets in the capture (a double space where each
    stood): one item a line, as the Word cell has them."""
    return "\n".join(item.strip() for item in re.split(r"\s{2,}", text) if item.strip())


def north_herts(corpus: Path) -> Document:
    """The self-assessment with its table rebuilt from the run-on capture (line 5)."""
    line = (corpus / NORTH_HERTS).read_text(encoding="utf-8").split("\n")[4]
    text = re.sub(r"</?p>", "\n", line)
    title = text[: text.index("Scoring based on")].strip()
    scale = _between(text, "Scoring based on", "Principles in bold")
    note = _between(text, "Principles in bold", "SCORE Action")
    behaviour = _between(text, "i) Ensuring", "This according")
    score = "Substantial"
    behaviour = behaviour.replace(f" {score} ", " ")
    examples = _listed(_raw(text, "This according", "A1i)"))
    evidence = _raw(text, "A1i)", None)
    evidence = _listed(evidence[: evidence.rindex(".") + 1])  # the capture's cut
    w = TextWriter()
    for part in re.split(r"\s+(?=CIPFA / Solace|10 May)", title):
        w.heading(part.strip(), level=1)
    w.paragraph(scale)
    w.table([
        [note, "SCORE", "Action"],
        [_between(text, "Principle A:", "Local government"), "", ""],
        [_between(text, "Local government", "A 1)"), "", ""],
        [_between(text, "A 1)", "i) Ensuring"), "", ""],
        [behaviour, score, ""],
        [examples, "", ""],
        [evidence, "", ""],
    ], header_rows=1)
    return w.document(source=NORTH_HERTS, media_type="text/plain", sha256="0" * 64)


def kent_recommendations(corpus: Path) -> Document:
    """Section 4 of Kent's review: its headings and tables, as the text reader reads them."""
    source = corpus / KENT_REVIEW
    doc = parse_text(source.read_text(encoding="utf-8"), source=KENT_REVIEW)
    first, last = KENT_LINES
    w = TextWriter()
    for block in doc.blocks:
        if not first <= block.span.line <= last:
            continue
        if block.rows:
            w.table([row.texts for row in block.rows], header_rows=len(block.header_rows))
        else:
            w.heading(block.text, level=block.level or 1)
    return w.document(source=KENT_REVIEW, media_type="text/plain", sha256="0" * 64)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "documents")
    args = parser.parse_args(argv)
    for name, council, doc in (
            ("north-hertfordshire_self-assessment", "North Hertfordshire District Council",
             north_herts(args.corpus)),
            ("kent_review-recommendations", "Kent County Council",
             kent_recommendations(args.corpus))):
        word = args.out / f"{name}.docx"
        write_docx(doc, council, word)
        convert_to_pdf(word, args.out)
        print(f"{name}.docx/.pdf")


if __name__ == "__main__":
    main()
