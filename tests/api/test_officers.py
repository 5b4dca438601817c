"""The governance officers' pages over real HTTP (``govkg serve`` in a subprocess, an
httpx client): comparison and follow-up with their CSV and Excel exports (the workbooks
read back with openpyxl), the council page's accountability matrix and network, who owns
what, the validation link, and the coverage heatmap on the home page. Expected values
come from reading tests/api/data/testshire*.trig."""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import httpx
import openpyxl
import pytest

from govkg.api.pages import period_end
from tests.api.conftest import Server
from tests.api.servers import DOCUMENTS, officers_server

COUNCIL_PATH = "/id/council/testshire-county-council"
HTML = {"accept": "text/html"}


@pytest.fixture(scope="module")
def officers(tmp_path_factory: pytest.TempPathFactory, docs_cache: Path) -> Iterator[Server]:
    yield from officers_server(tmp_path_factory, docs_cache)


def get(server: Server, path: str, **params: str) -> httpx.Response:
    response = httpx.get(server.url + path, params=params or None, headers=HTML, timeout=60)
    assert response.status_code == 200, (path, response.status_code, response.text[:300])
    return response


def test_compare_page_counts_commitments_per_principle(officers: Server) -> None:
    page = get(officers, "/compare", edition="2016").text
    row = re.search(r'<tr><th scope="row"><a href="/id/council/testshire-county-council">'
                    r".*?</tr>", page, re.S)
    assert row is not None
    cells = re.findall(r'<td class="(gap|cell)">', row.group(0))
    assert cells == ["cell", "gap", "gap", "gap", "gap", "gap", "gap"]  # A only, of A-G
    assert ('href="/id/framework/cipfa-solace-2016/A#council-testshire-county-council"'
            in row.group(0))


def test_a_comparison_cell_links_to_the_quotes(officers: Server) -> None:
    item = get(officers, "/id/framework/cipfa-solace-2016/A").text
    anchor = item.index('id="council-testshire-county-council"')
    assert "Integrity is supported by our Whistleblowing Policy." in item[anchor:]


def test_compare_narrowed_to_a_principle_and_a_type(officers: Server) -> None:
    page = get(officers, "/compare", edition="2016", principle="A").text
    headers = re.findall(r"<abbr title=\"[^\"]*\">([^<]+)</abbr>", page)
    assert headers[0] == "A" and all(h.startswith("A.") for h in headers[1:])
    assert len(headers) > 2
    none = get(officers, "/compare", edition="2016", type="district").text
    assert "No council's local code follows this edition among councils of this type" in none


def test_compare_exports_read_back(officers: Server) -> None:
    text = get(officers, "/compare.csv", edition="2016").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Council", "Council type", rows[0][2]]
    assert rows[0][2].startswith("A Behaving with integrity")
    assert rows[1] == ["Testshire County Council", "county council", "1", *["0"] * 6]
    response = get(officers, "/compare.xlsx", edition="2016")
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["Comparison"]
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[1] == ["Testshire County Council", "county council", 1, *[0] * 6]
    assert values[0] == rows[0]
    assert "commitments" in book["About"]["A2"].value


def test_follow_up_puts_overdue_first(officers: Server) -> None:
    page = get(officers, "/councils/testshire-county-council/follow-up").text
    body = page[page.index('id="follow-up"'):]
    order = re.findall(r"<tr[^>]*><td><a href=\"[^\"]+\">([^<]+)</a>", body)
    assert order[0] == "Refresh the corporate risk register"  # the only overdue one
    assert set(order) == {"Refresh the corporate risk register",
                          "Train members in risk appetite", "Review risk arrangements again",
                          "Strengthen the audit committee&#39;s oversight of risk"}
    assert body.count('class="overdue"') == 1
    assert "1 overdue" in page


def test_follow_up_exports_read_back(officers: Server) -> None:
    path = "/councils/testshire-county-council/follow-up"
    book = openpyxl.load_workbook(io.BytesIO(get(officers, path + ".xlsx").content))
    rows = list(book["Follow-up"].iter_rows(values_only=True))
    assert rows[0][:6] == ("Overdue", "Kind", "What", "Owner", "Target", "Status")
    by_what = {row[2]: row for row in rows[1:]}
    assert by_what["Refresh the corporate risk register"][:6] == (
        "yes", "Improvement action", "Refresh the corporate risk register", "Chief Executive",
        "2020/21", "Not started")
    assert by_what["Strengthen the audit committee's oversight of risk"][3] == (
        "Audit and Governance Committee")  # owner from a responsibility
    assert by_what["Train members in risk appetite"][0] is None  # done, not overdue
    text = get(officers, path + ".csv").content.decode("utf-8-sig")
    assert len(list(csv.reader(io.StringIO(text)))) == len(rows)


def test_follow_up_shows_significant_governance_issues(officers: Server) -> None:
    """Barnsley's statement (tests/data/documents/, read in
    tests/data/expected/extra/barnsley_annual-governance-statement.toml): one issue,
    carried over from 2020/21, owned by the Service Director for Finance."""
    path = "/councils/barnsley-metropolitan-borough-council/follow-up"
    page = get(officers, path).text
    body = page[page.index('id="follow-up"'):]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body[body.index("<tbody>"):], re.S)
    assert len(rows) == 1
    cells = [html.unescape(re.sub(r"<[^>]+>", " ", c)).split()
             for c in re.findall(r"<td>(.*?)</td>", rows[0], re.S)]
    assert " ".join(cells[0]) == "Partnership, Relationship and Collaboration Governance"
    assert " ".join(cells[1]).startswith("Significant governance issue carried over")
    assert " ".join(cells[2]) == "Service Director for Finance"
    assert "0 overdue" in page
    book = openpyxl.load_workbook(io.BytesIO(get(officers, path + ".xlsx").content))
    sheet = list(book["Follow-up"].iter_rows(values_only=True))
    header = sheet[0]
    issue = dict(zip(header, sheet[1], strict=True))
    assert (issue["Kind"], issue["Owner"], issue["Year"]) == (
        "Significant governance issue", "Service Director for Finance", "2021/22")
    assert issue["Carried over"].startswith("carried over")
    text = get(officers, path + ".csv").content.decode("utf-8-sig")
    assert list(csv.reader(io.StringIO(text)))[1][1] == "Significant governance issue"


def test_follow_up_issue_without_a_title_shows_its_text(officers: Server) -> None:
    """Lincoln's statement names its two issues' statuses (open, Green) but not their
    titles: each row shows the start of the text it was read from."""
    page = get(officers, "/councils/city-of-lincoln-council/follow-up").text
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    statuses = sorted(re.findall(r"<td>[^<]*</td><td>([^<]+)</td>\s*<td>", body))
    assert statuses == ["Green", "open"]
    assert body.count("Significant governance issue") == 2
    lines = (DOCUMENTS / "lincoln_annual-governance-statement.txt").read_text(
        encoding="utf-8").split("\n")
    first_cells = re.findall(r'<tr[^>]*><td><a href="[^"]+">([^<]+)</a>', body)
    shown = [html.unescape(label) for label in first_cells]
    assert sorted(" ".join(label.split()[:6]) for label in shown) == sorted(
        " ".join(lines[number - 1].split()[:6]) for number in (15, 16))  # lines as read


@pytest.mark.parametrize(("period", "end"), [
    ("2010/11", date(2011, 3, 31)), ("1999/00", date(2000, 3, 31)),
    ("2012", date(2012, 12, 31)), ("2015-2016", date(2016, 3, 31)), ("spring", None),
    ("2023-09-15", date(2023, 9, 15)), ("2024-02", date(2024, 2, 29)),
    ("2024-12", date(2024, 12, 31)), ("2023-13", None)],
    ids=["council-year", "century", "calendar-year", "long-form", "not-a-period",
         "iso-date", "iso-month-leap", "iso-december", "no-such-month"])
def test_period_end(period: str, end: date | None) -> None:
    assert period_end(period) == end


def test_council_page_accountability_matrix_and_network(officers: Server) -> None:
    page = get(officers, COUNCIL_PATH).text
    raci = page[page.index('id="raci"'):page.index("</table>", page.index('id="raci"'))]
    chief = re.search(r"Chief Executive</a>.*?</tr>", raci, re.S)
    assert chief is not None and '<td class="cell">A</td>' in chief.group(0)  # leads A.1
    svg = page[page.index("<svg"):page.index("</svg>")]
    for label in ("Chief Executive", "Audit and Governance Committee",
                  "A.1 Behaving with integrity"):
        assert f">{label}</text>" in svg  # every node named, not a bare dot
    assert "&lt;script&gt;" in svg and "<script>" not in svg


def test_who_owns_what_names_the_object_and_the_source(officers: Server) -> None:
    page = get(officers, COUNCIL_PATH).text
    section = page[page.index('id="responsibilities"'):page.index('id="accountability"')]
    row = re.search(r"Audit and Governance Committee</a></td><td>monitors</td>(.*?)</tr>",
                    section, re.S)
    assert row is not None
    assert '<a href="/id/topic/risk-management">Risk management</a>' in row.group(1)
    assert "The Audit and Governance Committee monitors risk management." in row.group(1)


def test_the_validation_link_works(officers: Server) -> None:
    page = get(officers, COUNCIL_PATH).text
    link = re.search(r'<a href="([^"]+)">Validation report</a>', page)
    assert link is not None
    report = httpx.get(officers.url + link.group(1), headers=HTML, timeout=120)
    assert report.status_code == 200 and "Testshire" in report.text


def test_home_page_heatmap(officers: Server) -> None:
    page = get(officers, "/").text
    section = page[page.index('id="coverage-heatmap"'):page.index("</section>",
                                                                  page.index('id="coverage-heatmap"'))]
    assert "Testshire County Council" in section
    cells = re.findall(r'<td class="cell" style="background: [^"]+">([^<]+)</td>', section)
    # 2016: the code addresses A.1 (1 of A's 3 items), the 2019 self-assessment F.1 (1 of 5)
    assert cells == ["33%", "0%", "0%", "0%", "0%", "20%", "0%"]


def test_a_long_list_says_it_is_cut_and_links_to_the_rest(officers: Server) -> None:
    # the evidence-kind scheme has 234 statements pointing to it (reference data)
    page = get(officers, "/id/scheme/evidence-kind").text
    notice = re.search(r'Only the first (\d+) are listed here. <a href="([^"]+)">', page)
    assert notice is not None and notice.group(1) == "200"
    rest = get(officers, html.unescape(notice.group(2))).text
    assert rest.count("<tr>") - 1 == 34  # the other 34, after a header row


def test_an_item_without_counterpart_lists_none_once(officers: Server) -> None:
    # the reference crosswalk gives 2007 2.3.2 no counterpart: one row saying so, not one
    # per mapping and item of the whole crosswalk
    page = get(officers, "/id/framework/cipfa-solace-2007/2.3.2").text
    section = page[page.index('id="crosswalk"'):page.index('id="statements"')]
    assert section.count("<tr>") - 1 == 1  # after the header row
    assert "<tr><td>none</td>\n<td>none</td>" in section


@pytest.mark.parametrize("slug", ["a b", "x>y", "nowhere"], ids=["space", "angle", "unknown"])
def test_follow_up_of_no_council_is_a_404(officers: Server, slug: str) -> None:
    for suffix in ("", ".csv"):
        response = httpx.get(f"{officers.url}/councils/{slug}/follow-up{suffix}", timeout=60)
        assert response.status_code == 404, (slug, suffix, response.text)
