"""The named-query library: one SPARQL query per ``queries/*.rq`` file.

Each file opens with a metadata header in grlc's ``#+`` style — YAML behind ``#+`` —
giving a title, a description and the parameters with their types and defaults::

    #+ title: Who owns a governance topic
    #+ description: Posts, roles and bodies that own, lead or monitor a topic, per council.
    #+ params:
    #+   topic: {type: topic, default: risk-management, description: The topic.}
    #+   council: {type: council, description: Narrow to one council.}

The file name (without ``.rq``) is the query's name in the CLI, the API and the docs.
A parameter is a variable of the query (``?topic``); a value given for it is converted to
an RDF term of the declared type and *bound* (pyoxigraph ``substitutions``), never
spliced into the text, so no value can change the query's structure (unlike grlc, which
substitutes text). A parameter left out stays a free variable, so every query answers
across all councils by default. A value of the wrong type is refused, naming the
parameter.

A parameter whose type names a resource (a council, a topic, a role...) is looked up in
the store's labels (:class:`Names`) when a store is at hand: ``Kent``, ``Kent County
Council``, ``KCC`` and the GSS code ``E10000016`` all name the same council, and
``whistle-blowing`` the topic ``whistleblowing``; a value that names nothing is refused
with the values the parameter accepts, instead of silently answering an empty table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz
from rapidfuzz.utils import default_process
from rdflib import RDFS, SKOS, XSD, Literal, URIRef
from rdflib.term import Node

from govkg.graph import paths
from govkg.graph.errors import DataFileError, QueryError
from govkg.graph.namespaces import (
    BODY_FUNCTION,
    COUNCIL,
    DERIVED,
    EVIDENCE_KIND,
    F2007,
    F2016,
    GOVKG,
    ID,
    PRIORITY,
    REVIEW_AREA,
    REVIEW_STANDARD,
    ROLE,
    TOPIC,
)
from govkg.graph.rdfio import read_sparql

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_VARIABLE = re.compile(r"[?$]([A-Za-z_][A-Za-z0-9_]*)")


def _iri(value: str) -> URIRef:
    if not re.match(r"^[a-z][a-z0-9+.-]*:[^\s<>\"{}|\\^`]+$", value, re.IGNORECASE):
        raise ValueError("not an absolute IRI")
    return URIRef(value)


def _in_namespace(namespace: str) -> Callable[[str], URIRef]:
    """A converter accepting a slug in ``namespace`` (``risk-management``) or a full IRI."""

    def convert(value: str) -> URIRef:
        if value.startswith(("http://", "https://")):
            if not value.startswith(namespace):
                raise ValueError(f"not an IRI under {namespace}")
            return _iri(value)
        if not re.match(r"^[A-Za-z0-9][A-Za-z0-9._-]*$", value):
            raise ValueError("not a slug (letters, digits, '.', '-' and '_')")
        return URIRef(namespace + value)

    return convert


def _item(value: str) -> URIRef:
    """A framework item: its IRI, or its number with the edition ("2016:F.1", "2007:4.3"),
    or the number alone when it can only belong to one edition (letters are 2016's)."""
    if value.startswith(("http://", "https://")):
        return _iri(value)
    edition, _, number = value.rpartition(":")
    if not re.match(r"^([A-G](\.\d)?|[1-6](\.\d(\.\d{1,2})?)?)$", number):
        raise ValueError("not a framework item number such as F.1, 4.3 or 2007:4.3.1")
    if edition not in ("", "2007", "2016"):
        raise ValueError("the edition before ':' must be 2007 or 2016")
    if not edition:
        edition = "2016" if number[0].isalpha() else "2007"
    return URIRef((F2016 if edition == "2016" else F2007) + number)


def _edition(value: str) -> URIRef:
    if value not in ("2007", "2016"):
        raise ValueError("not a CIPFA/SOLACE edition")
    return URIRef(f"{ID}framework/cipfa-solace-{value}")


def _decimal(value: str) -> Literal:
    try:
        return Literal(Decimal(value), datatype=XSD.decimal)
    except InvalidOperation:
        raise ValueError("not a decimal number") from None


def _integer(value: str) -> Literal:
    if not re.match(r"^[+-]?\d+$", value):
        raise ValueError("not a whole number")
    return Literal(int(value), datatype=XSD.integer)


def _boolean(value: str) -> Literal:
    if value.lower() not in ("true", "false"):
        raise ValueError("not true or false")
    return Literal(value.lower() == "true", datatype=XSD.boolean)


def _date(value: str) -> Literal:
    return Literal(date.fromisoformat(value), datatype=XSD.date)


#: Parameter types: name -> (converter from text, JSON-schema type for OpenAPI, hint)
TYPES: dict[str, tuple[Callable[[str], Node], str, str]] = {
    "iri": (_iri, "string", "an absolute IRI"),
    "string": (lambda v: Literal(v), "string", "text"),
    "integer": (_integer, "integer", "a whole number"),
    "decimal": (_decimal, "number", "a decimal number"),
    "boolean": (_boolean, "boolean", "true or false"),
    "date": (_date, "string", "a date, YYYY-MM-DD"),
    "council": (_in_namespace(str(COUNCIL)), "string", "a council slug or IRI"),
    "topic": (_in_namespace(str(TOPIC)), "string", "a governance topic slug or IRI"),
    "role": (_in_namespace(str(ROLE)), "string", "a role slug or IRI"),
    "evidence-kind": (_in_namespace(str(EVIDENCE_KIND)), "string",
                      "an evidence kind slug or IRI"),
    "body-function": (_in_namespace(str(BODY_FUNCTION)), "string",
                      "a body function slug or IRI"),
    "review-standard": (_in_namespace(str(REVIEW_STANDARD)), "string",
                        "a review standard slug or IRI"),
    "review-area": (_in_namespace(str(REVIEW_AREA)), "string", "structures, systems or behaviours"),
    "priority": (_in_namespace(str(PRIORITY)), "string", "key or improvement"),
    "edition": (_edition, "string", "2007 or 2016"),
    "item": (_item, "string", "a framework item, e.g. 2016:F.1 or 2007:4.3.1"),
}


#: Types whose values name a resource in a namespace: looked up in :class:`Names`.
NAMED_TYPES: dict[str, tuple[str, ...]] = {
    "council": (str(COUNCIL),), "topic": (str(TOPIC),), "role": (str(ROLE),),
    "evidence-kind": (str(EVIDENCE_KIND),), "body-function": (str(BODY_FUNCTION),),
    "review-standard": (str(REVIEW_STANDARD),), "review-area": (str(REVIEW_AREA),),
    "priority": (str(PRIORITY),), "item": (str(F2016), str(F2007)),
}
#: what users type to name a resource: its labels, notation, GSS code and slug
_LABELS = (SKOS.prefLabel, SKOS.altLabel, RDFS.label, SKOS.notation, GOVKG.gssCode, GOVKG.slug)
_SHOWN_AT_MOST = 60


def _key(text: str) -> str:
    """What two spellings of one label share: lower case, letters and digits only.

    >>> _key("Whistle-blowing"), _key("whistle blowing")
    ('whistleblowing', 'whistleblowing')
    """
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@dataclass(frozen=True)
class Names:
    """The resources a store holds that parameters may name, with every key users type.

    Built from one query over the store's labels (:meth:`from_store`); a value is looked
    up exactly (slug, label, notation, GSS code, compared by :func:`_key`), then as the
    unique start of one (``Kent``). Nothing a user types reaches the query text.
    """

    #: namespace -> key -> IRIs
    keys: dict[str, dict[str, frozenset[str]]]
    #: namespace -> IRI -> a label to show in messages
    labels: dict[str, dict[str, str]]
    #: resources the store holds documents about (councils with a governance document):
    #: listed first when a value names nothing, since the register holds every UK council
    featured: frozenset[str] = frozenset()

    @classmethod
    def from_store(cls, store: Any) -> Names:
        """Index the labelled resources of every namespace in :data:`NAMED_TYPES`."""
        namespaces = sorted({ns for spaces in NAMED_TYPES.values() for ns in spaces})
        # a resource right under a namespace (not a council's bodies, council/x/body/y)
        pattern = "^(" + "|".join(re.escape(ns) for ns in namespaces) + ")[^/]+$"
        predicates = " ".join(f"<{p}>" for p in _LABELS)
        result = store.query(f"SELECT DISTINCT ?c ?p ?l WHERE {{ VALUES ?p {{ {predicates} }} "
                             f"?c ?p ?l FILTER(isIRI(?c) && REGEX(STR(?c), "
                             f"{Literal(pattern).n3()})) }}")  # a constant: compiled once
        keys: dict[str, dict[str, set[str]]] = {ns: {} for ns in namespaces}
        labels: dict[str, dict[str, str]] = {ns: {} for ns in namespaces}
        for row in result:
            iri, label = str(row["c"]), str(row["l"])
            namespace = next(ns for ns in namespaces if iri.startswith(ns))
            if "/" in iri[len(namespace):]:  # a council's bodies and evidence, not a council
                continue
            for key in (_key(label), _key(iri[len(namespace):])):
                keys[namespace].setdefault(key, set()).add(iri)
            if row["p"] == SKOS.prefLabel or iri not in labels[namespace]:
                labels[namespace][iri] = label
        with_documents = store.query(f"SELECT DISTINCT ?c WHERE {{ ?c <{DERIVED.hasDocument}> "
                                     "?d }")
        return cls({ns: {k: frozenset(v) for k, v in by_key.items()}
                    for ns, by_key in keys.items()}, labels,
                   frozenset(str(row["c"]) for row in with_documents))

    def resolve(self, param: Parameter, value: str) -> URIRef:
        """The one resource ``value`` names for ``param``, else QueryError saying which
        values the parameter accepts."""
        namespaces = NAMED_TYPES[param.type]
        if param.type == "item" or value.startswith(("http://", "https://")):
            iri = str(param.convert(value))  # the type's own syntax: item numbers, IRIs
            found = {iri} if any(iri in self.labels[ns] for ns in namespaces) else set()
        else:
            key = _key(value)
            found = set().union(*(self.keys[ns].get(key, ()) for ns in namespaces))
            if not found and len(key) >= 3:
                found = {iri for ns in namespaces for k, iris in self.keys[ns].items()
                         if k.startswith(key) for iri in iris}
                if len(found) == 1:  # a unique start, unless other names hold it too
                    found |= {iri for ns in namespaces for k, iris in self.keys[ns].items()
                              if key in k for iri in iris}  # ("council" starts only one)
        if len(found) == 1:
            return URIRef(found.pop())
        if found:
            raise QueryError(f"parameter {param.name!r}: {value!r} could mean "
                             f"{self._listed(found, namespaces, value)}; give one of them")
        # every resource the parameter may name: only for the message (a web request
        # for one council would otherwise copy 400 councils' labels each time)
        known = {iri: label for ns in namespaces for iri, label in self.labels[ns].items()}
        listed = (self._listed(known, namespaces, value) if known
                  else "nothing: the store has none")
        raise QueryError(f"parameter {param.name!r} ({param.type}): {value!r} names nothing "
                         f"in the store; it takes {TYPES[param.type][2]} or a label, one of: "
                         f"{listed}")

    def _listed(self, iris: Iterable[str], namespaces: tuple[str, ...], typed: str) -> str:
        """The accepted values, most useful first: resources the store has documents
        about, then those closest to what was typed (a near miss such as "Kent Couty"
        puts Kent County Council first), then by slug."""
        def slug(iri: str) -> str:
            namespace = next(ns for ns in namespaces if iri.startswith(ns))
            return iri[len(namespace):]

        labels = {iri: label for ns in namespaces for iri, label in self.labels[ns].items()}

        def closeness(iri: str) -> float:
            return max(fuzz.WRatio(typed, slug(iri), processor=default_process),
                       fuzz.WRatio(typed, labels.get(iri, ""), processor=default_process))

        ordered = sorted(iris, key=lambda i: (i not in self.featured, -closeness(i), slug(i)))
        shown = [f"{slug(i)} ({labels[i]})" if labels.get(i, slug(i)) != slug(i) else slug(i)
                 for i in ordered[:_SHOWN_AT_MOST]]
        more = len(ordered) - len(shown)
        return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class Parameter:
    """One declared parameter of a named query."""

    name: str
    type: str
    description: str = ""
    default: str | None = None

    def convert(self, value: str) -> Node:
        """``value`` as an RDF term of this parameter's type; QueryError names the parameter."""
        converter = TYPES[self.type][0]
        try:
            return converter(value.strip())
        except ValueError as exc:
            raise QueryError(f"parameter {self.name!r} ({self.type}): {value!r} is {exc}; "
                             f"expected {TYPES[self.type][2]}") from None


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name, metadata, parameters and text."""

    name: str
    title: str
    description: str
    params: tuple[Parameter, ...]
    text: str
    path: Path
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def form(self) -> str:
        """SELECT, ASK, CONSTRUCT or DESCRIBE: the first query keyword after the header."""
        body = re.sub(r"(?m)#.*$", "", self.text)
        body = re.sub(r"(?is)\b(PREFIX\s+\S*\s*<[^>]*>|BASE\s*<[^>]*>)", "", body)
        match = re.search(r"(?i)\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", body)
        return match.group(1).upper() if match else "SELECT"

    def bindings(self, values: dict[str, str] | None = None,
                 names: Names | None = None) -> dict[str, Node]:
        """Convert given values (and defaults) to RDF terms; refuse unknown parameters.
        With ``names`` (the store's), a value of a type in :data:`NAMED_TYPES` must name
        a resource there, by slug, IRI or label."""
        values = dict(values or {})
        known = {p.name: p for p in self.params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise QueryError(f"query {self.name!r} has no parameter {', '.join(unknown)}; "
                             f"its parameters: {', '.join(known) or 'none'}")
        bound: dict[str, Node] = {}
        for param in self.params:
            raw = values.get(param.name, param.default)
            if raw is None or raw.strip() == "":
                continue
            if names is not None and param.type in NAMED_TYPES:
                bound[param.name] = names.resolve(param, raw.strip())
            else:
                bound[param.name] = param.convert(raw)
        return bound


def parse_header(path: Path, text: str) -> dict[str, Any]:
    """The YAML behind the ``#+`` lines at the top of a query file."""
    lines = []
    for line in text.splitlines():
        if line.startswith("#+"):
            lines.append(line[3:] if line.startswith("#+ ") else line[2:])
        elif line.strip() and not line.startswith("#"):
            break
    if not lines:
        raise DataFileError.at(path, 1, "no '#+' metadata header (title, description, params)")
    try:
        meta = yaml.safe_load("\n".join(lines)) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise DataFileError.at(path, mark.line + 1 if mark else 1,
                               f"bad metadata header: {exc}") from None
    if not isinstance(meta, dict):
        raise DataFileError.at(path, 1, "the metadata header must be a mapping")
    return meta


def load_query(path: Path) -> NamedQuery:
    """Read and check one query file."""
    name = path.stem
    if not _NAME.match(name):
        raise DataFileError.at(path, None, "query file names are lower-case kebab-case")
    text = read_sparql(path)
    meta = parse_header(path, text)
    for key in ("title", "description"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise DataFileError.at(path, 1, f"the header needs a '{key}'")
    variables = set(_VARIABLE.findall(re.sub(r"(?m)#.*$", "", text)))
    params = []
    for pname, spec in (meta.get("params") or {}).items():
        spec = spec or {}
        ptype = spec.get("type")
        if ptype not in TYPES:
            raise DataFileError.at(path, 1, f"parameter {pname!r} has unknown type {ptype!r}; "
                                   f"known: {', '.join(TYPES)}")
        if pname not in variables:
            raise DataFileError.at(path, 1, f"parameter {pname!r} is not a variable of the query")
        default = spec.get("default")
        param = Parameter(pname, ptype, str(spec.get("description", "")).strip(),
                          None if default is None else str(default))
        if param.default is not None:
            try:
                param.convert(param.default)
            except QueryError as exc:
                raise DataFileError.at(path, 1, f"bad default: {exc}") from None
        params.append(param)
    extra = {k: v for k, v in meta.items() if k not in ("title", "description", "params")}
    return NamedQuery(name, meta["title"].strip(), meta["description"].strip(), tuple(params),
                      text, path, extra)


@lru_cache(maxsize=1)
def load_queries() -> dict[str, NamedQuery]:
    """Every query in the installed ``queries/`` folder, by name (``queries/pages/`` holds
    the web pages' own queries: not named queries, see :func:`get_page_query`)."""
    return {q.name: q for q in map(load_query, paths.data_files(paths.queries_dir(), ".rq"))
            if q.path.parent.name != "pages"}


@lru_cache(maxsize=64)
def get_page_query(name: str) -> NamedQuery:
    """A web page's query, ``queries/pages/<name>.rq`` (same header, same binding)."""
    path = paths.queries_dir() / "pages" / f"{name}.rq"
    if not path.is_file():
        raise QueryError(f"no page query named {name!r}")
    return load_query(path)


def get_query(name: str) -> NamedQuery:
    queries = load_queries()
    try:
        return queries[name]
    except KeyError:
        raise QueryError(f"no query named {name!r}; `govkg query --list` lists them") from None

