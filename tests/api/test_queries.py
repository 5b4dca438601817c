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
        paging = {"limit", "offset"} if query.form == "SELECT" else set()
        declared = {p["name"]: p for p in operation["parameters"]
                    if p["name"] not in {"format", *paging}}
        assert {p["name"] for p in operation["parameters"]} == {
            "format", *paging, *(p.name for p in query.params)}
        for param in query.params:
            schema = declared[param.name]["schema"]
            types = {s.get("type") for s in schema.get("anyOf", [schema])} - {"null"}
            assert types == {TYPES[param.type][1]}, (name, param.name, schema)


def _officers(client: httpx.Client, council: str) -> httpx.Response:
    return client.get("/queries/statutory-officers", params={"council": council},
                      headers={"accept": "text/csv"})


def test_a_council_by_the_names_users_type(client: httpx.Client) -> None:
    """Slug, label, part of the label, GSS code, IRI: the same council, the same rows."""
    expected = _officers(client, "testshire-county-council").text
    assert COUNCIL in expected
    for typed in ("Testshire County Council", "Testshire", "testshire county council",
                  "E99999999", COUNCIL):
        response = _officers(client, typed)
        assert response.status_code == 200, (typed, response.text)
        assert response.text == expected, typed


@pytest.mark.parametrize(("query", "param", "value"), [
    ("statutory-officers", "council", "narnia"),  # no council by that name
    ("statutory-officers", "council", "nonsense"),
    ("topic-owners", "topic", "nonsense"),
    ("statutory-officers", "role", "chief-cook"),
    ("crosswalk", "item", "2016:G.7"),  # well-formed, but no such item
])
def test_a_value_that_names_nothing_is_a_400_saying_what_is_accepted(
        client: httpx.Client, query: str, param: str, value: str) -> None:
    response = client.get(f"/queries/{query}", params={param: value})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert f"'{param}'" in detail and "names nothing" in detail
    if param == "council":
        assert "testshire-county-council (Testshire County Council)" in detail


def test_topic_by_a_label_with_a_hyphen(client: httpx.Client) -> None:
    by_slug = client.get("/queries/topic-owners", params={"topic": "whistleblowing"})
    by_label = client.get("/queries/topic-owners", params={"topic": "whistle-blowing"})
    assert by_label.status_code == 200 and by_label.json() == by_slug.json()


def test_named_query_pages(client: httpx.Client) -> None:
    everything = client.get("/queries/coverage-matrix").json()["results"]["bindings"]
    assert len(everything) > 5
    first = client.get("/queries/coverage-matrix", params={"limit": 3})
    assert first.status_code == 200
    assert first.headers["x-total-count"] == str(len(everything))
    assert first.json()["results"]["bindings"] == everything[:3]
    assert "offset=3" in first.headers["link"] and 'rel="next"' in first.headers["link"]
    last = client.get("/queries/coverage-matrix",
                      params={"limit": 3, "offset": len(everything) - 2})
    assert last.json()["results"]["bindings"] == everything[-2:]
    assert "link" not in last.headers
    bound = client.get("/queries/statutory-officers",
                       params={"council": "Testshire", "limit": 1, "offset": 1})
    rows = client.get("/queries/statutory-officers",
                      params={"council": "Testshire"}).json()["results"]["bindings"]
    assert bound.headers["x-total-count"] == str(len(rows))
    assert bound.json()["results"]["bindings"] == rows[1:2]
    assert client.get("/queries/coverage-matrix", params={"limit": 0}).status_code == 422
