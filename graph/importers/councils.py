"""Which council a document is by: the register of UK councils and a detector over it.

A document names itself: in its title, as "Kent County Council" or "Wealden Council", as an
abbreviation it defines ("Kent County Council (KCC)"), or by its web address
(www.kent.gov.uk, or the home page the register records for it). Those are the strong
signals. A place name on its own ("Kent") is weak:
it may be the council's area, a neighbour named in passing, or a town in a postal address,
so it only supports a council the text names, and decides alone only when one place
dominates a text that names no council at all (documents that speak of "the Council"
throughout and of their town by name). Nothing on a line with a postcode counts.

The register is built once per vocabulary graph. Detection does not run one pattern per
council: the text is split into word tokens once and every token position is looked up in
a dictionary of the register's names (as token tuples, longest first), so the cost grows with
the length of the text, not with the number of councils (``python -m bench.councils``
measures it against one pattern per council).
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import SKOS, Graph, URIRef
from rdflib.namespace import FOAF, RDF

from govkg.graph.namespaces import GOVKG, ID, slugify

CURRENT = ID["council-status/current"]

_TOKEN = re.compile(r"[A-Za-z0-9]+|&")
_UPPER = re.compile(r"\b[A-Z]{2,8}\b")
_POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][ABD-HJLNP-UW-Z]{2}\b")
_WEB = re.compile(r"(?:https?://|www\.)?((?:[a-z0-9-]+\.)*?)([a-z0-9-]+)\.gov\.(?:uk|wales|scot)\b",
                  re.IGNORECASE)
_DEFINED = re.compile(r"\s*\(\s*(?:the\s+)?[\"“‘']?([A-Z][A-Za-z]{1,5})[\"”’']?\s*\)")
_DEFINES_THE_COUNCIL = re.compile(r"\s*\(\s*(?:hereafter\s+)?[\"“‘']?the\s+(?:Council|Authority)",
                                  re.IGNORECASE)
# Words that may stand between a place and "Council" in a council's name for itself.
_KIND_WORDS = {"county", "borough", "district", "city", "metropolitan", "town", "unitary"}
# Words before a place that make it a council's name: "London Borough of Sutton".
_PREFIXES = [("london", "borough", "of"), ("royal", "borough", "of"), ("borough", "of"),
             ("city", "and", "county", "of"), ("city", "of"), ("county", "of"),
             ("metropolitan", "borough", "of"), ("council", "of", "the")]
_BOROUGH_PREFIXES = [("london", "borough", "of"), ("royal", "borough", "of"), ("borough", "of"),
                     ("metropolitan", "borough", "of")]
_SHORT_SUFFIXES = {"cc", "bc", "dc", "mbc", "cbc"}
_MINOR = {"and", "of", "upon", "on", "the", "with", "in", "under"}
# Lines at the top of a document that count as its title.
TITLE_LINES = 8
# Weights of the signals; see detect().
# A name in the title, or one that defines how the text will call it ('X Council ("the
# Council")'), is the document naming itself; so, less surely, is a name opening a sentence
# ("X Council is committed to ..."). A name after "the" inside a longer phrase ("the X County
# Council Partnership Lead") is most often a neighbour named in passing.
W_TITLE, W_DEFINING, W_LEADING, W_NAMED, W_PASSING = 3.0, 3.0, 2.0, 0.9, 0.5
W_ABBREVIATION, W_WEB, W_PLACE = 0.5, 1.0, 0.25
CAP_ABBREVIATION, CAP_WEB, CAP_PLACE = 3.0, 3.0, 2.0
# With no strong signal, a place decides only with this many mentions and this share.
PLACE_ONLY_MENTIONS, PLACE_ONLY_SHARE, PLACE_ONLY_CONFIDENCE = 5, 0.75, 0.6
ACRONYM_ALONE = 4


def _tokens(text: str) -> list[str]:
    return ["and" if t == "&" else t.lower() for t in _TOKEN.findall(text)]


@dataclass(frozen=True)
class Council:
    """One council of the register."""

    iri: URIRef
    name: str
    slug: str
    gss: str | None
    area: str | None
    current: bool
    labels: tuple[str, ...]
    web: tuple[str, ...] = ()


@dataclass
class CouncilMatch:
    """A council found in a text, how sure the detector is, and why."""

    council: Council
    confidence: float
    reason: str


@dataclass
class _Evidence:
    named: int = 0
    title: int = 0
    named_weight: float = 0.0
    abbreviations: dict[str, int] = field(default_factory=dict)
    web: set[str] = field(default_factory=set)
    web_mentions: int = 0
    places: int = 0

    def strong(self) -> float:
        return (self.named_weight + W_TITLE * self.title
                + min(CAP_ABBREVIATION, W_ABBREVIATION * sum(self.abbreviations.values()))
                + min(CAP_WEB, W_WEB * self.web_mentions))

    def score(self) -> float:
        return self.strong() + min(CAP_PLACE, W_PLACE * self.places) if self.strong() else 0.0

    def reason(self, council: Council) -> str:
        parts = []
        if self.title:
            parts.append(f"named in the title ({self.title})")
        if self.named:
            parts.append(f"{self.named} mention(s) of its name ('{council.name}' or "
                         f"'{council.area or council.name} ... Council')")
        for abbreviation, n in sorted(self.abbreviations.items()):
            parts.append(f"{n} use(s) of the abbreviation {abbreviation}")
        if self.web:
            parts.append(f"its web address {', '.join(sorted(self.web))}")
        if self.places:
            parts.append(f"{self.places} mention(s) of the place '{council.area}'")
        return "; ".join(parts)


class CouncilRegister:
    """The councils of a vocabulary, indexed by every name a document may call them."""

    def __init__(self, councils: Iterable[Council]) -> None:
        self.councils = {c.iri: c for c in councils}
        self._keys: dict[str, set[URIRef]] = defaultdict(set)
        self._full: dict[tuple[str, ...], set[URIRef]] = defaultdict(set)
        self._place: dict[tuple[str, ...], set[URIRef]] = defaultdict(set)
        self._acronym: dict[str, set[URIRef]] = defaultdict(set)
        self._web: dict[str, set[URIRef]] = defaultdict(set)
        for council in self.councils.values():
            self._index(council)
        self._longest = max((len(k) for k in (*self._full, *self._place)), default=1)

    # ------------------------------------------------------------------ building

    @classmethod
    def from_vocabulary(cls, vocabulary: Graph) -> CouncilRegister:
        """The register of the councils in ``vocabulary``, built once per graph."""
        cached = _CACHE.get(vocabulary)
        if cached is not None and cached[0] == len(vocabulary):
            return cached[1]
        councils = []
        for iri in sorted(i for i in vocabulary.subjects(RDF.type, GOVKG.Council)
                          if isinstance(i, URIRef)):
            name = str(vocabulary.value(iri, SKOS.prefLabel) or iri.rsplit("/", 1)[-1])
            status = vocabulary.value(iri, GOVKG.councilStatus)
            labels = sorted({str(v) for p in (SKOS.prefLabel, SKOS.altLabel)
                             for v in vocabulary.objects(iri, p)})
            gss = vocabulary.value(iri, GOVKG.gssCode)
            area = vocabulary.value(iri, GOVKG.areaName)
            slug = vocabulary.value(iri, GOVKG.slug)
            web = tuple(sorted(str(h) for h in vocabulary.objects(iri, FOAF.homepage)))
            councils.append(Council(iri, name, str(slug) if slug else slugify(name),
                                    str(gss) if gss else None, str(area) if area else None,
                                    status is None or status == CURRENT, tuple(labels), web))
        register = cls(councils)
        _CACHE[vocabulary] = (len(vocabulary), register)
        return register

    def _index(self, council: Council) -> None:
        iri = council.iri
        for key in (council.name, *council.labels, council.slug, council.gss, council.area):
            if key:
                self._keys[" ".join(_tokens(key))].add(iri)
        places = set()
        for label in council.labels:
            if label.isupper() and " " not in label:
                self._acronym[label].add(iri)
                continue
            tokens = tuple(_tokens(label))
            if _is_council_name(tokens):
                self._full[tokens].add(iri)
            place = _place_of(tokens)
            if place:
                places.add(place)
        if council.area:
            places.add(tuple(_tokens(re.sub(r",\s*(City|County) of$", "", council.area))))
        for place in places:
            self._place[place].add(iri)
            for stem in _web_stems(place):
                self._web[stem].add(iri)
        # The home page the council gave the national directory ("www.rbkc.gov.uk") names it
        # even where no rule could guess the host from its name.
        for page in council.web:
            host = _WEB.search(page)
            if host:
                self._web[_web_key(host.group(2))].add(iri)

    # ------------------------------------------------------------------ lookup

    def resolve(self, name: str) -> Council | None:
        """The council a person means by a name, slug or GSS code, if exactly one."""
        key = " ".join(_tokens(name))
        found = self._prefer_current(self._keys.get(key, set()))
        if len(found) == 1:
            return self.councils[next(iter(found))]
        tokens = _tokens(name)
        everywhere = [True] * len(tokens)
        whole = [iris for start, end, iris, strong in self._scan(tokens, everywhere, everywhere)
                 if strong and start == 0 and end == len(tokens)]
        if len(whole) == 1 and len(whole[0]) == 1:
            return self.councils[next(iter(whole[0]))]
        return None

    def _prefer_current(self, iris: set[URIRef]) -> set[URIRef]:
        current = {i for i in iris if self.councils[i].current}
        return current or iris

    def _scan(self, tokens: list[str], usable: list[bool],
              capital: list[bool]) -> list[tuple[int, int, set[URIRef], bool]]:
        """Council names among the tokens: (start, end, councils, whether strong)."""
        found = []
        i, n = 0, len(tokens)
        while i < n:
            if not (usable[i] and capital[i]):
                i += 1
                continue
            hit = None
            for length in range(min(self._longest, n - i), 0, -1):
                key = tuple(tokens[i:i + length])
                if key in self._full:
                    hit = (i, i + length, set(self._full[key]), True)
                    break
                if key in self._place:
                    end = i + length
                    j = end
                    while j < n and tokens[j] in _KIND_WORDS:
                        j += 1
                    named = j < n and tokens[j] == "council"
                    prefixed = any(tuple(tokens[max(0, i - len(p)):i]) == p for p in _PREFIXES)
                    iris = set(self._place[key])
                    if named:
                        exact = self._full.get(tuple(tokens[i:j + 1]))
                        iris = set(exact) if exact else iris
                        end = j + 1
                    hit = (i, end, iris, named or prefixed)
                    break
            if hit is None:
                i += 1
                continue
            start, end, iris, strong = hit
            found.append((start, end, self._prefer_current(iris), strong))
            i = end
        return found

    # ------------------------------------------------------------------ detection

    def detect(self, text: str) -> list[CouncilMatch]:
        """Councils the text names, best first, each with its confidence and reason."""
        spans = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
        tokens = ["and" if text[s:e] == "&" else text[s:e].lower() for s, e in spans]
        line_starts = [0] + [m.end() for m in re.finditer("\n", text)]

        def line_of(offset: int) -> int:
            return bisect_right(line_starts, offset) - 1

        address_lines = {line_of(m.start()) for m in _POSTCODE.finditer(text)}
        title_end = _title_end(text)
        usable = [line_of(s) not in address_lines for s, _ in spans] if address_lines \
            else [True] * len(spans)
        capital = [text[s].isupper() or text[s].isdigit() for s, _ in spans]
        evidence: dict[URIRef, _Evidence] = defaultdict(_Evidence)
        for start, end, iris, strong in self._scan(tokens, usable, capital):
            if len(iris) != 1:
                continue  # a name two current councils share says nothing about either
            iri = next(iter(iris))
            ev = evidence[iri]
            if not strong:
                if not _sentence_start(text, spans[start][0]):
                    ev.places += 1
                continue
            defined = _DEFINED.match(text, spans[end - 1][1])
            if spans[start][0] < title_end:
                ev.title += 1
            else:
                ev.named += 1
                ev.named_weight += _mention_weight(text, spans[start][0], spans[end - 1][1],
                                                   tokens[end - 1] == "council")
            if defined and defined.group(1).isupper():
                ev.abbreviations.setdefault(defined.group(1), 0)
        # A council's own initialism counts where the text names the council otherwise;
        # one of four letters or more ("NHDC") is distinctive enough to count alone.
        upper = Counter(_UPPER.findall(text))
        for abbreviation, uses in upper.items():
            iris = self._acronym.get(abbreviation, set())
            if len(iris) == 1:
                iri = next(iter(iris))
                if iri in evidence or len(abbreviation) >= ACRONYM_ALONE:
                    evidence[iri].abbreviations[abbreviation] = uses
        for ev in evidence.values():
            for abbreviation in ev.abbreviations:
                ev.abbreviations[abbreviation] = upper[abbreviation]
        for match in _WEB.finditer(text):
            stem = _web_key(match.group(2))
            iris = self._prefer_current(self._web.get(stem, set()))
            if len(iris) == 1 and line_of(match.start()) not in address_lines:
                ev = evidence[next(iter(iris))]
                ev.web.add(match.group(0).lower())
                ev.web_mentions += 1
        return self._rank(evidence)

    def _rank(self, evidence: dict[URIRef, _Evidence]) -> list[CouncilMatch]:
        scored = sorted(((ev.score(), iri) for iri, ev in evidence.items() if ev.score()),
                        key=lambda s: (-s[0], s[1]))
        if scored:
            top = scored[0][0]
            second = scored[1][0] if len(scored) > 1 else 0.0
            out = []
            for score, iri in scored:
                rival = second if score == top else top
                confidence = (1 - 0.5 ** score) * score / (score + rival)
                out.append(CouncilMatch(self.councils[iri], round(confidence, 2),
                                        evidence[iri].reason(self.councils[iri])))
            return out
        places = sorted(((ev.places, iri) for iri, ev in evidence.items() if ev.places),
                        key=lambda s: (-s[0], s[1]))
        total = sum(n for n, _ in places)
        out = []
        for n, iri in places:
            share = n / total
            decides = n >= PLACE_ONLY_MENTIONS and share >= PLACE_ONLY_SHARE
            confidence = PLACE_ONLY_CONFIDENCE if decides else round(0.3 * share, 2)
            out.append(CouncilMatch(
                self.councils[iri], round(confidence, 2),
                f"the text never names a council; {n} mention(s) of the place "
                f"'{self.councils[iri].area}' ({share:.0%} of the places it names)"))
        return out


_CACHE: weakref.WeakKeyDictionary[Graph, tuple[int, CouncilRegister]] = \
    weakref.WeakKeyDictionary()


def _title_end(text: str) -> int:
    """Where the document's title ends: after its first TITLE_LINES non-empty lines."""
    seen, offset = 0, 0
    for line in text.split("\n"):
        offset += len(line) + 1
        if line.strip():
            seen += 1
            if seen == TITLE_LINES:
                return offset
    return len(text)


def _mention_weight(text: str, start: int, end: int, ends_in_council: bool) -> float:
    """How much one mention of a council's name outside the title says it is the author."""
    if _DEFINES_THE_COUNCIL.match(text, end):
        return W_DEFINING
    if _sentence_start(text, start):
        return W_LEADING
    if ends_in_council and re.search(r"\bthe\s+$", text[max(0, start - 5):start], re.I):
        return W_PASSING
    return W_NAMED


def _sentence_start(text: str, offset: int) -> bool:
    """Whether a word opens a sentence or a line, where any word is capitalised."""
    j = offset - 1
    while j >= 0 and text[j] in " \t":
        j -= 1
    return j < 0 or text[j] in ".!?:•\n-–"


def _is_council_name(tokens: tuple[str, ...]) -> bool:
    """Whether a label names the council itself rather than its area ("Comhairle" is the
    Gaelic for council: Comhairle nan Eilean Siar)."""
    return bool({"council", "corporation", "comhairle"} & set(tokens)) \
        or any(tokens[: len(p)] == p for p in _BOROUGH_PREFIXES) \
        or len(tokens) > 1 and tokens[-1] in _SHORT_SUFFIXES


def _place_of(tokens: tuple[str, ...]) -> tuple[str, ...] | None:
    """The place in a council's name: "London Borough of Sutton" -> ("sutton",).

    Only names that end in a council word or open with "London Borough of" and the like
    give a place, so "City of London Corporation" gives none (its area is "City of London").
    """
    words = list(tokens)
    if words[:1] == ["the"]:
        words = words[1:]
    suffixed = False
    while words and words[-1] in {"council", *_SHORT_SUFFIXES}:
        words, suffixed = words[:-1], True
    prefixed = False
    for prefix in _PREFIXES:
        if tuple(words[: len(prefix)]) == prefix:
            prefixed = prefix in _BOROUGH_PREFIXES
            if suffixed or prefixed:
                words = words[len(prefix):]
            break
    if not (suffixed or prefixed):
        return None
    while words and words[-1] in _KIND_WORDS:
        words = words[:-1]
    if not words or words[0] in _MINOR:
        return None
    return tuple(words)


def place_words(name: str) -> frozenset[str]:
    """The words of a council's name that say which council it is, lower-cased: "Anytown
    Borough Council" -> {"anytown"}; none for a name that is not a council's."""
    return frozenset(_place_of(tuple(_tokens(name))) or ())


def _web_key(label: str) -> str:
    """A web host's last label before .gov.uk, as the index keeps it: "adur-worthing" ->
    "adurworthing"."""
    return re.sub(r"[^a-z0-9]", "", label.lower())


def _web_stems(place: tuple[str, ...]) -> set[str]:
    """Host names a council's web site may have: kent, argyll-bute, northyorks, lichfielddc."""
    joined = "".join(place)
    without_and = "".join(w for w in place if w != "and")
    stems = {joined, without_and}
    if joined.endswith("shire"):
        stems.add(joined[: -len("shire")] + "s")
    return stems | {s + suffix for s in stems for suffix in ("dc", "bc", "cc", "council")}

