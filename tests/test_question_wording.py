"""What the consultation asks, as the director reads it (issue 22).

1. Every fact its own question: in any state of any example (and of the empty template), and of
   random documents, no two open questions read the same, in English or in Arabic.
"""

from __future__ import annotations

import collections

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import test_soundness as soundness
from support import EXAMPLES, ROOT, build_document
from tahaluf import knowledge
from tahaluf.consultation import answer_value, consult, with_answer
from tahaluf.reports.interview import question_text
from test_consultation import _random_answer

LANGS = ("en", "ar")
LABELS = {lang: {key: text(lang) for key, text in knowledge.labels().items()} for lang in LANGS}
STARTS = sorted(EXAMPLES.glob("*.yaml")) + [ROOT / "knowledge" / "alliance-template.yaml"]


def duplicated(current) -> list[str]:
    """The question texts two open questions share, per language (with their paths)."""
    found = []
    for lang in LANGS:
        texts = collections.defaultdict(list)
        for question in current.questions:
            texts[question_text(question, current.data, lang, LABELS[lang])].append(question.path)
        found += [f"{lang}: {paths} read {text!r}" for text, paths in texts.items() if len(paths) > 1]
    return found


def _data(file) -> dict:
    return yaml.safe_load(file.read_text(encoding="utf-8")) or {}


@pytest.mark.parametrize("file", STARTS, ids=lambda f: f.name)
def test_no_two_open_questions_of_an_example_read_the_same(file):
    assert not duplicated(consult(_data(file)))


@settings(max_examples=40, **soundness.SETTINGS)
@given(st.sampled_from(STARTS), st.data())
def test_no_two_open_questions_read_the_same_along_a_consultation(file, data):
    current = consult(_data(file))
    for _ in range(6):
        if not current.questions:
            break
        question = data.draw(st.sampled_from(current.questions[:8]))
        answer = _random_answer(data.draw, question)
        try:
            current = consult(with_answer(current.data, question.parts, answer_value(question, answer)))
        except Exception:  # an answer that does not fit this field: not a state
            continue
        assert not duplicated(current), question.path


@settings(max_examples=60, **soundness.SETTINGS)
@given(soundness.partial_and_full())
def test_no_two_open_questions_of_a_random_document_read_the_same(drawn):
    assert not duplicated(consult(build_document(drawn[0])))
