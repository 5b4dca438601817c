"""What the cells of a self-assessment's table hold: the items of a cell (evidence, plans,
actions) where the extraction ran a list together, the framework requirements a row's
wording states, the posts a lead cell names, and the council's bodies the cells name with
what the text says they approve or monitor.

A PDF's text loses list glyphs, so a cell's items run together ("Petitions scheme Ward
Call for Review (WCR)arrangements"); a Word or PDF table that keeps one item
a line is split at its lines instead (:attr:`CellText.listed`). Lead officers are named
with variant spellings and word order, and a cell may name two ("X Manager/Y Manager") or
a team instead of a post.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz, utils
from rdflib import SKOS, URIRef

from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.kinds.reading import cues
from govkg.graph.importers.kinds.tables import CellText, Piece, TableRow
from govkg.graph.importers.linking import Gazetteer, ItemMatcher
from govkg.graph.importers.names import find_bodies
from govkg.graph.importers.text import clean, split_run_together
from govkg.graph.namespaces import GOVKG

_BULLET_GLYPHS = "•●▪■◦·‣⁃∙\uf0b7\uf0a7"

#: A requirement's wording counts as part of a row when it is this much contained in it
#: (rapidfuzz partial_ratio, 0-100). On the corpus, requirements a row states score 93-100
#: and the others at most 72.
CONTAINED = 85.0

#: After a body's name, "of <Name>" makes it another organisation's ("Panel of So X").
_OF_ANOTHER = re.compile(r"\s+of\s+[A-Z]")

# ---------------------------------------------------------------------------- items in a cell

_NUMBERED = re.compile(r"(?:^|(?<=\s))(\d{1,2})\.\s+")
_TOKEN = re.compile(r"\S+")
_OPENING_QUOTES = "\"'“‘"
#: Quotes that open a title (a single quote may be an apostrophe).
_TITLE_QUOTES = "\"“"
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
    if word.lower().strip(",;") in cues()["cells"]["joiners"]:
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
    if rules.lists and core.isdigit() and len(core) <= 2:
        return False  # "level 5", "Phase 2": a number that names a grade goes on; a year ends
    return bool(_PLURAL_ACRONYM.match(core)) or (
        not core[:1].isupper() and (core[-1:].islower() or core[-1:].isdigit()))


def _starts_item(previous: str, token: str, following: str, rules: ItemRules) -> bool:
    """Whether ``token`` begins a new item between ``previous`` and ``following``."""
    if rules.lists and token == "-" and following[:1].islower():
        return True
    if rules.lists and re.match(r"-[a-z]", token):
        return True
    if rules.lists and (token == "The" or (token[:1] in _TITLE_QUOTES and token[1:2].isupper())):
        # a capitalised article opens a sentence, a quoted title is a name of its own
        # ('... LSPG "You said – We did"'): each begins an item unless a joiner leads in
        return previous.lower().strip(",;") not in cues()["cells"]["joiners"]
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


def _known_kind_cuts(text: str, cuts: set[int], kinds: Gazetteer) -> set[int]:
    """The cuts, corrected by the kinds of evidence the cell names: a known kind is one
    item, so no cut falls inside it ("SHL management Agreement" is one, not "SHL
    management" and "Agreement"), and it ends an item where the next word is capitalised
    ("Town wide Surveys Community Conference") or begins another known kind ("annual
    report annual financial statements"): the extraction ran on the next item without a
    separator."""
    mentions = kinds.mentions(text)
    inside = {cut for cut in cuts for m in mentions if m.start < cut < m.end}
    after = set()
    starts = {m.start for m in mentions}
    for mention in mentions:
        gap = re.match(r"\s+", text[mention.end:])
        if gap is None:
            continue
        following = mention.end + gap.end()
        nxt = text[following:following + 2]
        if following in starts or nxt[:1].isupper() or (
                nxt[:1] in _OPENING_QUOTES and nxt[1:2].isupper()):
            after.add(following)
    return (cuts - inside) | after


def split_items(text: str, rules: ItemRules, *, bulleted: bool = False,
                anchors: tuple[str, ...] = (),
                kinds: Gazetteer | None = None) -> list[tuple[int, int]]:
    """Spans of the items of one cell: its numbered items where it is numbered, else the
    pieces that ``rules`` recover where the extraction ran a list together.

    >>> t = "Petitions scheme Ward Call for Review (WCR)arrangements"
    >>> [t[s:e] for s, e in split_items(t, EVIDENCE_RULES)]
    ['Petitions scheme', 'Ward Call for Review (WCR)arrangements']
    """
    numbered = numbered_items(text)
    if numbered is not None:
        return [_trim(text, s, e) for s, e in numbered]
    if bulleted and not rules.sentences:
        rules = ItemRules(True, rules.min_words, rules.lists)
    cuts = _cuts(text, rules, anchors)
    if kinds is not None:
        cuts = sorted(_known_kind_cuts(text, set(cuts), kinds))
    spans = [_trim(text, s, e) for s, e in zip(cuts, cuts[1:], strict=False)]
    spans = [(s, e) for s, e in spans if e > s]
    if rules.lists:
        spans = [(s, e) for s, e in spans if not text[s:e].endswith(":")]
    return _glue_short(spans, text, rules.min_words)


def cell_items(cell: CellText, rules: ItemRules, anchors: tuple[str, ...] = (),
               kinds: Gazetteer | None = None) -> list[list[Piece]]:
    """The items of ``cell``, each as the exact text it has on each of its lines: its
    lines where the format kept one item a line, else what ``rules`` recover."""
    text = cell.text
    if not text or re.match(cues()["assessment"]["no_action"], text, re.IGNORECASE):
        return []
    if cell.listed and numbered_items(text) is None:
        return [[piece] for piece in cell.pieces
                if not (rules.lists and piece.text.endswith(":"))]
    spans = split_items(text, rules, bulleted=cell.bulleted, anchors=anchors, kinds=kinds)
    return [cell.part(s, e) for s, e in spans]


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


def lead_names(cell: CellText) -> list[tuple[str, list[Piece]]]:
    """The posts (or teams) a lead-officer cell names: "X Manager/Y Manager" names two."""
    text = cell.text
    names, start = [], 0
    for part in text.split("/"):
        end = start + len(part)
        s, e = _trim(text, start, end)
        while e > s and text[e - 1] in ".,;":
            e -= 1
        if e > s:
            names.append((text[s:e], cell.part(s, e)))
        start = end + 1
    return names


def canonical_names(rows: list[TableRow]) -> dict[tuple[str, ...], str]:
    """For each lead officer, the spelling the document uses most (first on a tie)."""
    spellings: Counter[str] = Counter()
    for row in rows:
        spellings.update(name for name, _ in lead_names(row.cell("lead")))
    chosen: dict[tuple[str, ...], str] = {}
    for name, _ in spellings.most_common():
        chosen.setdefault(_name_key(name), name)
    return chosen


# ---------------------------------------------------------------------------- the graph


def label(pieces: list[Piece]) -> str:
    """An item's label: its text cleaned, with slashes closed up and a letter that the
    extraction broke off a word joined back ("specificatio n")."""
    text = clean(" ".join(f.text for f in pieces))
    text = re.sub(r"\s*/\s*", "/", text)
    text = re.sub(r"(?<=[a-z]{3}) (?=[b-hj-z]$)", "", text)
    return text.rstrip(" .;,")


def first_line(pieces: list[Piece]) -> tuple[int, int]:
    return pieces[0].line, pieces[0].line


_BODY_COLUMNS = ("evidence", "plans", "progress", "actions")


class Bodies:
    """The council's committees, boards and teams that the cells name, and what the
    text says they monitor or approve."""

    def __init__(self, builder: DocumentBuilder, rows: list[TableRow]) -> None:
        self.builder = builder
        self.pieces = [f for row in rows for column in _BODY_COLUMNS
                       for f in row.cell(column).pieces if f.text]

    def mentions(self) -> Iterator[tuple[str, Piece]]:
        for piece in self.pieces:
            names = [found.name for found in find_bodies(piece.text)]
            names += [found.group(1) for found in re.finditer(cues()["cells"]["team"],
                                                               piece.text)]
            for name in dict.fromkeys(names):
                if name in piece.text:
                    yield name, piece

    def partnership_bodies(self) -> set[str]:
        """Names that the text places in a partnership or in another organisation: a
        sentence about a partnership names them, or "of <Name>" follows them."""
        excluded = set()
        for piece in self.pieces:
            for sentence in re.split(r"(?<=\.)\s+", piece.text):
                for body in find_bodies(sentence):
                    if (re.search(cues()["cells"]["partnership"], sentence, re.IGNORECASE)
                            or _OF_ANOTHER.match(sentence[body.end:])):
                        excluded.add(body.name)
        return excluded

    def write(self) -> None:
        excluded = self.partnership_bodies()
        known: dict[str, str] = {}
        for name, piece in self.mentions():
            if name not in excluded:
                self.builder.body(name, (piece.line, piece.line), name)
                known.setdefault(name.casefold(), name)
        for piece in self.pieces:
            self.approvals(piece)
            if known:
                self.monitoring(piece, known)

    def approvals(self, piece: Piece) -> None:
        for found in re.finditer(cues()["cells"]["approved"], piece.text):
            lines = (piece.line, piece.line)
            body = self.builder.body(found.group("agent"), lines, found.group("agent"))
            evidence = self.builder.evidence(found.group("object"), lines,
                                             found.group("object"))
            self.builder.responsibility(body, "approves", evidence, lines, found.group(0))

    def monitoring(self, piece: Piece, known: dict[str, str]) -> None:
        """"<body> (and the <body>) monitor(s) <title>": each body monitors the title."""
        one = "|".join(re.escape(name) for name in sorted(known.values(), key=len,
                                                           reverse=True))
        pattern = re.compile(rf"(?P<agents>(?i:(?:the\s+)?(?:{one})"
                             rf"(?:\s+and\s+(?:the\s+)?(?:{one}))*))\s+monitors?\s+"
                             + cues()["cells"]["monitored"])
        lines = (piece.line, piece.line)
        for found in pattern.finditer(piece.text):
            evidence = self.builder.evidence(found.group("object"), lines, found.group("object"))
            for agent in re.finditer(rf"(?i:{one})", found.group("agents")):
                body = self.builder.body(known[agent.group(0).casefold()], lines,
                                         agent.group(0))
                self.builder.responsibility(body, "monitors", evidence, lines, found.group(0))


