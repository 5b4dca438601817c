"""The Jinja2 environment of the HTML pages: autoescaping, and helpers that turn RDF terms
into safe links.

Every value on a page comes from documents (labels, quotes, titles), so autoescaping is
on for every template, and a term becomes a link only when it is one of our paths or an
``http(s)`` IRI: an IRI such as ``javascript:...`` in the data stays plain text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Iterable
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape
from rdflib import Literal, URIRef
from rdflib.term import Node

from govkg.api.linked import Links, short
from govkg.graph.search import filter_key
from govkg.graph.store.originals import Originals, link


def templates_dir() -> Path:
    return Path(str(files("govkg.api"))) / "templates"


def static_dir() -> Path:
    return Path(str(files("govkg.api"))) / "static"


def make_templates(links: Links) -> Jinja2Templates:
    """The templates with the link helpers bound to this app's IRI mapping."""
    env = Environment(loader=FileSystemLoader(templates_dir()),
                      autoescape=select_autoescape(["html"], default=True),
                      trim_blocks=True, lstrip_blocks=True,
                      # the templates are files of the installed package: never asking
                      # whether they changed saves a stat per include (the static site
                      # rendered 2,400 pages and asked 9,500 times)
                      auto_reload=False)

    @functools.lru_cache(maxsize=100_000)
    def href(node: Node | str | None) -> str | None:
        """Where a term links to: our page for our IRIs, else an http(s) IRI, else None
        (remembered: a page links to the same terms many times)."""
        if node is None or isinstance(node, Literal):
            return None
        path = links.path_of(node)
        if path is not None:
            return path
        text = str(node)
        return text if text.startswith(("http://", "https://")) else None

    def display(node: Node | None, label: Node | None = None) -> str:
        """What a person reads for a term: its label, else a CURIE or the value."""
        if label is not None and str(label):
            return str(label)
        if node is None:
            return ""
        if isinstance(node, URIRef):  # a full IRI as published (GOVKG_BASE), as the RDF
            return links.publish(short(str(node)))
        return str(node)

    def term(node: Node | None, label: Node | None = None) -> Markup:
        """A term as a person reads it, linked where it can be (a function, not a Jinja
        macro: a page calls it hundreds of times, the static site 100,000 times)."""
        target = href(node)
        text = escape(display(node, label))
        return Markup(f'<a href="{escape(target)}">{text}</a>') if target else text

    def lines(row: dict[str, Any]) -> str:
        start, end = str(row.get("start", "")), str(row.get("end", ""))
        return f"line {start}" if start == end else f"lines {start}-{end}"

    def pct(value: Node | float | None) -> str:
        try:
            return f"{float(str(value)):.0%}"
        except ValueError:
            return ""

    def unique(rows: Iterable[dict[str, Any]], key: str) -> list[dict[str, Any]]:
        seen: set[str] = set()
        out = []
        for row in rows:
            if str(row.get(key)) not in seen:
                seen.add(str(row.get(key)))
                out.append(row)
        return out

    def runs(rows: Iterable[dict[str, Any]], key: str) -> list[list[dict[str, Any]]]:
        """Rows in runs of one value of ``key`` (rows sorted by it: a property's values),
        so a table names the property once for its run."""
        return [list(run) for _, run in itertools.groupby(rows, key=lambda r: r.get(key))]

    def original(span: dict[str, Any]) -> str | None:
        """Where a quote is in the council's original file (a PDF at its page), when the
        original is kept beside the store; None otherwise."""
        kept = env.globals.get("originals")
        sha, media = span.get("sha"), span.get("format")
        if not isinstance(kept, Originals) or sha is None or media is None or not kept.has(
                str(sha), str(media)):
            return None
        page, start, end = span.get("page"), span.get("start"), span.get("end")
        return link(str(sha), str(media), page=int(str(page)) if page is not None else None,
                    lines=(int(str(start)), int(str(end or start)))
                    if start is not None else None,
                    exact=str(span["exact"]) if span.get("exact") is not None else None)

    env.filters["text"] = lambda value: "" if value is None else str(value)
    env.filters["filter_key"] = filter_key
    env.globals.update(href=href, display=display, lines=lines, pct=pct, unique=unique,
                       runs=runs, original=original, short=short, term=term, publish=links.publish)
    return Jinja2Templates(env=env)


#: a root-relative link of the site's own markup (``href="/compare"``, ``action="/search"``)
_ROOT_LINK = re.compile(r'\b(href|action)="(/[^"]*)"')


def with_site_header(page: bytes, templates: Jinja2Templates, extra_css: str = "", *,
                     static_site: bool = False,
                     link: Callable[[str], str] | None = None) -> bytes:
    """A page made elsewhere (Swagger UI's, pyLODE's) given the site's skip link, header
    and search box, as every page has: the site's stylesheet (and ``extra_css``) first in
    its head, so the page's own styles win where both style a thing; the
    header at the top of its body and the rest of the body as the skip link's target.

    ``static_site`` leaves out the header's links to what only the server has, and
    ``link`` turns the header's root-relative links into the files of a static copy."""
    header = templates.env.get_template("site_header.html").render(static_site=static_site)
    css = f'<link rel="stylesheet" href="/static/style.css">{extra_css}'
    if link is not None:
        relink = link
        header, css = (_ROOT_LINK.sub(lambda m: f'{m[1]}="{escape(relink(m[2]))}"', part)
                       for part in (header, css))
    page = page.replace(b"<head>", b"<head>\n" + css.encode("utf-8"), 1)
    page = page.replace(b"<body>", b"<body>\n" + header.encode("utf-8") +
                        b'\n<main id="main-content" tabindex="-1">', 1)
    return page.replace(b"</body>", b"</main>\n</body>", 1)

