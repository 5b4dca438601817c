"""Corrections: a person's decisions about what the importer read, kept as data.

An importer misreads a line now and then: a heading taken for a commitment, a link to
the wrong framework item, a post given the wrong statutory role. An officer's correction
of it is kept in one small YAML file per document (``<document>.corrections.yaml`` beside
it, or ``<id>.yaml`` in the store's ``corrections`` folder), so it is applied again every
time the document is imported, and it is recorded in the document's graph as a
:class:`govkg:Correction` activity of a ``prov:Person`` at a time, beside the importer's
own activity (whose links keep their method and score).

A statement is named by what survives a re-import: its quote (the span's
``oa:exact``) and where it is (the text-position selector's start, else its first line),
never by the IRIs the importer minted. Three actions:

- ``reject``: the statement is wrong; what only it stated is removed (and named by
  ``prov:invalidated``), what other statements state too loses this source;
- ``relink``: its framework links are replaced by the items given (``to: [B.2]``);
- ``designate``: the post it designates holds another role (``role: monitoring-officer``,
  ``post: Director of Law``), or none (``role: none``).

YAML because govkg already reads and writes it (PyYAML), and its parser knows the line of
every entry, so a bad entry is reported at its line; it is read with the base loader, so
every value stays text (a number such as ``1.10`` is not turned into 1.1).

>>> text = '''document: 44676a6766e52695
... officer: A. Officer
... corrections:
...   - action: relink
...     quote: Behaving with integrity
...     start: 120
...     to: [A.1]
...     decided: 2026-12-05T09:00:00+00:00
... '''
>>> parsed = parse(text, "x.corrections.yaml")
>>> (parsed.corrections[0].items, parsed.corrections[0].entry_line)
(('A.1',), 4)
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from rdflib import RDF, RDFS, SKOS, XSD, Graph, Literal, URIRef
from rdflib.namespace import ORG, PROV
from rdflib.term import Node

from govkg.graph.errors import DataFileError
from govkg.graph.importers.builder import RESPONSIBILITY_PROPERTIES, decimal
from govkg.graph.importers.linking import Gazetteer
from govkg.graph.namespaces import (
    COUNCIL,
    GOVKG,
    ID,
    LINK_METHOD,
    OA,
    RESPONSIBILITY_KIND,
    SCHEME,
    slugify,
)
from govkg.graph.rdfio import write_atomically

#: a corrections file beside a document: ``code.pdf`` -> ``code.pdf.corrections.yaml``
SUFFIX = ".corrections.yaml"
ACTIONS = ("reject", "relink", "designate")
#: the properties a qualified link stands for
LINK_PROPERTIES = (GOVKG.addresses, GOVKG.assesses, GOVKG.standard, SKOS.relatedMatch)
_ENTRY_KEYS = {"action", "quote", "start", "line", "to", "post", "role", "officer",
               "decided", "reason"}
_TOP_KEYS = {"document", "title", "officer", "corrections"}


@dataclass(frozen=True)
class Correction:
    """One decision about one statement (see the module's docstring for the actions)."""

    action: str
    quote: str
    officer: str
    decided: datetime
    start: int | None = None
    line: int | None = None
    items: tuple[str, ...] = ()
    post: str | None = None
    role: str | None = None
    reason: str = ""
    #: where the entry is in its file, for messages
    entry_line: int = 0

    def as_entry(self) -> dict[str, Any]:
        """The entry as the file writes it."""
        entry: dict[str, Any] = {"action": self.action, "quote": self.quote}
        if self.start is not None:
            entry["start"] = str(self.start)
        if self.line is not None:
            entry["line"] = str(self.line)
        if self.action == "relink":
            entry["to"] = list(self.items)
        if self.post:
            entry["post"] = self.post
        if self.role:
            entry["role"] = self.role
        entry["officer"] = self.officer
        entry["decided"] = self.decided.isoformat(timespec="seconds")
        if self.reason:
            entry["reason"] = self.reason
        return entry


@dataclass
class CorrectionsFile:
    """The corrections of one document, named by the SHA-256 of its original bytes."""

    path: Path
    document: str
    corrections: list[Correction] = field(default_factory=list)

    def is_for(self, sha256: str) -> bool:
        return len(self.document) >= 16 and sha256.startswith(self.document)


# ------------------------------------------------------------------------- the file

def _plain(node: yaml.Node, path: str) -> Any:
    """A composed YAML node as str, list or dict (keys once each)."""
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return [_plain(item, path) for item in node.value]
    assert isinstance(node, yaml.MappingNode)
    result: dict[str, Any] = {}
    for key, value in node.value:
        name = _plain(key, path)
        if name in result:
            raise DataFileError.at(path, key.start_mark.line + 1, f"{name!r} is given twice")
        result[str(name)] = _plain(value, path)
    return result


def _when(text: Any, where: str, line: int) -> datetime:
    try:
        when = datetime.fromisoformat(str(text))
    except ValueError:
        raise DataFileError.at(where, line, f"decided: {text!r} is not an ISO 8601 date "
                               "and time (2026-12-05T09:30:00+00:00)") from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _entry(node: yaml.Node, top: dict[str, Any], where: str) -> Correction:
    line = node.start_mark.line + 1
    if not isinstance(node, yaml.MappingNode):
        raise DataFileError.at(where, line, "each correction is a mapping (action: ..., "
                               "quote: ...)")
    entry = _plain(node, where)
    unknown = set(entry) - _ENTRY_KEYS
    if unknown:
        raise DataFileError.at(where, line, f"unknown key(s) {', '.join(sorted(unknown))}; "
                               f"a correction takes {', '.join(sorted(_ENTRY_KEYS))}")
    action = entry.get("action")
    if action not in ACTIONS:
        raise DataFileError.at(where, line, f"action: {action!r}; use one of "
                               f"{', '.join(ACTIONS)}")
    quote = entry.get("quote")
    if not isinstance(quote, str) or not quote.strip():
        raise DataFileError.at(where, line, "a correction names its statement by its quote "
                               "(quote: the exact text)")
    numbers: dict[str, int | None] = {}
    for key in ("start", "line"):
        value = entry.get(key)
        if value is not None and not (isinstance(value, str) and value.isdigit()):
            raise DataFileError.at(where, line, f"{key}: {value!r} is not a whole number")
        numbers[key] = int(value) if value is not None else None
    officer = entry.get("officer", top.get("officer"))
    if not isinstance(officer, str) or not officer.strip():
        raise DataFileError.at(where, line, "say who decided: officer: NAME (on the entry "
                               "or once at the top of the file)")
    if "decided" not in entry:
        raise DataFileError.at(where, line, "say when: decided: 2026-12-05T09:30:00+00:00")
    items = entry.get("to", [])
    items = [items] if isinstance(items, str) else items
    if action == "relink" and (not isinstance(items, list) or not items
                               or not all(isinstance(i, str) and i for i in items)):
        raise DataFileError.at(where, line, "relink needs the items it links to: to: [B.2]")
    role = entry.get("role")
    if action == "designate" and not isinstance(role, str):
        raise DataFileError.at(where, line, "designate needs role: a statutory role (or "
                               "none)")
    return Correction(action, quote, officer.strip(), _when(entry["decided"], where, line),
                      numbers["start"], numbers["line"],
                      tuple(items) if action == "relink" else (), entry.get("post"), role,
                      str(entry.get("reason", "")), line)


def parse(text: str, where: str) -> CorrectionsFile:
    """A corrections file's text; ``where`` names it in errors (file and line)."""
    try:
        root = yaml.compose(text, Loader=yaml.BaseLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = (f" ({exc.context} at line {exc.context_mark.line + 1})"
                   if exc.context and exc.context_mark else "")
        raise DataFileError.at(where, mark.line + 1 if mark else None,
                               f"not YAML: {exc.problem or exc}{context}") from None
    if not isinstance(root, yaml.MappingNode):
        raise DataFileError.at(where, 1, "a corrections file is a mapping: document, "
                               "officer, corrections")
    top = {_plain(k, where): v for k, v in root.value}
    unknown = set(top) - _TOP_KEYS
    if unknown:
        raise DataFileError.at(where, 1, f"unknown key(s) {', '.join(sorted(unknown))}; the "
                               f"file takes {', '.join(sorted(_TOP_KEYS))}")
    plain_top = {k: _plain(v, where) for k, v in top.items() if k != "corrections"}
    document = plain_top.get("document")
    if not isinstance(document, str) or len(document) < 16 or any(
            c not in "0123456789abcdef" for c in document):
        raise DataFileError.at(where, 1, "document: the SHA-256 of the document's file "
                               "(at least its first 16 hex digits)")
    entries = top.get("corrections")
    if entries is None or (isinstance(entries, yaml.ScalarNode) and not entries.value):
        return CorrectionsFile(Path(where), document)
    if not isinstance(entries, yaml.SequenceNode):
        raise DataFileError.at(where, entries.start_mark.line + 1,
                               "corrections: is a list of entries (- action: ...)")
    return CorrectionsFile(Path(where), document,
                           [_entry(node, plain_top, where) for node in entries.value])


def load(path: Path) -> CorrectionsFile:
    """Read a corrections file, refusing a bad one with its file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError.at(path, None, "no such corrections file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError.at(path, None, f"cannot read it: {exc}") from None
    return parse(text, str(path))


def append(path: Path, document: str, correction: Correction, *, title: str = "") -> None:
    """Add one correction to a document's file (made if missing), keeping what a person
    wrote in it (comments included): the entry is appended as text, and the result read
    back before it replaces the file."""
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    before = parse(old, str(path)).corrections if old else []
    if not old:
        old = ("# Corrections to what govkg read from one document; see the README,\n"
               "# \"Corrections\". Applied again on every import of the document.\n"
               f"document: {document}\n"
               + (f"title: {yaml.safe_dump(title, width=10_000).splitlines()[0]}\n"
                  if title else "") + "corrections:\n")
    elif not old.endswith("\n"):
        old += "\n"
    entry = yaml.safe_dump([correction.as_entry()], sort_keys=False, allow_unicode=True,
                           width=10_000)
    text = old + "".join(f"  {line}\n" for line in entry.splitlines())
    after = parse(text, str(path)).corrections
    if len(after) != len(before) + 1:  # the file ends other than in its corrections list
        raise DataFileError.at(path, None, "cannot add to this file: its last key must be "
                               "corrections:")
    write_atomically(path, text.encode("utf-8"))


# ------------------------------------------------------------------------- statements

@dataclass
class Statement:
    """One quoted span of a document and what the importer stated from it."""

    span: URIRef
    quote: str
    line: int
    end_line: int
    start: int | None
    page: int | None
    #: (resource, its class's label, its own label)
    resources: list[tuple[URIRef, str, str]] = field(default_factory=list)
    #: (item, notation, label, method, score) of the resources' framework links
    links: list[tuple[URIRef, str, str, str, float]] = field(default_factory=list)
    #: (post, post's label, role, role's label)
    designations: list[tuple[URIRef, str, URIRef, str]] = field(default_factory=list)
    #: the core principles (notations) its links fall under
    principles: list[str] = field(default_factory=list)
    #: what corrections were applied to it (action, officer)
    corrected: list[tuple[str, str]] = field(default_factory=list)

    @property
    def confidence(self) -> float | None:
        """The lowest score of its links (a statement is as sure as its weakest link)."""
        return min((score for *_, score in self.links), default=None)

    def key(self) -> tuple[str, int | None, int]:
        return (self.quote, self.start, self.line)


def _label(graph: Graph, vocabulary: Graph, node: Node) -> str:
    for source in (graph, vocabulary):
        for prop in (SKOS.prefLabel, RDFS.label, SKOS.notation):
            value = source.value(node, prop)
            if value is not None:
                return str(value)
    return str(node).rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _document(graph: Graph) -> URIRef:
    for node in graph.subjects(GOVKG.sha256, None):
        if isinstance(node, URIRef):
            return node
    raise DataFileError.at(str(graph.identifier), None, "the graph holds no document")


def _roles(vocabulary: Graph) -> Gazetteer:
    return Gazetteer(vocabulary, SCHEME["role"])


def _designations(graph: Graph, vocabulary: Graph, span: URIRef, quote: str,
                  roles: Gazetteer) -> list[tuple[URIRef, str, URIRef, str]]:
    """The posts the span designates to a role: a post it is a source of holds a role
    that its quote names (and not merely the post's own title, "Chief Executive")."""
    named = set(roles.concepts(quote))
    found = []
    for post in graph.subjects(GOVKG.source, span):
        if (post, RDF.type, ORG.Post) not in graph or not isinstance(post, URIRef):
            continue
        title = _label(graph, vocabulary, post)
        for role in graph.objects(post, ORG.role):
            if role in named and roles.lookup(title) != role and isinstance(role, URIRef):
                found.append((post, title, role, _label(graph, vocabulary, role)))
    return found


def _top(vocabulary: Graph, item: Node) -> str | None:
    seen = set()
    while (up := vocabulary.value(item, SKOS.broader)) is not None and item not in seen:
        seen.add(item)
        item = up
    notation = vocabulary.value(item, SKOS.notation)
    return str(notation) if notation is not None else None


def statements(graph: Graph, vocabulary: Graph) -> list[Statement]:
    """Every quoted span of a document's graph that some resource (other than the
    document itself and its own links) was read from, in the document's order."""
    doc = _document(graph)
    roles = _roles(vocabulary)
    found: dict[URIRef, Statement] = {}
    for span in set(graph.subjects(RDF.type, OA.SpecificResource)):
        if not isinstance(span, URIRef):
            continue
        readers = [n for n in graph.subjects(GOVKG.source, span) if isinstance(n, URIRef)
                   and n != doc and not str(n).startswith(f"{doc}/link/")
                   and (n, RDF.type, GOVKG.ItemLink) not in graph]
        quote = next((str(q) for s in graph.objects(span, OA.hasSelector)
                      for q in graph.objects(s, OA.exact)), "")
        start = next((int(str(v)) for s in graph.objects(span, OA.hasSelector)
                      for v in graph.objects(s, OA.start)), None)
        page = graph.value(span, GOVKG.page)
        statement = Statement(span, quote, int(graph.value(span, GOVKG.startLine) or 0),
                              int(graph.value(span, GOVKG.endLine) or 0), start,
                              int(page) if page is not None else None)
        for activity in graph.subjects(PROV.used, span):
            officer = graph.value(activity, PROV.wasAssociatedWith)
            statement.corrected.append((str(graph.value(activity, GOVKG.correctionAction)),
                                        _label(graph, vocabulary, officer) if officer else ""))
        if not readers and not statement.corrected:
            continue
        for node in sorted(readers):
            kind = graph.value(node, RDF.type)
            statement.resources.append((node, _label(graph, vocabulary, kind) if kind else "",
                                        _label(graph, vocabulary, node)))
            for link in graph.objects(node, GOVKG.qualifiedLink):
                item = graph.value(link, GOVKG.linkedItem)
                method = graph.value(link, GOVKG.linkMethod)
                if isinstance(item, URIRef):
                    notation = vocabulary.value(item, SKOS.notation) or graph.value(
                        item, SKOS.notation)
                    statement.links.append((
                        item, str(notation or ""), _label(graph, vocabulary, item),
                        _label(graph, vocabulary, method) if method else "",
                        float(graph.value(link, GOVKG.matchScore) or 0)))
        statement.links = sorted(set(statement.links), key=lambda link: link[1])
        statement.designations = _designations(graph, vocabulary, span, quote, roles)
        statement.principles = sorted({top for item, *_ in statement.links
                                       if (top := _top(vocabulary, item))})
        found[span] = statement
    return sorted(found.values(), key=lambda s: (s.line, s.start or 0, s.quote))


# ------------------------------------------------------------------------- applying

@dataclass
class Outcome:
    """What applying a file did: the corrections applied, and a warning (naming the file
    and entry) for each that matches no statement any more."""

    applied: list[Correction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Editor:
    """Applies corrections to one document's graph."""

    def __init__(self, graph: Graph, vocabulary: Graph, where: str) -> None:
        self.graph, self.vocabulary, self.where = graph, vocabulary, where
        self.doc = _document(graph)
        self.roles = _roles(vocabulary)
        council = graph.value(self.doc, GOVKG.council)
        slug = vocabulary.value(council, GOVKG.slug) if council is not None else None
        self.council = council
        self.council_slug = str(slug) if slug else str(council).rsplit("/", 1)[-1]
        self.edition = graph.value(self.doc, GOVKG.followsFramework) or \
            URIRef(str(ID) + "framework/cipfa-solace-2016")

    # -- finding the statement

    def spans(self, c: Correction) -> list[URIRef]:
        """The spans a correction names: its quote at its position (else its line), or,
        when the document moved it, its quote wherever it is alone."""
        g = self.graph
        same_quote = [s for s in g.subjects(RDF.type, OA.SpecificResource)
                      if isinstance(s, URIRef) and any(
                          str(q) == c.quote for sel in g.objects(s, OA.hasSelector)
                          for q in g.objects(sel, OA.exact))]
        def at(span: URIRef) -> bool:
            starts = [int(str(v)) for sel in g.objects(span, OA.hasSelector)
                      for v in g.objects(sel, OA.start)]
            if c.start is not None and starts:
                return c.start in starts
            return c.line is None or int(g.value(span, GOVKG.startLine) or 0) == c.line

        exact = [s for s in same_quote if at(s)]
        return exact or (same_quote if len(same_quote) == 1 else [])

    # -- the record of the decision

    def activity(self, c: Correction, span: URIRef, comment: str) -> URIRef:
        g = self.graph
        key = f"{c.action}|{c.start}|{c.line}|{c.quote}|{c.items}|{c.post}|{c.role}"
        doc_id = str(self.doc).rsplit("/", 1)[-1]
        node = ID[f"document/{doc_id}/correction/{hashlib.sha1(key.encode()).hexdigest()[:12]}"]
        person = ID[f"person/{slugify(c.officer) or 'x'}"]
        g.add((person, RDF.type, PROV.Person))
        g.add((person, RDFS.label, Literal(c.officer)))
        g.add((node, RDF.type, PROV.Activity))
        g.add((node, RDF.type, GOVKG.Correction))
        g.add((node, GOVKG.correctionAction, Literal(c.action)))
        g.add((node, RDFS.label, Literal(comment, lang="en")))
        g.add((node, PROV.wasAssociatedWith, person))
        g.add((node, PROV.endedAtTime, Literal(c.decided.isoformat(), datatype=XSD.dateTime)))
        g.add((node, PROV.used, span))
        importing = g.value(self.doc, PROV.wasGeneratedBy)
        if importing is not None:
            g.add((node, PROV.wasInformedBy, importing))
        if c.reason:
            g.add((node, RDFS.comment, Literal(c.reason, lang="en")))
        return node

    # -- removing

    def drop_link(self, owner: Node, link: Node) -> None:
        """Remove an item link, and the plain triple it qualifies when no other link of the
        owner points to the same item."""
        g = self.graph
        item = g.value(link, GOVKG.linkedItem)
        for triple in list(g.triples((link, None, None))):
            g.remove(triple)
        g.remove((owner, GOVKG.qualifiedLink, link))
        still = any(g.value(other, GOVKG.linkedItem) == item
                    for other in g.objects(owner, GOVKG.qualifiedLink))
        if item is not None and not still:
            for prop in LINK_PROPERTIES:
                g.remove((owner, prop, item))

    def drop(self, node: URIRef) -> None:
        """Remove a resource: its links, what it says and what points to it, and the direct
        responsibility triple a removed responsibility stood for."""
        g = self.graph
        if (node, RDF.type, GOVKG.ItemLink) in g:  # a link the document itself makes
            for owner in list(g.subjects(GOVKG.qualifiedLink, node)):
                self.drop_link(owner, node)
            return
        for link in list(g.objects(node, GOVKG.qualifiedLink)):
            self.drop_link(node, link)
        if (node, RDF.type, GOVKG.Responsibility) in g:
            agent, kind = g.value(node, GOVKG.agent), g.value(node, GOVKG.responsibilityKind)
            regarding = g.value(node, GOVKG.regarding)
            others = [r for r in g.subjects(GOVKG.agent, agent) if r != node
                      and (r, GOVKG.responsibilityKind, kind) in g
                      and (r, GOVKG.regarding, regarding) in g]
            prop = {RESPONSIBILITY_KIND[k]: p for k, p in RESPONSIBILITY_PROPERTIES.items()}
            if not others and kind in prop:
                g.remove((agent, prop[kind], regarding))
        g.remove((node, None, None))
        g.remove((None, None, node))

    # -- the actions

    def reject(self, c: Correction, span: URIRef) -> None:
        g = self.graph
        invalidated = []
        for post, _, role, _ in _designations(g, self.vocabulary, span, c.quote, self.roles):
            g.remove((post, ORG.role, role))
        for node in list(g.subjects(GOVKG.source, span)):
            if node == self.doc or not isinstance(node, URIRef):
                continue
            if set(g.objects(node, GOVKG.source)) - {span}:
                g.remove((node, GOVKG.source, span))
            else:
                self.drop(node)
                invalidated.append(node)
        activity = self.activity(c, span, f"{c.officer} rejected this statement")
        for node in invalidated:
            g.add((activity, PROV.invalidated, node))

    def items(self, c: Correction) -> list[URIRef]:
        found = []
        for notation in c.items:
            matches = [i for i in self.vocabulary.subjects(SKOS.notation, Literal(notation))
                       if (i, SKOS.inScheme, self.edition) in self.vocabulary]
            if not matches:
                raise DataFileError.at(self.where, c.entry_line, f"to: no item {notation!r} "
                                       f"in {_label(self.graph, self.vocabulary, self.edition)}")
            found.append(URIRef(str(matches[0])))
        return found

    def relink(self, c: Correction, span: URIRef) -> bool:
        g = self.graph
        targets = self.items(c)
        owners = [n for n in g.subjects(GOVKG.source, span) if n != self.doc
                  and isinstance(n, URIRef) and (n, RDF.type, GOVKG.ItemLink) not in g
                  and any(True for _ in g.objects(n, GOVKG.qualifiedLink))]
        if not owners:
            return False
        activity = self.activity(c, span, f"{c.officer} linked this statement to "
                                 f"{', '.join(c.items)}")
        for node in owners:
            prop = GOVKG.addresses
            for link in list(g.objects(node, GOVKG.qualifiedLink)):
                item = g.value(link, GOVKG.linkedItem)
                if (item, SKOS.inScheme, self.edition) in self.vocabulary or (
                        item, RDF.type, SKOS.Concept) in g:
                    prop = next((p for p in LINK_PROPERTIES if (node, p, item) in g), prop)
                    self.drop_link(node, link)
            for item in targets:
                link = URIRef(f"{node}/link/{hashlib.sha1(str(item).encode()).hexdigest()[:8]}")
                g.add((node, prop, item))
                g.add((node, GOVKG.qualifiedLink, link))
                g.add((link, RDF.type, GOVKG.ItemLink))
                g.add((link, GOVKG.linkedItem, item))
                g.add((link, GOVKG.linkMethod, LINK_METHOD["by-person"]))
                g.add((link, GOVKG.matchScore, decimal(100)))
                g.add((link, PROV.wasDerivedFrom, self.doc))
                g.add((link, PROV.wasGeneratedBy, activity))
                for source in list(g.objects(node, GOVKG.source)):
                    g.add((link, GOVKG.source, source))
        return True

    def role(self, c: Correction) -> URIRef | None:
        assert c.role is not None
        if c.role.strip().lower() == "none":
            return None
        found = self.roles.lookup(c.role) or next(
            (r for r in self.roles.labels.values() if str(r).rsplit("/", 1)[-1] == c.role
             or str(r) == c.role), None)
        if found is None:
            raise DataFileError.at(self.where, c.entry_line, f"role: {c.role!r} is no role "
                                   "govkg knows (a slug such as monitoring-officer, or a "
                                   "label such as Monitoring Officer, or none)")
        return found

    def designate(self, c: Correction, span: URIRef) -> bool:
        g = self.graph
        role = self.role(c)
        found = _designations(g, self.vocabulary, span, c.quote, self.roles)
        posts = [p for p in g.subjects(GOVKG.source, span) if (p, RDF.type, ORG.Post) in g]
        if c.post:
            post = COUNCIL[f"{self.council_slug}/post/{slugify(c.post)}"]
        elif found or len(posts) == 1:
            post = found[0][0] if found else URIRef(str(posts[0]))
        else:
            return False
        for old, _, old_role, _ in found:
            g.remove((old, ORG.role, old_role))
        words = f"designated {c.post or _label(g, self.vocabulary, post)} as " + (
            _label(g, self.vocabulary, role) if role is not None else "no role")
        if role is not None:
            if (post, RDF.type, ORG.Post) not in g:
                g.add((post, RDF.type, ORG.Post))
                g.add((post, SKOS.prefLabel, Literal(c.post, lang="en")))
                if self.council is not None:
                    g.add((post, ORG.postIn, self.council))
                    g.add((post, GOVKG.council, self.council))
                g.add((post, PROV.wasDerivedFrom, self.doc))
            g.add((post, ORG.role, role))
            g.add((post, GOVKG.source, span))
        self.activity(c, span, f"{c.officer} {words}")
        return True


def apply(graph: Graph, corrections: CorrectionsFile, vocabulary: Graph) -> Outcome:
    """Apply a document's corrections to its graph, in the file's order. A correction
    that no longer matches a statement is left out with a warning; one that cannot mean
    anything (an item or role that does not exist) is a :class:`DataFileError`."""
    editor = _Editor(graph, vocabulary, str(corrections.path))
    outcome = Outcome()
    for c in corrections.corrections:
        spans = editor.spans(c)
        done = False
        for span in spans:
            if c.action == "reject":
                editor.reject(c, span)
                done = True
            elif c.action == "relink":
                done = editor.relink(c, span) or done
            else:
                done = editor.designate(c, span) or done
        if done:
            outcome.applied.append(c)
        else:
            what = "matches no statement of the document any more" if not spans else (
                "names a statement with nothing to " + c.action)
            outcome.warnings.append(f"{corrections.path}:{c.entry_line}: the {c.action} "
                                    f"correction of {c.quote[:60]!r} {what}; not applied")
    return outcome


def document_sha(graph: Graph) -> str:
    """The SHA-256 of the document a graph was imported from."""
    return str(graph.value(_document(graph), GOVKG.sha256))


def find(sha256: str, source: str | Path | None, folder: Path | None) -> Path | None:
    """The corrections file of a document: beside its file, else in ``folder`` (the
    store's corrections folder) under its id."""
    candidates: Iterable[Path] = []
    if source is not None and not str(source).startswith(("http://", "https://")):
        candidates = [Path(f"{source}{SUFFIX}")]
    if folder is not None:
        candidates = [*candidates, folder / f"{sha256[:16]}.yaml"]
    return next((p for p in candidates if p.is_file()), None)


def folder_of(location: str | Path | None) -> Path | None:
    """The corrections folder a store knows: ``corrections`` inside an embedded store's
    folder (where the upload page keeps the corrections of uploaded documents); a SPARQL
    server has none."""
    if location is None or str(location).startswith(("http://", "https://")):
        return None
    return Path(location).expanduser() / "corrections"


@dataclass
class Applied:
    """The corrections file applied to one imported graph, and what it did."""

    graph: URIRef
    path: Path
    outcome: Outcome


def apply_to_import(graphs: Iterable[tuple[Graph, str | Path | None]], vocabulary: Graph, *,
                    given: Path | None = None, folder: Path | None = None) -> list[Applied]:
    """Apply each imported document's corrections to its graph: the file ``given``
    (``--corrections``) for the document it names, else the file beside the document,
    else the one in the store's ``folder``. ``graphs`` pairs each graph with the file or
    address it was read from. A ``given`` file that names none of the documents is an
    error, and so is any bad file: raised before anything is stored."""
    explicit = load(given) if given is not None else None
    done: list[Applied] = []
    for graph, source in graphs:
        sha = document_sha(graph)
        chosen: CorrectionsFile | None
        if explicit is not None and explicit.is_for(sha):
            chosen = explicit
        else:
            path = find(sha, source, folder)
            chosen = load(path) if path is not None else None
            if chosen is not None and not chosen.is_for(sha):
                raise DataFileError.at(path or "", 1, f"this file is for document "
                                       f"{chosen.document}, not {sha[:16]}")
        if chosen is not None:
            done.append(Applied(URIRef(graph.identifier), chosen.path,
                                apply(graph, chosen, vocabulary)))
    if explicit is not None and not any(a.path == explicit.path for a in done):
        raise DataFileError.at(explicit.path, 1, f"document: {explicit.document} is none of "
                               "the documents imported")
    return done
