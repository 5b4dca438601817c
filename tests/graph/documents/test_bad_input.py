"""Bad documents: each refused with an InputError naming the file and the problem."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from govkg.graph.documents import Limits, read_document
from govkg.graph.errors import InputError


def refused(path: Path, **options: object) -> str:
    with pytest.raises(InputError) as caught:
        read_document(path, **options)  # type: ignore[arg-type]
    assert str(path) in str(caught.value)
    return caught.value.message


@pytest.mark.parametrize(("name", "problem"), [
    ("corrupt.pdf", "corrupt PDF"),
    ("encrypted.pdf", "encrypted"),
    ("empty.pdf", "no pages"),
    ("scanned.pdf", "pass --ocr"),
    ("zip-bomb.docx", "zip bomb"),
])
def test_refused(formats_dir: Path, name: str, problem: str) -> None:
    assert problem in refused(formats_dir / name)


def test_zip_bomb_refused_from_its_directory_before_inflating(formats_dir: Path) -> None:
    """Under a total budget smaller than the sizes the archive declares, it is refused
    from its directory alone."""
    message = refused(formats_dir / "zip-bomb.docx",
                      limits=Limits(max_unzipped_bytes=10 * 1024 * 1024))
    assert "would inflate to" in message


def test_pdf_named_docx_is_read_as_pdf(formats_dir: Path, tmp_path: Path) -> None:
    renamed = tmp_path / "code.docx"
    shutil.copy(formats_dir / "lancashire-code.pdf", renamed)
    assert read_document(renamed).media_type == "application/pdf"


def test_truncated_word_file(formats_dir: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.docx"
    data = (formats_dir / "lancashire-code.docx").read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    assert "corrupt or truncated zip archive" in refused(broken)


def test_word_file_without_text(tmp_path: Path) -> None:
    import docx
    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    assert "no text" in refused(path)


def test_word_archive_without_document_part(tmp_path: Path) -> None:
    path = tmp_path / "parts.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not-word/>")
    assert "corrupt Word file" in refused(path)


def test_blank_pdf(tmp_path: Path) -> None:
    from pypdf import PdfWriter
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "blank.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    assert "no text" in refused(path)


def test_too_many_pages(formats_dir: Path) -> None:
    assert "too many pages" in refused(formats_dir / "lancashire-code.pdf",
                                       limits=Limits(max_pages=0))


def test_html_over_the_size_limit(tmp_path: Path) -> None:
    """A 50 MB page is refused before it is parsed."""
    path = tmp_path / "huge.html"
    with path.open("wb") as handle:
        handle.write(b"<!DOCTYPE html><html><body>")
        row = b"<p>" + b"x" * 1000 + b"</p>\n"
        for _ in range(50 * 1024):
            handle.write(row)
        handle.write(b"</body></html>")
    assert "too large" in refused(path)


def test_html_without_content(tmp_path: Path) -> None:
    path = tmp_path / "menu.html"
    path.write_text("<!DOCTYPE html><html><body><nav><a href='/'>Home</a></nav></body></html>",
                    encoding="utf-8")
    assert "no text content" in refused(path)
