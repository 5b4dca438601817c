"""Statements: the units a council states, and what each one is.

A unit is a list item, a table cell's line, or a sentence of a paragraph, with the span
it was read from. Recognisers classify it, each a small class with its cue words in
``cues.toml`` (the pySHACL move: one base class, one component per kind of thing):

- :class:`DesignationRecogniser`: a post named as holding a statutory role ("the Director
  of Law is the Monitoring Officer", "the Section 151 Officer (Director of Finance)");
- :class:`ResponsibilityRecogniser`: a post, body or role with what it does ("the Audit
  Committee monitors ...");
- :class:`EvidenceRecogniser`: a short unit naming a policy, plan, register, procedure ...
  (by the evidence-kind scheme's labels);
- :class:`CommitmentRecogniser`: what the council does, has or will do, under a section.

Nothing is invented: each recogniser needs its words in the unit itself.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from rdflib import URIRef

from govkg.graph.documents.model import Block, BlockKind, Span
from govkg.graph.importers.cues import Cues
from govkg.graph.importers.linking import Gazetteer, Gazetteers
from govkg.graph.importers.names import (
    NamedThing,
    RoleAssignment,
    find_designation_rows,
    find_posts,
    find_role_assignments,
)
from govkg.graph.importers.sections import LEADING_NUMBERS
from govkg.graph.importers.splitting import body_mentions
from govkg.graph.importers.text import clean, split_run_together

_STATUTORY = ("head-of-paid-service", "monitoring-officer", "chief-finance-officer")


@dataclass
class Unit:
    """One stated unit: its exact text and where it is."""

    text: str
    span: Span
    classes: list[str] = field(default_factory=list)
    designations: list[RoleAssignment] = field(default_factory=list)
    responsibilities: list[tuple[str, URIRef | NamedThing, str]] = field(default_factory=list)
    evidence_kinds: list[URIRef] = field(default_factory=list)
    #: the statement's wording where the text holds more (an item's number before it)
    wording: str | None = None
    #: cut where a framework item's paraphrase begins: a statement of that item, never
    #: an evidence title however short ("Produce an annual report on ...")
    paraphrase: bool = False
    #: the paragraph's text before this sentence (what "it" and "its" may refer to)
    context: str = ""

    @property
    def label(self) -> str:
        return clean(self.wording if self.wording is not None else self.text)


_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[\"“‘(]?[A-Z0-9])")


def sentences(text: str, span: Span, cues: Cues) -> Iterator[Unit]:
    """The sentences of a paragraph, each with its own span (lines counted within it)."""
    start = 0
    for m in _SENTENCE_END.finditer(text):
        before = text[start:m.start()].rstrip()
        word = re.search(r"(\w+)\.$", before)
        if word is not None and (word.group(1).casefold() in cues.abbreviations
                                 or len(word.group(1)) == 1):
            continue
        yield _unit(text, start, m.start(), span)
        start = m.end()
    if text[start:].strip():
        yield _unit(text, start, len(text), span)


def _unit(text: str, start: int, end: int, span: Span) -> Unit:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    first = span.line + text[:start + lead].count("\n")
    return Unit(piece, Span(span.start + start + lead, span.start + start + lead + len(piece),
                            first, first + piece.count("\n"), span.page),
                context=text[:start])


def units_of(block: Block, cues: Cues) -> Iterator[Unit]:
    """The units of a block: a list item whole, a table's cells line by line (its first
    column too, unless it is a section), a paragraph sentence by sentence."""
    if block.kind is BlockKind.TABLE:
        for row in block.rows:
            if row.header:
                continue
            for cell in row.cells:
                yield from cell_units(cell.text, cell.span, cues)
    elif block.kind is BlockKind.LIST_ITEM:
        yield Unit(block.text, block.span)
    elif block.kind is BlockKind.PARAGRAPH:
        yield from sentences(block.text, block.span, cues)


def cell_units(text: str, span: Span, cues: Cues) -> Iterator[Unit]:
    """A table cell's lines (a cell that holds a list keeps an item a line), each read
    as sentences."""
    offset = 0
    for line in text.split("\n"):
        if line.strip():
            line_span = Span(span.start + offset, span.start + offset + len(line),
                             span.line + text[:offset].count("\n"),
                             span.line + text[:offset].count("\n"), span.page)
            yield from sentences(line, line_span, cues)
        offset += len(line) + 1


_BULLET_GLYPH = re.compile(r"[•●▪■◦·‣⁃∙\uf0b7\uf0a7\uf076\uf0d8]")
_ITEM_SEPARATOR = re.compile(rf"{_BULLET_GLYPH.pattern}|(?:^|\s)-\s(?=[A-Za-z])|;\s")


def _title_ends(text: str, kinds: Gazetteer) -> list[int]:
    """Where a list of titles written one after another with only spaces between them can
    be cut: after a kind of document ("... Financial Regulations", "... Strategy") or a
    year, when a capitalised word follows."""
    ends = [m.end for m in kinds.mentions(text)]
    ends += [m.end() for m in re.finditer(r"\d{4}\b", text)]
    return sorted(e for e in set(ends)
                  if re.match(r"\s+[A-Z(]", text[e:]))


def listed_items(text: str, span: Span, kinds: Gazetteer | None = None,
                 max_words: int = 14) -> Iterator[Unit]:
    """The items of a cell that lists things (a Policies/Plans column): one a line, split
    at bullets, " - " markers and semicolons, where extraction ran two together
    ("...for KentChange to ...") and, for an item longer than ``max_words``, after each
    kind of document it names (``kinds``); each with its own span into the cell."""
    offset = 0
    for line_number, line in enumerate(text.split("\n")):
        # a line of bullets is cut at its bullets only: a bullet's sentence may hold
        # semicolons and dashes of its own
        separator = _BULLET_GLYPH if _BULLET_GLYPH.search(line) else _ITEM_SEPARATOR
        cuts = [0, *(m.end() for m in separator.finditer(line)), len(line)]
        for start, end in zip(cuts, cuts[1:], strict=False):
            raw = line[start:end]
            position = start
            for joined in split_run_together(raw):
                pieces = [joined]
                if (kinds is not None and len(joined.split()) > max_words
                        and not clean(joined).endswith(".")):  # a sentence is one item
                    cuts = [0, *_title_ends(joined, kinds), len(joined)]
                    pieces = [joined[a:b].strip() for a, b in zip(cuts, cuts[1:], strict=False)]
                for piece in pieces:
                    at = line.index(piece, position)
                    position = at + len(piece)
                    piece = piece.rstrip(" ;-•:")
                    if clean(piece):
                        first = span.start + offset + at
                        yield Unit(piece, Span(first, first + len(piece),
                                               span.line + line_number,
                                               span.line + line_number, span.page))
        offset += len(line) + 1


class Recogniser(ABC):
    """Recognises one kind of statement in a unit; ``name`` is the classification it adds."""

    name: ClassVar[str]

    def __init__(self, cues: Cues, gazetteers: Gazetteers) -> None:
        self.cues = cues
        self.gazetteers = gazetteers

    @abstractmethod
    def recognise(self, unit: Unit, *, in_section: bool) -> bool:
        """Whether ``unit`` is a statement of this kind; record what was found on it."""


class DesignationRecogniser(Recogniser):
    """A post the sentence says holds a statutory role (names.find_role_assignments)."""

    name = "designation"

    def recognise(self, unit: Unit, *, in_section: bool) -> bool:
        roles = self.gazetteers.roles
        found = [a for a in [*find_role_assignments(unit.text, roles),
                             *find_designation_rows(unit.text, roles,
                                                    self.cues.designation_table_heading)]
                 if str(a.role).endswith(_STATUTORY)]
        unit.designations.extend(found)
        return bool(found)


class ResponsibilityRecogniser(Recogniser):
    """A post, body or role, then a responsibility verb from the cues: the agent is the
    last one named before the verb in the same sentence (with those joined to it by "and"
    or commas: "the Managing Director and the Mayor ... sign")."""

    name = "responsibility"

    def recognise(self, unit: Unit, *, in_section: bool) -> bool:
        text = unit.text
        if LEADING_NUMBERS.match(text):
            # a statement numbered as a framework item restates the framework, whose
            # "make a senior officer responsible ..." names no post of the council's
            return False
        for kind, agents, what, _ in self.active(text):
            unit.responsibilities += [(kind, agent, what) for agent in agents]
        for cue in self.cues.responsibilities_by:
            for phrase in cue.pattern.finditer(text):
                what = text[:phrase.start()].strip(" ,.;:(")
                kind = self.cues.passive_kind(cue.kind, text[phrase.end():])
                for agent in agents_after(text, phrase.end(), self.gazetteers):
                    if what:
                        unit.responsibilities.append((kind, agent, what))
        return bool(unit.responsibilities)

    def active(self, text: str, *, bare: bool = False,
               ) -> Iterator[tuple[str, list[URIRef | NamedThing], str, str]]:
        """(kind, agents, what, rest) of each cue whose verb follows an agent: the first
        such verb per cue. ``what`` is the rest of the statement after the verb (up to
        where another statement run together with it begins), ``rest`` all the text after
        the verb; with ``bare`` a verb that ends the text counts too ("... Board quarterly
        risk review")."""
        names = [(m.start, m.end) for m in self.gazetteers.roles.mentions(text)]
        for cue in self.cues.responsibilities:
            for verb in cue.pattern.finditer(text):
                if any(start <= verb.start() < end for start, end in names):
                    continue  # a word of a role's name ("their Lead members") is no verb
                agents = self._agents(text[:verb.start()])
                what = _own_statement(text[verb.end():]).strip(" ,.;:")
                if agents and (what or bare):
                    yield cue.kind, agents, what, text[verb.end():]
                    break

    def _agents(self, before: str) -> list[URIRef | NamedThing]:
        """The agent directly before the verb (at most a few words between), and those
        named before it and joined to it by "and", "&" or a comma."""
        tail = before[-160:]
        candidates: list[tuple[int, int, URIRef | NamedThing]] = [
            (m.start, m.end, m.concept) for m in self.gazetteers.roles.mentions(tail)]
        candidates += [(t.start, t.end, t)
                       for t in [*bodies_in(tail, self.gazetteers), *find_posts(tail)]]
        # a name cut inside a word is none: "Appropriate Officers", "Chief Officers" name
        # a class of people, not a post or the role
        candidates = [c for c in candidates if not tail[c[1]:c[1] + 1].isalpha()]
        if not candidates:
            return []
        start, end, agent = max(candidates, key=lambda c: c[1])
        between = tail[end:].strip()
        if len(between.split()) > 2 or re.search(r"[.;:]", between):
            return []
        found = [agent]
        while (joined := _JOINED_BEFORE.search(tail[:start])) is not None:
            earlier = [c for c in candidates if c[1] == joined.start()]
            if not earlier:
                break
            start, _, agent = min(earlier, key=lambda c: c[0])
            found.insert(0, agent)
        return found


# What joins two agents named one after the other ("X and the Y", "X, Y").
_JOINED_BEFORE = re.compile(r"\s*(?:,|\band\b|&)\s*(?:the\s+)?$", re.IGNORECASE)


# Where the next statement of a cell whose statements ran together begins: a capitalised
# word straight after a lowercase one that no article or preposition ties to it
# ("... by-laws and standing orders Guidance for staff ...", not "to the Council").
_NEXT_STATEMENT = re.compile(
    r"(?<!\bthe)(?<!\bof)(?<!\bto)(?<!\bfor)(?<!\band)(?<!\bby)(?<!\bwith)(?<!\bour)"
    r"(?<!\ba)(?<!\ban)(?<!\bin)(?<!\bon)(?<=[a-z])\s+(?=[A-Z][a-z])")


def _own_statement(text: str) -> str:
    """``text`` up to where the next statement run together with it begins (a word of a
    capitalised name, "the Annual Governance Statement", begins none)."""
    for found in _NEXT_STATEMENT.finditer(text):
        previous = text[:found.start()].split()[-1]
        if previous[:1].islower():
            return text[:found.start()]
    return text


# A capitalised name of a few words that a list goes on after (", ", "and", "&").
_OTHER_NAME = re.compile(r"(?:[A-Z][\w'’-]*\s+){0,3}[A-Z][\w'’-]*(?=\s*(?:,|and\b|&))")


def bodies_in(text: str, gazetteers: Gazetteers) -> list[NamedThing]:
    """The bodies ``text`` names, as :func:`splitting.body_mentions` finds them (a team
    only where its name gives its governance function; a named partnership too)."""
    return [NamedThing(name, start, end)
            for start, end, name in body_mentions(gazetteers.functions, text)]


def agents_after(text: str, position: int, gazetteers: Gazetteers) -> list[URIRef | NamedThing]:
    """The bodies, posts or roles named straight after ``position`` ("approved by [the]
    Full Council", "reporting to Corporate Leadership, Standards Committee and the Executive"): the
    first, and those joined to it by commas or "and"."""
    found: list[URIRef | NamedThing] = []
    at = position
    while True:
        lead = re.match(r"\s*(?:(?:,|and|&)\s+)?(?:the\s+)?", text[at:], re.IGNORECASE)
        start = at + (lead.end() if lead else 0)
        tail = text[start:start + 120]
        candidates: list[tuple[int, URIRef | NamedThing]] = [
            (m.end, m.concept) for m in gazetteers.roles.mentions(tail) if m.start == 0]
        candidates += [(t.end, t) for t in [*bodies_in(tail, gazetteers), *find_posts(tail)]
                       if t.start == 0]
        if not candidates:
            # a name in the list that is no body, post or role ("reporting to Corporate
            # Leadership, Standards Committee and the Executive"): the list goes on after it
            other = _OTHER_NAME.match(tail)
            if other is None:
                return found
            at = start + other.end()
            continue
        end, agent = max(candidates, key=lambda c: c[0])
        found.append(agent)
        at = start + end
        if not re.match(r"\s*(?:,|and\b|&)", text[at:]):
            return found


class EvidenceRecogniser(Recogniser):
    """A short unit under a section that names a kind of evidence (policy, strategy,
    register, ...) with one of the cue words for a document or practice; outside the
    sections a title is as likely the document's own."""

    name = "evidence"

    def recognise(self, unit: Unit, *, in_section: bool) -> bool:
        if (not in_section or unit.paraphrase
                or len(unit.text.split()) > self.cues.max_evidence_words
                or unit.text.endswith(".") or LEADING_NUMBERS.match(unit.text)):
            return False  # a numbered statement states the item of its number
        if not self.cues.evidence_word.search(unit.text):
            return False
        unit.evidence_kinds = self.gazetteers.evidence_kinds.concepts(unit.text)
        return bool(unit.evidence_kinds)


class CommitmentRecogniser(Recogniser):
    """Under a section, what the council states it does, has or will do: every unit of
    enough words that does not describe the framework or the document itself."""

    name = "commitment"

    def recognise(self, unit: Unit, *, in_section: bool) -> bool:
        if not in_section or "evidence" in unit.classes:
            return False
        words = unit.label.split()
        return (len(words) >= self.cues.min_commitment_words
                and not self.cues.not_commitment.search(unit.label))


RECOGNISERS: tuple[type[Recogniser], ...] = (DesignationRecogniser, ResponsibilityRecogniser,
                                             EvidenceRecogniser, CommitmentRecogniser)


class Classifier:
    """Runs every recogniser over a unit, in order."""

    def __init__(self, cues: Cues, gazetteers: Gazetteers,
                 recognisers: tuple[type[Recogniser], ...] = RECOGNISERS) -> None:
        self.recognisers = [cls(cues, gazetteers) for cls in recognisers]
        #: read responsibilities in text that is no unit (a listed item)
        self.responsibilities = ResponsibilityRecogniser(cues, gazetteers)

    def classify(self, unit: Unit, *, in_section: bool) -> Unit:
        for recogniser in self.recognisers:
            if recogniser.recognise(unit, in_section=in_section):
                unit.classes.append(recogniser.name)
        return unit
