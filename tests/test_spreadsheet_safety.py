"""Issue 10, bullet 6: safe and clean spreadsheets.

XLSX cells that could be read as a formula are stored as text cells (string type, Excel's
"quote prefix" style): the user's text shows as typed, with no leading apostrophe, and
never runs. CSV, which has no cell types, keeps the apostrophe. A malformed final CSV row
is rejected with its row number like any other bad row.
"""

from __future__ import annotations

import re
import zipfile

import openpyxl
import pytest
from test_screening import ORG, VETTED, read_csv, screen, write_csv

from tahaluf.screening import screen_file

HOSTILE = ["=HYPERLINK(\"http://evil\",\"x\")", "+SUM(1,1)", "-2+3", "@cmd", "=1+1", "Safe name"]


def test_xlsx_formula_like_text_is_a_text_cell_without_an_apostrophe(tmp_path):
    screen(tmp_path, [{"name": name, "sector": "ngo", **VETTED, "constraints_declared": "no"} for name in HOSTILE],
           name="out.xlsx")
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = book.worksheets[0]
    names = {}
    for row in sheet.iter_rows(min_row=2):
        names[row[2].value] = row[2]
        assert row[2].data_type == "s" and row[9].data_type == "s"
    assert set(names) == set(HOSTILE)  # exactly as typed: no "'" shows
    for name in HOSTILE[:5]:
        assert names[name].quotePrefix, name  # Excel keeps it text even when the cell is edited
    # Nowhere in the workbook is there a formula.
    with zipfile.ZipFile(tmp_path / "out.xlsx") as archive:
        for part in archive.namelist():
            if part.startswith("xl/worksheets/"):
                assert not re.search(rb"<(\w+:)?f[ >]", archive.read(part)), part


def test_csv_keeps_the_neutralising_apostrophe(tmp_path):
    result, _ = screen(tmp_path, [{"name": name, "sector": "ngo", **VETTED} for name in HOSTILE])
    assert {r["name"] for r in result} == {"'" + n for n in HOSTILE[:5]} | {"Safe name"}


@pytest.mark.parametrize("tail", ['"Unclosed quote,ngo,yes\n', '"Unclosed quote,ngo,yes'])
def test_a_malformed_final_csv_row_is_rejected_with_its_row_number(tmp_path, tail):
    source = write_csv(tmp_path / "candidates.csv", [{"name": "Good NGO", "sector": "ngo", **VETTED}])
    with open(source, "a", encoding="utf-8", newline="") as stream:
        stream.write(tail)
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    summary = screen_file(source, ORG, output=str(out), errors=str(errors), jobs=1, progress=False)
    names = [row["name"] for row in read_csv(out)]
    assert names == ["Good NGO"]
    assert (summary.rows_in, summary.screened, summary.rejected) == (2, 1, 1)
    [problem] = read_csv(errors)
    assert problem["row"] == "3" and "quote" in problem["problem"]


def test_a_malformed_row_in_the_middle_is_rejected_and_the_rest_read(tmp_path):
    source = tmp_path / "candidates.csv"
    source.write_text('name,sector\nFirst,ngo\n"Bad"x,ngo\nLast,ngo\n', encoding="utf-8")
    out, errors = tmp_path / "out.csv", tmp_path / "errors.csv"
    summary = screen_file(source, ORG, output=str(out), errors=str(errors), jobs=1, progress=False)
    assert sorted(row["name"] for row in read_csv(out)) == ["First", "Last"]
    assert summary.rejected == 1 and read_csv(errors)[0]["row"] == "3"
