"""A self-assessment's rated tables into the graph: one result per rated row, with the
council's own rating and scale, a normalised score beside it, the framework items (or
checklist items) the row assesses, its evidence, the plans of the period assessed with
their progress, the actions for the next period, the row's lead and target dates.

What the columns hold comes from their headers (:mod:`.tables`): the scale from the
rating column's ("Score 1-10"), the period assessed from the plans column's ("Improvement
plans reported for 2009/10") and the period of the actions from theirs. A lead named on a
row is that row's lead (``govkg:assessmentLead``) whether or not an action follows; where
actions follow, the lead leads each of them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rdflib import RDF, SKOS, Literal, URIRef

from govkg.graph.importers.builder import DocumentBuilder, decimal
from govkg.graph.importers.cues import load_cues
from govkg.graph.importers.kinds import cells
from govkg.graph.importers.kinds.reading import _scale, cues, normalise
from govkg.graph.importers.kinds.tables import Piece, Table, TableRow
from govkg.graph.importers.linking import ItemMatcher
from govkg.graph.importers.sections import FrameworkItems
from govkg.graph.namespaces import GOVKG, ID, ROLE, slugify

_FLAGS = re.IGNORECASE
#: The heading of a principle, by its number or number word ("Principle One", "Core
#: Principle 2", "Principle A").
#: A framework item's number at the start of a cell, two levels at least.
_ITEM_NUMBER = re.compile(r"^\s*(?:([A-G])[ .]?(\d{1,2})|(\d{1,2})\.(\d{1,2}))\)?(?:\.(\d{1,2}))?"
                          r"(?=[\s).:]|$)")
#: A sub-item's marker ("i)", "(ii)", "a)") at the start of a cell.
_SUB_ITEM = re.compile(r"^\s*\(?(?:[ivx]{1,4}|[a-h])\)\s")
#: A checklist question's number at the start of its cell ("1.", "2.3", "(4)").
_CHECKLIST_NUMBER = re.compile(r"^\s*\(?(\d{1,2}(?:\.\d{1,2})*)[.):]?\s")
_PRINCIPLE = re.compile(r"\bprinciple\s+(?P<token>[A-G]\b|\d{1,2}\b|[a-z]+\b)", _FLAGS)


@dataclass(frozen=True)
class Rating:
    """A row's rating as the council writes it, and what it means on its scale."""

    label: str
    score: Decimal | None
    scale: tuple[Decimal, Decimal] | None
    scale_text: str
    normalised: float | None


def score_scale(texts: list[str]) -> tuple[Decimal, Decimal] | None:
    """The numeric scale the first of ``texts`` to state it whole gives ("Score 1-10",
    "out of 5"); most repeated headers cut it short ("Score 1-")."""
    pattern = re.compile(cues()["assessment"]["score_scale"], _FLAGS)
    for text in texts:
        if m := pattern.search(text):
            if m.group("max"):
                return Decimal(1), Decimal(m.group("max"))
            return Decimal(m.group("low")), Decimal(m.group("high"))
    return None


def rating(text: str, numeric: tuple[Decimal, Decimal] | None, used: list[str],
           declared: str = "") -> Rating | None:
    """What a rating cell says: a number on the numeric scale, or a label (a RAG colour,
    "Partly met") on the labelled scale the document's ratings use, written as the
    document ``declared`` it where it did ("Scoring based on: Full/ Substantial/ ...")."""
    c = cues()["assessment"]
    if m := re.match(c["score"], text):
        score = Decimal(m.group("score"))
        if numeric is None:
            return Rating(text, score, None, "", None)
        low, high = numeric
        share = float((score - low) / (high - low)) if high > low else None
        return Rating(text, score, numeric, f"{low}-{high}",
                      round(share, 2) if share is not None and 0 <= share <= 1 else None)
    scale = _scale("", used)
    written = declared if declared and _scale(declared, []) == scale else "/".join(scale)
    for label in sorted(scale, key=len, reverse=True):
        if re.search(rf"\b{re.escape(label)}\b", text, _FLAGS):
            share = normalise(label, scale)
            # the label's rank on the council's ordinal scale, its worst label 1, so that
            # a labelled rating is a score on its scale too (as the prose reading gives)
            rank = Decimal(round(1 + share * (len(scale) - 1))) if share is not None else None
            return Rating(label, rank, (Decimal(1), Decimal(len(scale))) if rank else None,
                          written, share)
    return None


def principle_of(lead_in: str, items: FrameworkItems, matcher: ItemMatcher) -> URIRef | None:
    """The core principle the text before a table names: by its number ("Principle
    One", "Principle A") or, where the heading lost it, by its wording."""
    if m := _PRINCIPLE.search(lead_in):
        notation = items.notation_for(m.group("token"), load_cues())
        if notation is not None and items.by_notation[notation].depth == 0:
            return items.by_notation[notation].iri
    best = matcher.best(lead_in, level=GOVKG.CorePrinciple, cutoff=80.0) if lead_in else None
    return best.item if best else None


class RatedTableWriter:
    """Adds the rated rows of a document's tables to its builder."""

    def __init__(self, builder: DocumentBuilder, tables: list[Table],
                 declared: str = "") -> None:
        self.builder, self.graph = builder, builder.graph
        self.tables, self.declared = tables, declared
        self.scheme: URIRef | None = None  # the checklist's scheme, where not the framework
        self.rows: list[tuple[Table, TableRow, str]] = []
        for table in tables:
            above = ""  # the item cell of the last row without a rating
            for row in table.rows:
                if row.cell("rating").text:
                    self.rows.append((table, row, above))
                else:
                    above = row.cell("item").text
        headers = [t.header for t in tables]
        self.numeric = score_scale([h.text("rating") for h in headers])
        period = re.compile(cues()["assessment"]["period"])
        self.period = next((m.group(1) for h in headers
                            if (m := period.search(h.text("plans")))), "")
        self.next_period = next((m.group(1) for h in headers
                                 if (m := period.search(h.text("actions")))), "")
        self.used = [r.cell("rating").text for _, r, _ in self.rows]
        self.names = cells.canonical_names([r for _, r, _ in self.rows])
        context = builder.context
        self.items = (FrameworkItems(builder.vocabulary, context.framework)
                      if context.framework is not None else None)

    # ------------------------------------------------------------------ results

    def notation(self, wording: str) -> str | None:
        """The framework item a cell's leading number names: two levels at least ("A 1)",
        "A1", "A.1", "2.1.3"), so that a list's "1." is no principle."""
        assert self.items is not None
        m = _ITEM_NUMBER.match(wording)
        if m is None:
            return None
        notation = ".".join(g for g in m.groups() if g)
        found = self.items.notation_for(notation, load_cues())
        return found

    def assessed(self, table: Table, row: TableRow,
                 above: str) -> list[tuple[URIRef, str, float]]:
        """The items the row assesses, with how they were found: the item its cell's
        number names, or, for a row of a sub-item ("i) ...") under a row that names an
        item and has no rating of its own ("A 1) Behaving with integrity"), that item,
        both by structure; else the requirements its wording states, by text."""
        wording = row.cell("item").text
        matcher = self.builder.matcher
        if self.items is None or matcher is None or not wording:
            return []
        for text in (wording, above if _SUB_ITEM.match(wording) else ""):
            if text and (found := self.notation(text)) is not None:
                return [(self.items.by_notation[found].iri, "by-structure", 100.0)]
        principle = principle_of(table.lead_in, self.items, matcher)
        return [(item, "by-text", score)
                for item, score in cells.assessed_items(wording, principle, matcher)]

    def checklist_item(self, row: TableRow) -> URIRef | None:
        """Without a framework, a row's item is an item of the document's own checklist."""
        wording = row.cell("item").text
        if not wording:
            return None
        scheme = self.scheme or ID[f"document/{self.builder.doc.id}/checklist"]
        self.graph.add((scheme, RDF.type, SKOS.ConceptScheme))
        item = URIRef(f"{scheme}/{slugify(wording)[:60]}")
        self.graph.add((item, RDF.type, SKOS.Concept))
        self.graph.add((item, SKOS.inScheme, scheme))
        self.graph.add((item, SKOS.prefLabel, Literal(wording, lang="en")))
        if number := _CHECKLIST_NUMBER.match(wording):
            self.graph.add((item, SKOS.notation, Literal(number.group(1))))
        return item

    def result(self, number: int, table: Table, row: TableRow, above: str) -> URIRef:
        first, *rest = row.lines
        item_cell = row.cell("item")
        node = self.builder.resource("result", f"{number:02d}", GOVKG.SelfAssessmentResult,
                                     (first, first),
                                     label=cells.label(item_cell.pieces) or None)
        for line in rest:
            self.builder.cite(node, (line, line))
        g = self.graph
        found = rating(row.cell("rating").text, self.numeric, self.used, self.declared)
        if found is not None:
            g.add((node, GOVKG.ratingLabel, Literal(found.label)))
            if found.scale_text:
                g.add((node, GOVKG.ratingScale, Literal(found.scale_text)))
            if found.score is not None:
                g.add((node, GOVKG.score, decimal(found.score)))
            if found.scale is not None:
                g.add((node, GOVKG.scaleMinimum, decimal(found.scale[0])))
                g.add((node, GOVKG.scaleMaximum, decimal(found.scale[1])))
            if found.normalised is not None:
                g.add((node, GOVKG.normalisedScore, decimal(found.normalised)))
        if self.period:
            g.add((node, GOVKG.period, Literal(self.period)))
        for item, method, score in self.assessed(table, row, above):
            self.builder.link(node, item, method, score, prop=GOVKG.assesses)
        if not list(g.objects(node, GOVKG.assesses)) and self.items is None:
            item = self.checklist_item(row)
            if item is not None:
                g.add((node, GOVKG.assesses, item))
        return node

    def evidence(self, result: URIRef, row: TableRow) -> None:
        anchors = tuple(self.names.values())
        kinds = self.builder.gazetteers.evidence_kinds
        rests_with = re.compile(cues()["cells"]["rests_with"])
        for item in cells.cell_items(row.cell("evidence"), cells.EVIDENCE_RULES, anchors,
                                     kinds):
            label = cells.label(item)
            owner = rests_with.search(label)
            node = self.builder.evidence(label[: owner.start()] if owner else label,
                                         cells.first_line(item), item[0].text)
            self.cite_rest(node, item)
            self.graph.add((result, GOVKG.citesEvidence, node))
            if owner:
                self.owner(owner.group(1), node, item[0])

    def owner(self, name: str, evidence: URIRef, piece: Piece) -> None:
        """"<evidence> rests with <post>": the post is responsible for the evidence."""
        canonical = self.names.get(cells._name_key(name))
        if canonical is None:
            return
        post = self.post(canonical, name, piece)
        self.builder.responsibility(post, "responsible-for", evidence, (piece.line, piece.line),
                                    piece.text)

    def cite_rest(self, node: URIRef, pieces: list[Piece]) -> None:
        """Cite the parts of an item that a page break carried to another line."""
        for piece in pieces[1:]:
            self.builder.cite(node, (piece.line, piece.line), piece.text)

    # ------------------------------------------------------------------ actions

    def action(self, result: URIRef, key: str, item: list[Piece], period: str) -> URIRef:
        """An improvement action of ``result``, addressing what its row assesses."""
        node = self.builder.resource("action", key, GOVKG.ImprovementAction,
                                     cells.first_line(item), item[0].text,
                                     label=cells.label(item))
        self.cite_rest(node, item)
        if period:
            self.graph.add((node, GOVKG.targetPeriod, Literal(period)))
        for assessed in list(self.graph.objects(result, GOVKG.assesses)):
            assert isinstance(assessed, URIRef)
            if (assessed, SKOS.inScheme, None) in self.builder.vocabulary:
                self.builder.link(node, assessed, "by-structure")
        self.graph.add((result, GOVKG.improvementAction, node))
        return node

    def plans(self, result: URIRef, number: int, row: TableRow) -> None:
        """The improvement plans reported for the period assessed, with their progress:
        item by item where both cells list the same number of items."""
        plans = cells.cell_items(row.cell("plans"), cells.PLAN_RULES)
        progress_cell = row.cell("progress")
        numbered = cells.numbered_items(progress_cell.text) or []
        paired = len(numbered) == len(plans) > 1
        for index, plan in enumerate(plans, start=1):
            node = self.action(result, f"{number:02d}-plan-{index}", plan, self.period)
            progress = (progress_cell.part(*numbered[index - 1]) if paired
                        else progress_cell.part(0, len(progress_cell.text)))
            if progress:
                self.graph.add((node, GOVKG.progress, Literal(cells.label(progress),
                                                              lang="en")))
                for piece in progress:
                    self.builder.cite(node, (piece.line, piece.line), piece.text)

    def next_actions(self, result: URIRef, number: int, row: TableRow) -> None:
        """The actions for the next period, each led by the row's lead(s) and due by the
        row's target date; the leads are the row's leads whether or not actions follow."""
        leads = [self.lead(name, pieces, row)
                 for name, pieces in cells.lead_names(row.cell("lead"))]
        for agent, piece in leads:
            self.graph.add((result, GOVKG.assessmentLead, agent))
            self.builder.cite(result, (piece.line, piece.line), piece.text)
        target = row.cell("target")
        for index, item in enumerate(cells.cell_items(row.cell("actions"), cells.ACTION_RULES),
                                     start=1):
            node = self.action(result, f"{number:02d}-next-{index}", item, self.next_period)
            if target.text:
                self.graph.add((node, GOVKG.targetDate, Literal(target.text)))
                for piece in target.pieces:
                    self.builder.cite(node, (piece.line, piece.line), piece.text)
            for agent, piece in leads:
                # a team or board named as the lead is the action's lead body
                self.graph.add((node, GOVKG.leadPost, agent))
                self.builder.responsibility(agent, "leads", node, (piece.line, piece.line),
                                            piece.text)

    # ------------------------------------------------------------------ posts and bodies

    def post(self, canonical: str, spelling: str, piece: Piece) -> URIRef:
        node = self.builder.post(canonical, (piece.line, piece.line), piece.text)
        if spelling != canonical:
            self.graph.add((node, SKOS.altLabel, Literal(spelling, lang="en")))
        return node

    def lead(self, name: str, pieces: list[Piece], row: TableRow) -> tuple[URIRef, Piece]:
        """A lead's post (or the team named instead), a lead officer as the column's
        header calls it."""
        piece = pieces[0]
        if re.search(cues()["cells"]["collective"], name):
            return self.builder.body(name, (piece.line, piece.line), piece.text), piece
        post = self.post(self.names[cells._name_key(name)], name, piece)
        role = ROLE["lead-officer"]
        if (role, None, None) in self.builder.vocabulary:
            line = row.header.line
            self.builder.assign_role(post, role, (line, line), row.header.text("lead"))
        return post, piece

    def write(self) -> None:
        for number, (table, row, above) in enumerate(self.rows, start=1):
            result = self.result(number, table, row, above)
            self.evidence(result, row)
            self.plans(result, number, row)
            self.next_actions(result, number, row)
        cells.Bodies(self.builder, [r for _, r, _ in self.rows]).write()
