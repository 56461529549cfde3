"""The moving count and the offer to stop (progress.py, issue 22), walked on the shipped examples and
the empty template: a director who knows each example answers every question in the consultation's
order from names only ("don't know" where the example is silent). "Question n of about N that could
change the verdict" moves on by one at each such question; N grows only after an answer that opened
new questions (a partner, a concession, a section that now exists, a fact deciding whether checks
apply); the offer to stop comes exactly when no unasked question could change the verdict."""

from __future__ import annotations

import copy
import importlib.util

import pytest
from support import ROOT

from tahaluf.consultation import consult, still_deciding
from tahaluf.progress import Before, before_answer, opened, progress

STEPS = 40


def _asking():
    spec = importlib.util.spec_from_file_location("asking", ROOT / "benchmarks" / "asking.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ASKING = _asking()
CASES = {name: (start, truth) for name, start, truth in ASKING.cases(0)}


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_count_moves_by_one_and_grows_only_when_an_answer_opens_questions(name):
    start, truth = CASES[name]
    data, passed, asked = copy.deepcopy(start), set(), frozenset()
    before, opens, seen, snapshot = None, False, 0, None
    for _ in range(STEPS):
        current = consult(data)
        where = progress(current, passed, asked)
        told = opened(snapshot, current) if snapshot is not None else None
        snapshot = before_answer(current)
        asked = where.asked
        assert where.offer_stop == (where.left > 0 and not still_deciding(current, passed))
        assert where.unchanged == (where.offer_stop and not current.settled)
        question = where.question
        if question is None:
            break
        if where.deciding:
            seen += 1
            if before is not None:
                assert where.number == before[0] + 1, (question.path, before, where.number)
                assert where.total <= before[1] or opens, f"{before[1]} -> {where.total} at {question.path}"
                # A count that grew is always said: the answer opened this many questions.
                assert where.total <= before[1] or (told is not None and told.count > 0), question.path
            before = (where.number, where.total)
        value = ASKING.known_answer(truth, question)
        opens = value is not None and question.opens
        try:
            answered = ASKING.with_answer(data, question.parts, value)
            ASKING.document_of(answered)
        except Exception:  # the truth has no such item: don't know
            value = None
        if value is None:
            passed.add(question.path)
            opens, snapshot = False, None  # nothing written: nothing opened
            continue
        data = answered
    assert seen >= 2


def test_the_offer_to_stop_comes_when_the_only_deciding_answers_were_dont_know():
    data = {"organisation": {"name": "Us", "core_objectives": ["Clean air"]},
            "alliance": {"name": "A", "stage": "proposed", "purpose": "Clean air"}, "partners": [],
            "concessions": [{"what": "Soften our statements"}]}
    current = consult(data)
    first = progress(current)
    assert first.question.path == "concessions[0].touches_core_objective" and first.deciding
    assert (first.number, first.total) == (1, len(current.deciding))
    passed = {q.path for q in current.deciding}
    stop = progress(current, passed, first.asked)
    assert stop.offer_stop and stop.unchanged and not stop.deciding and stop.number == 0
    assert stop.left == len(current.questions) - len(passed)


# What an answer opened (issue 22: "adding a partner opens 9 questions about it") -----------------------

OURS = {"organisation": {"name": "Us", "core_objectives": ["Clean air"]},
        "alliance": {"name": "A", "stage": "proposed", "purpose": "Clean air"}}


def test_adding_a_partner_opens_the_questions_about_it_and_says_which_partner():
    before = consult({**OURS, "partners": [{"name": "Acme", "sector": "ngo"}]})
    after = consult({**OURS, "partners": [{"name": "Acme", "sector": "ngo"}, {"name": "Water Union"}]})
    told = opened(before_answer(before), after)
    new = [q.path for q in after.questions if q.path not in {q.path for q in before.questions}]
    assert told.count == len(new) > 0 and told.item == ("partners", 1)
    assert all(path.startswith("partners[1].") for path in new)


def test_a_concession_opens_the_questions_about_it():
    before = consult(OURS)
    after = consult({**OURS, "concessions": [{"what": "Soften our statements"}]})
    told = opened(before_answer(before), after)
    assert told.item == ("concessions", 0) and told.count >= 1


def test_questions_opened_by_a_fact_or_about_a_partner_already_there_are_not_a_new_partner():
    before = consult(OURS)
    after = consult({**OURS, "alliance": {**OURS["alliance"], "stage": "existing"}})  # opens the review
    told = opened(before_answer(before), after)
    assert told.count >= 3 and told.item is None
    # Questions all about partners[1], when partners[1] was there before the answer: not "adding" it.
    two = consult({**OURS, "partners": [{"name": "Acme", "sector": "ngo"}, {"name": "Water Union"}]})
    one = before_answer(consult({**OURS, "partners": [{"name": "Acme", "sector": "ngo"}]}))
    assert opened(one, two).item == ("partners", 1)
    assert opened(Before(one.paths, (("partners", 2), ("concessions", 0))), two).item is None


def test_an_answer_that_opens_nothing_says_nothing():
    from tahaluf.consultation import with_answer

    before = consult({**OURS, "partners": []})
    question = next(q for q in before.questions if q.kind == "bool" and not q.opens)
    after = consult(with_answer(before.data, question.parts, True))
    assert opened(before_answer(before), after) is None, question.path
