"""The cue words and thresholds of the importing pipeline, read from ``cues.toml``.

They are data so that a council's way of writing is a line in a file, and so that the
thresholds the development-corpus measure calibrates sit in one visible place.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from typing import Any


@dataclass(frozen=True)
class ResponsibilityCue:
    kind: str
    pattern: re.Pattern[str]
    #: what a passive phrase is done to: "item" (the document named) or "topic"
    regarding: str = "topic"


@dataclass(frozen=True)
class PrincipleSet:
    """A set of principles of councils' own, and the words that name each."""

    name: str
    terms: tuple[re.Pattern[str], ...]
    min_terms: int


@dataclass(frozen=True)
class Cues:
    """Everything ``cues.toml`` says, compiled."""

    raw: dict[str, Any]
    section_lead: str
    number_words: tuple[str, ...]
    roman: tuple[str, ...]
    separators: str
    column_heading: re.Pattern[str]
    own_principles_intro: re.Pattern[str]
    abbreviations: frozenset[str]
    min_commitment_words: int
    max_evidence_words: int
    not_commitment: re.Pattern[str]
    evidence_word: re.Pattern[str]
    responsibilities: tuple[ResponsibilityCue, ...]
    thresholds: dict[str, float]
    responsibilities_by: tuple[ResponsibilityCue, ...] = ()
    #: what a row of a table of who does what states its body, post or role does
    duties: tuple[ResponsibilityCue, ...] = ()
    designation_table_heading: re.Pattern[str] = re.compile("(?!)")
    framework_paragraph: re.Pattern[str] = re.compile("(?!)")
    principle_sets: tuple[PrincipleSet, ...] = ()
    columns: tuple[tuple[str, re.Pattern[str]], ...] = ()
    purposes: tuple[tuple[str, re.Pattern[str]], ...] = ()
    #: a role's name that says what the role answers for ("... with accountability for")
    role_accountability: re.Pattern[str] = re.compile("(?!)")
    #: a requirement making a senior officer "responsible ... for" something
    made_responsible: re.Pattern[str] = re.compile("(?!)")
    #: topic slug -> the body function a body responsible for that topic performs
    topic_functions: dict[str, str] = field(default_factory=dict)

    def passive_kind(self, kind: str, after: str) -> str:
        """The kind a passive phrase states, given what follows it up to the clause's end:
        a purpose named there ("... to the Audit Committee for approval") says what its
        agents do, whatever the phrase's own kind."""
        clause = re.split(r"[.;:]", after, maxsplit=1)[0]
        for purpose_kind, pattern in self.purposes:
            if pattern.search(clause):
                return purpose_kind
        return kind

    def threshold(self, name: str) -> float:
        return self.thresholds[name]

    def column_role(self, heading: str) -> str:
        """What a table column holds, from its heading: ``evidence``, ``further-work`` or
        (any other heading) ``statement``."""
        for role, pattern in self.columns:
            if pattern.search(" ".join(heading.split())):
                return role
        return "statement"


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


# Between the words of a passive phrase, a clause set off by commas ("reported, with any
# recommendations, to the Audit Committee") as well as plain space.
_PASSIVE_GAP = r"(?:\s*,[^,.;]{1,80},\s*|\s+)"
# What "..." stands for in a phrase ("review of ... by"): a few words, within the clause.
_FEW_WORDS = r"[^,.;:]{1,80}?"


def _passive(phrases: list[str]) -> re.Pattern[str]:
    words = [_PASSIVE_GAP.join(_FEW_WORDS if w == "..." else re.escape(w) for w in p.split())
             for p in phrases]
    return re.compile(rf"\b(?:{_alternation(words)})\b", re.IGNORECASE)


def _phrases(phrases: list[str]) -> re.Pattern[str]:
    """Any of ``phrases``, as whole words (a phrase may open or close with a bracket:
    "(responsibility)")."""
    return re.compile(rf"(?<!\w)(?:{_alternation([re.escape(p) for p in phrases])})(?!\w)",
                      re.IGNORECASE)


@cache
def load_cues() -> Cues:
    """The cues shipped with govkg (read once)."""
    raw = tomllib.loads(files("govkg.graph.importers").joinpath("cues.toml")
                        .read_text(encoding="utf-8"))
    sections, statements = raw["sections"], raw["statements"]
    return Cues(
        raw=raw,
        section_lead=_alternation(sections["lead_words"]),
        number_words=tuple(sections["number_words"]),
        roman=tuple(sections["roman"]),
        separators=sections["separators"],
        column_heading=re.compile(rf"^(?:{_alternation(sections['column_headings'])})\s*:?$",
                                  re.IGNORECASE),
        own_principles_intro=re.compile(_alternation(sections["own_principles_intro"]),
                                        re.IGNORECASE),
        abbreviations=frozenset(statements["abbreviations"]),
        min_commitment_words=int(statements["min_commitment_words"]),
        max_evidence_words=int(statements["max_evidence_words"]),
        not_commitment=re.compile("|".join(statements["not_commitments"]), re.IGNORECASE),
        evidence_word=re.compile(rf"\b(?:{_alternation(statements['evidence_words'])})\b",
                                 re.IGNORECASE),
        responsibilities=tuple(
            ResponsibilityCue(entry["kind"], _phrases(entry["phrases"]))
            for entry in raw["responsibility"]),
        responsibilities_by=tuple(
            ResponsibilityCue(entry["kind"], _passive(entry["phrases"]),
                              entry.get("regarding", "topic"))
            for entry in raw.get("responsibility_by", [])),
        duties=tuple(
            ResponsibilityCue(entry["kind"], re.compile(
                rf"\b(?:{_alternation(entry['phrases'])})\b", re.IGNORECASE))
            for entry in raw.get("duty", [])),
        purposes=tuple((kind, re.compile(rf"\b(?:{_alternation(words)})\b", re.IGNORECASE))
                       for kind, words in raw.get("responsibility_purpose", {}).items()),
        thresholds={k: float(v) for k, v in raw["linking"].items()},
        role_accountability=re.compile(raw.get("role_accountability", {}).get("pattern", "(?!)"),
                                       re.IGNORECASE),
        topic_functions=dict(raw.get("topic_functions", {})),
        made_responsible=re.compile(raw.get("made_responsible", {}).get("pattern", "(?!)"),
                                    re.IGNORECASE),
        framework_paragraph=re.compile(_alternation(statements["framework_paragraphs"]),
                                       re.IGNORECASE),
        designation_table_heading=re.compile(
            _alternation(statements["designation_table_headings"]), re.IGNORECASE),
        principle_sets=tuple(
            PrincipleSet(entry["name"], tuple(re.compile(rf"\b{t}\b", re.IGNORECASE)
                                              for t in entry["terms"]), int(entry["min_terms"]))
            for entry in raw.get("own_principle_sets", [])),
        columns=tuple((role.replace("_", "-"), re.compile(rf"^\W*(?:{_alternation(words)})\W*$",
                                                          re.IGNORECASE))
                      for role, words in raw.get("columns", {}).items()),
    )
