"""Shared fixtures: the repository, the shared corpus beside it, and the vocabulary."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from rdflib import Graph

REPO = Path(__file__).resolve().parents[1]


def shared_dir() -> Path:
    """``../shared`` beside the checkout (as on CI), or ``$GOVKG_SHARED``."""
    return Path(os.environ.get("GOVKG_SHARED", REPO.parent / "shared"))


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    corpus = shared_dir() / "corpus"
    if not (corpus / "manifest.yaml").is_file():
        pytest.fail(f"the shared corpus is missing at {corpus}: CI puts ../shared beside the "
                    "checkout; elsewhere set GOVKG_SHARED")
    return corpus


@pytest.fixture(scope="session")
def vocabulary() -> Graph:
    from govkg.graph.vocabulary import load_vocabulary

    return load_vocabulary()
