"""A review that judges a council against governance standards of its own: findings per
standard and area, the failures it names, key questions, and tables of recommendations by
priority with their expected impact (corpus 003, the external auditor's review of Kent,
is one; the standards and areas are the review-standard and review-area schemes'
labels, so any review written against them reads alike).

Read from the G1 document model's blocks, by numbered headings: a heading (or numbered
paragraph) ``N.M <standard>`` opens a standard, ``N.M.K <area>`` an area under it; every
paragraph under an area is one ``govkg:Finding``. A heading numbered as a section the
reader is already inside ("3.3 ...: Accountability (2)" inside 3.3.2) and an unnumbered
heading ending in a page counter ("Accountability (1)") are running page headers and keep
the place. A section titled "Recommendations: <areas>" holds the recommendation tables
(:mod:`.tables`): the table's header names the priority ("Recommendations: Key"), a row
repeating it with another qualifier ("Recommendations: Improvement") starts the next
group, and the heading before a table names its area. The list items of the first
section that are questions are the review's key questions.

Failures are named wherever the review names them (``[review.failures]`` in
``cues.toml``), one ``govkg:Failure`` per failure, its mentions merged by the head of
their subject ("...procurement of school catering services" and "...school catering for
pupils..." are both "catering"; a body's name, such as a Property Board, is its own key).
Findings, failures and recommendations ``govkg:concerns`` the bodies, posts and roles
they name and the evidence kinds they name.

Which standards a recommendation addresses such a review does not say: the rule
(:class:`_StandardMatcher`) is that it addresses the standards under which the review
made the findings it echoes. Echo is TF-IDF cosine similarity between the row (the
recommendation, plus its impact at a third of the weight) and each finding paragraph and
sentence; a standard is kept when its best finding scores at least half the best
standard's score (and at least 0.05); the best is always kept. IDF weighting, not
rapidfuzz's WRatio, because what ties a recommendation to a finding is a shared
distinctive phrase ("Special Responsibility Allowance"), not shared common words. Each
link is recorded with method ``by-text`` and its score (0-100).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache

from rdflib import RDF, Literal, URIRef

from govkg.graph.documents.model import BlockKind, Document
from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.kinds import tables
from govkg.graph.importers.kinds.reading import cues
from govkg.graph.importers.linking import Gazetteer, Gazetteers
from govkg.graph.importers.names import find_bodies, find_posts
from govkg.graph.namespaces import GOVKG, PRIORITY, TOPIC, slugify

_FLAGS = re.IGNORECASE
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*'‘\"(])")
_NUMBERED = re.compile(r"^(?P<number>\d{1,2}(?:\.\d{1,2})*)\.?\s+(?P<title>\S.*?)"
                       r"(?:\s+\(continued\))?$", re.DOTALL)
_PAGE_COUNTER = re.compile(r"\s\(\d+\)$")
_EMPHASIS = re.compile(r"^[*_]+|[*_]+$")


@dataclass(frozen=True)
class Span:
    """Exact text read from the document and the line it starts on."""

    line: int
    text: str

    @property
    def lines(self) -> tuple[int, int]:
        return self.line, self.line + self.text.count("\n")

    def part(self, start: int, end: int) -> Span:
        """The exact text from ``start`` to ``end`` (offsets into this span)."""
        return Span(self.line + self.text.count("\n", 0, start), self.text[start:end])

    def sentences(self) -> Iterator[Span]:
        start = 0
        for match in _SENTENCE_END.finditer(self.text):
            yield self.part(start, match.start())
            start = match.end()
        yield self.part(start, len(self.text))


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of the review's narrative and the standard and area it sits under."""

    span: Span
    standard: URIRef | None
    area: URIRef | None
    heading: str  # the number of the nearest numbered heading, "3.1.1"


@dataclass
class Row:
    """One row of a recommendations table."""

    section: str
    areas: tuple[URIRef, ...]
    priority: URIRef | None
    index: int
    text: Span
    impact: list[Span] = field(default_factory=list)
    response: list[Span] = field(default_factory=list)
    target: list[Span] = field(default_factory=list)
    owner: list[Span] = field(default_factory=list)


@dataclass
class Outline:
    """The parts of the review, in document order."""

    title: Span | None = None
    date: tuple[Span, str] | None = None
    questions: list[Span] = field(default_factory=list)
    standards: dict[URIRef, Span] = field(default_factory=dict)
    paragraphs: list[Paragraph] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    tables: int = 0  # tables of recommendations
    area_headings: int = 0

    @property
    def fit(self) -> float:
        """How plainly this is a review against standards: its recommendation tables
        (weight 0.4, full at four), area headings under standards (0.3, full at nine) and
        standard headings (0.3, full at four)."""
        return round(0.4 * min(1.0, self.tables / 4) + 0.3 * min(1.0, self.area_headings / 9)
                     + 0.3 * min(1.0, len(self.standards) / 4), 2)

    @property
    def findings(self) -> list[Paragraph]:
        return [p for p in self.paragraphs if p.standard is not None and p.area is not None]


def _priority(text: str) -> URIRef | None:
    """The priority a header or group cell names after its colon ("Recommendations:
    Key"), or a priority cell names ("High")."""
    qualifier = text.rsplit(":", 1)[-1].strip().lower()
    slug = cues()["review"]["priorities"].get(qualifier)
    return PRIORITY[slug] if slug else None


def _month_year(text: str) -> str | None:
    months = cues()["review"]["months"]
    m = re.match(rf"^(?P<month>{'|'.join(months)})\s+(?P<year>(?:19|20)\d\d)$", text.strip())
    return f"{m.group('year')}-{months.index(m.group('month')) + 1:02d}" if m else None


class _OutlineReader:
    """Reads the review block by block, keeping which numbered heading each sits under."""

    def __init__(self, document: Document, gazetteers: Gazetteers) -> None:
        self.document = document
        self.standards = gazetteers.for_scheme("review-standard")
        self.areas = gazetteers.for_scheme("review-area")
        self.outline = Outline()
        self.part = ""  # "", "narrative" or "recommendations"
        self.standard: URIRef | None = None
        self.area: URIRef | None = None
        self.heading = ""
        self.section_areas: tuple[URIRef, ...] = ()
        self.table_areas: tuple[URIRef, ...] = ()
        self.table_section = ""
        self.summary_intro = False  # in the first section, before its first subsection

    def read(self) -> Outline:
        breaks = [b.span.line for b in self.document.furniture if b.kind is BlockKind.TABLE]
        previous: tables.Table | None = None
        for block in self.document.blocks:
            span = Span(block.span.line, block.text)
            if block.kind is BlockKind.TABLE:
                table = tables.read_table(self.document, block, breaks, "", 0)
                if table is not None and "recommendation" in table.header.roles:
                    self._table(table, previous)
                    self.outline.tables += 1
                    previous = table
                continue
            text = " ".join(block.text.split())
            numbered = _NUMBERED.match(text)
            if block.kind is BlockKind.HEADING or (
                    numbered and "." in numbered.group("number")
                    and block.kind is BlockKind.PARAGRAPH and len(text) < 200):
                self._heading(span, text, numbered)
                continue
            if not self.part:
                continue
            if block.kind is BlockKind.LIST_ITEM:
                question = _EMPHASIS.sub("", block.text.strip())
                if self.summary_intro and question.endswith("?"):
                    start = block.text.index(question)
                    self.outline.questions.append(span.part(start, start + len(question)))
                continue
            if block.kind is BlockKind.PARAGRAPH and self.part == "narrative":
                self._paragraph(span)
        return self.outline

    # ------------------------------------------------------------------ narrative

    def _heading(self, span: Span, text: str, numbered: re.Match[str] | None) -> None:
        """Follow a heading (or a numbered paragraph, which opens a subsection)."""
        if numbered is None:
            if not self.part:
                if self.outline.date is None and (date := _month_year(text)) is not None:
                    self.outline.date = (span, date)
                elif self.outline.title is None:
                    self.outline.title = span
            return  # an unnumbered heading (a page counter's running header too)
        number, title = numbered.group("number"), numbered.group("title")
        current = self.heading or self.table_section
        if current and (current == number or current.startswith(number + ".")) and (
                ":" in title or _PAGE_COUNTER.search(title) or "continued" in text.lower()):
            return  # a running page header of the section already open
        if "." not in number:
            recommendations = re.match(r"^Recommendations\b:?\s*(?P<areas>.*)$", title)
            if recommendations:
                self.part = "recommendations"
                self._enter("", None, None)
                self.section_areas = tuple(self.areas.concepts(recommendations.group("areas")))
                self.table_areas, self.table_section = (), ""
            else:
                self.summary_intro = self.part == "" and number == "1"
                self.part = "narrative"
                self._enter(number, None, None)
            return
        self.summary_intro = False
        if self.part == "recommendations":
            self.table_section = number
            self.table_areas = tuple(self.areas.concepts(title))
            return
        standard = self.standards.lookup(title)
        area = self.areas.lookup(title)
        if standard is not None and number.count(".") == 1:
            self.outline.standards.setdefault(standard, span)
            self._enter(number, standard, None)
        elif area is not None and self.standard is not None:
            self.outline.area_headings += 1
            self._enter(number, self.standard, area)
        else:
            self._enter(number, None, None)
        return

    def _enter(self, heading: str, standard: URIRef | None, area: URIRef | None) -> None:
        self.heading, self.standard, self.area = heading, standard, area

    def _paragraph(self, span: Span) -> None:
        # The question under a standard's heading frames the findings; it is not one.
        if self.standard is not None and self.area is None and span.text.endswith("?"):
            return
        self.outline.paragraphs.append(Paragraph(span, self.standard, self.area, self.heading))

    # ------------------------------------------------------------------ recommendations

    def _table(self, table: tables.Table, previous: tables.Table | None) -> None:
        priority = _priority(table.header.text("recommendation"))
        section = self.table_section or "recommendations"
        for n, row in enumerate(table.rows):
            text, impact = row.cell("recommendation"), row.cell("impact")
            group = _priority(row.group) if row.group else None
            row_priority = _priority(row.cell("priority").text) or group or priority
            if not text.text and n == 0 and self.outline.rows and previous is not None:
                # the rest of the last row of the table before, which a page break split
                self.outline.rows[-1].impact.extend(Span(p.line, p.text)
                                                    for p in impact.pieces)
                continue
            if not text.text:
                continue
            index = 1 + sum(1 for r in self.outline.rows
                            if r.section == section and r.priority == row_priority)
            self.outline.rows.append(Row(
                section, self.table_areas or self.section_areas, row_priority, index,
                Span(text.pieces[0].line, "\n".join(p.text for p in text.pieces)),
                *([Span(p.line, p.text) for p in row.cell(role).pieces]
                  for role in ("impact", "response", "target", "lead"))))


def read_outline(document: Document, gazetteers: Gazetteers) -> Outline:
    """The review's outline: title, date, key questions, standards, findings, rows."""
    return _OutlineReader(document, gazetteers).read()


# ---------------------------------------------------------------------------- names

_PLURAL_BODY = re.compile(r"\b((?:[A-Z][\w'’]*\s+){1,4}(?:Committees|Boards|Panels))\b")
_MEETING = re.compile(r"\b((?:[A-Z][\w'’]*\s+){1,4}Meeting)\b")
_ARTICLE = re.compile(r"^(?:The|A|An|Our|Its|Their|This|Each|Every|All)\s+")
_ACRONYM = re.compile(r"^\s*\((?P<acronym>[A-Z]{2,})\)")
# "Cabinet and Committee members": two bodies' members, not a body called that.
_TWO_BODIES = re.compile(r"^(?P<first>.+?)\s+(?:and|&)\s+(?:Committee|Panel|Board)$")
_AND = re.compile(r"\s+(?:and|&)\s+")
_POSSESSIVE = re.compile(r"['’]")
# "programme of organisational development" names an "organisational development programme".
_INVERTED_KIND = re.compile(r"\b(?P<head>programme|plan|strategy|policy|scheme|protocol)s?\s+of\s+"
                            r"(?P<modifier>(?:(?!for\b|to\b|and\b|in\b|on\b)[a-z][\w-]*\s*){1,3})",
                            re.IGNORECASE)


def _body_key(name: str) -> str:
    """One key for every spelling of a body's name: "&"/"and", apostrophes, plural."""
    return re.sub(r"s$", "", slugify(_POSSESSIVE.sub("", name)))


@dataclass(frozen=True)
class _Mention:
    """A body or post named in a text, by its canonical name, and where (offsets)."""

    name: str
    start: int
    end: int

    def within(self, others: list[_Mention]) -> bool:
        return any(o.start <= self.start and self.end <= o.end and o != self for o in others)


def _full_names(text: str, known: set[str]) -> Iterator[_Mention]:
    """Bodies named in full: what :func:`find_bodies` finds, plus meetings ("Cabinet
    Members' Meeting") and plurals whose singular is a ``known`` body ("Cabinet Committees")."""
    for body in find_bodies(text):
        split = _TWO_BODIES.match(body.name)
        name = split.group("first") if split else body.name
        yield _Mention(name, body.start, body.start + len(name))
    for match in _MEETING.finditer(text):
        name = _ARTICLE.sub("", match.group(1))
        yield _Mention(name, match.end(1) - len(name), match.end(1))
    for match in _PLURAL_BODY.finditer(text):
        # The longest tail that is a known body: "Abolish Cabinet Committees".
        for word in re.finditer(r"\S+", match.group(1)):
            start = match.start(1) + word.start()
            if _body_key(text[start : match.end(1)]) in known:
                yield _Mention(text[start : match.end(1)], start, match.end(1))
                break


def _without_overlaps(mentions: list[_Mention]) -> list[_Mention]:
    """Longest first; a mention overlapping a longer one is dropped. In text order."""
    kept: list[_Mention] = []
    for m in sorted(mentions, key=lambda m: (-(m.end - m.start), m.start)):
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


class _BodyNames:
    """The council's bodies as this review names them, with their spellings and short forms.

    Built once from the whole document, because a short form ("Scrutiny", "Governance
    and Audit", "CMM") is recognised only as an alias of a full name the document uses:
    a committee's name without "Committee", or an acronym given in brackets after it.
    Each body gets the spelling the document uses most as its name.
    """

    def __init__(self, lines: tuple[str, ...]) -> None:
        singular = {_body_key(b.name) for line in lines for b in find_bodies(line)}
        spellings: Counter[str] = Counter()
        aliases: dict[str, str] = {}  # short form -> body key
        for line in lines:
            for mention in _full_names(line, singular):
                spellings[mention.name] += 1
                acronym = _ACRONYM.match(line[mention.end :])
                if acronym:
                    aliases[acronym.group("acronym")] = _body_key(mention.name)
        self.canonical: dict[str, str] = {}
        for name, _ in spellings.most_common():
            self.canonical.setdefault(_body_key(name), name)
        for key, name in self.canonical.items():
            stem = re.sub(r"\s+Committee$", "", name)
            if stem != name and _body_key(stem) not in self.canonical:
                aliases[stem] = key
        self._aliases = {_body_key(form): key for form, key in aliases.items()}
        forms = sorted(aliases, key=len, reverse=True)
        alternatives = "|".join(_AND.pattern.join(re.escape(p) for p in _AND.split(f))
                                for f in forms)
        # Not when a body noun follows: "Scrutiny panels" are other, proposed, bodies.
        self._alias_pattern = re.compile(
            rf"(?<![\w-])({alternatives})(?![\w-])(?!\s+(?:[Pp]anel|[Cc]ommittee|[Bb]oard))"
        ) if forms else None

    def find(self, text: str) -> list[_Mention]:
        """The bodies ``text`` names, by canonical name; the longest mention wins."""
        found = [_Mention(self.canonical[_body_key(m.name)], m.start, m.end)
                 for m in _full_names(text, set(self.canonical))
                 if _body_key(m.name) in self.canonical]
        if self._alias_pattern is not None:
            for match in self._alias_pattern.finditer(text):
                key = self._aliases[_body_key(match.group(1))]
                found.append(_Mention(self.canonical[key], match.start(1), match.end(1)))
        return _without_overlaps(found)


class _Names:
    """Turns what a text names into the IRIs it ``govkg:concerns``: bodies and posts of
    the council (created, with the mention as their source), roles, evidence kinds."""

    def __init__(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.bodies = _BodyNames(doc.lines)
        self.roles = builder.gazetteers.roles
        self.kinds = builder.gazetteers.evidence_kinds

    def body(self, name: str, span: Span) -> URIRef:
        return self.builder.body(name, span.lines, span.text)

    def concerns(self, span: Span) -> list[URIRef]:
        """Bodies, posts, roles and evidence kinds ``span`` names, in that order, once each.

        A role named inside a body's or post's name ("Cabinet Member" in "Cabinet Member's
        Meeting", "Chief Executive" as a post) is not counted again as a role."""
        bodies, posts, roles = self._mentions(span.text)
        found = [self.body(m.name, span.part(m.start, m.end)) for m in bodies]
        for post in posts:
            part = span.part(post.start, post.end)
            found.append(self.builder.post(post.name, part.lines, part.text))
        found.extend(roles)
        found.extend(self._kinds(span.text))
        return list(dict.fromkeys(found))

    def recognise(self, span: Span) -> None:
        """Create the bodies and posts ``span`` names, citing it."""
        self.concerns(span)

    def _mentions(self, text: str) -> tuple[list[_Mention], list[_Mention], list[URIRef]]:
        """Bodies, posts and roles named in ``text``. A body's name that only qualifies a
        role ("Cabinet" in "Cabinet members") is the role; a role inside a body's name
        ("Cabinet Member" in "Cabinet Member's Meeting") or over a post's title ("Chief
        Executive Officer" over the post "Chief Executive") is not a role."""
        roles = self.roles.mentions(text)
        bodies = [b for b in self.bodies.find(text)
                  if not any(r.start == b.start and r.end > b.end for r in roles)]
        posts = [_Mention(p.name, p.start, p.end) for p in find_posts(text)
                 if not self._statutory(p.name)]
        posts = [p for p in posts if not p.within(bodies)]
        named_roles = [r.concept for r in roles
                       if not _Mention("", r.start, r.end).within(bodies)
                       and not any(r.start < p.end and p.start < r.end for p in posts)]
        return bodies, posts, named_roles

    def _statutory(self, title: str) -> bool:
        """Statutory designations (Monitoring Officer, s151 Officer) are named as roles:
        the review never says which post holds them."""
        role = self.roles.lookup(title)
        return role is not None and (role, RDF.type, GOVKG.StatutoryRole) in \
            self.builder.vocabulary

    def _kinds(self, text: str) -> list[URIRef]:
        kinds = self.kinds.concepts(text)
        for match in _INVERTED_KIND.finditer(text):
            kinds.extend(self.kinds.concepts(f"{match.group('modifier').strip()} "
                                             f"{match.group('head')}"))
        return list(dict.fromkeys(kinds))


# ---------------------------------------------------------------------------- standards

_STOP_WORDS = frozenset(re.findall(r"\w+", """
    a an the and or of to in on for with by is are be as at it its that this which from
    their they them there was were has have had not but also more all any can do does will
    would should than such so who what when where how into about other some many very much
    only been being may could our we us
    council member officer make made set need ensure way part take"""))
_IMPACT_WEIGHT = 0.3
_RELATIVE_CUT = 0.5
_FLOOR = 0.05


def _terms(text: str) -> list[str]:
    """Content words, crudely stemmed, and the pairs of adjacent ones."""
    words = re.findall(r"[a-z][a-z-]+", _POSSESSIVE.sub("", text.lower()))
    stems = [_stem(w) for w in words]
    stems = [w for w in stems if w not in _STOP_WORDS and len(w) > 2]
    return stems + [f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)]


def _stem(word: str) -> str:
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)] + replacement
    return word


@dataclass(frozen=True)
class StandardMatch:
    """A standard a recommendation addresses, how sure (0-100), and the finding it echoes."""

    standard: URIRef
    score: float  # 0-100
    finding: Span


class _StandardMatcher:
    """The standards whose findings a recommendation echoes (see the module docstring)."""

    def __init__(self, findings: list[Paragraph]) -> None:
        units: dict[tuple[URIRef, Span], Counter[str]] = {}
        for finding in findings:
            assert finding.standard is not None
            for unit in (finding.span, *finding.span.sentences()):
                units.setdefault((finding.standard, unit), Counter(_terms(unit.text)))
        frequency: Counter[str] = Counter()
        for terms in units.values():
            frequency.update(set(terms))
        size = len(units)
        self._idf = {t: math.log((size + 1) / (n + 1)) for t, n in frequency.items()}
        self._default_idf = math.log(size + 1)
        self._units = [(standard, unit, self._vector(terms))
                       for (standard, unit), terms in units.items()]

    def _vector(self, terms: Counter[str], weight: float = 1.0) -> dict[str, float]:
        return {t: weight * n * self._idf.get(t, self._default_idf) for t, n in terms.items()}

    def match(self, text: str, impact: str = "") -> list[StandardMatch]:
        query = self._vector(Counter(_terms(text)))
        for term, value in self._vector(Counter(_terms(impact)), _IMPACT_WEIGHT).items():
            query[term] = query.get(term, 0.0) + value
        best: dict[URIRef, StandardMatch] = {}
        for standard, unit, vector in self._units:
            score = 100 * _cosine(query, vector)
            if standard not in best or score > best[standard].score:
                best[standard] = StandardMatch(standard, score, unit)
        ranked = sorted(best.values(), key=lambda m: -m.score)
        if not ranked or ranked[0].score <= 0:
            return []
        cut = max(_RELATIVE_CUT * ranked[0].score, 100 * _FLOOR)
        return [ranked[0]] + [m for m in ranked[1:] if m.score >= cut]


def _cosine(a: dict[str, float], b: dict[str, float]) -> float:
    dot = sum(v * b.get(t, 0.0) for t, v in a.items())
    norms = math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values()))
    return dot / norms if norms else 0.0


# ---------------------------------------------------------------------------- failures



@dataclass(frozen=True)
class _FailureMention:
    key: str
    subject: str
    cue: Span
    sentence: Span
    paragraph: Paragraph


@cache
def _failure_cues() -> list[re.Pattern[str]]:
    return [re.compile(p) for p in cues()["review"]["failures"]["cues"]]


def _failure_key(subject: str, bodies: _BodyNames) -> str:
    """What the failure is of: the body the subject names, or the head noun of the
    subject ("procurement of school catering services" -> "catering")."""
    named = bodies.find(subject)
    if named:
        return slugify(named[0].name)
    c = cues()["review"]["failures"]
    core = re.sub(c["subject_tail"], "", subject)
    words = [w for w in re.findall(r"[\w-]+", core) if w.lower() not in c["generic_nouns"]]
    head = words[-1].lower() if words else slugify(subject)
    return head[:-1] if head.endswith("s") and not head.endswith("ss") else head


def _failure_mentions(paragraphs: list[Paragraph], bodies: _BodyNames) -> list[_FailureMention]:
    found: list[_FailureMention] = []
    for paragraph in paragraphs:
        for sentence in paragraph.span.sentences():
            for cue in _failure_cues():
                for match in cue.finditer(sentence.text):
                    subject = match.group("subject").strip()
                    found.append(_FailureMention(
                        _failure_key(subject, bodies), subject,
                        sentence.part(match.start(), match.end()), sentence, paragraph))
    return found


# ---------------------------------------------------------------------------- responsibilities

_PRONOUN = re.compile(r"^(?:them|it)$", re.IGNORECASE)


@dataclass(frozen=True)
class _Monitoring:
    """The text says body ``agent`` monitors ``regarding`` (a body's mention or a topic)."""

    agent: _Mention
    regarding: _Mention | URIRef
    statement: Span


def _monitoring_statements(sentence: Span, bodies: _BodyNames,
                           topics: Gazetteer) -> Iterator[_Monitoring]:
    """"<Body> ... hold(s) <Body> to account", "<Body> oversees <topic>", "<Body> ...
    provide(s) ... assurance that <topic>". The agent is the body named nearest before
    the verb; "them" stands for the body named just before it ("question the Mayor and
    Executive and hold them to account")."""
    named = bodies.find(sentence.text)
    c = cues()["review"]["monitoring"]
    object_topics = [(re.compile(cue), TOPIC[topic]) for cue, topic in c["object_topics"].items()]
    for pattern in (re.compile(p) for p in c["statements"]):
        for match in pattern.finditer(sentence.text):
            before = [b for b in named if b.end <= match.start()]
            obj = match.group("object").strip()
            regarding: list[_Mention | URIRef]
            if _PRONOUN.match(obj):
                regarding, before = list(before[-1:]), before[:-1]
            else:
                regarding = [b for b in named
                             if match.start("object") <= b.start < match.end("object")]
                regarding = regarding or list(topics.concepts(obj)) or [
                    topic for cue, topic in object_topics if cue.search(obj)]
            if not before:
                continue
            agent = before[-1]
            statement = sentence.part(agent.start, match.end())
            for target in regarding:
                if not (isinstance(target, _Mention) and target.name == agent.name):
                    yield _Monitoring(agent, target, statement)


class ReviewWriter:
    """Adds a review's outline to a document's builder."""

    def __init__(self, doc: SourceDocument, builder: DocumentBuilder, outline: Outline) -> None:
        self.builder, self.outline = builder, outline
        self.names = _Names(doc, builder)

    def write(self) -> None:
        outline, builder, names = self.outline, self.builder, self.names
        for span in (*outline.questions, *(p.span for p in outline.paragraphs)):
            names.recognise(span)
        self._describe(outline, builder)
        self._key_questions(outline, builder)
        self._findings(outline, builder, names)
        self._failures(outline, builder, names)
        self._recommendations(outline, builder, names)
        self._responsibilities(outline, builder, names)

    @staticmethod
    def _describe(outline: Outline, builder: DocumentBuilder) -> None:
        date = outline.date[1] if outline.date is not None else None
        builder.describe(title=outline.title.text if outline.title else None, date=date)
        for span in (outline.title, outline.date[0] if outline.date else None):
            if span is not None:
                builder.cite(builder.doc.iri, span.lines, span.text)
        for standard, heading in outline.standards.items():
            builder.graph.add((builder.doc.iri, GOVKG.assessesAgainst, standard))
            builder.cite(builder.doc.iri, heading.lines, heading.text)

    @staticmethod
    def _key_questions(outline: Outline, builder: DocumentBuilder) -> None:
        for number, question in enumerate(outline.questions, 1):
            node = builder.resource("key-question", str(number), GOVKG.KeyQuestion,
                                    question.lines, question.text, label=question.text)
            builder.graph.add((builder.doc.iri, GOVKG.keyQuestion, node))

    @staticmethod
    def _findings(outline: Outline, builder: DocumentBuilder, names: _Names) -> None:
        counts: Counter[str] = Counter()
        for finding in outline.findings:
            counts[finding.heading] += 1
            first = next(finding.span.sentences())
            node = builder.resource("finding", f"{finding.heading}-{counts[finding.heading]}",
                                    GOVKG.Finding, finding.span.lines, finding.span.text,
                                    label=first.text)
            _add_findings_context(builder, node, [finding])
            _add_concerns(builder, node, names.concerns(finding.span))

    @staticmethod
    def _failures(outline: Outline, builder: DocumentBuilder, names: _Names) -> None:
        mentions = _failure_mentions(outline.paragraphs, names.bodies)
        for key in dict.fromkeys(m.key for m in mentions):
            group = [m for m in mentions if m.key == key]
            label = max((m.subject for m in group), key=len)
            first = group[0]
            node = builder.resource("failure", key, GOVKG.Failure, first.cue.lines,
                                    first.cue.text, label=label[0].upper() + label[1:])
            for mention in group[1:]:
                builder.cite(node, mention.cue.lines, mention.cue.text)
            _add_findings_context(builder, node, [m.paragraph for m in group])
            for mention in group:
                _add_concerns(builder, node, names.concerns(mention.sentence))

    @staticmethod
    def _recommendations(outline: Outline, builder: DocumentBuilder, names: _Names) -> None:
        matcher = _StandardMatcher(outline.findings)
        g = builder.graph
        for row in outline.rows:
            priority = str(row.priority).rsplit("/", 1)[-1] if row.priority else "none"
            node = builder.resource("recommendation", f"{row.section}-{priority}-{row.index}",
                                    GOVKG.Recommendation, row.text.lines, row.text.text,
                                    label=" ".join(row.text.text.split()))
            if row.priority is not None:
                g.add((node, GOVKG.priority, row.priority))
            _response(builder, node, row)
            for area in row.areas:
                g.add((node, GOVKG.area, area))
            impact = " ".join(span.text for span in row.impact)
            if impact:
                g.add((node, GOVKG.expectedImpact, Literal(impact, lang="en")))
            for span in row.impact:
                builder.cite(node, span.lines, span.text)
            for match in matcher.match(row.text.text, impact):
                _link_standard(builder, node, row, match)
            concerns = [c for span in (row.text, *row.impact) for c in names.concerns(span)]
            _add_concerns(builder, node, list(dict.fromkeys(concerns)))

    @staticmethod
    def _responsibilities(outline: Outline, builder: DocumentBuilder, names: _Names) -> None:
        topics = builder.gazetteers.topics
        for paragraph in outline.paragraphs:
            for sentence in paragraph.span.sentences():
                for found in _monitoring_statements(sentence, names.bodies, topics):
                    agent = names.body(found.agent.name,
                                       sentence.part(found.agent.start, found.agent.end))
                    target = found.regarding
                    regarding = target if isinstance(target, URIRef) else names.body(
                        target.name, sentence.part(target.start, target.end))
                    builder.responsibility(agent, "monitors", regarding,
                                           found.statement.lines, found.statement.text)


def _response(builder: DocumentBuilder, node: URIRef, row: Row) -> None:
    """The management response a row gives (a planned action), its owner and the date it
    is due by, each citing its cell."""
    g = builder.graph
    if row.response:
        text = " ".join(" ".join(s.text.split()) for s in row.response)
        action = builder.resource("action", f"{node.rsplit('/', 1)[-1]}-response",
                                  GOVKG.ImprovementAction, row.response[0].lines,
                                  row.response[0].text, label=text)
        for span in row.response[1:]:
            builder.cite(action, span.lines, span.text)
        g.add((node, GOVKG.plannedAction, action))
    for span in row.owner:
        owner = builder.post(" ".join(span.text.split()), span.lines, span.text)
        g.add((node, GOVKG.issueOwner, owner))
    if row.target:
        g.add((node, GOVKG.targetDate, Literal(" ".join(s.text for s in row.target))))
        for span in row.target:
            builder.cite(node, span.lines, span.text)


def _link_standard(builder: DocumentBuilder, node: URIRef, row: Row,
                   match: StandardMatch) -> None:
    """``node`` addresses ``match.standard``; the link cites the row and the finding it
    echoes, so a reader can judge the inference."""
    builder.link(node, match.standard, "by-text", match.score, prop=GOVKG.standard)
    link = next(link for link in builder.graph.objects(node, GOVKG.qualifiedLink)
                if (link, GOVKG.linkedItem, match.standard) in builder.graph)
    assert isinstance(link, URIRef)
    builder.cite(link, row.text.lines, row.text.text)
    builder.cite(link, match.finding.lines, match.finding.text)


def _add_findings_context(builder: DocumentBuilder, node: URIRef,
                          paragraphs: list[Paragraph]) -> None:
    """The standards and areas a finding (or failure) is made under, by the headings."""
    for paragraph in paragraphs:
        if paragraph.standard is not None:
            builder.graph.add((node, GOVKG.standard, paragraph.standard))
        if paragraph.area is not None:
            builder.graph.add((node, GOVKG.area, paragraph.area))


def _add_concerns(builder: DocumentBuilder, node: URIRef, concerns: list[URIRef]) -> None:
    for concern in concerns:
        builder.graph.add((node, GOVKG.concerns, concern))


