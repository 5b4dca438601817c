"""Duties in a table of who does what: the clauses of a row's description that say what
the body, post or role its first cell names does.

A "Key roles" table describes each row's agent in clauses that have no subject of their
own ("Ensures that parking permits are issued fairly", "Provides advice on ...", "Promotes
fair lettings of allotments and approves the Parking Strategy"), or whose subject is the
row's own name ("The Council agrees the parking charges"). Such a clause is the row's duty
only where it opens the sentence (after the row's name, "It" or "They") or goes on from a
duty clause after "and" or a comma: a verb further into a sentence belongs to whoever the
sentence names there ("To ensure the strategy is kept current, the Director ... will").

What a clause regards is read from its words with parenthetical asides blanked (an aside
in brackets is not what the clause is about), and adjectives made with "-based" or
"non-" ("risk-based audit", "non-executive areas") are not the topic they are made from.

>>> from govkg.graph.importers.cues import load_cues
>>> [(c.kind, c.text) for c in duty_clauses(
...     "Promotes fair lettings of allotments and approves the Parking Strategy.", ["Committee"],
...     load_cues())]
[('responsible-for', 'fair lettings of allotments'), ('approves', 'the Parking Strategy.')]
>>> duty_clauses("To ensure the strategy is kept, the Director will review it.", [], load_cues())
[]
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from govkg.graph.importers.cues import Cues

_PARENTHESIS = re.compile(r"\([^()]*(?:\)|$)")
_ADJECTIVAL = re.compile(r"\b[\w-]+[- ]based\b|\bnon-[\w-]+")
# What may go before a duty at a clause's opening, besides the row's name.
_PRONOUN = r"it|they|this|he|she"
# What joins one duty clause to the next.
_NEXT = re.compile(r"\s*(?:,\s*(?:and\s+)?|\band\s+|;\s*)", re.IGNORECASE)


@dataclass(frozen=True)
class DutyClause:
    """One duty: its kind, and the words it is about (asides blanked), with where they
    start and end in the sentence."""

    kind: str
    text: str
    start: int
    end: int


def blank_asides(text: str) -> str:
    """``text`` with parentheses (an unclosed one to the end) and "-based" and "non-"
    adjectives blanked, keeping every other character where it was."""
    text = _PARENTHESIS.sub(lambda m: " " * len(m.group(0)), text)
    return _ADJECTIVAL.sub(lambda m: " " * len(m.group(0)), text)


def cue_at(text: str, position: int, cues: Cues) -> tuple[str, re.Match[str]] | None:
    """The duty or responsibility phrase that starts exactly at ``position``, if any."""
    found = [(cue.kind, m) for cue in (*cues.duties, *cues.responsibilities)
             if (m := cue.pattern.match(text, position)) is not None]
    return max(found, key=lambda pair: pair[1].end(), default=None)


def duty_clauses(sentence: str, names: list[str], cues: Cues) -> list[DutyClause]:
    """The duties ``sentence`` states of the row named by one of ``names``: one clause per
    duty phrase at the sentence's opening and after each "and" or comma that goes on from
    a duty clause, each running to the next."""
    text = blank_asides(sentence)
    subjects = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True) if n)
    lead = re.match(rf"\s*(?:(?:the\s+)?(?:{subjects})\s+|(?:{_PRONOUN})\s+)?(?:also\s+)?"
                    if subjects else rf"\s*(?:(?:{_PRONOUN})\s+)?(?:also\s+)?",
                    text, re.IGNORECASE)
    position = lead.end() if lead else 0
    opened = cue_at(text, position, cues)
    clauses: list[DutyClause] = []
    while opened is not None:
        kind, match = opened
        start, end, following = match.end(), len(text), None
        for joint in _NEXT.finditer(text, start):
            following = cue_at(text, joint.end(), cues)
            if following is not None:
                end = joint.start()
                break
        what = text[start:end].strip()
        if what:
            clauses.append(DutyClause(kind, what, start, end))
        opened = following
    return clauses
