"""Local codes laid out as one table per core principle (Kent County Council's code, 000).

Each table opens with a header row ``Principle One | How we achieve this | Policies/Plans``
and holds one row, which page breaks may spread over several tab-separated lines (a
continuation line may open with a ``····`` cell). In that row:

- the first column states the core principle, a colon, then its supporting principles run
  together;
- the second column states the council's commitments run together without separators,
  each a paraphrase of one (sometimes two) of the framework's specific requirements, in
  the framework's order;
- the third column lists policies and plans, run together or separated only by spaces,
  with bulleted sub-lists (``Constitution: • Scheme of Delegation • ...``) and ``<u>``
  fragments.

What this importer makes of it, and why:

- **Commitments.** The second column is cut into commitments and each is linked to its
  requirement(s) in one step: :func:`align` chooses, among the places where a new
  paraphrase could start (a capitalised word not following a connective), the cuts and a
  monotone assignment of the principle's requirements that together match best (rapidfuzz
  ``ratio``). Order matters because the paraphrases are loose: matching each piece on its
  own (``ItemMatcher.best``) picks the wrong requirement for several of Kent's commitments,
  while the order pins them down. A commitment may cover up to three consecutive
  requirements (Kent's commitment on remuneration also promises mechanisms to monitor
  service delivery, so covers 2.3.2 and 2.3.3); requirements the code leaves out are skipped.
  Each requirement link is ``by-text`` with that ratio as its score; each commitment is
  also linked ``by-structure`` to the core principle whose table it sits in. No commitment
  is linked to a supporting principle by structure: the layout puts all of a principle's
  commitments in one cell, not under its supporting principles.
- **Principles.** The document itself addresses each core principle (``by-number``: the
  header names it) and each supporting principle the first column states (``by-text``,
  aligned the same way as the commitments).
- **Evidence.** The Policies/Plans column belongs to the whole principle table, not to a
  commitment, so every commitment of a table cites every piece of evidence of that table
  (``govkg:citesEvidence``): the code offers them jointly as support for the principle.
  Items bulleted under a heading ("Constitution: • Scheme of Delegation") are
  ``dcterms:isPartOf`` that heading's evidence. The same item cited in several tables is
  one resource, labelled as it is first written, with a source for every citation.
- **Bodies** are the council's committees and teams named in the commitments and the
  introduction, and those names in the Policies/Plans column whose function the
  body-function scheme recognises ("Standards Committee"); other names there ("Kent
  Forum", a partnership) stay evidence only, since the text does not say they belong to
  the council. "The County Council" that approves something is the full council.
- **Posts and roles.** Posts are looked for in the commitments only (the introduction names
  SOLACE, whose name contains post-like words); a name that is a role's label ("Monitoring
  Officer") is a role, not a post. Kent names no post, so a responsibility given to a role
  has the role itself as its agent.
- **Responsibilities.** "Making [a] [the] X responsible ... for Y" makes X (a role or a
  body) responsible for the governance topics Y names, or, where Y names none, for the
  requirement(s) the commitment addresses (their wording states the duty). A statement
  that something is reported to bodies "for approval" makes each of them approve the
  topics of what is reported.
- The document is undated, so no date is stated.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, utils
from rdflib import SKOS, URIRef
from rdflib.namespace import DCTERMS

from govkg.graph.importers.base import Importer, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.linking import Gazetteer
from govkg.graph.importers.names import find_bodies, find_posts
from govkg.graph.importers.text import clean, split_run_together
from govkg.graph.namespaces import BODY_FUNCTION, GOVKG

_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
            "seven": "7"}
_HEADER_CELL = re.compile(r"principle\s+(one|two|three|four|five|six|seven|[1-7]|[a-g])",
                          re.IGNORECASE)
_TITLE = re.compile(r"^\s*((?:local\s+)?code\s+of\s+(?:corporate\s+)?governance)\s*$",
                    re.IGNORECASE)
_TAG = re.compile(r"</?[a-zA-Z][^<>]*>")
_CONTINUATION = re.compile(r"^[\s·.…]*$")
# Words after which a capitalised word does not start a new paraphrase or title.
_CONNECTIVES = frozenset({
    "a", "an", "and", "or", "of", "to", "for", "by", "with", "between", "in", "on", "at",
    "from", "the", "our", "its", "their", "that", "which", "all", "any", "each", "both",
    "including", "as", "than", "is", "are", "be"})
# Nouns that end the name of a policy, plan, body or document in councils' lists, so that
# a capitalised word after them starts the next item ("Scheme of Delegation Financial ...").
_HEAD_NOUNS = frozenset({
    "plan", "plans", "policy", "policies", "strategy", "scheme", "schemes", "regulations",
    "procedures", "procedure", "programme", "protocol", "protocols", "code", "codes",
    "conduct", "register", "registers", "framework", "report", "reports", "statement",
    "charter", "assessment", "compact", "committee", "forum", "board", "boards", "panel",
    "team", "manager", "constitution", "accounts", "delegation", "officers",
    "reference", "rules", "guidance", "agreement"})
_YEAR = re.compile(r"(?:19|20)\d\d")
_BULLET = re.compile(r"[•●▪◦‣∙\uf0b7]")
_LIST_BREAK = re.compile(r"\s*(?::\s*)?[•●▪◦‣∙\uf0b7]\s*|:\s+")
_FULL_COUNCIL = re.compile(r"(?:full |county |borough |city |district )?council", re.IGNORECASE)
_MADE_RESPONSIBLE = re.compile(
    r"\bMak(?:e|ing)\s+(?:a\s+)?(?:the\s+)?(?P<agent>.+?)\s+responsible\b(?:\s+and accountable)?"
    r"(?:\s+to\s+the\s+\w+)?\s+for\s+(?P<what>.+)$")
_APPROVAL = re.compile(r"\bfor approval\b|\bapproved by\b", re.IGNORECASE)
_INTRO_NUMBER = re.compile(r"^\s*-?\s*\d+\.\s+")

#: A commitment is kept apart from its neighbour only if it matches its requirement(s)
#: by more than this (rapidfuzz ratio, 0-100); fragments of a sentence match nothing.
ALIGN_THRESHOLD = 40.0
#: The most consecutive framework items one commitment may cover.
MAX_ITEMS_PER_COMMITMENT = 3

# --------------------------------------------------------------------------- cells


@dataclass(frozen=True)
class Piece:
    """The part of a span that lies on one line: its exact text there."""

    line: int
    quote: str


class Column:
    """One table column's text, stitched from its cells on successive lines.

    Markup is dropped and the cells are joined with single spaces, but every character
    keeps the line and offset it came from, so that any span of the stitched text can be
    quoted exactly as the document has it (one :class:`Piece` per line).
    """

    def __init__(self, cells: Sequence[tuple[int, int, str]], doc: SourceDocument) -> None:
        self.doc = doc
        chars: list[str] = []
        origin: list[tuple[int, int] | None] = []
        self.joins: set[int] = set()  # where one line's cell ends and the next begins
        for line, offset, raw in cells:
            if chars:
                self.joins.add(len(chars))
                chars.append(" ")
                origin.append(None)
            kept = _untagged(raw)
            chars.extend(raw[i] for i in kept)
            origin.extend((line, offset + i) for i in kept)
        self.text = "".join(chars)
        self.origin = origin

    def pieces(self, start: int, end: int) -> list[Piece]:
        """The exact text of ``text[start:end]`` on each line it comes from."""
        spans: dict[int, list[int]] = {}
        for where in self.origin[start:end]:
            if where is not None:
                spans.setdefault(where[0], []).append(where[1])
        return [Piece(line, _with_tags(self.doc.line(line), min(cols), max(cols) + 1))
                for line, cols in spans.items()]

    def label(self, start: int, end: int) -> str:
        """``text[start:end]`` cleaned for use as a label (no markup, bullets, breaks)."""
        text = clean(self.text[start:end])
        text = re.sub(r"(?<=\d)- (?=\d)", "-", text)  # "2011- 2021"
        return re.sub(r"(?<=\w)/ (?=\w)", "/", text)  # "Plan/ Member PDPs"


def _untagged(raw: str) -> list[int]:
    """Offsets of the characters of ``raw`` outside HTML tags."""
    tags = {i for m in _TAG.finditer(raw) for i in range(m.start(), m.end())}
    return [i for i in range(len(raw)) if i not in tags]


def _with_tags(line: str, start: int, end: int) -> str:
    """``line[start:end]`` widened over tags that open just before or close just after it,
    so that an underlined title is quoted with its markup ("<u>Constitution</u>")."""
    while (m := re.search(r"<[a-zA-Z][^<>]*>$", line[:start])) is not None:
        start = m.start()
    while (m := re.match(r"</[a-zA-Z][^<>]*>", line[end:])) is not None:
        end += m.end()
    return line[start:end]


def _trimmed(text: str, start: int, end: int, strip: str = " ") -> tuple[int, int]:
    """``start`` and ``end`` moved inwards past the characters in ``strip``."""
    while start < end and text[start] in strip:
        start += 1
    while end > start and text[end - 1] in strip:
        end -= 1
    return start, end


# --------------------------------------------------------------------------- tables


@dataclass(frozen=True)
class Table:
    """One principle's table: the header cell naming it and its three columns."""

    number: str
    header: Piece
    principle: Column
    commitments: Column
    evidence: Column


def _header(line: str) -> tuple[str, str] | None:
    """(number, header cell) when ``line`` is a principle table's header row."""
    cells = [c.strip() for c in line.split("\t")]
    if len(cells) < 3 or not all(cells[:3]):
        return None
    m = _HEADER_CELL.fullmatch(cells[0])
    if m is None or any(c.isdigit() for c in cells[1:]):
        return None
    word = m.group(1).lower()
    return _NUMBERS.get(word, word.upper()), cells[0]


def _cells(line: str, number: int) -> Iterator[tuple[int, int, int, str]]:
    """(column, line, offset, text) of each non-empty cell of a table line."""
    offset = 0
    for column, cell in enumerate(line.split("\t")):
        start, end = _trimmed(cell, 0, len(cell), " ")
        if not _CONTINUATION.match(cell):
            yield column, number, offset + start, cell[start:end]
        offset += len(cell) + 1


def tables(doc: SourceDocument) -> list[Table]:
    """Every principle table, its row's lines stitched column by column."""
    found: list[Table] = []
    starts = [(n, h) for n in range(1, len(doc.lines) + 1) if (h := _header(doc.line(n)))]
    for index, (header_line, (number, cell)) in enumerate(starts):
        stop = starts[index + 1][0] if index + 1 < len(starts) else len(doc.lines) + 1
        columns: list[list[tuple[int, int, str]]] = [[], [], []]
        for n in range(header_line + 1, stop):
            if "\t" not in doc.line(n):
                continue
            for column, line, offset, text in _cells(doc.line(n), n):
                columns[min(column, 2)].append((line, offset, text))
        found.append(Table(number, Piece(header_line, cell),
                           *(Column(cells, doc) for cells in columns)))
    return found


# --------------------------------------------------------------------------- alignment


@dataclass(frozen=True)
class Aligned:
    """A span of a column and the framework items it was aligned with, with the score."""

    start: int
    end: int
    items: tuple[URIRef, ...]
    score: float


def candidate_cuts(text: str) -> list[int]:
    """Where a new paraphrase could start: a capitalised word that does not follow a
    connective or a comma, colon, ampersand, slash or bracket."""
    cuts = []
    for m in re.finditer(r"(?<=\s)[A-Z]", text):
        before = re.search(r"(\S+)\s*$", text[: m.start()])
        if before is None:
            continue
        previous = before.group(1)
        if previous[-1] not in ",;:&/(-" and previous.lower() not in _CONNECTIVES:
            cuts.append(m.start())
    return cuts


def align(text: str, items: Sequence[tuple[URIRef, Sequence[str]]],
          cuts: Sequence[int] | None = None) -> list[Aligned]:
    """Cut ``text`` at some of ``cuts`` and align the pieces, in order, with runs of
    consecutive ``items`` (each with its labels), skipping items the text leaves out.

    Dynamic programming over (cut, last item used) maximises the sum, over the pieces, of
    how well each piece matches its run of items minus :data:`ALIGN_THRESHOLD`; every piece
    gets at least one item. Matching is rapidfuzz's ``ratio`` on normalised text, which,
    unlike ``WRatio``, falls when a piece holds more or less than the item says, so that
    the best segmentation is the one where pieces and items correspond.
    """
    bounds = [0, *(cuts if cuts is not None else candidate_cuts(text)), len(text)]
    last = len(bounds) - 1

    @cache
    def score(i: int, k: int, a: int, b: int) -> float:
        piece = text[bounds[i]: bounds[k]]
        labels = itertools.product(*(items[x][1] for x in range(a, b + 1)))
        return max(fuzz.ratio(piece, " ".join(combo), processor=utils.default_process)
                   for combo in labels)

    best: dict[tuple[int, int], tuple[float, tuple[int, int, int] | None]] = {
        (0, -1): (0.0, None)}
    for k in range(1, last + 1):
        for (i, j), (total, _) in [(key, value) for key, value in best.items() if key[0] < k]:
            for a in range(j + 1, len(items)):
                for b in range(a, min(a + MAX_ITEMS_PER_COMMITMENT, len(items))):
                    candidate = total + score(i, k, a, b) - ALIGN_THRESHOLD
                    if candidate > best.get((k, b), (float("-inf"), None))[0]:
                        best[(k, b)] = (candidate, (i, j, a))
    ends = [(value[0], key) for key, value in best.items() if key[0] == last and key[1] >= 0]
    if not ends:
        return []
    key = max(ends)[1]
    aligned: list[Aligned] = []
    while (step := best[key][1]) is not None:
        i, j, a = step
        start, end = _trimmed(text, bounds[i], bounds[key[0]], " ")
        aligned.append(Aligned(start, end, tuple(items[x][0] for x in range(a, key[1] + 1)),
                               round(score(i, key[0], a, key[1]), 1)))
        key = (i, j)
    return aligned[::-1]


# --------------------------------------------------------------------------- evidence lists


@dataclass(frozen=True)
class Listed:
    """An item of a Policies/Plans list; ``part_of`` is the index of its heading item."""

    start: int
    end: int
    part_of: int | None


def list_items(column: Column, kinds: Gazetteer) -> list[Listed]:
    """Split a Policies/Plans column into its items.

    Bullets, and a colon after a heading, separate stretches of the list. The first item
    after each bullet of a bulleted run is part of the item just before the run
    ("Constitution: • Scheme of Delegation • ..."); after the run's last bullet the list
    goes on. Inside each stretch, :func:`~govkg.graph.importers.text.split_run_together`
    undoes items run together and :func:`title_cuts` splits titles separated by a space.
    """
    text, items = column.text, []
    heading: int | None = None
    in_run = False
    position = 0
    for brk in [*_LIST_BREAK.finditer(text), None]:
        stop = brk.start() if brk is not None else len(text)
        for n, (start, end) in enumerate(_stretch_items(column, position, stop, kinds)):
            items.append(Listed(start, end, heading if in_run and n == 0 else None))
        bullet = brk is not None and _BULLET.search(brk.group()) is not None
        if bullet and not in_run:
            heading = len(items) - 1 if text[position:stop].strip() else None
            in_run = True
        elif not bullet:
            heading, in_run = None, False
        position = brk.end() if brk is not None else len(text)
    return items


def _stretch_items(column: Column, start: int, stop: int,
                   kinds: Gazetteer) -> Iterator[tuple[int, int]]:
    """(start, end) of each item between ``start`` and ``stop`` of the column's text."""
    cursor = start
    for piece in split_run_together(column.text[start:stop]):
        at = column.text.find(piece, cursor, stop)
        cursor = at + len(piece)
        bounds = [at, *title_cuts(piece, at, column.joins, kinds), cursor]
        for a, b in itertools.pairwise(bounds):
            a, b = _trimmed(column.text, a, b, " :;,")
            if b > a:
                yield a, b


def title_cuts(piece: str, at: int, joins: set[int], kinds: Gazetteer) -> list[int]:
    """Where one title ends and the next begins in ``piece`` (which starts at ``at`` in
    its column), for titles separated only by a space.

    A capitalised word that does not follow a connective starts a new title after a
    lower-case word ("... structures Scheme of Delegation"), a closing bracket, a year, a
    noun that ends titles ("Financial Regulations Standards Committee"), a line break
    inside the cell, or the end of a name the evidence-kind scheme knows ("Transparency
    agenda & FOI Financial Regulations"). Nothing inside brackets is cut.
    """
    tokens = list(re.finditer(r"\S+", piece))
    known_ends = {m.end for m in kinds.mentions(piece)}
    cuts, depth = [], 0
    for left, right in itertools.pairwise(tokens):
        a, b = left.group(), right.group()
        depth = max(0, depth + a.count("(") - a.count(")"))
        if depth or not b[0].isupper() or a[-1] in "&/-:," or a.lower() in _CONNECTIVES:
            continue
        line_break = any(at + left.end() <= j < at + right.start() for j in joins)
        if (a[0].islower() or a.endswith(")") or _YEAR.fullmatch(a) or line_break
                or a.lower() in _HEAD_NOUNS or left.end() in known_ends):
            cuts.append(at + right.start())
    return cuts


# --------------------------------------------------------------------------- importer


class PrincipleTableImporter(Importer):
    """Kent-style local codes: one three-column table per core principle."""

    layout = "principle-table"
    kind = "local-code"
    description = ("Local code with one table per core principle: principle and supporting "
                   "principles, 'How we achieve this', 'Policies/Plans'")

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        """The share of a full set of principle tables whose header rows are found, times
        the share of those headers that repeat the same column headings."""
        rows = [doc.line(n).split("\t") for n in range(1, len(doc.lines) + 1)
                if _header(doc.line(n))]
        if not rows:
            return 0.0
        numbers = {_header("\t".join(cells)) for cells in rows}
        headings = Counter(tuple(c.strip() for c in cells[1:3]) for cells in rows)
        repeated = headings.most_common(1)[0][1] / len(rows)
        return round(min(1.0, len(numbers) / 6) * repeated, 2)

    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        """Describe the document, read its introduction, then each principle's table."""
        found = tables(doc)
        _Reader(doc, builder, found[0].header.line if found else len(doc.lines)).read(found)


class _Reader:
    """Reads one document into the builder, remembering the resources already named so
    that a body or piece of evidence named twice is one resource with two sources."""

    def __init__(self, doc: SourceDocument, builder: DocumentBuilder, first_table: int) -> None:
        self.doc = doc
        self.builder = builder
        self.first_table = first_table
        self.body_nodes: dict[str, URIRef] = {}
        self.evidence_nodes: dict[str, URIRef] = {}
        assert builder.matcher is not None, "a local code follows a framework edition"
        self.matcher = builder.matcher

    def read(self, found: list[Table]) -> None:
        self.describe()
        self.introduction()
        for table in found:
            self.table(table)

    # ------------------------------------------------------------------ document

    def describe(self) -> None:
        """The title, from a line before the first table; the code is undated."""
        for n in range(1, self.first_table):
            m = _TITLE.match(self.doc.line(n))
            if m is not None:
                self.builder.describe(title=m.group(1), lines=(n, n))
                return

    def introduction(self) -> None:
        """Bodies named in the introduction, and what it says they approve."""
        for n in range(1, self.first_table):
            line = self.doc.line(n)
            named = [(thing, self.body(thing.name, n, line[thing.start:thing.end]))
                     for thing in find_bodies(line)]
            if named and _APPROVAL.search(line):
                sentence = _INTRO_NUMBER.sub("", line).strip()
                subject = line[: named[0][0].start]
                regarding = self.builder.gazetteers.topics.concepts(subject) or [self.doc.iri]
                for _, node in named:
                    for topic in regarding:
                        self.builder.responsibility(node, "approves", topic, (n, n), sentence)

    # ------------------------------------------------------------------ tables

    def table(self, table: Table) -> None:
        """A principle's table: the principle, its supporting principles, its evidence and
        its commitments, each commitment citing all of the table's evidence."""
        principle = self.matcher.number(table.number)
        if principle is None:
            return
        self.link(self.doc.iri, principle, "by-number", 100.0, [table.header])
        self.supporting_principles(table, principle)
        evidence = self.evidence_items(table)
        for index, aligned in enumerate(self.aligned(table.commitments, principle,
                                                     GOVKG.SpecificRequirement), 1):
            node = self.commitment(table, index, aligned, principle)
            for item in evidence:
                self.builder.graph.add((node, GOVKG.citesEvidence, item))

    def aligned(self, column: Column, principle: URIRef, level: URIRef,
                start: int = 0) -> list[Aligned]:
        """``column`` from ``start`` on, cut and aligned with the items of ``level``."""
        items = self.items(principle, level)
        found = align(column.text[start:], items)
        return [Aligned(a.start + start, a.end + start, a.items, a.score) for a in found]

    def items(self, principle: URIRef, level: URIRef) -> list[tuple[URIRef, list[str]]]:
        """The items of ``level`` under ``principle`` in framework order, with labels."""
        vocabulary = self.builder.vocabulary
        under = [i for i in self.matcher.under(principle) if self.matcher.level(i) == level]
        under.sort(key=lambda i: [int(p) if p.isdigit() else p
                                  for p in str(vocabulary.value(i, SKOS.notation)).split(".")])
        return [(i, [str(label) for prop in (SKOS.prefLabel, SKOS.altLabel)
                     for label in vocabulary.objects(i, prop)]) for i in under]

    def supporting_principles(self, table: Table, principle: URIRef) -> None:
        """The first column: the principle's own wording up to the colon (a second source
        for the by-number link), then the supporting principles the document addresses."""
        column = table.principle
        colon = column.text.find(":")
        if colon >= 0:
            start, end = _trimmed(column.text, 0, colon)
            self.cite_link(self.doc.iri, principle, column.pieces(start, end))
        for aligned in self.aligned(column, principle, GOVKG.SupportingPrinciple, colon + 1):
            for item in aligned.items:
                self.link(self.doc.iri, item, "by-text", aligned.score,
                          column.pieces(aligned.start, aligned.end))

    def commitment(self, table: Table, index: int, aligned: Aligned,
                   principle: URIRef) -> URIRef:
        """One commitment, labelled with its cleaned text, linked to its principle by
        structure and to its requirement(s) by text."""
        column = table.commitments
        pieces = column.pieces(aligned.start, aligned.end)
        label = column.label(aligned.start, aligned.end)
        node = self.builder.resource("commitment", f"{table.number}-{index}", GOVKG.Commitment,
                                     (pieces[0].line, pieces[0].line), pieces[0].quote, label)
        self.cite(node, pieces[1:])
        self.link(node, principle, "by-structure", 100.0, [table.header])
        for item in aligned.items:
            self.link(node, item, "by-text", aligned.score, pieces)
        self.named_in_commitment(label, aligned, column)
        return node

    def link(self, node: URIRef, item: URIRef, method: str, score: float,
             pieces: Sequence[Piece]) -> None:
        """``node`` addresses ``item``; the link cites ``pieces``."""
        self.builder.link(node, item, method, score)
        self.cite_link(node, item, pieces)

    def cite_link(self, node: URIRef, item: URIRef, pieces: Sequence[Piece]) -> None:
        """Give the item link the text it was made from, so a doubtful link can be
        checked against the document."""
        g = self.builder.graph
        for link in g.objects(node, GOVKG.qualifiedLink):
            if (link, GOVKG.linkedItem, item) in g and isinstance(link, URIRef):
                self.cite(link, pieces)

    def cite(self, node: URIRef, pieces: Sequence[Piece]) -> None:
        """Cite each piece, one line each: a span that crosses lines of a table interleaves
        other columns' text, so only its per-line pieces occur in the document as such."""
        for piece in pieces:
            self.builder.cite(node, (piece.line, piece.line), piece.quote)

    # ------------------------------------------------------------------ names

    def named_in_commitment(self, label: str, aligned: Aligned, column: Column) -> None:
        """Bodies, posts and responsibilities a commitment names."""
        text = column.text[aligned.start: aligned.end]
        for thing in find_bodies(text):
            piece = column.pieces(aligned.start + thing.start, aligned.start + thing.end)[0]
            self.body(thing.name, piece.line, piece.quote)
        roles = self.builder.gazetteers.roles
        for thing in find_posts(text):
            if not roles.concepts(thing.name):  # a role's name is not a post
                piece = column.pieces(aligned.start + thing.start, aligned.start + thing.end)[0]
                self.builder.post(thing.name, (piece.line, piece.line), piece.quote)
        m = _MADE_RESPONSIBLE.search(label)
        if m is not None:
            self.responsibility(m.group("agent"), m.group("what"), aligned, column)

    def responsibility(self, agent_name: str, what: str, aligned: Aligned,
                       column: Column) -> None:
        """``agent_name`` (a role, or a body already named) is responsible for the topics
        ``what`` names, or else for the requirement(s) the commitment addresses."""
        gazetteers = self.builder.gazetteers
        agent = gazetteers.roles.lookup(agent_name)
        if agent is None:
            bodies = find_bodies(agent_name)
            agent = self.body_nodes.get(_key(bodies[0].name)) if bodies else None
        if agent is None:
            return
        regarding = gazetteers.topics.concepts(what) or list(aligned.items)
        pieces = column.pieces(aligned.start, aligned.end)
        for topic in regarding:
            node = self.builder.responsibility(agent, "responsible-for", topic,
                                               (pieces[0].line, pieces[0].line),
                                               pieces[0].quote)
            self.cite(node, pieces[1:])

    def body(self, name: str, line: int, quote: str) -> URIRef:
        """The council's body ``name``, made once and cited wherever it is named."""
        key = _key(name)
        if key in self.body_nodes:
            self.builder.cite(self.body_nodes[key], (line, line), quote)
            return self.body_nodes[key]
        functions = [BODY_FUNCTION["full-council"]] if _FULL_COUNCIL.fullmatch(name) else []
        node = self.builder.body(name, (line, line), quote, functions)
        self.body_nodes[key] = node
        return node

    # ------------------------------------------------------------------ evidence

    def evidence_items(self, table: Table) -> list[URIRef]:
        """The evidence a table's Policies/Plans column lists, and the bodies among it."""
        column = table.evidence
        nodes: list[URIRef] = []
        listed = list_items(column, self.builder.gazetteers.evidence_kinds)
        for item in listed:
            label = column.label(item.start, item.end)
            pieces = column.pieces(item.start, item.end)
            nodes.append(self.evidence(label, pieces))
            if item.part_of is not None:
                self.builder.graph.add((nodes[-1], DCTERMS.isPartOf, nodes[item.part_of]))
            if self.builder.gazetteers.functions.concepts(label):
                for thing in find_bodies(label):
                    if thing.name == label:
                        self.body(label, pieces[0].line, pieces[0].quote)
        return list(dict.fromkeys(nodes))

    def evidence(self, label: str, pieces: Sequence[Piece]) -> URIRef:
        """The evidence ``label``, made once (with its first spelling as label) and cited
        wherever a table lists it."""
        key = _key(label)
        if key in self.evidence_nodes:
            self.cite(self.evidence_nodes[key], pieces)
            return self.evidence_nodes[key]
        first = pieces[0]
        node = self.builder.evidence(label, (first.line, first.line), first.quote)
        self.cite(node, pieces[1:])
        self.evidence_nodes[key] = node
        return node


def _key(name: str) -> str:
    """Names that differ only in case, '&'/'and' or punctuation name the same thing."""
    return re.sub(r"[^a-z0-9]+", " ", name.lower().replace("&", " and ")).strip()
