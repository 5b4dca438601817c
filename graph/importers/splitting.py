"""Splitting the lists councils write in table cells into their items, whatever the
layout: a cell's lines are joined where one visibly continues the other (a narrow column
wraps an item over several lines) and split where items were run together with no
separator (at sentence ends, and where a capitalised word follows a finished title:
"... Complaints Procedure Internal Audit Process ..."), never inside a name the shared
schemes know (evidence kinds, roles, body functions, topics, bodies).

Each item keeps the exact pieces of the lines it was read from (:class:`Fragment`), so
provenance quotes stay exact. Scanning debris is recognised by its form alone
(:func:`is_noise`), never by a list of one document's strings.

Shared by the pipeline (:mod:`generic`) and the layout written before it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from govkg.graph.importers.builder import Lines
from govkg.graph.importers.linking import Gazetteer, Gazetteers
from govkg.graph.importers.names import find_bodies, find_role_assignments
from govkg.graph.importers.text import clean, strip_markup, unmarked


@dataclass(frozen=True)
class Fragment:
    """A piece of one line's text: where it starts in the line and its exact text."""

    line: int
    start: int
    text: str

    def part(self, start: int, end: int) -> Fragment:
        """The sub-fragment from ``start`` to ``end`` (offsets into ``text``)."""
        return Fragment(self.line, self.start + start, self.text[start:end])


_PUNCTUATION_RUN = re.compile(r"[!?:;]{3}")
_LONE_INITIAL = re.compile(r"^[B-HJ-Z]\s+[a-z]")  # "O called a series ..."
_TRUNCATED_END = re.compile(r"\s[A-Z][a-z]$")  # "... of the Co"


def is_noise(text: str) -> bool:
    """Scanning debris rather than words: no run of three letters, mostly non-Latin
    letters, a run of punctuation, or a line cut mid-word at either end."""
    if not re.search(r"[A-Za-z]{3}", text):
        return True
    letters = [c for c in text if c.isalpha()]
    if sum(1 for c in letters if c.isascii()) * 2 < len(letters):
        return True
    return bool(_PUNCTUATION_RUN.search(text) or _LONE_INITIAL.match(text)
                or _TRUNCATED_END.search(text))


class Run:
    """Text made of fragments joined by single spaces, able to say which fragments (and
    which parts of them) any span of the text came from, so quotes stay exact."""

    def __init__(self, fragments: Iterable[Fragment]) -> None:
        self.fragments = list(fragments)
        self._offsets: list[int] = []
        parts, offset = [], 0
        for fragment in self.fragments:
            self._offsets.append(offset)
            parts.append(fragment.text)
            offset += len(fragment.text) + 1
        self.text = " ".join(parts)

    def spans(self, start: int, end: int) -> list[Fragment]:
        """The pieces of the fragments that ``text[start:end]`` covers, trimmed."""
        pieces = []
        for fragment, offset in zip(self.fragments, self._offsets, strict=True):
            lo, hi = max(start, offset), min(end, offset + len(fragment.text))
            if lo >= hi:
                continue
            piece = fragment.part(lo - offset, hi - offset)
            lead = len(piece.text) - len(piece.text.lstrip())
            piece = piece.part(lead, len(piece.text.rstrip()))
            if piece.text:
                pieces.append(piece)
        return pieces

    def fragment_at(self, position: int) -> Fragment:
        """The fragment the character at ``position`` belongs to."""
        index = max(i for i, offset in enumerate(self._offsets) if offset <= position)
        return self.fragments[index]


@dataclass(frozen=True)
class Item:
    """One evidence or further-work item: its exact pieces and its cleaned text."""

    pieces: tuple[Fragment, ...]
    text: str

    @property
    def label(self) -> str:
        return clean(self.text).strip(" .,;:–-")

    @property
    def evidence_label(self) -> str:
        """The label without a leading article, so "The Constitution" is "Constitution";
        an item that is a sentence ("The Council's accounts show ... .", "The Annual Report
        is submitted ...") keeps it."""
        text = clean(self.text)
        if re.search(r"[.!?]\s", text) or (text.endswith(".") and _CLAUSE.search(text)):
            return self.label
        return re.sub(r"^The\s+(?=[A-Z])", "", self.label)

    @property
    def lines(self) -> Lines:
        return self.pieces[0].line, self.pieces[0].line


# Words after which a list item cannot end ("... Governance and" / "Audit Committee").
JOINERS = {"a", "an", "and", "or", "of", "for", "the", "to", "by", "on", "in", "at", "with",
            "from", "into", "within", "including", "as", "all", "its", "their", "our", "under",
            "between", "via", "than", "through", "such", "about", "is", "are", "was", "were",
            "be", "been", "has", "have", "which", "that", "who", "whether", "if", "also",
            "both", "any", "each", "every", "some", "these", "those", "this", "per"}
# Verbs that take the name after them as their object ("monitoring Service Plans").
_GERUNDS = {"monitoring", "reviewing", "covering", "supporting", "bringing", "using",
            "underpinning", "managing"}
# Capitalised words that end a document's or body's name: a capitalised word after one of
# them starts the next run-together item ("Performance Management Board ICT ...").
_TERMINALS = {"strategy", "strategies", "policy", "policies", "procedure", "procedures",
              "plan", "plans", "protocol", "protocols", "rules", "register", "registers",
              "report", "reports", "programme", "programmes", "framework", "scheme",
              "schemes", "agreement", "agreements", "statement", "statements", "board",
              "panel", "committee", "team", "group", "assessments", "objectives", "letter",
              "accounts", "constitution", "website", "charter", "process", "processes",
              "standards", "indicators", "reviews", "minutes", "members", "officers",
              "manager", "managers", "guidance", "system", "survey", "scrutiny", "conduct",
              "code", "practice", "service", "services", "development", "management",
              "reference", "delegation", "employment", "specification", "strand",
              # bodies named in the plural, and forums: "Area Panels Anytown Manager"
              "boards", "panels", "committees", "groups", "teams", "forum", "forums"}
# Capitalised words that extend the name before them ("Monitoring Officer Protocol").
_CONTINUATIONS = {"protocol", "protocols", "policy", "policies", "strategy", "plan", "plans",
                  "procedure", "procedures", "rules", "register", "report", "reports",
                  "programme", "framework", "scheme", "statement", "letter", "charter",
                  "agreement", "agreements", "panel", "board", "committee", "team", "group",
                  "partnership", "service", "services", "ltd", "limited", "plc", "inquiry"}
# A body's "Terms of Reference" and "Work Programme" belong to the body named before them.
_BODY_NOUNS = {"panel", "board", "committee", "team", "group", "partnership"}
_OF_A_BODY = {"terms", "work"}
_MONTHS = {"january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december"}
# Capitalised words that sit inside running prose rather than open an item.
_INLINE = _MONTHS | {"council", "councils", "cabinet", "member", "members", "councillor",
                     "councillors", "officers", "portfolio", "government", "i"}
# Nouns that, alone on a line, finish the name wrapped on the line above ("Team").
_HEAD_NOUNS = _BODY_NOUNS | {"assessments"}
_TEAM_NOUNS = {"Team", "Teams", "Group", "Groups", "Meeting", "Meetings"}
_NARROW = 50  # characters: cell lines shorter than this come from narrow table columns
WORD = re.compile(r"[A-Za-z][\w'’/-]*")
_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\"'’])[.!?](?=\s+[\"'‘“]?[A-Z])")
_ENDS_WITH_NAME_AFTER_THE = re.compile(r"\bthe(?:\s+[A-Z][\w'’-]*)+$")
_POSSESSIVE = ("'s", "’s", "s'", "s’")
# A verb that makes an item ending in a full stop a sentence, not a title with a stop.
_CLAUSE = re.compile(r"\b(?:is|are|was|were|has|have|had|will|shows?|sets? out|provides?|"
                     r"contains?|includes?)\b")
# Bodies find_bodies does not look for: management teams, task and finish groups and
# named partnerships ("Safer Colchester Partnership").
_BODY_EXTRA = re.compile(
    r"\b((?:[A-Z][\w'’-]*\s+(?:(?:and|&)\s+)?){1,5}(?:Management Team|Task and Finish Group)"
    r"|(?:[A-Z][\w'’-]*\s+(?:(?:and|&)\s+)?){1,3}Partnership)\b(?!s)")
_NOT_A_PARTNERSHIP = {"agreement", "agreements", "strategy", "framework", "working",
                      "arrangements"} | _CONTINUATIONS


def extra_bodies(text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the bodies :data:`_BODY_EXTRA` finds, each trimmed to start
    after the last word that ends another item ("Statement Parking Partnership")."""
    found = []
    for match in _BODY_EXTRA.finditer(text):
        following = text[match.end():].split(maxsplit=1)
        if following and _word(following[0]) in _NOT_A_PARTNERSHIP:
            continue
        words = match.group(1).split()
        ends = [i for i, w in enumerate(words[:-2]) if _word(w) in _TERMINALS]
        name = re.sub(r"^(?:(?:and|&|the|a|an)\s+)+", "",
                      " ".join(words[ends[-1] + 1:] if ends else words), flags=re.IGNORECASE)
        found.append((match.end(1) - len(name), match.end(1), name))
    return found


def body_mentions(functions: Gazetteer, text: str) -> list[tuple[int, int, str]]:
    """(start, end, name) of the bodies ``text`` names, the longest where names nest.
    A team or group counts only when its name says what governance function it has
    ("Senior Management Team", "... Task and Finish Group"): an "Improvement and
    Engagement Team" is a service, an "All-Party Parliamentary Group" not the council's."""
    found = [(b.start, b.end, b.name) for b in find_bodies(text)]
    found += extra_bodies(text)
    found = [f for f in map(_without_process_noun, found)
             if f[2].split()[-1] not in _TEAM_NOUNS or functions.concepts(f[2])]
    kept = []
    for start, end, name in sorted(found):
        if not any(s <= start and end <= e and (s, e) != (start, end) for s, e, _ in found):
            kept.append((start, end, re.sub(r"\s+", " ", name)))
    return list(dict.fromkeys(kept))


_PROCESS_NOUN = re.compile(r"^[A-Z][a-z]+(?:ment|tion|sion|ing|al) of (?=[A-Z])")


def _without_process_noun(found: tuple[int, int, str]) -> tuple[int, int, str]:
    """A body's name without a process noun before it: "Establishment of Policy and
    Public Initiatives Panel" names the panel."""
    start, end, name = found
    process = _PROCESS_NOUN.match(name)
    return (start + process.end(), end, name[process.end():]) if process else found


def _word(token: str) -> str:
    return token.strip("\"'‘’“”()[],.;:").lower()


def _capitalised(token: str) -> bool:
    stripped = strip_markup(token).lstrip("\"'‘“")
    return bool(stripped) and stripped[0].isupper()


def _open_brackets(text: str) -> bool:
    """True when ``text`` leaves a bracket or a quotation open."""
    opening_single = len(re.findall(r"(?:^|(?<=\s))['‘](?=\w)", text))
    closing_single = len(re.findall(r"(?<=\w)['’](?=[\s,.;:)]|$)", text))
    return (text.count("(") > text.count(")") or text.count('"') % 2 == 1
            or text.count("“") > text.count("”") or opening_single > closing_single)


@dataclass(frozen=True)
class _Names:
    """Known names in a text: never cut inside; the item-opening ones (documents, roles,
    bodies) also mark where run-together items meet."""

    protected: list[tuple[int, int]]
    starts: set[int]
    ends: set[int]

    def inside(self, position: int) -> bool:
        return any(s < position < e for s, e in self.protected)


class _Quoting:
    """Tracks brackets and quotations over a sequence of tokens."""

    def __init__(self) -> None:
        self.depth, self.double, self.single = 0, False, False

    def after(self, token: str) -> None:
        self.depth = max(0, self.depth + token.count("(") - token.count(")"))
        self.double ^= token.count('"') % 2 == 1
        core = token.strip("(),.;:")
        if not core:
            return
        if not self.single and core[0] in "'‘" and core[-1] not in "'’":
            self.single = True
        elif self.single and core[-1] in "'’":
            self.single = False

    @property
    def open(self) -> bool:
        return bool(self.depth or self.double or self.single)


class ListSplitter:
    """Joins a column's cell lines into items and splits run-together items.

    Known names are never cut inside: the labels of the evidence-kind, role, body-function
    and topic schemes (names the councils use), the bodies :func:`body_mentions`
    recognises, and statements that a post holds a role.
    """

    def __init__(self, gazetteers: Gazetteers, word_counts: Counter[str],
                 own_names: frozenset[str] = frozenset()) -> None:
        #: the words of the council's own name (lower case), which qualify a known name
        #: after them ("Anytown Partners Compact")
        self.own_names = own_names
        self.opening = [gazetteers.evidence_kinds, gazetteers.roles]
        self.protecting = [gazetteers.functions, gazetteers.topics]
        self.roles = gazetteers.roles
        self.functions = gazetteers.functions
        self.word_counts = word_counts

    def names(self, text: str) -> _Names:
        """The known names in ``text``, found in it without its markup (a tag inside a name,
        "<u>Volunteer</u> & Contractor Codes of Practice", does not hide it) and placed back."""
        plain, origin = unmarked(text)
        opening = [(m.start, m.end) for g in self.opening for m in g.mentions(plain)]
        opening += [(s, e) for s, e, _ in body_mentions(self.functions, plain)]
        protected = opening + [(m.start, m.end) for g in self.protecting
                               for m in g.mentions(plain)]
        protected += [(a.start, a.end) for a in find_role_assignments(plain, self.roles)]

        def placed(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
            return [(origin[s], origin[e - 1] + 1) for s, e in spans if e > s]

        opening, protected = placed(opening), placed(protected)
        return _Names(protected, {s for s, _ in opening}, {e for _, e in opening})

    def _qualifies(self, previous: str) -> bool:
        """Whether ``previous`` belongs to the known name that starts after it: a number
        that is not a year ("Article 14 Duties of Proper Officers"), or the council's
        own name ("Anytown Partners Compact")."""
        word = strip_markup(previous).strip("\"'‘’“”()[],.;:")
        if not word or previous.endswith(")"):
            return False
        if word[0].isdigit():
            return _YEAR.match(word) is None
        return word.lower() in self.own_names

    # -------------------------------------------------------------- joining lines

    def join(self, fragments: list[Fragment]) -> list[list[Fragment]]:
        """Group a column's cell lines into items wrapped over one or more lines."""
        groups: list[list[Fragment]] = []
        for fragment in fragments:
            if groups and self._echoes(groups[-1][-1], fragment):
                continue
            if groups and self._continues(groups[-1], fragment.text):
                groups[-1].append(fragment)
            else:
                groups.append([fragment])
        return groups

    def _echoes(self, previous: Fragment, fragment: Fragment) -> bool:
        """A scanning ghost: the line above again with its first word garbled into a word
        found nowhere else in the document ("financial matters" / "manolal matters")."""
        before, now = previous.text.split(), fragment.text.split()
        return (1 < len(now) == len(before) <= 3 and now[1:] == before[1:]
                and now[0] != before[0] and self.word_counts[_word(now[0])] == 1)

    def _continues(self, group: list[Fragment], text: str) -> bool:
        """Whether the cell line ``text`` carries on the item that ``group`` holds so far:
        it starts in lower case or with a bracket; the line above ends on a joining word, a
        possessive or a dash, or leaves a bracket open; it is a lone head noun ("Team");
        a known name runs across the break; or, in a narrow column, the line above ends on
        "the <Name>" and this one goes on with capitals ("the District Council" / "Staff
        Development Programme")."""
        previous, so_far = group[-1].text, Run(group).text
        last = previous.split()[-1]
        if not _capitalised(text) or text[0] in "(&,;:–-":
            return True
        if _word(last) in JOINERS or last[-1] in ",–-/&(" or last.endswith(_POSSESSIVE[:2]):
            return True
        if _open_brackets(so_far) or text.lower() in _HEAD_NOUNS:
            return True
        if self.names(f"{so_far} {text}").inside(len(so_far)):
            return True
        return (len(previous) < _NARROW and len(text) < _NARROW
                and _ENDS_WITH_NAME_AFTER_THE.search(previous) is not None)

    # -------------------------------------------------------------- splitting items

    def split(self, run: Run, *, prose: bool) -> list[Item]:
        """The items in ``run``: cut at sentence ends and where items were run together.

        In ``prose`` (the further-work column) a sentence that refers back to the one
        before ("This ...", "The Panel ..." after the Panel is named) stays with it, a
        known name does not by itself open an item, and a run-together cut must leave at
        least three words before it.
        """
        text = run.text
        cuts = {0, len(text)}
        for match in _SENTENCE_END.finditer(text):
            if not (prose and refers_back(text[:match.end()], text[match.end():])):
                cuts.add(match.end())
        for position in self._run_together(run, prose):
            before = text[max(c for c in cuts if c < position):position]
            if not prose or len(before.split()) >= 3:
                cuts.add(position)
        ordered = sorted(cuts)
        items = []
        for start, end in zip(ordered, ordered[1:], strict=False):
            pieces = tuple(run.spans(start, end))
            if pieces and re.search(r"[A-Za-z]{2}", text[start:end]):
                items.append(Item(pieces, text[start:end].strip()))
        return items

    def _run_together(self, run: Run, prose: bool) -> Iterator[int]:
        """Where one item ends and the next begins with no separator. Lines of a narrow
        column that were joined into one item are not cut again."""
        text = run.text
        names = self.names(text)
        tokens = list(re.finditer(r"\S+", text))
        quoting = _Quoting()
        for previous, token in zip(tokens, tokens[1:], strict=False):
            quoting.after(previous.group())
            position = token.start()
            if quoting.open or names.inside(position):
                continue
            if len(run.fragments) > 1 and len(run.fragment_at(position).text) < _NARROW:
                continue
            if (not prose and previous.group().endswith(",") and _capitalised(token.group())
                    and position in names.starts and previous.end() - 1 in names.ends):
                yield position  # "Asset Disposal Rules, Lettings Rules"
                continue
            if not prose and previous.group().endswith(":") and _capitalised(token.group()):
                yield position  # "Rulebook: Article 14 ...": a title introducing its parts
                continue
            # a known name opens an item unless a word that cannot end one qualifies it
            # ("Anytown Partners Compact", "Article 14 Duties of Proper Officers")
            named = not prose and (previous.end() in names.ends or (
                position in names.starts and not self._qualifies(previous.group())))
            if _cut_between(previous.group(), token.group(), named=named, prose=prose):
                yield position


_ANAPHORS = {"this", "it", "these", "they", "its", "their", "such", "he", "she"}


def refers_back(before: str, sentence: str) -> bool:
    """Whether ``sentence`` opens by pointing back at what ``before`` said: with a pronoun,
    or with "The <noun>" where the noun was in the sentence before ("The Panel", but not
    "The Council", which names the council afresh)."""
    words = sentence.split()
    if not words:
        return False
    if _word(words[0]) in _ANAPHORS:
        return True
    previous = re.split(r"[.!?]\s", before.rstrip(" .!?"))[-1].lower()
    return (_word(words[0]) == "the" and len(words) > 1 and _word(words[1]) not in _INLINE
            and re.search(rf"\b{re.escape(_word(words[1]))}\b", previous) is not None)


def _cut_between(previous: str, token: str, *, named: bool, prose: bool) -> bool:
    """Whether a new item starts at ``token`` after the word ``previous``."""
    if token[0] == "(" or not _capitalised(token) or previous[-1] in ",;:–-/&.!?":
        return False  # sentence ends are cut (or not) by the sentence rule
    before, word = _word(previous), _word(token)
    if before in JOINERS | _GERUNDS or previous.rstrip(",.;:").endswith(_POSSESSIVE):
        return False
    if before in _BODY_NOUNS and word in _OF_A_BODY:
        return False
    if word in {"the", "a", "an"}:
        return True
    if prose and len(word) > 1 and token.strip("\"'‘’“”(),.;:").isupper():
        return False  # an acronym inside a sentence ("a shared QRX booking portal")
    if word in _CONTINUATIONS and not named:
        return False
    if named:
        return True
    if word in (_INLINE if prose else _MONTHS):
        return False
    if previous[0].islower() or previous.endswith(")") or (not prose and _YEAR.match(previous)):
        return True
    return before.split("/")[-1] in _TERMINALS


# A year or a period ends a title ("Anytown Vision 2030-2040 Delivery Plans"); any other
# number is part of the name it follows ("Article 14 Duties of ...", "Part 5 ...").
_YEAR = re.compile(r"^(?:19|20)\d\d(?:[-/]\d{2}(?:\d{2})?)?\W*$")



