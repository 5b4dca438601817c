"""Who issued an auditor's report or external review, and what kind of report it is:
England's appointed auditors, Audit Scotland, Audit Wales or a peer review team; a public
interest report, statutory recommendations (Local Audit and Accountability Act 2014,
schedule 7), a Best Value report, a peer challenge or an auditor's annual report.

Both are read from the phrases naming the body or the report (``cues.toml``, section
``[auditors]``): phrases in the document's title lines decide; otherwise the kind the body
names most often. A document naming none is left without (nothing is guessed).
"""

from __future__ import annotations

from dataclasses import dataclass

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.kinds.reading import _any, _title_lines, cues


@dataclass(frozen=True)
class Named:
    """A kind (a slug of ontology/reference/auditors.ttl) and the line that names it."""

    kind: str
    line: int
    quote: str


def _named(doc: SourceDocument, table: dict[str, list[str]]) -> Named | None:
    """The kind whose phrases the title lines use most, else the body; ties go to the
    table's order."""
    title = _title_lines(doc)
    best: tuple[int, int, int] | None = None
    chosen: Named | None = None
    for order, (kind, patterns) in enumerate(table.items()):
        pattern = _any(patterns)
        in_title = [(n, line) for n, line in title if pattern.search(line)]
        in_body = [(n, line) for n, line in enumerate(doc.lines, start=1)
                   if pattern.search(line)]
        if not in_body:
            continue
        score = (len(in_title), len(in_body), -order)
        if best is None or score > best:
            best = score
            n, line = (in_title or in_body)[0]
            chosen = Named(kind, n, line.strip())
    return chosen


def reviewer(doc: SourceDocument) -> Named | None:
    """The kind of body that issued ``doc``."""
    return _named(doc, cues()["auditors"]["reviewer"])


def report_kind(doc: SourceDocument) -> Named | None:
    """What kind of report ``doc`` is."""
    return _named(doc, cues()["auditors"]["report"])


#: reports only a council's appointed auditor makes (Local Audit and Accountability Act
#: 2014, schedule 7 paragraphs 1 and 2): their kind names the issuer where no body is named
_AUDITORS_ONLY = {"public-interest-report", "statutory-recommendations"}


def issuer(doc: SourceDocument, report: Named | None) -> Named | None:
    """The issuing body's kind as :func:`reviewer` reads it; failing that, the council's
    external auditor when ``report`` is a kind only that auditor makes."""
    named = reviewer(doc)
    if named is None and report is not None and report.kind in _AUDITORS_ONLY:
        return Named("external-auditor", report.line, report.quote)
    return named
