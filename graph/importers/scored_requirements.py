"""Scored self-assessment schedules: one row per CIPFA/SOLACE 2007 requirement with a score.

The layout (Stevenage's corporate governance schedule, corpus document 004) is a table per
group of requirements under each principle heading, with seven columns: the requirement
("The code should reflect the requirement for local authorities to:"), the evidence, a
score out of 10, the improvement plans reported for the assessment period, their
progress, the specific actions for the next period and the lead officer. The text comes
out of a PDF, which leaves these difficulties:

- a row that crosses a page break is cut in two: its first cells end one table and the
  rest open the next, after a repeated header row; either half may hold the score;
- header rows repeat on every page, some with the scale cut short ("Score 1-");
- one row may merge two or three requirements, numbered ("1. Set out ... 2. Set out ...")
  or run together as bullets whose glyphs were lost;
- requirement wording has typos ("employers" for "employees"), so it is matched by text
  against the requirements of the principle the row sits under, not by position;
- bullet glyphs are lost, so list items run together; a cell that was a bulleted list
  keeps a leading blank where the glyph stood;
- lead officers are named with variant spellings and word order, and a cell may name two
  ("X Manager/Y Manager") or a team instead of a post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import ClassVar

from rapidfuzz import fuzz, utils
from rdflib import SKOS, Literal, URIRef

from govkg.graph.errors import InputError, Location
from govkg.graph.importers.base import Importer, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder, decimal
from govkg.graph.importers.linking import Gazetteer, ItemMatcher
from govkg.graph.importers.names import find_bodies
from govkg.graph.importers.text import clean, split_run_together
from govkg.graph.namespaces import GOVKG, ROLE

COLUMNS = ("requirement", "evidence", "score", "plans", "progress", "actions", "lead")

_HEADER_START = "the code should reflect the requirement"
_HEADING = re.compile(r"^PRINCIPLE\b[\s:]*(?:(ONE|TWO|THREE|FOUR|FIVE|SIX)\b)?[\s:]*(.*)$")
_NUMBER_WORDS = {"ONE": "1", "TWO": "2", "THREE": "3", "FOUR": "4", "FIVE": "5", "SIX": "6"}
_SCALE = re.compile(r"Score\s+(\d+)\s*-\s*(\d+)")
_PERIOD = re.compile(r"\b(\d{4}/\d{2})\b")
_SCORE = re.compile(r"^\d{1,2}(?:\.\d+)?$")
_NONE = re.compile(r"^no specific actions?\b", re.IGNORECASE)
_BULLET_GLYPHS = "•●▪■◦·‣⁃∙\uf0b7\uf0a7"

#: A requirement's wording counts as part of a row when it is this much contained in it
#: (rapidfuzz partial_ratio, 0-100). On the corpus, requirements a row states score 93-100
#: and the others at most 72.
CONTAINED = 85.0

#: Words after which a capitalised word continues the same item ("Call for Action").
_JOINERS = {"and", "or", "of", "the", "a", "an", "to", "for", "with", "in", "on", "by", "at",
            "from", "into", "including", "between", "as", "via", "per", "&", "-", "–", "/",
            "all", "any", "each", "every", "its", "their", "our", "key", "other", "various",
            "this", "that", "these", "those"}
#: Lead cells naming a group of people rather than one post.
_COLLECTIVE = re.compile(r"\b(Team|Board|Group|Committee|Panel|Forum)$")
#: A capitalised group of officers, which names.find_bodies does not know.
_TEAM = re.compile(r"\b((?:[A-Z][\w'-]*\s+){1,4}(?:Team|Group))\b")
#: A sentence about a partnership: the bodies it names are the partnership's, not the council's.
_PARTNERSHIP = re.compile(r"\bpartnerships?\b", re.IGNORECASE)
#: After a body's name, "of <Name>" makes it another organisation's ("Panel of So X").
_OF_ANOTHER = re.compile(r"\s+of\s+[A-Z]")


# ---------------------------------------------------------------------------- cells and rows


@dataclass(frozen=True)
class Fragment:
    """The part of a cell on one line: its line number and exact (stripped) text."""

    line: int
    text: str


@dataclass
class Cell:
    """One table cell, possibly in two fragments when its row crossed a page break."""

    fragments: list[Fragment] = field(default_factory=list)
    bulleted: bool = False

    @property
    def text(self) -> str:
        return " ".join(f.text for f in self.fragments if f.text)

    def extend(self, other: Cell) -> None:
        self.bulleted = self.bulleted or (not self.text and other.bulleted)
        self.fragments.extend(other.fragments)

    def pieces(self, start: int, end: int) -> list[Fragment]:
        """The exact text of ``text[start:end]`` on each line it comes from."""
        found, base = [], 0
        for fragment in (f for f in self.fragments if f.text):
            lo, hi = max(start, base), min(end, base + len(fragment.text))
            piece = fragment.text[lo - base : hi - base].strip() if lo < hi else ""
            if piece:
                found.append(Fragment(fragment.line, piece))
            base += len(fragment.text) + 1
        return found


@dataclass
class Row:
    """One scored row of the schedule, with the principle and header it sits under."""

    cells: dict[str, Cell]
    principle: URIRef
    header_line: int

    @property
    def lines(self) -> list[int]:
        return sorted({f.line for cell in self.cells.values() for f in cell.fragments})

    @property
    def score(self) -> str:
        return self.cells["score"].text

    def merge(self, other: Row) -> None:
        for name in COLUMNS:
            self.cells[name].extend(other.cells[name])


@dataclass
class Schedule:
    """What the reader found: the rows, and the scale and periods the headers state."""

    rows: list[Row]
    scale: tuple[Decimal, Decimal]
    period: str
    next_period: str
    title_lines: tuple[int, int]


def _cells(line_number: int, line: str) -> dict[str, Cell]:
    raw = line.split("\t") + [""] * len(COLUMNS)
    cells = {}
    for name, text in zip(COLUMNS, raw, strict=False):
        bulleted = bool(text) and (text[0].isspace() or text.lstrip()[:1] in _BULLET_GLYPHS)
        cells[name] = Cell([Fragment(line_number, text.strip())], bulleted)
    return cells


def _is_header(line: str) -> bool:
    return line.lower().startswith(_HEADER_START) and "\t" in line


def _principle(heading: str, line_number: int, matcher: ItemMatcher,
               doc: SourceDocument) -> URIRef:
    """The core principle a heading names: by its number word, or else by its wording
    (one heading in the corpus lost its number)."""
    match = _HEADING.match(heading)
    assert match is not None
    number, wording = match.groups()
    item = matcher.number(_NUMBER_WORDS[number]) if number else None
    if item is None:
        best = matcher.best(wording, level=GOVKG.CorePrinciple, cutoff=80.0)
        item = best.item if best else None
    if item is None:
        raise InputError(f"cannot tell which principle the heading names: {heading[:60]!r}",
                         Location(str(doc.path), line_number))
    return item


def _header_facts(doc: SourceDocument, headers: list[int]) -> tuple[tuple[Decimal, Decimal],
                                                                     str, str]:
    """The score scale and the two periods, from the first header rows that state them
    whole (most headers cut the scale to "Score 1-")."""
    scale: tuple[Decimal, Decimal] | None = None
    periods: tuple[str, str] | None = None
    for number in headers:
        cells = doc.line(number).split("\t")
        found = _SCALE.search(doc.line(number))
        if scale is None and found:
            scale = (Decimal(found.group(1)), Decimal(found.group(2)))
        plan, action = (_PERIOD.search(c) for c in (cells[3], cells[5])) if len(cells) > 5 \
            else (None, None)
        if periods is None and plan and action:
            periods = (plan.group(1), action.group(1))
    if scale is None or periods is None:
        raise InputError("the schedule's header rows state no score scale or no periods",
                         Location(str(doc.path), headers[0] if headers else None))
    return scale, *periods


def read_schedule(doc: SourceDocument, matcher: ItemMatcher) -> Schedule:
    """Every scored row, with the halves of rows cut by a page break joined again."""
    rows: list[Row] = []
    headers: list[int] = []
    principle: URIRef | None = None
    first_in_table = False
    for number, line in enumerate(doc.lines, start=1):
        if _HEADING.match(line):
            principle = _principle(line, number, matcher, doc)
        elif _is_header(line):
            headers.append(number)
            first_in_table = True
        elif "\t" in line and headers and principle is not None:
            row = Row(_cells(number, line), principle, headers[-1])
            # A page break cut the previous row: whichever half lacks the score joins the other.
            if rows and first_in_table and not (row.score and rows[-1].score):
                rows[-1].merge(row)
            else:
                rows.append(row)
            first_in_table = False
        elif line.strip():
            principle = None  # prose after the last table (its reading list) ends the schedule
    for row in rows:
        if not _SCORE.match(row.score):
            raise InputError(f"a row has no score (cell {row.score!r})",
                             Location(str(doc.path), row.lines[0]))
    scale, period, next_period = _header_facts(doc, headers)
    return Schedule(rows, scale, period, next_period, _title_lines(doc))


def _title_lines(doc: SourceDocument) -> tuple[int, int]:
    """The lines before the first principle heading that hold text."""
    first_heading = next(n for n, text in enumerate(doc.lines, 1) if _HEADING.match(text))
    used = [n for n in range(1, first_heading) if doc.line(n).strip()]
    return (used[0], used[-1]) if used else (first_heading, first_heading)


# ---------------------------------------------------------------------------- items in a cell

_NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})\.\s+")
_TOKEN = re.compile(r"\S+")
_OPENING_QUOTES = "\"'“‘"
#: A plural acronym ("PDMs") ends an item as a lower-case word does.
_PLURAL_ACRONYM = re.compile(r"^[A-Z]{2,}s$")


@dataclass(frozen=True)
class ItemRules:
    """How a column's cells are cut into items where the list glyphs were lost.

    ``sentences``: a full stop ends an item; ``min_words``: shorter pieces are glued to
    the next (a lone year, a trailing "Grant Aid" is not an item); ``lists``: " - "
    before a lower-case word starts an item, a piece ending with a colon introduces a
    list and is not itself an item, and words run together are cut apart.
    """

    sentences: bool
    min_words: int = 1
    lists: bool = False


EVIDENCE_RULES = ItemRules(sentences=True, lists=True)
#: Plans are written as short lines, one plan a line.
PLAN_RULES = ItemRules(sentences=True, min_words=3)
#: Actions are prose: a sentence ends an action only in a bulleted cell.
ACTION_RULES = ItemRules(sentences=False, min_words=3)


def numbered_items(text: str) -> list[tuple[int, int]] | None:
    """Spans of the items of a list numbered "1. ... 2. ...", or None if not numbered."""
    marks, expected = [], 1
    for mark in _NUMBERED.finditer(text):
        if int(mark.group(1)) == expected and (expected > 1 or mark.start() == 0):
            marks.append(mark)
            expected += 1
    if not marks:
        return None
    ends = [m.start() for m in marks[1:]] + [len(text)]
    return [(m.end(), end) for m, end in zip(marks, ends, strict=True)]


def _ends_item(word: str, rules: ItemRules) -> bool:
    """Whether an item may end with ``word`` when a capitalised word follows it."""
    if word.lower().strip(",;") in _JOINERS:
        return False
    if word.endswith(":"):
        return True
    if word[-1] in ".!?":
        return rules.sentences
    if word[-1] in "\"”" or (word[-1] in "'’" and word[:1] in "'‘"):
        return True  # a quoted title ends; "Members'" is a possessive and does not
    if word.endswith(")"):  # "(LSP) Guide" continues; "(inc. Budgeting) Neighbourhood" ends
        return not word.startswith("(")
    core = word.lstrip("(.\"'“‘")
    return bool(_PLURAL_ACRONYM.match(core)) or (
        not core[:1].isupper() and (core[-1:].islower() or core[-1:].isdigit()))


def _starts_item(previous: str, token: str, following: str, rules: ItemRules) -> bool:
    """Whether ``token`` begins a new item between ``previous`` and ``following``."""
    if rules.lists and token == "-" and following[:1].islower():
        return True
    if rules.lists and re.match(r"-[a-z]", token):
        return True
    starts_capital = token[:1].isupper() or (token[:1] in _OPENING_QUOTES
                                             and token[1:2].isupper())
    return starts_capital and _ends_item(previous, rules)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span to its item text, without list dashes or surrounding blanks."""
    while start < end and (text[start].isspace() or text[start] in "-" + _BULLET_GLYPHS):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _glue_short(spans: list[tuple[int, int]], text: str,
                min_words: int) -> list[tuple[int, int]]:
    """Join pieces shorter than ``min_words`` to the next piece (the last to the previous)."""
    spans = list(spans)
    i = 0
    while len(spans) > 1 and i < len(spans):
        start, end = spans[i]
        if len(text[start:end].split()) >= min_words:
            i += 1
        elif i + 1 < len(spans):
            spans[i : i + 2] = [(start, spans[i + 1][1])]
        else:
            spans[i - 1 : i + 1] = [(spans[i - 1][0], end)]
            i -= 1
    return spans


def _cuts(text: str, rules: ItemRules, anchors: tuple[str, ...]) -> list[int]:
    """Where items begin: list boundaries, words run together, and the end of a known
    name ("... rests with Head of X Signed up to ...") followed by a capitalised word."""
    tokens = list(_TOKEN.finditer(text))
    words = [split_run_together(t.group())[-1] if rules.lists else t.group() for t in tokens]
    cuts = {tokens[i].start() for i in range(1, len(tokens))
            if _starts_item(words[i - 1], tokens[i].group(),
                            tokens[i + 1].group() if i + 1 < len(tokens) else "", rules)}
    if rules.lists:
        for piece in _TOKEN.finditer(text):
            parts = split_run_together(piece.group())
            offset = piece.start()
            for part in parts[1:]:
                offset = text.index(part, offset)
                cuts.add(offset)
    for name in anchors:
        for found in re.finditer(rf"\b{re.escape(name)}\s+(?=[A-Z])", text, re.IGNORECASE):
            cuts.add(found.end())
    return sorted({0, len(text)} | cuts)


def _split_after_known(text: str, spans: list[tuple[int, int]],
                       kinds: Gazetteer) -> list[tuple[int, int]]:
    """Cut a piece after the known kind of evidence it begins with ("Constitution",
    "Asset Management Strategy") where a capitalised word follows: that word begins the
    next item, which the extraction ran on without a separator."""
    done: list[tuple[int, int]] = []
    todo = list(reversed(spans))
    while todo:
        start, end = todo.pop()
        piece = text[start:end]
        first = next(iter(kinds.mentions(piece)), None)
        gap = re.match(r"\s+(?=[A-Z\"“‘])", piece[first.end:]) if first and not first.start \
            else None
        if first is None or gap is None:
            done.append((start, end))
            continue
        done.append((start, start + first.end))
        todo.append((start + first.end + gap.end(), end))
    return done


def split_items(text: str, rules: ItemRules, *, bulleted: bool = False,
                anchors: tuple[str, ...] = (),
                kinds: Gazetteer | None = None) -> list[tuple[int, int]]:
    """Spans of the items of one cell: its numbered items where it is numbered, else the
    pieces that ``rules`` recover where the extraction ran a list together.

    >>> t = "Complaints procedure Councillor Call for Action (CCfA)arrangements"
    >>> [t[s:e] for s, e in split_items(t, EVIDENCE_RULES)]
    ['Complaints procedure', 'Councillor Call for Action (CCfA)arrangements']
    """
    numbered = numbered_items(text)
    if numbered is not None:
        return [_trim(text, s, e) for s, e in numbered]
    if bulleted and not rules.sentences:
        rules = ItemRules(True, rules.min_words, rules.lists)
    cuts = _cuts(text, rules, anchors)
    spans = [_trim(text, s, e) for s, e in zip(cuts, cuts[1:], strict=False)]
    spans = [(s, e) for s, e in spans if e > s]
    if kinds is not None:
        spans = _split_after_known(text, spans, kinds)
    if rules.lists:
        spans = [(s, e) for s, e in spans if not text[s:e].endswith(":")]
    return _glue_short(spans, text, rules.min_words)


def cell_items(cell: Cell, rules: ItemRules, anchors: tuple[str, ...] = (),
               kinds: Gazetteer | None = None) -> list[list[Fragment]]:
    """The items of ``cell``, each as the exact text it has on each of its lines."""
    text = cell.text
    if not text or _NONE.match(text):
        return []
    spans = split_items(text, rules, bulleted=cell.bulleted, anchors=anchors, kinds=kinds)
    return [cell.pieces(s, e) for s, e in spans]


# ---------------------------------------------------------------------------- requirements


def assessed_items(wording: str, principle: URIRef, matcher: ItemMatcher) -> list[tuple[URIRef,
                                                                                       float]]:
    """The requirements of ``principle`` that a row's wording states, with how sure.

    A row may merge two or three requirements, numbered or not, so every requirement
    whose wording is contained in the row's (allowing for typos) counts; a row that
    contains none is linked to its single best match.
    """
    vocabulary = matcher.vocabulary
    found = []
    for item in matcher.under(principle):
        if matcher.level(item) != GOVKG.SpecificRequirement:
            continue
        labels = [str(label) for prop in (SKOS.prefLabel, SKOS.altLabel)
                  for label in vocabulary.objects(item, prop)]
        score = max(fuzz.partial_ratio(label, wording, processor=utils.default_process)
                    for label in labels)
        if score >= CONTAINED:
            found.append((item, round(score, 1)))
    if not found:
        best = matcher.best(wording, level=GOVKG.SpecificRequirement, within=principle)
        found = [(best.item, best.score)] if best else []
    return sorted(found, key=lambda pair: [int(n) for n in str(
        vocabulary.value(pair[0], SKOS.notation)).split(".")])


# ---------------------------------------------------------------------------- lead officers


def _name_key(name: str) -> tuple[str, ...]:
    """Spellings of one title that differ only in case, word order, '&' or a plural
    ("Head of Customer Service(s) ...", "Partnerships and Communications Manager" /
    "Communications and Partnerships Manager") share a key."""
    words = re.findall(r"\w+", name.lower().replace("&", " and "))
    return tuple(sorted(w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words))


def lead_names(cell: Cell) -> list[tuple[str, list[Fragment]]]:
    """The posts (or teams) a lead-officer cell names: "X Manager/Y Manager" names two."""
    text = cell.text
    names, start = [], 0
    for part in text.split("/"):
        end = start + len(part)
        s, e = _trim(text, start, end)
        while e > s and text[e - 1] in ".,;":
            e -= 1
        if e > s:
            names.append((text[s:e], cell.pieces(s, e)))
        start = end + 1
    return names


def canonical_names(rows: list[Row]) -> dict[tuple[str, ...], str]:
    """For each lead officer, the spelling the document uses most (first on a tie)."""
    spellings: Counter[str] = Counter()
    for row in rows:
        spellings.update(name for name, _ in lead_names(row.cells["lead"]))
    chosen: dict[tuple[str, ...], str] = {}
    for name, _ in spellings.most_common():
        chosen.setdefault(_name_key(name), name)
    return chosen


# ---------------------------------------------------------------------------- the graph


def _label(fragments: list[Fragment]) -> str:
    """An item's label: its text cleaned, with slashes closed up and a letter that the
    extraction broke off a word joined back ("specificatio n")."""
    text = clean(" ".join(f.text for f in fragments))
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"(?<=[a-z]{3}) (?=[b-hj-z]$)", "", text)
    return text.rstrip(" .;,")


def _span(fragments: list[Fragment]) -> tuple[int, int]:
    return fragments[0].line, fragments[0].line


class _Writer:
    """Adds one schedule to a document's builder."""

    def __init__(self, builder: DocumentBuilder, schedule: Schedule) -> None:
        self.builder = builder
        self.graph = builder.graph
        self.schedule = schedule
        self.names = canonical_names(schedule.rows)
        self.matcher = builder.matcher
        self.lead_role = ROLE["lead-officer"]

    def cite_rest(self, node: URIRef, fragments: list[Fragment]) -> None:
        """Cite the parts of an item that a page break carried to another line."""
        for fragment in fragments[1:]:
            self.builder.cite(node, (fragment.line, fragment.line), fragment.text)

    # ------------------------------------------------------------------ results

    def result(self, number: int, row: Row) -> URIRef:
        first, *rest = row.lines
        requirement = row.cells["requirement"]
        node = self.builder.resource("result", f"{number:02d}", GOVKG.SelfAssessmentResult,
                                     (first, first), label=_label(requirement.fragments))
        for line in rest:
            self.builder.cite(node, (line, line))
        g = self.graph
        minimum, maximum = self.schedule.scale
        g.add((node, GOVKG.score, decimal(row.score)))
        g.add((node, GOVKG.scaleMinimum, decimal(minimum)))
        g.add((node, GOVKG.scaleMaximum, decimal(maximum)))
        g.add((node, GOVKG.period, Literal(self.schedule.period)))
        assert self.matcher is not None
        for item, score in assessed_items(requirement.text, row.principle, self.matcher):
            self.builder.link(node, item, "by-text", score, prop=GOVKG.assesses)
        return node

    def evidence(self, result: URIRef, row: Row) -> None:
        anchors = tuple(self.names.values())
        kinds = self.builder.gazetteers.evidence_kinds
        for item in cell_items(row.cells["evidence"], EVIDENCE_RULES, anchors, kinds):
            label = _label(item)
            owner = _RESTS_WITH.search(label)
            node = self.builder.evidence(label[: owner.start()] if owner else label,
                                         _span(item), item[0].text)
            self.cite_rest(node, item)
            self.graph.add((result, GOVKG.citesEvidence, node))
            if owner:
                self.owner(owner.group(1), node, item[0])

    def owner(self, name: str, evidence: URIRef, fragment: Fragment) -> None:
        """"<evidence> rests with <post>": the post is responsible for the evidence."""
        canonical = self.names.get(_name_key(name))
        if canonical is None:
            return
        post = self.post(canonical, name, fragment)
        self.builder.responsibility(post, "responsible-for", evidence,
                                    (fragment.line, fragment.line), fragment.text)

    # ------------------------------------------------------------------ actions

    def action(self, result: URIRef, key: str, item: list[Fragment], period: str) -> URIRef:
        """An improvement action of ``result``, addressing what its row assesses."""
        node = self.builder.resource("action", key, GOVKG.ImprovementAction, _span(item),
                                     item[0].text, label=_label(item))
        self.cite_rest(node, item)
        self.graph.add((node, GOVKG.targetPeriod, Literal(period)))
        for assessed in list(self.graph.objects(result, GOVKG.assesses)):
            assert isinstance(assessed, URIRef)
            self.builder.link(node, assessed, "by-structure")
        self.graph.add((result, GOVKG.improvementAction, node))
        return node

    def plans(self, result: URIRef, number: int, row: Row) -> None:
        """The improvement plans reported for the period assessed, with their progress:
        item by item where both cells list the same number of items."""
        plans = cell_items(row.cells["plans"], PLAN_RULES)
        progress_cell = row.cells["progress"]
        numbered = numbered_items(progress_cell.text) or []
        paired = len(numbered) == len(plans) > 1
        for index, plan in enumerate(plans, start=1):
            node = self.action(result, f"{number:02d}-plan-{index}", plan, self.schedule.period)
            if paired:
                progress = progress_cell.pieces(*numbered[index - 1])
            else:
                progress = progress_cell.pieces(0, len(progress_cell.text))
            if progress:
                self.graph.add((node, GOVKG.progress, Literal(_label(progress), lang="en")))
                for fragment in progress:
                    self.builder.cite(node, (fragment.line, fragment.line), fragment.text)

    def next_actions(self, result: URIRef, number: int, row: Row) -> None:
        """The actions for the next period, each led by the cell's lead officer(s)."""
        leads = [self.lead(name, pieces, row) for name, pieces in lead_names(row.cells["lead"])]
        actions = cell_items(row.cells["actions"], ACTION_RULES)
        for index, item in enumerate(actions, start=1):
            node = self.action(result, f"{number:02d}-next-{index}", item,
                               self.schedule.next_period)
            for agent, _is_post, fragment in leads:
                # a team or board named as the lead is the action's lead body
                self.graph.add((node, GOVKG.leadPost, agent))
                self.builder.responsibility(agent, "leads", node,
                                            (fragment.line, fragment.line), fragment.text)

    # ------------------------------------------------------------------ posts and bodies

    def post(self, canonical: str, spelling: str, fragment: Fragment) -> URIRef:
        node = self.builder.post(canonical, (fragment.line, fragment.line), fragment.text)
        if spelling != canonical:
            self.graph.add((node, SKOS.altLabel, Literal(spelling, lang="en")))
        return node

    def lead(self, name: str, pieces: list[Fragment], row: Row) -> tuple[URIRef, bool,
                                                                          Fragment]:
        """A lead officer's post (or the team named instead), read as the lead officer
        for improvement actions that the column header calls it."""
        fragment = pieces[0]
        if _COLLECTIVE.search(name):
            body = self.builder.body(name, (fragment.line, fragment.line), fragment.text)
            return body, False, fragment
        post = self.post(self.names[_name_key(name)], name, fragment)
        header = self.builder.doc.line(row.header_line).split("\t")
        if len(header) == len(COLUMNS) and (self.lead_role, None, None) in \
                self.builder.vocabulary:
            self.builder.assign_role(post, self.lead_role, (row.header_line, row.header_line),
                                     header[-1].strip())
        return post, True, fragment

    def write(self) -> None:
        for number, row in enumerate(self.schedule.rows, start=1):
            result = self.result(number, row)
            self.evidence(result, row)
            self.plans(result, number, row)
            self.next_actions(result, number, row)
        _Bodies(self.builder, self.schedule.rows).write()


_RESTS_WITH = re.compile(r"\s+rests with\s+(?:the\s+)?(.+)$")
#: "<title> was approved by <body>"
_APPROVED = re.compile(
    r"(?:The Council['’]s\s+|the\s+)?"
    r"(?P<object>[A-Z][\w'&-]*(?:\s+(?:[A-Z][\w'&-]*|and|of|&|\d{4}/\d{2}|–))*)"
    r"\s+(?:was|were|has been|have been|is|are)\s+approved\s+by\s+(?:the\s+)?"
    r"(?P<agent>[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*)")
#: What a body monitors: a capitalised title, perhaps ending in a lower-case document noun.
_MONITORED = (r"(?:the\s+)?(?P<object>(?:[A-Z][\w'-]*\s+)*[A-Z][\w'-]*"
              r"(?:\s+(?:register|strategy|policy|plan|report)s?)?)")
_BODY_COLUMNS = ("evidence", "plans", "progress", "actions")


class _Bodies:
    """The council's committees, boards and teams that the cells name, and what the
    text says they monitor or approve."""

    def __init__(self, builder: DocumentBuilder, rows: list[Row]) -> None:
        self.builder = builder
        self.fragments = [f for row in rows for column in _BODY_COLUMNS
                          for f in row.cells[column].fragments if f.text]

    def mentions(self) -> Iterator[tuple[str, Fragment]]:
        for fragment in self.fragments:
            names = [found.name for found in find_bodies(fragment.text)]
            names += [found.group(1) for found in _TEAM.finditer(fragment.text)]
            for name in dict.fromkeys(names):
                if name in fragment.text:
                    yield name, fragment

    def partnership_bodies(self) -> set[str]:
        """Names that the text places in a partnership or in another organisation: a
        sentence about a partnership names them, or "of <Name>" follows them."""
        excluded = set()
        for fragment in self.fragments:
            for sentence in re.split(r"(?<=\.)\s+", fragment.text):
                for body in find_bodies(sentence):
                    if _PARTNERSHIP.search(sentence) or _OF_ANOTHER.match(sentence[body.end:]):
                        excluded.add(body.name)
        return excluded

    def write(self) -> None:
        excluded = self.partnership_bodies()
        known: dict[str, str] = {}
        for name, fragment in self.mentions():
            if name not in excluded:
                self.builder.body(name, (fragment.line, fragment.line), name)
                known.setdefault(name.casefold(), name)
        for fragment in self.fragments:
            self.approvals(fragment)
            if known:
                self.monitoring(fragment, known)

    def approvals(self, fragment: Fragment) -> None:
        for found in _APPROVED.finditer(fragment.text):
            lines = (fragment.line, fragment.line)
            body = self.builder.body(found.group("agent"), lines, found.group("agent"))
            evidence = self.builder.evidence(found.group("object"), lines,
                                             found.group("object"))
            self.builder.responsibility(body, "approves", evidence, lines, found.group(0))

    def monitoring(self, fragment: Fragment, known: dict[str, str]) -> None:
        """"<body> (and the <body>) monitor(s) <title>": each body monitors the title."""
        one = "|".join(re.escape(name) for name in sorted(known.values(), key=len,
                                                           reverse=True))
        pattern = re.compile(rf"(?P<agents>(?i:(?:the\s+)?(?:{one})"
                             rf"(?:\s+and\s+(?:the\s+)?(?:{one}))*))\s+monitors?\s+{_MONITORED}")
        lines = (fragment.line, fragment.line)
        for found in pattern.finditer(fragment.text):
            evidence = self.builder.evidence(found.group("object"), lines, found.group("object"))
            for agent in re.finditer(rf"(?i:{one})", found.group("agents")):
                body = self.builder.body(known[agent.group(0).casefold()], lines,
                                         agent.group(0))
                self.builder.responsibility(body, "monitors", evidence, lines, found.group(0))


# ---------------------------------------------------------------------------- the importer


class ScoredRequirementsImporter(Importer):
    """A self-assessment schedule scoring each 2007 requirement, with plans and actions."""

    layout: ClassVar[str] = "scored-requirements"
    kind: ClassVar[str] = "self-assessment"
    description: ClassVar[str] = (
        "tables of CIPFA/SOLACE 2007 requirements with evidence, a score, improvement plans "
        "and their progress, next period's actions and their lead officer")

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        """Header rows naming the requirement, score and lead-officer columns, and rows
        whose third cell is a score."""
        headers = sum(1 for line in doc.lines if _is_header(line) and "Score" in line
                      and "Lead Officer" in line)
        scored = sum(1 for line in doc.lines
                     if line.count("\t") >= len(COLUMNS) - 1
                     and _SCORE.match(line.split("\t")[2].strip()))
        if not headers:
            return 0.0
        return round(0.6 * min(1.0, headers / 3) + 0.4 * min(1.0, scored / 5), 2)

    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        if builder.matcher is None:
            raise InputError("a scored self-assessment needs the framework edition it scores "
                             "against; pass --framework", Location(str(doc.path)))
        schedule = read_schedule(doc, builder.matcher)
        start, end = schedule.title_lines
        title = ": ".join(doc.line(n).strip() for n in range(start, end + 1)
                          if doc.line(n).strip())
        builder.describe(title=title, period=schedule.period, lines=(start, end))
        _Writer(builder, schedule).write()
