"""``govkg build``, ``export`` and ``stats`` driven as a user would: through the command
line, on an embedded store folder and on a real Oxigraph server."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from rdflib import Dataset, Graph, Literal, Namespace
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from govkg.graph.build import file_graph
from govkg.graph.commands.store import register
from govkg.graph.namespaces import DOCUMENT, ONTOLOGY_GRAPH, PROV, REFERENCE_GRAPH
from govkg.graph.store import EmbeddedStore

pytestmark = pytest.mark.filterwarnings("ignore:.*deprecated.*:DeprecationWarning")

EX = Namespace("http://example.org/")
DOC_GRAPH = EX["graph/doc-1"]


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


@pytest.fixture
def inputs(tmp_path: Path) -> list[Path]:
    """A TriG file with one document graph, and a Turtle file."""
    trig = tmp_path / "doc.trig"
    trig.write_text(
        f"<{DOC_GRAPH}> {{\n"
        f'  <{EX.commitment}> <{EX.says}> "we publish a code"@en ;\n'
        f"      <{PROV.wasDerivedFrom}> <{DOCUMENT['abc']}> .\n"
        "}\n", encoding="utf-8")
    ttl = tmp_path / "extra.ttl"
    ttl.write_text(f'<{EX.thing}> <{EX.label}> "a thing" .\n', encoding="utf-8")
    return [trig, ttl]


def run(cli: typer.Typer, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def test_build_then_stats(cli: typer.Typer, tmp_path: Path, inputs: list[Path]) -> None:
    store = tmp_path / "store"
    code, out, err = run(cli, "build", "--store", store, *inputs)
    assert code == 0, err
    assert "built 4 graphs" in out
    code, out, _ = run(cli, "stats", "--store", store)
    assert code == 0
    for graph in (ONTOLOGY_GRAPH, REFERENCE_GRAPH, DOC_GRAPH, file_graph(inputs[1])):
        assert str(graph) in out
    assert str(DOCUMENT["abc"]) in out  # the document graph's source
    assert "4 graphs" in out


def test_rebuilding_is_idempotent(cli: typer.Typer, tmp_path: Path, inputs: list[Path]) -> None:
    store = tmp_path / "store"
    dumps = []
    for _ in range(2):
        assert run(cli, "build", "--store", store, *inputs)[0] == 0
        with EmbeddedStore(store) as opened:
            dumps.append((opened.graphs(), opened.export("nq")))
    assert dumps[0][0] == dumps[1][0]  # the same graphs with the same counts
    first, second = (Dataset().parse(data=nq, format="nquads") for _, nq in dumps)
    for info in dumps[0][0]:
        assert isomorphic(first.graph(info.iri), second.graph(info.iri))


def test_clean_drops_graphs_the_build_does_not_write(
    cli: typer.Typer, tmp_path: Path, inputs: list[Path]
) -> None:
    store = tmp_path / "store"
    assert run(cli, "build", "--store", store, *inputs)[0] == 0
    assert run(cli, "build", "--store", store, "--clean", inputs[1])[0] == 0
    with EmbeddedStore(store) as opened:
        assert str(DOC_GRAPH) not in {info.iri for info in opened.graphs()}


@pytest.mark.parametrize("content,line,problem", [
    ("<http://example.org/a> <http://example.org/b> .\n", 1, "syntax"),
    ("", None, "holds no RDF statements"),
], ids=["syntax-error", "empty"])
def test_bad_input_is_named_exits_2_and_writes_nothing(
    cli: typer.Typer, tmp_path: Path, inputs: list[Path], content: str, line: int | None,
    problem: str,
) -> None:
    store = tmp_path / "store"
    assert run(cli, "build", "--store", store, inputs[1])[0] == 0
    with EmbeddedStore(store) as opened:
        before = opened.export("nq")
    bad = tmp_path / "bad.ttl"
    bad.write_text(content, encoding="utf-8")
    code, _, err = run(cli, "build", "--store", store, inputs[0], bad)
    assert code == 2
    assert str(bad) + (f":{line}" if line else "") in err
    assert problem in err
    with EmbeddedStore(store) as opened:
        assert opened.export("nq") == before


def test_a_missing_or_unknown_file_is_refused(cli: typer.Typer, tmp_path: Path) -> None:
    code, _, err = run(cli, "build", "--store", tmp_path / "s", tmp_path / "nope.ttl")
    assert code == 2 and "no such file" in err
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    code, _, err = run(cli, "build", "--store", tmp_path / "s", odd)
    assert code == 2 and "unsupported file type" in err
    assert not (tmp_path / "s").exists()  # nothing, not even an empty store


@pytest.mark.parametrize("fmt,rdflib_format", [
    ("trig", "trig"), ("nq", "nquads"), ("jsonld", "json-ld"),
])
def test_export_writes_a_file_that_parses_back(
    cli: typer.Typer, tmp_path: Path, inputs: list[Path], fmt: str, rdflib_format: str
) -> None:
    store = tmp_path / "store"
    assert run(cli, "build", "--store", store, *inputs)[0] == 0
    out_file = tmp_path / f"dump.{fmt}"
    code, _, err = run(cli, "export", "--store", store, "--format", fmt, "-o", out_file)
    assert code == 0, err
    dataset = Dataset().parse(out_file, format=rdflib_format)
    assert (EX.commitment, EX.says, Literal("we publish a code", lang="en")) in dataset.graph(
        DOC_GRAPH)


def test_export_one_graph_as_turtle_to_stdout(
    cli: typer.Typer, tmp_path: Path, inputs: list[Path]
) -> None:
    store = tmp_path / "store"
    assert run(cli, "build", "--store", store, *inputs)[0] == 0
    code, out, _ = run(cli, "export", "--store", store, "--format", "ttl", "--graph", DOC_GRAPH)
    assert code == 0
    graph = Graph().parse(data=out, format="turtle")
    assert len(graph) == 2


def test_export_refuses_unknown_graphs_and_formats(cli: typer.Typer, tmp_path: Path,
                                                    inputs: list[Path]) -> None:
    store = tmp_path / "store"
    assert run(cli, "build", "--store", store, *inputs)[0] == 0
    code, _, err = run(cli, "export", "--store", store, "--graph", EX.nothing)
    assert code == 2 and "no graph" in err
    code, _, err = run(cli, "export", "--store", store, "--format", "xml")
    assert code == 2 and "unknown format" in err


def test_build_into_a_sparql_server(cli: typer.Typer, oxigraph_server: object,
                                    inputs: list[Path]) -> None:
    url = oxigraph_server.url  # type: ignore[attr-defined]
    code, out, err = run(cli, "build", "--store", url, "--clean", *inputs)
    assert code == 0, err
    code, out, _ = run(cli, "stats", "--store", url)
    assert code == 0 and str(DOC_GRAPH) in out and "4 graphs" in out


def test_the_installed_command_line(tmp_path: Path, inputs: list[Path]) -> None:
    command = [sys.executable, "-m", "govkg.graph"]
    store = str(tmp_path / "store")
    built = subprocess.run([*command, "build", "--store", store, *map(str, inputs)],
                           capture_output=True, text=True, check=False)
    assert built.returncode == 0, built.stderr
    stats = subprocess.run([*command, "stats", "--store", store], capture_output=True, text=True,
                           check=False)
    assert str(DOC_GRAPH) in stats.stdout


def test_a_query_table_piped_or_saved_is_never_cut(tmp_path: Path) -> None:
    """Issue 18: tables in the terminal were cut at 80 columns, so a saved table lost its
    long labels. Piped (as here, even with COLUMNS=80), a row is printed whole."""
    label = ("a commitment whose label runs far past the eighty columns of a terminal, "
             "as the quotes of councils' documents often do, and must reach its last word")
    data = tmp_path / "long.ttl"
    data.write_text(f'<{EX.commitment}> <{EX.label}> "{label}" .\n', encoding="utf-8")
    command = [sys.executable, "-m", "govkg.graph"]
    store = str(tmp_path / "store")
    built = subprocess.run([*command, "build", "--store", store, str(data)],
                           capture_output=True, text=True, timeout=300, check=False)
    assert built.returncode == 0, built.stderr
    sparql = f"SELECT ?s ?label WHERE {{ ?s <{EX.label}> ?label }}"
    shown = subprocess.run([*command, "query", "--store", store, "--sparql", sparql],
                           capture_output=True, text=True, timeout=300, check=False,
                           env={**os.environ, "COLUMNS": "80"})
    assert shown.returncode == 0, shown.stderr
    row = next(line for line in shown.stdout.splitlines() if str(EX.commitment) in line)
    assert label in row and "…" not in shown.stdout
