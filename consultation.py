"""A consultation: what to ask a director next, and whether any answer could still change the verdict.

Reasoning layer (no I/O). Given an alliance document (a dict as loaded, or a validated
document), it finds the *open questions* — the input facts left unknown that an open
check needs (the paths a not-assessed finding cites with no value) — each with its type
from the input model, the checks it decides and the guide items behind them; ranks them
by consequence (a blocker first, then a condition, then readiness, then information);
says whether the verdict is **settled**; and evaluates, with the real engine, the verdict
each answer to a question would give.

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

import collections
import copy
import datetime as _dt
import re
import types
import typing
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import BaseModel

from tahaluf import knowledge, model
from tahaluf.errors import InputError
from tahaluf.evaluation import Evaluation, evaluate_document
from tahaluf.loader import SourceMap, format_path, validate
from tahaluf.model import AllianceDocument
from tahaluf.neighbours import Neighbourhood
from tahaluf.rules import facts, load_all
from tahaluf.rules.base import REGISTRY
from tahaluf.rules.engine import FindingResult

SEVERITY_ORDER = ("blocker", "major", "minor", "info")
# What a question could decide, in the director's terms.
CONSEQUENCE = {"blocker": "red_flag", "major": "condition", "minor": "readiness", "info": "information"}
KINDS = ("bool", "choice", "choices", "text", "texts", "goals", "date", "number", "person", "items")
# Lists whose items are facts of their own, with checks of their own.
ITEM_LISTS = {"partners": facts.Partner, "concessions": facts.Concession, "review.events": facts.Event,
              "alliance.motives": facts.Motive}
# Where each section's fact sits in the document (fact type name -> path).
_SECTION_OF = {"Organisation": "organisation", "Alliance": "alliance", "Engagement": "engagement",
               "Understanding": "understanding", "Governance": "governance", "Monitoring": "monitoring",
               "Review": "review"}
_INDEXED_OF = {"Partner": "partners", "Concession": "concessions", "Event": "review.events"}
_PART = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]")
# Representative answers, for what-if, where a type has too many values to try them all.
REPRESENTATIVE_TEXT = "…"
REPRESENTATIVE_DATE = "2027-06-30"
REPRESENTATIVE_GOAL = "a goal"  # neither a measure nor a date
REPRESENTATIVE_DATED_GOAL = "100 people reached by " + REPRESENTATIVE_DATE  # specific: a quantity and a date
REPRESENTATIVE_PARTNER = "A new partner"
REPRESENTATIVE_CONCESSION = "A concession asked of us"
STAND_INS = frozenset({REPRESENTATIVE_TEXT, REPRESENTATIVE_DATE, REPRESENTATIVE_GOAL, REPRESENTATIVE_DATED_GOAL,
                       REPRESENTATIVE_PARTNER, REPRESENTATIVE_CONCESSION})


def _holds_stand_in(answer: Any) -> bool:
    """Whether a representative answer is (or holds, as a list item or an item's field) a placeholder."""
    if isinstance(answer, (tuple, list)):
        return any(_holds_stand_in(item) for item in answer)
    if isinstance(answer, dict):
        return any(_holds_stand_in(value) for value in answer.values())
    return isinstance(answer, str) and answer in STAND_INS


# Paths and types --------------------------------------------------------------------------------


def parse_path(text: str) -> tuple:
    """'partners[0].sector' -> ('partners', 0, 'sector'); ValueError when it is not a path."""
    parts: list[str | int] = []
    position = 0
    for match in _PART.finditer(text):
        if match.start() != position + (1 if parts and text[match.start() - 1: match.start()] == "." else 0):
            raise ValueError(f"{text!r} is not a fact path (like partners[0].sector)")
        name, index = match.groups()
        parts.append(name if name is not None else (index if index == "*" else int(index)))
        position = match.end()
    if not parts or position != len(text) or not isinstance(parts[0], str):
        raise ValueError(f"{text!r} is not a fact path (like partners[0].sector)")
    return tuple(parts)


def _unwrap(annotation):
    """Optional and Annotated undone: the type itself (a union with Literal[False] stays)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def annotation_at(path: tuple) -> Any:
    """The input model's type at ``path`` (KeyError when the model has no such field)."""
    current: Any = AllianceDocument
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) or part == "*":
            if origin is not list:
                raise KeyError(part)
            current = typing.get_args(current)[0]
        elif origin is dict:
            keys, current = typing.get_args(current)
            if part not in typing.get_args(_unwrap(keys)):
                raise KeyError(part)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            current = current.model_fields[part].annotation
        else:
            raise KeyError(part)
    return _unwrap(current)


def _safe_annotation(path: tuple) -> Any:
    try:
        return annotation_at(path)
    except KeyError:
        return None


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def kind_of(annotation) -> tuple[str, tuple[str, ...]]:
    """(kind, choices) of a field's type: how a question about it is asked and answered."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return "bool", ()
    if origin is typing.Literal:
        return "choice", tuple(typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):  # a name, or False for "nobody"
        return "person", ()
    if annotation is _dt.date:
        return "date", ()
    if annotation is int:
        return "number", ()
    if annotation is str:
        return "text", ()
    if origin is list:
        item = _unwrap(typing.get_args(annotation)[0])
        if typing.get_origin(item) is typing.Literal:
            return "choices", tuple(typing.get_args(item))
        if item is str:
            return "texts", ()
        if item is model.Goal:
            return "goals", ()
        return "items", ()
    if _is_model(annotation):
        return "section", ()
    return "text", ()


def _leaf_paths(path: tuple, annotation) -> list[tuple]:
    """A section asked about as a whole becomes its own fields, required ones first."""
    fields = annotation.model_fields
    ordered = sorted(fields, key=lambda name: not fields[name].is_required())
    return [path + (name,) for name in ordered]


def value_at(data: Any, path: tuple) -> Any:
    current = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current):
                return None
            current = current[part]
        else:
            if not isinstance(current, dict):
                return None
            current = current.get(part)
    return current


def with_answer(data: dict, path: tuple, value: Any) -> dict:
    """A copy of ``data`` with ``value`` at ``path`` (sections made on the way; None removes the fact)."""
    result = copy.deepcopy(data)
    target: Any = result  # a section (dict) or a list of items, by turns
    for depth, part in enumerate(path[:-1]):
        following = path[depth + 1]
        if isinstance(part, int):
            if part == len(target):  # one past the end adds an item
                target.append([] if isinstance(following, int) else {})
            target = target[part]
            continue
        if not isinstance(target.get(part), (dict, list)):
            target[part] = [] if isinstance(following, int) else {}
        target = target[part]
    last = path[-1]
    if isinstance(last, int):
        if last == len(target):
            target.append(None)
        target[last] = value
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = copy.deepcopy(value)
    return result


def as_data(document: AllianceDocument | dict) -> dict:
    """Plain data as a loaded file gives it: unknown facts left out."""
    if isinstance(document, dict):
        return copy.deepcopy(document)
    return document.model_dump(mode="json", exclude_none=True)


def document_of(data: dict, name: str = "<answers>", source: SourceMap | None = None) -> AllianceDocument:
    """Validate plain data (InputError naming the field when an answer does not fit)."""
    return validate(AllianceDocument, data, source or SourceMap(), name)


# Questions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One open fact to ask about."""

    path: str
    kind: str  # one of KINDS
    choices: tuple[str, ...]
    checks: tuple[FindingResult, ...]  # the open checks its answer decides, most consequential first
    severity: str  # the most consequential of them
    guidance: tuple[str, ...]  # the guide items behind those checks
    partner: int | None  # the partner it concerns, if any
    gateway: bool  # whether some check applies only if this fact turns out a certain way
    could_add: tuple[str, ...] = ()  # rules that wait on this fact in their pattern (they could start or stop)
    # Its check waits on other open facts too: the check's question would read the same for each of
    # them, so the fact is asked by its own wording (knowledge/fields.yaml).
    shared: bool = False

    @property
    def consequence(self) -> str:
        return CONSEQUENCE[self.severity]

    @property
    def parts(self) -> tuple:
        return parse_path(self.path)

    @property
    def opens(self) -> bool:
        """Whether an answer may open new questions: a list's items, a section that may exist, or a
        fact that decides whether checks apply (the moving count may grow after it, and only then)."""
        return self.gateway or self.path in ITEM_LISTS or self.parts[-1] == "exists"

    @property
    def finding(self) -> FindingResult:
        """The check whose question words this one (the most consequential)."""
        return self.checks[0]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(check.rule for check in self.checks))

    def answers(self) -> tuple[Any, ...]:
        """Representative answers, for what-if: every value of a yes/no or a choice; blank or filled
        for free text and lists; for a list of items, none or one."""
        if self.kind == "bool":
            return (True, False)
        if self.kind == "choice":
            return self.choices
        if self.kind == "choices":
            return ((),) + tuple((choice,) for choice in self.choices)
        if self.kind == "texts":
            return ((), (REPRESENTATIVE_TEXT,))
        if self.kind == "goals":
            return ((), (REPRESENTATIVE_GOAL,), (REPRESENTATIVE_DATED_GOAL,))
        if self.kind == "person":
            return (False, REPRESENTATIVE_TEXT)
        if self.kind == "date":
            return (REPRESENTATIVE_DATE,)
        if self.kind == "number":
            return (1, 5)
        if self.kind == "items":
            return ((), (_new_item(self.path),)) if self.path != "review.events" else \
                ((),) + tuple(({"kind": kind},) for kind in typing.get_args(model.EventKind))
        return ("", REPRESENTATIVE_TEXT)


def _new_item(path: str) -> dict:
    """A new item with only its required field, for a list answered 'yes, there is one'."""
    return {"partners": {"name": REPRESENTATIVE_PARTNER}, "concessions": {"what": REPRESENTATIVE_CONCESSION}}[path]


def answer_value(question: Question, answer: Any) -> Any:
    """An answer as it is written into the document (tuples as lists, False for 'nobody')."""
    if isinstance(answer, tuple):
        return [copy.deepcopy(item) for item in answer]
    return answer


_SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITY_ORDER)}


def _severity(result: FindingResult) -> str:
    return result.severity if result.severity in _SEVERITY_RANK else "info"


def _open_paths(result: FindingResult, data: dict) -> list[tuple]:
    """The facts this open check waits for, as paths a director can answer."""
    found: list[tuple] = []
    for text, value in result.evidence:
        if value is not None and "[*]" not in text:
            continue
        try:
            parts = parse_path(text)
        except ValueError:
            continue
        for path in _expand(parts, data):
            if path not in found:
                found.append(path)
    return found


def _expand(parts: tuple, data: dict) -> list[tuple]:
    """A cited path as the answerable paths it stands for."""
    if "*" in parts:  # every item's field: those still unknown
        star = parts.index("*")
        items = value_at(data, parts[:star]) or []
        return [path for i in range(len(items)) for path in _expand(parts[:star] + (i,) + parts[star + 1:], data)]
    # The one possible concession (or event) that stands for an unknown list: ask for the list.
    if parts[0] == "concessions" and value_at(data, ("concessions",)) is None:
        return [("concessions",)]
    if parts[:2] == ("review", "events") and value_at(data, ("review", "events")) is None:
        return [("review", "events")]
    if value_at(data, parts) is not None:
        return []
    # A section that may not exist at all (a steering committee): whether it does is asked first.
    for depth in range(1, len(parts)):
        if parts[depth - 1] != "*" and "exists" in getattr(_safe_annotation(parts[:depth]), "model_fields", {}) \
                and parts[depth:] != ("exists",) and value_at(data, parts[:depth] + ("exists",)) is None:
            return [parts[:depth] + ("exists",)]
    try:
        annotation = annotation_at(parts)
    except KeyError:
        return []
    if kind_of(annotation)[0] == "section":  # asked field by field, its first one (whether it exists) first
        leaves = [path for leaf in _leaf_paths(parts, annotation) for path in _expand(leaf, data)]
        return leaves[:1]
    return [parts]


@cache
def _pattern_fields() -> dict[tuple[str, str], tuple[tuple[str, bool], ...]]:
    """(fact type, field) -> ((rule code, lets unknown through), ...): the rules whose pattern tests that field."""
    load_all()
    found: dict[tuple[str, str], list] = {}
    for code, spec in REGISTRY.items():
        for pattern in spec.rule:
            for name, constraint in pattern.items():
                if name.startswith("__"):
                    continue
                match = getattr(constraint, "match", None)
                accepts_unknown = bool(match(None)) if callable(match) else constraint is None
                found.setdefault((type(pattern).__name__, name), []).append((code, accepts_unknown))
    return {key: tuple(value) for key, value in found.items()}


@cache
def _rules_on(fact_type: str) -> tuple[str, ...]:
    """Rules with a pattern on facts of this type: new items of a list bring them."""
    load_all()
    return tuple(code for code, spec in REGISTRY.items() if any(type(p).__name__ == fact_type for p in spec.rule))


def _fact_type_of(parts: tuple) -> tuple[str | None, str | None]:
    """('partners', 0, 'sector') -> ('Partner', 'sector'): the fact and field a pattern would test."""
    if len(parts) == 2 and isinstance(parts[0], str):
        for name, section in _SECTION_OF.items():
            if parts[0] == section:
                return name, parts[1]
    if len(parts) == 3 and isinstance(parts[1], int):
        for name, listed in _INDEXED_OF.items():
            if parts[0] == listed:
                return name, parts[2]
    if len(parts) == 4 and parts[:2] == ("review", "events") and isinstance(parts[2], int):
        return "Event", parts[3]
    return None, None


def _waiting_rules(parts: tuple) -> tuple[str, ...]:
    """Rules whose pattern tests this fact: answering it could make them start or stop applying."""
    fact_type, name = _fact_type_of(parts)
    rules = [code for code, _ in _pattern_fields().get((fact_type, name), ())] if fact_type and name else []
    text = format_path(parts)
    if text in ITEM_LISTS:
        rules += _rules_on(ITEM_LISTS[text].__name__)
    return tuple(dict.fromkeys(rules))


def _severity_of_rule(code: str) -> str:
    """A rule's most severe possible outcome (outcomes only ever lower it)."""
    return knowledge.findings()[code].severity


_CONSISTENCY = "consistency"


def _counts(code: str) -> bool:
    """Contradiction checks are mistakes to correct, not states of the alliance: left out of settledness."""
    return REGISTRY[code].dimension != _CONSISTENCY


def _partner_of(parts: tuple) -> int | None:
    return parts[1] if len(parts) > 1 and parts[0] == "partners" and isinstance(parts[1], int) else None


_WHAT_FOR = ("alliance.purpose", "alliance.purpose_kind", "alliance.goals", "alliance.stage")


def director_stage(path: str) -> int:
    """Where a director starts: what the alliance is for (0), who the partners are (1), what is
    asked of us, after our core objectives (2, 3), then the checks (4)."""
    if path in _WHAT_FOR:
        return 0
    if path == "partners" or (path.startswith("partners[") and path.endswith("].sector")):
        return 1
    if path == "organisation.core_objectives":
        return 2
    return 3 if path.startswith("concessions") else 4


def directors_place(question: Question, data: dict) -> tuple:
    """Where a question comes in a director's order, red flags asked as soon as their context is
    known: what the alliance is for (one question); each partner's sector, then (once it is known)
    what could make that partner a red flag; our core objectives, then what is asked of us; other
    red flags; the rest of what the alliance is for (its kind, goals, stage); then the checks. A
    director learns early what decides the verdict instead of answering a whole block first."""
    path, stage = question.path, director_stage(question.path)
    if path == "alliance.purpose":
        return (0,)
    # A partner's red flags wait for its sector: until it is known they are other red flags.
    known = question.partner is not None and value_at(data, ("partners", question.partner, "sector")) is not None
    if stage == 1 or (known and question.severity == "blocker"):
        return (1, -1 if question.partner is None else question.partner, stage != 1)
    if stage in (2, 3):
        return (stage,)
    if question.severity == "blocker":
        return (4,)
    return (5,) if stage == 0 else (6,)


def open_questions(evaluation: Evaluation, data: dict) -> tuple[Question, ...]:
    """Every open fact an open check waits for, ranked: red flags first, then conditions, readiness,
    information; within a rank alliance-wide facts first, then partner by partner; facts that decide
    whether checks apply before the checks themselves; then in the order the checks cite them."""
    by_path: dict[tuple, list[FindingResult]] = {}
    order: dict[tuple, int] = {}
    gateways: set[tuple] = set()
    for result in evaluation.inference.findings:
        if result.status != "not_assessed":
            continue
        fields = {name for name, _ in result.applies_if}
        for path in _open_paths(result, data):
            by_path.setdefault(path, []).append(result)
            order.setdefault(path, len(order))
            if path[-1] in fields or format_path(path) in ITEM_LISTS:
                gateways.add(path)
    # What is asked of us (and whether it touches "your core objectives") is asked once they are known.
    core = ("organisation", "core_objectives")
    touching = [checks for path, checks in by_path.items() if path[0] == "concessions"]
    if touching and value_at(data, core) is None and core not in by_path:
        by_path[core] = list(dict.fromkeys(c for checks in touching for c in checks))
        order[core] = -1
    questions = []
    ordered = {path: sorted(checks, key=lambda r: (_SEVERITY_RANK[_severity(r)], r.rule, r.id))
               for path, checks in by_path.items()}
    wording = collections.Counter(checks[0].id for checks in ordered.values())
    for path, checks in ordered.items():
        kind, choices = kind_of(annotation_at(path))
        guidance = tuple(dict.fromkeys(g for c in checks for g in REGISTRY[c.rule].guidance))
        questions.append(Question(
            path=format_path(path), kind=kind, choices=choices, checks=tuple(checks), severity=_severity(checks[0]),
            guidance=guidance, partner=_partner_of(path), gateway=path in gateways,
            could_add=_waiting_rules(path), shared=wording[checks[0].id] > 1))

    def rank(question: Question):
        partner = -1 if question.partner is None else question.partner
        return (_SEVERITY_RANK[question.severity], partner, not question.gateway, order[question.parts])

    return tuple(sorted(questions, key=rank))


# Settledness -----------------------------------------------------------------------------------


def _could_raise(question: Question, severities: tuple[str, ...]) -> bool:
    """Whether some answer to ``question`` could bring a check of one of ``severities`` to fail or stay open."""
    if any(_severity(c) in severities and _counts(c.rule) for c in question.checks):
        return True
    return any(_severity_of_rule(code) in severities and _counts(code) for code in question.could_add)


def _inert(question: Question) -> bool:
    """An answer to it can change information findings only (they weigh nothing, raise nothing)."""
    return not _could_raise(question, ("blocker", "major", "minor"))


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
    for pattern in REGISTRY[result.rule].rule:
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
    can_gate = [q for q in questions if _could_raise(q, ("blocker",))]
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
        return False, "conditions_open", tuple(q for q in questions if not _inert(q))
    deciding = tuple(q for q in questions if not _inert(q))
    return (not deciding), ("nothing_open" if not deciding else "proceed_open"), deciding


def consult(document: AllianceDocument | dict, evaluation: Evaluation | None = None) -> Consultation:
    """Where the consultation on ``document`` stands (``evaluation``: its evaluation, if already made)."""
    data = as_data(document)
    if evaluation is None:
        evaluation = evaluate_document(document if isinstance(document, AllianceDocument) else document_of(data))
    questions = open_questions(evaluation, data)
    settled, reason, deciding = _settledness(evaluation, data, questions)
    return Consultation(evaluation, data, in_directors_order(questions, deciding, data), settled, reason,
                        in_directors_order(deciding, deciding, data))


def still_deciding(consultation: Consultation, passed: set[str] | frozenset[str] = frozenset()) -> tuple[Question, ...]:
    """The questions whose answer could still change the verdict, leaving out those the director has
    passed ("don't know", skip): none left means the verdict stays whatever the rest say."""
    return tuple(q for q in consultation.deciding if q.path not in passed)


def in_directors_order(questions: tuple[Question, ...], deciding: tuple[Question, ...],
                       data: dict) -> tuple[Question, ...]:
    """The questions that could change the verdict first, then the others; each group in a
    director's order (:func:`directors_place`), then by consequence (the rank of open_questions)."""
    could = {q.path for q in deciding}
    rank = {q.path: i for i, q in enumerate(questions)}
    return tuple(sorted(questions, key=lambda q: (q.path not in could, directors_place(q, data), rank[q.path])))


# What-if --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """The verdict one answer to a question would give (real engine, the answer written in)."""

    answer: Any
    verdict: str
    evaluation: Evaluation = field(repr=False, compare=False)


def evaluate_with(data: dict, changes: list[tuple[tuple, Any]], near: Neighbourhood | None = None) -> Evaluation:
    """The evaluation of ``data`` with each (path, value) written in (InputError if one does not fit);
    ``near``: rerun only the checks the changes can reach from that neighbourhood's base."""
    changed = data
    for path, value in changes:
        changed = with_answer(changed, path, value)
    document = document_of(changed)
    return near.evaluate(document) if near is not None else evaluate_document(document)


_NEAR: list[Neighbourhood] = []  # the last one built: a what-if asks many neighbours of one state in a row


def _near(consultation: Consultation) -> Neighbourhood:
    if not _NEAR or _NEAR[0].base is not consultation.evaluation:
        _NEAR[:] = [Neighbourhood(consultation.evaluation)]
    return _NEAR[0]


def outcome_of(consultation: Consultation, question: Question, answer: Any) -> Outcome:
    """The verdict one answer to ``question`` would give (InputError if the answer does not fit the field)."""
    evaluation = evaluate_with(consultation.data, [(question.parts, answer_value(question, answer))],
                               _near(consultation))
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
            document_of(with_answer(consultation.data, question.parts, answer_value(question, answer)))
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
        changed = with_answer(changed, one.question.parts, one.value)
    evaluation = evaluate_document(document_of(changed, WHATIF_SOURCE))
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
                after = consult(with_answer(current.data, question.parts, answer_value(question, outcome.answer)),
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


# Changed facts (evaluate --set) -------------------------------------------------------------------


SET_SOURCE = "--set"


def parse_assignment(text: str) -> tuple[tuple, Any]:
    """'partners[0].sector=private' -> (('partners', 0, 'sector'), 'private'): the value is read as the
    loader reads a YAML value (a string, a [flow, list], empty for unknown); InputError otherwise."""
    from tahaluf.loader import load_yaml

    path_text, equals, value_text = text.partition("=")
    if not equals:
        raise InputError(SET_SOURCE, None, None, f"{text!r} is not PATH=VALUE (like partners[0].sector=private)")
    try:
        path = parse_path(path_text.strip())
    except ValueError as error:
        raise InputError(SET_SOURCE, None, None, str(error)) from None
    try:
        annotation_at(path)
    except KeyError:
        raise InputError(SET_SOURCE, None, path_text.strip(), "no such fact in the input format") from None
    value_text = value_text.strip()
    if not value_text:
        return path, None
    value, _ = load_yaml(value_text, f"{SET_SOURCE} {path_text.strip()}")
    return path, value


def with_changes(data: dict, assignments: list[str]) -> AllianceDocument:
    """The document with each PATH=VALUE written in (InputError naming the --set field when one does not fit)."""
    changed = data
    for text in assignments:
        path, value = parse_assignment(text)
        _check_indexes(changed, path)
        changed = with_answer(changed, path, value)
    return document_of(changed, SET_SOURCE)


def _check_indexes(data: dict, path: tuple) -> None:
    """InputError when an index lies past the end of its list (index N of N items adds one)."""
    target: Any = data
    for depth, part in enumerate(path):
        if isinstance(part, int):
            items = target if isinstance(target, list) else []
            if part > len(items):
                shown = format_path(path[:depth])
                raise InputError(SET_SOURCE, None, format_path(path[:depth + 1]),
                                 f"past the end: the list {shown} has {len(items)} "
                                 f"item{'' if len(items) == 1 else 's'}; "
                                 f"add one with --set {shown}[{len(items)}].FIELD=VALUE")
            target = items[part] if part < len(items) else None
        else:
            target = target.get(part) if isinstance(target, dict) else None
