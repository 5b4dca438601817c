"""One importer for any council's local code: document model → sections → statements →
links → graph.

The pipeline reads the document's blocks (:mod:`reading`), finds where it takes up each
framework item (:mod:`sections`), cuts what each section holds into units and classifies
them (:mod:`statements`), links each commitment to the items it addresses (by structure,
then by text, each link with its method and score) and adds it all to the document's
graph through :class:`DocumentBuilder`, so provenance is the same as every other layout's.

A council that follows principles of its own ("Openness, Integrity, Accountability") has
them kept as its own scheme, each principle mapped to the framework's core principles it
covers, with scores. What is specific to a kind of document is a :class:`KindProfile`:
the class a statement becomes and which recognisers run; G3's kinds add theirs there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from typing import ClassVar

from rapidfuzz import fuzz, utils
from rapidfuzz.distance import ScoreAlignment
from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG

from govkg.graph.documents.model import Block, BlockKind, Cell, Document, Span
from govkg.graph.errors import InputError
from govkg.graph.importers.base import Importer, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder
from govkg.graph.importers.councils import place_words
from govkg.graph.importers.cues import Cues, load_cues
from govkg.graph.importers.detect import MIN_CONFIDENCE, Detection, detect_framework
from govkg.graph.importers.duties import blank_asides, cue_at, duty_clauses
from govkg.graph.importers.linking import Gazetteer, Mention
from govkg.graph.importers.names import NamedThing, find_bodies, find_posts, find_role_assignments
from govkg.graph.importers.own_principles import OwnPrinciple, listed, named_in_sentences
from govkg.graph.importers.reading import read
from govkg.graph.importers.sections import (
    LEADING_NUMBERS,
    NOTATION,
    FrameworkItems,
    Item,
    Section,
    SectionFinder,
    TableCell,
    column_roles,
    continued_row,
    covers,
    table_rows,
)
from govkg.graph.importers.splitting import (
    JOINERS,
    WORD,
    Fragment,
    ListSplitter,
    Run,
    body_mentions,
    is_noise,
    refers_back,
)
from govkg.graph.importers.splitting import Item as SplitItem
from govkg.graph.importers.statements import (
    Classifier,
    Unit,
    agents_after,
    bodies_in,
    cell_units,
    listed_items,
    sentences,
    units_of,
)
from govkg.graph.importers.text import clean, split_run_together, strip_markup
from govkg.graph.namespaces import (
    BODY_FUNCTION,
    EVIDENCE_KIND,
    FRAMEWORK,
    GOVKG,
    ID,
    TOPIC,
    slugify,
)
from govkg.graph.vocabulary import load_reference

#: the edition a council's own principles are mapped to when the code names none
CURRENT_EDITION = FRAMEWORK["cipfa-solace-2016"]


@dataclass(frozen=True)
class LinkRecord:
    """One link of a statement, for the review: the item's number, method and score."""

    notation: str
    method: str
    score: float


@dataclass
class StatementRecord:
    """What was read from one unit, for ``--review``."""

    quote: str
    line: int
    classes: list[str]
    section: str
    links: list[LinkRecord] = field(default_factory=list)
    low_confidence: bool = False


@dataclass(frozen=True)
class KindProfile:
    """What differs between kinds of document read by the one pipeline."""

    kind: str
    statement_class: URIRef = GOVKG.Commitment
    segment: str = "commitment"
    #: a document of this kind must link at least one statement to the framework (else
    #: the import is an error that says so)
    requires_links: bool = True


LOCAL_CODE = KindProfile("local-code")

#: The kinds the pipeline reads, by name: a new kind is a profile here and a
#: ``PipelineImporter`` subclass that names it (registered in ``base.LAYOUTS``).
PROFILES: dict[str, KindProfile] = {LOCAL_CODE.kind: LOCAL_CODE}


def _lines(span: Span) -> tuple[int, int]:
    return span.line, span.end_line


class PipelineImporter(Importer):
    """The layout-independent importer (layout ``generic``)."""

    layout: ClassVar[str] = "generic"
    kind: ClassVar[str] = "local-code"
    description: ClassVar[str] = "any layout: sections found by number or wording"
    profile: ClassVar[KindProfile] = LOCAL_CODE

    def __init__(self) -> None:
        self.cues: Cues = load_cues()
        self.statements: list[StatementRecord] = []
        self.sections: list[Section] = []
        self._count = 0
        #: every (item, method, score, section) by which the document takes up an item
        self._document_links: list[tuple[Item, str, float, Section]] = []
        #: whether the table rows at each depth list evidence in their other cells
        self._rows_list_evidence: dict[int, bool] = {}
        #: the evidence the last list item continuing a row's list made
        self._last_listed: URIRef | None = None
        #: the text the council wrote itself (not the framework's wording it restates)
        self._council_texts: list[Run] = []
        #: the items the document takes up in sections of their own
        self._taken_up: set[URIRef] = set()
        #: the commitment that states the section being read (evidence under it cites it)
        self._section_node: URIRef | None = None

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        return cls.assess(doc)[0]

    @classmethod
    def assess(cls, doc: SourceDocument) -> tuple[float, str]:
        """How plainly the text is a local code, and why. The pipeline reads any layout,
        so only the kind is in question. The text's word for a code somewhere is not
        enough to be sure of it: the fit stays under the detection threshold, so without
        ``--kind`` the importer asks for it (naming this guess), and with it never
        refuses. A document that calls itself a code (its cover's title, or a sentence
        about "this code", or its opening sentence about its code) and takes up the core
        principles of the edition it names, each in a section of its own, is one: its fit
        rises with the share of the core principles found, to 0.9 for all of them; so is
        one that states principles of its own instead (0.9). A title and a sentence that
        both call the document a code are two signs of it even where the text stops
        before any principle (0.6: then nothing may be read, and the import says so)."""
        if not _CALLS_ITSELF_A_CODE.search(doc.text):
            return 0.2, "it never names a code of governance"
        document = read(doc)
        title, described = _title(document), _describes_itself(document)
        signs = [f"its title (line {title.span.line}) calls it a code"] if title else []
        if described is not None:
            signs.append(f"line {described.span.line} calls the document itself a code")
        if not signs:
            return 0.45, ("it names a code of governance, but neither its title nor a "
                          "sentence calls the document itself one")
        share, taken_up = _principles_taken_up(doc, document)
        if share:
            return round(0.45 + 0.45 * share, 2), "; ".join([*signs, taken_up])
        if title is not None and described is not None:
            return 0.6, "; ".join([*signs, "it takes up no principle"])
        return 0.45, "; ".join([*signs, "but it takes up no principle"])

    # ------------------------------------------------------------------ the pipeline

    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        document = read(doc)
        self.builder = builder
        describe(document, builder)
        self.classifier = Classifier(self.cues, builder.gazetteers)
        self.splitter = ListSplitter(builder.gazetteers,
                                     Counter(w.lower() for w in re.findall(r"[A-Za-z]+", doc.text)),
                                     place_words(builder.context.council_label))
        framework = builder.context.framework
        # without a stated edition, a council's own principles are mapped to the current one
        self.items = items = FrameworkItems(builder.vocabulary, framework or CURRENT_EDITION)
        in_sections: set[int] = set()
        blocks = list(document.blocks)
        if framework is not None:
            finder = SectionFinder(items, self.cues)
            self.sections = finder.find(document)
            self._taken_up = {i for s in self.sections if not s.enumerated
                              for i in [s.item.iri, *(u.iri for u in items.under(s.item.iri))]}
            blocks = finder.blocks
            for section in self.sections:
                self.read_section(section)
                in_sections.update(id(b) for b in section.content)
                in_sections.add(id(section.block))
            self.state_unstated_headings()
            self.link_document()
        outside = [unit for block in blocks if id(block) not in in_sections
                   for unit in units_of(block, self.cues)]
        # a code read against the framework's items follows the framework, not its own
        own = [] if self.sections else (listed(blocks, self.cues, in_sections)
                                        or named_in_sentences(outside, self.cues))
        if own:
            self.own_scheme(own)
        for unit in outside:
            self.read_unit(unit, None)
        self.lead_ins(list(document.blocks))
        self.cover_roles(document)
        self.name_bodies()
        self.name_posts()

    def name_posts(self) -> None:
        """Every post the council names in its own text by a specific title ("Head of
        Democratic Services", "Director of Corporate Resources"); a title with a role's
        name in it ("Head of Internal Audit & Counter Fraud Hub") is that role, as the text
        uses it, unless the text says a post holds it."""
        builder = self.builder
        roles = builder.gazetteers.roles
        for run in self._council_texts:
            for post in find_posts(run.text):
                if not _SPECIFIC_TITLE.match(post.name) or roles.mentions(post.name):
                    continue
                for piece in run.spans(post.start, post.end)[:1]:
                    builder.post(post.name, (piece.line, piece.line), piece.text)

    def cover_roles(self, document: Document) -> None:
        """A cover's table of labelled values that names a role and the post holding it
        ("Lead Officer: Director of Resources and Democracy"): the post holds that role for
        this document, and is responsible for it."""
        builder = self.builder
        roles = builder.gazetteers.roles
        for block in document.blocks[:_COVER_BLOCKS]:
            for row in block.rows:
                if len(row.cells) != 2 or not row.cells[0].text.endswith(":"):
                    continue
                role = roles.lookup(row.cells[0].text.rstrip(": "))
                post = " ".join(row.cells[1].text.split())
                if role is None or [p.name for p in find_posts(post)] != [post]:
                    continue
                lines = _lines(row.span)
                quote = builder.doc.text[row.span.start:row.span.end] if _quotable(
                    builder.doc, row.span) else None
                node = builder.post(post, lines, quote)
                builder.assign_role(node, role, lines, quote)
                self.responsible(node, "responsible-for", builder.doc.iri, lines, quote)

    def lead_ins(self, blocks: list[Block]) -> None:
        """A sentence that names who will do something and ends in a colon ("... the
        Director of Law (Monitoring Officer), in conjunction with ..., with advice from
        ..., will:") followed by list items: each item is a duty of those named (not of
        those who only advise), of the kind the lead-in's last cue gives ("will have
        responsibility for providing assurance ... in respect of:" monitors) or the
        item's own ("The approval of ..."), until an item that holds sentences of its own.
        """
        builder = self.builder
        for index, block in enumerate(blocks):
            if block.kind is not BlockKind.PARAGRAPH or not _LEAD_IN.search(block.text):
                continue
            lead = list(sentences(block.text, block.span, self.cues))[-1]
            lines = _lines(lead.span)
            quote = lead.text if _quotable(builder.doc, lead.span) else None
            agents = self.lead_in_agents(lead.text, lines, quote)
            cues = [(m.start(), cue.kind) for cue in (*self.cues.duties,
                                                      *self.cues.responsibilities)
                    for m in cue.pattern.finditer(_ADVISERS.split(lead.text, maxsplit=1)[0])]
            kind = max(cues)[1] if cues else "responsible-for"
            for item in blocks[index + 1:]:
                what = clean(item.text)
                if item.kind is not BlockKind.LIST_ITEM or _SENTENCE_WITHIN.search(what):
                    break
                own = cue_at(what, 0, self.cues)
                item_kind, what = (own[0], what[own[1].end():]) if own else (kind, what)
                item_quote = item.text if _quotable(builder.doc, item.span) else None
                for regarding in self.regarding_of(item_kind, what, _lines(item.span),
                                                   documents=True):
                    for agent in agents:
                        node = self.responsible(agent, item_kind, regarding, lines,
                                                      quote)
                        builder.cite(node, _lines(item.span), item_quote)

    def lead_in_agents(self, text: str, lines: tuple[int, int],
                       quote: str | None) -> list[URIRef]:
        """The posts, bodies and roles a lead-in names as doing what follows: a post the
        text pairs with a role is that post; those named after "with advice from" only
        advise."""
        builder = self.builder
        text = _ADVISERS.split(text, maxsplit=1)[0]
        roles = builder.gazetteers.roles
        assignments = find_role_assignments(text, roles)
        taken = [(a.start, a.end) for a in assignments]
        found: list[tuple[int, URIRef]] = [
            (a.start, builder.post(a.post, lines, quote)) for a in assignments]
        named: list[tuple[int, int, URIRef | NamedThing]] = [
            *((m.start, m.end, m.concept) for m in roles.mentions(text)),
            *((b.start, b.end, b) for b in find_bodies(text)),
            *((p.start, p.end, p) for p in find_posts(text))]
        for start, end, agent in named:
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                found.append((start, self.agent_node(agent, lines, quote)))
        return list(dict.fromkeys(agent for _, agent in sorted(found, key=lambda f: f[0])))

    def name_bodies(self) -> None:
        """Every body the council names in its own text, one resource per body however
        it is written (a shorter name whose words all stand in a longer one of the same
        kind is that body); a named partnership is a body the council takes part in, not
        one of its units, and one the text calls "former" or says the council is "a member
        of" is not the council's at all. Text that restates the framework (a section's wording, a
        statement numbered as a framework item) names the framework's bodies, not the
        council's, and is not searched."""
        builder = self.builder
        mentions = [(run, found) for run in self._council_texts
                    for found in body_mentions(builder.gazetteers.functions, run.text)]
        names = {name for _, (_, _, name) in mentions}
        canonical = {}
        for name in names:
            words = set(name.split())
            wider = [n for n in names if n != name and words < set(n.split())
                     and n.split()[-1] == name.split()[-1] and len(words) > 1]
            canonical[name] = max(wider, key=len) if wider else name
        for run, (start, end, name) in mentions:
            pieces = run.spans(start, end)
            if not pieces or _NOT_OURS.search(run.text[:start]):
                continue
            node = builder.body(canonical[name], (pieces[0].line, pieces[0].line),
                                pieces[0].text, of_council=_of_council(canonical[name]))
            for piece in pieces[1:]:
                builder.cite(node, (piece.line, piece.line), piece.text)

    def state_wording(self, section: Section) -> URIRef:
        """The commitment a section's wording states, linked to its item (and to the
        items that share the wording, and the enclosing section's item)."""
        builder = self.builder
        unit = Unit(section.wording, _wording_span(section))
        self._count += 1
        # a wording over several lines ("Developing / the capability / ...") quotes each
        # line's words exactly, as a wrapped item does
        pieces = [(unit.span.line + n, line.strip()) for n, line in enumerate(
            builder.doc.text[unit.span.start:unit.span.end].split("\n")) if line.strip()]
        node = builder.resource(self.profile.segment, f"{section.item.notation}-{self._count}",
                                self.profile.statement_class, (pieces[0][0], pieces[0][0]),
                                pieces[0][1], unit.label)
        for line, text in pieces[1:]:
            builder.cite(node, (line, line), text)
        builder.link(node, section.item.iri, section.method, section.score)
        for other in self.items.sharing(section.item, section.wording,
                                        self.cues.threshold("section_wording")):
            builder.link(node, other.iri, "by-text", section.score)
            if not section.cells:  # a row's items are the row's (see read_section)
                self._document_links.append((other, "by-text", section.score, section))
        record = StatementRecord(unit.text, unit.span.line, [self.profile.segment],
                                 section.item.notation,
                                 [LinkRecord(section.item.notation, section.method,
                                             section.score)])
        record.low_confidence = section.score < self.cues.threshold("low_confidence")
        self.statements.append(record)
        parent = section.parent
        if parent is not None:
            builder.link(node, parent.iri, "by-structure", 100.0)
            record.links.append(LinkRecord(parent.notation, "by-structure", 100.0))
        return node

    def read_section(self, section: Section) -> None:
        """The section's own wording (the council's statement of the item) and the units
        of the blocks it holds. A heading's wording is the council's statement only where
        nothing under it states anything (a code that lists the principles it follows)."""
        node = self.state_wording(section) if _states(section, self._taken_up) else None
        self._section_node = node
        if section.named:  # the items under it that the table's first column names
            named = utils.default_process(" ".join(cell.text for cell in section.named))
            for child, score in self.named_within(section.item, named):
                self._document_links.append((child, "by-text", score, section))
        self.read_cells(section, node, section.cells)
        # a row whose other cells list evidence: the list items after it are the rest of
        # that list, which a page break turned into bullets; so are those under a row of
        # the same level that a page break left without its table
        depth = section.item.depth
        if section.cells:
            self._rows_list_evidence[depth] = all(c.role == "evidence" for c in section.cells)
        elif depth == 0:
            self._rows_list_evidence = {}  # a principle's section: its tables start afresh
        lists_evidence = node is not None and self._rows_list_evidence.get(depth, False)
        if section.headed or not (section.cells or lists_evidence):
            # the document takes up the items of its headings and lists; an item a table
            # row states (or a row a page break cut from its table) is its row's
            self._document_links.append((section.item, section.method, section.score,
                                         section))
        # tables whose columns say what they hold, read row by row; consecutive ones are
        # one table a page break cut (read together, so a row's parts stay one row)
        pending: list[list[TableCell]] = []
        columns: list[str] = []  # the roles of the columns of the table read last
        framework_text = False  # inside the framework's text the code reproduces
        content = section.content
        for index, block in enumerate(content):
            framework_text = block.kind is BlockKind.PARAGRAPH and (
                framework_text or bool(self.cues.framework_paragraph.search(block.text)))
            if framework_text:
                continue  # the framework's own text (and its next paragraphs): not the council's
            following = content[index + 1] if index + 1 < len(content) else None
            if block.kind is BlockKind.TABLE and self.roles_table(block):
                self.read_roles_table(block)
                continue
            if (following is not None and block.kind is not BlockKind.TABLE
                    and self.roles_table(following) and not block.text.rstrip().endswith(".")):
                continue  # a roles table's title
            if (block.kind is BlockKind.PARAGRAPH and block.text[:1].islower()
                    and self._last_listed is not None):
                # a page break cut the last item listed: the rest of it
                self.builder.cite(self._last_listed, _lines(block.span))
                continue
            if block.kind is BlockKind.TABLE:
                rows = table_rows(block, self.cues)
                if rows is None and pending:
                    # the rest of the last row, which a page break cut off: that row
                    pending[-1] = pending[-1] + continued_row(block, pending[-1], columns)
                    continue
                if rows is not None:
                    columns = column_roles(block, self.cues)[1]
                    pending += rows
                    continue
            self.read_rows(section, node, pending)
            pending = []
            if lists_evidence and block.kind is BlockKind.LIST_ITEM:
                self.listed_evidence(block, node)
                continue
            for unit in units_of(block, self.cues):
                self.read_unit(unit, section)
        self.read_rows(section, node, pending)

    def named_within(self, item: Item, named: str) -> list[tuple[Item, float]]:
        """The items one level under ``item`` that ``named`` (a first column that states
        the item and then the items under it, run together) names, with their scores.

        An item's wording found within the text names it. One the column paraphrases more
        loosely is sought again where it must stand, the columns keeping the framework's
        order: between the places of its neighbours that were found (and after the item's
        own wording), so that the rest of the column's text does not dilute it."""
        threshold = self.cues.threshold("named_within")
        children = sorted((c for c in self.items.under(item.iri) if c.depth == item.depth + 1),
                          key=lambda c: _notation_key(c.notation))

        def best(candidate: Item, text: str) -> ScoreAlignment:
            found = [a for label in candidate.labels
                     if (a := fuzz.partial_ratio_alignment(utils.default_process(label), text))]
            return max(found, key=lambda a: a.score, default=ScoreAlignment(0.0, 0, 0, 0, 0))

        places = {c.iri: best(c, named) for c in children}
        found = {c.iri: places[c.iri] for c in children if places[c.iri].score >= threshold}
        own = best(item, named)
        floor = own.dest_end if own.score >= threshold else 0
        for index, child in enumerate(children):
            if child.iri in found:
                continue
            before = [found[c.iri].dest_end for c in children[:index] if c.iri in found]
            after = [found[c.iri].dest_start for c in children[index + 1:] if c.iri in found]
            begin, end = max([floor, *before]), min([len(named), *after])
            if end - begin >= 20:
                again = best(child, named[begin:end])
                if again.score >= threshold:
                    found[child.iri] = again
        return [(c, round(found[c.iri].score, 1)) for c in children if c.iri in found]

    def roles_table(self, block: Block) -> bool:
        """A table of who does what: most of its rows open with a body, a post or a role
        (and it names no columns that hold statements or evidence)."""
        if block.kind is not BlockKind.TABLE or not block.rows or table_rows(
                block, self.cues) is not None:
            return False
        roles = self.builder.gazetteers.roles
        firsts = [" ".join(row.cells[0].text.split()) for row in block.rows if row.cells]
        agents = [f for f in firsts if f and (
            roles.lookup(f) is not None or _is_body(f)
            or [p.name for p in find_posts(f)] == [f]
            or [b.name for b in find_bodies(f)] == [f])]
        return len(firsts) >= 3 and len(agents) * 3 >= len(firsts) * 2

    def read_roles_table(self, block: Block) -> None:
        """A table of roles states who does what, not what the council commits to: its
        sentences are read for responsibilities and designations only, and each row's
        duties (clauses with no subject of their own, or the row's name as subject) are
        those of the body, post or role its first cell names (:mod:`duties`)."""
        for unit in units_of(block, self.cues):
            self.read_unit(unit, None)
        names = [" ".join(row.cells[0].text.split()) for row in block.rows if row.cells]
        for row in block.rows:
            if len(row.cells) < 2 or not row.cells[0].text.strip():
                continue
            name = _THE.sub("", " ".join(row.cells[0].text.split()))
            description = " ".join(" ".join(c.text.split()) for c in row.cells[1:])
            agent = self.row_agent(row.cells[0], name, description,
                                   [n for n in names if _THE.sub("", n) != name])
            for cell in row.cells[1:]:
                for unit in sentences(cell.text, cell.span, self.cues):
                    self.row_duties(unit, name, agent)

    def row_agent(self, cell: Cell, name: str, description: str,
                  others: list[str]) -> URIRef:
        """The agent a roles-table row names: a role is the post the row says holds it
        ("The Managing Director (as Head of Paid Service)"), else the role itself; a body
        has the functions its name and its description state (other bodies', posts' and
        roles' names in the description left out)."""
        builder = self.builder
        lines, quote = _lines(cell.span), cell.text if _quotable(builder.doc, cell.span) else None
        roles = builder.gazetteers.roles
        role = roles.lookup(name)
        if role is not None:
            held = [a.post for a in find_role_assignments(description, roles) if a.role == role]
            return builder.post(held[0], lines, quote) if held else role
        blanked = blank_asides(description)
        head = name.split()[-1].lower().rstrip("s")
        named = [*(m.label for m in roles.mentions(description)),
                 *(p.name for p in find_posts(description)), *others,
                 *(b.name for b in find_bodies(description)
                   if b.name.split()[-1].lower().rstrip("s") != head)]
        for other in sorted(named, key=len, reverse=True):
            blanked = re.sub(rf"\b{re.escape(other)}\b", " ", blanked, flags=re.IGNORECASE)
        functions = builder.gazetteers.functions.concepts(blanked)
        return self.agent_node(NamedThing(name, 0, len(name)), lines, quote, functions)

    def row_duties(self, unit: Unit, name: str, agent: URIRef) -> None:
        """The duties one sentence of a roles-table row states of the row's agent, and the
        documents it says someone approves ("the Parking Strategy approved by the Borough
        Council")."""
        builder = self.builder
        lines = _lines(unit.span)
        quote = unit.text if _quotable(builder.doc, unit.span) else None
        for clause in duty_clauses(unit.text, [name], self.cues):
            for regarding in self.regarding_of(clause.kind, clause.text, lines):
                self.responsible(agent, clause.kind, regarding, lines, quote)
        text = blank_asides(unit.text)
        for cue in self.cues.responsibilities_by:
            if cue.regarding != "item":
                continue
            for phrase in cue.pattern.finditer(text):
                documents = builder.gazetteers.evidence_kinds.mentions(text[:phrase.start()])
                if not documents or text[documents[-1].end:phrase.start()].strip():
                    continue  # approved, but not a document named straight before
                agents = agents_after(text, phrase.end(), builder.gazetteers)
                if not agents and (whole := _COUNCIL_AFTER.match(text, phrase.end())):
                    agents = [NamedThing(whole.group(1), 0, 0)]
                for found in agents:
                    node = self.agent_node(found, lines, quote)
                    self.responsible(node, cue.kind, self.document(documents[-1], lines),
                                           lines, quote)

    def regarding_of(self, kind: str, what: str, lines: tuple[int, int], *,
                     documents: bool = False) -> list[URIRef]:
        """What a duty regards: this code where it names the code; for approving and
        signing (or any duty, with ``documents``: an item that says what someone will
        do), the documents it names first (as evidence of their kind); else the
        governance topics it names."""
        builder = self.builder
        kinds = builder.gazetteers.evidence_kinds.concepts(what)
        if _LOCAL_CODE in kinds or _THIS_DOCUMENT.search(what):
            return [builder.doc.iri]
        if (documents or kind in ("approves", "signs")) and kinds:
            return [self.document(m, lines) for m in self.objects(what)]
        return builder.gazetteers.topics.concepts(what)

    def objects(self, what: str) -> list[Mention]:
        """The documents ``what`` names first, by kind: the first one named, and those
        joined to it by "and" or commas ("the Parking Strategy and Allotments
        Policy", not "the Policy to accompany the Strategy")."""
        mentions = self.builder.gazetteers.evidence_kinds.mentions(what)
        found = mentions[:1]
        for mention in mentions[1:]:
            if not re.fullmatch(r"\s*(?:,|and|&)\s*(?:(?:the|its|our)\s+)?",
                                what[found[-1].end:mention.start], re.IGNORECASE):
                break
            found.append(mention)
        return list({m.concept: m for m in reversed(found)}.values())[::-1]

    def document(self, mention: Mention, lines: tuple[int, int]) -> URIRef:
        """A document someone approves or signs, as evidence (of the kind its name says),
        labelled and quoted as the text names it."""
        return self.builder.evidence(mention.label, lines, mention.label)

    def listed_evidence(self, block: Block, node: URIRef | None) -> None:
        """A list item that goes on listing a row's evidence: one evidence item, cited
        by the row; an item indented under another belongs to it (it lists what the one
        above holds)."""
        builder = self.builder
        if block.level > 0 and self._last_listed is not None:
            builder.cite(self._last_listed, _lines(block.span),
                         block.text if _quotable(builder.doc, block.span) else None)
            return
        label = clean(block.text)
        if not label:
            return
        self._council_texts.append(_run_of(Unit(block.text, block.span), builder.doc))
        evidence = builder.evidence(label, _lines(block.span),
                                    block.text if _quotable(builder.doc, block.span) else None)
        if node is not None:
            builder.graph.add((node, GOVKG.citesEvidence, evidence))
        self._last_listed = evidence
        self.statements.append(StatementRecord(block.text, block.span.line, ["evidence"], ""))

    def read_rows(self, section: Section, node: URIRef | None,
                  rows: list[list[TableCell]]) -> None:
        """Rows of tables read together: each row's cells numbered as one row."""
        self.read_cells(section, node, [replace(cell, row=number)
                                        for number, row in enumerate(rows) for cell in row])

    def state_unstated_headings(self) -> None:
        """A heading's wording is the council's statement of its item where nothing in
        the document states that item or anything under it (a code that only lists the
        principles it follows, one heading each)."""
        graph = self.builder.graph
        stated = {item for commitment in graph.subjects(RDF.type, self.profile.statement_class)
                  for item in graph.objects(commitment, GOVKG.addresses)}
        for section in self.sections:
            if not (section.headed and section.wording and not section.enumerated):
                continue
            under = {section.item.iri, *(i.iri for i in self.items.under(section.item.iri))}
            if not under & stated:
                self.state_wording(section)
                stated.add(section.item.iri)

    def link_document(self) -> None:
        """The document addresses each item it takes up, once, cited where it does so
        most plainly: a section that words the item and is not one of a list of the
        items (contents, "the principles are:"), by number before by text, the first such;
        failing that, the first section that names it at all."""
        chosen: dict[URIRef, tuple[tuple[int, ...], Item, str, float, Section]] = {}
        for order, (item, method, score, section) in enumerate(self._document_links):
            rank = (section.enumerated, not section.wording, method != "by-number", order)
            if item.iri not in chosen or rank < chosen[item.iri][0]:
                chosen[item.iri] = (rank, item, method, score, section)
        for _, item, method, score, section in chosen.values():
            self.builder.link(self.builder.doc.iri, item.iri, method, score,
                              lines=_lines(section.span))

    def read_cells(self, section: Section, section_node: URIRef | None,
                   section_cells: list[TableCell]) -> None:
        """Table cells, row by row: the statements of a row's statement columns, then the
        evidence its evidence columns list (cited by the row's commitments) and the
        further work it lists (kept with them). A statement that opens with an item's
        number runs to the end of its row's statement cells: the number scopes it."""
        builder = self.builder
        rows: dict[int, list[TableCell]] = {}
        for cell in section_cells:
            rows.setdefault(cell.row, []).append(cell)
        for cells in rows.values():
            statements = [cell for cell in cells if cell.role == "statement"]
            pieces: list[tuple[Unit, list[tuple[Item, float]] | None]] = []
            if statements and LEADING_NUMBERS.match(statements[0].text):
                pieces = [(_numbered_unit(statements), None)]
            elif len({cell.span.line for cell in statements}) > 1:
                # a row the layout broke over several lines: its statements run on
                # from line to line, so they are cut where each paraphrase begins
                joined = _Joined(statements)
                pieces = self.cut_by_alignment(joined.unit, section.item, joined.span)
                if pieces[0][1] is None:
                    pieces = []
            if not pieces:
                pieces = [piece for cell in statements
                          for unit in self.cell_statements(cell)
                          for piece in self.cut_by_alignment(unit, section.item)]
            made = []
            for piece, aligned in pieces:
                if (node := self.read_unit(piece, section, aligned)) is not None:
                    made.append(node)
            citing = made or ([section_node] if section_node is not None else [])
            for role in ("evidence", "further-work"):
                listing = [cell for cell in cells if cell.role == role]
                marks = _BULLETED if role == "evidence" else _BULLETED_PROSE
                sublisted = [cell for cell in listing if _opens_sublist(cell.text)]
                bulleted = [cell for cell in listing
                            if marks.search(cell.text) and cell not in sublisted]
                units = [unit for cell in bulleted
                         for unit in listed_items(cell.text, cell.span,
                                                  builder.gazetteers.evidence_kinds,
                                                  self.cues.max_evidence_words)]
                items: list[tuple[SplitItem, int | None]] = [
                    (_item_of(unit, builder.doc), None) for unit in units]
                items += [(item, None) for item in self.split_items(
                    [c for c in listing if c not in bulleted and c not in sublisted],
                    prose=role == "further-work")]
                for cell in sublisted:
                    items += [(item, None if part_of is None else part_of + len(items))
                              for item, part_of in self.sublist_items(cell)]
                seen: dict[str, URIRef] = {}
                nodes: list[URIRef | None] = []
                above: list[URIRef] = []  # the evidence of the row so far
                for item, part_of in items:
                    listed = role == "evidence" and self._listed_name(item.text)
                    if not listed:  # a name listed as evidence is not one of its bodies
                        self._council_texts.append(Run(item.pieces))
                    nodes.append(None)
                    if role == "evidence":
                        nodes[-1] = node = self.cite_item(item, citing, above, listed=listed)
                        if node is not None:
                            above.append(node)
                        heading = nodes[part_of] if part_of is not None else None
                        if node is not None and heading is not None:
                            builder.graph.add((node, DCTERMS.isPartOf, heading))
                    elif made:
                        self.further_work(item, made, section, seen)
                    self.statements.append(StatementRecord(
                        item.text, item.lines[0], [role], section.item.notation))
                if role == "evidence":
                    self.holders_responsible([p for p, _ in pieces], [i for i, _ in items], made)

    def holders_responsible(self, statements: list[Unit], items: list[SplitItem],
                            made: list[URIRef]) -> None:
        """A requirement that makes a senior officer responsible for something ("Make
        the chief executive ... responsible ... for ..."), met in its row by naming the
        post that holds a statutory role: that post is responsible for it (the topic its
        wording names after "for", else the items the row addresses)."""
        builder = self.builder
        holders = [(a.post, item.pieces[0]) for item in items
                   for a in find_role_assignments(item.text, builder.gazetteers.roles)
                   if str(a.role).endswith(_STATUTORY)]
        if not holders:
            return
        addressed = list(dict.fromkeys(i for c in made
                                       for i in builder.graph.objects(c, GOVKG.addresses)))
        for unit in statements:
            found = self.cues.made_responsible.search(unit.text)
            if found is None:
                continue
            regarding = builder.gazetteers.topics.concepts(unit.text[found.end():])[:1]
            lines = (unit.span.line, unit.span.line)
            quote = unit.text if _quotable(builder.doc, unit.span) else None
            for name, piece in dict.fromkeys(holders):
                post = builder.post(name, (piece.line, piece.line), piece.text)
                for target in regarding or addressed:
                    self.responsible(post, "responsible-for", target, lines, quote)

    def cell_statements(self, cell: TableCell) -> list[Unit]:
        """A cell's sentences, a sentence that points back at the one before it ("Such
        values must ...") kept with it: it states more of the same commitment."""
        units: list[Unit] = []
        for unit in cell_units(cell.text, cell.span, self.cues):
            previous = units[-1] if units else None
            if (previous is not None and previous.span.end_line == unit.span.line
                    and refers_back(previous.text, unit.text)):
                span = replace(previous.span, end=unit.span.end, end_line=unit.span.end_line)
                units[-1] = Unit(self.builder.doc.text[span.start:span.end], span)
            else:
                units.append(unit)
        return units

    def cut_by_alignment(self, unit: Unit, item: Item,
                         place: Callable[[int, int], Span] | None = None,
                         ) -> list[tuple[Unit, list[tuple[Item, float]] | None]]:
        """A statement several times longer than the wording of the items under its
        section, with no punctuation between the statements run together in it: cut
        where each item's paraphrase begins (its best alignment with the text, moved to
        the capitalised word that opens it), each piece linked to the items whose
        paraphrase it holds. Anything else is one piece, linked as usual."""
        targets = [i for i in self.items.under(item.iri) if not self.items.under(i.iri)]
        lengths = sorted(len(label) for t in targets for label in t.labels)
        text = unit.text
        if len(targets) < 2 or not lengths or len(text) < 3 * lengths[len(lengths) // 2]:
            return [(unit, None)]
        plain = re.sub(r"[^0-9a-z]", " ", text.lower())
        threshold = self.cues.threshold("statement_alignment")
        starts: dict[int, list[tuple[Item, float]]] = {}

        def align(target: Item, within: str) -> ScoreAlignment:
            return max((fuzz.partial_ratio_alignment(re.sub(r"[^0-9a-z]", " ", label.lower()),
                                                     within) for label in target.labels),
                       key=lambda a: a.score)

        found = sorted(((align(target, plain), target) for target in targets),
                       key=lambda pair: -pair[0].score)
        claimed: list[tuple[int, int]] = []
        for best, target in found:
            if best.score < threshold:
                continue
            at, score = best.dest_start, best.score
            if _opening(text, at) in starts:
                # the place is another item's, which matched it better: this item's own
                # paraphrase, if the text holds one, lies between what others have taken
                for begin, end in _gaps(claimed, len(plain)):
                    again = align(target, plain[begin:end])
                    if (again.score >= threshold and again.score > 0
                            and _opening(text, begin + again.dest_start) not in starts):
                        at, score = begin + again.dest_start, again.score
                        break
            claimed.append((best.dest_start, best.dest_end) if at == best.dest_start
                           else (at, at + len(plain)))
            starts.setdefault(_opening(text, at), []).append((target, round(score, 1)))
        cuts: list[int] = []
        for start in sorted(starts):
            if cuts and text[start].islower():
                # no statement opens in lower case: the paraphrase found there goes on
                # the statement before, which addresses both items
                starts[cuts[-1]] += starts.pop(start)
            else:
                cuts.append(start)
        if len(cuts) < 2:
            return [(unit, None)]
        pieces = []
        for index, start in enumerate(cuts):
            begin = 0 if index == 0 else start
            end = cuts[index + 1] if index + 1 < len(cuts) else len(text)
            raw = text[begin:end]
            lead = len(raw) - len(raw.lstrip())
            piece = raw.strip()
            if place is not None:  # ``unit`` joins text from several places
                span = place(begin + lead, begin + lead + len(piece))
            else:
                first = unit.span.start + begin + lead
                span = Span(first, first + len(piece), unit.span.line, unit.span.line,
                            unit.span.page)
            pieces.append((Unit(piece, span, paraphrase=True), starts[start]))
        return pieces

    def split_items(self, cells: list[TableCell], *, prose: bool) -> list[SplitItem]:
        """The items of a column's cells in one row, their lines joined where one goes
        on from the other and split where items were run together (:mod:`splitting`)."""
        doc = self.builder.doc
        fragments = []
        for cell in cells:
            position = cell.span.start
            for line in doc.text[cell.span.start:cell.span.end].split("\n"):
                line_start = doc.text.rfind("\n", 0, position) + 1
                number = doc.line_at(position)
                fragments.append(Fragment(number, position - line_start, line))
                position += len(line) + 1
        return self.fragment_items(fragments, prose=prose)

    def fragment_items(self, fragments: list[Fragment], *, prose: bool) -> list[SplitItem]:
        """The items of a column's text pieces: pieces extraction ran together are parted,
        debris dropped, lines joined where one goes on from the other, and run-together
        items split (:mod:`splitting`)."""
        parted = []
        for fragment in fragments:
            at = 0
            for piece in split_run_together(fragment.text):
                at = fragment.text.index(piece, at)
                if not is_noise(piece):
                    parted.append(fragment.part(at, at + len(piece)))
                at += len(piece)
        return [item for group in self.splitter.join(parted)
                for item in self.splitter.split(Run(group), prose=prose)]

    def cite_item(self, item: SplitItem, citing: list[URIRef], above: list[URIRef], *,
                  listed: bool = False) -> URIRef | None:
        """An evidence item, cited by the row's commitments (the evidence made, if any);
        an item that only names a body, post or role (or says which post holds a role) is
        no evidence of its own, but a post it says holds a role is recorded. ``above``: the
        row's evidence so far, which what the item says is done may refer back to.
        ``listed``: the item names only what is not shown to be the council's body or post
        (see :meth:`_listed_name`), so it stays the evidence the column lists."""
        builder = self.builder
        lines = item.lines
        for assignment in find_role_assignments(item.text, builder.gazetteers.roles):
            if str(assignment.role).endswith(_STATUTORY):
                post = builder.post(assignment.post, lines, item.pieces[0].text)
                builder.assign_role(post, assignment.role, lines, item.pieces[0].text)
        if not listed and _names_only(item.text, builder.gazetteers.roles):
            title = item.evidence_label
            if (builder.gazetteers.roles.lookup(title) is None
                    and [p.name for p in find_posts(title)] == [title]):
                # a post listed on its own as an arrangement the council has
                builder.post(title, lines, item.pieces[0].text)
            self.done_to(item, None, citing, above)  # "Audit Committee (responsibility)"
            return None
        node = builder.evidence(self.evidence_label(item), lines, item.pieces[0].text)
        self._last_listed = node
        self.done_to(item, node, citing, above)
        for piece in item.pieces[1:]:
            builder.cite(node, (piece.line, piece.line), piece.text)
        for commitment in citing:
            builder.graph.add((commitment, GOVKG.citesEvidence, node))
        return node

    def evidence_label(self, item: SplitItem) -> str:
        """An evidence item's label: without a leading article where what follows names a
        kind of evidence ("The Constitution" is the Constitution), with it where the
        article is part of a proper name ("The Anytown Show")."""
        bare = item.evidence_label
        if bare != item.label and not self.builder.gazetteers.evidence_kinds.mentions(bare):
            return item.label
        return bare

    def _listed_name(self, text: str) -> bool:
        """Whether an evidence item names only bodies whose function neither their names
        nor the text states ("Anytown Assembly" in a Policies/Plans column): the column lists it
        as an arrangement, and nothing says it is one of the council's bodies (a name whose
        function the body-function scheme knows, "Standards Committee", is that body). So
        is a post's title made of the council's own name alone ("Anytown Manager"): a post's
        title says what it does, so that one names a programme, not a post."""
        gazetteers = self.builder.gazetteers
        if _brand(text, self.builder.context.council_label):
            return True
        bodies = body_mentions(gazetteers.functions, text)
        return (bool(bodies) and _names_only(text, gazetteers.roles)
                and not gazetteers.roles.mentions(text) and not find_posts(text)
                and not any(gazetteers.functions.concepts(name) for _, _, name in bodies))

    def sublist_items(self, cell: TableCell) -> list[tuple[SplitItem, int | None]]:
        """The items of a list cell that runs its items on and bullets a sub-list inside
        ("... Rulebook: • Officer Delegations • Call-in arrangements Contract
        Standing Orders ..."), each with the index of the item it is a part of: the stretches
        between bullets are split like any list (:meth:`split_items`); the first item after
        each bullet of a run is a part of the item just before the run, and after the run's
        last bullet the list goes on."""
        doc = self.builder.doc
        found: list[tuple[SplitItem, int | None]] = []
        heading: int | None = None
        in_run = False
        position = cell.span.start
        for line in doc.text[cell.span.start:cell.span.end].split("\n"):
            number = doc.line_at(position)
            column = position - (doc.text.rfind("\n", 0, position) + 1)
            at = 0
            for bullet in [*_SUBLIST_BREAK.finditer(line), None]:
                stop = bullet.start() if bullet is not None else len(line)
                stretch = self.fragment_items([Fragment(number, column + at, line[at:stop])],
                                              prose=False)
                found += [(item, heading if in_run and n == 0 else None)
                          for n, item in enumerate(stretch)]
                if bullet is not None and not in_run:
                    heading, in_run = (len(found) - 1 if stretch else None), True
                elif bullet is None:
                    heading, in_run = None, False
                at = bullet.end() if bullet is not None else len(line)
            position += len(line) + 1
        return found

    def further_work(self, item: SplitItem, made: list[URIRef], section: Section,
                     seen: dict[str, URIRef]) -> None:
        """Further work the row lists, once per row however often it repeats it."""
        builder = self.builder
        node = seen.get(item.label)
        if node is None:
            self._count += 1
            node = builder.resource("further-work", f"{section.item.notation}-{self._count}",
                                    GOVKG.FurtherWork, item.lines, item.pieces[0].text,
                                    item.label)
            seen[item.label] = node
            self.done_to(item, node, made, [])
            for commitment in made:
                builder.graph.add((commitment, GOVKG.hasFurtherWork, node))
            pieces = item.pieces[1:]
        else:
            pieces = item.pieces
        for piece in pieces:
            builder.cite(node, (piece.line, piece.line), piece.text)

    # ------------------------------------------------------------------ statements

    def read_unit(self, unit: Unit, section: Section | None,
                  aligned: list[tuple[Item, float]] | None = None) -> URIRef | None:
        """Classify one unit and add what it states; the commitment made, if any.
        ``aligned``: the items a piece cut by alignment paraphrases (linked by text with
        the alignment's score, instead of the best match per level)."""
        self.classifier.classify(unit, in_section=section is not None)
        if not unit.classes:
            return None
        made = None
        builder = self.builder
        lines = _lines(unit.span)
        quote = unit.text if _quotable(builder.doc, unit.span) else None
        if not LEADING_NUMBERS.match(unit.text):  # a numbered statement restates the item
            self._council_texts.append(_run_of(unit, builder.doc))
        record = StatementRecord(unit.text, unit.span.line, list(unit.classes),
                                 section.item.notation if section else "")
        for assignment in unit.designations:
            # the quote is the pairing itself ("Director of Finance (Section 151 Officer"),
            # so a correction of the designation names it whatever else the unit says
            pairing = (unit.text[assignment.start:assignment.end] if quote is not None
                       and assignment.end <= len(unit.text) else quote)
            post = builder.post(assignment.post, lines, pairing)
            builder.assign_role(post, assignment.role, lines, pairing)
        for kind, agent, what in unit.responsibilities:
            self.responsibility(kind, agent, what, section, lines, quote, unit.context)
        if "evidence" in unit.classes:
            node = builder.evidence(unit.label, lines, quote)
            if section is not None and self._section_node is not None:
                builder.graph.add((self._section_node, GOVKG.citesEvidence, node))
        if "commitment" in unit.classes and section is not None:
            self._count += 1
            node = made = builder.resource(self.profile.segment,
                                           f"{section.item.notation}-{self._count}",
                                           self.profile.statement_class, lines, quote,
                                           unit.label)
            numbered = self.numbered(unit.text)
            if not numbered:  # a number places the statement more exactly than its section
                builder.link(node, section.item.iri, "by-structure", 100.0)
                record.links.append(LinkRecord(section.item.notation, "by-structure", 100.0))
            for item in numbered:
                builder.link(node, item.iri, "by-number", 100.0)
                record.links.append(LinkRecord(item.notation, "by-number", 100.0))
            placed = {i.iri for i in numbered} | {i.parent for i in numbered}
            linked = aligned if aligned is not None else self.children(unit.label,
                                                                        section.item)
            for item, score in linked:
                if item.iri in placed:
                    continue
                builder.link(node, item.iri, "by-text", score)
                record.links.append(LinkRecord(item.notation, "by-text", score))
                record.low_confidence |= score < self.cues.threshold("low_confidence")
        self.statements.append(record)
        return made

    def numbered(self, text: str) -> list[Item]:
        """The items a statement names by number at its start ("1.1.1 Develop ...",
        "4.1.3 and 4.1.4 ...", "A.2.1: ...")."""
        lead = LEADING_NUMBERS.match(text)
        if lead is None:
            return []
        numbers = re.findall(NOTATION, lead.group(0))
        # a later clause that opens with a number of its own states that item too
        numbers += [m.group(1) for m in _CLAUSE_NUMBER.finditer(text, lead.end())]
        return [self.items.by_notation[n] for n in numbers if n in self.items.by_notation]

    def children(self, wording: str, item: Item) -> list[tuple[Item, float]]:
        """The items below ``item`` that ``wording`` restates: the best one per depth, or,
        for a unit several times longer than the items' wording (a table cell whose
        statements ran together), every item it restates somewhere within it."""
        best: dict[int, tuple[Item, float]] = {}
        several: list[tuple[Item, float]] = []
        text = utils.default_process(wording)
        threshold = self.cues.threshold("statement_child")
        for child in self.items.under(item.iri):
            labels = [utils.default_process(label) for label in child.labels]
            score = max((fuzz.token_set_ratio(text, label) * _length_penalty(text, label)
                         for label in labels), default=0.0)
            if score >= threshold and (child.depth not in best
                                       or score > best[child.depth][1]):
                best[child.depth] = (child, round(score, 1))
            long_labels = [label for label in labels
                           if len(text) >= 3 * len(label) and label.count(" ") >= 4]
            within = max((fuzz.partial_ratio(label, text) for label in long_labels),
                         default=0.0)
            if within >= self.cues.threshold("statement_within"):
                several.append((child, round(within, 1)))
        found = {c.iri: (c, sc) for c, sc in [*best.values(), *several]}
        return sorted(found.values(), key=lambda pair: (pair[0].depth, pair[0].notation))

    def responsibility(self, kind: str, agent: URIRef | NamedThing, what: str,
                       section: Section | None, lines: tuple[int, int],
                       quote: str | None, context: str = "") -> None:
        """``agent`` does ``kind`` regarding the topics ``what`` names, or the section's
        item; nothing when neither is stated. What is signed is a document: the one
        ``what`` names, or, for "its", the one the sentences before (``context``) name."""
        builder = self.builder
        regarding: list[URIRef] = (
            [self.document(m, lines) for m in self.objects(what)]
            if kind in ("approves", "signs") and not _THIS_DOCUMENT.search(what) else [])
        if not regarding and kind == "signs":
            regarding = self.named_document(what, lines) or (
                self.named_document(context, lines, before=True)
                if _POSSESSIVE.match(what) else [])
        regarding = regarding or builder.gazetteers.topics.concepts(what)
        if not regarding and _THIS_DOCUMENT.search(what):
            regarding = [builder.doc.iri]  # "This Code ... will be reviewed by ..."
        if not regarding and section is not None:
            regarding = [self.restated(what, section.item) or section.item.iri]
        if not regarding:
            return
        node = self.agent_node(agent, lines, quote)
        for topic in regarding:
            self.responsible(node, kind, topic, lines, quote)

    def named_document(self, text: str, lines: tuple[int, int], *,
                       before: bool = False) -> list[URIRef]:
        """The evidence the last document kind ``text`` names is ("The Annual Governance
        Statement is ...": that statement), as written on ``lines``; with ``before``,
        ``text`` is what stands before a sentence opening on ``lines[0]``, and the name's
        line is counted back from there."""
        mentions = self.builder.gazetteers.evidence_kinds.mentions(text)
        if not mentions:
            return []
        last = mentions[-1]
        written = text[last.start:last.end]
        if before:
            line = lines[0] - text[last.end:].count("\n")
            lines = (line, line)
        return [self.builder.evidence(written, lines, written)]

    def restated(self, what: str, item: Item) -> URIRef | None:
        """The lowest item under ``item`` whose wording ``what`` restates (a code that
        adapts the framework's "Making a senior legal officer responsible ... for" makes
        its post responsible for that requirement, not for the whole principle)."""
        text = utils.default_process(what)
        scored = [(fuzz.partial_ratio(utils.default_process(label), text), child)
                  for child in self.items.under(item.iri) if not self.items.under(child.iri)
                  for label in child.labels]
        score, best = max(scored, key=lambda pair: pair[0], default=(0.0, None))
        return best.iri if best is not None and score >= self.cues.threshold(
            "statement_alignment") else None

    def agent_node(self, agent: URIRef | NamedThing, lines: tuple[int, int],
                   quote: str | None, functions: list[URIRef] | None = None) -> URIRef:
        """The body or post named (a role is its own node), a body with ``functions``
        besides those its name states. An external auditor is named in the council's
        documents but is not one of its units."""
        builder = self.builder
        if not isinstance(agent, NamedThing):
            # a role the council has a post of that very title ("Chief Executive"): the post
            titled = [p for p in builder.graph.subjects(ORG.role, agent)
                      if (p, RDF.type, ORG.Post) in builder.graph
                      and builder.gazetteers.roles.lookup(
                          str(builder.graph.value(p, SKOS.prefLabel) or "")) == agent]
            return titled[0] if len(titled) == 1 else agent
        if _WHOLE_COUNCIL.match(agent.name):
            # "the County Council" acting as a body (approving, adopting) is its full
            # council; the bare words are no altLabel of it, as every council's name has
            # them. A document that calls it "Full Council" names it so throughout.
            name = "Full Council" if _FULL_COUNCIL.search(builder.doc.text) else agent.name
            return builder.body(name, lines, quote if quote and name in quote else None,
                                [BODY_FUNCTION["full-council"]])
        if (functions or builder.gazetteers.functions.concepts(agent.name)
                or _is_body(agent.name)):
            return builder.body(agent.name, lines, quote, functions,
                                of_council=_of_council(agent.name))
        return builder.post(agent.name, lines, quote)

    def done_to(self, item: SplitItem, node: URIRef | None, made: list[URIRef],
                above: list[URIRef]) -> None:
        """What an evidence or further-work item says someone does: in the passive
        ("approved by Full Council": to the document it names, ``node``; "Monitoring of
        the above takes place by ...": to the items listed ``above`` it; "reporting to
        the Audit Committee": to the topic named before, or else to the items the row's
        commitments address), in the active ("... Board addresses and manages ...",
        "... Panel examines the work of the X Trust": to the body or topic
        named after the verb, or else to the row's items), and by a role's name that
        says what it answers for."""
        builder = self.builder
        text = item.text
        addressed = list(dict.fromkeys(i for c in made
                                       for i in builder.graph.objects(c, GOVKG.addresses)))
        found: list[tuple[URIRef | NamedThing, str, list[URIRef]]] = []
        for cue in self.cues.responsibilities_by:
            for phrase in cue.pattern.finditer(text):
                if cue.regarding == "item":
                    regarding = [node] if node is not None else []
                elif cue.regarding == "above":
                    regarding = above
                else:
                    # the phrase may end the topic's name ("Performance reporting to")
                    regarding = (builder.gazetteers.topics.concepts(text[:phrase.end()])[:1]
                                 or addressed)
                kind = self.cues.passive_kind(cue.kind, text[phrase.end():])
                found += [(agent, kind, regarding)
                          for agent in agents_after(text, phrase.end(), builder.gazetteers)]
        for kind, agents, what, rest in self.classifier.responsibilities.active(text, bare=True):
            regarding = (self.body_named(rest, item)
                         or builder.gazetteers.topics.concepts(what)[:1] or addressed)
            found += [(agent, kind, regarding) for agent in agents]
        for mention in builder.gazetteers.roles.mentions(text):
            said = self.cues.role_accountability.search(mention.label)
            topics = builder.gazetteers.topics.concepts(mention.label[said.end():]) if said else []
            found += [(mention.concept, "responsible-for", topics[:1])] if topics else []
        first = item.pieces[0]
        lines, quote = (first.line, first.line), first.text
        for agent, kind, regarding in found:
            for target in regarding:
                responsibility = self.responsible(self.agent_node(agent, lines, quote), kind,
                                                  target, lines, quote)
                for piece in item.pieces[1:]:
                    builder.cite(responsibility, (piece.line, piece.line), piece.text)

    def body_named(self, what: str, item: SplitItem) -> list[URIRef]:
        """The body ``what`` opens by naming ("the work of the X Partnership")."""
        what = what.lstrip()
        lead = _WORK_OF.match(what)
        rest = what[lead.end() if lead else 0:]
        bodies = [b for b in bodies_in(rest, self.builder.gazetteers) if b.start == 0]
        first = item.pieces[0]
        return [self.agent_node(bodies[0], (first.line, first.line), first.text)] if bodies \
            else []

    def responsible(self, agent: URIRef, kind: str, regarding: URIRef,
                    lines: tuple[int, int], quote: str | None) -> URIRef:
        """The responsibility, and the function a body performs that is responsible for
        a topic of one (see ``[topic_functions]`` in cues.toml)."""
        builder = self.builder
        node = builder.responsibility(agent, kind, regarding, lines, quote)
        topic = str(regarding).removeprefix(str(TOPIC))
        function = self.cues.topic_functions.get(topic) if topic != str(regarding) else None
        if (function is not None and kind == "responsible-for"
                and (agent, RDF.type, GOVKG.Body) in builder.graph):
            builder.graph.add((agent, GOVKG.hasFunction, BODY_FUNCTION[function]))
            builder.cite(agent, lines, quote)
        return node

    # ------------------------------------------------------------------ own principles

    def own_scheme(self, principles: list[OwnPrinciple]) -> None:
        """The council's own principles as its own scheme: one concept each, mapped to
        the framework's core principles it covers (``skos:relatedMatch``, with method and
        score), and one commitment each, addressing the council's own principle."""
        builder = self.builder
        scheme = ID[f"document/{builder.doc.id}/principles"]
        g = builder.graph
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(f"{builder.context.council_label}: principles "
                                               "of its own code", lang="en")))
        builder.cite(scheme, _lines(principles[0].intro))
        labels, owners = self.items.choices(0)
        for principle in principles:
            quote = builder.doc.text[principle.span.start:principle.span.end]
            concept = ID[f"document/{builder.doc.id}/principle/{slugify(principle.label)}"]
            g.add((concept, RDF.type, SKOS.Concept))
            g.add((concept, SKOS.inScheme, scheme))
            g.add((concept, SKOS.prefLabel, Literal(principle.label, lang="en")))
            builder.cite(concept, _lines(principle.span), quote)
            self._count += 1
            node = builder.resource(self.profile.segment, f"own-{self._count}",
                                    self.profile.statement_class, _lines(principle.span),
                                    quote, principle.label)
            builder.link(node, concept, "by-structure", 100.0)
            record = StatementRecord(quote, principle.span.line, ["commitment", "own-principle"],
                                     principle.label)
            scores = [(owner, covers(principle.label, label))
                      for label, owner in zip(labels, owners, strict=True)]
            best = max((score for _, score in scores), default=0.0)
            if best >= self.cues.threshold("own_principle"):
                for owner in dict.fromkeys(o for o, score in scores if score == best):
                    builder.link(concept, owner.iri, "by-text", best, SKOS.relatedMatch)
                    record.links.append(LinkRecord(f"maps to {owner.notation}", "by-text",
                                                   best))
            self.statements.append(record)


def _notation_key(notation: str) -> list[tuple[int, str]]:
    """A framework item's number as a sort key ("2.10" after "2.9", "A.1" before "B")."""
    return [(int(p), "") if p.isdigit() else (0, p) for p in notation.split(".")]


def _length_penalty(text: str, label: str) -> float:
    """token_set_ratio scores a short text inside a long label as 100; scale it down by
    how much of the label the text covers."""
    ratio = len(text) / max(1, len(label))
    return 1.0 if ratio >= 0.5 else 0.6 + 0.8 * ratio


_CLAUSE_NUMBER = re.compile(rf"(?<=[\s,;:])({NOTATION})\s+(?=[A-Z][a-z])")
# "Code of Corporate Governance", "Local Code", and the same words the other way round
# ("Corporate Governance Code of Conduct")
_CALLS_ITSELF_A_CODE = re.compile(r"\b(?:local )?code of (?:corporate )?governance\b|"
                                  r"\blocal code\b|\bgovernance code\b", re.IGNORECASE)
_BODY_WORDS = re.compile(r"\b(?:Committee|Panel|Board|Cabinet|Council|Commission|Forum|Team|"
                         r"Group)s?$")


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_MONTH_YEAR = re.compile(rf"^({'|'.join(_MONTHS)})\s+((?:19|20)\d\d)$", re.IGNORECASE)
_PERIOD = re.compile(r"\b((?:19|20)\d\d\s*[/-]\s*\d{2}(?:\d{2})?)\b")
#: how far into a document its cover reaches (blocks), and the longest title
_COVER_BLOCKS = 8
_TITLE_WORDS = 12


def _cover(document: Document) -> list[Block]:
    return [b for b in document.blocks if b.kind is not BlockKind.TABLE][:_COVER_BLOCKS]


@cache
def _self_description() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The cues by which a document calls itself a code (``[detect]`` of cues.toml)."""
    detect = load_cues().raw["detect"]
    return (re.compile("|".join(detect["this_code"]), re.IGNORECASE),
            re.compile("|".join(detect["opening_code"]), re.IGNORECASE))


def _describes_itself(document: Document) -> Block | None:
    """The first block in which the document calls itself a code: a sentence about "this
    code", or its opening sentence about "our code" (a page about the code it links to
    opens so too: the principles it takes up, or a title, must agree)."""
    this_code, opening = _self_description()
    blocks = [b for b in document.blocks if b.kind is not BlockKind.TABLE]
    for block in blocks:
        if this_code.search(" ".join(block.text.split())):
            return block
    first = next((b for b in blocks if len(b.text.split()) > _TITLE_WORDS), None)
    return first if first is not None and opening.search(first.text.strip()) else None


def _principles_taken_up(doc: SourceDocument, document: Document) -> tuple[float, str]:
    """The share of its edition's core principles the document takes up in sections of
    their own (or 1.0 for principles of its own that it lists), and a reason."""
    cues = load_cues()
    try:
        edition: Detection | None = detect_framework(doc)
    except InputError:
        edition = None
    if edition is not None and edition.iri is not None and (
            edition.confidence >= MIN_CONFIDENCE):
        items = _framework_items(edition.iri)
        principles = {i.iri for i in items.items.values() if i.depth == 0}
        found = {s.item.iri for s in SectionFinder(items, cues).find(document)
                 if s.item.iri in principles}
        if found:
            return (len(found) / max(1, len(principles)),
                    f"it takes up {len(found)} of the {len(principles)} core principles of "
                    f"{edition.value}")
    blocks = list(document.blocks)
    units = [unit for block in blocks for unit in units_of(block, cues)]
    if listed(blocks, cues, set()) or named_in_sentences(units, cues):
        return 1.0, "it states principles of its own"
    return 0.0, ""


def _title(document: Document) -> Block | None:
    """The first short block of the cover that calls the document a code of governance."""
    return next((b for b in _cover(document) if len(b.text.split()) <= _TITLE_WORDS
                 and "\n" not in b.text.strip() and _CALLS_ITSELF_A_CODE.search(b.text)),
                None)


@cache
def _framework_items(edition: URIRef) -> FrameworkItems:
    """An edition's items from the shipped reference data (built once per edition)."""
    return FrameworkItems(load_reference(), edition)


def describe(document: Document, builder: DocumentBuilder) -> None:
    """The document's title, and the date or period its cover gives: the first short
    block of the cover that calls the document a code of governance is its title (a period
    such as "2019/20" in it is the period the code covers), and a block of the cover that
    is a month and a year alone is its date. Nothing else is taken for either: a year in
    running text may be anything's."""
    title = _title(document)
    if title is None:
        return
    cover = _cover(document)
    text = title.text.strip()
    period = _PERIOD.search(text)
    builder.describe(title=text, period=period.group(1) if period else None,
                     lines=_lines(title.span))
    for block in cover[cover.index(title) + 1:]:
        if (m := _MONTH_YEAR.match(block.text.strip())) is not None:
            month = _MONTHS.index(m.group(1).lower()) + 1
            builder.describe(date=f"{m.group(2)}-{month:02d}", lines=_lines(block.span))
            break


def _states(section: Section, taken_up: set[URIRef]) -> bool:
    """Whether a section's own wording is a statement of the council's. A list of the
    items is one only where the document does not take them up again in sections of
    their own (else it is a summary, like a table of contents); a section's wording is
    not one where it heads the section ("Core Principle 1 – ...") or introduces what
    follows ("Our aims in relation to ... are to:"). A table row or paragraph that names
    an item with its wording is the council's statement of it."""
    if not section.wording:
        return False
    if section.enumerated:
        return section.item.iri not in taken_up
    introduces = (section.block.kind is not BlockKind.TABLE
                  and section.block.text.rstrip().endswith(":"))
    return not (section.headed or introduces)


def _gaps(claimed: list[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The stretches of a text of ``length`` that no claimed stretch covers (at least a
    few words long), in order."""
    gaps, at = [], 0
    for begin, end in sorted(claimed):
        if begin - at >= 20:
            gaps.append((at, begin))
        at = max(at, end)
    if length - at >= 20:
        gaps.append((at, length))
    return gaps


def _opening(text: str, position: int) -> int:
    """Where the statement an alignment found at ``position`` opens: the capitalised
    word that follows a word in lower case nearest to it (statements run together start
    so), else the start of the word at ``position``."""
    found = [m.start(2) for m in re.finditer(r"([a-z0-9)])\s+([A-Z])", text)
             if abs(m.start(2) - position) <= 25]
    if found:
        return min(found, key=lambda at: abs(at - position))
    while position > 0 and not text[position - 1].isspace():
        position -= 1
    return position


class _Joined:
    """A row's statement cells joined by spaces into one unit, and where any stretch of
    the joined text lies in the document (within one cell, a quotable span of its line;
    across cells, from the first's line to the last's)."""

    def __init__(self, cells: list[TableCell]) -> None:
        self.cells = cells
        self.offsets: list[int] = []
        at = 0
        for cell in cells:
            self.offsets.append(at)
            at += len(cell.text) + 1
        first, last = cells[0].span, cells[-1].span
        self.unit = Unit(" ".join(cell.text for cell in cells),
                         Span(first.start, last.end, first.line, last.end_line, first.page))

    def _at(self, position: int) -> tuple[TableCell, int]:
        index = max(i for i, offset in enumerate(self.offsets) if offset <= position)
        return self.cells[index], position - self.offsets[index]

    def span(self, begin: int, end: int) -> Span:
        (first, into), (last, upto) = self._at(begin), self._at(max(begin, end - 1))
        return Span(first.span.start + into, last.span.start + upto + 1, first.span.line,
                    last.span.end_line, first.span.page)


def _numbered_unit(cells: list[TableCell]) -> Unit:
    """One statement of a row's statement cells, read from the first to the last."""
    first, last = cells[0].span, cells[-1].span
    text = " ".join(" ".join(cell.text.split()) for cell in cells)
    number = LEADING_NUMBERS.match(text)
    wording = text[number.end():].lstrip(" .:–-") if number else text
    # a row that states two numbered items: their wordings, without their numbers
    wording = "; ".join(part.strip(" .;") for part in _CLAUSE_NUMBER.split(wording)
                        if part.strip(" .;") and not re.fullmatch(NOTATION, part))
    return Unit(text, Span(first.start, last.end, first.line, last.end_line, first.page),
                wording=wording)


#: what may stand before a body named as what is done to ("examines the work of the ...")
_WORK_OF = re.compile(r"(?:the\s+)?(?:work\s+of\s+)?(?:the\s+)?", re.IGNORECASE)
#: what refers back to a thing named before ("its accuracy")
_POSSESSIVE = re.compile(r"(?:its|it)\b", re.IGNORECASE)
_THIS_DOCUMENT = re.compile(r"\b(?:this|the) (?:local )?code\b|\bthis document\b",
                            re.IGNORECASE)
_SUBLIST_BULLET = re.compile(r"[•●▪◦‣∙\uf0b7]")
_SUBLIST_BREAK = re.compile(r"\s*:?\s*[•●▪◦‣∙\uf0b7]\s*")


def _opens_sublist(text: str) -> bool:
    """Whether a list cell has a line that does not open with a bullet (markup aside) but
    holds one: the bullet follows an item it opens a sub-list of ("Constitution: • Scheme
    of Delegation • ..."); such a cell is read by ``sublist_items``."""
    for line in text.split("\n"):
        plain = strip_markup(line).strip()
        if _SUBLIST_BULLET.search(plain) and not _SUBLIST_BULLET.match(plain):
            return True
    return False


#: what marks a cell's text as a list of items: a bullet glyph, a dash that opens a line
#: (one between two words is part of a title: "Risk Management Strategy - Policy
#: Framework"), or, in a column of titles, semicolons; in a column of prose (further
#: work) a semicolon is a sentence's own
_BULLETED_PROSE = re.compile(r"[•●▪■◦·‣⁃∙\uf0b7\uf0a7\uf076\uf0d8]|(?:^|\n)\s*-\s(?=[A-Za-z])")
_BULLETED = re.compile(rf"{_BULLETED_PROSE.pattern}|;")
_STATUTORY = ("head-of-paid-service", "monitoring-officer", "chief-finance-officer")


def _item_of(unit: Unit, doc: SourceDocument) -> SplitItem:
    """A listed unit (one line's item) as an item of the splitter's kind."""
    line_start = doc.text.rfind("\n", 0, unit.span.start) + 1
    return SplitItem((Fragment(unit.span.line, unit.span.start - line_start, unit.text),),
                     unit.text)


def _run_of(unit: Unit, doc: SourceDocument) -> Run:
    """A unit's text as fragments of its lines, so a name in it can be cited exactly."""
    fragments, position = [], unit.span.start
    for line in unit.text.split("\n"):
        at = doc.text.find(line, position) if line else -1
        if at >= 0:
            number = doc.line_at(at)
            fragments.append(Fragment(number, at - doc.text.rfind("\n", 0, at) - 1, line))
            position = at + len(line)
    return Run(fragments)


def _names_only(text: str, roles: Gazetteer) -> bool:
    """Whether ``text`` only names bodies, posts or roles (with notes in brackets), or
    only says which post holds a role."""
    spans = [(m.start, m.end) for m in roles.mentions(text)]
    spans += [(b.start, b.end) for b in find_bodies(text)]
    spans += [(p.start, p.end) for p in find_posts(text)]
    spans += [(a.start, a.end) for a in find_role_assignments(text, roles)]
    for start, end in sorted(spans, key=lambda s: s[0] - s[1]):
        text = text[:start] + " " * (end - start) + text[end:]
    text = re.sub(r"\([^)]*\)", " ", text)
    return not [w for w in WORD.findall(text) if w.lower() not in JOINERS | {"council's"}]


_THE = re.compile(r"^the\s+", re.IGNORECASE)
# Post titles specific enough to name one post of the council.
_SPECIFIC_TITLE = re.compile(r"^(?:(?:Assistant|Deputy|Corporate|Strategic|Executive)\s+)?"
                             r"(?:Head|Director) of [A-Z]")
# A sentence that names who will do what the list after it says.
_LEAD_IN = re.compile(r"(?:(?<!which )\bwill|\bin respect of)\s*:\s*$", re.IGNORECASE)
_ADVISERS = re.compile(r"\bwith (?:the )?advice (?:from|of)\b", re.IGNORECASE)
# A list item that holds a sentence of its own, not the end of a lead-in's sentence.
_SENTENCE_WITHIN = re.compile(r"[.!?](?:\s|$)")
# What makes a body named straight after it not the council's: one that no longer exists,
# or one the council takes part in ("is a member of the ... Board").
_NOT_OURS = re.compile(r"(?:\bformer|\bmember of (?:the|a|an))\s+(?:[\w,&()'’-]+\s+){0,8}$",
                       re.IGNORECASE)
_FULL_COUNCIL = re.compile(r"\bfull council\b", re.IGNORECASE)
# The whole council named straight after a passive phrase ("approved by the County Council").
_COUNCIL_AFTER = re.compile(r"\s+(?:the\s+)?((?:(?:county|county borough|borough|district|"
                            r"city)\s+)?council)\b(?!['’]s|\s+[A-Z])", re.IGNORECASE)
_LOCAL_CODE = EVIDENCE_KIND["local-code-of-governance"]

# A body named by the council's type alone ("County Council", "Borough Council").
_WHOLE_COUNCIL = re.compile(r"^(?:(?:county|county borough|borough|district|city|"
                            r"metropolitan borough)\s+)?council$", re.IGNORECASE)


def _brand(text: str, council: str) -> bool:
    """Whether ``text`` is a post's title whose words, its last aside, are all of the
    council's own name ("Anytown Manager" in Anytown Borough Council's code)."""
    words = clean(text).split()
    return (len(words) > 1 and [p.name for p in find_posts(clean(text))] == [clean(text)]
            and all(w.lower() in place_words(council) for w in words[:-1]))
def _of_council(name: str) -> bool:
    """Whether a body so named is one of the council's units: a named partnership is one
    the council takes part in; an external auditor is named in the council's documents but
    is not one of its units."""
    return not name.endswith("Partnership") and not name.startswith("External ")


def _is_body(name: str) -> bool:
    return bool(_BODY_WORDS.search(name))


def _wording_span(section: Section) -> Span:
    """The span of a section's wording inside the block or cell that names it."""
    text_start = section.span.start
    return Span(text_start, section.span.end, section.span.line, section.span.end_line,
                section.span.page)


def _quotable(doc: SourceDocument, span: Span) -> bool:
    """Whether the span lies within one line (a quote the line selector can check)."""
    return span.line == span.end_line and 0 <= span.start < span.end <= len(doc.text)
