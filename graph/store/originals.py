"""The councils' original files (PDF, Word, web page, text), kept beside the store.

A quote on a page is only as good as the reader's chance to check it against what the
council published, so ``govkg import`` keeps every document's original bytes and the
web pages link each quote to it (a PDF at the quote's page). Files are named by the
SHA-256 of their bytes, the same checksum the graph records as ``govkg:sha256``, with
the extension of their format: ``<sha256>.pdf``. The same file imported twice is one
file, a changed file is a new one, and a name can never point at other bytes.

Each file is written atomically (a temporary file renamed over), before the document's
graph is stored: a failed import can leave an original nobody links to, never a link to
a half-written original.

>>> import tempfile
>>> kept = Originals(Path(tempfile.mkdtemp()))
>>> name = kept.keep(b"%PDF-1.7 test", "application/pdf")
>>> name == hashlib.sha256(b"%PDF-1.7 test").hexdigest() + ".pdf", kept.find(name[:64])
(True, '...pdf')
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import quote

from govkg.graph.errors import InputError
from govkg.graph.rdfio import write_atomically
from govkg.graph.store.base import Store
from govkg.graph.store.beside import folder_beside as beside

FOLDER = "originals"

#: format (as recorded in ``dcterms:format``) -> file extension, and back
EXTENSIONS: dict[str, str] = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/html": "html",
    "text/plain": "txt",
    "text/markdown": "md",
}
MEDIA_TYPES: dict[str, str] = {ext: media for media, ext in EXTENSIONS.items()}
#: what a browser is told each file is (text as UTF-8, which is what govkg reads)
CONTENT_TYPES: dict[str, str] = {**MEDIA_TYPES, "txt": "text/plain; charset=utf-8",
                                 "md": "text/markdown; charset=utf-8",
                                 "html": "text/html; charset=utf-8"}
NAME = re.compile(r"^(?P<sha>[0-9a-f]{64})\.(?P<ext>" + "|".join(MEDIA_TYPES) + r")$")
#: quote words carried in a web page's text fragment (``#:~:text=``): enough to find it
_FRAGMENT_WORDS = 8


def folder_beside(store: Store) -> Path:
    """Where ``store``'s originals live: in an embedded store's folder, else in the
    user's data folder, one folder per server URL (as the search index does)."""
    return beside(store.location, FOLDER)


def file_name(sha256: str, media_type: str) -> str:
    """``<sha256>.<ext>``; refuses a format govkg does not read."""
    extension = EXTENSIONS.get(media_type.split(";")[0].strip().lower())
    if extension is None:
        raise InputError(f"no original is kept for a {media_type!r} document")
    return f"{sha256}.{extension}"


def link(sha256: str, media_type: str, *, page: int | None = None,
         lines: tuple[int, int] | None = None, exact: str | None = None) -> str:
    """The site path of a quote in its original: a PDF at the quote's page
    (``#page=N``, which every PDF viewer follows); a text file at its lines (RFC 5147's
    ``#line=``, the fragment the provenance records); a web page at the quote's words
    (a text fragment, ``#:~:text=``, which browsers scroll to and highlight); a Word
    file as it is, since no viewer opens one at a place.

    >>> link("ab" * 32, "application/pdf", page=4).split("/")[-1][64:]
    '.pdf#page=4'
    >>> link("ab" * 32, "text/plain", lines=(5, 6)).split("/")[-1][64:]
    '.txt#line=4,6'
    >>> link("ab" * 32, "text/html", exact="the Audit and Governance Committee").split("#")[1]
    ':~:text=the%20Audit%20and%20Governance%20Committee'
    """
    path = f"/originals/{file_name(sha256, media_type)}"
    extension = path.rsplit(".", 1)[1]
    if extension == "pdf" and page is not None:
        return f"{path}#page={page}"
    if extension in ("txt", "md") and lines is not None:
        return f"{path}#line={lines[0] - 1},{lines[1]}"
    if extension == "html" and exact:
        words = exact.split()
        if len(words) <= _FRAGMENT_WORDS:
            return f"{path}#:~:text={quote(' '.join(words), safe='')}"
        start = " ".join(words[:_FRAGMENT_WORDS // 2])
        end = " ".join(words[-(_FRAGMENT_WORDS // 2):])
        return f"{path}#:~:text={quote(start, safe='')},{quote(end, safe='')}"
    return path


class Originals:
    """The folder of one store's original files."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @classmethod
    def beside(cls, store: Store) -> Originals:
        return cls(folder_beside(store))

    def keep(self, data: bytes, media_type: str) -> str:
        """Keep ``data`` (a document's original bytes); returns its file name. A file
        already kept is not written again: its name is its content."""
        name = file_name(hashlib.sha256(data).hexdigest(), media_type)
        path = self.folder / name
        if not path.is_file() or path.stat().st_size != len(data):
            write_atomically(path, data)
        return name

    def find(self, sha256: str) -> str | None:
        """The file name the original with checksum ``sha256`` is kept under, or None."""
        for extension in MEDIA_TYPES:
            if (self.folder / f"{sha256}.{extension}").is_file():
                return f"{sha256}.{extension}"
        return None

    def path(self, name: str) -> Path | None:
        """The kept file called ``name``, or None when ``name`` is not an original's
        name (anything else, ``../`` included, is never looked up) or is not kept."""
        if NAME.match(name) is None:
            return None
        path = self.folder / name
        return path if path.is_file() else None

    def has(self, sha256: str, media_type: str) -> bool:
        try:
            return self.path(file_name(sha256, media_type)) is not None
        except InputError:
            return False

    def names(self) -> list[str]:
        """Every original kept, by file name."""
        if not self.folder.is_dir():
            return []
        return sorted(p.name for p in self.folder.iterdir() if NAME.match(p.name))
