"""The OpenAPI document tells the truth about the routes of the Graph Store, the named
queries and the dataset: schemathesis sends what the document allows (writes too: the
served app has no write token, so each is refused) and checks that every status code,
content type and error body is one the document declares."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def contract_schema(server: Server) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("contract_schema")
OWNED = r"^/(rdf-graph-store|queries|queries/[a-z-]+|dataset|dumps/\{name\}|docs/\{name\})$"


@schema.include(path_regex=OWNED).parametrize()
@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_documented_statuses_and_bodies(case: schemathesis.Case) -> None:
    response = case.call(timeout=120)
    case.validate_response(response, checks=[status_code_conformance, content_type_conformance,
                                             response_schema_conformance])
