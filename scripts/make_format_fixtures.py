"""Make the PDF, Word and HTML test fixtures from corpus texts, the way councils make theirs.

    python scripts/make_format_fixtures.py [--corpus ../shared/corpus] [--out tests/data/formats]
                                           [--only NAME]

For each chosen corpus text it reads the text into the document model (the text reader)
and writes the same blocks as

* a Word file (python-docx): headings in "Heading N" styles, list items as paragraphs
  with numbering properties (a bullet list and a numbered list, nine levels each), real
  tables whose header row repeats on every page, the council's name as the running page
  header and "Page N of M" as the running footer;
* a PDF of that Word file, converted by LibreOffice (``soffice --headless --convert-to
  pdf``), as most councils' PDFs are exported from Word;
* an HTML page: a council CMS page (site header, navigation, breadcrumbs, cookie banner
  and footer around a ``<main>``) or a ModernGov page (its ``mgMainContent`` layout).

(``leicestershire-cell-lists`` as Word, PDF and plain text only: table cells that hold
bulleted lists, one paragraph per bullet, which plain text carries a line per paragraph
at the cell's column position) and, for the bad-input tests, a scanned PDF (a page
rendered to an image, no text layer), an encrypted, a corrupt and an empty PDF, and a Word
zip bomb (small on disk, gigabytes uncompressed). The files are committed, so the tests
never need LibreOffice; run this again only to change them (it needs LibreOffice,
Debian's ``libreoffice-writer``).
"""

from __future__ import annotations

import argparse
import html
import io
import re
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import docx
import pypdfium2
from docx.enum.text import WD_BREAK
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Pt
from pypdf import PdfWriter

from govkg.graph.documents.model import Block, BlockKind, Document
from govkg.graph.documents.text import parse_text

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Fixture:
    """One corpus text and the formats made from it."""

    name: str
    corpus_file: str
    council: str
    html_style: str  # "cms" or "moderngov"


FIXTURES = [
    Fixture("leicestershire-code", "001_8248a4b135ee80e6.txt", "Leicestershire County Council",
            "cms"),
    Fixture("lancashire-code", "dev/02_lancashire_local-code.txt", "Lancashire County Council",
            "moderngov"),
    Fixture("conwy-governance", "dev/36_conwy_other.txt", "Conwy County Borough Council", "cms"),
]
#: Colchester's code, principle four (lines 150-235: tables of thirty short rows), makes
#: the PDF whose tables run over page breaks, their header rows repeated on each page.
SPLIT_TABLE = Fixture("colchester-split-table", "002_4f0066847b539ee0.txt",
                      "Colchester Borough Council", "cms")
SPLIT_TABLE_LINES = (150, 235)

#: Leicestershire's principle A (lines 63-78 of its code): the capture keeps each evidence
#: cell's bulleted list on one line ("<ul ...> • ... • ..."); the council's Word file had
#: one paragraph per bullet in the cell, as this fixture has again, so that its PDF has
#: table cells of several paragraphs, each wrapping over several lines.
CELL_LISTS = Fixture("leicestershire-cell-lists", "001_8248a4b135ee80e6.txt",
                     "Leicestershire County Council", "cms")
CELL_LISTS_LINES = (63, 78)
_MARKUP = re.compile(r"<[^>]+>")

_NUMBERED_MARKERS = ("a)", "(", "1)", "2)", "3)", "4)", "5)", "6)", "7)", "8)", "9)")
_BULLET_ID, _NUMBER_ID = 101, 102


def _numbering(document: docx.document.Document) -> None:
    """Add a nine-level bullet list and a nine-level numbered list (1. a) i.) to the
    document's numbering part, as Word's own list buttons would."""
    numbering = document.part.numbering_part.element
    bullets = "•◦▪•◦▪•◦▪"
    formats = [("decimal", "%{}."), ("lowerLetter", "%{})"), ("lowerRoman", "%{}.")] * 3
    for abstract_id, levels in (
            (_BULLET_ID, [("bullet", bullets[i]) for i in range(9)]),
            (_NUMBER_ID, [(fmt, text.format(i + 1)) for i, (fmt, text) in enumerate(formats)])):
        xml = [f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
               '<w:multiLevelType w:val="hybridMultilevel"/>']
        for level, (fmt, text) in enumerate(levels):
            xml.append(f'<w:lvl w:ilvl="{level}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                       f'<w:lvlText w:val="{html.escape(text)}"/><w:lvlJc w:val="left"/>'
                       f'<w:pPr><w:ind w:left="{360 * (level + 1) + 360}" w:hanging="360"/>'
                       '</w:pPr></w:lvl>')
        xml.append("</w:abstractNum>")
        # abstractNum elements must come before the num elements.
        first_num = numbering.find(qn("w:num"))
        element = parse_xml("".join(xml))
        if first_num is not None:
            first_num.addprevious(element)
        else:
            numbering.append(element)
        numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{abstract_id}">'
                                   f'<w:abstractNumId w:val="{abstract_id}"/></w:num>'))


def _list_paragraph(document: docx.document.Document, block: Block) -> None:
    paragraph = document.add_paragraph(block.text, style="List Paragraph")
    numbered = block.marker.startswith(_NUMBERED_MARKERS)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{min(block.level, 8)}"/>'
        f'<w:numId w:val="{_NUMBER_ID if numbered else _BULLET_ID}"/></w:numPr>'))


def _field(run_parent: docx.text.paragraph.Paragraph, instruction: str) -> None:
    """A Word field (PAGE, NUMPAGES) in a paragraph."""
    run_parent._p.append(parse_xml(
        f'<w:fldSimple {nsdecls("w")} w:instr="{instruction}"><w:r><w:t>1</w:t></w:r>'
        "</w:fldSimple>"))


def _page_furniture(document: docx.document.Document, council: str) -> None:
    section = document.sections[0]
    section.header.paragraphs[0].text = council
    footer = section.footer.paragraphs[0]
    footer.add_run("Page ")
    _field(footer, "PAGE")
    footer.add_run(" of ")
    _field(footer, "NUMPAGES")


def _table(document: docx.document.Document, block: Block) -> None:
    columns = max(len(row.cells) for row in block.rows)
    table = document.add_table(rows=0, cols=columns)
    table.style = "Table Grid"
    for row in block.rows:
        cells = table.add_row().cells
        if row.header:  # repeated at the top of each page; rows may break across pages
            table.rows[-1]._tr.get_or_add_trPr().append(
                parse_xml(f'<w:tblHeader {nsdecls("w")}/>'))
        for cell, source in zip(cells, row.cells, strict=False):
            for index, line in enumerate(source.text.split("\n")):  # a paragraph a line
                paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
                paragraph.add_run(line).bold = row.header
    # Word and LibreOffice join tables that touch into one: a paragraph keeps them apart.
    document.add_paragraph()


def cell_lists(doc: Document) -> Document:
    """``doc`` with each table cell's inline bullets ("... • a • b") as lines of the cell
    (one paragraph each in the Word file), the capture's HTML markup left out."""
    def split(text: str) -> str:
        parts = [" ".join(p.split()) for p in _MARKUP.sub(" ", text).split("•")]
        lead, items = parts[0], [f"• {p}" for p in parts[1:] if p]
        return "\n".join(([lead] if lead else []) + items)

    blocks = []
    for block in doc.blocks:
        if block.kind is BlockKind.TABLE:
            rows = tuple(replace(row, cells=tuple(replace(c, text=split(c.text))
                                                   for c in row.cells))
                         for row in block.rows)
            block = replace(block, rows=rows)
        blocks.append(block)
    return replace(doc, blocks=tuple(blocks))


def write_text(doc: Document, path: Path) -> None:
    """The document as plain text, as the corpus captures are laid out: a blank line
    between blocks, list items as ``- `` lines indented two spaces a level, a table row a
    line with its cells between tabs. A cell of several paragraphs carries each further
    one on a line of its own at the cell's column position (after as many tabs), which is
    how the text reader reads a table cell's paragraphs (graph/documents/text.py)."""
    out: list[str] = []
    for block in doc.blocks:
        if block.kind is BlockKind.TABLE:
            lines = []
            for row in block.rows:
                paragraphs = [cell.text.split("\n") for cell in row.cells]
                for index in range(max(len(p) for p in paragraphs)):
                    lines.append("\t".join(p[index] if index < len(p) else ""
                                           for p in paragraphs).rstrip("\t"))
            out.append("\n".join(lines))
        elif block.kind is BlockKind.LIST_ITEM:
            out.append("  " * block.level + f"- {block.text}")
        else:
            out.append(block.text)
    path.write_text("\n\n".join(out) + "\n", encoding="utf-8")


def write_docx(doc: Document, council: str, path: Path, font_size: float = 10) -> None:
    """The document as a Word file with heading styles, numbered lists and real tables
    (a larger ``font_size`` makes more pages of the same text, for the benchmark)."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.size = Pt(font_size)
    normal.paragraph_format.space_after = Pt(6)  # as Word's own Normal style has
    _numbering(document)
    _page_furniture(document, council)
    for block in doc.blocks:
        if block.kind is BlockKind.HEADING:
            document.add_heading(block.text, level=min(block.level, 9))
        elif block.kind is BlockKind.LIST_ITEM:
            _list_paragraph(document, block)
        elif block.kind is BlockKind.TABLE:
            _table(document, block)
        else:
            lines = block.text.split("\n")
            paragraph = document.add_paragraph()
            for index, line in enumerate(lines):
                run = paragraph.add_run(line.strip())
                if index < len(lines) - 1:
                    run.add_break(WD_BREAK.LINE)
    document.core_properties.title = council
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())


def convert_to_pdf(source: Path, out_dir: Path) -> Path:
    """Convert a Word file to PDF with LibreOffice, as a council's office suite would."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed to make the PDF fixtures")
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([soffice, f"-env:UserInstallation=file://{profile}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), str(source)],
                       check=True, capture_output=True, timeout=300)
    return out_dir / (source.stem + ".pdf")


_CMS_TOP = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>{title} | {council}</title>
<link rel="stylesheet" href="/assets/site.css"><script src="/assets/site.js"></script></head>
<body>
<a class="skip-link" href="#main-content">Skip to main content</a>
<div class="cookie-banner" role="region" aria-label="Cookies on this site"><p>We use cookies
to make this site work. <button>Accept cookies</button> <a href="/cookies">Cookie
settings</a></p></div>
<header class="site-header"><a href="/" class="logo">{council}</a>
<form class="search" action="/search"><label for="q">Search</label><input id="q" name="q">
</form>
<nav class="main-nav" aria-label="Main menu"><ul><li><a href="/bins">Bins and recycling</a></li>
<li><a href="/council-tax">Council tax</a></li><li><a href="/council">Your council</a>
<ul><li><a href="/council/democracy">Democracy</a></li></ul></li></ul></nav></header>
<nav class="breadcrumb" aria-label="Breadcrumb"><ol><li><a href="/">Home</a></li>
<li><a href="/council">Your council</a></li><li>{title}</li></ol></nav>
<main id="main-content">
"""
_CMS_BOTTOM = """</main>
<aside class="related"><h2>Related pages</h2><ul><li><a href="/constitution">Constitution</a>
</li></ul></aside>
<footer class="site-footer"><ul><li><a href="/accessibility">Accessibility</a></li>
<li><a href="/privacy">Privacy</a></li></ul><p>&copy; {council}</p></footer>
</body></html>
"""
_MODERNGOV_TOP = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN"
 "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en" lang="en"><head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>Document - {title}</title>
<link type="text/css" href="SiteSpecific/ssMgStyles.css" rel="stylesheet" /></head>
<body><div id="container"><div id="header"><div id="logo"><a href="/">{council}</a></div>
<ul id="topnav"><li><a href="mgCalendarMonthView.aspx">Meetings</a></li>
<li><a href="mgMemberIndex.aspx">Councillors</a></li>
<li><a href="mgListCommittees.aspx">Committees</a></li></ul></div>
<div id="breadcrumb"><a href="/">Home</a> &gt; <a href="ieDocHome.aspx">Documents</a></div>
<div id="modgov"><div class="mgSideBar"><ul class="mgActionList">
<li><a href="mgGenericPrint.aspx">Print this page</a></li>
<li><a href="mgRss.aspx">RSS</a></li></ul></div>
<div class="mgMainContent">
"""
_MODERNGOV_BOTTOM = """</div></div>
<div id="footer"><p>Powered by ModernGov</p><ul><li><a href="/accessibility">Accessibility
</a></li></ul></div></div></body></html>
"""


def _html_list(items: list[Block], out: list[str]) -> None:
    """Nested <ul>/<ol> from consecutive list items, an inner list inside its parent's
    <li>, as CMS editors produce."""
    stack: list[str] = []
    for item in items:
        tag = "ol" if item.marker.startswith(_NUMBERED_MARKERS) else "ul"
        while len(stack) > item.level + 1:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == item.level + 1:
            out.append("</li>")
        while len(stack) < item.level + 1:
            out.append(f"<{tag}>")
            stack.append(tag)
        out.append(f"<li>{html.escape(item.text)}")
    while stack:
        out.append(f"</li></{stack.pop()}>")


def write_html(doc: Document, council: str, style: str, path: Path) -> None:
    """The document as a council CMS page or a ModernGov page."""
    title = next((b.text for b in doc.blocks if b.kind is BlockKind.HEADING), council)
    top, bottom = (_CMS_TOP, _CMS_BOTTOM) if style == "cms" else (_MODERNGOV_TOP,
                                                                  _MODERNGOV_BOTTOM)
    out = [top.format(title=html.escape(title), council=html.escape(council))]
    blocks = list(doc.blocks)
    index = 0
    while index < len(blocks):
        block = blocks[index]
        if block.kind is BlockKind.LIST_ITEM:
            items = []
            while index < len(blocks) and blocks[index].kind is BlockKind.LIST_ITEM:
                items.append(blocks[index])
                index += 1
            _html_list(items, out)
            continue
        if block.kind is BlockKind.HEADING:
            level = min(block.level, 6)
            out.append(f"<h{level}>{html.escape(block.text)}</h{level}>")
        elif block.kind is BlockKind.TABLE:
            out.append('<table class="table">')
            header = [r for r in block.rows if r.header]
            if header:
                out.append("<thead>")
                for row in header:
                    out.append("<tr>" + "".join(f'<th scope="col">{html.escape(c.text)}</th>'
                                                for c in row.cells) + "</tr>")
                out.append("</thead>")
            out.append("<tbody>")
            for row in block.rows:
                if not row.header:
                    out.append("<tr>" + "".join(f"<td>{html.escape(c.text)}</td>"
                                                for c in row.cells) + "</tr>")
            out.append("</tbody></table>")
        else:
            lines = [html.escape(line.strip()) for line in block.text.split("\n")]
            out.append("<p>" + "<br />\n".join(lines) + "</p>")
        index += 1
    out.append(bottom.format(council=html.escape(council)))
    path.write_text("\n".join(out), encoding="utf-8")


def write_scanned_pdf(pdf: Path, path: Path, pages: int = 1) -> None:
    """An image-only PDF of the first pages of ``pdf``, black and white at 200 dpi: how a
    scanner makes one."""
    source = pypdfium2.PdfDocument(str(pdf))
    images = [source[i].render(scale=200 / 72).to_pil().convert("L").point(
        lambda v: 255 if v > 160 else 0).convert("1") for i in range(min(pages, len(source)))]
    images[0].save(path, format="PDF", save_all=True, append_images=images[1:],
                   resolution=200)


def write_bad_pdfs(good: Path, out: Path) -> None:
    """An encrypted PDF (a user password), a corrupt one (truncated, garbage in the middle)
    and an empty one (no pages)."""
    writer = PdfWriter(clone_from=str(good))
    while len(writer.pages) > 1:
        writer.remove_page(len(writer.pages) - 1)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="AES-256")
    with (out / "encrypted.pdf").open("wb") as handle:
        writer.write(handle)
    data = good.read_bytes()
    (out / "corrupt.pdf").write_bytes(data[:600] + b"\x00garbage\xff" * 50 + data[-300:-200])
    empty = PdfWriter()
    with (out / "empty.pdf").open("wb") as handle:
        empty.write(handle)


def write_zip_bomb(path: Path, size: int = 64 * 1024**2) -> None:
    """A .docx whose word/document.xml inflates to ``size`` bytes of spaces (a ratio of
    about 1000:1, far over the limit): 65 KB on disk. Written in
    chunks, so making it needs no memory either."""
    chunk = b" " * (16 * 1024**2)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.'
                   'openxmlformats.org/package/2006/content-types"/>')
        with z.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(size // len(chunk)):
                member.write(chunk)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    parser.add_argument("--out", type=Path, default=REPO / "tests" / "data" / "formats")
    parser.add_argument("--only", metavar="NAME",
                        help="make only this fixture (e.g. leicestershire-cell-lists), so "
                             "that the others' files stay byte for byte as committed")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for fixture in [*FIXTURES, SPLIT_TABLE, CELL_LISTS]:
        if args.only and fixture.name != args.only:  # "scanned-pages" makes that one
            continue
        source = args.corpus / fixture.corpus_file
        doc = parse_text(source.read_text(encoding="utf-8"), source=fixture.corpus_file)
        if fixture in (SPLIT_TABLE, CELL_LISTS):
            first, last = SPLIT_TABLE_LINES if fixture is SPLIT_TABLE else CELL_LISTS_LINES
            doc = replace(doc, blocks=tuple(b for b in doc.blocks
                                            if first <= b.span.line <= last))
        if fixture is CELL_LISTS:
            doc = cell_lists(doc)
            write_text(doc, args.out / f"{fixture.name}.txt")
        with tempfile.TemporaryDirectory() as scratch:
            # The split-table fixture is needed only as a PDF.
            word = (Path(scratch) if fixture is SPLIT_TABLE else args.out) / f"{fixture.name}.docx"
            write_docx(doc, fixture.council, word)
            convert_to_pdf(word, args.out)
        if fixture not in (SPLIT_TABLE, CELL_LISTS):
            write_html(doc, fixture.council, fixture.html_style, args.out / f"{fixture.name}.html")
        print(f"{fixture.corpus_file} -> {fixture.name}.docx/.pdf")
    if not args.only or args.only == "scanned-pages":
        # three pages with the running header and footer, for OCR's furniture
        write_scanned_pdf(args.out / f"{FIXTURES[0].name}.pdf", args.out / "scanned-pages.pdf",
                          pages=3)
    if args.only:
        return
    write_scanned_pdf(args.out / f"{FIXTURES[1].name}.pdf", args.out / "scanned.pdf")
    write_bad_pdfs(args.out / f"{FIXTURES[1].name}.pdf", args.out)
    write_zip_bomb(args.out / "zip-bomb.docx")
    for path in sorted(args.out.iterdir()):
        print(f"{path.stat().st_size:>9,}  {path.name}")


if __name__ == "__main__":
    main()
