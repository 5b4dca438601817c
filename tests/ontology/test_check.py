"""`govkg ontology check`: the installed data passes, and each kind of problem is named
with its file and line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from govkg.graph import paths
from govkg.graph.vocabulary import check

GOVKG = [sys.executable, "-m", "govkg.graph"]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*GOVKG, *args], capture_output=True, text=True, cwd=cwd, check=False)


def test_installed_data_passes_the_check() -> None:
    problems = check()
    assert [p for p in problems if p.severity == "error"] == []


DATA_FILES = [*paths.ontology_files(), *paths.data_files(paths.shapes_dir(), ".ttl")]


@pytest.mark.parametrize("path", DATA_FILES, ids=lambda p: p.name)
def test_every_turtle_file_parses(path: Path) -> None:
    from govkg.graph.rdfio import parse_graph

    assert len(parse_graph(path)) > 0


def test_bad_turtle_is_named_by_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix a: <http://example.org/> .\n\na:s a:p a:o .\na:s a:p\n a:o a:x .\n")
    result = run("ontology", "check", str(bad))
    assert result.returncode == 1
    assert f"{bad}:5:" in result.stderr
    assert "syntax error" in result.stderr


def test_bad_sparql_is_named_by_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "broken.rq"
    bad.write_text("#+ title: a query\nSELECT ?s WHERE {\n  ?s ?p ?o .\n  BIND(1 AS ?s ?p)\n}\n")
    result = run("ontology", "check", str(bad))
    assert result.returncode == 1
    assert f"{bad}:4:" in result.stderr


def test_undeclared_govkg_term_is_reported_where_used(tmp_path: Path) -> None:
    data = tmp_path / "extra.ttl"
    data.write_text("@prefix govkg: <https://w3id.org/govkg/def/> .\n\n"
                    "<http://example.org/x> govkg:madeUpProperty 1 .\n")
    problems = check(ontology_files=[*paths.ontology_files(), data], shape_files=[],
                     query_files=[])
    undeclared = [p for p in problems if "madeUpProperty" in p.message]
    assert [(p.file, p.line) for p in undeclared] == [(str(data), 3)]


def test_undeclared_term_in_a_query_is_reported(tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text("#+ title: t\n#+ description: d\nPREFIX govkg: <https://w3id.org/govkg/def/>\n"
                     "SELECT ?c WHERE {\n  ?c a govkg:Councill .\n}\n")
    problems = check(ontology_files=paths.ontology_files(), shape_files=[], query_files=[query])
    assert [(p.file, p.line) for p in problems] == [(str(query), 5)]
    assert "Councill" in problems[0].message


def test_undocumented_term_fails_the_vocabulary_shapes(tmp_path: Path) -> None:
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        "@prefix govkg: <https://w3id.org/govkg/def/> .\n"
        "@prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n\n"
        "govkg:Undocumented a owl:Class ;\n    rdfs:label \"Undocumented\"@en .\n")
    problems = check(ontology_files=[*paths.ontology_files(), extra], shape_files=[],
                     query_files=[])
    mine = [p for p in problems if "Undocumented" in p.message]
    assert {p.line for p in mine} == {5}
    assert any("definition" in p.message for p in mine)
    assert any("isDefinedBy" in p.message for p in mine)


def test_check_exits_zero_on_the_installed_data() -> None:
    result = run("ontology", "check")
    assert result.returncode == 0, result.stderr
    assert "passed" in result.stdout


def test_missing_file_is_bad_input(tmp_path: Path) -> None:
    result = run("ontology", "check", str(tmp_path / "nope.ttl"))
    assert result.returncode == 2
    assert "nope.ttl" in result.stderr


@pytest.mark.slow
def test_docs_write_the_ontology_and_every_scheme_including_the_frameworks(tmp_path: Path) -> None:
    result = run("ontology", "docs", str(tmp_path / "docs"))
    assert result.returncode == 0, result.stderr
    pages = {p.name for p in (tmp_path / "docs" / "schemes").glob("*.html")}
    assert {"cipfa-solace-2007.html", "cipfa-solace-2016.html", "role.html",
            "evidence-kind.html"} <= pages
    assert (tmp_path / "docs" / "ontology.html").stat().st_size > 10_000
