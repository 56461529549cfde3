"""Every reason per candidate, in words (issue 23): each failed red flag and condition and each decisive
fact not yet known, the first in `reason`, all in `reasons`; XLSX and HTML in words in either language;
the summary's common reasons say what is wrong; JSONL keeps the machine's tokens."""

from __future__ import annotations

import csv
import json

import openpyxl
from support import EXAMPLES

from tahaluf import knowledge
from tahaluf.screening import screen_file

ORG = EXAMPLES / "screening-org.yaml"
HEADER = ["name", "sector", "past_work_reviewed", "past_statements_reviewed", "government.approach",
          "constraints_declared"]
MINISTRY = {"name": "وزارة الصحة — Ministry of Health", "sector": "government", "past_work_reviewed": "no",
            "past_statements_reviewed": "no", "government.approach": "confrontational", "constraints_declared": "no"}
CENTRE = {"name": "Centre", "sector": "research_centre", "past_work_reviewed": "yes"}


def _screen(tmp_path, name, lang="en", rows=(MINISTRY, CENTRE)):
    source = tmp_path / "c.csv"
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, HEADER)
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / name
    summary = screen_file(source, ORG, output=str(out), jobs=1, progress=False, lang=lang)
    return out, summary


def _csv(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_failed_check_and_open_question_is_a_reason(tmp_path):
    out, _ = _screen(tmp_path, "out.csv")
    ministry = _csv(out)[-1]
    failed, unknown = ministry["failed"].split("; "), ministry["not_assessed"].split("; ")
    reasons = ministry["reasons"].split(" | ")  # one line a row, for the programs that read it so
    assert len(failed) >= 2 and "GV03" in failed
    assert len(reasons) >= len(failed)  # every failed check (and each decisive open one) in words
    assert reasons[0] == ministry["reason"]
    assert any(r.startswith("The approach planned towards وزارة الصحة — Ministry of Health is confrontational")
               for r in reasons)
    assert not any(r.startswith(("GV", "PA", "PR")) for r in reasons)  # words, not codes
    assert len(set(reasons)) == len(reasons) and unknown


def test_jsonl_keeps_the_tokens_and_lists_the_reasons(tmp_path):
    out, _ = _screen(tmp_path, "out.jsonl")
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    ministry = records[-1]
    assert ministry["status"] == "excluded" and ministry["sector"] == "government"
    assert isinstance(ministry["reasons"], list) and ministry["reasons"][0] == ministry["reason"]
    assert len(ministry["reasons"]) >= 2


def _sheet(path):
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    return sheet, rows


def test_english_xlsx_is_in_words(tmp_path):
    out, _ = _screen(tmp_path, "out.xlsx")
    _, rows = _sheet(out)
    header = rows[0]
    assert "Not yet known" in header and "Reasons" in header and "not_assessed" not in header
    by_name = {row[header.index("Name")]: dict(zip(header, row)) for row in rows[1:]}
    assert by_name["Centre"]["Sector"] == "Research centre"
    assert by_name["Centre"]["Status"] in ("Eligible", "Conditional")
    ministry = by_name["وزارة الصحة — Ministry of Health"]
    assert ministry["Status"] == "Excluded" and ministry["Sector"] == "Government"
    assert ministry["Reasons"].count("\n") >= 1 and ministry["Reasons"].startswith(ministry["Reason"])


def test_arabic_xlsx_and_html_are_in_arabic_words(tmp_path):
    out, _ = _screen(tmp_path, "out.xlsx", lang="ar")
    sheet, rows = _sheet(out)
    header = rows[0]
    labels = knowledge.labels()
    assert labels["screen.column.reasons"]("ar") in header and sheet.sheet_view.rightToLeft
    centre = next(row for row in rows[1:] if row[header.index(labels["screen.column.name"]("ar"))] == "Centre")
    assert centre[header.index(labels["screen.column.sector"]("ar"))] == labels["sector.research_centre"]("ar")
    html_out, _ = _screen(tmp_path, "out.html", lang="ar")
    html = html_out.read_text(encoding="utf-8")
    assert labels["screen.column.not_assessed"]("ar") in html
    assert html.count('<li class="reason">') >= 3  # every reason of every candidate, one item each


def test_summary_says_what_is_wrong_not_the_passing_text(tmp_path):
    _, summary = _screen(tmp_path, "out.csv")
    text = summary.text()
    passing = knowledge.findings()["GV03"].summary("en")
    assert passing not in text
    assert "GV03" in text and "confrontational, not cooperative" in text


def test_a_section_as_subject_is_in_words(tmp_path):
    """No concession columns: the concession is unknown, and the question about it names it in words
    (labels.yaml subject.concessions), as the report does, never by its path."""
    for lang in ("en", "ar"):
        out, _ = _screen(tmp_path, f"out-{lang}.jsonl", lang=lang)
        reasons = [reason for line in out.read_text(encoding="utf-8").splitlines()
                   for reason in json.loads(line)["reasons"]]
        assert not [reason for reason in reasons if "concessions" in reason]
        assert any(knowledge.labels()["subject.concessions"](lang) in reason for reason in reasons)


def test_a_contradiction_is_said_in_words(tmp_path):
    """CX04 (a sector at odds with the terms given): both facts in words, no placeholder left."""
    rows = [{"name": "Mixed Co", "sector": "private", "government.approach": "cooperative"}]
    for lang in ("en", "ar"):
        out, _ = _screen(tmp_path, f"cx-{lang}.jsonl", lang=lang, rows=rows)
        record = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
        said = [reason for reason in record["reasons"] if knowledge.labels()["fact.said_first_nowhere"](lang) in reason]
        assert said and "CX04" in record["failed"]
        assert not [reason for reason in record["reasons"] if "{" in reason or "partners[" in reason]
