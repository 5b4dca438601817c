"""Bad input on the command line: a clear error naming the file (and line), exit 2, no
traceback, and the store unchanged. Each command runs in its own process, as a user
runs it, on a real store folder."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from govkg.graph.store import EmbeddedStore

pytestmark = pytest.mark.xdist_group("bad-input-cli")

#: (file name, content, what the message must say): malformed RDF of every syntax
BAD_FILES = [
    ("bad.nt", b'<http://e/a> <http://e/b> "x"\n', ":2: RDF syntax error"),
    ("space.nt", b"<http://e/a> <http://e/b> <http://e/c d> .\n", ":1: RDF syntax error"),
    ("bad.nq", b'<http://e/a> <http://e/b> "x" <http://e/g g> .\n', ":1: RDF syntax error"),
    ("bad.ttl", b"@prefix : <http://e/> .\n\n:a :b :c ;;; ]\n", ":3: RDF syntax error"),
    ("space.ttl", b"@prefix : <http://e/> .\n:a :b <http://e/c d> .\n", ":2: RDF syntax error"),
    ("deep.ttl", b"@prefix : <http://e/> .\n:a :b " + b"(" * 20_000 + b")" * 20_000 + b" .",
     "nested too deeply"),
    ("graph.trig", b'<http://not a graph> { <http://e/a> <http://e/b> "x" . }\n',
     ":1: RDF syntax error"),
    ("staging.trig", b'<https://w3id.org/govkg/graph/staging/x> { <http://e/a> <http://e/b> 1 . }',
     "cannot be loaded"),
    ("remote.jsonld", b'{"@context": "http://127.0.0.1:9/c.jsonld", "@id": "http://e/a"}',
     "remote contexts"),
    ("deep.jsonld", b'{"http://e/p": ' + b"[" * 70_000 + b"]" * 70_000 + b"}", "stack"),
    ("latin1.ttl", b'@prefix : <http://e/> .\n:a :b "caf\xe9" .\n', ":2: RDF syntax error"),
]


def govkg(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "govkg.graph", *args], capture_output=True,
                          text=True, timeout=120, check=False, env={**os.environ, **(env or {})})


def assert_refused(done: subprocess.CompletedProcess[str], *says: str) -> None:
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    for text in says:
        assert text in done.stderr, (text, done.stderr)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bad-input") / "store"
    with EmbeddedStore(folder) as opened:
        from govkg.graph.build import build

        build(opened, [])
    return folder


def digest(store: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "govkg.graph", "export", "--store", str(store),
                           "--format", "nq"], capture_output=True, timeout=120, check=True)
    return hashlib.sha256(b"".join(sorted(done.stdout.splitlines()))).hexdigest()


@pytest.mark.parametrize(("name", "content", "says"), BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_build_and_validate_name_the_file_and_line(store: Path, tmp_path: Path, name: str,
                                                   content: bytes, says: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = digest(store)
    assert_refused(govkg("build", str(path), "--store", str(store)), f"{path}", says)
    assert digest(store) == before
    # validate does not load, so only build says why a staging graph cannot be loaded
    validated = govkg("validate", str(path), "--store", str(store))
    assert_refused(validated, f"{path}", *(() if name == "staging.trig" else (says,)))


def test_devices_pipes_and_folders_are_not_read(store: Path, tmp_path: Path) -> None:
    zero, zero_query = tmp_path / "zero.ttl", tmp_path / "zero.rq"
    zero.symlink_to("/dev/zero")
    zero_query.symlink_to("/dev/zero")
    pipe, pipe_query = tmp_path / "pipe.ttl", tmp_path / "pipe.rq"
    os.mkfifo(pipe)
    os.mkfifo(pipe_query)
    folder = tmp_path / "folder.ttl"
    folder.mkdir()
    assert_refused(govkg("validate", str(zero), "--store", str(store)), "is a device")
    assert_refused(govkg("build", str(zero), "--store", str(store)), "is a device")
    assert_refused(govkg("build", str(pipe), "--store", str(store)), "is a named pipe")
    assert_refused(govkg("build", str(tmp_path / "missing.ttl"), "--store", str(store)),
                   "no such file")
    assert_refused(govkg("validate", str(pipe), "--store", str(store)), "is a named pipe")
    assert_refused(govkg("validate", str(folder), "--store", str(store)), "is a folder")
    assert_refused(govkg("query", "--file", str(zero_query), "--store", str(store)),
                   "is a device")
    assert_refused(govkg("query", "--file", str(pipe_query), "--store", str(store)),
                   "is a named pipe")


def test_a_file_over_the_size_limit_is_refused(store: Path, tmp_path: Path) -> None:
    big = tmp_path / "big.ttl"
    big.write_bytes(b'<http://e/a> <http://e/b> "' + b"x" * 5000 + b'" .\n')
    assert_refused(govkg("validate", str(big), "--store", str(store),
                         env={"GOVKG_MAX_FILE_BYTES": "1000"}), "larger than the limit of 1,000")


def test_output_to_a_folder_and_store_on_a_file(store: Path, tmp_path: Path) -> None:
    assert_refused(govkg("export", "--store", str(store), "-o", str(tmp_path)), "is a folder")
    assert_refused(govkg("validate", "--store", str(store), "-f", "json", "-o", str(tmp_path)),
                   "is a folder")
    afile = tmp_path / "not-a-store"
    afile.write_text("x")
    for command in (["stats"], ["export"], ["build"], ["query", "--sparql", "ASK {}"]):
        assert_refused(govkg(*command, "--store", str(afile)), "is a file, not a store folder")


def test_queries_that_would_crash_the_parser_are_refused(store: Path, tmp_path: Path) -> None:
    nested = "SELECT * WHERE " + "{" * 5000 + "?s ?p ?o" + "}" * 5000
    assert_refused(govkg("query", "--sparql", nested, "--store", str(store)), "nested 5000 deep")
    union = tmp_path / "union.rq"
    union.write_text("SELECT * WHERE { " + " UNION ".join(
        f"{{ ?s ?p {i} }}" for i in range(20_000)) + " }", encoding="utf-8")
    assert_refused(govkg("query", "--file", str(union), "--store", str(store)),
                   f"{union}", "19999 UNION")


def test_named_query_values_that_name_nothing(store: Path) -> None:
    done = govkg("query", "topic-owners", "-p", "topic=nonsense", "--store", str(store))
    assert_refused(done, "'topic'", "names nothing", "risk-management")
    done = govkg("query", "statutory-officers", "-p", "council=narnia", "--store", str(store))
    assert_refused(done, "'council'", "names nothing", " more")
    done = govkg("query", "statutory-officers", "-p", "council=Kent Couny Council", "--store",
                 str(store))  # a near miss: the council meant is suggested first
    assert_refused(done, "'council'", "one of: kent-county-council (Kent County Council)")
    for typed in ("Kent", "Kent County Council", "KCC", "E10000016"):  # (no documents here)
        done = govkg("query", "statutory-officers", "-p", f"council={typed}", "--store",
                     str(store), "--format", "csv")
        assert done.returncode == 0, (typed, done.stderr)


def test_query_table_shows_real_prefixes(store: Path) -> None:
    done = govkg("query", "--sparql", "SELECT ?c WHERE { ?c a <https://w3id.org/govkg/def/"
                 "Council> } ORDER BY ?c LIMIT 1", "--store", str(store))
    assert done.returncode == 0, done.stderr
    assert "council:" in done.stdout and "govkg:" not in done.stdout


@pytest.mark.parametrize(("debug", "traced"), [("", False), ("1", True)])
def test_a_bug_is_one_line_unless_debugging(debug: str, traced: bool) -> None:
    """The last line of defence in ``cli.main``: an exception govkg does not expect is
    reported in one line with exit 1 (GOVKG_DEBUG=1 shows the trace)."""
    program = ("import govkg.graph.cli as cli\n"
               "def broken():\n    raise RuntimeError('boom [red]')\n"
               "cli.app = broken\ncli.main()\n")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          timeout=60, check=False, env={**os.environ, "GOVKG_DEBUG": debug})
    assert done.returncode == 1
    assert ("Traceback" in done.stderr) is traced
    if not traced:
        assert "internal error: RuntimeError: boom [red]" in done.stderr
