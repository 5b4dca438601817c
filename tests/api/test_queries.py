"""Named queries: listed, run with typed parameters, in every format, in the OpenAPI."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.routing import Match

from govkg.api.app import create_app
from govkg.api.errors import NotAcceptable
from govkg.api.negotiation import choose
from govkg.api.routers.queries import Shortcut
from govkg.graph.querylib import TYPES, load_queries
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
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


# ---------------------------------------------------------------- the shortcut


def _scope(path: str, query: str = "", method: str = "GET") -> dict[str, object]:
    return {"type": "http", "method": method, "path": path, "root_path": "",
            "query_string": query.encode("latin-1"), "headers": []}


def _shortcut(app: FastAPI) -> Shortcut:
    found = [route for route in app.router.routes if isinstance(route, Shortcut)]
    assert len(found) == 1 and app.router.routes.index(found[0]) <= 1  # before the others
    return found[0]


def test_the_shortcut_takes_only_plain_parameters(app: FastAPI) -> None:
    shortcut = _shortcut(app)
    officers = "/queries/statutory-officers"
    match, child = shortcut.matches(_scope(officers, "council=Kent%20CC&limit=5&offset=0"))
    assert match is Match.FULL
    assert child["govkg.named_query"][1] == {"p_council": "Kent CC", "limit": 5, "offset": 0}
    assert shortcut.matches(_scope(officers, "council="))[0] is Match.FULL  # FastAPI's ""
    assert shortcut.matches(_scope("/queries/crosswalk"))[0] is Match.FULL
    declined = [
        (officers, "council=a&council=b"),  # repeated
        (officers, "council=" + "x" * 2001),  # longer than a text parameter takes
        (officers, "limit=0"), (officers, "limit=10001"), (officers, "offset=-1"),
        (officers, "limit=%205"), (officers, "limit=five"), (officers, "limit=%D9%A3"),
        (officers, "unknown=1"),  # not a parameter of the query
        ("/queries/lowest-scoring-items", "max_score=3.5"),  # a number: FastAPI parses it
        ("/queries/assurance-gaps/", ""), ("/queries/no-such-query", ""), ("/queries", ""),
    ]
    for path, query in declined:
        assert shortcut.matches(_scope(path, query))[0] is Match.NONE, (path, query)
    for method in ("HEAD", "POST"):
        assert shortcut.matches(_scope(officers, method=method))[0] is Match.NONE


@pytest.fixture(scope="module")
def without_shortcut(store: EmbeddedStore, docs_cache: Path) -> Iterator[httpx.Client]:
    """The same app with the shortcut taken out: every request takes the FastAPI route."""
    application = create_app(Settings(query_timeout=5, query_workers=1, docs_cache=docs_cache,
                                      cors_origins=["http://allowed.example"]), store=store)
    application.router.routes.remove(_shortcut(application))
    yield TestClient(application, base_url="http://testserver", follow_redirects=False)
    application.state.stop()


@pytest.mark.parametrize(("path", "params", "accept"), [
    ("/queries/statutory-officers", {"council": "Testshire"}, "application/sparql-results+json"),
    ("/queries/statutory-officers", {"council": "testshire-county-council", "format": "csv"},
     None),
    ("/queries/body-functions", {"council": "testshire-county-council"}, "text/html"),
    ("/queries/coverage-matrix", {"limit": "3", "offset": "1"}, None),
    ("/queries/statutory-officers", {"council": "Testshire", "limit": "1"}, None),
    ("/queries/statutory-officers", {"council": "nowhere at all"}, None),  # 400
    ("/queries/statutory-officers", {"format": "turtle"}, None),  # 406
    ("/queries/statutory-officers", {}, "image/png"),  # 406
], ids=["json", "csv", "html", "page", "bound-page", "names-nothing", "no-such-format",
        "not-acceptable"])
def test_the_shortcut_answers_as_the_fastapi_route(
        client: httpx.Client, without_shortcut: httpx.Client, path: str,
        params: dict[str, str], accept: str | None) -> None:
    headers = {"accept": accept} if accept else {}
    fast, slow = (c.get(path, params=params, headers=headers) for c in (client, without_shortcut))
    assert fast.status_code == slow.status_code
    for header in ("content-type", "x-total-count", "link", "vary"):
        assert fast.headers.get(header) == slow.headers.get(header), header
    if fast.headers["content-type"].startswith("text/html"):
        assert "Audit and Governance Committee" in fast.text and fast.text == slow.text
    else:
        assert fast.content == slow.content


def test_a_refused_format_is_refused_alike_every_time() -> None:
    """Refusals are remembered as their message; each is raised as a new exception."""
    raised = []
    for _ in range(2):
        with pytest.raises(NotAcceptable) as caught:
            choose("graph", "application/sparql-results+json", html=False)
        raised.append(caught.value)
    assert raised[0] is not raised[1]
    assert str(raised[0]) == str(raised[1]) and "text/turtle" in str(raised[0])
