"""The wheel: builds, keeps everything under `govkg`, installs into a fresh virtual
environment, and `govkg ontology check` runs from outside the repository."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO

# Both tests build from the same source tree: one xdist worker runs them both, since two
# concurrent setuptools builds in one tree collide in build/ and *.egg-info.
pytestmark = pytest.mark.xdist_group("wheel")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(REPO)],
                   check=True, capture_output=True, text=True)
    (built,) = out.glob("govkg-*.whl")
    return built


@pytest.mark.slow
def test_wheel_puts_everything_under_govkg(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.startswith("govkg-")}
    assert top_level == {"govkg"}
    for data in ("govkg/ontology/govkg.ttl", "govkg/shapes/vocabulary.ttl",
                 "govkg/ontology/reference/councils.ttl", "govkg/graph/cli.py",
                 "govkg/graph/data/corpus.trig", "govkg/graph/templates/validation.html",
                 "govkg/graph/templates/validation_report.html",
                 "govkg/queries/topic-owners.rq", "govkg/api/templates/home.html",
                 "govkg/api/templates/validation.html"):
        assert data in names


@pytest.mark.slow
def test_wheel_installs_and_checks_outside_the_repository(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True, text=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(env_dir / "bin" / "govkg"), "ontology", "check"], cwd=elsewhere,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "passed" in result.stdout
    where = subprocess.run([str(python), "-c", "import govkg.graph; print(govkg.graph.__file__)"],
                           cwd=elsewhere, capture_output=True, text=True, check=True).stdout
    assert str(env_dir) in where and str(REPO) not in where
