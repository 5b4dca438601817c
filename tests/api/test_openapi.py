"""A property-based run over the OpenAPI document (schemathesis): no request the document
allows may get a server error. Reads only (the served app is read-only anyway), a bounded
number of examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from tests.api.conftest import Server


@pytest.fixture(scope="module")
def api_schema(server: Server) -> schemathesis.BaseSchema:
    return schemathesis.openapi.from_url(f"{server.url}/openapi.json")


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.include(method="GET").parametrize()
@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call(timeout=120)  # the first /docs request writes the documentation
    assert response.status_code < 500, (case.path, case.query, response.content[:500])
    content_type = response.headers.get("content-type") or [""]  # schemathesis: lists
    if not str(content_type[0] if isinstance(content_type, list) else content_type)\
            .startswith(("image/", "application/vnd.openxmlformats")):  # pictures and
        # workbooks are bytes, not text
        assert "Traceback" not in response.text


#: the routes whose contract this suite holds to the letter (the SPARQL protocol,
#: validation, analytics, pages and resources); the others are checked for 5xx above
CONFORMING = r"^/(sparql|validate|councils/\{slug\}/validation|analytics|id/|def/|query$|$)"
CONFORMANCE_CHECKS = [checks.not_a_server_error, checks.status_code_conformance,
                      checks.content_type_conformance, checks.response_schema_conformance]


@schema.include(path_regex=CONFORMING).parametrize()
@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_answers_match_the_openapi_document(case: schemathesis.Case) -> None:
    """Every status code and body is one the document declares, with its schema."""
    response = case.call(timeout=120)
    case.validate_response(response, checks=CONFORMANCE_CHECKS)
