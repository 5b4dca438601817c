"""Limits and safety: the time limit really stops a query while others are answered,
result and body sizes, CORS, and errors that never show a stack trace."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from govkg.api.app import create_app
from govkg.api.querying import Busy, ProcessRunner, _Pool
from govkg.graph.settings import Settings
from govkg.graph.store import EmbeddedStore
from tests.api.conftest import SERVER_TIMEOUT, Server

#: a three-way cross product of every triple, counted: Oxigraph must enumerate it all
#: before its one row, so only stopping the worker can end it
EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_time_limit_stops_the_query_and_others_are_served(server: Server) -> None:
    outcome: dict[str, object] = {}

    def expensive() -> None:
        started = time.monotonic()
        response = httpx.get(f"{server.url}/sparql", params={"query": EXPENSIVE}, timeout=60)
        outcome["status"] = response.status_code
        outcome["detail"] = response.json()["detail"]
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=expensive)
    thread.start()
    time.sleep(0.5)  # the expensive query is running now
    started = time.monotonic()
    quick = httpx.get(f"{server.url}/queries/statutory-officers", timeout=30)
    quick_seconds = time.monotonic() - started
    still_running = thread.is_alive()
    thread.join(timeout=30)
    assert quick.status_code == 200
    assert still_running, "the expensive query ended before the second request was answered"
    assert quick_seconds < SERVER_TIMEOUT
    assert outcome["status"] == 503, outcome
    assert "time limit" in str(outcome["detail"])
    assert float(str(outcome["seconds"])) < SERVER_TIMEOUT + 3
    # the worker was replaced: the service still answers afterwards
    after = httpx.get(f"{server.url}/sparql", params={"query": "ASK {}"}, timeout=30)
    assert after.json()["boolean"] is True


@pytest.fixture(scope="module")
def small(store: EmbeddedStore) -> Iterator[FastAPI]:
    app = create_app(Settings(max_result_bytes=2_000, max_body_bytes=1_000, query_workers=1),
                     store=store)
    yield app
    app.state.stop()


def test_result_and_body_limits(small: FastAPI) -> None:
    client = TestClient(small)
    everything = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert everything.status_code == 400
    assert "LIMIT" in everything.json()["detail"]
    fits = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 2"})
    assert fits.status_code == 200
    body = client.post("/validate", content=b"#" * 2_000, headers={"content-type": "text/turtle"})
    assert body.status_code == 413


def test_cors(client: httpx.Client) -> None:
    allowed = client.get("/sparql", params={"query": "ASK {}"},
                         headers={"origin": "http://allowed.example"})
    assert allowed.headers["access-control-allow-origin"] == "http://allowed.example"
    other = client.get("/sparql", params={"query": "ASK {}"},
                       headers={"origin": "http://elsewhere.example"})
    assert "access-control-allow-origin" not in other.headers


@pytest.mark.parametrize("path", ["/sparql?query=SELECT", "/nowhere", "/queries/crosswalk?item=Q",
                                  "/id/council/nowhere", "/dumps/x"])
def test_errors_are_json_without_stack_traces(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/json")
    assert "Traceback" not in response.text and "File \"" not in response.text
    assert response.json()["detail"]


def test_the_worker_that_answered_last_takes_the_next_query(store: EmbeddedStore) -> None:
    """Idle workers are a stack: one client's queries all go to one warm worker; a worker
    started in place of a killed one waits underneath the warm ones."""
    pool = _Pool(str(store.path), 3, network=False)
    pool.start()
    try:
        busy = Busy("no worker")
        first = pool.acquire(time.monotonic() + 5, busy)
        pool.release(first)
        for _ in range(3):
            again = pool.acquire(time.monotonic() + 5, busy)
            assert again is first
            pool.release(again)
        taken = [pool.acquire(time.monotonic() + 5, busy) for _ in range(3)]
        assert taken[0] is first
        first.kill()
        pool.retire(first)  # its replacement goes under the two still working
        for worker in taken[1:]:
            pool.release(worker)
        order = [pool.acquire(time.monotonic() + 5, busy) for _ in range(3)]
        assert order[:2] == taken[:0:-1] and order[2] not in taken
        for worker in order:
            pool.release(worker)
    finally:
        pool.close()


#: one row, after about 0.15 s of Oxigraph's CPU: 400 x 400 x 20 combinations, counted
_HEAVY = ("SELECT (COUNT(*) AS ?n) WHERE { VALUES ?a { " + " ".join(map(str, range(400)))
          + " } VALUES ?b { " + " ".join(map(str, range(400))) + " } VALUES ?c { "
          + " ".join(map(str, range(20))) + " } }")


def test_a_query_that_proved_heavy_runs_at_a_lower_priority(store: EmbeddedStore) -> None:
    """govkg's own text that took its worker HEAVY_CPU or more runs next time in the heavy
    pool, whose processes run at HEAVY_NICE; a light text stays in the own pool."""
    runner = ProcessRunner(str(store.path), timeout=30, max_bytes=1 << 20, workers=2)
    runner.start()
    try:
        light = "ASK { ?s ?p ?o }"
        for text, rows in ((light, None), (_HEAVY, 3_200_000)):
            for _ in range(2):
                body = json.loads(runner.run(text, {}, format="json").body)
                if rows is not None:
                    assert int(body["results"]["bindings"][0]["n"]["value"]) == rows
        assert runner._pool(None, light) is runner.own
        assert runner._pool(None, _HEAVY) is runner.heavy
        assert runner._pool("127.0.0.1", _HEAVY) is runner.clients  # a client's text
        heavy = runner.heavy.acquire(time.monotonic() + 5, Busy("no worker"))
        own = runner.own.acquire(time.monotonic() + 5, Busy("no worker"))
        try:
            assert os.getpriority(os.PRIO_PROCESS, heavy.process.pid) == \
                os.getpriority(os.PRIO_PROCESS, own.process.pid) + ProcessRunner.HEAVY_NICE
        finally:
            runner.heavy.release(heavy)
            runner.own.release(own)
    finally:
        runner.close()
