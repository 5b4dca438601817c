"""The corpus manifests (../shared/corpus/manifest.yaml, corpus/dev/manifest.yaml): which
council and framework edition each document is by. They are the expectations of council and
edition detection (tests and ``python -m bench.councils``)."""

from __future__ import annotations

import re
from pathlib import Path

from govkg.graph.importers.councils import CouncilRegister
from tests.conftest import shared_dir


def _manifest(path: Path) -> dict[str, dict[str, str]]:
    """file -> {council, framework}. The manifests are YAML-like but not all valid YAML
    (unquoted colons in some values), so read the two keys line by line."""
    entries: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if match := re.match(r'\s*- file:\s*"?([^"\s]+)"?', line):
            current = entries.setdefault(str(path.parent / match.group(1)), {})
        elif current is not None and (
                match := re.match(r'\s*(council|framework):\s*"?(.*?)"?\s*(#.*)?$', line)):
            current.setdefault(match.group(1), match.group(2))
    return entries


def _documents() -> dict[str, dict[str, str]]:
    corpus = shared_dir() / "corpus"
    return {**_manifest(corpus / "manifest.yaml"), **_manifest(corpus / "dev" / "manifest.yaml")}


DOCUMENTS = _documents()


def manifest_council(register: CouncilRegister, name: str) -> str:
    """The register IRI of a manifest's council: 'Southwark Council (London Borough of
    Southwark)' is tried whole, then without and within its parentheses."""
    candidates = [name, re.sub(r"\s*\(.*\)", "", name), *re.findall(r"\((.*?)\)", name)]
    for candidate in candidates:
        council = register.resolve(candidate)
        if council is not None:
            return str(council.iri)
    raise AssertionError(f"the manifest's council {name!r} is not in the register")


def edition_of(framework: str) -> str | None:
    match = re.match(r"(?:CIPFA/SOLACE\s+)?(2007|2016)\b", framework)
    return match.group(1) if match else None
