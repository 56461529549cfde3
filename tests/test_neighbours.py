"""A what-if's neighbour, evaluated by rerunning only the checks a changed fact can reach, is the
full evaluation: the same verdict, findings, gates, conditions and readiness (ids aside)."""

from __future__ import annotations

from collections import Counter

import test_soundness as soundness
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support import EXAMPLES, build_document

from tahaluf.consultation import answer_value, consult, document_of, with_answer
from tahaluf.errors import InputError
from tahaluf.evaluation import evaluate_document, evaluate_file
from tahaluf.neighbours import Neighbourhood

SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}


def _shape(evaluation):
    inference = evaluation.inference
    by_id = {f.id: f for f in inference.findings}

    def named(ids):
        return tuple(sorted((by_id[i].rule, by_id[i].subject) for i in ids if i in by_id))

    findings = Counter((f.rule, f.subject, f.status, f.severity, f.evidence, f.params, f.applies_if, f.message)
                       for f in inference.findings)
    results = inference.gates + inference.conditions + inference.readiness
    derived = Counter((d.kind, d.dimension, d.level, d.score, named(d.because), named(d.not_assessed))
                      for d in results)
    by_result = {d.id: d for d in results}
    because = Counter((by_result[i].kind, by_result[i].dimension, named(by_result[i].because))
                      for i in inference.verdict_because)
    return inference.verdict, findings, derived, because


def _same(near: Neighbourhood, document):
    assert _shape(near.evaluate(document)) == _shape(evaluate_document(document))


@settings(max_examples=60, **SETTINGS)
@given(soundness.partial_and_full(), st.data())
def test_a_neighbour_is_its_full_evaluation(drawn, data):
    base = consult(build_document(drawn[0]))
    near = Neighbourhood(base.evaluation)
    changed = base.data
    for question in data.draw(st.lists(st.sampled_from(base.questions), max_size=3)) if base.questions else ():
        answer = data.draw(st.sampled_from(question.answers()))
        changed = with_answer(changed, question.parts, answer_value(question, answer))
    try:
        document = document_of(changed)
    except InputError:
        return
    _same(near, document)
    _same(near, build_document(drawn[1]))  # a far neighbour too: the completed document


def test_the_examples_neighbour_each_other():
    evaluations = [evaluate_file(path) for path in sorted(EXAMPLES.glob("*.yaml"))]
    near = Neighbourhood(evaluations[0])
    for evaluation in evaluations:
        _same(near, evaluation.document)


def test_a_check_that_reads_working_memory_declares_it():
    """A body that reads ``self.facts`` (or hands ``self`` to a helper that does) is rerun by a
    what-if only if it declares ``memory=``: NR09 once read every partner's size undeclared."""
    import re

    from tahaluf.rules import load_all
    from tahaluf.rules.base import REGISTRY

    load_all()
    reads_memory = re.compile(r"self\.facts|\(\s*self\s*\)|,\s*self\s*[,)]")
    undeclared = [code for code, spec in REGISTRY.items()
                  if reads_memory.search(spec.source.split(":", 1)[1]) and not spec.memory]
    assert undeclared == []


def test_a_partners_size_reaches_the_diversity_check():
    """The failing case CI found: sizes of small and large partners change NR09's message."""
    base = consult(build_document({"organisation": {"name": "N", "core_objectives": ["a"]},
                                   "alliance": {"name": "A"}}))
    _same(Neighbourhood(base.evaluation), build_document({
        "organisation": {"name": "N", "core_objectives": ["a"]}, "alliance": {"name": "A"},
        "partners": [{"name": "P0", "size": "small"}, {"name": "P1", "size": "large"}]}))
