"""The layouts of G3's kinds: each reads the document's units with :mod:`.reading` and
adds what they state through :class:`DocumentBuilder`, so every resource cites its lines
and quote as every other layout's does.

IRIs are document-scoped (``id/document/{doc}/issue/1``); an issue, recommendation or
finding the document describes separately is a resource of its own, even where two share
a line ("two significant control weaknesses ..., these being: X and Y").
"""

from __future__ import annotations

import re
from abc import abstractmethod
from functools import cache
from typing import ClassVar

from rdflib import RDF, RDFS, SKOS, XSD, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

from govkg.graph.documents.model import BlockKind
from govkg.graph.importers.base import Importer, SourceDocument
from govkg.graph.importers.builder import DocumentBuilder, decimal
from govkg.graph.importers.detect import with_article
from govkg.graph.importers.kinds import auditors, reading, review, statement, tables
from govkg.graph.importers.kinds.assessed import RatedTableWriter
from govkg.graph.importers.kinds.reading import Found, Sentence
from govkg.graph.importers.linking import Gazetteers
from govkg.graph.importers.reading import read as read_model
from govkg.graph.importers.sections import FrameworkItems
from govkg.graph.namespaces import GOVKG, ID, PRIORITY, slugify
from govkg.graph.vocabulary import load_reference

ASSURANCE_LEVEL = Namespace(ID + "assurance-level/")
CRITERION = Namespace(ID + "audit-criterion/")
REVIEWER_KIND = Namespace(ID + "reviewer-kind/")
REPORT_KIND = Namespace(ID + "report-kind/")
POLARITY = Namespace(ID + "polarity/")
_LEVEL_SLUGS = {"full": "full", "substantial": "substantial", "significant": "substantial",
                "reasonable": "reasonable", "adequate": "reasonable", "moderate": "moderate",
                "limited": "limited", "no assurance": "none"}


def _lines(found: Found | Sentence | statement.Issue | reading.Finding | reading.Rating
           | reading.Recommendation | statement.Reviewer) -> tuple[int, int]:
    return found.line, found.end_line


@cache
def _reference_gazetteers() -> Gazetteers:
    """The shared schemes' labels (review standards and areas), for detection."""
    return Gazetteers(load_reference())


class _KindImporter(Importer):
    """A layout whose fit is how plainly the document names its kind (see
    :func:`reading.guess_kind`); no framework edition is needed to read it."""

    framework_optional: ClassVar[bool] = True
    guessed_kind: ClassVar[str]

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        return cls.named(doc)[0]

    @classmethod
    def named(cls, doc: SourceDocument) -> tuple[float, str]:
        """How plainly the document names itself this kind, and why."""
        for guess in reading.guess_kind(doc):
            if guess.kind == cls.guessed_kind:
                return guess.fit, guess.reason
        return 0.0, f"it never names itself a {cls.guessed_kind}"

    @classmethod
    def assess(cls, doc: SourceDocument) -> tuple[float, str]:
        fit, reason = cls.named(doc)
        other = cls.fits(doc)  # a subclass's own evidence beside the name (tables, outline)
        return (fit, reason) if other <= fit else (other, cls.structure_reason)

    #: what a subclass's ``fits`` weighs besides the document's name for itself
    structure_reason: ClassVar[str] = ""

    def build(self, doc: SourceDocument, builder: DocumentBuilder) -> None:
        self.builder = builder
        #: what the import report should warn of (read by ``pipeline.import_document``)
        self.warnings: list[str] = []
        council = builder.council
        if (council, SKOS.prefLabel, None) not in builder.vocabulary:
            # a council given with --council that the register does not hold yet: named,
            # so that queries can show it
            builder.graph.add((council, RDF.type, GOVKG.Council))
            builder.graph.add((council, SKOS.prefLabel,
                               Literal(builder.context.council_label, lang="en")))
        self.units = reading.sentences(doc)
        self.read(doc)

    @abstractmethod
    def read(self, doc: SourceDocument) -> None:
        """Add what this kind of document states, from ``self.units``."""

    # shared by the statement and the internal audit report
    def year_and_opinion(self) -> None:
        b = self.builder
        kind_words = reading._any(reading.cues()["detect"][self.guessed_kind])
        if (year := statement.year(b.doc, self.units, kind_words)) is not None:
            b.describe(period=year.value)
            b.cite(b.doc.iri, _lines(year), year.quote)
        if (found := statement.opinion(self.units)) is not None:
            node = b.resource("opinion", "internal-audit", GOVKG.InternalAuditOpinion,
                              _lines(found), found.quote, f"internal audit opinion: {found.value}")
            b.graph.add((node, GOVKG.assuranceLevel,
                         ASSURANCE_LEVEL[_LEVEL_SLUGS[found.value]]))
            if year is not None:
                b.graph.add((node, GOVKG.period, Literal(year.value)))
            b.graph.add((b.doc.iri, GOVKG.internalAuditOpinion, node))

    def issues(self) -> None:
        b = self.builder
        for number, issue in enumerate(statement.issues(self.units), start=1):
            node = b.resource("issue", str(number), GOVKG.SignificantGovernanceIssue,
                              _lines(issue), issue.quote, issue.title or None)
            g = b.graph
            g.add((b.doc.iri, GOVKG.significantIssue, node))
            g.add((node, GOVKG.carriedOver, Literal(issue.carried_over)))
            if issue.status:
                g.add((node, GOVKG.issueStatus, Literal(issue.status)))
            if issue.owner:
                owner = b.post(issue.owner, _lines(issue), issue.quote)
                g.add((node, GOVKG.issueOwner, owner))
            if issue.target:
                g.add((node, GOVKG.targetDate, Literal(issue.target)))
            period = g.value(b.doc.iri, GOVKG.period)
            if period is not None:
                g.add((node, GOVKG.period, period))


class StatementImporter(_KindImporter):
    """An annual governance statement: year, internal audit opinion, significant issues,
    signatories."""

    layout: ClassVar[str] = "governance-statement"
    kind: ClassVar[str] = "annual-governance-statement"
    guessed_kind: ClassVar[str] = "annual-governance-statement"
    description: ClassVar[str] = "annual governance statement, any layout"

    #: what a statement is read for, by the property that records each on the document
    LOOKED_FOR: ClassVar[dict[str, URIRef]] = {
        "the year it covers": GOVKG.period,
        "the scope of responsibility": GOVKG.scopeOfResponsibility,
        "the review of effectiveness": GOVKG.effectivenessReview,
        "the internal audit opinion": GOVKG.internalAuditOpinion,
        "significant governance issues": GOVKG.significantIssue,
        "signatories": GOVKG.signatory,
    }

    def read(self, doc: SourceDocument) -> None:
        self.read_statement(doc)
        found = {what for what, prop in self.LOOKED_FOR.items()
                 if (self.builder.doc.iri, prop, None) in self.builder.graph}
        if not found:
            # an import that holds nothing of its kind is said, not passed off as a success
            *rest, last = self.LOOKED_FOR
            self.warnings.append(
                f"nothing was read as {with_article(self.kind)}: looked for "
                f"{', '.join(rest)} and {last}, and found none of them")

    def read_statement(self, doc: SourceDocument) -> None:
        self.year_and_opinion()
        self.scope_and_review()
        self.issues()
        b, g = self.builder, self.builder.graph
        for number, signed in enumerate(statement.signatures(doc, self.units), start=1):
            found = signed.post
            post = b.post(found.value, _lines(found), found.quote)
            g.add((b.doc.iri, GOVKG.signatory, post))
            first = signed.name_line or found.line
            node = b.resource("signature", str(number), GOVKG.Signature,
                              (first, found.end_line), None,
                              f"{signed.name or 'signature'}, {found.value}")
            g.add((b.doc.iri, GOVKG.signature, node))
            g.add((node, GOVKG.signingPost, post))
            if signed.name:
                g.add((node, GOVKG.signatoryName, Literal(signed.name)))

    def scope_and_review(self) -> None:
        """The scope of responsibility, and the review of effectiveness with each post or
        body the statement says took part in it."""
        b, g = self.builder, self.builder.graph
        if (found := statement.scope(self.units)) is not None:
            node = b.resource("scope", "responsibility", GOVKG.ScopeOfResponsibility,
                              _lines(found), found.quote, found.value)
            g.add((b.doc.iri, GOVKG.scopeOfResponsibility, node))
        reviewers = statement.reviewers(self.units)
        if not reviewers:
            return
        first = reviewers[0]
        review = b.resource("review", "effectiveness", GOVKG.EffectivenessReview,
                            _lines(first), first.quote, "review of effectiveness")
        g.add((b.doc.iri, GOVKG.effectivenessReview, review))
        for who in reviewers:
            b.cite(review, _lines(who), who.quote)
            agent = (b.body(who.name, _lines(who), who.quote) if who.is_body
                     else b.post(who.name, _lines(who), who.quote))
            g.add((review, GOVKG.reviewedBy, agent))


class InternalAuditImporter(StatementImporter):
    """The head of internal audit's annual report: year, opinion and the significant
    weaknesses it names for the annual governance statement."""

    layout: ClassVar[str] = "internal-audit"
    kind: ClassVar[str] = "internal-audit-report"
    guessed_kind: ClassVar[str] = "internal-audit-report"
    description: ClassVar[str] = "internal audit annual report and opinion"
    LOOKED_FOR: ClassVar[dict[str, URIRef]] = {
        what: prop for what, prop in StatementImporter.LOOKED_FOR.items()
        if prop in (GOVKG.period, GOVKG.internalAuditOpinion, GOVKG.significantIssue)}

    def read_statement(self, doc: SourceDocument) -> None:
        self.year_and_opinion()
        self.issues()


class AuditorsReportImporter(_KindImporter):
    """An auditor's report or external review: findings with criterion, polarity and
    significance; recommendations with priority, whom they concern and the deadline."""

    layout: ClassVar[str] = "auditors-report"
    kind: ClassVar[str] = "governance-review"
    guessed_kind: ClassVar[str] = "governance-review"
    description: ClassVar[str] = "auditor's annual report or external review, any layout"

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        """How plainly the document names itself a review or auditor's report, or how
        plainly it is a review against governance standards with tables of
        recommendations (:attr:`review.Outline.fit`)."""
        outline = review.read_outline(read_model(doc), _reference_gazetteers())
        return max(super().fits(doc), outline.fit)

    structure_reason: ClassVar[str] = ("it reviews against governance standards with tables "
                                       "of recommendations")

    def read(self, doc: SourceDocument) -> None:
        b, g = self.builder, self.builder.graph
        report = auditors.report_kind(doc)
        for named, namespace, prop in ((auditors.issuer(doc, report), REVIEWER_KIND,
                                        GOVKG.issuedBy),
                                       (report, REPORT_KIND, GOVKG.reportKind)):
            if named is not None:
                g.add((b.doc.iri, prop, namespace[named.kind]))
                b.cite(b.doc.iri, (named.line, named.line), named.quote)
        outline = review.read_outline(read_model(doc), b.gazetteers)
        if outline.standards or outline.rows:
            # the report's own structure (standards, areas, tables of recommendations)
            # says what each finding and recommendation is; its sentences add nothing
            review.ReviewWriter(doc, b, outline).write()
            return
        recommendations = reading.recommendations(self.units)
        for number, rec in enumerate(recommendations, start=1):
            label = rec.subject or (f"{rec.priority} recommendation {rec.ordinal} of {rec.of}")
            node = b.resource("recommendation", str(number), GOVKG.Recommendation,
                              _lines(rec), rec.quote, label)
            g.add((node, GOVKG.priority, PRIORITY[rec.priority]))
            if rec.deadline:
                g.add((node, GOVKG.responseDeadline, Literal(rec.deadline, datatype=XSD.date)))
            if rec.concerns:
                body = b.body(rec.concerns, _lines(rec), rec.quote)
                g.add((node, GOVKG.concerns, body))
        taken = {r.line for r in recommendations}
        for number, finding in enumerate(reading.findings(self.units, taken), start=1):
            node = b.resource("finding", str(number), GOVKG.Finding, _lines(finding),
                              finding.quote, finding.subject or None)
            g.add((node, GOVKG.polarity, POLARITY[finding.polarity]))
            g.add((node, GOVKG.significance, Literal(finding.significance)))
            if finding.criterion:
                g.add((node, GOVKG.criterion, CRITERION[finding.criterion]))


class RatedAssessmentImporter(_KindImporter):
    """A self-assessment on any scale: each rated row keeps the council's label and scale,
    with a normalised score beside it; rows of another checklist are that checklist's own
    scheme, with its source."""

    layout: ClassVar[str] = "rated-assessment"
    kind: ClassVar[str] = "self-assessment"
    guessed_kind: ClassVar[str] = "self-assessment"
    description: ClassVar[str] = "self-assessment on any scale, framework or checklist"

    @classmethod
    def fits(cls, doc: SourceDocument) -> float:
        """How plainly the document names itself a self-assessment, or how many tables it
        has whose headers name an item and a rating column, with rows rated in them (a
        schedule that scores each requirement need not call itself a self-assessment)."""
        rated = tables.tables(read_model(doc), needs=("item", "rating"))
        rows = sum(1 for t in rated for r in t.rows if r.cell("rating").text)
        by_tables = 0.0
        if rated and rows:
            # a rated table says more than a phrase in the title ("SMT Sub-Group AGS" heads
            # a self-assessment made for the statement)
            by_tables = round(min(0.9, 0.6 + 0.1 * min(2, len(rated))
                                  + 0.1 * min(1.0, rows / 5)), 2)
        return max(super().fits(doc), by_tables)

    structure_reason: ClassVar[str] = "its tables rate items in a rating column"

    def read(self, doc: SourceDocument) -> None:
        rated = [t for t in tables.tables(read_model(doc), needs=("item", "rating"))
                 if any(r.cell("rating").text for r in t.rows)]
        if rated:
            declared = re.compile(reading.cues()["assessment"]["declared"], re.IGNORECASE)
            scale = next((m.group("scale").strip() for u in self.units
                          if (m := declared.search(u.text))), "")
            writer = RatedTableWriter(self.builder, rated, scale)
            if self.builder.context.framework is None:
                writer.scheme = self.checklist(reading.assessment(self.units).checklist)
            self.describe_from_tables(doc, rated, writer.period)
            writer.write()
            return
        b, g = self.builder, self.builder.graph
        found = reading.assessment(self.units)
        items = (FrameworkItems(b.vocabulary, b.context.framework)
                 if b.context.framework is not None else None)
        scheme = self.checklist(found.checklist)
        results: dict[str, URIRef] = {}
        for rating in found.ratings:
            target = None
            if rating.framework_item and items is not None:
                item = items.by_notation.get(rating.item)
                target = item.iri if item is not None else None
            elif scheme is not None:
                target = URIRef(f"{scheme}/{slugify(rating.item)}")
                g.add((target, RDF.type, SKOS.Concept))
                g.add((target, SKOS.inScheme, scheme))
                g.add((target, SKOS.notation, Literal(rating.item)))
            if target is None:
                continue
            node = b.resource("result", rating.item, GOVKG.SelfAssessmentResult,
                              _lines(rating), rating.quote)
            results[rating.item] = node
            g.add((node, GOVKG.assesses, target))
            g.add((node, GOVKG.ratingLabel, Literal(rating.rating)))
            if found.scale_text:
                g.add((node, GOVKG.ratingScale, Literal(found.scale_text)))
            if rating.normalised is not None:
                g.add((node, GOVKG.normalisedScore, decimal(rating.normalised)))
                # the label's rank on the council's ordinal scale, counted from its worst
                # label as 1, so that a labelled rating is a score on its scale too
                size = len(found.scale)
                g.add((node, GOVKG.score, decimal(round(1 + rating.normalised * (size - 1)))))
                g.add((node, GOVKG.scaleMinimum, decimal(1)))
                g.add((node, GOVKG.scaleMaximum, decimal(size)))
        for item, action in found.actions:
            node = b.resource("action", item, GOVKG.ImprovementAction, _lines(action),
                              action.quote, action.value)
            g.add((node, RDFS.comment, Literal(action.value, lang="en")))
            if item in results:
                g.add((results[item], GOVKG.improvementAction, node))

    def describe_from_tables(self, doc: SourceDocument, rated: list[tables.Table],
                             period: str) -> None:
        """The title (the headings before the first rated table and the text that leads
        into it) and the period the tables' headers name."""
        first = rated[0].lead_in_line or rated[0].header.line
        titles = [b for b in read_model(doc).blocks
                  if b.kind is BlockKind.HEADING and b.span.end_line < first]
        if titles:
            self.builder.describe(title=": ".join(" ".join(b.text.split()) for b in titles),
                                  period=period or None,
                                  lines=(titles[0].span.line, titles[-1].span.end_line))
        elif period:
            self.builder.describe(period=period)

    def checklist(self, found: Found | None) -> URIRef | None:
        """The checklist the document assesses against, where it is not the framework
        (CIPFA's audit committee position statement, say): a scheme of its own, named and
        sourced as the document names it."""
        if found is None:
            return None
        b, g = self.builder, self.builder.graph
        scheme = ID[f"document/{b.doc.id}/checklist"]
        g.add((scheme, RDF.type, SKOS.ConceptScheme))
        g.add((scheme, SKOS.prefLabel, Literal(found.value, lang="en")))
        g.add((scheme, DCTERMS.source, Literal(found.value)))
        b.cite(scheme, _lines(found), found.quote)
        return scheme
