"""Reading web pages (council CMS and ModernGov pages) with lxml.

A council's web page wraps its content in site furniture: a cookie banner, the site
header with search and menus, breadcrumbs, related links and the footer. The reader finds
the main content (``<main>``, ``role="main"``, ModernGov's ``mgMainContent``, or an element
whose id or class says content), drops navigation and scripts inside it, and reads:

* ``h1``-``h6`` as headings of that level;
* ``p`` (and text directly in a ``div``) as paragraphs, each on one line (``<br>`` is a
  space);
* ``ul``/``ol`` as list items, a list inside a list item one level deeper; the marker is
  "•" for ``ul`` and the item's number for ``ol`` (its ``start`` and ``type`` honoured);
* ``table`` as a table: ``th`` cells in ``thead`` (or a first row of ``th`` only) are
  header rows; a cell holding paragraphs or a list keeps one per line.

Whitespace is collapsed as a browser collapses it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from govkg.graph.documents.model import Document, TextWriter
from govkg.graph.errors import InputError, Location

if TYPE_CHECKING:
    from lxml.html import HtmlElement

    from govkg.graph.documents.reading import Limits

MEDIA_TYPE = "text/html"
#: Elements that are never content.
_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "form", "nav", "button",
         "select", "input", "label", "object", "embed", "canvas", "video", "audio")
#: Landmarks around the content, dropped when no main content is marked.
_FURNITURE_TAGS = ("header", "footer", "aside")
_FURNITURE_ROLES = ("navigation", "banner", "contentinfo", "search", "complementary")
#: Ids and class names (whole, any case) of site furniture.
_FURNITURE_NAMES = frozenset({
    "breadcrumb", "breadcrumbs", "cookie-banner", "cookie-notice", "cookies", "skip-link",
    "skiplink", "site-header", "site-footer", "header", "footer", "banner", "nav", "navbar",
    "navigation", "main-nav", "menu", "topnav", "sidebar", "mgsidebar", "social",
    "share", "related", "feedback", "search"})
_MAIN_XPATHS = ("//main", "//*[@role='main']", "//*[contains(concat(' ', @class, ' '), "
                "' mgMainContent ')]", "//*[@id='modgov']", "//article",
                "//*[@id='main-content' or @id='content' or @id='main' or @id='maincontent']",
                "//*[contains(concat(' ', @class, ' '), ' main-content ')]")
_HEADINGS = {f"h{n}": n for n in range(1, 7)}
_BLOCKS = {"p", "ul", "ol", "table", "div", "section", "article", "main", "blockquote",
           "header", "footer", "aside", "dl", "figure", "details", "pre", "hr", "address",
           "center", "form", "fieldset", *_HEADINGS}
_SPACES = re.compile(r"[ \t\r\n\f\u200b]+")


def _collapse(text: str) -> str:
    """Whitespace as a browser shows it, on one line: the line breaks of ``<br>`` become
    spaces, as a paragraph is one line of the canonical text."""
    return _SPACES.sub(" ", text).strip()


def _inline_text(element: HtmlElement) -> str:
    """The text of an element and its inline descendants, ``<br>`` as a line break."""
    parts: list[str] = []

    def walk(node: HtmlElement) -> None:
        if node.tag == "br":
            parts.append("\n")
        elif isinstance(node.tag, str) and node.tag not in _DROP:
            parts.append(node.text or "")
            for child in node:
                walk(child)
        if node is not element:
            parts.append(node.tail or "")

    walk(element)
    return _collapse("".join(parts))


def _is_furniture(element: HtmlElement) -> bool:
    if element.tag in _DROP:
        return True
    if element.get("role", "").lower() in _FURNITURE_ROLES:
        return True
    if element.get("aria-hidden") == "true" or element.get("hidden") is not None:
        return True
    names = f"{element.get('id', '')} {element.get('class', '')}".lower().split()
    return any(name in _FURNITURE_NAMES for name in names)


def _main(root: HtmlElement) -> HtmlElement:
    for xpath in _MAIN_XPATHS:
        found = root.xpath(xpath)
        if found:
            return found[0]
    body = root.find("body")
    return body if body is not None else root


def _marker(list_element: HtmlElement, index: int) -> str:
    if list_element.tag != "ol":
        return "•"
    start = list_element.get("start", "1")
    number = (int(start) if start.lstrip("-").isdigit() else 1) + index
    kind = list_element.get("type", "1")
    if kind in ("a", "A"):
        letter = chr(ord("a") + (number - 1) % 26)
        return f"{letter.upper() if kind == 'A' else letter}."
    if kind in ("i", "I"):
        from govkg.graph.documents.word import _roman
        roman = _roman(number)
        return f"{roman.upper() if kind == 'I' else roman}."
    return f"{number}."


class _Walker:
    def __init__(self, writer: TextWriter) -> None:
        self.writer = writer

    def container(self, element: HtmlElement) -> None:
        """Read a block container: its block children in order, and the runs of text and
        inline elements between them as paragraphs."""
        run: list[str] = [element.text or ""]
        for child in element:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag in _BLOCKS or (tag and _is_furniture(child)):
                self.flush(run)
                run = []
                if not _is_furniture(child):
                    self.block(child)
            elif tag == "br":
                run.append("\n")
            elif tag:
                run.append(_inline_outer(child))
            run.append(child.tail or "")
        self.flush(run)

    def flush(self, run: list[str]) -> None:
        text = _collapse("".join(run))
        if text:
            self.writer.paragraph(text)

    def block(self, element: HtmlElement) -> None:
        tag = element.tag
        if tag in _HEADINGS:
            if text := _inline_text(element):
                self.writer.heading(text, _HEADINGS[tag])
        elif tag == "p":
            if text := _inline_text(element):
                self.writer.paragraph(text)
        elif tag in ("ul", "ol"):
            self.items(element, 0)
        elif tag == "table":
            self.table(element)
        elif tag in ("hr",):
            return
        else:
            self.container(element)

    def items(self, list_element: HtmlElement, depth: int) -> None:
        index = 0
        for item in list_element:
            if item.tag != "li":
                continue
            own: list[str] = [item.text or ""]
            nested = []
            for child in item:
                if child.tag in ("ul", "ol"):
                    nested.append(child)
                elif isinstance(child.tag, str) and not _is_furniture(child):
                    own.append(_inline_outer(child) if child.tag not in ("p", "div")
                               else " " + _inline_text(child) + " ")
                own.append(child.tail or "")
            if text := _collapse("".join(own)):
                self.writer.list_item(text, depth, _marker(list_element, index))
            index += 1
            for child in nested:
                self.items(child, depth + 1)

    def table(self, table: HtmlElement) -> None:
        rows, header_rows, in_header = [], 0, True
        for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
            cells = [c for c in tr if c.tag in ("td", "th")]
            if not cells:
                continue
            texts = [_cell_text(c) for c in cells]
            header = (tr.getparent().tag == "thead"
                      or all(c.tag == "th" for c in cells))
            if in_header and header:
                header_rows += 1
            else:
                in_header = False
            rows.append(texts)
        if any(any(row) for row in rows):
            self.writer.table(rows, header_rows if header_rows < len(rows) else 0)


def _inline_outer(element: HtmlElement) -> str:
    """An inline element's text (without its tail)."""
    if element.tag in _DROP:
        return ""
    if element.tag == "br":
        return "\n"
    parts = [element.text or ""]
    for child in element:
        parts.append(_inline_outer(child) if isinstance(child.tag, str) else "")
        parts.append(child.tail or "")
    return "".join(parts)


def _cell_text(cell: HtmlElement) -> str:
    blocks = cell.xpath("./p|./li|./ul/li|./ol/li|./div")
    if blocks:
        return "\n".join(t for t in (_inline_text(b) for b in blocks) if t)
    return _inline_text(cell)


def read_html(data: bytes, *, source: str, address: str = "", sha256: str,
              limits: Limits, ocr: bool = False) -> Document:
    """Read a web page's bytes into the document model (the reader ``read_document``
    uses)."""
    import lxml.etree
    import lxml.html

    del limits, ocr  # the size is checked before reading; a page has no scans
    where = Location(source)
    try:
        root = lxml.html.document_fromstring(data)
    except (lxml.etree.ParserError, ValueError) as exc:
        raise InputError(f"cannot be read as HTML: {exc}", where) from None
    main = _main(root)
    for element in list(main.iter()):
        if (element is not main and isinstance(element.tag, str)
                and element.getparent() is not None
                and (_is_furniture(element)
                     or (main.tag == "body" and element.tag in _FURNITURE_TAGS))):
            element.drop_tree()  # keeps the text that follows it
    writer = TextWriter()
    _Walker(writer).container(main)
    if not writer.blocks:
        raise InputError("the web page has no text content", where)
    title = root.findtext(".//title")
    if title and title.strip():
        writer.paragraph(_collapse(title), furniture=True)
    return writer.document(source=source, media_type=MEDIA_TYPE, sha256=sha256,
                           address=address)
