"""Named queries: listed, run with typed parameters, in every format, in the OpenAPI."""

from __future__ import annotations

import csv
import io

import httpx
import pytest

from govkg.graph.querylib import TYPES, load_queries
from tests.api.conftest import COUNCIL

QUERIES = sorted(load_queries())


def test_list_queries(client: httpx.Client) -> None:
    listed = client.get("/queries", headers={"accept": "application/json"}).json()["queries"]
    assert sorted(q["name"] for q in listed) == QUERIES
    officers = next(q for q in listed if q["name"] == "statutory-officers")
    assert {p["name"]: p["type"] for p in officers["params"]} == {"council": "council",
                                                                  "role": "role"}
    page = client.get("/queries", headers={"accept": "text/html"})
    assert page.status_code == 200 and "Who holds each statutory role" in page.text


@pytest.mark.parametrize("name", QUERIES)
def test_every_query_runs(client: httpx.Client, name: str) -> None:
    query = load_queries()[name]
    accept = "text/turtle" if query.form in ("CONSTRUCT", "DESCRIBE") else \
        "application/sparql-results+json"
    response = client.get(f"/queries/{name}", headers={"accept": accept})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(accept)


def test_statutory_officers_for_the_council(client: httpx.Client) -> None:
    response = client.get("/queries/statutory-officers",
                          params={"council": "testshire-county-council"},
                          headers={"accept": "text/csv"})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    held = {row["roleLabel"]: row["postLabel"] for row in rows if row["post"]}
    assert held["Head of Paid Service"] == "Chief Executive"
    assert held["Monitoring Officer"].startswith("Director of Law")
    unassigned = {row["roleLabel"] for row in rows if not row["post"]}
    assert unassigned == {"Chief Finance Officer"}
    assert {row["council"] for row in rows} == {COUNCIL}


def test_typed_parameters(client: httpx.Client) -> None:
    low = client.get("/queries/lowest-scoring-items", params={"max_score": "3.5"})
    assert [float(b["score"]["value"]) for b in low.json()["results"]["bindings"]] == [3.0]
    none = client.get("/queries/lowest-scoring-items", params={"max_score": "2"})
    assert none.json()["results"]["bindings"] == []
    not_a_number = client.get("/queries/lowest-scoring-items", params={"max_score": "lots"})
    assert not_a_number.status_code == 422
    assert not_a_number.json()["errors"][0]["parameter"] == "max_score"
    bad_slug = client.get("/queries/statutory-officers", params={"council": "no such/council"})
    assert bad_slug.status_code == 400
    assert "'council'" in bad_slug.json()["detail"]
    bad_item = client.get("/queries/crosswalk", params={"item": "Z.99"})
    assert bad_item.status_code == 400 and "'item'" in bad_item.json()["detail"]


def test_html_table_with_parameter_form(client: httpx.Client) -> None:
    page = client.get("/queries/body-functions", params={"council": "testshire-county-council"},
                      headers={"accept": "text/html"})
    assert page.status_code == 200
    assert "Audit and Governance Committee" in page.text
    assert 'name="council"' in page.text and 'value="testshire-county-council"' in page.text


def test_openapi_has_one_typed_operation_per_query(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    for name, query in load_queries().items():
        operation = spec["paths"][f"/queries/{name}"]["get"]
        assert operation["operationId"] == name
        assert operation["summary"] == query.title
        declared = {p["name"]: p for p in operation["parameters"] if p["name"] != "format"}
        assert set(declared) == {p.name for p in query.params}
        for param in query.params:
            schema = declared[param.name]["schema"]
            types = {s.get("type") for s in schema.get("anyOf", [schema])} - {"null"}
            assert types == {TYPES[param.type][1]}, (name, param.name, schema)
