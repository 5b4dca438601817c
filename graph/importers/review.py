"""``govkg import --review FILE.html|.csv``: what the importer read, for a person to check.

One row per statement the pipeline classified: the document, the line, the quote, its
classification, the section it sits under, and its links with method and score; links
scoring under the ``low_confidence`` threshold of ``cues.toml`` are marked, so a
governance officer can check the doubtful ones against the document first.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from govkg.graph.errors import InputError, Location
from govkg.graph.rdfio import write_atomically

if TYPE_CHECKING:
    from govkg.graph.importers.pipeline import ImportReport

FIELDS = ["document", "line", "classification", "section", "links", "low_confidence",
          "quote"]


def _rows(reports: Sequence[ImportReport]) -> list[dict[str, str]]:
    rows = []
    for report in reports:
        for statement in report.statements:
            rows.append({
                "document": report.path.name,
                "line": str(statement.line),
                "classification": ", ".join(statement.classes),
                "section": statement.section,
                "links": "; ".join(f"{link.notation} {link.method} {link.score:.0f}"
                                   for link in statement.links),
                "low_confidence": "yes" if statement.low_confidence else "",
                "quote": statement.quote,
            })
    return rows


def render_csv(reports: Sequence[ImportReport]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(_rows(reports))
    return buffer.getvalue()


def render_html(reports: Sequence[ImportReport]) -> str:
    rows = _rows(reports)
    head = "".join(f"<th scope=\"col\">{html.escape(f.replace('_', ' '))}</th>" for f in FIELDS)
    body = "\n".join(
        "<tr{}>{}</tr>".format(
            ' class="low"' if row["low_confidence"] else "",
            "".join(f"<td>{html.escape(row[f])}</td>" for f in FIELDS))
        for row in rows)
    return ("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            "<title>govkg import review</title><style>"
            "table{border-collapse:collapse}td,th{border:1px solid #999;padding:.2em .4em;"
            "vertical-align:top}tr.low{background:#fde2c8}</style></head><body>"
            "<h1>What govkg read</h1><p>One row per statement; rows marked in orange have "
            "a link scored under the low-confidence threshold: check them first.</p>"
            f"<table><thead><tr>{head}</tr></thead><tbody>\n{body}\n</tbody></table>"
            "</body></html>\n")


def write_review(path: Path, reports: Sequence[ImportReport]) -> None:
    """Write the review as HTML or CSV, chosen by the file's suffix."""
    suffix = path.suffix.lower()
    if suffix in (".html", ".htm"):
        text = render_html(reports)
    elif suffix == ".csv":
        text = render_csv(reports)
    else:
        raise InputError("the review file must end in .html or .csv", Location(str(path)))
    write_atomically(path, text.encode("utf-8"))
