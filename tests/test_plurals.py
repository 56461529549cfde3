"""Counts agree with their nouns: Arabic by its five plural forms (CLDR via Babel), English one/other."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest

from tahaluf import knowledge
from tahaluf.asking import status_line

NOUNS = sorted(knowledge.plurals())


def arabic_category(n: int) -> str:
    """The grammar's own rule, written out, so the test also checks Babel's: the last two digits decide."""
    if n in (0, 1, 2):
        return ("zero", "one", "two")[n]
    rest = n % 100
    return "few" if 3 <= rest <= 10 else "many" if 11 <= rest <= 99 else "other"


@pytest.mark.parametrize("noun", NOUNS)
def test_arabic_counts_take_the_form_of_their_category(noun):
    forms = knowledge.plurals()[noun]["ar"]
    for n in range(121):
        assert knowledge.count_phrase(noun, n, "ar") == forms[arabic_category(n)].replace("{n}", str(n)), (noun, n)


@pytest.mark.parametrize("noun", NOUNS)
def test_arabic_forms_are_shaped_by_the_rules(noun):
    forms = knowledge.plurals()[noun]["ar"]
    # One and two: the noun says the number («سؤال واحد»، «سؤالان»); from 3 on, the figure is written.
    assert "{n}" not in forms["one"] and "{n}" not in forms["two"], noun
    assert all("{n}" in forms[c] for c in ("zero", "few", "many", "other")), noun
    # 11-99: the singular as an accusative tamyeez («سؤالاً»), unless counted with the partitive «من».
    assert "ً" in forms["many"] or " من " in forms["many"], noun
    assert forms["few"] != forms["many"] or " من " in forms["few"], noun


@pytest.mark.parametrize("noun", NOUNS)
def test_english_counts_are_one_or_other(noun):
    forms = knowledge.plurals()[noun]["en"]
    assert forms["one"] != forms["other"], noun
    for n in range(121):
        expected = forms["one" if n == 1 else "other"].replace("{n}", str(n))
        assert knowledge.count_phrase(noun, n, "en") == expected, (noun, n)


def test_the_issue_examples():
    phrase = knowledge.count_phrase
    assert phrase("open_question", 88, "ar") == "88 سؤالاً مفتوحاً"
    assert phrase("row", 26, "ar") == "26 صفاً"
    assert phrase("open_question", 3, "ar") == "3 أسئلة مفتوحة"
    assert phrase("open_question", 2, "ar") == "سؤالان مفتوحان"
    assert phrase("row", 100, "ar") == "100 صف" and phrase("row", 111, "ar") == "111 صفاً"


def test_no_arabic_label_prints_a_bare_count_before_a_noun():
    """A count followed by a word is a counted noun: it belongs in plurals.yaml, not in a label."""
    # «السؤال {number} من {count}» and «و{count} غيرها» count nothing by a noun.
    bare = re.compile(r"\{(count|n|shown|number|blockers|major|minor|open)\}\s+"
                      r"(?!من\s*\{|غير)(?:من\s+)?[\u0621-\u064a]")
    wrong = [key for key, text in knowledge.labels().items() if bare.search(text.ar)]
    assert not wrong


def _current(settled: bool, questions: int, deciding: int):
    """Where a consultation stands (progress.Progress): ``questions`` left to ask, ``deciding`` of them
    could change it."""
    return SimpleNamespace(verdict="conditions", settled=settled, left=questions, could=deciding)


def test_the_interview_status_counts_its_questions():
    labels = {key: text("ar") for key, text in knowledge.labels().items()}
    assert status_line(labels, _current(False, 20, 1), "ar").endswith("وقد يغيّره سؤال مفتوح واحد.")
    assert status_line(labels, _current(False, 20, 11), "ar").endswith("وقد يغيّره 11 سؤالاً مفتوحاً.")
    assert "عن السؤالين المتبقيين" in status_line(labels, _current(True, 2, 0), "ar")
    english = {key: text("en") for key, text in knowledge.labels().items()}
    assert "— 1 open question could still change it." in status_line(english, _current(False, 5, 1), "en")
    assert "the 5 remaining questions can" in status_line(english, _current(True, 5, 0), "en")


def test_the_screening_totals_count_their_rows():
    from tahaluf.screening.summary import Summary

    assert Summary("x", lang="ar", screened=23, rejected=3).totals_line() == "في الإدخال 26 صفاً: فُرز 23 ورُفض 3"
    assert Summary("x", lang="ar", screened=1, rejected=1).totals_line().startswith("في الإدخال صفان:")
    assert Summary("x", lang="en", screened=1, rejected=0).totals_line() == "1 row in = 1 screened + 0 rejected"


@pytest.mark.parametrize(("partners", "ar", "en"), [
    (1, "إلا شريك واحد.", "only 1 partner besides"),
    (0, "إلا 0 شريك.", "only 0 partners besides"),
])
def test_a_finding_counts_its_partners_with_their_noun(partners, ar, en):
    """MO03's count of partners is printed with its noun in the case its sentence gives it."""
    from support import build_document

    from tahaluf.evaluation import evaluate_document
    from tahaluf.reports.viewmodel import build_report

    document = build_document({"alliance": {"motives": ["numbers"]},
                               "partners": [{"name": f"P{i}", "sector": "ngo"} for i in range(partners)]})
    evaluation = evaluate_document(document)
    messages = {lang: [str(f.message) for f in build_report(evaluation, lang).findings if f.rule == "MO03"]
                for lang in ("ar", "en")}
    assert messages["ar"] and messages["ar"][0].endswith(ar)
    assert messages["en"] and en in messages["en"][0]
