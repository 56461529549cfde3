"""Screening in the web app over HTTP: upload a CSV or XLSX (size limit, kind, CSRF, the org chosen
from the workspace), a progress page until the real `screen_file` is done, then the result table
sorted and filtered by the server, and the downloads (XLSX, CSV, errors file)."""

from __future__ import annotations

import csv
import io
import os
import re
import time
from html import unescape

import pytest

pytest.importorskip("starlette")
pytest.importorskip("multipart")

from openpyxl import load_workbook
from starlette.testclient import TestClient
from support import EXAMPLES, csrf_of, label, workspace_with

from tahaluf.files.cells import restore
from tahaluf.screening import screen_file
from tahaluf.web.app import create_app
from tahaluf.web.screening_jobs import FOLDER, UPLOAD_MAX_BYTES

ORG = "screening-org.yaml"


def neutralise(text: str) -> str:
    """As the CSV writer protects a text a spreadsheet would run as a formula (the README's rule)."""
    return "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r", "\n", "'")) else text


@pytest.fixture
def workspace(tmp_path):
    return workspace_with(tmp_path, ORG)


@pytest.fixture
def client(workspace):
    return TestClient(create_app(workspace, workers=0))


def upload(client, name: str, content: bytes, org: str = ORG, **extra):
    token = csrf_of(client.get("/screen").text)
    return client.post("/screen", data={"csrf": token, "org": org, **extra},
                       files={"candidates": (name, content, "application/octet-stream")}, follow_redirects=False)


def finished(client, location: str) -> str:
    """Follow the progress page (it reloads itself with a meta refresh) until the result."""
    for _ in range(600):
        page = client.get(location)
        if 'http-equiv="refresh"' not in page.text:
            return page.text
        assert label("web.screen.running") in page.text
        time.sleep(0.1)
    raise AssertionError("the screening did not finish in a minute")


def table(html: str) -> tuple[list[str], list[list[str]]]:
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    titles = [re.sub(r"<[^>]+>|[▲▼]", "", cell).strip() for cell in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    # A cell of reasons is a list, one item each, folded under their count: read back as the CSV joins them.
    rows = [[re.sub(r"<[^>]+>", "", re.sub(r"</li>\s*<li>", " | ", re.sub(r"<summary>.*?</summary>", "", cell)))
             .replace("&amp;", "&").replace("&#39;", "'").replace("&lt;", "<")
             .replace("&gt;", ">").replace("&#34;", '"').replace("&quot;", '"')
             for cell in re.findall(r"<td>(.*?)</td>", row, re.S)] for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]
    return titles, rows


def in_words(header: list[str], rows: list[list[str]]) -> list[list[str]]:
    """The CSV's codes as the page words them: the headings, statuses and sectors (labels.yaml)."""
    status, sector = header.index("status"), header.index("sector")

    def cell(index: int, value: str) -> str:
        if value and index in (status, sector):
            return label(f"{'partner' if index == status else 'sector'}.{value}")
        return value

    return [[label(f"screen.column.{column}") for column in header]] + [
        [cell(index, value) for index, value in enumerate(row)] for row in rows]


def expected(tmp_path, source) -> list[list[str]]:
    """What `tahaluf screen` itself writes for this file (the library, run here independently),
    each text as written: the page shows names, not the CSV's spreadsheet guard."""
    out = tmp_path / "expected.csv"
    screen_file(source, EXAMPLES / ORG, output=str(out), jobs=1, progress=False)
    with out.open(encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    return in_words(header, [[restore(cell) if index in (2, 3, 6, 7, 8, 9, 10) else cell
                              for index, cell in enumerate(row)] for row in rows])


@pytest.mark.parametrize("source", ["candidates.csv", "candidates.xlsx"])
def test_an_upload_is_screened_and_shown_as_the_library_screens_it(client, workspace, tmp_path, source):
    response = upload(client, source, (EXAMPLES / source).read_bytes())
    assert response.status_code == 303
    location = response.headers["location"]
    assert re.fullmatch(r"/screen/[0-9a-f]{32}", location)
    html = finished(client, location)
    titles, rows = table(html)
    want = expected(tmp_path, EXAMPLES / source)
    assert titles == want[0]
    assert rows == want[1:]  # sorted by rank, as written
    assert "@Sahafa Digital" in [row[2] for row in rows]  # as the file has it ("'@…" is the CSV's guard)
    assert not list((workspace / FOLDER).glob("*/upload.*"))  # the upload is not kept once screened


def test_the_table_sorts_by_any_column_with_plain_links_and_filters_by_status(client):
    html = finished(client, upload(client, "c.csv", (EXAMPLES / "candidates.csv").read_bytes()).headers["location"])
    titles, rows = table(html)
    score, name, status = (titles.index(label(f"screen.column.{column}")) for column in ("score", "name", "status"))
    head = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    links = [link.replace("&amp;", "&") for link in re.findall(r'<th[^>]*><a href="([^"]+)"', head)]
    by_score = client.get(links[score]).text  # ascending first
    values = [float(r[score]) for r in table(by_score)[1] if r[score]]
    assert values == sorted(values) and len(set(values)) > 1
    head = re.search(r"<thead>(.*?)</thead>", by_score, re.S).group(1)
    again = re.findall(r'<th[^>]*><a href="([^"]+)"', head)[score].replace("&amp;", "&")
    assert "dir=desc" in again  # the sorted column's link turns the order round
    descending = [float(r[score]) for r in table(client.get(again).text)[1] if r[score]]
    assert descending == sorted(values, reverse=True)
    names = [r[name] for r in table(client.get(links[name]).text)[1]]
    assert names == sorted(names, key=str.casefold)
    statuses = {r[status] for r in rows}
    assert len(statuses) > 1
    for value in statuses:
        filtered = re.search(rf'<a href="([^"]+)">{re.escape(value)}</a>', html).group(1).replace("&amp;", "&")
        shown = table(client.get(filtered).text)[1]
        assert shown and {r[status] for r in shown} == {value}
        assert len(shown) == sum(r[status] == value for r in rows)
    assert 'aria-sort="ascending"' in html and "<script" not in html


def test_the_downloads_are_the_results_and_the_errors(client, tmp_path):
    location = upload(client, "candidates.csv", (EXAMPLES / "candidates.csv").read_bytes()).headers["location"]
    html = finished(client, location)
    _, rows = table(html)
    got = client.get(f"{location}/download/csv")
    assert got.status_code == 200 and "candidates.screened.csv" in got.headers["content-disposition"]
    header, *downloaded = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    assert in_words(header, [[restore(cell) if index in (2, 3, 6, 7, 8, 9, 10) else cell
                              for index, cell in enumerate(row)] for row in downloaded])[1:] == rows
    assert "'@Sahafa Digital" in [row[2] for row in downloaded]  # the download keeps the spreadsheet guard
    workbook = client.get(f"{location}/download/xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content), read_only=True).worksheets[0]
    # The table shows the names as written, as the workbook's text cells keep them.
    names = {str(row[2]) for row in sheet.iter_rows(min_row=2, values_only=True) if row and row[2]}
    assert {row[2] for row in rows} <= names
    errors = client.get(f"{location}/download/errors")
    reference = tmp_path / "reference.csv"
    summary = screen_file(EXAMPLES / "candidates.csv", EXAMPLES / ORG, output=str(reference), jobs=1, progress=False)
    assert summary.rejected > 0  # the example has bad rows: the errors file is offered
    assert label("web.screen.download.errors") in html
    assert errors.status_code == 200
    assert errors.content == (tmp_path / "reference.csv.errors.csv").read_bytes()
    assert client.get(f"{location}/download/pdf").status_code == 404


def test_upload_limits_kind_and_org_are_checked_and_nothing_is_screened(client, workspace):
    big = b"name,sector\n" + b"x,ngo\n" * (UPLOAD_MAX_BYTES // 6 + 10)
    response = upload(client, "big.csv", big)
    assert response.status_code == 413 and label("web.screen.too_large") in response.text
    # Just over the limit: the request's length passes the first check, the copy stops at the limit.
    response = upload(client, "big.csv", b"x" * (UPLOAD_MAX_BYTES + 1))
    assert response.status_code == 413 and label("web.screen.too_large") in response.text
    response = upload(client, "notes.txt", b"name\nx\n")
    assert response.status_code == 422 and label("web.screen.kind") in response.text
    for org in ("../screening-org.yaml", "missing.yaml", ""):
        response = upload(client, "c.csv", b"name\nx\n", org=org)
        assert response.status_code == 422 and label("web.screen.choose_org") in unescape(response.text)
    token = csrf_of(client.get("/screen").text)
    response = client.post("/screen", data={"csrf": token + "x", "org": ORG},
                           files={"candidates": ("c.csv", b"name\nx\n", "text/csv")})
    assert response.status_code == 403
    assert not (workspace / FOLDER).exists() or not any((workspace / FOLDER).iterdir())  # nothing kept


def test_only_files_that_can_serve_as_the_organisation_are_offered(client, workspace):
    (workspace / "broken.yaml").write_text("organisation:\n  name: X\nalliance:\n  name: Y\n  stage: maybe\n")
    # A bad partner does not matter: screening reads our organisation and the alliance only.
    (workspace / "odd-partner.yaml").write_text("organisation:\n  name: X\nalliance:\n  name: Y\n"
                                                "partners:\n  - name: Z\n    sector: planet\n")
    offered = re.findall(r'<option value="([^"]+)"', client.get("/screen").text)
    assert ORG in offered and "odd-partner.yaml" in offered and "broken.yaml" not in offered


def test_a_whole_file_problem_is_said_on_the_page(client):
    html = finished(client, upload(client, "c.csv", b"name,colour\nx,red\n").headers["location"])
    assert label("web.screen.failed") in html and "colour" in html


def test_another_session_cannot_see_a_screening(client, workspace):
    location = upload(client, "c.csv", (EXAMPLES / "candidates.csv").read_bytes()).headers["location"]
    finished(client, location)
    other = TestClient(create_app(workspace, workers=0))
    assert other.get(location).status_code == 404
    same_server = TestClient(client.app)
    assert same_server.get(location).status_code == 404  # a new session of the same server
    assert same_server.get(f"{location}/download/csv").status_code == 404


def test_hostile_cells_are_escaped_in_the_table(client):
    content = b"name,sector\n<script>alert(1)</script>,ngo\n=HYPERLINK(\"http://x\"),ngo\n"
    html = finished(client, upload(client, "c.csv", content).headers["location"])
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert '=HYPERLINK("http://x")' in [row[2] for row in table(html)[1]]


def test_job_folders_live_as_long_as_the_server(workspace):
    stale = workspace / FOLDER / ("f" * 32)
    stale.mkdir(parents=True)
    os.utime(stale, (time.time() - 2 * 24 * 3600,) * 2)
    recent = workspace / FOLDER / ("e" * 32)
    recent.mkdir()
    with TestClient(create_app(workspace, workers=0)) as client:  # runs the app's start and stop
        assert not stale.exists() and recent.exists()  # a crashed server's leftovers, a day old, go
        location = upload(client, "c.csv", (EXAMPLES / "candidates.csv").read_bytes()).headers["location"]
        finished(client, location)
        folder = workspace / FOLDER / location.rsplit("/", 1)[1]
        assert (folder / "result.xlsx").is_file()
    assert not folder.exists() and recent.exists()


def test_a_list_over_the_web_row_limit_is_refused_with_its_own_page(client, workspace, monkeypatch):
    from tahaluf import limits

    monkeypatch.setattr(limits, "WEB_SCREEN_MAX_ROWS", 5)
    location = upload(client, "c.csv", b"name,sector\n" + b"x,ngo\n" * 6).headers["location"]
    finished(client, location)
    page = client.get(location)
    assert page.status_code == 413
    assert label("web.screen.too_many_rows").replace("{limit}", "5") in unescape(page.text)
    assert client.get(f"{location}/download/csv").status_code == 404  # nothing written
    job = workspace / FOLDER / location.rsplit("/", 1)[1]
    assert not any(job.iterdir())  # the upload removed, no result file
    # At the limit, the list is screened.
    html = finished(client, upload(client, "c.csv", b"name,sector\n" + b"x,ngo\n" * 5).headers["location"])
    assert len(table(html)[1]) == 5


def test_rows_are_sorted_from_the_file_as_a_stable_sort_of_them_all(tmp_path):
    """The page's rows come from the result CSV, keeping no more than a page: the same rows, in the same
    order, as sorting every row (numbers as numbers, blanks last, ties in the file's order)."""
    import random

    from tahaluf.web.screening_jobs import NUMERIC_COLUMNS, Job, sorted_rows

    rng = random.Random(7)
    header = ["rank", "row", "name", "sector", "status", "score", "failed", "not_assessed", "guidance", "reason"]
    rows = [[str(i), str(rng.choice([i, "", "x"])), rng.choice(["b", "A", "a", "", "c"]), "ngo",
             rng.choice(["eligible", "excluded"]), rng.choice(["1", "2.5", "", "10", "-3"]), "", "", "", str(i)]
            for i in range(1, 400)]
    job = Job("j", tmp_path, "c.csv")
    with job.file("csv").open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])

    def reference(column, descending, status):
        chosen = [tuple(r) for r in rows if status is None or r[4] == status]

        def key(row):
            value = row[column]
            if column in NUMERIC_COLUMNS:
                try:
                    return (0, float(value), "")
                except ValueError:
                    return (1, 0.0, value)
            return (0 if value else 1, 0.0, value.casefold())
        present = [r for r in chosen if key(r)[0] == 0]
        return sorted(present, key=key, reverse=descending) + [r for r in chosen if key(r)[0] == 1], len(chosen)

    for column in (0, 1, 2, 5):
        for descending in (False, True):
            for status in (None, "excluded"):
                for limit in (3, 50, 1000):
                    want, count = reference(column, descending, status)
                    assert sorted_rows(job, column, descending, status, limit) == (want[:limit], count)
