"""Principles of a council's own: where a code follows principles that are not a framework
edition's items, they are found here and kept as the council's own scheme (see
:meth:`generic.PipelineImporter.own_scheme`), never forced onto the framework.

Two ways a code states them:

- a short list introduced as its principles ("... the following principles of good
  governance:" then "Openness", "Integrity", "Accountability");
- a sentence naming a known set of them (``own_principle_sets`` in ``cues.toml``: "open
  and inclusive ..., integrity ..., accountable ...").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from govkg.graph.documents.model import Block, BlockKind, Span
from govkg.graph.importers.cues import Cues
from govkg.graph.importers.statements import Unit

_MAX_WORDS = 6


@dataclass(frozen=True)
class OwnPrinciple:
    label: str
    span: Span
    intro: Span  # the list's introduction, or the sentence itself


def listed(blocks: list[Block], cues: Cues, taken: set[int]) -> list[OwnPrinciple]:
    """Short list items after an introduction that calls them principles and ends with a
    colon, none of them a framework section already (``taken``)."""
    found: list[OwnPrinciple] = []
    for index, block in enumerate(blocks):
        if (block.kind is BlockKind.LIST_ITEM or not block.text.rstrip().endswith(":")
                or not cues.own_principles_intro.search(block.text)):
            continue
        items: list[Block] = []
        for following in blocks[index + 1:]:
            if following.kind is not BlockKind.LIST_ITEM:
                break
            items.append(following)
        if len(items) >= 2 and not any(id(b) in taken or len(b.text.split()) > _MAX_WORDS
                                       for b in items):
            found += [OwnPrinciple(b.text.strip(" .:;"), b.span, block.span) for b in items]
    return found


def named_in_sentences(units: Iterable[Unit], cues: Cues) -> list[OwnPrinciple]:
    """The principles of a known set that a sentence names (each principle once, where
    the document first names it with the others)."""
    found: list[OwnPrinciple] = []
    seen: set[tuple[str, int]] = set()
    for unit in units:
        for principle_set in cues.principle_sets:
            hits = [(i, m) for i, term in enumerate(principle_set.terms)
                    if (m := term.search(unit.text))]
            needed = principle_set.min_terms - (1 if "principle" in unit.text.lower() else 0)
            if len(hits) < max(2, needed):
                continue
            for index, match in hits:
                if (principle_set.name, index) in seen:
                    continue
                seen.add((principle_set.name, index))
                start = unit.span.start + match.start()
                line = unit.span.line + unit.text[:match.start()].count("\n")
                found.append(OwnPrinciple(
                    " ".join(match.group(0).split()),
                    Span(start, unit.span.start + match.end(), line,
                         line + match.group(0).count("\n"), unit.span.page), unit.span))
    return found
