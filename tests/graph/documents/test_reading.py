"""read_document: the format chosen by content, and bad input refused with the file named."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from govkg.graph.documents import DEFAULT_LIMITS, Limits, read_document
from govkg.graph.documents.reading import sniff
from govkg.graph.errors import InputError

PROSE = "A governance paragraph of made-up prose for the reader tests.\n"


def refused(path: Path | str, *, limits: Limits = DEFAULT_LIMITS) -> InputError:
    with pytest.raises(InputError) as caught:
        read_document(path, limits=limits)
    assert str(path) in str(caught.value)  # the message names the file
    return caught.value


def test_text_whatever_its_name(tmp_path: Path) -> None:
    path = tmp_path / "code.pdf"  # the name says PDF, the content is text
    path.write_text(PROSE, encoding="utf-8")
    doc = read_document(path)
    assert doc.media_type == "text/plain" and doc.text == PROSE
    assert doc.source == str(path) and doc.address == str(path.resolve())


def test_markdown_and_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "code.md"
    path.write_bytes(b"\xef\xbb\xbf# Title\n\n" + PROSE.encode())
    doc = read_document(path)
    assert doc.media_type == "text/markdown" and doc.text.startswith("# Title")
    assert doc.blocks[0].text == "Title"


def test_sha256_is_of_the_original_bytes(tmp_path: Path) -> None:
    import hashlib
    path = tmp_path / "code.txt"
    path.write_bytes(b"\xef\xbb\xbf" + PROSE.encode())
    assert read_document(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_missing_file_and_folder(tmp_path: Path) -> None:
    assert "no such file" in refused(tmp_path / "absent.txt").message
    assert "not a regular file" in refused(tmp_path).message


@pytest.mark.parametrize("content", [b"", b"  \n\n\t\n"])
def test_empty(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert "empty" in refused(path).message


def test_nul_byte_anywhere(tmp_path: Path) -> None:
    """A NUL byte far into an otherwise good text file is refused, with its line."""
    path = tmp_path / "late-nul.txt"
    good = (PROSE * 2000).encode()
    assert len(good) > 65536
    path.write_bytes(good + b"tail\x00end\n")
    error = refused(path)
    assert "NUL" in error.message and error.location.line == 2001


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.txt"
    path.write_bytes(PROSE.encode() + "Café\n".encode("latin-1"))
    error = refused(path)
    assert "not UTF-8" in error.message and error.location.line == 2


def test_too_large(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text(PROSE * 100, encoding="utf-8")
    error = refused(path, limits=Limits(max_text_bytes=1000, max_bytes=1000))
    assert "too large" in error.message and "1,000" in error.message


def test_old_word_and_other_zips(tmp_path: Path) -> None:
    doc = tmp_path / "code.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    assert ".docx or PDF" in refused(doc).message
    archive = tmp_path / "code.docx"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("notes.txt", PROSE)
    assert "not a Word" in refused(archive).message


@pytest.mark.parametrize(("data", "content_type", "expected"), [
    (b"%PDF-1.4\n", None, "application/pdf"),
    (b"\n  <!DOCTYPE html>\n<html>", None, "text/html"),
    (b"<?xml version='1.0'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>", None, "text/html"),
    (b"<div>fragment</div>", "text/html; charset=utf-8", "text/html"),
    (b"<div>fragment</div>", None, "text/plain"),
    (b"Sub-principle\tEvidence\n", None, "text/plain"),
    (b"\x7fELF\x02\x01\x01\x00\x00", None, None),
])
def test_sniff(data: bytes, content_type: str | None, expected: str | None) -> None:
    assert sniff(data, content_type=content_type) == expected
