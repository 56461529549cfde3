"""How the terminal interview reads a director's answers, and words the answers in `why` (issue 22)."""

from __future__ import annotations

import pytest

from tahaluf import knowledge
from tahaluf.asking import parse_answer, why_this_question
from tahaluf.consultation import consult

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


# 4. A moving count, and an offer to stop once no remaining answer can change the verdict -----------

def _interview(tmp_path, lang, answers, start=None):
    """Run the interview in-process with scripted answers ("?" once they run out); what it said, and the prompts."""
    from tahaluf.cli_interview import run

    file = tmp_path / "alliance.yaml"
    file.write_text(start or "organisation:\n  name: Hope NGO\nalliance:\n  name: Clean Air Alliance\n",
                    encoding="utf-8")
    said, prompts, script = [], [], list(answers)

    def ask(prompt):
        prompts.append(prompt)
        if "Stop here" in prompt or "التوقف هنا" in prompt:
            return "s" if lang == "en" else "ت"
        return script.pop(0) if script else "?"

    run(str(file), lang, ask=ask, say=said.append)
    return said, prompts


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_when_only_dont_know_could_change_the_verdict_the_interview_says_so_and_offers_to_stop(tmp_path, lang):
    said, prompts = _interview(tmp_path, lang, [])
    unchanged = LABELS[lang]["interview.unchanged"].split("{verdict}")[0]
    told = [i for i, line in enumerate(said) if line.startswith(unchanged)]
    assert told, "the interview should say the verdict stays whatever the rest say"
    assert any("Stop here" in p or "التوقف هنا" in p for p in prompts)
    done = LABELS[lang]["interview.done"].split("{verdict}")[0]
    assert not any(line.startswith(done) for line in said), "stopped when offered, not at the end"


def test_the_count_of_questions_that_could_change_the_verdict_moves_and_never_grows_on_dont_know(tmp_path):
    import re

    said, _ = _interview(tmp_path, "en", [])
    counts = [tuple(map(int, m.groups())) for line in said
              if (m := re.match(r"Question (\d+) of about (\d+) that could change the verdict", line))]
    assert len(counts) > 5
    assert [n for n, _ in counts] == list(range(1, len(counts) + 1))
    totals = [total for _, total in counts]
    assert totals == sorted(totals, reverse=True), "the count grew though no answer opened a question"
    assert all(n <= total for n, total in counts)
