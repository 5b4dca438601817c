"""The JSON bodies the service answers with, as models for the OpenAPI document.

Responses are written by Oxigraph (SPARQL results) or by :mod:`govkg.graph.reports`; these
models only describe them, so clients and schemathesis know what a 200 holds.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class PrincipleShare(BaseModel):
    """How much of one principle a council's local code addresses."""

    principle: str
    label: str
    items: int
    addressed: int
    share: float


class CouncilValidation(BaseModel):
    """One council's SHACL report in ``report_json``'s shape."""

    council: str
    label: str
    conforms: bool
    violations: int
    warnings: int
    completeness: float | None
    coverage: list[PrincipleShare]
    findings: list[dict[str, str | None]]


class ValidationReport(BaseModel):
    """``GET /councils/{slug}/validation`` and ``POST /validate`` in JSON."""

    councils: list[CouncilValidation]


#: SPARQL 1.1 Query Results JSON (W3C), as a JSON schema: a table or a boolean
SPARQL_RESULTS_JSON: dict[str, Any] = {
    "type": "object", "required": ["head"],
    "properties": {
        "head": {"type": "object", "properties": {
            "vars": {"type": "array", "items": {"type": "string"}},
            "link": {"type": "array", "items": {"type": "string"}}}},
        "results": {"type": "object", "required": ["bindings"], "properties": {
            "bindings": {"type": "array", "items": {
                "type": "object", "additionalProperties": {
                    "type": "object", "required": ["type", "value"], "properties": {
                        "type": {"enum": ["uri", "literal", "bnode", "triple"]},
                        "value": {}, "datatype": {"type": "string"},
                        "xml:lang": {"type": "string"}}}}}}},
        "boolean": {"type": "boolean"}}}
