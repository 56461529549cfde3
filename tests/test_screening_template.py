"""`tahaluf screen --template`: a ready candidates sheet in the user's language, which the screening
reader reads back as a valid candidate, with a dropdown of the choices (in words the reader accepts)
on every choice column and the question as a comment on every header."""

from __future__ import annotations

import openpyxl
import pytest

from tahaluf import knowledge
from tahaluf.cli import main
from tahaluf.errors import UsageError
from tahaluf.screening import check_columns, open_candidates, parse_row
from tahaluf.screening.columns import COLUMNS, choice_words, field_key
from tahaluf.screening.template import write_template


def _read_back(path):
    with open_candidates(path) as reader:
        concession = check_columns(reader)
        rows = list(reader.rows())
    assert len(rows) == 1
    parsed = parse_row(rows[0][1], concession, frozenset())
    assert not isinstance(parsed, list), parsed  # a valid candidate, not a row's problems
    return parsed[0]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_template_reads_back_as_a_valid_candidate(tmp_path, lang):
    for suffix in ("xlsx", "csv"):
        path = tmp_path / f"candidates.{lang}.{suffix}"
        write_template(path, lang)
        partner = _read_back(path)
        assert partner.name == knowledge.labels()["screen.template.example.name"](lang)
        assert partner.sector == "ngo" and partner.past_work_reviewed is True


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_template_sheet_headers_comments_dropdowns_direction(tmp_path, lang):
    path = tmp_path / "candidates.xlsx"
    write_template(path, lang)
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.sheet_view.rightToLeft is (lang == "ar")
    headers = [cell.value for cell in sheet[1]]
    assert len(headers) == len(COLUMNS)
    fields = knowledge.fields()
    for cell, column in zip(sheet[1], COLUMNS):
        entry = fields[field_key(column)]
        question = (entry.question or entry)(lang) if entry.question else entry(lang)
        assert cell.comment is not None and question in cell.comment.text
        if lang == "ar":
            assert cell.value == entry.ar
    # Every choice column has a dropdown whose list is its choices in the language's words.
    letters = {cell.column_letter: column for cell, column in zip(sheet[1], COLUMNS)}
    found = {}
    for validation in sheet.data_validations.dataValidation:
        target = str(validation.sqref).split(":")[0].rstrip("0123456789")
        source_sheet, cells = validation.formula1.split("!")
        lists = book[source_sheet.strip("'")]
        first, last = (int(part.lstrip("$ABCDEFGHIJKLMNOPQRSTUVWXYZ")) for part in cells.split(":"))
        letter = cells.split(":")[0].strip("$").rstrip("0123456789").strip("$")
        found[letters[target]] = [lists[f"{letter}{row}"].value for row in range(first, last + 1)]
    expected = {column: [word for _, word in choice_words(column, lang)] for column in COLUMNS
                if choice_words(column, lang)}
    assert found == expected and "sector" in found and "government.approach" in found
    # ... and each word of each list is read as its value.
    for column, pairs in ((c, choice_words(c, lang)) for c in expected):
        for value, word in pairs:
            row = {"name": "X", column: word, **({"concession.what": "x"} if column.startswith("concession.") else {})}
            parsed = parse_row(row, column.startswith("concession."), frozenset())
            assert not isinstance(parsed, list), (column, word, parsed)
            partner, concession, _ = parsed
            section, name = column.rsplit(".", 1) if "." in column else ("", column)
            holder = concession if section == "concession" else getattr(partner, section) if section else partner
            read = getattr(holder, name)
            assert read == ([value] if isinstance(read, list) else value), (column, word, read)


def test_template_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    path = tmp_path / "candidates.xlsx"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(UsageError):
        write_template(path, "en")
    assert path.read_text(encoding="utf-8") == "mine"
    assert main(["screen", "--template", str(path), "--lang", "ar"]) == 2
    assert main(["screen", "--template", str(path), "--lang", "ar", "--force"]) == 0
    assert openpyxl.load_workbook(path).worksheets[0].sheet_view.rightToLeft
    assert main(["screen", str(path)]) == 2  # screening still needs --org
