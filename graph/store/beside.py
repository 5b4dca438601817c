"""Folders kept beside a store: the originals, the corrections, the pending uploads.

A store is a folder or a SPARQL server's URL. What govkg keeps beside it (files a SPARQL
server has no place for) goes in a subfolder of an embedded store's folder, so it moves
and is backed up with the store; for a server, in the user's data folder, one folder per
server URL (the first 16 hex digits of the URL's SHA-256), so two servers never share one.

>>> folder_beside("/tmp/s", "originals")
PosixPath('/tmp/s/originals')
>>> folder_beside("http://127.0.0.1:7878/", "corrections").parent.name
'corrections'
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from platformdirs import user_data_dir


def is_remote(location: str) -> bool:
    """True for a SPARQL server's URL, False for a folder."""
    return location.startswith(("http://", "https://"))


def folder_beside(location: str | Path, name: str) -> Path:
    """The folder ``name`` of the store at ``location`` (a folder or a server's URL)."""
    where = str(location)
    if not is_remote(where):
        return Path(where).expanduser() / name
    digest = hashlib.sha256(where.encode("utf-8")).hexdigest()[:16]
    return Path(user_data_dir("govkg", appauthor=False)) / name / digest
