"""The open questions of an evaluation: the facts its open checks wait for, each with its kind, the
checks it decides and the rules whose pattern waits on it, ranked by consequence and put in a
director's order (reasoning layer, no I/O)."""

from __future__ import annotations

import collections
import copy
import typing
from dataclasses import dataclass
from functools import cache
from typing import Any

from tahaluf import knowledge, model
from tahaluf.evaluation import Evaluation
from tahaluf.goals import goal_could_become_specific
from tahaluf.rules import facts, load_all
from tahaluf.rules.base import REGISTRY
from tahaluf.rules.engine import FindingResult
from tahaluf.schema_walker import (
    annotation_at,
    annotation_or_none,
    field_paths,
    format_path,
    kind_of,
    parse_path,
    value_at,
)

SEVERITY_ORDER = ("blocker", "major", "minor", "info")
# What a question could decide, in the director's terms.
CONSEQUENCE = {"blocker": "red_flag", "major": "condition", "minor": "readiness", "info": "information"}
# Lists whose items are facts of their own, with checks of their own.
ITEM_LISTS = {"partners": facts.Partner, "concessions": facts.Concession, "review.events": facts.Event,
              "alliance.motives": facts.Motive}
# Where each section's fact sits in the document (fact type name -> path).
_SECTION_OF = {"Organisation": "organisation", "Alliance": "alliance", "Engagement": "engagement",
               "Understanding": "understanding", "Governance": "governance", "Monitoring": "monitoring",
               "Review": "review"}
_INDEXED_OF = {"Partner": "partners", "Concession": "concessions", "Event": "review.events"}
# Representative answers, for what-if, where a type has too many values to try them all.
REPRESENTATIVE_TEXT = "…"
REPRESENTATIVE_DATE = "2027-06-30"
REPRESENTATIVE_GOAL = "a goal"  # neither a measure nor a date
REPRESENTATIVE_DATED_GOAL = "100 people reached by " + REPRESENTATIVE_DATE  # specific: a quantity and a date
REPRESENTATIVE_PARTNER = "A new partner"
REPRESENTATIVE_CONCESSION = "A concession asked of us"
STAND_INS = frozenset({REPRESENTATIVE_TEXT, REPRESENTATIVE_DATE, REPRESENTATIVE_GOAL, REPRESENTATIVE_DATED_GOAL,
                       REPRESENTATIVE_PARTNER, REPRESENTATIVE_CONCESSION})



# Questions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Question:
    """One open fact to ask about."""

    path: str
    kind: str  # one of consultation.paths.KINDS
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


def _open_goal_paths(result: FindingResult, data: dict) -> list[tuple]:
    """A cited list of goals holding goals with neither measure nor date: each such goal's date and
    measure (either would make it specific, so the check waits on them even when it failed)."""
    found: list[tuple] = []
    for text, value in result.evidence:
        if not value or "[*]" in text:
            continue
        try:
            parts = parse_path(text)
            if annotation_at(parts + (0,)) is not model.Goal:
                continue
        except (ValueError, KeyError):
            continue
        for index, goal in enumerate(value_at(data, parts) or ()):
            if isinstance(goal, dict) and goal_could_become_specific(goal):
                found += [parts + (index, "by"), parts + (index, "measure")]
    return found


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
        if parts[depth - 1] != "*" and "exists" in getattr(annotation_or_none(parts[:depth]), "model_fields", {}) \
                and parts[depth:] != ("exists",) and value_at(data, parts[:depth] + ("exists",)) is None:
            return [parts[:depth] + ("exists",)]
    try:
        annotation = annotation_at(parts)
    except KeyError:
        return []
    if kind_of(annotation)[0] == "section":  # asked field by field, its first one (whether it exists) first
        leaves = [path for leaf in field_paths(parts, annotation) for path in _expand(leaf, data)]
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
    """Contradiction checks are mistakes to correct, not states of the alliance: left out of settledness.
    A policy rule's findings count (its reads are facts a deciding check reads)."""
    return code not in REGISTRY or REGISTRY[code].dimension != _CONSISTENCY


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
        if result.status == "pass":
            continue
        fields = {name for name, _ in result.applies_if}
        waiting = _open_paths(result, data) if result.status == "not_assessed" else []
        for path in waiting + _open_goal_paths(result, data):
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
        # A policy rule (not in REGISTRY) cites no guide item: the views cite it as the policy.
        guidance = tuple(dict.fromkeys(g for c in checks if c.rule in REGISTRY for g in REGISTRY[c.rule].guidance))
        questions.append(Question(
            path=format_path(path), kind=kind, choices=choices, checks=tuple(checks), severity=_severity(checks[0]),
            guidance=guidance, partner=_partner_of(path), gateway=path in gateways,
            could_add=_waiting_rules(path), shared=wording[checks[0].id] > 1))

    def rank(question: Question):
        partner = -1 if question.partner is None else question.partner
        return (_SEVERITY_RANK[question.severity], partner, not question.gateway, order[question.parts])

    return tuple(sorted(questions, key=rank))


def by_partner(questions: tuple[Question, ...]) -> dict[int | None, tuple[Question, ...]]:
    """The questions grouped by the partner they concern (None: the alliance as a whole), in rank order."""
    groups: dict[int | None, list[Question]] = {}
    for question in questions:
        groups.setdefault(question.partner, []).append(question)
    return {key: tuple(value) for key, value in groups.items()}


def in_directors_order(questions: tuple[Question, ...], deciding: tuple[Question, ...],
                       data: dict) -> tuple[Question, ...]:
    """The questions that could change the verdict first, then the others; each group in a
    director's order (:func:`directors_place`), then by consequence (the rank of open_questions)."""
    could = {q.path for q in deciding}
    rank = {q.path: i for i, q in enumerate(questions)}
    return tuple(sorted(questions, key=lambda q: (q.path not in could, directors_place(q, data), rank[q.path])))
