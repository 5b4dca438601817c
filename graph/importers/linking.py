"""Linking document text to shared concepts and framework items.

Two tools:
- :class:`Gazetteer` finds the concepts of a SKOS scheme (roles, body functions,
  evidence kinds, topics) named in a text by their preferred or alternative labels,
  longest label first, at word boundaries, case-insensitively.
- :class:`ItemMatcher` links wording to framework items: by number when the document
  gives one, otherwise by fuzzy matching (rapidfuzz) against every label of the item,
  returning the score so the link can record how sure it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils
from rdflib import RDF, SKOS, Graph, URIRef

from govkg.graph.namespaces import GOVKG, SCHEME

#: Labels like "Principle A" or "Core Principle 1" name an item by number; matching
#: wording against them only adds noise.
_NUMBERED_LABEL = re.compile(r"^(core )?principle\b", re.IGNORECASE)


def _plain(text: str) -> str:
    """Curly quotes as straight ones, one character for one, so positions stay valid."""
    return text.translate(_QUOTES)


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@dataclass(frozen=True)
class Mention:
    """A concept named in a text: which concept, by which label, where."""

    concept: URIRef
    label: str
    start: int
    end: int


class Gazetteer:
    """Recognises the concepts of one scheme in running text."""

    def __init__(self, vocabulary: Graph, scheme: URIRef) -> None:
        self.scheme = scheme
        labels: dict[str, URIRef] = {}
        for concept in vocabulary.subjects(SKOS.inScheme, scheme):
            assert isinstance(concept, URIRef)
            for prop in (SKOS.prefLabel, SKOS.altLabel, SKOS.hiddenLabel):
                for label in vocabulary.objects(concept, prop):
                    labels.setdefault(_plain(str(label)).casefold(), concept)
        self.labels = labels
        alternatives = sorted(labels, key=len, reverse=True)
        self._pattern = re.compile(
            r"(?<![\w])(" + "|".join(re.escape(a) for a in alternatives) + r")(?![\w])",
            re.IGNORECASE) if alternatives else None

    def mentions(self, text: str) -> list[Mention]:
        """Every non-overlapping mention, in order of position."""
        if self._pattern is None:
            return []
        return [Mention(self.labels[m.group(1).casefold()], text[m.start():m.end()], m.start(),
                        m.end()) for m in self._pattern.finditer(_plain(text))]

    def concepts(self, text: str) -> list[URIRef]:
        """The distinct concepts mentioned, in order of first mention."""
        return list(dict.fromkeys(m.concept for m in self.mentions(text)))

    def lookup(self, label: str) -> URIRef | None:
        """The concept with exactly this label (case-insensitive), if any."""
        return self.labels.get(_plain(label.strip()).casefold())


class Gazetteers:
    """One gazetteer per shared scheme, built once per vocabulary graph."""

    def __init__(self, vocabulary: Graph) -> None:
        self.vocabulary = vocabulary
        self._cache: dict[str, Gazetteer] = {}

    def for_scheme(self, name: str) -> Gazetteer:
        """The gazetteer of ``id/scheme/<name>`` (role, body-function, evidence-kind, topic)."""
        if name not in self._cache:
            self._cache[name] = Gazetteer(self.vocabulary, SCHEME[name])
        return self._cache[name]

    @property
    def roles(self) -> Gazetteer:
        return self.for_scheme("role")

    @property
    def functions(self) -> Gazetteer:
        return self.for_scheme("body-function")

    @property
    def evidence_kinds(self) -> Gazetteer:
        return self.for_scheme("evidence-kind")

    @property
    def topics(self) -> Gazetteer:
        return self.for_scheme("topic")


@dataclass(frozen=True)
class ItemMatch:
    item: URIRef
    score: float  # 0-100
    label: str


class ItemMatcher:
    """Finds the framework items of one edition that a piece of wording addresses."""

    def __init__(self, vocabulary: Graph, edition: URIRef) -> None:
        self.vocabulary = vocabulary
        self.edition = edition
        self.by_notation: dict[str, URIRef] = {}
        self._choices: list[tuple[URIRef, str]] = []
        for item in vocabulary.subjects(SKOS.inScheme, edition):
            if not isinstance(item, URIRef):
                continue
            notation = vocabulary.value(item, SKOS.notation)
            if notation is not None:
                self.by_notation[str(notation)] = item
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in vocabulary.objects(item, prop):
                    if not _NUMBERED_LABEL.match(str(label)):
                        self._choices.append((item, str(label)))
        # Indexed once per matcher, not per call: each item's classes, and (on first use)
        # the items under each item. A call used to query the vocabulary once per label.
        self._classes: dict[URIRef, set[URIRef]] = {
            item: {c for c in vocabulary.objects(item, RDF.type) if isinstance(c, URIRef)}
            for item, _ in self._choices}
        self._under: dict[URIRef, frozenset[URIRef]] = {}
        self._processed = [utils.default_process(label) for _, label in self._choices]

    def number(self, notation: str) -> URIRef | None:
        """The item with this number (``1.1.1``, ``A``, ``F.2``), if the edition has it."""
        return self.by_notation.get(notation.strip().rstrip("."))

    def level(self, item: URIRef) -> URIRef | None:
        """The item's class (CorePrinciple, SubPrinciple, ...)."""
        for cls in (GOVKG.CorePrinciple, GOVKG.SubPrinciple, GOVKG.SupportingPrinciple,
                    GOVKG.SpecificRequirement):
            if (item, RDF.type, cls) in self.vocabulary:
                return cls
        return None

    def under(self, item: URIRef) -> set[URIRef]:
        """``item`` and every item below it."""
        if item not in self._under:
            found, frontier = {item}, [item]
            while frontier:
                node = frontier.pop()
                for child in self.vocabulary.subjects(SKOS.broader, node):
                    if isinstance(child, URIRef) and child not in found:
                        found.add(child)
                        frontier.append(child)
            self._under[item] = frozenset(found)
        return set(self._under[item])

    def match(self, wording: str, *, level: URIRef | None = None, within: URIRef | None = None,
              limit: int = 3, cutoff: float = 60.0) -> list[ItemMatch]:
        """The best-matching items for ``wording``, best first, each item once.

        ``level`` keeps items of one class; ``within`` keeps items under one item.
        The score is rapidfuzz's WRatio (0-100) over the item's labels, which tolerates
        paraphrase, reordering and a document quoting only part of the item.
        """
        if within is not None:
            self.under(within)
        allowed = self._under[within] if within is not None else None
        indices = [i for i, (item, _) in enumerate(self._choices)
                   if (allowed is None or item in allowed)
                   and (level is None or level in self._classes[item])]
        if not indices:
            return []
        # the labels were normalised once (default_process) when the matcher was built;
        # the wording is normalised here, as extract's processor would
        results = process.extract(utils.default_process(wording),
                                  [self._processed[i] for i in indices], scorer=fuzz.WRatio,
                                  processor=None, limit=limit * 4, score_cutoff=cutoff)
        best: dict[URIRef, ItemMatch] = {}
        for _, score, position in results:
            item, label = self._choices[indices[position]]
            if item not in best or score > best[item].score:
                best[item] = ItemMatch(item, round(float(score), 1), label)
        return sorted(best.values(), key=lambda m: -m.score)[:limit]

    def best(self, wording: str, **kwargs: object) -> ItemMatch | None:
        found = self.match(wording, limit=1, **kwargs)  # type: ignore[arg-type]
        return found[0] if found else None
