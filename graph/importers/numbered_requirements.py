"""Layout "numbered-requirements": a local code that numbers the 2007 framework's items.

The council states, per core principle, its aims (the supporting principles, ``1.1`` ...)
and then a three-column table: the requirement it meets (``1.1.1 <wording>``), the
"Source documents/Processes" that show it, and the "Further work ongoing". Colchester's
Code of Corporate Governance (corpus 002) is the example.

What the extracted text does, and how this module copes:

- The column header row is repeated on every page and is sometimes glued to the first
  row ("<header text> 3.1.1 Ensure ..."): header rows are recognised by their second and
  third cells and their first cell is stripped wherever it opens a row.
- Rows cross page breaks: a row's cells continue on the following lines, which either
  start with a TAB (empty first cell), carry the rest of a wrapped requirement, or open
  with "3.1.1 continued". Every tabbed line belongs to the row above it until the next
  numbered row; a line without a TAB (a heading, prose) ends the table.
- Lines with two cells carry only the last two columns (the requirement has ended).
- Some pages were extracted as narrow columns, one wrapped line per cell line; others as
  one long line per cell. Cell lines are joined into items where one visibly continues
  the other, then split where items were run together (:class:`_Splitter`): at sentence
  ends, and where a capitalised word follows a finished title ("... Complaints Procedure
  Internal Audit Process ..."), never inside a name the shared schemes know.
- Scanning noise ("4045", "T_", a line of Greek letters, "... :!!!-", a line echoing
  the one above with one garbled word) is dropped cell by cell (:func:`_is_noise`,
  :meth:`_Splitter._echoes`).
- One row may hold two requirements ("2.3.4 ... 2.3.5 ..."): its commitment is linked to
  both. A requirement may carry a second framework item's wording as a sentence of its
  own (1.3.1 with 1.3.2's): that sentence is linked by text. Numbers the council leaves
  out (2.2.1, 4.3.2) are not invented.

Evidence is every item of the "Source documents/Processes" column, except items that only
name a body, a post or a role (those become bodies and posts) and statements that a post
holds a role (those become role assignments). Bodies are the committees, panels and boards
the council's own columns and introduction name, teams and groups whose name gives their
governance function, and named partnerships; the framework's wording in the first column
is not searched (it speaks of a "Standards Committee" Colchester does not have).
Responsibilities are read from fixed phrasings around a body, post or role (see
:data:`_TRIGGERS`), "signatories" in the introduction, "<role> with accountability for
<topic>", and requirements that make a senior officer responsible where the row names the
post holding that role.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import ClassVar

from rdflib import RDF, URIRef

from govkg.graph.importers.base import Importer, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder, Lines
from govkg.graph.importers.linking import ItemMatch
from govkg.graph.importers.names import find_posts, find_role_assignments
from govkg.graph.importers.splitting import (
    JOINERS,
    WORD,
    Fragment,
    Item,
    ListSplitter,
    Run,
    body_mentions,
    is_noise,
)
from govkg.graph.importers.text import clean
from govkg.graph.namespaces import BODY_FUNCTION, GOVKG, TOPIC, slugify

log = logging.getLogger(__name__)

# ----------------------------------------------------------------------------- table

_SOURCE_HEADER = re.compile(r"^source documents", re.IGNORECASE)
_FURTHER_HEADER = re.compile(r"^further work", re.IGNORECASE)
_REQUIREMENT = re.compile(r"^(\d\.\d\.\d)\.?(?:\s+(continued)\b)?")
_INNER_NUMBER = re.compile(r"(?<![\d.])(\d\.\d\.\d)(?![\d.]\d)")
_AIM = re.compile(r"^-\s*\d\.\d\s")
_AIM_LINE = re.compile(r"^-\s*(?P<number>\d\.\d)\s+(?P<wording>\S.*)$")
_PRINCIPLE_HEADING = re.compile(r"^Core Principle (?P<number>\d)\s*[–-]\s*(?P<wording>\S.*)$")
# A later sentence inside one requirement's wording ("... effectively. Measure the ...").
_SENTENCE_IN_WORDING = re.compile(r"(?<=[a-z])\.\s+([A-Z][^.]*)")
_SAME_WORDING = 60.0  # WRatio at or above which a row's wording is its number's item
_OTHER_SENTENCE = 85.0  # ... and at which a later sentence states another item
_PERIOD = re.compile(r"\b(\d{4}/\d{2})\b")




def _cells(line_no: int, line: str) -> list[Fragment | None]:
    """The line's TAB-separated cells, stripped; None for an empty cell."""
    cells: list[Fragment | None] = []
    offset = 0
    for raw in line.split("\t"):
        text = raw.strip()
        cells.append(Fragment(line_no, offset + len(raw) - len(raw.lstrip()), text)
                     if text else None)
        offset += len(raw) + 1
    return cells




@dataclass
class Row:
    """One numbered requirement row and the cell lines of its three columns."""

    numbers: list[str]
    wording: list[Fragment] = field(default_factory=list)
    source: list[Fragment] = field(default_factory=list)
    further: list[Fragment] = field(default_factory=list)

    @property
    def key(self) -> str:
        return "-".join(self.numbers)


def _header_prefixes(doc: SourceDocument) -> list[str]:
    """The first cells of the repeated column header ("In order to achieve ...")."""
    prefixes = set()
    for line in doc.lines:
        cells = [c.strip() for c in line.split("\t")]
        if len(cells) >= 3 and _SOURCE_HEADER.match(cells[1]) and _FURTHER_HEADER.match(cells[2]):
            prefixes.add(cells[0])
    return sorted((p for p in prefixes if p), key=len, reverse=True)


def _strip_header(cell: Fragment, prefixes: list[str]) -> Fragment:
    """The cell without a column header glued to its start."""
    for prefix in prefixes:
        if cell.text.startswith(prefix) and len(cell.text) > len(prefix):
            rest = cell.text[len(prefix):]
            return cell.part(len(prefix) + len(rest) - len(rest.lstrip()), len(cell.text))
    return cell


def _is_header(cells: list[Fragment | None]) -> bool:
    return (len(cells) >= 3 and cells[1] is not None and cells[2] is not None
            and bool(_SOURCE_HEADER.match(cells[1].text))
            and bool(_FURTHER_HEADER.match(cells[2].text)))


def read_rows(doc: SourceDocument) -> list[Row]:
    """Every numbered requirement row, its cells gathered across wrapped lines and pages."""
    prefixes = _header_prefixes(doc)
    rows: dict[str, Row] = {}
    current: Row | None = None
    in_table = False
    for number, line in enumerate(doc.lines, start=1):
        if "\t" not in line:
            if line.strip():
                current, in_table = None, False
            continue
        cells = _cells(number, line)
        if _is_header(cells):
            in_table = True
            continue
        if not in_table:
            continue
        cells = [None if c is None or is_noise(c.text) else c for c in cells]
        first = _strip_header(cells[0], prefixes) if cells[0] is not None else None
        started = _REQUIREMENT.match(first.text) if first is not None else None
        if started is not None:
            key = started.group(1)
            if started.group(2):  # "3.1.1 continued": the row went on past a page break
                current, first = rows.get(key), None
            else:
                current = rows.setdefault(key, Row([key]))
        if current is None:
            continue
        _add_cells(current, first, cells)
    for row in rows.values():
        row.numbers = [n for n, _, _ in _numbered_parts(row)]
    return list(rows.values())


def _wording_parts(row: Row, text: str) -> list[tuple[str, int, int]]:
    """(number, start, end) of each requirement the row states: from its number to the
    next number or the end of the wording."""
    numbers = _numbered_parts(row)
    bounds = [*(start for _, start, _ in numbers[1:]), len(text)]
    return [(number, start, stop) for (number, start, _), stop in zip(numbers, bounds,
                                                                        strict=True)]


def _after_number(text: str, start: int, stop: int) -> str:
    """The wording of one requirement, without its number (or "continued")."""
    return re.sub(r"^\d\.\d\.\d\.?\s*", "", text[start:stop]).strip()


def _numbered_parts(row: Row) -> list[tuple[str, int, int]]:
    """(number, start, end) of each requirement number in the row's wording: one row may
    state two requirements ("2.3.4 ... 2.3.5 ..."), always of the same supporting
    principle."""
    text = " ".join(f.text for f in row.wording)
    found = [(m.group(1), m.start(), m.end()) for m in _INNER_NUMBER.finditer(text)]
    return [n for n in found if n[0].rsplit(".", 1)[0] == row.numbers[0].rsplit(".", 1)[0]]


def _add_cells(row: Row, first: Fragment | None, cells: list[Fragment | None]) -> None:
    """Put one line's cells in the row's columns: three cells are requirement, source and
    further work; two are the last two columns (the requirement has ended)."""
    if len(cells) >= 3:
        columns = [first, cells[1], *cells[2:]]
        targets = [row.wording, row.source, *[row.further] * (len(cells) - 2)]
    else:
        columns, targets = list(cells), [row.source, row.further]
    for cell, target in zip(columns, targets, strict=True):
        if cell is not None:
            target.append(cell)


# ----------------------------------------------------------------------------- items




# ----------------------------------------------------------------------------- importer

#: A body said to hold a topic within its remit performs the matching function.
_TOPIC_FUNCTIONS = {TOPIC["member-conduct"]: BODY_FUNCTION["standards"]}


@dataclass(frozen=True)
class _Trigger:
    """A phrasing that states a responsibility of the agent it sits next to."""

    pattern: re.Pattern[str]
    kind: str
    regarding: str  # item | topic | above | object | document
    before: bool  # the phrase comes before the agent's name


_TRIGGERS = [
    _Trigger(re.compile(r"(?:approved|agreed) by(?: the)?\s*$"), "approves", "item", True),
    _Trigger(re.compile(r"\bled by(?: the)?\s*$"), "leads", "item", True),
    _Trigger(re.compile(r"\breviewed by(?: the)?\s*$"), "monitors", "document", True),
    _Trigger(re.compile(r"\bremit of(?: the)?\s*$"), "responsible-for", "topic", True),
    _Trigger(re.compile(r"\b(?:takes place|carried out) by(?: the)?\s*$"), "monitors", "above",
             True),
    _Trigger(re.compile(r"\b(?P<subject>review of\b.*)\bby(?: the)?\s*$"), "monitors", "topic",
             True),
    _Trigger(re.compile(r"\b(?P<subject>reporting|reported|report) to\b[^.]*$"), "monitors",
             "topic", True),
    _Trigger(re.compile(r"^\s*\(responsibility\)"), "responsible-for", "topic", False),
    _Trigger(re.compile(r"^\s+has an overall view of\b"), "monitors", "topic", False),
    _Trigger(re.compile(r"^\s+examines the work of\b"), "monitors", "object", False),
    _Trigger(re.compile(r"^\s+(?:addresses and )?manages\b"), "responsible-for", "topic", False),
    _Trigger(re.compile(r"^\s+[a-z ]*\breview\b"), "monitors", "topic", False),
]
_SIGNATORIES = re.compile(r"\bsignator(?:y|ies)\b", re.IGNORECASE)
_ACCOUNTABILITY = re.compile(r"\bwith accountability for\b(.+)$", re.IGNORECASE)
_RESPONSIBLE_FOR = re.compile(r"\bresponsible\b.*?\bfor\b(.+)$", re.IGNORECASE)


def _subject(trigger: _Trigger, found: re.Match[str]) -> str:
    """The words a trigger says the responsibility is about: before a trigger that comes
    before the agent ("Member conduct issues ... within remit of"), up to its ``subject``
    group if it has one ("Performance reporting to"); after one that follows the agent."""
    if not trigger.before:
        return found.string[found.end():]
    end = found.end("subject") if "subject" in trigger.pattern.groupindex else found.start()
    return found.string[:end]


@dataclass(frozen=True)
class _Agent:
    """A body, post or role named at ``start``-``end`` of some text."""

    iri: URIRef
    start: int
    end: int


class NumberedRequirementsImporter(Importer):
    """Local codes that number the 2007 framework's requirements (Colchester's layout)."""

    layout: ClassVar[str] = "numbered-requirements"
    kind: ClassVar[str] = "local-code"
    description: ClassVar[str] = (
        "Aims numbered 1.1 ... and a table per page of requirements 1.1.1 ... with their "
        "'Source documents/Processes' and 'Further work ongoing'")

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        """Half for the repeated three-column header, half for numbered requirement rows:
        a line that opens with "1.1.1 <words>" and goes on into a second cell."""
        headers = sum(1 for n, line in enumerate(doc.lines, 1)
                      if "\t" in line and _is_header(_cells(n, line)))
        rows = sum(1 for line in doc.lines
                   if re.match(r"^\s*(?:[^\t]*:\s*)?\d\.\d\.\d\.?\s+[A-Za-z][^\t]*\t", line))
        return round(0.5 * min(1.0, headers / 3) + 0.5 * min(1.0, rows / 15), 2)

    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        _Build(doc, builder).run()


class _Build:
    """The state of one import: rows, their items, and the agents found so far."""

    def __init__(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        self.doc = doc
        self.builder = builder
        self.graph = builder.graph
        gazetteers = builder.gazetteers
        self.roles = gazetteers.roles
        self.topics = gazetteers.topics
        self.kinds = gazetteers.evidence_kinds
        self.functions = gazetteers.functions
        counts = Counter(w.lower() for w in re.findall(r"[A-Za-z]+", doc.text))
        self.splitter = ListSplitter(gazetteers, counts)
        self.rows = read_rows(doc)
        self.items: dict[str, dict[str, list[Item]]] = {}
        self.nodes: dict[tuple[str, str, int], URIRef] = {}
        self.body_names: dict[str, str] = {}  # name as written -> canonical name
        self.bodies: dict[str, URIRef] = {}  # canonical name -> body
        self.posts: dict[str, URIRef] = {}
        self.evidence_labels: dict[str, str] = {}  # slug -> first spelling

    def run(self) -> None:
        self._describe()
        self._principles()
        self._split_columns()
        self._find_bodies()
        self._find_posts()
        for row in self.rows:
            self._commitment(row)
        self._responsibilities()

    # -------------------------------------------------------------- document

    def _describe(self) -> None:
        """Title (the first line) and the period it names (2019/20)."""
        number, title = next((n, line.strip()) for n, line in enumerate(self.doc.lines, 1)
                             if line.strip())
        period = _PERIOD.search(title)
        self.builder.describe(title=title, period=period.group(1) if period else None,
                              lines=(number, number))

    def _prose(self) -> Iterator[tuple[int, str]]:
        """The council's own prose before the first table (its introduction)."""
        for number, line in enumerate(self.doc.lines, 1):
            if "\t" in line and _is_header(_cells(number, line)):
                return
            if "\t" not in line and line.strip() and not _AIM.match(line.strip()):
                yield number, line

    # -------------------------------------------------------------- items

    def _split_columns(self) -> None:
        for row in self.rows:
            self.items[row.key] = {
                column: [item for group in self.splitter.join(fragments)
                         for item in self.splitter.split(Run(group), prose=column == "further")]
                for column, fragments in (("source", row.source), ("further", row.further))}

    def _all_items(self) -> Iterator[tuple[Row, str, int, Item]]:
        for row in self.rows:
            for column, items in self.items[row.key].items():
                for index, item in enumerate(items):
                    yield row, column, index, item

    def _texts(self) -> Iterator[Run]:
        """Every text the council wrote itself: its introduction and the two columns."""
        for number, line in self._prose():
            yield Run([Fragment(number, 0, line)])
        for _, _, _, item in self._all_items():
            yield Run(item.pieces)

    # -------------------------------------------------------------- bodies and posts

    def _find_bodies(self) -> None:
        """Every body the council names, one resource per body however it is written
        ("Policy and Public Initiatives Panel" is the "Policy Review and ..." one)."""
        mentions = [(run, m) for run in self._texts()
                    for m in body_mentions(self.functions, run.text)]
        names = {name for _, (_, _, name) in mentions}
        for name in names:
            words = set(name.split())
            wider = [n for n in names if n != name and words < set(n.split())
                     and n.split()[-1] == name.split()[-1] and len(words) > 1]
            self.body_names[name] = max(wider, key=len) if wider else name
        for run, (start, end, name) in mentions:
            canonical = self.body_names[name]
            # a named partnership is a body the council takes part in, not one of its units
            make = partial(self.builder.body, of_council=not canonical.endswith("Partnership"))
            self.bodies[canonical] = self._cite_agent(make, canonical, run, start, end)

    def _cite_agent(self, make: Callable[[str, Lines, str | None], URIRef], name: str,
                    run: Run, start: int, end: int) -> URIRef:
        """Make (or cite again) the body or post ``name`` where ``run`` names it."""
        pieces = run.spans(start, end)
        node = make(name, (pieces[0].line, pieces[0].line), pieces[0].text)
        for piece in pieces[1:]:
            self.builder.cite(node, (piece.line, piece.line), piece.text)
        return node

    def _find_posts(self) -> None:
        """Posts where the text says one holds a role, and posts listed on their own
        as an arrangement (a source item that is a post's title and not a role's name);
        then every other mention of those posts is cited too."""
        for run in self._texts():
            for found in find_role_assignments(run.text, self.roles):
                post = self._post(found.post, run, found.start)
                pieces = run.spans(found.start, found.end)
                self.builder.assign_role(post, found.role, (pieces[0].line, pieces[-1].line),
                                         pieces[0].text if len(pieces) == 1 else None)
        for _, column, _, item in self._all_items():
            title = item.evidence_label
            if (column == "source" and self.roles.lookup(title) is None
                    and [p.name for p in find_posts(title)] == [title]):
                self._post(title, Run(item.pieces), item.text.find(title))
        for run in self._texts():
            for name in self.posts:
                for match in re.finditer(rf"\b{re.escape(name)}\b", run.text):
                    self._post(name, run, match.start())

    def _post(self, name: str, run: Run, start: int) -> URIRef:
        self.posts[name] = self._cite_agent(self.builder.post, name, run, start,
                                            start + len(name))
        return self.posts[name]

    def _agents(self, text: str) -> list[_Agent]:
        """Bodies, posts and roles named in ``text``; where names overlap the longest wins,
        and a post wins over the role of the same name ("Chief Executive")."""
        candidates: list[tuple[int, _Agent]] = [
            (1, _Agent(self.bodies[self.body_names[name]], s, e))
            for s, e, name in body_mentions(self.functions, text) if name in self.body_names]
        for name, post in self.posts.items():
            candidates += [(0, _Agent(post, m.start(), m.end()))
                           for m in re.finditer(rf"\b{re.escape(name)}\b", text)]
        candidates += [(2, _Agent(m.concept, m.start, m.end)) for m in self.roles.mentions(text)]
        chosen: list[_Agent] = []
        for _, agent in sorted(candidates, key=lambda c: (c[1].start - c[1].end, c[0])):
            if all(agent.end <= a.start or a.end <= agent.start for a in chosen):
                chosen.append(agent)
        return sorted(chosen, key=lambda a: a.start)

    def _is_agent_only(self, item: Item) -> bool:
        """An item that only names bodies, posts or roles (with notes in brackets), or
        only says which post holds a role: not evidence of its own."""
        text = item.text
        spans = [(a.start, a.end) for a in self._agents(text)]
        spans += [(f.start, f.end) for f in find_role_assignments(text, self.roles)]
        for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
            text = text[:start] + " " * (end - start) + text[end:]
        text = re.sub(r"\([^)]*\)", " ", text)
        words = [w for w in WORD.findall(text) if w.lower() not in JOINERS | {"council's"}]
        return not words

    # -------------------------------------------------------------- commitments

    def _commitment(self, row: Row) -> None:
        """One commitment per numbered row, labelled with its wording (numbers aside) and
        linked to the requirement(s) it numbers; its evidence and further work."""
        wording = Run(row.wording)
        parts = _wording_parts(row, wording.text)
        label = "; ".join(clean(_after_number(wording.text, start, stop))
                          for _, start, stop in parts).rstrip(" .")
        node = self.builder.resource("commitment", row.key, GOVKG.Commitment,
                                     (row.wording[0].line, row.wording[0].line),
                                     row.wording[0].text, label)
        self._cite(node, row.wording[1:])
        for number, start, stop in parts:
            self._link_requirement(node, number, wording, start, stop)
        self._cite_evidence(row, node)
        self._further_work(row, node)

    def _cite_evidence(self, row: Row, node: URIRef) -> None:
        for index, item in enumerate(self.items[row.key]["source"]):
            if not self._is_agent_only(item):
                evidence = self._evidence(item)
                self.graph.add((node, GOVKG.citesEvidence, evidence))
                self.nodes[row.key, "source", index] = evidence

    def _further_work(self, row: Row, node: URIRef) -> None:
        """Each further-work item once per row, however often the row repeats it."""
        seen: dict[str, URIRef] = {}
        for index, item in enumerate(self.items[row.key]["further"]):
            work = seen.get(item.label)
            if work is None:
                work = self.builder.resource("further-work", f"{row.key}-{len(seen) + 1}",
                                             GOVKG.FurtherWork, item.lines,
                                             item.pieces[0].text, item.label)
                self._cite(work, item.pieces[1:])
                self.graph.add((node, GOVKG.hasFurtherWork, work))
                seen[item.label] = work
            else:
                self._cite(work, item.pieces)
            self.nodes[row.key, "further", index] = work

    def _link_requirement(self, node: URIRef, number: str, wording: Run, start: int,
                          stop: int) -> None:
        """Link by number, after checking the wording is that item's (else by text within
        the supporting principle); then link by text any later sentence of the wording
        that states another requirement of the same supporting principle."""
        matcher = self.builder.matcher
        assert matcher is not None
        text = _after_number(wording.text, start, stop)
        item = matcher.number(number)
        parent = matcher.number(number.rsplit(".", 1)[0])
        check = matcher.best(text, within=item) if item is not None else None
        pieces = wording.spans(start, stop)
        if item is None or check is None or check.score < _SAME_WORDING:
            log.warning("%s: the wording numbered %s is not the framework's %s; linking it "
                        "by text", self.doc.path.name, number, number)
            found = matcher.best(text, level=GOVKG.SpecificRequirement, within=parent)
            if found is not None:
                self._link(node, found.item, pieces, found)
            return
        self._link(node, item, pieces)
        for sentence in _SENTENCE_IN_WORDING.finditer(wording.text, start, stop):
            found = matcher.best(sentence.group(1), level=GOVKG.SpecificRequirement,
                                 within=parent)
            if found is not None and found.item != item and found.score >= _OTHER_SENTENCE:
                self._link(node, found.item, wording.spans(*sentence.span(1)), found)

    def _link(self, node: URIRef, item: URIRef, pieces: list[Fragment],
              match: ItemMatch | None = None) -> None:
        """``node`` addresses ``item`` by number (by text when ``match`` is given); the
        link cites the text it was made from, piece by piece."""
        lines, quote = (pieces[0].line, pieces[0].line), pieces[0].text
        link = (self.builder.link_match(node, match, lines=lines, quote=quote) if match
                else self.builder.link(node, item, "by-number", lines=lines, quote=quote))
        self._cite(link, pieces[1:])

    def _cite(self, node: URIRef, pieces: Iterable[Fragment]) -> None:
        for piece in pieces:
            self.builder.cite(node, (piece.line, piece.line), piece.text)

    def _principles(self) -> None:
        """The document addresses each core principle it heads a section with ("Core
        Principle 1 – ...") and each numbered aim ("- 1.1 ..."), which are the 2007
        edition's supporting principles: by number, the wording checked as for rows."""
        matcher = self.builder.matcher
        assert matcher is not None
        for number, line in enumerate(self.doc.lines, 1):
            found = _PRINCIPLE_HEADING.match(line) or _AIM_LINE.match(line)
            if found is None:
                continue
            item = matcher.number(found.group("number"))
            check = matcher.best(found.group("wording"), within=item) if item else None
            if item is not None and check is not None and check.score >= _SAME_WORDING:
                piece = Fragment(number, 0, line.strip())
                self._link(self.doc.iri, item, [piece])

    def _evidence(self, item: Item) -> URIRef:
        """The evidence item, labelled as the document first spells it: "Consultation
        strategy" later is the same evidence as "Consultation Strategy", with one label."""
        label = self.evidence_labels.setdefault(slugify(item.evidence_label),
                                                item.evidence_label)
        node = self.builder.evidence(label, item.lines, item.pieces[0].text)
        self._cite(node, item.pieces[1:])
        return node

    # -------------------------------------------------------------- responsibilities

    def _responsibilities(self) -> None:
        for number, line in self._prose():
            self._signatories(number, line)
            self._statements(Run([Fragment(number, 0, line)]), None, None)
        for row, column, index, item in self._all_items():
            self._statements(Run(item.pieces), row, self.nodes.get((row.key, column, index)),
                             above=[self.nodes[row.key, column, i] for i in range(index)
                                    if (row.key, column, i) in self.nodes])
            self._accountability(Run(item.pieces))
        for row in self.rows:
            self._holder_responsible(row)

    def _statements(self, run: Run, row: Row | None, node: URIRef | None,
                    above: list[URIRef] | None = None) -> None:
        """Responsibilities stated by a trigger phrase next to an agent's name."""
        text = run.text
        agents = self._agents(text)
        for agent in agents:
            for trigger in _TRIGGERS:
                context = text[:agent.start] if trigger.before else text[agent.end:]
                found = trigger.pattern.search(context)
                if found is None:
                    continue
                for regarding in self._regarding(trigger, _subject(trigger, found), agents,
                                                 agent, row, node, above or []):
                    self._responsibility(agent.iri, trigger.kind, regarding, run)
                break

    def _regarding(self, trigger: _Trigger, subject: str, agents: list[_Agent],
                   agent: _Agent, row: Row | None, node: URIRef | None,
                   above: list[URIRef]) -> list[URIRef]:
        """What the responsibility is for: the item that states it ("approved by"), the
        items listed before it ("the above"), the body named after it ("examines the work
        of"), the document (in the introduction), else the topic its subject names or the
        framework items of its row."""
        if trigger.regarding == "item" and node is not None:
            return [node]
        if trigger.regarding == "above":
            return above
        if trigger.regarding == "object":
            return [a.iri for a in agents if a.start >= agent.end][:1]
        if row is None:
            return [self.doc.iri]
        return self._topic_or_items(subject, agents, row)

    def _topic_or_items(self, context: str, agents: list[_Agent], row: Row) -> list[URIRef]:
        """The first topic the statement names (agents' names aside), else the framework
        items the row addresses."""
        for agent in agents:
            name = self._agent_name(agent)
            if name:
                context = context.replace(name, " ")
        topics = self.topics.concepts(context)
        if topics:
            return topics[:1]
        matcher = self.builder.matcher
        assert matcher is not None
        return [item for n in row.numbers if (item := matcher.number(n)) is not None]

    def _agent_name(self, agent: _Agent) -> str:
        for name, post in self.posts.items():
            if post == agent.iri:
                return name
        return next((n for n, iri in self.bodies.items() if iri == agent.iri), "")

    def _responsibility(self, agent: URIRef, kind: str, regarding: URIRef, run: Run) -> None:
        pieces = run.spans(0, len(run.text))
        node = self.builder.responsibility(agent, kind, regarding,
                                           (pieces[0].line, pieces[0].line), pieces[0].text)
        for piece in pieces[1:]:
            self.builder.cite(node, (piece.line, piece.line), piece.text)
        function = _TOPIC_FUNCTIONS.get(regarding)
        if function is not None and (agent, RDF.type, GOVKG.Body) in self.graph:
            self.graph.add((agent, GOVKG.hasFunction, function))
            self.builder.cite(agent, (pieces[0].line, pieces[0].line), pieces[0].text)

    def _signatories(self, number: int, line: str) -> None:
        """"X and Y ... as signatories" of the document named just before: both sign it."""
        for sentence in re.finditer(r"[^.]+\.?", line):
            if not _SIGNATORIES.search(sentence.group()):
                continue
            before = line[:sentence.start()]
            kinds = list(self.kinds.mentions(before))
            if not kinds:
                continue
            named = kinds[-1]
            document = self.builder.evidence(named.label, (number, number), named.label)
            run = Run([Fragment(number, sentence.start(), sentence.group().strip())])
            for agent in self._agents(run.text):
                self._responsibility(agent.iri, "signs", document, run)

    def _accountability(self, run: Run) -> None:
        """"<Role> with accountability for <topic>": the role is responsible for it."""
        for mention in self.roles.mentions(run.text):
            found = _ACCOUNTABILITY.search(mention.label)
            topics = self.topics.concepts(found.group(1)) if found else []
            if topics:
                self._responsibility(mention.concept, "responsible-for", topics[0],
                                     Run(run.spans(mention.start, mention.end)))

    def _holder_responsible(self, row: Row) -> None:
        """A requirement making a senior officer "responsible ... for" something, met by
        naming the post that holds the role: that post is responsible for it."""
        wording = Run(row.wording)
        found = _RESPONSIBLE_FOR.search(wording.text)
        if found is None:
            return
        holders = [self.posts[a.post] for item in self.items[row.key]["source"]
                   for a in find_role_assignments(item.text, self.roles) if a.post in self.posts]
        regarding = self._topic_or_items(found.group(1), [], row)
        for post in dict.fromkeys(holders):
            for target in regarding:
                self._responsibility(post, "responsible-for", target, wording)

