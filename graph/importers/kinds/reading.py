"""What annual governance statements, internal audit reports, self-assessments and
auditors' reports state, read sentence by sentence into plain records.

The recognisers here know nothing of RDF: each takes the document's units (sentences,
list items, cells, from g2's document model and :func:`~govkg.graph.importers.statements.
units_of`) and returns what their words state, with the lines to cite. Their cue words are
``cues.toml`` beside this module. Nothing is invented: a fact needs its words in the unit,
a set of issues or recommendations becomes resources only where the text counts or lists
them (an uncounted plural says nothing about how many there are).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib.resources import files
from typing import Any

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.cues import load_cues
from govkg.graph.importers.detect import with_article
from govkg.graph.importers.reading import read
from govkg.graph.importers.statements import units_of

_FLAGS = re.IGNORECASE


@cache
def cues() -> dict[str, Any]:
    """The cue data (read once)."""
    return tomllib.loads(files("govkg.graph.importers.kinds").joinpath("cues.toml")
                         .read_text(encoding="utf-8"))


def _any(patterns: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _FLAGS)


@dataclass(frozen=True)
class Sentence:
    """One unit of the document: its text on one line of words, and its lines."""

    text: str
    line: int
    end_line: int
    quote: str | None  # the exact text when it lies on one line (a checkable quote)


def sentences(doc: SourceDocument) -> list[Sentence]:
    """Every unit of ``doc`` in reading order."""
    starts = [0]
    for line in doc.lines:
        starts.append(starts[-1] + len(line) + 1)
    found = []
    for block in read(doc).blocks:
        for unit in units_of(block, load_cues()):
            found.extend(_at_colons(doc, starts, unit.span.line, unit.span.end_line,
                                    unit.span.start, unit.span.end))
    return found


def _at_colons(doc: SourceDocument, starts: list[int], line: int, end_line: int,
               start: int, end: int) -> list[Sentence]:
    """A unit cut after each line that ends with a colon: a lead-in ("as follows:") and
    what follows it on the next lines are separate statements."""
    pieces, first, offset = [], line, start
    for number in range(line, end_line + 1):
        last = number == end_line
        if not last and not doc.lines[number - 1].rstrip().endswith(":"):
            continue
        stop = end if last else min(end, starts[number - 1] + len(doc.lines[number - 1]))
        text = doc.text[offset:stop]
        if text.strip():
            exact = text.strip() if first == number else None
            pieces.append(Sentence(" ".join(text.split()), first, number, exact))
        first, offset = number + 1, starts[number] if not last else stop
    return pieces


# ---------------------------------------------------------------------------- kind

@dataclass(frozen=True)
class KindGuess:
    kind: str
    fit: float
    reason: str


def guess_kind(doc: SourceDocument) -> list[KindGuess]:
    """How well ``doc`` reads as each of G3's kinds, from the phrases it uses for itself:
    in its opening lines (its title), in a sentence about "this statement" (``[detect.
    self]``) or an opening line whose subject is "the statement", or only in the body (a
    weaker sign, under the detection threshold). A title that calls the document a local
    code rules them out."""
    detect = cues()["detect"]
    title = "\n".join(line for _, line in _title_lines(doc))
    kinds = ("annual-governance-statement", "internal-audit-report", "self-assessment",
             "governance-review")
    if _any(detect["not_these"]).search(title) and not any(
            _any(detect[kind]).search(title) for kind in kinds):
        return []
    text = " ".join(doc.text.split())
    guesses = []
    for kind in kinds:
        pattern = _any(detect[kind])
        in_title = sum(1 for _, line in _title_lines(doc) if _names_itself(line, pattern))
        in_body = len(pattern.findall(doc.text)) - in_title
        selves = detect["self"].get(kind)
        in_self = len(_any(selves).findall(text)) if selves else 0
        in_self += sum(1 for line in _opening(doc) if _opens_with(line, kind))
        said = (f"{in_title} title phrase(s)" if in_title else "") + (
            f"{' and ' if in_title else ''}{in_self} sentence(s) in which the document "
            "names itself"
            if in_self else "")
        if said:
            fit = min(0.9, 0.6 + 0.1 * (in_title + in_self) + 0.02 * max(0, in_body))
            reason = f"{said} and {max(0, in_body)} phrase(s) in the body name {with_article(kind)}"
        elif in_body:
            fit = min(0.45, 0.2 + 0.05 * in_body)
            reason = (f"{in_body} phrase(s) in the body name {with_article(kind)}, but neither its "
                      "title nor a sentence calls the document itself one")
        else:
            continue
        guesses.append(KindGuess(kind, round(fit, 2), reason))
    # the internal audit report and the statement both name the statement: the report's
    # own title wins where it has one
    return sorted(guesses, key=lambda g: -g.fit)


# ---------------------------------------------------------------------------- AGS

@dataclass
class Found:
    """A fact and where it was read."""

    value: str
    line: int
    end_line: int
    quote: str | None


def _names_itself(line: str, pattern: re.Pattern[str]) -> bool:
    """Whether a title line is the document's name for itself: the phrase opens the line
    (within its first words), as in "Provisional Annual Governance Statement 2030/31", not
    "Our accounts page links to last year's annual governance statement"."""
    words = int(cues()["detect"]["title_words"])
    text = re.sub(r"^[\W\d]*(?:\(?[ivx\d]+[.)]\s*)?", "", line)
    m = pattern.search(text)
    return m is not None and len(text[: m.start()].split()) < words


def _opening(doc: SourceDocument) -> list[str]:
    """The document's first non-empty lines, whatever their length."""
    lines = [line for line in doc.lines if line.strip()]
    return lines[: int(cues()["detect"]["title_lines"])]


def _opens_with(line: str, kind: str) -> bool:
    """Whether a line opens with the kind's name as its subject (numbering aside)."""
    detect = cues()["detect"]
    text = re.sub(r"^[\W\d]*(?:\(?[ivx\d]+[.)]\s*)?", "", line)
    subject = re.compile(detect["opening_subject"] + f"(?:{_any(detect[kind]).pattern})",
                         re.IGNORECASE)
    return subject.match(text) is not None


def _title_lines(doc: SourceDocument) -> list[tuple[int, str]]:
    """The document's first non-empty lines (its title region), numbered from 1."""
    detect = cues()["detect"]
    lines = [(n, line) for n, line in enumerate(doc.lines, start=1) if line.strip()]
    return [(n, line) for n, line in lines[: int(detect["title_lines"])]
            if len(line) <= int(detect["title_chars"])]


# ---------------------------------------------------------------------------- reviews

@dataclass
class Finding:
    criterion: str
    polarity: str
    significance: str
    line: int
    end_line: int
    quote: str | None
    subject: str = ""


@dataclass
class Recommendation:
    priority: str
    line: int
    end_line: int
    quote: str | None
    ordinal: int = 1
    of: int = 1
    subject: str = ""
    concerns: str = ""
    deadline: str = ""


def _count(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    return cues()["review"]["count_words"].get(word.lower())


def _criteria(text: str) -> list[str]:
    return [name for name, patterns in cues()["review"]["criteria"].items()
            if _any(patterns).search(text)]


def _deadline(text: str) -> str:
    m = re.search(cues()["review"]["deadline"], text, _FLAGS)
    if not m:
        return ""
    day = re.sub(r"(?<=\d)(st|nd|rd|th)", "", m.group("date"))
    return datetime.strptime(day, "%d %B %Y").date().isoformat()


def recommendations(units: list[Sentence]) -> list[Recommendation]:
    """Recommendations the text counts, by priority: "1 key recommendation", "the two
    statutory recommendations" (two resources); "no ..." and uncounted plurals are none."""
    c = cues()["review"]
    priorities = "|".join(c["priorities"])
    counted = re.compile(
        rf"\b(?P<count>\d+|{'|'.join(c['count_words'])})\s+[“\"‘']?(?P<priority>{priorities})"
        rf"[”\"’']?\s+recommendations?\b", _FLAGS)
    found: list[Recommendation] = []
    for index, unit in enumerate(units):
        # a resolution split after its number ("2) Council" / "be asked to consider ...")
        lead_in = units[index - 1].text + " " if index and unit.text[:1].islower() else ""
        for m in counted.finditer(unit.text):
            count = _count(m.group("count"))
            if not count:
                continue
            concerned = re.search(c["addressed_to"], lead_in + unit.text)
            subject = re.split(r";|\.\s", unit.text[m.end():])[0].strip(" .")
            subject = re.sub(r"^(?:which|that) (?:was|is|were|are) (?:the )?", "", subject)
            for n in range(count):
                found.append(Recommendation(
                    c["priorities"][m.group("priority").lower()], unit.line, unit.end_line,
                    unit.quote, n + 1, count, subject if count == 1 else "",
                    concerned.group("body").removeprefix("the ") if concerned else "",
                    _deadline(unit.text)))
    return found


def findings(units: list[Sentence], taken: set[int]) -> list[Finding]:
    """Findings the text states one by one: "no significant weaknesses" for the criteria it
    opens with (a strength each), "a (continuing) significant weakness in X" (one
    weakness). ``taken`` holds the lines of units already read as recommendations."""
    c = cues()["review"]
    finding = re.compile(c["finding"], _FLAGS)
    uncounted = re.compile(rf"\b(?:{'|'.join(c['uncounted'])})\s+(?:\w+\s+)?$", _FLAGS)
    improved = _any(c["improved"])
    found: list[Finding] = []
    for unit in units:
        if unit.line in taken:
            continue
        for m in finding.finditer(unit.text):
            significance = m.group("significance")
            before = unit.text[: m.start()]
            if significance.lower().startswith("no significant"):
                for criterion in _criteria(before):
                    found.append(Finding(criterion, "strength", significance, unit.line,
                                         unit.end_line, unit.quote))
                continue
            article = re.search(r"\b(\w+)\s+$", before)
            if uncounted.search(before) or article is None or _count(article.group(1)) != 1:
                continue  # an uncounted plural, or not one weakness singled out
            subject = re.split(r"[.;]", unit.text[m.end():])[0]
            subject = re.sub(r"^\s*(?:in respect of|in relation to|in|on|regarding)\s+", "",
                             subject).strip()
            criteria = _criteria(before)
            found.append(Finding(criteria[0] if len(criteria) == 1 else "",
                                 "improvement" if improved.search(unit.text) else "weakness",
                                 significance, unit.line, unit.end_line, unit.quote, subject))
    return found


# ---------------------------------------------------------------------------- assessments

@dataclass
class Rating:
    item: str
    rating: str
    normalised: float | None
    line: int
    end_line: int
    quote: str | None
    framework_item: bool = False


@dataclass
class Assessment:
    scale: list[str] = field(default_factory=list)
    scale_text: str = ""
    checklist: Found | None = None
    ratings: list[Rating] = field(default_factory=list)
    actions: list[tuple[str, Found]] = field(default_factory=list)


def normalise(label: str, scale: list[str]) -> float | None:
    """``label``'s place on ``scale`` (best first), evenly from 1 (best) to 0 (worst)."""
    keys = [s.casefold() for s in scale]
    if label.casefold() not in keys or len(scale) < 2:
        return None
    return round(1 - keys.index(label.casefold()) / (len(scale) - 1), 2)


def _scale(text: str, used: list[str]) -> list[str]:
    scales: list[list[str]] = cues()["assessment"]["scales"]
    words = {w.casefold() for w in used}
    for scale in scales:
        labels = {s.casefold() for s in scale}
        declared = all(re.search(rf"\b{re.escape(s)}\b", text, _FLAGS) for s in scale)
        if declared or (words and words <= labels):
            return scale
    return []


def assessment(units: list[Sentence]) -> Assessment:
    """The scale, the checklist (when not the framework), the rows rated and the actions."""
    c = cues()["assessment"]
    found = Assessment()
    question, action = re.compile(c["question"], _FLAGS), re.compile(c["action"], _FLAGS)
    declared, row = re.compile(c["declared"], _FLAGS), re.compile(c["framework_row"])
    scale_unit = -1
    for index, unit in enumerate(units):
        if found.scale and index > scale_unit:  # rows rated on the declared scale
            for item, label in _rows(unit.text, row, found.scale):
                found.ratings.append(Rating(item, label, normalise(label, found.scale),
                                            unit.line, unit.end_line, unit.quote, True))
        if found.checklist is None and (m := re.search(c["checklist"], unit.text)):
            found.checklist = Found(m.group("name"), unit.line, unit.end_line, unit.quote)
        if not found.scale and (m := declared.search(unit.text)):
            scale = _scale(m.group("scale"), [])
            if scale:
                found.scale, found.scale_text = scale, m.group("scale").strip()
                scale_unit = index
                rest = unit.text[m.end():]
                for r in _rows(rest, row, scale):
                    found.ratings.append(Rating(r[0], r[1], normalise(r[1], scale),
                                                unit.line, unit.end_line, unit.quote, True))
        for m in question.finditer(unit.text):
            found.ratings.append(Rating(m.group("item"), m.group("rating").strip(), None,
                                        unit.line, unit.end_line, unit.quote))
        if m := action.search(unit.text):
            found.actions.append((m.group("item"), Found(m.group("action").strip(), unit.line,
                                                          unit.end_line, unit.quote)))
    if not found.scale and found.ratings:
        found.scale = _scale("", [r.rating for r in found.ratings])
        found.scale_text = "/".join(found.scale)
    for rating in found.ratings:
        if rating.normalised is None:
            rating.normalised = normalise(rating.rating, found.scale)
    return found


def _rows(text: str, row: re.Pattern[str], scale: list[str]) -> list[tuple[str, str]]:
    """Framework rows ("A 1)") of a flattened table and the first scale label after each."""
    marks = list(row.finditer(text))
    labels = "|".join(re.escape(s) for s in sorted(scale, key=len, reverse=True))
    rows = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        label = re.search(rf"\b({labels})\b", text[mark.end():end])
        if label:
            rows.append((f"{mark.group('principle')}.{mark.group('sub')}", label.group(1)))
    return rows
