"""Local codes laid out per 2016 principle as rows of sub-principle and bulleted evidence
(Leicestershire County Council's Local Code of Corporate Governance, 001).

The layout:

- a cover table (``Lead Officer:<TAB>Director of ...``), then an introduction that says
  who maintains the code, who approves and certifies the annual governance statement and
  what the audit committee gives assurance on, partly as lead-in sentences ending in
  ``will:`` or ``in respect of:`` followed by bulleted objects;
- for each core principle a heading ``Principle A: ...``, a ``Rationale:`` and a table
  whose header row opens ``Sub-principle<TAB>``. Each row is the sub-principle as the
  code words it, then its evidence as ``•`` bullets inside an HTML list. A page break
  either continues a row on a line whose first cell is empty, or turns the rest of the
  table into plain text: the sub-principle alone on one or more lines, then ``- `` bullets
  (some bold ``**...**``, some with indented sub-bullets, some wrapping onto a later line);
- a closing table "Key roles of ..." of ``name<TAB>description`` rows: bodies (the
  Council, Cabinet, committees, teams, audit) and statutory roles.

What this importer makes of it, and why:

- **Commitments.** Each row is a ``govkg:Commitment`` labelled with its sub-principle as
  written, citing one ``govkg:Evidence`` per bullet (indented sub-bullets belong to the
  bullet they complete; wrapped text belongs to the bullet it continues). The row is
  linked ``by-text`` to the sub-principle(s) of its principle that its wording matches
  best; rows that merge two sub-principles ("Determining and Planning interventions")
  match both equally and are linked to both. Each commitment is also linked
  ``by-structure`` to the core principle whose heading it sits under, and the document
  ``by-number`` to every principle it has a heading for.
- **Responsibilities** are read from the introduction and the key-roles table, clause by
  clause: a verb cue gives the kind (approves, certifies/signs, monitors/reviews/gives
  assurance, is responsible for/ensures/promotes/delivers, leads/chairs); what the clause
  is about is this code (where it names the local code), the documents it names (for
  approving and signing: the annual governance statement, the statement of accounts,
  the budget, as evidence of their kind) or else the governance topics it names. A clause
  that names nothing the topic and evidence schemes know states no responsibility here.
  Parenthetical asides are not read as objects.
- **Agents.** A key-role row is its body, or, for a role row, the post the row says holds
  the role ("The Chief Executive (as Head of Paid Service)"), else the role itself. In the
  introduction the agents are the posts, bodies and roles named before the verb; those
  named after "with advice from" only advise.
- **Bodies** are the key-role rows and the council's committees, boards and teams that
  the text names anywhere, except ones it calls "former" or says the council "is a
  member of" (partnerships of several organisations). The row "The Council" is the full
  council, which the code also calls "Full Council". A key role named "External ..." is
  not a unit of the council. Functions come from each body's name and, in the key-roles
  table, from the function words its description uses ("high standards of Member conduct"
  gives the standards function), leaving out names of other bodies.
- **Posts** are those the text pairs with a role ("Director of Law & Governance
  (Monitoring Officer)", "Lead Officer: Director of ..."), and other specific titles
  ("Head of ...", "Director of ...") that are not a role's name; a role's name stays a
  role unless the text makes it a post's title ("Head of Paid Service (Chief Executive)").
- The date is the cover's month and year; the principles' rationales are explanation,
  not arrangements, and are not imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from rdflib import URIRef

from govkg.graph.importers.base import Importer, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.linking import Gazetteer, ItemMatcher, Mention
from govkg.graph.importers.names import find_bodies, find_posts, find_role_assignments
from govkg.graph.importers.text import clean
from govkg.graph.namespaces import BODY_FUNCTION, EVIDENCE_KIND, GOVKG, slugify

_PRINCIPLE = re.compile(r"^\s*Principle\s+([A-G])\s*:\s*\S")
_TABLE_HEADER = re.compile(r"^\s*Sub-principles?\s*\t", re.IGNORECASE)
_RATIONALE = re.compile(r"^\s*Rationale\s*:", re.IGNORECASE)
_KEY_ROLES = re.compile(r"^\s*Key roles\b", re.IGNORECASE)
_BULLET_LINE = re.compile(r"^(?P<indent>[ \t]*)-\s+(?P<body>\S.*)$")
_GLYPHS = "•●▪■◦‣⁃∙\uf0b7\uf0a7"
_EDGE_TAGS = re.compile(r"^(?:\s*<[^<>]*>\s*)+|(?:\s*<[^<>]*>\s*)+$")
_TITLE = re.compile(r"^\s*(local\s+code\s+of\s+(?:corporate\s+)?governance)\s*$", re.IGNORECASE)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_YEAR = re.compile(rf"^\s*({'|'.join(_MONTHS)})\s+(\d{{4}})\s*$", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-Z(‘'\"“])")
_PARENTHESIS = re.compile(r"\([^()]*(?:\)|$)")
# A sentence that ends in a colon with its verb's object still to come: the bullets that
# follow are the objects ("... will:", "... in respect of:"), unlike "... which will:".
_LEAD_IN = re.compile(r"(?:(?<!which )\bwill|\bin respect of)\s*:\s*$", re.IGNORECASE)
_ADVISERS = re.compile(r"\bwith (?:the )?advice (?:from|of)\b", re.IGNORECASE)
_PASSIVE_BY = re.compile(r"\s+by\s+(?:the\s+)?(?P<agent>[A-Z][\w'’&-]*(?:\s+[A-Z][\w'’&-]*)*)")
_FULL_COUNCIL = re.compile(r"(?:the\s+)?(?:full\s+|county\s+)?council", re.IGNORECASE)
_FULL_COUNCIL_NAME = "Full Council"
_NOT_OURS = re.compile(r"(?:\bformer|\bmember of (?:the|a|an))\s+(?:[\w,&()'’-]+\s+){0,8}$",
                       re.IGNORECASE)
_SPECIFIC_TITLE = re.compile(r"^(?:(?:Corporate|Strategic|Executive|Assistant|Deputy)\s+)?"
                             r"Director\s+(?:of|for)\b|^Head\s+of\b")
_AS_ROLE = re.compile(r"(?P<post>\b[A-Z][\w'’&-]*(?: +(?:[A-Z][\w'’&-]*|of|and|&|for))*)"
                      r"\s*\(\s*as\s+(?:the\s+)?(?P<role>[^()]+?)\s*\)")
# Words that make a function label the name of some other body ("Scrutiny Commission",
# "Leader and Cabinet", "Scrutiny Bodies"), which says nothing about the row's own body.
_BODY_NOUN = re.compile(r"\b(?:committees?|sub-committee|boards?|panels?|commission|cabinet|"
                        r"bod(?:y|ies)|groups?|forums?|partnerships?|teams?|service|unit|"
                        r"meeting|council|assembly|conference)\b", re.IGNORECASE)
_COORDINATION = re.compile(r"^\s*(?:,|and|&|,\s*and)\s*$")
# "risk-based audit": the approach of the work, not what the work is about.
_ADJECTIVAL = re.compile(r"\b[\w-]+[- ]based\b")
_LOCAL_CODE = EVIDENCE_KIND["local-code-of-governance"]

#: Verb cues of the responsibility kinds, in the order they are tried at one position.
_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("signs", re.compile(r"\bcertif(?:y|ies)\b|\bsigns?\b", re.IGNORECASE)),
    ("approves", re.compile(r"\bapprov(?:e|es|al|ed)\b|\bagrees?\b|\badopts?\b",
                            re.IGNORECASE)),
    ("monitors", re.compile(r"\bmonitor(?:s|ing)?\b|\breview(?:s|ing)?\b|\bscrutinis\w*|"
                            r"\bassurance\b|\boversees?\b|^\s*audit\b", re.IGNORECASE)),
    ("leads", re.compile(r"\bleads?\b|\bchairs\b|\bchaired by\b", re.IGNORECASE)),
    ("responsible-for", re.compile(r"\bresponsib(?:le|ility|ilities)\b|\bensures?\b|"
                                   r"\bpromot(?:es|ion|ing)\b|\bmaintenance\b|"
                                   r"\bdelivers?\b|\bdischarge\b", re.IGNORECASE)),
)

#: A row matches its sub-principle by at least this much (rapidfuzz WRatio, 0-100).
MIN_ROW_SCORE = 80.0
#: Sub-principles that match a row within this of the best are all addressed by it.
_TIE = 0.5


# --------------------------------------------------------------------------- reading


@dataclass(frozen=True)
class Piece:
    """Text read from one line: the line number and the exact text (a substring)."""

    line: int
    quote: str


@dataclass
class Bullet:
    """One evidence bullet: its pieces, and how each piece joins the one before."""

    pieces: list[Piece]
    joins: list[str] = field(default_factory=list)

    def add(self, piece: Piece, join: str) -> None:
        self.pieces.append(piece)
        self.joins.append(join)

    @property
    def label(self) -> str:
        text = _plain(self.pieces[0].quote)
        for piece, join in zip(self.pieces[1:], self.joins, strict=True):
            if join == "sub":
                text = text.rstrip(" -")
                join = " " if text.endswith(":") else "; "
            text += join + _plain(piece.quote)
        return text.rstrip(" -")


@dataclass
class Row:
    """One sub-principle row of a principle's table."""

    principle: str
    label_pieces: list[Piece]
    bullets: list[Bullet] = field(default_factory=list)

    @property
    def label(self) -> str:
        return " ".join(_plain(p.quote) for p in self.label_pieces)


@dataclass(frozen=True)
class Section:
    """A principle's heading line and the lines of its table (header row excluded)."""

    letter: str
    heading: int
    table: range


@dataclass(frozen=True)
class KeyRole:
    """A row of the key-roles table: its name cell and its description cell."""

    line: int
    name: str
    text: str  # exact description text, without a table title run into its end


def _plain(quote: str) -> str:
    """The words of a quote: markup, bold markers and glyphs removed, spaces collapsed."""
    return clean(quote.replace("**", ""))


def _trim(line: str, start: int, end: int, strip: str = " \t*") -> tuple[int, int]:
    """Narrow ``line[start:end]`` past surrounding spaces, bold markers and HTML tags."""
    while True:
        before = (start, end)
        while start < end and line[start] in strip:
            start += 1
        while end > start and line[end - 1] in strip:
            end -= 1
        tags = _EDGE_TAGS.search(line[start:end])
        if tags is not None and tags.group(0):
            if tags.start() == 0:
                start += tags.end()
            else:
                end = start + tags.start()
        if (start, end) == before:
            return start, end


def _piece(doc: SourceDocument, number: int, start: int, end: int) -> Piece | None:
    line = doc.line(number)
    start, end = _trim(line, start, end)
    return Piece(number, line[start:end]) if start < end else None


def principle_sections(doc: SourceDocument) -> list[Section]:
    """Every ``Principle X:`` heading with the table lines that follow it."""
    headings = [(n, m.group(1)) for n in range(1, len(doc.lines) + 1)
                if (m := _PRINCIPLE.match(doc.line(n)))]
    stops = [n for n in range(1, len(doc.lines) + 1) if _KEY_ROLES.match(doc.line(n))]
    sections = []
    for index, (heading, letter) in enumerate(headings):
        end = headings[index + 1][0] if index + 1 < len(headings) else \
            next((s for s in stops if s > heading), len(doc.lines) + 1)
        header = next((n for n in range(heading, end) if _TABLE_HEADER.match(doc.line(n))),
                      None)
        if header is not None:
            sections.append(Section(letter, heading, range(header + 1, end)))
    return sections


def _glyph_bullets(doc: SourceDocument, number: int, start: int) -> list[Bullet]:
    """The bullets of a cell that starts at ``start`` of line ``number``."""
    line = doc.line(number)
    cuts = [i for i in range(start, len(line)) if line[i] in _GLYPHS]
    bullets = []
    for a, b in zip(cuts, [*cuts[1:], len(line)], strict=True):
        piece = _piece(doc, number, a + 1, b)
        if piece is not None and _plain(piece.quote):
            bullets.append(Bullet([piece]))
    return bullets


def _is_bullet(line: str) -> bool:
    return _BULLET_LINE.match(line) is not None


def read_rows(doc: SourceDocument, section: Section) -> list[Row]:
    """The rows of one principle's table, with page-break continuations put back."""
    return _TableReader(doc, section).read()


class _TableReader:
    """Walks a principle's table lines: tab-separated rows, ``- `` bullets, and plain
    lines that either name a sub-principle or continue a wrapped bullet."""

    def __init__(self, doc: SourceDocument, section: Section) -> None:
        self.doc = doc
        self.section = section
        self.lines = list(section.table)
        self.rows: list[Row] = []

    def read(self) -> list[Row]:
        index = 0
        while index < len(self.lines):
            number = self.lines[index]
            line = self.doc.line(number)
            if "\t" in line:
                self.table_row(number, line)
            elif (bullet := _BULLET_LINE.match(line)) is not None:
                self.bullet(number, bullet)
            elif line.strip():  # plain lines up to the next blank line, row or bullet
                end = index + 1
                while end < len(self.lines) and _is_text(self.doc.line(self.lines[end])):
                    end += 1
                following = [n for n in self.lines[end:] if self.doc.line(n).strip()][:1]
                self.text_block(self.lines[index:end], following)
                index = end - 1
            index += 1
        return self.rows

    def table_row(self, number: int, line: str) -> None:
        """A row, or (empty first cell) more bullets of the row above."""
        first = line.partition("\t")[0]
        label = _piece(self.doc, number, 0, len(first))
        if label is not None and _plain(label.quote):
            self.rows.append(Row(self.section.letter, [label]))
        if self.rows:
            self.rows[-1].bullets.extend(_glyph_bullets(self.doc, number, len(first) + 1))

    def bullet(self, number: int, bullet: re.Match[str]) -> None:
        """A new bullet, or (indented) a sub-bullet completing the one above."""
        piece = _piece(self.doc, number, bullet.start("body"), len(bullet.string))
        if piece is None or not self.rows:
            return
        bullets = self.rows[-1].bullets
        if bullet.group("indent") and bullets:
            bullets[-1].add(piece, "sub")
        else:
            bullets.append(Bullet([piece]))

    def text_block(self, block: Sequence[int], following: Sequence[int]) -> None:
        """Plain lines: a sub-principle's name when bullets follow and it starts with a
        capital, otherwise the end of a bullet that wrapped over a page break."""
        pieces = [p for n in block if (p := _piece(self.doc, n, 0, len(self.doc.line(n))))]
        if not pieces:
            return
        if following and _is_bullet(self.doc.line(following[0])) \
                and pieces[0].quote[:1].isupper():
            self.rows.append(Row(self.section.letter, pieces))
        elif self.rows and self.rows[-1].bullets:
            for piece in pieces:
                self.rows[-1].bullets[-1].add(piece, " ")


def _is_text(line: str) -> bool:
    """A plain line: not blank, not a table row and not a bullet."""
    return bool(line.strip()) and "\t" not in line and not _is_bullet(line)


def key_roles(doc: SourceDocument) -> list[KeyRole]:
    """The rows of the closing key-roles table."""
    start = next((n for n in range(1, len(doc.lines) + 1) if _KEY_ROLES.match(doc.line(n))),
                 None)
    if start is None:
        return []
    title = doc.line(start).strip()
    rows = []
    for number in range(start + 1, len(doc.lines) + 1):
        line = doc.line(number)
        name, tab, text = line.partition("\t")
        if not tab or not name.strip():
            continue
        offset = len(name) + 1
        if title and title in text:  # the next page's copy of the title, run into the cell
            text = text[: text.index(title)]
        begin, end = _trim(line, offset, offset + len(text))
        rows.append(KeyRole(number, clean(name), line[begin:end]))
    return rows


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Start and end of each sentence of ``text``."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        yield start, m.start()
        start = m.end()
    if text[start:].strip():
        yield start, len(text.rstrip())


# --------------------------------------------------------------------------- clauses


@dataclass(frozen=True)
class Clause:
    """A stretch of a sentence governed by one responsibility cue."""

    kind: str
    cue_start: int
    cue_end: int
    end: int
    passive: bool  # "approved by X", "chaired by X": the agent follows the cue


def clauses(text: str) -> list[Clause]:
    """The responsibility clauses of one sentence, in order; neighbouring cues of one kind
    ("promotion and maintenance") make one clause."""
    found: dict[int, tuple[str, int]] = {}
    for kind, pattern in _CUES:
        for m in pattern.finditer(text):
            found.setdefault(m.start(), (kind, m.end()))
    cues = sorted((start, kind, end) for start, (kind, end) in found.items())
    merged: list[tuple[int, str, int]] = []
    for start, kind, end in cues:
        if merged and merged[-1][1] == kind:
            continue
        merged.append((start, kind, end))
    result = []
    for index, (start, kind, end) in enumerate(merged):
        stop = merged[index + 1][0] if index + 1 < len(merged) else len(text)
        passive = text[end:].startswith(" by ") or text[start:end].lower().endswith(" by")
        result.append(Clause(kind, start, end, stop, passive))
    return result


def _blank(m: re.Match[str]) -> str:
    return " " * len(m.group(0))


def _blank_parentheses(text: str) -> str:
    """``text`` with parenthetical asides blanked out (offsets kept)."""
    return _PARENTHESIS.sub(_blank, text)


# --------------------------------------------------------------------------- importer


class SubprincipleEvidenceImporter(Importer):
    """Local codes with a sub-principle/evidence table under each 2016 principle."""

    layout = "subprinciple-evidence"
    kind = "local-code"
    description = ("per 2016 principle a rationale and rows of sub-principle and bulleted "
                   "evidence; a closing table of key roles")

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        """Weighted share of the layout's signals: ``Sub-principle`` table headers, lettered
        principle headings, rationales (three or more of each make a full signal) and a
        key-roles table."""
        lines = doc.lines
        headers = sum(1 for line in lines if _TABLE_HEADER.match(line))
        letters = {m.group(1) for line in lines if (m := _PRINCIPLE.match(line))}
        rationales = sum(1 for line in lines if _RATIONALE.match(line))
        closing = any(_KEY_ROLES.match(line) for line in lines)
        score = (0.45 * min(1.0, headers / 3) + 0.3 * min(1.0, len(letters) / 3)
                 + 0.15 * min(1.0, rationales / 3) + 0.1 * closing)
        return round(score, 2)

    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        _Reader(doc, builder).read()


class _Reader:
    """Reads one document into the builder, keeping the posts and bodies already named so
    that a name read twice is one resource with two sources."""

    def __init__(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        assert builder.matcher is not None, "a local code follows a framework edition"
        self.doc = doc
        self.builder = builder
        self.matcher: ItemMatcher = builder.matcher
        self.roles: Gazetteer = builder.gazetteers.roles
        self.sections = principle_sections(doc)
        self.intro_end = self.sections[0].heading if self.sections else len(doc.lines) + 1
        self.posts: dict[str, URIRef] = {}
        self.post_names: dict[str, str] = {}

    def read(self) -> None:
        self.describe()
        self.cover()
        self.role_assignments()
        self.named_bodies_and_posts()
        for section in self.sections:
            self.principle(section)
        self.introduction()
        for row in key_roles(self.doc):
            self.key_role(row)

    # ------------------------------------------------------------------ document

    def describe(self) -> None:
        """Title and month of the cover."""
        for n in range(1, self.intro_end):
            line = self.doc.line(n)
            if (m := _TITLE.match(line)) is not None:
                self.builder.describe(title=m.group(1), lines=(n, n))
            elif (m := _MONTH_YEAR.match(line)) is not None:
                month = _MONTHS.index(m.group(1).lower()) + 1
                self.builder.describe(date=f"{m.group(2)}-{month:02d}", lines=(n, n))
                return

    def cover(self) -> None:
        """``Lead Officer:<TAB>Director of ...``: the post holds the role, and the lead
        officer of a document is the one responsible for it."""
        for n in range(1, self.intro_end):
            line = self.doc.line(n)
            name, tab, value = line.partition("\t")
            role = self.roles.lookup(name.strip().rstrip(":")) if tab else None
            titles = find_posts(value)
            if role is None or not titles or titles[0].name != value.strip():
                continue
            post = self.post(titles[0].name, n, titles[0].name)
            self.builder.assign_role(post, role, (n, n), line.strip())
            if str(role).endswith("/lead-officer"):
                self.builder.responsibility(post, "responsible-for", self.doc.iri, (n, n),
                                            line.strip())

    # ------------------------------------------------------------------ names

    def post(self, name: str, line: int, quote: str) -> URIRef:
        """The post titled ``name``, labelled as the text first writes it ("Law &
        Governance" and "Law and Governance" are one post)."""
        key = slugify(name)
        node = self.builder.post(self.post_names.setdefault(key, name), (line, line), quote)
        self.posts[key] = node
        return node

    def body(self, name: str, line: int, quote: str,
             functions: Sequence[URIRef] = ()) -> URIRef:
        """The council's body ``name``, made once and cited wherever it is named."""
        if _FULL_COUNCIL.fullmatch(name):
            name = _FULL_COUNCIL_NAME
            functions = [*functions, BODY_FUNCTION["full-council"]]
        # the external auditor is named among the key roles but is no unit of the council
        return self.builder.body(name, (line, line), quote, list(functions),
                                 of_council=not name.lower().startswith("external "))

    def role_assignments(self) -> None:
        """Every place the text pairs a post with a role."""
        for n in range(1, len(self.doc.lines) + 1):
            line = self.doc.line(n)
            for found in find_role_assignments(line, self.roles):
                post = self.post(found.post, n, found.post)
                self.builder.assign_role(post, found.role, (n, n), line[found.start:found.end])
            for m in _AS_ROLE.finditer(line):
                role = self.roles.lookup(m.group("role"))
                title = re.sub(r"^The\s+", "", m.group("post"))
                if role is not None and title and self.roles.lookup(title) != role:
                    post = self.post(title, n, title)
                    self.builder.assign_role(post, role, (n, n), line[m.start("post"):m.end()])

    def known_post(self, name: str) -> URIRef | None:
        return self.posts.get(slugify(name))

    def named_bodies_and_posts(self) -> None:
        """The council's bodies and specific post titles named anywhere in the text."""
        for n in range(1, len(self.doc.lines) + 1):
            line = self.doc.line(n)
            for thing in find_bodies(line):
                if not _NOT_OURS.search(line[: thing.start]):
                    self.body(thing.name, n, thing.name)
            for thing in find_posts(line):
                after = line[thing.end:]
                if (_SPECIFIC_TITLE.match(thing.name) and self.roles.lookup(thing.name) is None
                        and not self.roles.concepts(thing.name)
                        and not re.match(r"s\b|\s+[A-Z]", after)):
                    self.post(thing.name, n, thing.name)

    def unnamed(self, text: str) -> str:
        """``text`` with the names of roles and bodies blanked out (offsets kept), so that
        "Monitoring Officer" or "Assurance Service" is not read as a verb cue."""
        spans = [(m.start, m.end) for m in self.roles.mentions(text)]
        spans += [(b.start, b.end) for b in find_bodies(text)]
        chars = list(text)
        for start, end in spans:
            chars[start:end] = " " * (end - start)
        return "".join(chars)

    def clauses(self, text: str) -> list[Clause]:
        return clauses(self.unnamed(text))

    def agents(self, text: str, line: int) -> list[URIRef]:
        """The posts, bodies and roles named in ``text`` (a sentence's subject)."""
        agents: list[URIRef] = []
        covered: list[tuple[int, int]] = []
        for found in find_role_assignments(text, self.roles):
            agents.append(self.post(found.post, line, found.post))
            covered.append((found.start, found.end))
        for thing in find_bodies(text):
            agents.append(self.body(thing.name, line, thing.name))
            covered.append((thing.start, thing.end))
        for mention in self.roles.mentions(text):
            if any(a <= mention.start < b for a, b in covered):
                continue
            post = self.known_post(mention.label)
            agents.append(self.post(mention.label, line, mention.label) if post is not None
                          else mention.concept)
        return list(dict.fromkeys(agents))

    # ------------------------------------------------------------------ principles

    def principle(self, section: Section) -> None:
        principle = self.matcher.number(section.letter)
        if principle is None:
            return
        heading = self.doc.line(section.heading)
        name = heading[: heading.index(":")].strip()
        self.link(self.doc.iri, principle, "by-number", 100.0, [Piece(section.heading, name)])
        for row in read_rows(self.doc, section):
            self.commitment(row, principle, Piece(section.heading, name))

    def commitment(self, row: Row, principle: URIRef, heading: Piece) -> None:
        first = row.label_pieces[0]
        node = self.builder.resource("commitment", f"{row.principle}-{row.label}",
                                     GOVKG.Commitment, (first.line, first.line), first.quote,
                                     row.label)
        for piece in row.label_pieces[1:]:
            self.builder.cite(node, (piece.line, piece.line), piece.quote)
        self.link(node, principle, "by-structure", 100.0, [heading])
        matches = self.matcher.match(row.label, level=GOVKG.SubPrinciple, within=principle,
                                     limit=5, cutoff=MIN_ROW_SCORE)
        for match in matches:
            if match.score >= matches[0].score - _TIE:
                self.link(node, match.item, "by-text", match.score, row.label_pieces)
        for bullet in row.bullets:
            first = bullet.pieces[0]
            evidence = self.builder.evidence(bullet.label, (first.line, first.line), first.quote)
            for piece in bullet.pieces[1:]:
                self.builder.cite(evidence, (piece.line, piece.line), piece.quote)
            self.builder.graph.add((node, GOVKG.citesEvidence, evidence))

    def link(self, node: URIRef, item: URIRef, method: str, score: float,
             pieces: Sequence[Piece]) -> None:
        """Link ``node`` to ``item`` and give the link the text it was made from."""
        first, *rest = pieces
        link = self.builder.link(node, item, method, score, lines=(first.line, first.line),
                                 quote=first.quote)
        for piece in rest:
            self.builder.cite(link, (piece.line, piece.line), piece.quote)

    # ------------------------------------------------------------------ introduction

    def introduction(self) -> None:
        """Statements of who maintains the code, approves, certifies and gives assurance."""
        n = 1
        while n < self.intro_end:
            line = self.doc.line(n)
            for start, end in sentences(line):
                sentence = line[start:end]
                if _LEAD_IN.search(sentence):
                    self.lead_in(n, start, end)
                else:
                    self.statement(n, start, end)
            n += 1

    def statement(self, n: int, start: int, end: int) -> None:
        """A sentence whose agents precede its verb and whose object follows it."""
        sentence = self.doc.line(n)[start:end]
        found = self.clauses(sentence)
        if not found:
            return
        clause = found[0]
        agents = self.agents(sentence[: clause.cue_start], n)
        if not agents:
            return
        for regarding in self.regarding(sentence, clause, n, documents_first=True):
            for agent in agents:
                self.builder.responsibility(agent, clause.kind, regarding, (n, n), sentence)

    def lead_in(self, n: int, start: int, end: int) -> None:
        """"<agents> will:" or "<body> will have responsibility for ... in respect of:",
        with the objects in the bullets that follow."""
        line = self.doc.line(n)
        sentence = line[start:end]
        advisers = _ADVISERS.search(sentence)
        agents = self.agents(sentence[: advisers.start() if advisers else len(sentence)], n)
        found = self.clauses(sentence)
        kind = found[-1].kind if found else "responsible-for"
        for bullet in self.lead_in_bullets(n):
            text = bullet.quote
            own = [c for c in self.clauses(text) if c.kind in ("approves", "signs")]
            clause = own[0] if own else Clause(kind, 0, 0, len(text), False)
            for regarding in self.regarding(text, clause, bullet.line, documents_first=True):
                for agent in agents:
                    node = self.builder.responsibility(agent, clause.kind, regarding, (n, n),
                                                       sentence)
                    self.builder.cite(node, (bullet.line, bullet.line), text)

    def lead_in_bullets(self, n: int) -> list[Piece]:
        """The bullets after line ``n`` that complete it, up to a blank line after them or
        a bullet that is a new paragraph (a bold heading followed by text)."""
        bullets: list[Piece] = []
        for number in range(n + 1, self.intro_end):
            line = self.doc.line(number)
            m = _BULLET_LINE.match(line)
            if m is None:
                if line.strip() or bullets:
                    break
                continue
            body = m.group("body").strip()
            if body.startswith("**") and not body.endswith("**"):
                break
            piece = _piece(self.doc, number, m.start("body"), len(line))
            if piece is not None:
                bullets.append(piece)
        return bullets

    # ------------------------------------------------------------------ key roles

    def key_role(self, row: KeyRole) -> None:
        """A body row (the body, with the functions its description states) or a role row
        (the post it says holds the role, else the role), and what its description makes
        that agent responsible for."""
        role = self.roles.lookup(row.name)
        line = self.doc.line(row.line)
        if role is not None:
            agent = self.holder(row, role) or role
        else:
            agent = self.body(row.name, row.line, line[: line.index("\t")].strip(),
                              self.stated_functions(row.text))
        for start, end in sentences(row.text):
            sentence = row.text[start:end]
            for clause in self.clauses(sentence):
                if clause.passive:
                    self.passive_approval(sentence, clause, row.line)
                else:
                    for regarding in self.regarding(sentence, clause, row.line,
                                                    documents_first=False):
                        self.builder.responsibility(agent, clause.kind, regarding,
                                                    (row.line, row.line), sentence)

    def holder(self, row: KeyRole, role: URIRef) -> URIRef | None:
        """The post a role row's description says holds the role."""
        for found in find_role_assignments(row.text, self.roles):
            if found.role == role:
                return self.post(found.post, row.line, found.post)
        for m in _AS_ROLE.finditer(row.text):
            title = re.sub(r"^The\s+", "", m.group("post"))
            if self.roles.lookup(m.group("role")) == role and title:
                return self.post(title, row.line, title)
        return None

    def stated_functions(self, text: str) -> list[URIRef]:
        """Functions the description names in its own words: not inside a role's or
        another body's name, and not negated ("non-executive")."""
        functions = self.builder.gazetteers.functions
        roles = [(m.start, m.end) for m in self.roles.mentions(text)]
        return list(dict.fromkeys(
            m.concept for m in functions.mentions(text)
            if not any(a < m.end and m.start < b for a, b in roles)
            and not _BODY_NOUN.search(m.label) and not text[: m.start].lower().endswith("non-")))

    def passive_approval(self, sentence: str, clause: Clause, line: int) -> None:
        """"<documents> approved by <agent>": the agent named after the cue approves the
        documents named just before it. Other passives ("Chaired by X") make X lead the
        row's own body, which is not something a responsibility may regard here."""
        by = _PASSIVE_BY.match(sentence, clause.cue_end)
        if clause.kind != "approves" or by is None:
            return
        name = by.group("agent")
        agents = ([self.body(name, line, name)] if _FULL_COUNCIL.fullmatch(name)
                  else self.agents(name, line))
        before = Clause(clause.kind, 0, 0, clause.cue_start, False)
        for regarding in self.evidence(sentence, self.documents(sentence, before, last=True),
                                       line):
            for agent in agents:
                self.builder.responsibility(agent, clause.kind, regarding, (line, line),
                                            sentence)

    # ------------------------------------------------------------------ objects

    def regarding(self, text: str, clause: Clause, line: int, *,
                  documents_first: bool) -> list[URIRef]:
        """What a clause makes its agent responsible for: this code where it names the
        local code; the documents it names (when approving or signing, or when
        ``documents_first``); otherwise the governance topics it names."""
        documents = self.documents(text, clause, last=False)
        if any(m.concept == _LOCAL_CODE for m in documents):
            return [self.doc.iri]
        if documents and (documents_first or clause.kind in ("approves", "signs")):
            return self.evidence(text, documents, line)
        scope = _blank_parentheses(text)[clause.cue_start:clause.end]
        return self.builder.gazetteers.topics.concepts(_ADJECTIVAL.sub(_blank, scope))

    def documents(self, text: str, clause: Clause, *, last: bool) -> list[Mention]:
        """The first (or last) run of documents named in the clause, joined by "and" or
        commas."""
        scope = _blank_parentheses(text)
        mentions = [m for m in self.builder.gazetteers.evidence_kinds.mentions(scope)
                    if clause.cue_start <= m.start and m.end <= clause.end]
        runs: list[list[Mention]] = []
        for mention in mentions:
            if runs and _COORDINATION.match(scope[runs[-1][-1].end: mention.start]):
                runs[-1].append(mention)
            else:
                runs.append([mention])
        if not runs:
            return []
        return runs[-1] if last else runs[0]

    def evidence(self, text: str, mentions: Sequence[Mention], line: int) -> list[URIRef]:
        """The documents named, as evidence of their kinds (the local code is this one)."""
        return [self.doc.iri if m.concept == _LOCAL_CODE
                else self.builder.evidence(text[m.start:m.end], (line, line), text[m.start:m.end])
                for m in mentions]
