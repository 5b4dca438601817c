"""A store on a SPARQL 1.1 server: the Protocol for queries and updates, plus the Graph
Store Protocol where the server has it.

The URL chooses the server: ``open_remote`` probes the usual endpoint layouts (Oxigraph
``/query``, ``/update``, ``/store``; Virtuoso ``/sparql`` with ``/sparql-auth`` and
``/sparql-graph-crud-auth`` when credentials are given; otherwise one endpoint for both
queries and updates) and reads the ``Server`` header to pick the subclass whose
capability flags fit. ``GOVKG_STORE_QUERY_ENDPOINT``, ``..._UPDATE_ENDPOINT`` and
``..._GSP_ENDPOINT`` override what it finds.

A replace is one update request ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> {...} }``.
Data too large for one request goes to staging graphs in several requests and is then
moved over its targets in one request. Whether a request is one transaction is up to the
server: the subclasses say, and ``docs/store.md`` reports what the tests found.

Queries must be standard SPARQL 1.1: they are parsed locally (by Oxigraph's parser, on an
empty store) to choose the result format and to report syntax errors with a position.
The server must treat its default graph as the union of the named graphs (Virtuoso does;
Oxigraph needs ``--union-default-graph``; Fuseki ``tdb2:unionDefaultGraph true``).
"""

from __future__ import annotations

import contextlib
import re
import time
import uuid
from collections.abc import Generator, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ClassVar

import httpx
import pyoxigraph as ox
from rdflib import Graph
from rdflib.term import Node

from govkg.graph.errors import Location, QueryError, StoreError
from govkg.graph.store import derived
from govkg.graph.store.base import (
    STAGING_PREFIX,
    ExportFormat,
    GraphInfo,
    GraphName,
    QueryResult,
    QueryTimeout,
    SelectResult,
    Store,
    Triples,
)
from govkg.graph.store.rdffiles import file_statements, serialise
from govkg.graph.store.terms import (
    bind_values,
    from_json,
    from_ox,
    n3,
    ox_graph_name,
    query_form,
    to_ox,
)

_JSON_RESULTS = "application/sparql-results+json"
_NTRIPLES = "application/n-triples"
_NQUADS = "application/n-quads"
_BNODE = re.compile(r"_:([A-Za-z0-9]+)")
#: Staging graphs older than this are leftovers of a client that died mid-load.
STALE_STAGING_SECONDS = 3600


class AutoAuth(httpx.Auth):
    """HTTP Basic or Digest, whichever the server asks for in its first 401.

    Virtuoso's ``-auth`` endpoints want Digest; most proxies in front of Fuseki or
    GraphDB want Basic. Once the scheme is known, later requests authenticate at once.
    """

    requires_request_body = True

    def __init__(self, user: str, password: str) -> None:
        self._basic = httpx.BasicAuth(user, password)
        self._digest = httpx.DigestAuth(user, password)
        self._scheme: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if self._scheme == "digest":
            yield from self._digest.auth_flow(request)
            return
        if self._scheme == "basic":
            yield from self._basic.auth_flow(request)
            return
        response = yield request
        if response.status_code != 401:
            return
        challenges = " ".join(response.headers.get_list("www-authenticate")).lower()
        if "digest" in challenges:
            self._scheme = "digest"
            flow = self._digest.auth_flow(request)
            next(flow)
            try:
                retry = flow.send(response)
            except StopIteration:
                return
            yield retry
        elif "basic" in challenges:
            self._scheme = "basic"
            yield from self._basic.auth_flow(request)


class RemoteStore(Store):
    """Any server that speaks the SPARQL 1.1 Protocol and Update.

    Makes no promise beyond the standard: a server that runs each request as one
    transaction should get a subclass that says so.
    """

    #: Name of the server kind, for messages.
    server: ClassVar[str] = "SPARQL 1.1 server"
    #: The most triples one update request carries; more go through staging graphs.
    max_request_triples: ClassVar[int] = 20_000
    #: Does ``INSERT DATA`` accept blank nodes? (SPARQL says yes; Virtuoso 7 says no.)
    bnodes_in_insert_data: ClassVar[bool] = True
    #: Derive each council's facts by operations of its own, its graph a constant.
    derive_per_council: ClassVar[bool] = False
    #: Graphs of the server's own that are not govkg data.
    system_graph_prefixes: ClassVar[tuple[str, ...]] = ()

    def __init__(
        self,
        url: str,
        *,
        query_endpoint: str,
        update_endpoint: str,
        gsp_endpoint: str | None = None,
        client: httpx.Client | None = None,
    ) -> None:
        self.location = url
        self.query_endpoint = query_endpoint
        self.update_endpoint = update_endpoint
        self.gsp_endpoint = gsp_endpoint
        self._client = client or httpx.Client(timeout=60.0)

    # ------------------------------------------------------------------ HTTP

    def _post(self, endpoint: str, data: dict[str, Any], accept: str | None,
              timeout: float | None = None, what: str = "request") -> httpx.Response:
        """POST a form and read the whole answer within ``timeout`` seconds in total
        (httpx's own timeouts bound each read, not the whole answer)."""
        headers = {"Accept": accept} if accept else {}
        deadline = None if timeout is None else time.monotonic() + timeout
        limit = httpx.Timeout(timeout if timeout is not None else 600.0, connect=10.0)
        try:
            with self._client.stream("POST", endpoint, data=data, headers=headers,
                                     timeout=limit) as response:
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if deadline is not None and time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline", request=response.request)
        except httpx.TimeoutException:
            raise QueryTimeout(f"{what} stopped after its time limit of {timeout:g} s",
                               Location(endpoint)) from None
        except httpx.HTTPError as exc:
            raise StoreError(f"cannot reach the {self.server}: {exc}", Location(endpoint)) from None
        answer = httpx.Response(response.status_code, headers=response.headers,
                                content=bytes(body), request=response.request)
        self._check(answer, what)
        return answer

    def _check(self, response: httpx.Response, what: str) -> None:
        if response.status_code < 400:
            return
        where = Location(str(response.request.url).split("?")[0])
        detail = response.text.strip()[:500]
        if response.status_code in (401, 403):
            raise StoreError(f"the {self.server} refused the {what} ({response.status_code}); "
                             "set GOVKG_STORE_USER and GOVKG_STORE_PASSWORD", where)
        if response.status_code == 400:
            raise QueryError(f"the {self.server} rejected the {what}: {detail}", where)
        raise StoreError(f"{what} failed with HTTP {response.status_code}: {detail}", where)

    # ------------------------------------------------------------------ reading

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Node] | None = None,
        *,
        default_graph: Iterable[GraphName] | None = None,
        named_graphs: Iterable[GraphName] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        text = bind_values(sparql, bindings) if bindings else sparql
        form, _ = query_form(text)
        data: dict[str, Any] = {"query": text}
        if default_graph is not None:
            data["default-graph-uri"] = [ox_graph_name(g).value for g in default_graph]
        if named_graphs is not None:
            data["named-graph-uri"] = [ox_graph_name(g).value for g in named_graphs]
        accept = _NTRIPLES if form == "graph" else _JSON_RESULTS
        response = self._post(self.query_endpoint, data, accept, timeout, "query")
        if form == "graph":
            return self._graph_from(response)
        try:
            body = response.json()
        except ValueError:
            raise StoreError(f"the {self.server} sent results that are not JSON",
                             Location(self.query_endpoint)) from None
        if form == "ask":
            return bool(body.get("boolean"))
        variables = list(body.get("head", {}).get("vars", []))
        rows = [{name: from_json(value) for name, value in binding.items()}
                for binding in body.get("results", {}).get("bindings", [])]
        return SelectResult(variables, rows)

    def _graph_from(self, response: httpx.Response) -> Graph:
        graph = Graph()
        for quad in self._parse(response, ox.RdfFormat.N_TRIPLES):
            graph.add((from_ox(quad.subject), from_ox(quad.predicate), from_ox(quad.object)))
        return graph

    def _parse(self, response: httpx.Response, default: ox.RdfFormat) -> Iterator[Any]:
        media = response.headers.get("content-type", "").split(";")[0].strip()
        fmt = ox.RdfFormat.from_media_type(media) if media else None
        try:
            yield from ox.parse(response.content, format=fmt or default)
        except SyntaxError as exc:
            raise StoreError(f"the {self.server} sent unreadable RDF ({media}): {exc}",
                             Location(str(response.request.url))) from None

    def _is_govkg_graph(self, iri: str) -> bool:
        return not iri.startswith(STAGING_PREFIX) and not iri.startswith(
            self.system_graph_prefixes) and not derived.is_derived(iri)

    def graphs(self) -> list[GraphInfo]:
        result = self.query(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        assert isinstance(result, SelectResult)
        return sorted(GraphInfo(str(row["g"]), int(row["n"])) for row in result
                      if self._is_govkg_graph(str(row["g"])))

    def _graph_quads(self, graph: str) -> Iterator[ox.Quad]:
        name = ox.NamedNode(graph)
        if self.gsp_endpoint:
            try:
                response = self._client.get(self.gsp_endpoint, params=self._gsp_params(graph),
                                            headers={"Accept": _NTRIPLES})
            except httpx.HTTPError as exc:
                raise StoreError(f"cannot reach the {self.server}: {exc}",
                                 Location(self.gsp_endpoint)) from None
            if response.status_code == 404:
                return
            self._check(response, "graph download")
            for quad in self._parse(response, ox.RdfFormat.N_TRIPLES):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, name)
            return
        result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
        assert isinstance(result, Graph)
        for s, p, o in result:
            yield ox.Quad(to_ox(s), to_ox(p), to_ox(o), name)

    def _gsp_params(self, graph: str) -> dict[str, str]:
        return {"graph": graph}

    def export(self, format: ExportFormat = "trig", graph: GraphName | None = None) -> bytes:
        names = [str(graph)] if graph is not None else [info.iri for info in self.graphs()]
        return serialise((quad for name in names for quad in self._graph_quads(name)), format)

    # ------------------------------------------------------------------ writing

    def update(self, sparql: str) -> None:
        self._post(self.update_endpoint, {"update": sparql}, None, None, "update")

    def _select(self, sparql: str) -> list[dict[str, str]]:
        result = self.query(sparql)
        assert isinstance(result, SelectResult)
        return [{name: str(value) for name, value in row.items()} for row in result.rows]

    def drop_graph(self, graph: GraphName) -> None:
        name = ox_graph_name(graph).value
        derivation = derived.plan_change(self._select, [name], set())
        derivation.per_council = self.derive_per_council
        self.update(derivation.update([f"DROP SILENT GRAPH <{name}>"]))

    def replace_graphs(self, graphs: Mapping[GraphName, Triples]) -> dict[str, int]:
        lines = {}
        for name, triples in graphs.items():
            iri = ox_graph_name(name).value
            lines[iri] = [f"{n3(s)} {n3(p)} {n3(o)} ." for s, p, o in triples]
        self._replace_lines(lines)
        return {name: len(statements) for name, statements in lines.items()}

    def load_file(self, path: Path, *, graph: GraphName | None = None) -> dict[str, int]:
        default = ox_graph_name(graph) if graph is not None else None
        statements = file_statements(path, default)
        self._replace_lines(statements)
        return {name: len(lines) for name, lines in statements.items()}

    def _insert(self, graphs: Mapping[str, list[str]]) -> str:
        blocks = " ".join(f"GRAPH <{name}> {{\n{chr(10).join(statements)}\n}}"
                          for name, statements in graphs.items() if statements)
        if not blocks:
            return ""
        if self.bnodes_in_insert_data or not any("_:" in s for v in graphs.values() for s in v):
            return f"INSERT DATA {{ {blocks} }}"
        return f"INSERT {{ {blocks} }} WHERE {{}}"  # fresh blank nodes, one solution

    def _replace_lines(self, graphs: Mapping[str, list[str]]) -> None:
        """Replace graphs, with the derived facts of the councils they concern in the same
        request as the swap (one transaction where the server makes a request one)."""
        derivation = derived.plan_change(self._select, graphs, derived.councils_in_statements(
            s for statements in graphs.values() for s in statements))
        derivation.per_council = self.derive_per_council
        total = sum(len(statements) for statements in graphs.values())
        if total <= self.max_request_triples:
            operations = [f"DROP SILENT GRAPH <{name}>" for name in graphs]
            insert = self._insert(graphs)
            self.update(derivation.update([*operations, *([insert] if insert else [])]))
            return
        load_id = f"{int(time.time())}-{uuid.uuid4().hex[:12]}"
        staging = {name: f"{STAGING_PREFIX}{load_id}/{i}" for i, name in enumerate(graphs)}
        try:
            for name, statements in graphs.items():
                for chunk in _chunks(statements, self.max_request_triples):
                    self.update(self._insert({staging[name]: chunk}))
            swap = [f"MOVE SILENT <{staging[name]}> TO <{name}>" if statements
                    else f"DROP SILENT GRAPH <{name}>" for name, statements in graphs.items()]
            self.update(derivation.update(swap))
        except StoreError:
            self._drop_quietly(staging.values())
            raise

    def _drop_quietly(self, graphs: Iterable[str]) -> None:
        """Best effort after a failed load; what stays is dropped when it goes stale."""
        with contextlib.suppress(StoreError):
            self.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))

    def drop_stale_staging(self, older_than: float = STALE_STAGING_SECONDS) -> list[str]:
        """Drop staging graphs left by clients that died mid-load; returns their IRIs."""
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } "
                            f"FILTER(STRSTARTS(STR(?g), \"{STAGING_PREFIX}\")) }}")
        assert isinstance(result, SelectResult)
        now = time.time()
        stale = []
        for graph in result.column("g"):
            match = re.match(re.escape(STAGING_PREFIX) + r"(\d+)-", str(graph))
            if match and now - int(match.group(1)) > older_than:
                stale.append(str(graph))
        if stale:
            self.update(" ; ".join(f"DROP SILENT GRAPH <{g}>" for g in stale))
        return stale

    def close(self) -> None:
        self._client.close()


def _chunks(statements: list[str], size: int) -> Iterator[list[str]]:
    """Chunks of at most ``size`` statements (more only for one blank-node cluster),
    keeping every statement that shares a blank node in the same chunk, because a
    blank-node label means the same node only within one request."""
    parent: dict[str, str] = {}

    def find(label: str) -> str:
        while parent.setdefault(label, label) != label:
            parent[label] = parent[parent[label]]
            label = parent[label]
        return label

    clusters: dict[str, list[str]] = {}
    plain: list[str] = []
    keyed: list[tuple[str, str]] = []
    for statement in statements:
        labels = _BNODE.findall(statement)
        if not labels:
            plain.append(statement)
            continue
        root = find(labels[0])
        for other in labels[1:]:
            parent[find(other)] = root
        keyed.append((labels[0], statement))
    for label, statement in keyed:
        clusters.setdefault(find(label), []).append(statement)
    chunk: list[str] = []
    for group in [*clusters.values(), *([s] for s in plain)]:
        if chunk and len(chunk) + len(group) > size:
            yield chunk
            chunk = []
        chunk.extend(group)
    if chunk:
        yield chunk


class OxigraphServerStore(RemoteStore):
    """``oxigraph serve``: each request is one transaction, reads are snapshots."""

    server = "Oxigraph server"
    transactional_updates = True
    isolated_reads = True
    max_request_triples = 200_000


class VirtuosoStore(RemoteStore):
    """OpenLink Virtuoso 7: runs a request's operations one by one, so a failure part-way
    keeps the earlier ones; refuses blank nodes in ``INSERT DATA``; its SPARQL compiler
    gives up on requests of a few thousand triples ("memory exhausted"), or of about a
    thousand in an ``INSERT {...} WHERE {}`` ("generated SQL text has exceeded 10000
    lines")."""

    server = "Virtuoso"
    max_request_triples = 500
    derive_per_council = True  # see derived._per_council
    bnodes_in_insert_data = False
    system_graph_prefixes = (
        "http://www.openlinksw.com/",
        "http://www.w3.org/ns/ldp#",
        "http://localuriqaserver/",
        "http://www.w3.org/2002/07/owl#",
    )

    def _gsp_params(self, graph: str) -> dict[str, str]:
        return {"graph-uri": graph}


def _probe(client: httpx.Client, endpoint: str) -> httpx.Response | None:
    """The answer to ``ASK {}`` at an endpoint, or None when it is no SPARQL endpoint."""
    try:
        response = client.get(endpoint, params={"query": "ASK {}"},
                              headers={"Accept": _JSON_RESULTS}, timeout=10.0)
    except httpx.HTTPError:
        return None
    if response.status_code != 200:
        return None
    try:
        return response if "boolean" in response.json() else None
    except ValueError:
        return None


def open_remote(
    url: str,
    *,
    user: str | None = None,
    password: str | None = None,
    query_endpoint: str | None = None,
    update_endpoint: str | None = None,
    gsp_endpoint: str | None = None,
) -> RemoteStore:
    """Connect to the SPARQL server at ``url``, finding its endpoints and its kind."""
    auth = AutoAuth(user, password or "") if user else None
    client = httpx.Client(auth=auth, timeout=60.0)
    root = url.rstrip("/")
    for suffix in ("/query", "/sparql-auth", "/sparql"):
        if root.endswith(suffix):
            root = root[: -len(suffix)]
            break
    candidates = ([query_endpoint] if query_endpoint
                  else [url.rstrip("/")] if root != url.rstrip("/")
                  else [root + "/query", root + "/sparql", root])
    probe = found = None
    for candidate in candidates:
        probe = _probe(client, candidate)
        if probe is not None:
            found = candidate
            break
    if probe is None or found is None:
        client.close()
        raise StoreError("no SPARQL endpoint answers there (tried "
                         f"{', '.join(candidates)}); set GOVKG_STORE_QUERY_ENDPOINT", Location(url))
    server = probe.headers.get("server", "").lower()
    store: RemoteStore
    if "oxigraph" in server:
        store = OxigraphServerStore(
            url, query_endpoint=found, update_endpoint=update_endpoint or root + "/update",
            gsp_endpoint=gsp_endpoint or root + "/store", client=client)
    elif "virtuoso" in server:
        suffix = "-auth" if user else ""
        store = VirtuosoStore(
            url, query_endpoint=found,
            update_endpoint=update_endpoint or f"{root}/sparql{suffix}",
            gsp_endpoint=gsp_endpoint or f"{root}/sparql-graph-crud{suffix}", client=client)
    else:
        store = RemoteStore(url, query_endpoint=found, update_endpoint=update_endpoint or found,
                            gsp_endpoint=gsp_endpoint, client=client)
    return store
