"""What-if: the verdict each answer to an open question would give (the real engine, the answer written
in), answers supposed together without writing them (the web app's toggles), and a path of answers
that leads to proceed (reasoning layer, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tahaluf.consultation.paths import document_of
from tahaluf.consultation.questions import STAND_INS, Question, answer_value
from tahaluf.consultation.settledness import Consultation, _fixed, consult
from tahaluf.errors import InputError
from tahaluf.evaluation import Evaluation, evaluate_document
from tahaluf.evidence_rules import EvidenceRules
from tahaluf.neighbours import Neighbourhood
from tahaluf.policy.model import Policy
from tahaluf.schema_walker import with_value


def _holds_stand_in(answer: Any) -> bool:
    """Whether a representative answer is (or holds, as a list item or an item's field) a placeholder."""
    if isinstance(answer, (tuple, list)):
        return any(_holds_stand_in(item) for item in answer)
    if isinstance(answer, dict):
        return any(_holds_stand_in(value) for value in answer.values())
    return isinstance(answer, str) and answer in STAND_INS



# What-if --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The verdict one answer to a question would give (real engine, the answer written in)."""

    answer: Any
    verdict: str
    evaluation: Evaluation = field(repr=False, compare=False)


def evaluate_with(data: dict, changes: list[tuple[tuple, Any]], near: Neighbourhood | None = None,
                  policy: Policy | None = None, evidence_rules: EvidenceRules | None = None) -> Evaluation:
    """The evaluation of ``data`` with each (path, value) written in (InputError if one does not fit);
    ``near``: rerun only the checks the changes can reach from that neighbourhood's base; ``policy``:
    the organisation's own, judged too (the whole engine then runs: a neighbourhood knows only the guide)."""
    changed = data
    for path, value in changes:
        changed = with_value(changed, path, value)
    document = document_of(changed)
    if policy is not None:
        return evaluate_document(document, policy=policy, evidence_rules=evidence_rules)
    return near.evaluate(document) if near is not None else evaluate_document(document)


_NEAR: list[Neighbourhood] = []  # the last one built: a what-if asks many neighbours of one state in a row


def _near(consultation: Consultation) -> Neighbourhood:
    if not _NEAR or _NEAR[0].base is not consultation.evaluation:
        _NEAR[:] = [Neighbourhood(consultation.evaluation)]
    return _NEAR[0]


def outcome_of(consultation: Consultation, question: Question, answer: Any) -> Outcome:
    """The verdict one answer to ``question`` would give (InputError if the answer does not fit the field)."""
    policy = consultation.evaluation.policy
    evaluation = evaluate_with(consultation.data, [(question.parts, answer_value(question, answer))],
                               None if policy else _near(consultation), policy,
                               consultation.evaluation.evidence_rules)
    return Outcome(answer, evaluation.verdict, evaluation)


def whatif(consultation: Consultation, question: Question) -> tuple[Outcome, ...]:
    """For each representative answer to ``question`` that fits its field, the verdict it would give."""
    outcomes = []
    for answer in question.answers():
        try:
            outcomes.append(outcome_of(consultation, question, answer))
        except InputError:  # e.g. a blank where a name is required: not an answer to this question
            continue
    return tuple(outcomes)


# Supposed answers: what the verdict would be, nothing written (the web app's what-if toggles) ---------

WHATIF_SOURCE = "what-if"


def fitting_answers(consultation: Consultation, question: Question) -> tuple[tuple[int, Any], ...]:
    """The representative answers to ``question`` that fit its field, each with its number in
    ``question.answers()`` (the key that names it in :func:`suppose`)."""
    fitting = []
    for key, answer in enumerate(question.answers()):
        try:
            document_of(with_value(consultation.data, question.parts, answer_value(question, answer)))
        except InputError:
            continue
        fitting.append((key, answer))
    return tuple(fitting)


@dataclass(frozen=True)
class Supposed:
    """One supposed answer: the question, the answer's key (its number in ``question.answers()``), the answer."""

    question: Question
    key: int
    answer: Any

    @property
    def value(self) -> Any:
        """The answer as it would be written into the file."""
        return answer_value(self.question, self.answer)

    @property
    def stands_in(self) -> bool:
        """Whether the answer only stands in for one the director must give (a placeholder text,
        goal, date, number or new partner): fit to suppose, not to keep in the file."""
        if self.question.kind == "number":
            return True  # 1 or 5: any number stands in for the real one
        return _holds_stand_in(self.answer)


@dataclass(frozen=True)
class Supposition:
    """Where the consultation would stand with ``answers`` written in (``consultation``); nothing is written."""

    answers: tuple[Supposed, ...]  # in the order of the open questions
    consultation: Consultation

    @property
    def verdict(self) -> str:
        return self.consultation.verdict

    @property
    def keepable(self) -> bool:
        """Every supposed answer is a real one (yes/no, a choice, none): it may be written as is."""
        return not any(one.stands_in for one in self.answers)


def suppose(consultation: Consultation, chosen: list[tuple[str, str]]) -> Supposition:
    """The consultation with answers supposed: ``chosen`` holds (question path, answer key) pairs, each
    an open question of ``consultation`` and the number of one of its representative answers; they
    are written in together. InputError naming the path when a path is not an open question or is
    given twice, or a key is not one of its answers' numbers (or does not fit the field)."""
    keys: dict[str, int] = {}
    for path, key in chosen:
        question = consultation.question(path)
        if question is None:
            raise InputError(WHATIF_SOURCE, None, path[:200], "not an open question of this assessment")
        if path in keys:
            raise InputError(WHATIF_SOURCE, None, path, "answered twice")
        count = len(question.answers())
        if not (key.isascii() and key.isdigit() and len(key) <= 3 and int(key) < count):
            raise InputError(WHATIF_SOURCE, None, path,
                             f"{key[:20]!r} is not one of its answers (a number from 0 to {count - 1})")
        keys[path] = int(key)
    supposed = tuple(Supposed(q, keys[q.path], q.answers()[keys[q.path]]) for q in consultation.questions
                     if q.path in keys)
    changed = consultation.data
    for one in supposed:
        changed = with_value(changed, one.question.parts, one.value)
    evaluation = evaluate_document(document_of(changed, WHATIF_SOURCE), policy=consultation.evaluation.policy,
                                   evidence_rules=consultation.evaluation.evidence_rules)
    return Supposition(supposed, consult(changed, evaluation))


@dataclass(frozen=True)
class PathToProceed:
    """The answers that lead to proceed (``found``), or why none can."""

    found: bool
    answers: tuple[tuple[str, Any], ...]  # (path, answer), in the order given
    reason: str  # "" when found; else fixed_red_flag | fixed_condition | no_path_found
    blocking: tuple[str, ...] = ()  # the rules that stand in the way when none exists
    questions: tuple[Question, ...] = ()  # the question each answer answers, as it was asked then


def _fixes(inference) -> int:
    return sum(1 for c in inference.conditions if c.kind == "fix")


def path_to_proceed(consultation: Consultation, max_steps: int = 40) -> PathToProceed:
    """A smallest set of answers found that leads to proceed: at each step, among the questions that
    could change the verdict, the answer that proceeds at once, else the one that leaves the fewest
    conditions (never a red flag). Says when none exists because a red flag or a failed major check
    stands whatever the answers."""
    current = consultation
    chosen: list[tuple[str, Any]] = []
    asked: list[Question] = []
    for _ in range(max_steps):
        if current.verdict == "proceed":
            return PathToProceed(True, tuple(chosen), "", questions=tuple(asked))
        inference = current.evaluation.inference
        open_paths = {q.path for q in current.questions}
        findings = {f.id: f for f in inference.findings}
        stuck = [findings[g.because[0]].rule for g in inference.gates
                 if _fixed(findings[g.because[0]], open_paths, current.data)]
        if stuck:
            return PathToProceed(False, tuple(chosen), "fixed_red_flag", tuple(dict.fromkeys(stuck)))
        fixes = [findings[c.because[0]] for c in inference.conditions if c.kind == "fix"]
        fixed = [f.rule for f in fixes if _fixed(f, open_paths, current.data)]
        if fixed:
            return PathToProceed(False, tuple(chosen), "fixed_condition", tuple(dict.fromkeys(fixed)))
        # The first question that could change the verdict, answered the way that brings proceed nearest:
        # one question a step keeps this to a few evaluations per answer given.
        standing = (1, _fixes(inference), len(inference.conditions), len(current.deciding))
        best = None
        for question in (current.deciding or current.questions)[:3]:
            if best is not None and best[0] < standing:
                break
            for outcome in whatif(current, question):
                if outcome.verdict == "do_not_proceed":
                    continue
                after = consult(with_value(current.data, question.parts, answer_value(question, outcome.answer)),
                                outcome.evaluation)
                score = (0 if outcome.verdict == "proceed" else 1, _fixes(after.evaluation.inference),
                         len(after.evaluation.inference.conditions), len(after.deciding))
                if best is None or score < best[0]:
                    best = (score, question, outcome, after)
        if best is None or best[0] >= standing:  # no answer brings proceed nearer
            return PathToProceed(False, tuple(chosen), "no_path_found",
                                 tuple(dict.fromkeys(findings[c.because[0]].rule for c in inference.conditions
                                                     if c.because[0] in findings)))
        _, question, outcome, after = best
        chosen.append((question.path, answer_value(question, outcome.answer)))
        asked.append(question)
        current = after
    return PathToProceed(False, tuple(chosen), "no_path_found")
