"""Where govkg's data files are, found through the installed package, never the CWD.

Every module that reads ``ontology/``, ``shapes/``, ``queries/`` or the bundled corpus
graph asks this module, so the wheel and a source checkout behave the same.

>>> ontology_dir().joinpath("govkg.ttl").is_file()
True
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def _package_dir(package: str) -> Path:
    # govkg is installed as plain files (wheel or editable), so a Traversable from
    # importlib.resources is a real directory; Path() makes it usable by rdflib and
    # pyoxigraph, which want file names.
    return Path(str(files(package)))


def ontology_dir() -> Path:
    """The ontology (TBox) and, in ``reference/``, the reference data."""
    return _package_dir("govkg.ontology")


def reference_dir() -> Path:
    """Frameworks, crosswalk, roles, schemes and known councils."""
    return _package_dir("govkg.ontology.reference")


def shapes_dir() -> Path:
    """SHACL shapes."""
    return _package_dir("govkg.shapes")


def queries_dir() -> Path:
    """Named SPARQL queries, one per ``.rq`` file."""
    return _package_dir("govkg.queries")


def data_files(directory: Path, suffix: str) -> list[Path]:
    """Data files under ``directory`` (recursively) with ``suffix``, in a stable order."""
    return sorted(p for p in directory.rglob(f"*{suffix}") if p.is_file())


def ontology_files() -> list[Path]:
    """Every Turtle file of the ontology and its reference data."""
    return data_files(ontology_dir(), ".ttl")
