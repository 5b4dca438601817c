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

from govkg.graph.errors import DetectionError, InputError, Location
from govkg.graph.importers.base import KINDS, Importer, SourceDocument, layouts_for
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


def guess_kinds(doc: SourceDocument) -> list[tuple[Detection, type[Importer]]]:
    """Every layout's guess at the document, best first: the kind it reads, its fit and
    why (:meth:`Importer.assess`), so that an undecided detection can list them all."""
    guesses = []
    for cls in layouts_for(None):
        fit, reason = cls.assess(doc)
        guesses.append((Detection(cls.kind, None, round(fit, 2), reason), cls))
    return sorted(guesses, key=lambda gc: -gc[0].confidence)


def _listed(guesses: list[tuple[Detection, type[Importer]]]) -> str:
    """Each kind's best guess that is a guess at all, for a message."""
    seen: set[str] = set()
    shown = []
    for guess, cls in guesses:
        if guess.value in seen or guess.confidence <= 0:
            continue
        seen.add(guess.value)
        shown.append(f"{guess.value} ({cls.layout}, confidence {guess.confidence:.2f}: "
                     f"{guess.reason})")
    return "; ".join(shown) or "none: no layout fits it at all"


def _kind_option(guesses: list[tuple[Detection, type[Importer]]]) -> str:
    """The value to suggest for ``--kind``: the best guesses (all that tie) where the text
    names its kind at all (above the fit of a text that never does), else the kinds to
    choose from."""
    best = guesses[0][0].confidence
    if best <= _NAMES_NO_KIND:
        return "|".join(KINDS)
    return "|".join(dict.fromkeys(g.value for g, _ in guesses if g.confidence == best))


def with_article(kind: str) -> str:
    """"an annual-governance-statement", "a local-code": for messages."""
    return f"{'an' if kind[0] in 'aeiou' else 'a'} {kind}"


#: the fit of a layout whose kind the text never names (generic: "never names a code")
_NAMES_NO_KIND = 0.2


def detect_kind(doc: SourceDocument, kind: str | None = None) -> tuple[Detection, type[Importer]]:
    """The kind (and layout) whose importer fits the text best.

    With ``kind`` given, only that kind's layouts are tried: a document is then never
    refused for its layout (the kind's own reader reads any), only when it is plainly a
    document of another kind, which the error names. Without it, a best fit under
    :data:`MIN_CONFIDENCE` is refused with a :class:`DetectionError` listing each guess
    and asking for ``--kind``.
    """
    guesses = guess_kinds(doc)
    allowed = [(g, cls) for g, cls in guesses if kind is None or cls.kind == kind]
    guess, cls = allowed[0]
    if kind is None:
        if guess.confidence < MIN_CONFIDENCE:
            raise DetectionError(
                f"cannot tell which kind of document this is (below {MIN_CONFIDENCE:.2f}): "
                f"{_listed(guesses)}; pass --kind {_kind_option(guesses)}",
                Location(str(doc.path)), ("--kind",))
        return Detection(cls.kind, None, guess.confidence,
                         f"layout {cls.layout}: {guess.reason}"), cls
    best, best_cls = guesses[0]
    if guess.confidence < MIN_CONFIDENCE and best.confidence >= MIN_CONFIDENCE:
        raise InputError(f"this document does not match {with_article(kind)} layout; it looks "
                         f"like {with_article(best.value)} ({best_cls.layout}, fit "
                         f"{best.confidence:.2f}: {best.reason})", Location(str(doc.path)))
    if guess.confidence < MIN_CONFIDENCE:
        # the kind's reader of any layout: the pipeline, or a G3 kind's own reader
        readers = [(g, c) for g, c in allowed if c.layout == "generic"
                   or getattr(c, "framework_optional", False)]
        if readers:
            guess, cls = readers[0]
        return Detection(cls.kind, None, 1.0, f"given with --kind; read by the {cls.layout} "
                         f"layout ({cls.description}), though the text alone would not say so "
                         f"(fit {guess.confidence:.2f}: {guess.reason})"), cls
    return Detection(cls.kind, None, guess.confidence,
                     f"given with --kind; read by the {cls.layout} layout ({cls.description}): "
                     f"{guess.reason}"), cls


@dataclass(frozen=True)
class Detected:
    """What a document was found (or said) to be: kind and its importer, council, edition."""

    kind: Detection
    importer: type[Importer]
    council: Detection
    framework: Detection | None


def detect(doc: SourceDocument, vocabulary: Graph, *, council: str | None = None,
           kind: str | None = None, framework: str | None = None) -> Detected:
    """The kind, council and edition of ``doc``, each given or detected.

    When detection cannot decide one of them, it does not stop at the first: one
    :class:`DetectionError` lists each guess (kind, council, edition) with its confidence
    and reason, says which are decided, and names every option to give, so that one
    retry suffices. A statement or a review need no edition: for them, an edition not
    found is said, not asked for.
    """
    location = Location(str(doc.path))
    lines: list[str] = []
    options: list[str] = []
    try:
        kind_found, importer = detect_kind(doc, kind)
    except DetectionError:
        guesses = guess_kinds(doc)
        kind_found, importer = guesses[0]
        lines.append(f"kind: not decided (no guess reaches {MIN_CONFIDENCE:.2f}): "
                     f"{_listed(guesses)}")
        options.append(f"--kind {_kind_option(guesses)}")
    else:
        lines.append(f"kind: {kind_found}")
    if council:
        council_found: Detection | None = resolve_council(council, vocabulary)
    else:
        try:
            council_found = detect_council(doc, vocabulary)
        except InputError:
            council_found = None
            lines.append("council: not found: it names none of the known councils (by its "
                         "title, 'X Council', an abbreviation it defines or its web address)")
            options.append("--council NAME")
        else:
            if council_found.confidence < MIN_CONFIDENCE:
                lines.append(f"council: not sure enough of {council_found}")
                options.append("--council NAME")
            else:
                lines.append(f"council: {council_found}")
    framework_found: Detection | None = None
    if importer.kind != "governance-review":
        optional = importer.layout == "generic" or getattr(importer, "framework_optional",
                                                           False)
        if framework:
            framework_found = resolve_framework(framework)
        else:
            try:
                framework_found = detect_framework(doc)
            except InputError:
                framework_found = None
                if optional:
                    lines.append("framework: none detected (no wording of either edition); "
                                 f"{with_article(importer.kind)} is read without one")
                else:
                    lines.append("framework: none detected (no wording of either edition)")
                    options.append("--framework 2007|2016")
        if framework_found is not None and framework_found.confidence < MIN_CONFIDENCE:
            if getattr(importer, "framework_optional", False):
                lines.append(f"framework: not sure enough of {framework_found}; "
                             f"{with_article(importer.kind)} is read without one")
                framework_found = None  # a statement or report need not follow an edition
            else:
                lines.append(f"framework: not sure enough of {framework_found}")
                options.append("--framework 2007|2016")
        elif framework_found is not None:
            lines.append(f"framework: {framework_found}")
    if options:
        raise DetectionError(
            f"not sure enough to import; pass {' '.join(options)}\n  " + "\n  ".join(lines),
            location, tuple(o.split()[0] for o in options))
    assert council_found is not None
    return Detected(kind_found, importer, council_found, framework_found)


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

