"""G3's kinds of document, read by the same pipeline as local codes: annual governance
statements, internal audit annual reports, self-assessments on any scale and auditors'
reports. Importing this package registers their kinds and layouts (rdflib's plugin way),
so ``govkg import`` detects them from their wording like any other layout."""

from __future__ import annotations

from govkg.graph.importers.base import KINDS, LAYOUTS
from govkg.graph.namespaces import GOVKG

KINDS.setdefault("annual-governance-statement", GOVKG.AnnualGovernanceStatement)
KINDS.setdefault("internal-audit-report", GOVKG.InternalAuditReport)
for _name, _target in {
    "governance-statement": "StatementImporter",
    "internal-audit": "InternalAuditImporter",
    "rated-assessment": "RatedAssessmentImporter",
    "auditors-report": "AuditorsReportImporter",
}.items():
    LAYOUTS.setdefault(_name, f"govkg.graph.importers.kinds.importers:{_target}")
