"""Upload jobs outlive the server: ``govkg serve`` is killed (SIGKILL, as a crash would)
between an upload's correction and its acceptance, a new ``govkg serve`` on the same store
shows the same review, and Accept stores the corrected document. With a SPARQL server
(Oxigraph's, started by the test) as the store, jobs and corrections get a folder too.

The document is tests/data/formats/leicestershire-code.pdf, the correction the relink of
tests/data/expected/corrections.toml (see tests/data/README.md)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from lxml import etree, html

from govkg.api.upload_job import JOB_FILE
from govkg.graph.build import build
from govkg.graph.store import open_store
from tests.api.conftest import TOKEN, serving
from tests.api.servers import officers_store
from tests.api.uploading import (
    BEARER,
    EXPECTED,
    HTML,
    JSON,
    PDF,
    corrected_in_store,
    send,
    stored,
    wait,
)
from tests.graph.conftest import Server as GraphServer
from tests.graph.conftest import clear, oxigraph_server  # noqa: F401 (a fixture)

pytestmark = pytest.mark.xdist_group("uploads")
RELINK = EXPECTED["relink"]


def review(client: httpx.Client, job: str) -> bytes:
    """The review page's main content, as the server renders it."""
    answer = client.get(f"/upload/{job}/review", headers=BEARER)
    assert answer.status_code == 200, answer.text
    main = html.fromstring(answer.text).get_element_by_id("main-content")
    return bytes(etree.tostring(main))


def test_a_restarted_server_shows_the_same_review_and_accepts_it(
        tmp_path: Path, docs_cache: Path) -> None:
    folder = tmp_path / "store"
    officers_store(folder).close()
    env = {"GOVKG_DOCS_CACHE": str(docs_cache), "GOVKG_WRITE_TOKEN": TOKEN,
           "GOVKG_ALLOW_NETWORK": "true", "GOVKG_QUERY_TIMEOUT": "10"}
    relink = {"action": "relink", "quote": RELINK["quote"], "to": "F.1",
              "officer": "A. Officer"}
    with serving(folder, env) as first, httpx.Client(base_url=first.url, timeout=60) as client:
        job = send(client, PDF).json()["id"]
        assert wait(client, job)["state"] == "ready"
        assert client.post(f"/upload/{job}/corrections", data=relink,
                           headers=JSON).status_code == 200
        before = review(client, job)
        status = client.get(f"/upload/{job}/status", headers=BEARER).json()
        # a second upload, which the crash may catch before it is imported
        pending = send(client, HTML).json()["id"]
        first.process.kill()
        first.process.wait(timeout=30)
    store_before = stored(folder)

    with serving(folder, env) as second, httpx.Client(base_url=second.url,
                                                      timeout=60) as client:
        assert client.get(f"/upload/{job}/status", headers=BEARER).json() == status
        after = review(client, job)
        assert after == before
        assert b"relink, by A. Officer" in after
        # the one cut off (or finished) before the crash is imported, then can be discarded
        assert wait(client, pending)["state"] == "ready"
        assert client.post(f"/upload/{pending}/discard", headers=JSON).is_success
        assert stored(folder) == store_before
        accepted = client.post(f"/upload/{job}/accept", headers=BEARER)
        assert accepted.status_code == 303, accepted.text
        assert accepted.headers["location"] == "/id/council/leicestershire-county-council"
        assert corrected_in_store(client)
    kept = folder / "corrections" / "44676a6766e52695.yaml"
    assert "action: relink" in kept.read_text()
    # an accepted or discarded job keeps only what its page says of it
    for done in (job, pending):
        assert [p.name for p in (folder / "uploads" / done).iterdir()] == [JOB_FILE]

    with serving(folder, env) as third, httpx.Client(base_url=third.url, timeout=60) as client:
        assert client.get(f"/upload/{job}/status", headers=BEARER).json()["state"] == "accepted"
        assert client.post(f"/upload/{job}/accept", headers=JSON).status_code == 400


def test_jobs_left_in_a_bad_state_are_removed_or_say_why(tmp_path: Path) -> None:
    """An upload cut off before its job.json is removed; a job.json that cannot be read
    becomes a failed job naming the file, and the other jobs still load."""
    from govkg.api.uploads import Uploads

    jobs = tmp_path / "uploads"
    (jobs / "cut-off").mkdir(parents=True)
    (jobs / "cut-off" / "half.pdf").write_bytes(b"%PDF-1.7")
    (jobs / "garbled").mkdir()
    (jobs / "garbled" / JOB_FILE).write_text('{"layout": 1, "state": "ready"')
    uploads = Uploads(None, jobs)
    try:
        assert not (jobs / "cut-off").exists()
        garbled = uploads.get("garbled")
        assert garbled is not None and garbled.state == "failed"
        assert str(jobs / "garbled" / JOB_FILE) in garbled.message
    finally:
        uploads.close()
    again = Uploads(None, jobs)  # the failure was written down: it is read back as one
    try:
        reread = again.get("garbled")
        assert reread is not None and reread.state == "failed"
        assert reread.message == garbled.message
    finally:
        again.close()


def test_uploads_beside_a_sparql_server_keep_their_jobs_and_corrections(
        tmp_path: Path, docs_cache: Path, oxigraph_server: GraphServer) -> None:  # noqa: F811
    """A SPARQL server has no folder: the jobs go to the user's data folder (one folder
    per server) and the accepted corrections to GOVKG_CORRECTIONS_DIR."""
    url = oxigraph_server.url
    with open_store(url) as remote:
        clear(remote)
        build(remote, [])
    data, kept = tmp_path / "xdg-data", tmp_path / "corrections"
    env = {"GOVKG_DOCS_CACHE": str(docs_cache), "GOVKG_WRITE_TOKEN": TOKEN,
           "GOVKG_QUERY_TIMEOUT": "30", "GOVKG_CORRECTIONS_DIR": str(kept),
           "XDG_DATA_HOME": str(data)}
    relink = {"action": "relink", "quote": RELINK["quote"], "to": "F.1",
              "officer": "A. Officer"}
    try:
        with serving(url, env) as server, httpx.Client(base_url=server.url,  # type: ignore[arg-type]
                                                        timeout=60) as client:
            job = send(client, PDF).json()["id"]
            assert wait(client, job)["state"] == "ready"
            assert (data / "govkg" / "uploads").is_dir()
            assert client.post(f"/upload/{job}/corrections", data=relink,
                               headers=JSON).status_code == 200
            accepted = client.post(f"/upload/{job}/accept", headers=BEARER)
            assert accepted.status_code == 303, accepted.text
            assert corrected_in_store(client)
        assert "action: relink" in (kept / "44676a6766e52695.yaml").read_text()
    finally:
        with open_store(url) as remote:
            clear(remote)
