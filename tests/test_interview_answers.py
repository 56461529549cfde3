"""How the terminal interview reads a director's answers, and words the answers in `why` (issue 22)."""

from __future__ import annotations

import pytest

from tahaluf import knowledge
from tahaluf.consultation import consult
from tahaluf.reports.interview import parse_answer, why_this_question

LABELS = {lang: {key: text(lang) for key, text in knowledge.labels().items()} for lang in ("en", "ar")}
START = {"organisation": {"name": "Hope NGO", "core_objectives": ["Clean air"]},
         "alliance": {"name": "Clean Air Alliance", "stage": "proposed"}}


def _question(data, path):
    question = consult(data).question(path)
    assert question is not None, path
    return question


def _no_concession(_):
    raise AssertionError("no concession to name")


@pytest.mark.parametrize("lang,no", [("en", "no"), ("en", "No"), ("ar", "لا")])
@pytest.mark.parametrize("path", ["monitoring.what_is_monitored", "alliance.goals", "alliance.motives", "partners"])
def test_no_to_a_list_question_means_none(lang, no, path):
    data = {**START, "partners": [{"name": "Acme", "sector": "ngo"}]} if path != "partners" else START
    question = _question(data, path)
    assert parse_answer(question, no, LABELS[lang], _no_concession) == []


@pytest.mark.parametrize("lang,answer", [("en", "strength in numbers"), ("ar", "قوة العدد"),
                                         ("en", "strength in numbers, 1"), ("ar", "قوة العدد، 1")])
def test_a_choice_label_with_spaces_is_accepted_among_several(lang, answer):
    question = _question(START, "alliance.motives")
    picked = parse_answer(question, answer, LABELS[lang], _no_concession)
    assert picked is not None and "numbers" in picked
    if "1" in answer:
        assert picked[-1] == question.choices[0] or question.choices[0] in picked


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_why_on_a_yes_no_question_words_yes_and_no(lang):
    current = consult(START)
    question = current.question("concessions")
    why = why_this_question(current, question, lang, LABELS[lang])
    answers = [line.split(" → ")[0] for line in why.outcomes]
    assert answers == [LABELS[lang]["label.no"], LABELS[lang]["label.yes"]]


def test_an_empty_steering_committee_section_asks_whether_there_is_one_first():
    data = {**START, "governance": {"steering_committee": {}}}
    paths = [q.path for q in consult(data).questions if "steering_committee" in q.path]
    assert paths == ["governance.steering_committee.exists"]
    data["governance"]["steering_committee"] = {"exists": None, "meeting_length": None, "quorum": None}
    paths = [q.path for q in consult(data).questions if "steering_committee" in q.path]
    assert paths == ["governance.steering_committee.exists"]
