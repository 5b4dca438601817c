"""Opening an Oxigraph folder read-only while another process writes it.

RocksDB's read-only mode reads the folder's ``CURRENT`` file, then the manifest it names,
then every table file the manifest lists. None of that is atomic against the writer: a
compaction the writer runs in the background (RocksDB starts one soon after it opens a
folder that was written, and after large writes) writes new table files, a new manifest,
and deletes the files it replaced. An opener caught between the two reads a manifest
whose files are gone, and RocksDB refuses the open with ``Corruption: IO error: No such
file or directory``. Nothing is wrong with the data: opening again reads the new
manifest. (A folder with no ``CURRENT`` file holds no store; that is not retried.) Seen
as ``govkg serve``'s query workers failing on their first request: they open the folder
just after the service opened it for writing, and about one open in three within 0.2 s
of the writer's open of a freshly written 12-council store failed so.

So an open that fails for a missing file is retried, a little later each time, until
:data:`PATIENCE` seconds have passed; any other failure is raised at once. This module
imports nothing but pyoxigraph: the query workers use it and start quickly.
"""

from __future__ import annotations

import re
import time

import pyoxigraph as ox

#: how long to keep retrying an open that a concurrent compaction broke (seconds): a
#: retry reads the new manifest and succeeds unless yet another compaction replaced its
#: files in between, so this is ample; a file lost for good is reported after it
PATIENCE = 10.0
_FIRST_WAIT = 0.02
_MAX_WAIT = 0.5
#: the files a compaction replaces: table files, write-ahead logs and manifests
_MOVED = re.compile(r"/(?:\d+\.(?:sst|log)|MANIFEST-\d+)\b")


def moved_under_us(error: BaseException) -> bool:
    """Whether ``error`` is RocksDB's refusal of a manifest, or a table file it lists,
    that the writer has just replaced; not a folder that holds no store (no ``CURRENT``)
    nor a real fault of the data."""
    text = str(error)
    return (isinstance(error, (OSError, RuntimeError)) and "No such file" in text
            and _MOVED.search(text) is not None)


def open_read_only(path: str, patience: float = PATIENCE) -> ox.Store:
    """``pyoxigraph.Store.read_only(path)``, retried while a concurrent compaction moves
    the files under it; after ``patience`` seconds its last error is raised."""
    give_up = time.monotonic() + patience
    wait = _FIRST_WAIT
    while True:
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as exc:
            if not moved_under_us(exc) or time.monotonic() + wait > give_up:
                raise
        time.sleep(wait)
        wait = min(wait * 2, _MAX_WAIT)
