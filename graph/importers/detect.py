"""Detecting a document's council, kind and framework edition from its text.

Each detector returns what it found, how sure it is (0-1) and why, so the CLI can say
"detected Kent County Council (0.93: 10 mentions of 'Kent')". Below
:data:`MIN_CONFIDENCE` the importer refuses and asks for the option instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rdflib import SKOS, Graph, URIRef

from govkg.graph.errors import InputError, Location
from govkg.graph.importers.base import Importer, SourceDocument, layouts_for
from govkg.graph.importers.councils import CouncilRegister
from govkg.graph.namespaces import COUNCIL, FRAMEWORK, slugify
from govkg.graph.vocabulary import load_reference

MIN_CONFIDENCE = 0.5
EDITIONS = {"2007": FRAMEWORK["cipfa-solace-2007"], "2016": FRAMEWORK["cipfa-solace-2016"]}


@dataclass(frozen=True)
class Detection:
    """One detected fact, its confidence and the reason, for the import report."""

    value: str
    iri: URIRef | None
    confidence: float
    reason: str

    def __str__(self) -> str:
        return f"{self.value} (confidence {self.confidence:.2f}: {self.reason})"


def detect_council(doc: SourceDocument, vocabulary: Graph) -> Detection:
    """The council the document is by, from its own name for itself (see
    :mod:`govkg.graph.importers.councils`): its title, "X Council", an abbreviation it
    defines, its web address; a place alone decides only when no council is named."""
    register = CouncilRegister.from_vocabulary(vocabulary)
    matches = register.detect(doc.text)
    if not matches:
        raise InputError("cannot tell which council this document is about: it names none of "
                         "the known councils; pass --council NAME", Location(str(doc.path)))
    best = matches[0]
    others = "; ".join(f"also {m.council.name} ({m.confidence:.2f})" for m in matches[1:3])
    reason = best.reason + (f"; {others}" if others else "")
    return Detection(best.council.name, best.council.iri, best.confidence, reason)


def resolve_council(name: str, vocabulary: Graph) -> Detection:
    """A council given on the command line: a known council by name, short name, slug,
    GSS code or area name, or else a new council minted from the name."""
    council = CouncilRegister.from_vocabulary(vocabulary).resolve(name)
    if council is not None:
        return Detection(council.name, council.iri, 1.0, "given with --council")
    return Detection(name.strip(), COUNCIL[slugify(name)], 1.0,
                     "given with --council; not a known council, so a new one is recorded")


def detect_kind(doc: SourceDocument, kind: str | None = None) -> tuple[Detection, type[Importer]]:
    """The kind (and layout) whose importer fits the text best.

    With ``kind`` given, only that kind's layouts are tried, and a document that fits
    none of them is refused, naming the kind it does look like.
    """
    candidates = sorted(((cls.fits(doc), cls) for cls in layouts_for(None)),
                        key=lambda fc: -fc[0])
    allowed = [(fit, cls) for fit, cls in candidates if kind is None or cls.kind == kind]
    fit, cls = allowed[0]
    if kind is not None and fit < MIN_CONFIDENCE and candidates[0][0] < MIN_CONFIDENCE:
        # with the kind given, a document is never refused for its layout (only when it
        # is plainly a document of another kind)
        generic = [(f, c) for f, c in allowed if c.layout == "generic"]
        if generic:
            fit, cls = generic[0]
            return Detection(cls.kind, None, 1.0, "given with --kind; read by the generic "
                             f"pipeline (no layout fits better; fit {fit:.2f})"), cls
    if fit < MIN_CONFIDENCE:
        best_fit, best_cls = candidates[0]
        hint = (f"; it looks like a {best_cls.kind} ({best_cls.layout}, fit {best_fit:.2f})"
                if best_fit >= MIN_CONFIDENCE else "")
        if not hint and best_cls.layout == "generic" and best_fit > 0.3:
            hint = (f"; it calls itself a {best_cls.kind} (fit {best_fit:.2f}): pass "
                    f"--kind {best_cls.kind} to read it with the generic pipeline")
        wanted = f"a {kind}" if kind else "any known kind of governance document"
        raise InputError(f"this document does not match {wanted} layout{hint}",
                         Location(str(doc.path)))
    reason = "given with --kind; " if kind else ""
    return Detection(cls.kind, None, round(fit, 2), f"{reason}layout {cls.layout} fits"), cls


# The wording each edition leaves in a document that follows it. A year counts only next to
# the framework's name ("Delivering Good Governance in Local Government (2016)", "the
# CIPFA/SOLACE 2007 framework"), never on its own. The core principles' titles come from the
# reference data (:func:`_principle_titles`). Weights: an explicit count of principles or a
# dated name of the framework says more than a word such as "sub-principles", which some
# 2007 codes also use.
_FRAMEWORK_NAME = (r"(?:delivering\s+good\s+governance(?:\s+in\s+local\s+(?:government|"
                   r"authorities))?(?:\s*[:\-–]?\s*(?:framework|guidance(?:\s+note)?|"
                   r"addendum))?|cipfa\s*(?:/|and|&)\s*solace(?:\s+(?:framework|guidance))?)")
_EDITION_CUES: dict[str, list[tuple[str, float]]] = {
    edition: [
        (rf"{_FRAMEWORK_NAME}[^.\n]{{0,40}}?\b{edition}\b", 3.0),
        (rf"\b{edition}\b[^.\n]{{0,15}}?{_FRAMEWORK_NAME}", 3.0),
        (rf"\b{edition}\s+edition\b", 2.0),
    ] for edition in EDITIONS
}
_EDITION_CUES["2016"] += [
    (r"\b(?:seven|7)\s+(?:core\s+)?principles\b", 3.0),
    (r"\bsub[-\s]?principles?\b", 1.0),
    (r"\bbehaviours\s+and\s+actions\b", 2.0),
    (r"\b(?:core\s+)?principles?\s+[A-G]\b(?!\.\d)", 0.5),
]
_EDITION_CUES["2007"] += [
    (r"\b(?:six|6)\s+(?:core\s+)?principles\b", 3.0),
    (r"\bsupporting\s+principles?\b", 2.0),
    (r"\bspecific\s+requirements?\b", 1.0),
    (r"\bThe\s+code\s+should\s+reflect\s+the\s+requirement", 2.0),
]
# A core principle's title by its first six words, or its first three (codes that list
# short titles such as "Managing risks and performance").
_SHORT = 3
_TITLE_WEIGHTS = {6: 2.0, _SHORT: 1.0}
MIN_SHORT_TITLES = 3


@lru_cache(maxsize=1)
def _edition_patterns() -> dict[str, list[tuple[re.Pattern[str], float]]]:
    patterns = {e: [(re.compile(p, re.IGNORECASE), w) for p, w in cues]
                for e, cues in _EDITION_CUES.items()}
    for edition, titles in _principle_titles().items():
        patterns[edition] += [(re.compile(t, re.IGNORECASE), w) for t, w in titles]
    return patterns


def _principle_titles() -> dict[str, list[tuple[str, float]]]:
    """Patterns for each edition's core-principle titles, from the reference data: their
    first words, loosely spaced, so line breaks inside a title do not matter."""
    reference = load_reference()
    titles: dict[str, list[tuple[str, float]]] = {}
    for edition, scheme in EDITIONS.items():
        for item in reference.subjects(SKOS.topConceptOf, scheme):
            label = reference.value(item, SKOS.prefLabel)
            words = re.findall(r"[A-Za-z]+", str(label or ""))
            for size, weight in _TITLE_WEIGHTS.items():
                if len(words) > size:
                    pattern = r"\b" + r"\W+".join(map(re.escape, words[:size])) + r"\b"
                    titles.setdefault(edition, []).append((pattern, weight))
    return titles


def detect_framework(doc: SourceDocument) -> Detection:
    """The CIPFA/SOLACE edition a document follows, from the framework's own wording."""
    counts = {edition: 0.0 for edition in EDITIONS}
    hits = {edition: 0 for edition in EDITIONS}
    for edition, patterns in _edition_patterns().items():
        short_titles = 0.0
        distinct_short = 0
        for pattern, weight in patterns:
            n = len(pattern.findall(doc.text))
            if weight == _TITLE_WEIGHTS[_SHORT]:
                # Three words ("Members and officers") are common prose: they count only
                # when several principles' short titles appear, as in a list of them.
                short_titles += weight * min(n, 5)
                distinct_short += n > 0
                continue
            counts[edition] += weight * min(n, 5)
            hits[edition] += n
        if distinct_short >= MIN_SHORT_TITLES:
            counts[edition] += short_titles
            hits[edition] += distinct_short
    edition = max(counts, key=lambda e: counts[e])
    top = counts[edition]
    if top == 0:
        raise InputError("cannot tell which CIPFA/SOLACE edition this document follows; "
                         "pass --framework 2007 or 2016", Location(str(doc.path)))
    rival = max(v for e, v in counts.items() if e != edition)
    confidence = round((1 - 0.5 ** (top / 2)) * top / (top + rival), 2)
    reason = ", ".join(f"{hits[e]} cue(s) of the {e} wording (weight {counts[e]:g})"
                       for e in sorted(counts))
    return Detection(f"CIPFA/SOLACE {edition}", EDITIONS[edition], confidence, reason)


def resolve_framework(edition: str) -> Detection:
    if edition not in EDITIONS:
        raise InputError(f"unknown framework edition {edition!r}; use 2007 or 2016")
    return Detection(f"CIPFA/SOLACE {edition}", EDITIONS[edition], 1.0, "given with --framework")

