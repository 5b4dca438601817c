"""What an annual governance statement (and the internal audit report that feeds it)
states, read unit by unit: the year it covers, the head of internal audit's opinion, the
significant governance issues and the signatories.

Moved out of :mod:`.reading`, which keeps the units, the kind guess and the other kinds'
recognisers; the cue words are the same ``cues.toml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from govkg.graph.importers.base import SourceDocument
from govkg.graph.importers.kinds.reading import (
    _FLAGS,
    Found,
    Sentence,
    _any,
    _title_lines,
    cues,
)


@dataclass
class Issue:
    title: str
    line: int
    end_line: int
    quote: str | None
    status: str = ""
    carried_over: bool = False
    owner: str = ""
    target: str = ""


def year(doc: SourceDocument, units: list[Sentence],
         kind_pattern: re.Pattern[str]) -> Found | None:
    """The year covered, written as the document writes it: the first year range in a
    title line or unit that names the document's kind, else the first in the title
    lines."""
    pattern = re.compile(cues()["year"]["pattern"])
    title = _title_lines(doc)
    candidates = sorted([Sentence(text, n, n, text) for n, text in title
                         if kind_pattern.search(text)]
                        + [u for u in units if kind_pattern.search(u.text)],
                        key=lambda u: u.line) + [Sentence(text, n, n, text) for n, text in title]
    for unit in candidates:
        m = pattern.search(unit.text)
        if m:
            return Found(m.group(0).replace(" ", ""), unit.line, unit.end_line, unit.quote)
    return None


@cache
def _levels() -> list[str]:
    return ["full", "substantial", "significant", "reasonable", "adequate", "moderate",
            "limited", "no"]


def opinion(units: list[Sentence]) -> Found | None:
    """The internal audit opinion's level (lower case, as the text words it)."""
    c = cues()["opinion"]
    level = "|".join(_levels())
    forms = [re.compile(f.replace("{level}", level), _FLAGS) for f in c["forms"]]
    needs, not_if = re.compile(c["needs"], _FLAGS), _any(c["not_if"])
    for unit in units:
        if not needs.search(unit.text) or not_if.search(unit.text):
            continue
        for form in forms:
            m = form.search(unit.text)
            if m and not (m.group("level").lower() == "no" and "no assurance" not in
                          unit.text.lower()):
                word = m.group("level").lower()
                return Found("no assurance" if word == "no" else word, unit.line,
                             unit.end_line, unit.quote)
    return None


def _status(text: str) -> str:
    c = cues()["issues"]
    for colour in c["rag"]:
        if re.search(rf"\b{colour}\b", text):
            return colour
    if _any(c["closed"]).search(text):
        return "closed"
    if _any(c["open"]).search(text):
        return "open"
    return ""


def issues(units: list[Sentence]) -> list[Issue]:
    """Significant governance issues the text singles out: each one listed after "these
    being" (or the like), or each "one of the" issues; a general mention is none."""
    c = cues()["issues"]
    mention, one_of = re.compile(c["mention"], _FLAGS), re.compile(c["one_of"], _FLAGS)
    none, carried = _any(c["none"]), _any(c["carried"])
    after = re.compile(rf"\b(?:{'|'.join(c['list_after'])})\s*", _FLAGS)
    found: list[Issue] = []
    for unit in units:
        if (quoted := re.search(c["quoted"], unit.text)) is not None:
            found.append(_named_issue(quoted.group("title"), unit))
            continue
        if not mention.search(unit.text) or none.search(unit.text):
            continue
        listed = after.search(unit.text)
        if listed and mention.search(unit.text[: listed.start()]):
            rest = re.split(r"\s*\(|\.\s*$", unit.text[listed.end():])[0]
            items = [i.strip(" ,;.") for i in re.split(c["list_split"], rest, flags=_FLAGS)
                     if i.strip(" ,;.")]
            items = [re.sub(r"^(?:the|its|their)\s+(?:council’s\s+|council's\s+)?", "", i,
                            flags=_FLAGS) for i in items]
            for item in items:
                found.append(Issue(item, unit.line, unit.end_line, unit.quote,
                                   carried_over=bool(carried.search(unit.text))))
            if items:
                continue
        if one_of.search(unit.text):
            found.append(Issue("", unit.line, unit.end_line, unit.quote, _status(unit.text),
                               bool(carried.search(unit.text))))
    return found


def _named_issue(title: str, unit: Sentence) -> Issue:
    """An issue the text names in quotes, with the owner and target date the same unit
    gives; a year in its name ("(2020/21)") is the year it was raised, so it is carried
    over into this statement."""
    c = cues()["issues"]
    raised = re.search(r"\s*\((?:19|20)\d\d\s*/\s*\d{2,4}\)\s*$", title)
    issue = Issue(title[: raised.start()] if raised else title, unit.line, unit.end_line,
                  unit.quote, _status(unit.text), bool(raised)
                  or bool(_any(c["carried"]).search(unit.text)))
    for pattern in c["owner"]:
        if m := re.search(pattern, unit.text):
            issue.owner = m.group("owner")
            break
    if m := re.search(c["target"], unit.text, _FLAGS):
        issue.target = m.group("target")
    return issue


def signatories(doc: SourceDocument) -> list[Found]:
    """Posts that sign the statement: lines that are only a signing post's title."""
    posts = {p.casefold() for p in cues()["signatories"]["posts"]}
    found = []
    for number, line in enumerate(doc.lines, start=1):
        if line.strip().casefold() in posts:
            found.append(Found(line.strip(), number, number, line.strip()))
    return found


# ---------------------------------------------------------------------------- G3 in full

def scope(units: list[Sentence]) -> Found | None:
    """The scope of responsibility: the first unit in which the council says what it is
    responsible for."""
    pattern = _any(cues()["statement"]["scope"])
    for unit in units:
        if pattern.search(unit.text):
            return Found("scope of responsibility", unit.line, unit.end_line, unit.quote)
    return None


@dataclass
class Reviewer:
    """A post or body that took part in the review of effectiveness, where it is named."""

    name: str
    is_body: bool
    line: int
    end_line: int
    quote: str | None


def reviewers(units: list[Sentence]) -> list[Reviewer]:
    """Who carried out, contributed to, reported on, considered or approved the review of
    effectiveness: the bodies and posts named in a unit about the review. A unit that
    states the duty to review ("the Regulations require ...") names nobody who did it."""
    c = cues()["statement"]
    review, needs, not_if = _any(c["review"]), re.compile(c["review_needs"], _FLAGS), \
        _any(c["review_not_if"])
    # case matters here: a body's or post's name is capitalised, "the committee" is not one
    bodies, posts = re.compile(c["review_bodies"]), re.compile(c["review_posts"])
    found: list[Reviewer] = []
    seen: set[str] = set()
    # a unit may hold several resolutions ("1. That ...; and 2. That ..."): each clause
    # names its own agents
    clauses = [(clause, unit) for unit in units
               for clause in re.split(c["review_clauses"], unit.text)]
    for clause, unit in clauses:
        if not review.search(clause) or not needs.search(clause) or not_if.search(clause):
            continue
        for pattern, is_body in ((bodies, True), (posts, False)):
            for m in pattern.finditer(clause):
                name = m.group("agent")
                if name.casefold() in seen:
                    continue
                seen.add(name.casefold())
                found.append(Reviewer(name, is_body, unit.line, unit.end_line, unit.quote))
    return found


@dataclass
class Signature:
    """A signing post's title line and, on the line above it, the signatory's name."""

    post: Found
    name: str = ""
    name_line: int = 0


def signed_in_prose(units: list[Sentence]) -> list[Found]:
    """Posts a sentence says the statement was signed by ("was agreed and then signed by
    the Council Leader and the Managing Director"), in the order it names them."""
    posts = sorted(cues()["signatories"]["posts"], key=len, reverse=True)
    post = re.compile(r"\b(?:" + "|".join(re.escape(p) for p in posts) + r")\b")
    signed = re.compile(cues()["statement"]["signed_by"], _FLAGS)
    found: list[Found] = []
    for unit in units:
        for m in signed.finditer(unit.text):
            for named in post.finditer(m.group("posts")):
                found.append(Found(named.group(0), unit.line, unit.end_line, unit.quote))
    return found


def signatures(doc: SourceDocument, units: list[Sentence]) -> list[Signature]:
    """Each signing post, with the printed name above it where the line above holds
    nothing but a person's name: the posts of a signature block (:func:`signatories`), or
    failing those, the posts a sentence says signed it (:func:`signed_in_prose`)."""
    name = re.compile(cues()["statement"]["signatory_name"])
    posts = {p.casefold() for p in cues()["signatories"]["posts"]}
    found = []
    block = signatories(doc)
    if not block:
        seen: set[str] = set()
        for post in signed_in_prose(units):
            if post.value.casefold() not in seen:
                seen.add(post.value.casefold())
                found.append(Signature(post))
        return found
    for post in block:
        signature = Signature(post)
        above = post.line - 1
        if above >= 1:
            text = doc.lines[above - 1].strip()
            if name.match(text) and text.casefold() not in posts:
                signature.name, signature.name_line = text, above
        found.append(signature)
    return found
