"""Detecting a document's council, kind and framework edition from its text.

Each detector returns what it found, how sure it is (0-1) and why, so the CLI can say
"detected Kent County Council (0.93: 10 mentions of 'Kent')". Below
:data:`MIN_CONFIDENCE` the importer refuses and asks for the option instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rdflib import RDF, SKOS, Graph, Literal, URIRef

from govkg.graph.errors import InputError, Location
from govkg.graph.importers.base import Importer, SourceDocument, layouts_for
from govkg.graph.namespaces import COUNCIL, FRAMEWORK, GOVKG, slugify

MIN_CONFIDENCE = 0.5
EDITIONS = {"2007": FRAMEWORK["cipfa-solace-2007"], "2016": FRAMEWORK["cipfa-solace-2016"]}
_COUNCIL_SUFFIX = re.compile(
    r"\s+(county|borough|city|district|metropolitan borough)?\s*council$", re.IGNORECASE)


@dataclass(frozen=True)
class Detection:
    """One detected fact, its confidence and the reason, for the import report."""

    value: str
    iri: URIRef | None
    confidence: float
    reason: str

    def __str__(self) -> str:
        return f"{self.value} (confidence {self.confidence:.2f}: {self.reason})"


def _council_names(vocabulary: Graph, council: URIRef) -> list[str]:
    names = {str(n) for p in (SKOS.prefLabel, SKOS.altLabel)
             for n in vocabulary.objects(council, p)}
    names |= {_COUNCIL_SUFFIX.sub("", n) for n in names}
    return sorted(n for n in names if len(n) >= 3)


def detect_council(doc: SourceDocument, vocabulary: Graph) -> Detection:
    """The known council the text names most. Place names count inside words too, since
    some documents name the council only through partnerships such as "SoStevenage"."""
    scores: list[tuple[int, URIRef, str]] = []
    for council in vocabulary.subjects(RDF.type, GOVKG.Council):
        assert isinstance(council, URIRef)
        best_name, best = "", 0
        for name in _council_names(vocabulary, council):
            # Acronyms (KCC) must stand alone; place names may be part of a longer word.
            pattern = rf"\b{re.escape(name)}\b" if name.isupper() else re.escape(name)
            count = len(re.findall(pattern, doc.text, flags=0 if name.isupper() else re.I))
            if count > best:
                best_name, best = name, count
        if best:
            scores.append((best, council, best_name))
    if not scores:
        raise InputError("cannot tell which council this document is about: it names none of "
                         "the known councils; pass --council NAME", Location(str(doc.path)))
    scores.sort(key=lambda s: -s[0])
    top, council, name = scores[0]
    total = sum(s[0] for s in scores)
    confidence = round((top / total) * min(1.0, top / 3), 2)
    label = vocabulary.value(council, SKOS.prefLabel) or Literal(name)
    others = ", ".join(f"{vocabulary.value(c, SKOS.prefLabel)} ({n})" for n, c, _ in scores[1:3])
    reason = f"{top} mention(s) of '{name}'" + (f"; also {others}" if others else "")
    return Detection(str(label), council, confidence, reason)


def resolve_council(name: str, vocabulary: Graph) -> Detection:
    """A council given on the command line: a known council by name, slug or GSS code,
    or else a new council minted from the name."""
    wanted = name.strip().casefold()
    for council in vocabulary.subjects(RDF.type, GOVKG.Council):
        assert isinstance(council, URIRef)
        keys = {str(v).casefold() for p in (SKOS.prefLabel, SKOS.altLabel, GOVKG.slug,
                                            GOVKG.gssCode) for v in vocabulary.objects(council, p)}
        if wanted in keys:
            label = vocabulary.value(council, SKOS.prefLabel)
            return Detection(str(label), council, 1.0, "given with --council")
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
        generic = [(f, c) for f, c in allowed if c.layout == "generic"
                   or getattr(c, "framework_optional", False)]  # G3 hook: kinds read any layout
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


_EDITION_SIGNALS = {
    "2016": [r"\b2016\b", r"seven (core )?principles", r"sub-principles?",
             r"\bprinciple [A-G]\b", r"intended outcomes"],
    "2007": [r"\b2007\b", r"six (core )?principles", r"supporting principles?",
             r"core principle [1-6]", r"principle (one|two|three|four|five|six)\b"],
}


def detect_framework(doc: SourceDocument) -> Detection:
    """The CIPFA/SOLACE edition a document follows, from the signals each edition leaves."""
    counts = {edition: sum(len(re.findall(p, doc.text, re.I)) for p in patterns)
              for edition, patterns in _EDITION_SIGNALS.items()}
    edition = max(counts, key=lambda e: counts[e])
    total = sum(counts.values())
    if counts[edition] == 0:
        raise InputError("cannot tell which CIPFA/SOLACE edition this document follows; "
                         "pass --framework 2007 or 2016", Location(str(doc.path)))
    confidence = round(counts[edition] / total * min(1.0, counts[edition] / 3), 2)
    reason = ", ".join(f"{n} signal(s) of {e}" for e, n in sorted(counts.items()))
    return Detection(f"CIPFA/SOLACE {edition}", EDITIONS[edition], confidence, reason)


def resolve_framework(edition: str) -> Detection:
    if edition not in EDITIONS:
        raise InputError(f"unknown framework edition {edition!r}; use 2007 or 2016")
    return Detection(f"CIPFA/SOLACE {edition}", EDITIONS[edition], 1.0, "given with --framework")

