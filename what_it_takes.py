"""What would it take? The verdict's neighbours, for a director (reasoning layer: no I/O).

Two answers to "what would it take", from one consultation:

* :func:`changing_questions`: the open questions some answer to which changes the verdict,
  each with only those answers and the verdict each gives (the real engine, one answer at a time).
* :func:`what_it_would_take`: the smallest set of changes found that leads to proceed. A failure
  no answer to an open question can undo (a red flag or a condition resting on known facts) must
  be *lifted*: a known fact must change (refuse the concession, agree the goals), which the views
  word from the rule's ``lift`` (or ``fix``) text. The search then goes on as if those facts were
  still to be answered, so the answers it adds are the ones the rest of the file needs; the
  answers to the lifted facts themselves are the lift, not listed again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from tahaluf.consultation import (
    ITEM_LISTS,
    Consultation,
    Outcome,
    Question,
    annotation_at,
    answer_value,
    consult,
    document_of,
    kind_of,
    parse_path,
    path_to_proceed,
    value_at,
    whatif,
    with_answer,
)
from tahaluf.consultation.questions import _counts, _partner_of, _severity
from tahaluf.consultation.settledness import _could_raise, _fixed
from tahaluf.consultation.what_if import _fixes
from tahaluf.errors import InputError
from tahaluf.rules.engine import FindingResult
from tahaluf.rules.verdict import RED_FLAG
from tahaluf.schema_walker import format_path


@dataclass(frozen=True)
class Changing:
    """An open question whose answer could change the verdict: the answers that would, and what to."""

    question: Question
    outcomes: tuple[Outcome, ...]  # only those whose verdict differs from the current one


def _reaches(question: Question, finding: FindingResult, dimension: str | None = None) -> bool:
    """Whether an answer to ``question`` could alter ``finding`` (or the readiness of ``dimension``):
    the question decides its check, its rule waits on the fact, or the finding cites it."""
    from tahaluf.rules.base import REGISTRY

    rules = set(question.rules) | set(question.could_add)
    if finding.rule in rules or question.path in ITEM_LISTS:
        return True
    if any(path == question.path or path.startswith((question.path + ".", question.path + "["))
           or question.path.startswith((path + ".", path + "[")) for path, _ in finding.evidence):
        return True
    return dimension is not None and dimension in {REGISTRY[code].dimension for code in rules if code in REGISTRY}


def could_change(consultation: Consultation, question: Question) -> bool:
    """Whether some answer to ``question`` could give another verdict: a red flag could be raised,
    or every gate (for do_not_proceed) or every condition (for conditions) could be undone by it.
    Only a filter before the engine: tests/test_whatif_words.py holds it to trying every answer."""
    inference = consultation.evaluation.inference
    by_id = {f.id: f for f in inference.findings}
    if consultation.verdict == "do_not_proceed":
        return all(_reaches(question, by_id[g.because[0]]) for g in inference.gates)
    if consultation.verdict == "conditions":
        if _could_raise(question, RED_FLAG):
            return True
        return all(_reaches(question, by_id[c.because[0]], c.dimension) if c.because and c.because[0] in by_id
                   else True for c in inference.conditions)
    return True


def changing_questions(consultation: Consultation, prune: bool = True) -> tuple[Changing, ...]:
    """The deciding questions some answer to which gives another verdict, in rank order (``prune``:
    the engine tries only those :func:`could_change` lets through)."""
    found = []
    for question in consultation.deciding:
        if prune and not could_change(consultation, question):
            continue
        other = tuple(o for o in whatif(consultation, question) if o.verdict != consultation.verdict)
        if other:
            found.append(Changing(question, other))
    return tuple(found)


@dataclass(frozen=True)
class Plan:
    """The changes found that lead to proceed, or why none do."""

    found: bool
    lifts: tuple[FindingResult, ...]  # failures resting on known facts: a fact must change
    answers: tuple[tuple[Question, Any], ...]  # answers to open questions, in the order given
    reason: str  # "" when found (or already proceed); else "no_path_found"
    standing: tuple[FindingResult, ...] = ()  # when not found: the failed or open checks still in the way
    after: dict | None = None  # when found: the file with every change made (lifted facts and all answers)


def _stuck(consultation: Consultation) -> tuple[FindingResult, ...]:
    """The red flags and failed conditions no answer to an open question can undo, red flags first."""
    inference = consultation.evaluation.inference
    by_id = {f.id: f for f in inference.findings}
    open_paths = {q.path for q in consultation.questions}
    held = [by_id[g.because[0]] for g in inference.gates]
    held += [by_id[c.because[0]] for c in inference.conditions if c.kind == "fix" and c.because[0] in by_id]
    stuck = [f for f in held if f.status == "fail" and _fixed(f, open_paths, consultation.data)]
    return tuple({f.id: f for f in stuck}.values())


def _cited(findings: tuple[FindingResult, ...]) -> list[tuple]:
    paths = []
    for finding in findings:
        for text, _ in finding.evidence:
            try:
                parts = parse_path(text)
            except ValueError:
                continue
            if isinstance(parts[-1], str) and parts not in paths:  # a field, not a whole list item
                paths.append(parts)
    return paths


def what_it_would_take(consultation: Consultation, max_steps: int = 60) -> Plan:
    """Lift what only a changed fact can lift, then search the answers that bring proceed."""
    if consultation.verdict == "proceed":
        return Plan(True, (), (), "")
    lifts = _stuck(consultation)
    current = consultation
    cited = _cited(lifts)
    if lifts:
        lifted = consultation.data
        for cited_path in cited:
            lifted = with_answer(lifted, cited_path, None)
        try:
            current = consult(document_of(lifted), evidence_rules=consultation.evaluation.evidence_rules)
        except InputError:  # a lifted fact the file cannot do without: the lifts are all there is to say
            return Plan(False, lifts, (), "no_path_found", lifts)
        current = _lift(current, cited)
        current = _undo_contradictions(current, cited)
    path = path_to_proceed(current, max_steps)
    lifted_checks = {(f.rule, f.subject) for f in lifts}
    answers = tuple((q, a) for q, (p, a) in zip(path.questions, path.answers)
                    if not _among(p, cited) and not {(c.rule, c.subject) for c in q.checks} <= lifted_checks)
    if path.found:
        after = current.data
        for text, value in path.answers:
            after = with_answer(after, parse_path(text), value)
        return Plan(True, lifts, answers, "", after=after)
    # Why not: what still stands once the search stopped (its rules, as the consultation left them).
    standing = _standing(current, path)
    return Plan(False, lifts, answers, "no_path_found", standing)


def _lift(current: Consultation, cited: list[tuple]) -> Consultation:
    """The lifted facts answered first, each the way that brings proceed nearest (what the lift says)."""
    for parts in cited:
        question = next((q for q in current.questions if q.parts == parts), None)
        if question is None:
            continue
        outcomes = [o for o in whatif(current, question) if o.verdict != "do_not_proceed"]
        if not outcomes:
            continue
        best = min(outcomes, key=lambda o: (o.verdict != "proceed", _fixes(o.evaluation.inference),
                                            len(o.evaluation.inference.conditions)))
        current = consult(with_answer(current.data, parts, answer_value(question, best.answer)), best.evaluation)
    return current


def _undo_contradictions(current: Consultation, cited: list[tuple]) -> Consultation:
    """A lifted fact that now contradicts another known one (a concession that no longer touches the
    core objective it names): the other fact goes with the lift, as a director would correct it."""
    texts = {format_path(parts) for parts in cited}
    other = [parse_path(path) for f in _stuck(current) if not _counts(f.rule)
             if any(path in texts for path, _ in f.evidence) for path, _ in f.evidence if path not in texts]
    if not other:
        return current
    data = current.data
    for parts in other:
        data = with_answer(data, parts, None)
    try:
        return consult(document_of(data), evidence_rules=current.evaluation.evidence_rules)
    except InputError:
        return current


def _among(text: str, cited: list[tuple]) -> bool:
    try:
        return parse_path(text) in cited
    except ValueError:
        return False


def _standing(current: Consultation, path) -> tuple[FindingResult, ...]:
    """The failed or open checks behind the conditions that remain where the search stopped."""
    blocking = set(path.blocking)
    inference = current.evaluation.inference
    by_id = {f.id: f for f in inference.findings}
    because = [by_id[c.because[0]] for c in list(inference.gates) + list(inference.conditions)
               if c.because and c.because[0] in by_id]
    chosen = [f for f in because if f.rule in blocking] or because
    return tuple({f.rule: f for f in chosen}.values())


# Supposing on any verdict (the web what-if) -----------------------------------------------------


def _failing(consultation: Consultation) -> tuple[FindingResult, ...]:
    """The red flags and the failed conditions to fix: what a director may suppose away."""
    inference = consultation.evaluation.inference
    by_id = {f.id: f for f in inference.findings}
    held = [by_id[g.because[0]] for g in inference.gates]
    held += [by_id[c.because[0]] for c in inference.conditions if c.kind == "fix" and c.because[0] in by_id]
    return tuple({f.id: f for f in held if f.status == "fail"}.values())


def known_questions(consultation: Consultation) -> tuple[Question, ...]:
    """The known facts the red flags and failed conditions rest on, each as a question a director can
    suppose another answer to ("what if the foundation agrees a timeline?"): a settled verdict has
    no open question that could change it, but these could."""
    from tahaluf.rules.base import REGISTRY

    asked = {q.path for q in consultation.questions}
    found: dict[str, Question] = {}
    for finding in _failing(consultation):
        for parts in _cited((finding,)):
            text = format_path(parts)
            if text in asked or text in found or value_at(consultation.data, parts) is None:
                continue
            try:
                kind, choices = kind_of(annotation_at(parts))
            except KeyError:
                continue
            if kind == "section":
                continue
            found[text] = Question(path=text, kind=kind, choices=choices, checks=(finding,),
                                   severity=_severity(finding),
                                   guidance=REGISTRY[finding.rule].guidance if finding.rule in REGISTRY else (),
                                   partner=_partner_of(parts), gateway=False)
    return tuple(found.values())


@dataclass(frozen=True)
class Supposable:
    """What a director may suppose on this consultation: ``consultation`` with the known facts of its
    red flags and failed conditions among its questions (so suppose() takes them), the questions
    some answer to which alone gives another verdict (``changing``, with those answers), and the
    others (``more``: deciding questions that change it only with others, known facts likewise)."""

    consultation: Consultation
    changing: tuple[Changing, ...]
    more: tuple[Question, ...]


def with_known(consultation: Consultation) -> Consultation:
    """``consultation`` with the known facts of its red flags and failed conditions among its
    questions: what suppose() takes (and what keeping a supposition writes)."""
    return replace(consultation, questions=consultation.questions + known_questions(consultation))


def supposable(consultation: Consultation) -> Supposable:
    extended = with_known(consultation)
    known = extended.questions[len(consultation.questions):]
    changing, more = [], []
    for question in (*consultation.deciding, *known):
        if not could_change(consultation, question):
            more.append(question)
            continue
        current = value_at(consultation.data, question.parts)
        other = tuple(o for o in whatif(consultation, question)
                      if o.verdict != consultation.verdict and answer_value(question, o.answer) != current)
        if other:
            changing.append(Changing(question, other))
        else:
            more.append(question)
    return Supposable(extended, tuple(changing), tuple(more))


def supposing(consultation: Consultation, chosen: list[tuple[str, str]]) -> Consultation:
    """``consultation`` (with its known facts, :func:`with_known`) with, among its questions, those a
    supposition of some of ``chosen`` opens (agree a timeline, and the goals are asked next): so
    suppose() takes answers given one after another on the states they lead to."""
    from tahaluf.consultation import suppose

    base = with_known(consultation)
    for _ in chosen:
        ready = [(path, key) for path, key in chosen if base.question(path) is not None]
        if len(ready) == len(chosen):
            break
        try:
            opened = with_known(suppose(base, ready).consultation).questions
        except InputError:
            break  # suppose() on the full list says which answer is wrong
        have = {q.path for q in base.questions}
        new = tuple(q for q in opened if q.path not in have)
        if not new:
            break
        base = replace(base, questions=base.questions + new)
    return base
