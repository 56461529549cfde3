"""Screening columns named in the user's language: fields.yaml's wording (Arabic spelling-normalised
as answers are) or the column codes, in CSV, XLSX and JSONL; an unknown header is named with a guess."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from support import EXAMPLES

from tahaluf import knowledge
from tahaluf.errors import InputError
from tahaluf.screening import screen_file
from tahaluf.screening.columns import COLUMNS, header_words

ORG = EXAMPLES / "screening-org.yaml"


def _field(column: str):
    return knowledge.fields()[("concessions[]." + column.removeprefix("concession.")) if column.startswith(
        "concession.") else "partners[]." + column]


ARABIC = {"name": "اسم الشريك", "sector": "القطاع", "past_work_reviewed": "هل تحققنا من أعماله السابقة؟",
          "government.approach": "أسلوبنا معها"}


def _rows(path):
    with open(path, encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_column_has_arabic_and_english_wording_and_no_wording_names_two():
    from tahaluf.answers import normalise

    words = header_words()  # built with a check: one normalised wording, one column
    for column in COLUMNS:
        field = _field(column)
        assert words[normalise(field.ar)] == column
        assert words[normalise(field.en)] == column
        assert words[column] == column


def test_arabic_headers_spelt_loosely_read_as_the_columns(tmp_path):
    source = tmp_path / "c.csv"
    # Harakat, another hamza seat, no question mark, an extra space: one header for the reader.
    header = ["اسمُ الشريك", "القطاع", "هل تحققنا من اعماله  السابقة", "أسلوبنا معها"]
    with open(source, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(header)
        writer.writerow(["وزارة الصحة", "جهة حكومية", "نعم", "تصادمي"])
    out = tmp_path / "out.csv"
    summary = screen_file(source, ORG, output=str(out), jobs=1, progress=False)
    assert summary.screened == 1 and summary.rejected == 0
    english = tmp_path / "en.csv"
    with open(english, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(["name", "sector", "past_work_reviewed", "government.approach"])
        writer.writerow(["وزارة الصحة", "government", "yes", "confrontational"])
    out2 = tmp_path / "out2.csv"
    screen_file(english, ORG, output=str(out2), jobs=1, progress=False)
    assert out.read_text(encoding="utf-8-sig") == out2.read_text(encoding="utf-8-sig")


def test_arabic_headers_in_xlsx_and_jsonl(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(list(ARABIC.values()))
    book.active.append(["وزارة الصحة", "جهة حكومية", "نعم", "تصادمي"])
    book.save(tmp_path / "c.xlsx")
    (tmp_path / "c.jsonl").write_text(json.dumps(dict(zip(ARABIC.values(), [
        "وزارة الصحة", "جهة حكومية", "نعم", "تصادمي"])), ensure_ascii=False) + "\n", encoding="utf-8")
    outputs = []
    for name in ("c.xlsx", "c.jsonl"):
        out = tmp_path / f"{name}.csv"
        summary = screen_file(tmp_path / name, ORG, output=str(out), jobs=1, progress=False)
        assert (summary.screened, summary.rejected) == (1, 0)
        outputs.append(_rows(out)[0]["failed"])
    assert outputs[0] == outputs[1] and "GV03" in outputs[0]


def test_an_unknown_arabic_header_is_named_with_a_guess(tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("اسم الشريك,القطاعع\nX,جامعة\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        screen_file(source, ORG, jobs=1, progress=False)
    assert f"{source}:1: القطاعع: unknown column (did you mean 'القطاع'?)" in str(error.value)


def test_a_column_given_in_both_languages_is_given_twice(tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("name,اسم الشريك\nX,Y\n", encoding="utf-8")
    with pytest.raises(InputError) as error:
        screen_file(source, ORG, jobs=1, progress=False)
    assert "the column is given twice" in str(error.value)
