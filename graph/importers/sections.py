"""Sections: where a document takes up a framework item, whatever its layout.

A section starts at a heading, a list item, a paragraph or a table's first cell that
names an item of the framework, by its number ("Principle A –", "Core Principle 1",
"Principle One", "A.", "1.2"), by its wording ("Behaving with integrity, ..."), or both.
A number alone is trusted only with a lead word ("Principle A"); a number with wording is
trusted when the wording agrees with the numbered item, and wording alone when it matches
an item's labels (the framework's wording and councils' own short labels, kept as
alternative labels) closely. So "1 Introduction" is no section, and "1. Behaving with
integrity" in a 2016 code is principle A.

The blocks after a section belong to it until the next section; a run of sections with
nothing between them is an enumeration (the code listing its principles), and what
follows the last of the run is not that principle's content.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils
from rdflib import SKOS, Graph, URIRef

from govkg.graph.documents.model import Block, BlockKind, Cell, Document, Row, Span
from govkg.graph.importers.cues import Cues
from govkg.graph.importers.splitting import is_noise

_LETTERS = "ABCDEFG"
#: an item's number as a statement gives it ("1.1.1", "A.2", "4.1.3 and 4.1.4")
NOTATION = r"[A-G1-9]\.\d{1,2}(?:\.\d{1,2})?"
LEADING_NUMBERS = re.compile(rf"^\s*{NOTATION}(?:\s*(?:,|/|&|and|to)\s*{NOTATION})*\b")
_NUMBERED_LABEL = re.compile(r"^(?:core |sub[- ]?)?principle\b", re.IGNORECASE)


@dataclass(frozen=True)
class Item:
    """One framework item: its IRI, number, labels and depth (0 for a core principle)."""

    iri: URIRef
    notation: str
    labels: tuple[str, ...]
    depth: int
    parent: URIRef | None


class FrameworkItems:
    """The items of one framework edition (or a council's own scheme), for matching."""

    def __init__(self, vocabulary: Graph, scheme: URIRef) -> None:
        self.scheme = scheme
        self.items: dict[URIRef, Item] = {}
        raw: dict[URIRef, tuple[str, list[str], URIRef | None]] = {}
        for node in vocabulary.subjects(SKOS.inScheme, scheme):
            if not isinstance(node, URIRef):
                continue
            notation = str(vocabulary.value(node, SKOS.notation) or "")
            labels = sorted(str(v) for p in (SKOS.prefLabel, SKOS.altLabel)
                            for v in vocabulary.objects(node, p)
                            if not _NUMBERED_LABEL.match(str(v)))
            parent = next((b for b in vocabulary.objects(node, SKOS.broader)
                           if isinstance(b, URIRef)), None)
            raw[node] = (notation, labels, parent)
        # in the order of their numbers, so that ties between labels break the same way
        # in every run (the vocabulary graph's order depends on string hashing)
        for node, (notation, labels, parent) in sorted(raw.items(),
                                                       key=lambda kv: (kv[1][0], str(kv[0]))):
            depth, up = 0, parent
            while up is not None and up in raw and depth < 6:
                depth, up = depth + 1, raw[up][2]
            self.items[node] = Item(node, notation, tuple(labels), depth, parent)
        self.by_notation = {i.notation: i for i in self.items.values() if i.notation}
        self.letters = any(n in self.by_notation for n in _LETTERS)
        self._children: dict[URIRef | None, list[Item]] = {}
        for item in self.items.values():
            self._children.setdefault(item.parent, []).append(item)
        self._choices: dict[int | None, tuple[list[str], list[Item]]] = {}
        self._by_label: dict[str, list[Item]] = {}
        for item in self.items.values():
            for label in item.labels:
                self._by_label.setdefault(label.casefold(), []).append(item)

    def sharing(self, item: Item, wording: str, threshold: float) -> list[Item]:
        """Other items that carry a label of ``item`` which ``wording`` restates: a row a
        council wrote for two sub-principles at once ("Determining and planning
        interventions" is a label of D.1 and of D.2) addresses both."""
        processed = utils.default_process(wording)
        shared = []
        for label in item.labels:
            if fuzz.token_sort_ratio(processed, utils.default_process(label)) < threshold:
                continue
            shared += [other for other in self._by_label.get(label.casefold(), [])
                       if other.iri != item.iri and other not in shared]
        return shared

    def under(self, item: URIRef) -> list[Item]:
        """The items below ``item``, at every depth."""
        found, frontier = [], list(self._children.get(item, []))
        while frontier:
            node = frontier.pop()
            found.append(node)
            frontier.extend(self._children.get(node.iri, []))
        return found

    def choices(self, max_depth: int | None) -> tuple[list[str], list[Item]]:
        """Every label of the items down to ``max_depth``, with the item of each."""
        if max_depth not in self._choices:
            labels, owners = [], []
            for item in self.items.values():
                if max_depth is None or item.depth <= max_depth:
                    for label in item.labels:
                        labels.append(label)
                        owners.append(item)
            self._choices[max_depth] = (labels, owners)
        return self._choices[max_depth]

    def notation_for(self, token: str, cues: Cues) -> str | None:
        """The item number a document's own number stands for: in a lettered edition
        (2016) "3", "Three" and "III" are principle C; in a numbered one (2007) "C" is 3."""
        token = token.strip().rstrip(".").casefold()
        if token in cues.number_words:
            token = str(cues.number_words.index(token) + 1)
        elif token in cues.roman:
            token = str(cues.roman.index(token) + 1)
        head, _, tail = token.partition(".")
        if self.letters and head.isdigit() and 1 <= int(head) <= len(_LETTERS):
            head = _LETTERS[int(head) - 1]
        elif not self.letters and len(head) == 1 and head.upper() in _LETTERS:
            head = str(_LETTERS.index(head.upper()) + 1)
        notation = head.upper() + (f".{tail}" if tail else "")
        return notation if notation in self.by_notation else None


def wording_score(text: str, labels: list[str], owners: list[Item],
                  whole_enough: float = 101.0) -> tuple[Item, float] | None:
    """The item whose label ``text`` restates best: the whole of it (token order aside),
    or the label as the text's opening words followed by more. A whole restatement
    scoring ``whole_enough`` or more wins over a label that only opens the text (a
    principle's wording opens with its first sub-principle's short title)."""
    processed = utils.default_process(text)
    if not processed:
        return None
    best = process.extractOne(processed, labels, scorer=fuzz.token_sort_ratio,
                              processor=utils.default_process)
    found = (owners[best[2]], float(best[1])) if best else None
    if found is not None and found[1] >= whole_enough:
        return found
    first = processed.split(" ", 1)[0]
    for index, label in enumerate(labels):
        plain = utils.default_process(label)
        # a label of one or two words ("Openness") opens too many other phrases
        if (len(processed) > len(plain) and plain.count(" ") >= 2
                and plain.split(" ", 1)[0] == first):
            score = fuzz.ratio(plain, processed[:len(plain)])
            if found is None or score > found[1]:
                found = (owners[index], float(score))
    return found


def covers(own: str, label: str) -> float:
    """How much of a short title a label covers: the share of its words (of four letters
    or more) whose stem opens a word of the label, so "Visions and outcomes" meets "...
    creating and implementing a vision ... outcomes" and "accountable" meets
    "accountability" (0-100)."""
    words = [w for w in utils.default_process(own).split() if len(w) >= 4]
    if not words:
        return 0.0
    label_words = [w for w in utils.default_process(label).split() if len(w) >= 4]
    hits = sum(1 for w in words if any(lw.startswith(w[:5]) or w.startswith(lw[:5])
                                       for lw in label_words))
    return round(100.0 * hits / len(words), 1)


@dataclass(frozen=True)
class TableCell:
    """A cell a section holds: its text and span, its row (cells of one row go together)
    and its column's role from the column's heading (``statement``, ``evidence`` or
    ``further-work``; see ``[columns]`` in cues.toml)."""

    text: str
    span: Span
    row: int
    role: str = "statement"


@dataclass(eq=False)
class Section:
    """Where the document takes up ``item``: the block (or first cell) that names it, the
    wording given with it, and how it was recognised."""

    item: Item
    block: Block
    span: Span
    wording: str
    method: str  # by-number | by-text
    score: float
    content: list[Block] = field(default_factory=list)
    #: where the content lies when the section is a table's first cell: that row's
    #: other cells
    cells: list[TableCell] = field(default_factory=list)
    #: the enclosing section's item, when this section sits inside that item's section
    parent: Item | None = None
    #: one of a run of sections with nothing between them: the document listing items
    #: (its principles, a principle's aims), not taking one up
    enumerated: bool = False
    #: named with a lead word and number ("Core Principle 1 – ..."): a heading however
    #: the text sets it out
    headed: bool = False
    #: a table headed by the item itself ("Principle One | Our arrangements | ..."):
    #: its rows' first cells, which go on naming it and the items under it
    named: list[TableCell] = field(default_factory=list)


class SectionFinder:
    """Finds the sections of a document against one framework's items."""

    def __init__(self, items: FrameworkItems, cues: Cues) -> None:
        self.items = items
        self.cues = cues
        self.blocks: list[Block] = []
        self._document_text = ""
        #: a table's rows before the first row that names an item, by table
        self._leading: dict[int, list[TableCell]] = {}
        numbers = "|".join([r"[A-G](?:\.\d{1,2}){0,2}", r"\d{1,2}(?:\.\d{1,2}){0,2}",
                            *cues.number_words, *sorted(cues.roman, key=len, reverse=True)])
        seps = re.escape(cues.separators)
        self._lead = re.compile(
            rf"^(?P<lead>(?:{cues.section_lead}))s?\s*(?P<num>{numbers})\b\s*[{seps}]?\s*"
            rf"(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
        self._bare = re.compile(
            rf"^(?P<num>[A-G](?:\.\d{{1,2}}){{0,2}}|\d{{1,2}}(?:\.\d{{1,2}}){{0,2}})"
            rf"(?:[{seps}]\s*|\s+(?=[A-Z]))(?P<rest>\S.*)$", re.DOTALL)
        self._inline = re.compile(r"(?:^|(?<=\s))(?P<num>[A-G])\.\s+(?=[A-Z])")

    # ------------------------------------------------------------------ one text

    def recognise(self, text: str, marker: str = "") -> tuple[Item, str, str, float] | None:
        """(item, wording, method, score) when ``text`` (with its list ``marker``) takes up
        a framework item, else None."""
        text = text.strip()
        if not text or len(text) > 600:
            return None
        lead, number, rest = None, None, text
        m = self._lead.match(text)
        if m is not None:
            lead, number, rest = m.group("lead"), m.group("num"), m.group("rest").strip()
        else:
            m = self._bare.match(text)
            if m is not None:
                number, rest = m.group("num"), m.group("rest").strip()
            elif re.fullmatch(r"\(?[A-Ga-g1-9]\d?[.)]", marker or ""):
                number = marker.strip("().")
        candidate = (self.items.by_notation.get(n) if number and
                     (n := self.items.notation_for(number, self.cues)) else None)
        if candidate is not None and candidate.depth > 1:
            candidate = None  # requirements are statements, not sections
        rest = rest.strip(" :.–—-")
        if candidate is not None and not rest:
            return (candidate, "", "by-number", 100.0) if lead else None
        if candidate is not None:
            own = list(candidate.labels)
            scored = wording_score(rest, own, [candidate] * len(own))
            if scored and scored[1] >= self.cues.threshold("section_number_wording"):
                # the number names the item; its wording agreeing leaves no doubt
                return candidate, rest, "by-number", 100.0
        if len(rest.split()) > 45:
            return None
        labels, owners = self.items.choices(1)
        scored = wording_score(rest, labels, owners, self.cues.threshold("section_wording"))
        if scored and scored[1] >= self.cues.threshold("section_wording"):
            return scored[0], rest, "by-text", scored[1]
        return None

    def _headed(self, text: str) -> bool:
        return self._lead.match(" ".join(text.split())) is not None

    def _restates(self, item: Item, text: str) -> bool:
        scored = wording_score(" ".join(text.split()), list(item.labels),
                               [item] * len(item.labels))
        return bool(scored and scored[1] >= self.cues.threshold("section_number_wording"))

    # ------------------------------------------------------------------ a document

    def find(self, document: Document) -> list[Section]:
        """Every section of ``document``, in order, with the blocks each holds."""
        sections: list[Section] = []
        current: list[Section] = []  # the open section at each depth
        run: list[Section] = []  # sections with no block between them
        self._document_text = document.text
        self.blocks = [part for block in document.blocks for part in self._expand(block)]
        listed = self._enumerations()
        for block in self.blocks:
            found = listed.get(id(block)) or self._sections_of(block, document)
            leading = self._leading.pop(id(block), [])
            if found and leading:  # a table's rows before its first item's row
                if len(run) >= 2 and not any(s.cells for s in run):
                    current = [s for s in current if s not in run]
                    run = []
                if current:
                    current[-1].cells += leading
            if found:
                for section in found:
                    if run and run[-1].item.depth == section.item.depth:
                        run.append(section)
                    else:
                        run = [section]
                    current = [s for s in current if s.item.depth < section.item.depth]
                    if current and current[-1].item.iri == section.item.parent:
                        section.parent = current[-1].item
                    current.append(section)
                    sections.append(section)
                continue
            if len(run) >= 2 and not any(s.cells for s in run):
                current = [s for s in current if s not in run]  # an enumeration ended
                for listed_section in run:
                    listed_section.enumerated = True
            run = []
            if block.kind is not BlockKind.TABLE and self.cues.column_heading.match(block.text):
                continue
            if block.kind is BlockKind.HEADING and _numbered_heading(block.text):
                current = []  # a numbered part of the document that is no section
            if current:
                _holder(current, block).content.append(block)
        return sections

    def _enumerations(self) -> dict[int, list[Section]]:
        """Lists introduced as the principles ("The principles ... are:" then short
        titles such as "Common purpose", "Developing capacity"): each item is matched to a
        distinct core principle by the words the titles share, best pairs first, and the
        list counts when most of its items find one. A short title alone could as well
        be a sub-principle's; in a list of the principles it is the principle."""
        found: dict[int, list[Section]] = {}
        blocks = self.blocks
        principles = [i for i in self.items.items.values() if i.depth == 0]
        for index, block in enumerate(blocks[1:], start=1):
            intro = blocks[index - 1]
            if (block.kind is not BlockKind.LIST_ITEM or intro.kind is BlockKind.LIST_ITEM
                    or "principle" not in intro.text.lower()):
                continue
            run = [block]
            for following in blocks[index + 1:]:
                if following.kind is not BlockKind.LIST_ITEM or following.level != block.level:
                    break
                run.append(following)
            if not 3 <= len(run) <= len(principles):
                continue
            pairs = sorted(((max(covers(b.text, label) for label in p.labels), n, p)
                            for n, b in enumerate(run) for p in principles),
                           key=lambda pair: (-pair[0], pair[1], pair[2].notation))
            taken: dict[int, tuple[Item, float]] = {}
            used: set[URIRef] = set()
            for score, n, principle in pairs:
                if (score >= self.cues.threshold("enumeration_item") and n not in taken
                        and principle.iri not in used):
                    taken[n] = (principle, score)
                    used.add(principle.iri)
            if len(taken) * 2 > len(run):
                for n, (principle, score) in taken.items():
                    item = run[n]
                    found[id(item)] = [Section(principle, item, item.span, item.text,
                                               "by-text", score)]
        return found

    def _expand(self, block: Block) -> list[Block]:
        """A paragraph whose lines were joined (no blank line between them) is read line
        by line when one of its lines opens a section: a list of principles that the
        page printed one a line without markers."""
        if block.kind is not BlockKind.PARAGRAPH or "\n" not in block.text:
            return [block]
        parts: list[Block] = []
        offset = 0
        for number, line in enumerate(block.text.split("\n")):
            lead = len(line) - len(line.lstrip())
            text = line.strip()
            start = block.span.start + offset + lead
            line_number = block.span.line + number
            if text and parts and text[0].islower():
                # a hard line break inside a sentence (PDF extraction): the line goes on
                previous = parts[-1]
                joined = self._document_text[previous.span.start:start + len(text)]
                parts[-1] = Block(BlockKind.PARAGRAPH, joined,
                                  Span(previous.span.start, start + len(text),
                                       previous.span.line, line_number, block.span.page))
            elif text:
                parts.append(Block(BlockKind.PARAGRAPH, text,
                                   Span(start, start + len(text), line_number, line_number,
                                        block.span.page)))
            offset += len(line) + 1
        if not any(self.recognise(" ".join(p.text.split())) for p in parts):
            return [block]
        return parts

    def _sections_of(self, block: Block, document: Document) -> list[Section]:
        if block.kind is BlockKind.TABLE and (not block.rows or _contents(block)):
            return []  # a table of contents names every item and takes none up
        if block.kind is BlockKind.TABLE:
            # a row whose first cell names an item opens a section; the rows after it
            # (until the next such row) are its content, their first cells included; a
            # header row's other cells are the columns' names, not statements
            found: list[Section] = []
            # the header row, or a first row whose other cells are column headings
            head_row, roles = column_roles(block, self.cues)

            def cells(number: int, row_cells: tuple[Cell, ...], first: int) -> list[TableCell]:
                return [TableCell(c.text, c.span, number,
                                  roles[column] if column < len(roles) else "statement")
                        for column, c in enumerate(row_cells) if column >= first and c.text]

            principal: Section | None = None  # the item the table's header names
            previous = -1
            for number, row in enumerate(block.rows):
                if not row.cells:
                    continue
                first = row.cells[0]
                if principal is not None:
                    # the table is the item's: a row's first cell goes on naming it and
                    # the items under it, its other cells hold what the council states.
                    # A row any of whose cells opens in lower case goes on with the row
                    # above (a sentence the layout broke across lines), so it is that row.
                    if previous >= 0 and any(_CONTINUES.match(c.text) for c in row.cells):
                        number = previous
                    previous = number
                    if first.text.strip():
                        principal.named.append(TableCell(first.text, first.span, number))
                    principal.cells += cells(number, row.cells, 1)
                    continue
                hit = self.recognise(" ".join(first.text.split()))
                if hit is not None:
                    section = Section(hit[0], block, first.span, hit[1], hit[2], hit[3],
                                      headed=self._headed(first.text))
                    section.cells = [] if row is head_row else cells(number, row.cells, 1)
                    if (not hit[1] and len(section.cells) == 1
                            and self._restates(hit[0], section.cells[0].text)):
                        # "Core Principle 1 | <its wording>": the row states the item
                        section.wording, section.cells = section.cells[0].text.strip(), []
                    if (row is head_row and section.headed and not hit[1]
                            and hit[0].depth == 0):
                        principal = section
                    found.append(section)
                elif row is not head_row:
                    if found:
                        found[-1].cells += cells(number, row.cells, 0)
                    else:
                        self._leading.setdefault(id(block), []).extend(
                            cells(number, row.cells, 0))
            return found
        hit = self.recognise(" ".join(block.text.split()), block.marker)
        if hit is not None:
            return [Section(hit[0], block, block.span, hit[1], hit[2], hit[3],
                            headed=self._headed(block.text))]
        if block.kind is BlockKind.PARAGRAPH:
            return self._inline_sections(block)
        return []

    def _inline_sections(self, block: Block) -> list[Section]:
        """A paragraph that lists principles run in ("A. Behaving ... B. Ensuring ..."),
        as web pages flatten a list: each lettered part read on its own."""
        marks = list(self._inline.finditer(block.text))
        letters = "".join(m.group("num") for m in marks)
        if len(marks) < 3 or letters not in _LETTERS:
            return []
        found = []
        for index, mark in enumerate(marks):
            end = marks[index + 1].start() if index + 1 < len(marks) else len(block.text)
            part = block.text[mark.start():end].rstrip()
            hit = self.recognise(part[:300])
            if hit is not None:
                start = block.span.start + mark.start()
                span = Span(start, start + len(part), block.span.line, block.span.end_line,
                            block.span.page)
                found.append(Section(hit[0], block, span, hit[1], hit[2], hit[3]))
        return found


def column_roles(block: Block, cues: Cues) -> tuple[Row | None, list[str]]:
    """A table's header row (or a first row whose other cells are column headings) and
    the role of each column by its heading; (None, []) when the table names no columns."""
    head_row = block.header_rows[0] if block.header_rows else block.rows[0]
    roles = [cues.column_role(head) for head in head_row.texts]
    if not (head_row.header or any(
            role != "statement" or cues.column_heading.match(text)
            for role, text in zip(roles[1:], head_row.texts[1:], strict=False))):
        return None, []
    return head_row, roles


#: a cell that goes on with a sentence begun above it (it opens in lower case)
_CONTINUES = re.compile(r"\s*[a-z]")

#: a first cell that only says the row above goes on ("3.1.1 continued")
_CONTINUED = re.compile(r"^\S*\s*\(?continued\)?:?$", re.IGNORECASE)


def table_rows(block: Block, cues: Cues) -> list[list[TableCell]] | None:
    """The rows of a table whose headings say what its columns hold, as the reader means
    them: a row that a page break or a wrapped first cell split (its first cell empty,
    opening in lower case, or saying "continued") joins the row above, and the header row
    printed again on a new page is no row. None for a table that names no columns."""
    if not block.rows:
        return None
    head_row, roles = column_roles(block, cues)
    if head_row is None or not any(role != "statement" for role in roles):
        return None
    heads = [" ".join(t.split()) for t in head_row.texts]
    rows: list[list[TableCell]] = []
    for number, row in enumerate(block.rows):
        texts = [" ".join(t.split()) for t in row.texts]
        if row is head_row or row.header or texts[:len(heads)] == heads:
            continue
        row_cells = list(row.cells)
        head = head_row.cells[0].text.strip() if head_row.cells else ""
        if head and row_cells and row_cells[0].text.startswith(head):
            # the header printed again, run into the first row's first cell
            cut = row_cells[0].text[len(head):]
            lead = len(row_cells[0].text) - len(cut.lstrip())
            span = row_cells[0].span
            row_cells[0] = Cell(cut.strip(), Span(span.start + lead, span.end, span.line,
                                                  span.end_line, span.page))
            texts[0] = " ".join(row_cells[0].text.split())
        first = texts[0] if texts else ""
        cells = [TableCell(c.text, c.span, number,
                           roles[column] if column < len(roles) else "statement")
                 for column, c in enumerate(row_cells)
                 if c.text.strip() and not is_noise(c.text.strip())]
        if rows and (row.continues or not first or first[0].islower()
                     or _CONTINUED.match(first)):
            if _CONTINUED.match(first):
                cells = cells[1:]
            rows[-1] += [TableCell(c.text, c.span, rows[-1][0].row, c.role) for c in cells]
        elif cells:
            rows.append(cells)
    numbered = [bool(LEADING_NUMBERS.match(row[0].text)) for row in rows]
    if sum(numbered) * 2 > len(rows):
        # rows that state numbered items: a row without a number is the one above going
        # on (a page printed in narrow columns cuts a row into many)
        joined: list[list[TableCell]] = []
        for row, has_number in zip(rows, numbered, strict=True):
            if joined and not has_number:
                joined[-1] += [TableCell(c.text, c.span, joined[-1][0].row, c.role)
                               for c in row]
            else:
                joined.append(row)
        rows = joined
    return rows


def _contents(block: Block) -> bool:
    """A table of contents: its last column headed "Page" (or its rows ending in page
    numbers under a "Contents" heading)."""
    head = block.rows[0].texts
    return bool(head) and (head[-1].strip().casefold() in {"page", "pages", "page no",
                                                          "page number"}
                           or head[0].strip().casefold() == "contents")


def continued_row(block: Block, row: list[TableCell],
                  roles: list[str] | None = None) -> list[TableCell]:
    """A table with no column headings straight after a row of a table with them: the
    rest of that row, which a page break cut off. Its columns are the last ones of the
    row's table (a page whose first column had nothing left printed only the others):
    ``roles`` are that table's columns' (else the row's cells' roles are taken, which
    holds only where every cell of the row is filled)."""
    roles = roles or [cell.role for cell in row]
    width = max(len(r.cells) for r in block.rows)
    columns = roles[-width:] if len(roles) >= width else roles + ["statement"] * width
    return [TableCell(cell.text, cell.span, row[0].row, columns[column])
            for r in block.rows for column, cell in enumerate(r.cells) if cell.text.strip()]


def _holder(current: list[Section], block: Block) -> Section:
    """The open section a block belongs to: a list item beside the list item that opened
    the innermost section (a sibling in the same list) belongs to the section above."""
    inner = current[-1].block
    if (len(current) > 1 and block.kind is BlockKind.LIST_ITEM
            and inner.kind is BlockKind.LIST_ITEM and inner.level == block.level):
        return current[-2]
    return current[-1]


_NUMBERED_HEADING = re.compile(r"^\d{1,2}(?:\.0)?\.?\s+[A-Z]")


def _numbered_heading(text: str) -> bool:
    return bool(_NUMBERED_HEADING.match(text))
