"""Whether the verdict is settled, and where a consultation stands (:func:`consult`).

Settled (no answer to the open questions can change the verdict), from the engine's own
structure (a verdict is ``do_not_proceed`` iff a blocker failed, else ``conditions`` iff a
major failed, a blocker or major is unknown or a dimension is weak, else ``proceed``):

* A failed check stays failed when facts it did not read are answered (the rules decide a
  failure on the facts they cite). It can only be undone by an answer to a fact it cites,
  or to a fact its rule's pattern lets through while unknown (whether it applies). A
  failure with neither among the open questions is *fixed*.
* ``do_not_proceed`` is settled when one gate rests on a fixed failure: every completion
  keeps that failed blocker, so a gate, so the verdict.
* ``conditions`` is settled when a fixed major failure keeps a condition whatever the
  answers, and no open question could raise a gate: none decides an open blocker, none is
  a fact some blocker's pattern waits on, and none adds partners or concessions (which
  bring their own blocker checks). The verdict can then be neither proceed nor
  do_not_proceed, for any combination of answers.
* ``proceed`` is settled when every open question is *inert*: it decides only info checks
  (weight 0: no condition, no score), no rule of higher severity waits on it in its pattern,
  and it adds no partners, concessions, events or motives. Any combination of inert answers
  changes info findings only.

Contradictions are left out, as the README's promise leaves them out: an answer that
contradicts another is a mistake to correct (a CX finding says which), not a state of the
alliance. ``tests/test_consultation.py`` checks all of this against random completions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tahaluf.consultation.paths import as_data, document_of
from tahaluf.consultation.questions import (
    _INDEXED_OF,
    _SECTION_OF,
    Question,
    _counts,
    _severity,
    _severity_of_rule,
    in_directors_order,
    open_questions,
)
from tahaluf.evaluation import Evaluation, evaluate_document
from tahaluf.evidence_rules import EvidenceRules
from tahaluf.goals import goal_could_become_specific
from tahaluf.model import AllianceDocument, Goal
from tahaluf.policy.model import Policy
from tahaluf.rules.base import REGISTRY
from tahaluf.rules.engine import FindingResult
from tahaluf.rules.verdict import RED_FLAG, SCORING
from tahaluf.schema_walker import annotation_at, parse_path, value_at

# Settledness -----------------------------------------------------------------------------------


def _could_raise(question: Question, severities: tuple[str, ...]) -> bool:
    """Whether some answer to ``question`` could bring a check of one of ``severities`` to fail or stay open."""
    if any(_severity(c) in severities and _counts(c.rule) for c in question.checks):
        return True
    return any(_severity_of_rule(code) in severities and _counts(code) for code in question.could_add)


def _inert(question: Question) -> bool:
    """An answer to it can change information findings only (they weigh nothing, raise nothing)."""
    return not _could_raise(question, SCORING)


def _fixed(result: FindingResult, open_paths: set[str], data: dict) -> bool:
    """A failure no answer can undo: every fact it cites is known (a failed check cites the
    facts that decide it, and only those: whatever its other reads turn out to be, it fails;
    tests/test_settledness.py fills every unknown fact at random to hold checks to it), none is
    answered by an open question, and none is a fact that its rule's pattern lets through while
    unknown (which could make the rule stop applying)."""
    if any(value is None for _, value in result.evidence):
        return False
    cited = [path for path, _ in result.evidence]
    for path in cited:
        if any(q == path or q.startswith((path + ".", path + "[")) or path.startswith((q + ".", q + "["))
               for q in open_paths):
            return False
    if any(_holds_an_open_goal(path, data) for path in cited):
        return False
    # A policy rule (not in REGISTRY) matches its partner whatever its facts: its condition cites all it reads.
    for pattern in (REGISTRY[result.rule].rule if result.rule in REGISTRY else ()):
        fact_type = type(pattern).__name__
        for name, constraint in pattern.items():
            if name.startswith("__") or not callable(getattr(constraint, "match", None)):
                continue
            if not constraint.match(None):
                continue
            for holder in _holders(fact_type, cited, data):
                if f"{holder}.{name}" in open_paths:
                    return False
    return True


def _holds_an_open_goal(path: str, data: dict) -> bool:
    """Whether a cited list of goals holds a goal whose measure and date are unknown (both facts the
    goal's check reads, under the list it cites)."""
    parts = parse_path(path)
    try:
        item = annotation_at(parts + (0,))
    except KeyError:
        return False
    if item is not Goal:
        return False
    return any(goal_could_become_specific(goal) for goal in value_at(data, parts) or ())


def _holders(fact_type: str, cited: list[str], data: dict) -> list[str]:
    """The paths of the facts of ``fact_type`` a finding may have matched."""
    if fact_type in _SECTION_OF:
        return [_SECTION_OF[fact_type]]
    listed = _INDEXED_OF.get(fact_type)
    if listed is None:
        return []
    mine = sorted({m.group(0) for c in cited if (m := re.match(re.escape(listed) + r"\[\d+\]", c))})
    if mine:
        return mine
    return [f"{listed}[{i}]" for i in range(len(value_at(data, parse_path(listed)) or []))]


@dataclass(frozen=True)
class Consultation:
    """Where a consultation stands: the evaluation so far, what is still open, and whether it matters."""

    evaluation: Evaluation
    data: dict = field(repr=False)
    questions: tuple[Question, ...]
    settled: bool
    reason: str  # why it is settled, or what keeps it open (a code the views word)
    deciding: tuple[Question, ...]  # the open questions that could still change the verdict
    # EV01's failed findings: facts the verdict rests on that are only claimed (or without evidence when it
    # is required). Evidence confirms them ("How do you know …?"), an answer does not: never settled by them.
    to_verify: tuple[FindingResult, ...] = ()

    @property
    def verdict(self) -> str:
        return self.evaluation.verdict

    def question(self, path: str) -> Question | None:
        return next((q for q in self.questions if q.path == path), None)


def _settledness(evaluation: Evaluation, data: dict, questions: tuple[Question, ...]):
    inference = evaluation.inference
    verdict = inference.verdict
    open_paths = {q.path for q in questions}
    by_id = {f.id: f for f in inference.findings}
    can_gate = [q for q in questions if _could_raise(q, RED_FLAG)]
    if verdict == "do_not_proceed":
        fixed = [g for g in inference.gates if _fixed(by_id[g.because[0]], open_paths, data)]
        if fixed:
            return True, "fixed_red_flag", ()
        gated = {path for g in inference.gates for path, _ in by_id[g.because[0]].evidence}
        return False, "red_flag_open", tuple(q for q in questions if not _inert(q) or q.path in gated)
    if verdict == "conditions":
        fixed = [c for c in inference.conditions if c.kind == "fix"
                 and _fixed(by_id[c.because[0]], open_paths, data) and _counts(by_id[c.because[0]].rule)]
        if fixed and not can_gate:
            return True, "fixed_condition", ()
        if fixed:
            return False, "red_flag_possible", tuple(can_gate)
        # Only facts to confirm stand between the verdict and proceed: evidence, not an answer, can change it.
        only_verify = all(c.kind == "verify" for c in inference.conditions)
        reason = "evidence_open" if only_verify else "conditions_open"
        return False, reason, tuple(q for q in questions if not _inert(q))
    deciding = tuple(q for q in questions if not _inert(q))
    return (not deciding), ("nothing_open" if not deciding else "proceed_open"), deciding


def consult(document: AllianceDocument | dict, evaluation: Evaluation | None = None,
            evidence_rules: EvidenceRules | None = None, policy: Policy | None = None) -> Consultation:
    """Where the consultation on ``document`` stands (``evaluation``: its evaluation, if already made;
    ``evidence_rules`` and ``policy``: what is asked of the evidence behind facts, and the organisation's
    own policy judged with the guide, when the evaluation is made here)."""
    data = as_data(document)
    if evaluation is None:
        evaluation = evaluate_document(document if isinstance(document, AllianceDocument) else document_of(data),
                                       evidence_rules=evidence_rules, policy=policy)
    questions = open_questions(evaluation, data)
    settled, reason, deciding = _settledness(evaluation, data, questions)
    by_id = {f.id: f for f in evaluation.inference.findings}
    to_verify = tuple(by_id[c.because[0]] for c in evaluation.inference.conditions if c.kind == "verify")
    return Consultation(evaluation, data, in_directors_order(questions, deciding, data), settled, reason,
                        in_directors_order(deciding, deciding, data), to_verify)


def still_deciding(consultation: Consultation, passed: set[str] | frozenset[str] = frozenset()) -> tuple[Question, ...]:
    """The questions whose answer could still change the verdict, leaving out those the director has
    passed ("don't know", skip): none left means the verdict stays whatever the rest say."""
    return tuple(q for q in consultation.deciding if q.path not in passed)
