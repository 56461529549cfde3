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
from tahaluf.progress import progress

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
    before, opened, seen = None, False, 0
    for _ in range(STEPS):
        current = consult(data)
        where = progress(current, passed, asked)
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
                assert where.total <= before[1] or opened, f"{before[1]} -> {where.total} at {question.path}"
            before = (where.number, where.total)
        value = ASKING.known_answer(truth, question)
        opened = value is not None and question.opens
        try:
            answered = ASKING.with_answer(data, question.parts, value)
            ASKING.document_of(answered)
        except Exception:  # the truth has no such item: don't know
            value = None
        if value is None:
            passed.add(question.path)
            opened = False
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
