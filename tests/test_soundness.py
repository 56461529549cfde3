"""Soundness under missing facts, as properties over generated partial documents.

A *full* document is drawn from the input model itself (every field of every section,
so a new field is covered without editing this file); a *partial* one leaves out a random
share of its facts. The full document is then one completion of the partial one.

1. Whenever a completion of the open facts fails a blocker, the partial verdict is not
   ``proceed``, and its conditions ask about one of those facts. Completions come two
   ways: the drawn full document, and a completion aimed at each blocker (a private
   partner without a timeline, a concession touching a core objective, a confrontational
   approach to a ministry), built from the blockers' own meaning, not from the rules.
2. Giving one open fact a passing value never makes the verdict, or any dimension's
   readiness, worse. A passing value is one the guide asks for (yes to "has it been
   researched?", a high values alignment, a named owner); facts that decide whether
   checks apply at all (sector, stage, purpose, the lists themselves) have none, and an
   answer that contradicts another given answer is a mistake, not a passing value.
"""

from __future__ import annotations

import copy

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from model_strategies import OBJECTIVES
from model_strategies import model_data as _model
from model_strategies import unwrap as _unwrap
from pydantic import BaseModel
from support import build_document

from tahaluf.evaluation import evaluate_document
from tahaluf.model import AllianceDocument, Concession, Event, Goal, Milestone, Partner

VERDICT_RANK = {"proceed": 0, "conditions": 1, "do_not_proceed": 2}
LEVEL_RANK = {"weak": 0, "not_enough_known": 1, "partial": 2, "ready": 3}
# Shrinking re-evaluates many documents: cap it, so a failure is reported in seconds, not minutes.
# derandomize: the same examples on every run, so CI is repeatable (a new seed is a code change).
SETTINGS = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
            "derandomize": True,
            "phases": [Phase.explicit, Phase.reuse, Phase.generate], "print_blob": True}

# The value the guide asks for, where there is one (property 2). Booleans not listed pass on yes.
PASSING = {
    "touches_core_objective": False, "members_deviated": False, "values_alignment": "high",
    "reputation_risk": "low", "approach": "cooperative", "meetings": "both", "review_rhythm": "quarterly",
    "conflict_mechanism": "mediator", "decision_method": "consensus", "owner": "Sara Haddad",
    "benefit_to_us": "Access to the company's supply data for our monitoring",
    "contribution": "A regional survey", "decision_process": "The board decides by majority",
    "benefit_measure": "Cited in our 2027 pricing brief", "praise_rhythm": "often",
}
# Facts that decide whether checks apply: no passing value.
APPLICABILITY = {"sector", "stage", "purpose_kind", "scope", "formality", "motives", "size", "exists", "kind"}


@st.composite
def full_documents(draw) -> dict:
    document = _model(draw, AllianceDocument)
    for index, partner in enumerate(document.get("partners") or ()):
        partner["name"] = f"{partner['name']} {index}"  # one finding per partner, told apart
    return document


def _leaves(data, path=()):
    """Paths of every fact given in a document (dict keys and list items, list as a whole too)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield path + (key,)
            yield from _leaves(value, path + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            if isinstance(value, (dict, list)):
                yield from _leaves(value, path + (index,))


# Fields a list item cannot be without (a partner's name, a concession's what, an event's kind).
REQUIRED_FIELDS = {name for model in (Partner, Concession, Event, Goal, Milestone)
                   for name, f in model.model_fields.items() if f.is_required()}
REQUIRED = {("organisation",), ("alliance",), ("organisation", "name"), ("alliance", "name"),
            ("organisation", "core_objectives")}


def _drop(data, path):
    parent = data
    for part in path[:-1]:
        parent = parent[part]
    if isinstance(parent, dict):
        parent.pop(path[-1], None)


@st.composite
def partial_and_full(draw):
    full = draw(full_documents())
    partial = copy.deepcopy(full)
    dropped = []
    for path in sorted(set(_leaves(full)) - REQUIRED, key=len, reverse=True):
        if isinstance(path[-1], str) and path[-1] not in REQUIRED_FIELDS and draw(st.integers(0, 2)) == 0:
            _drop(partial, path)
            dropped.append(path)
    return partial, full, dropped


def _text(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def evaluate(data: dict):
    return evaluate_document(build_document(copy.deepcopy(data)))


def red_flags(evaluation) -> list:
    return [f for f in evaluation.inference.findings if f.status == "fail" and f.severity == "blocker"]


def open_questions(evaluation) -> set[str]:
    """The input paths that the partial verdict's establish conditions ask about."""
    findings = {f.id: f for f in evaluation.inference.findings}
    return {path for c in evaluation.inference.conditions if c.kind == "establish"
            for path, _ in findings[c.because[0]].evidence}


def asks_about(questions: set[str], completed: list[str]) -> bool:
    """A question about a completed fact, about the list a completed item belongs to, or (for a
    completed list) about the one possible item that stands for the list while it is unknown."""
    def within(inner: str, outer: str) -> bool:
        return inner == outer or inner.startswith((outer + ".", outer + "["))
    return any(within(c, q) or within(q, c) for q in questions for c in completed)


def assert_unknown_blockers_are_conditions(found, completion: dict, completed: list[str]) -> None:
    """``found``: the partial document's evaluation; ``completion``: one completion of it."""
    if not red_flags(evaluate(completion)):
        return
    assert found.verdict != "proceed", completion
    if found.verdict == "conditions" and not red_flags(found):
        assert asks_about(open_questions(found), completed), (sorted(open_questions(found)), completed)


# Completions aimed at each blocker, from what the blocker means. -----------------------


def blocker_completions(partial: dict):
    """(completion, completed paths) for each way an open fact could fail PR01, PA01 or GV03."""
    partners = partial.get("partners")
    if partners is None:
        for partner in ({"name": "Acme", "sector": "private", "private": {"timeline_agreed": False}},
                        {"name": "Ministry", "sector": "government", "government": {"approach": "confrontational"}}):
            yield {**partial, "partners": [partner]}, ["partners"]
    for index, partner in enumerate(partners or ()):
        here = f"partners[{index}]"
        for sector, terms, field, value in (("private", "private", "timeline_agreed", False),
                                            ("private", "private", "specific_goals_agreed", False),
                                            ("government", "government", "approach", "confrontational")):
            if partner.get("sector") not in (None, sector) or (partner.get(terms) or {}).get(field) is not None:
                continue
            if field == "specific_goals_agreed" and (partner.get(terms) or {}).get("goals") is not None:
                continue  # listed goals, not the flag, decide whether they are specific
            completion = copy.deepcopy(partial)
            target = completion["partners"][index]
            completed = [f"{here}.{terms}.{field}"]
            if target.get("sector") is None:
                target["sector"] = sector
                completed.append(f"{here}.sector")
            target.setdefault(terms, {})[field] = value
            yield completion, completed
    concessions = partial.get("concessions")
    if concessions is None:
        touching = {"what": "Stop criticising the ministry", "touches_core_objective": True,
                    "core_objective": OBJECTIVES[0]}
        yield {**partial, "concessions": [touching]}, ["concessions"]
    for index, concession in enumerate(concessions or ()):
        if concession.get("touches_core_objective") is None:
            completion = copy.deepcopy(partial)
            completion["concessions"][index]["touches_core_objective"] = True
            yield completion, [f"concessions[{index}].touches_core_objective"]


# 150 fixed (derandomised) drawings, each evaluated with every completion aimed at a blocker: ~5 engines each.
@settings(max_examples=150, **SETTINGS)
@given(partial_and_full())
def test_an_open_fact_that_could_fail_a_blocker_keeps_the_verdict_from_proceed(drawn):
    partial, full, dropped = drawn
    found = evaluate(partial)
    assert_unknown_blockers_are_conditions(found, full, [_text(path) for path in dropped])
    for completion, completed in blocker_completions(partial):
        assert red_flags(evaluate(completion)), completed  # the aimed completion does fail a blocker
        assert_unknown_blockers_are_conditions(found, completion, completed)


# Property 2: a passing answer never makes things worse. ---------------------------------


def open_scalar_facts(partial: dict, full: dict):
    """(section path, field, passing value) for each fact left out whose section is given."""
    def walk(model: type[BaseModel], data: dict, path: tuple):
        for name, field in model.model_fields.items():
            if name in APPLICABILITY or name == "name":
                continue
            kinds = _unwrap(field.annotation)
            nested = [k for k in kinds if isinstance(k, type) and issubclass(k, BaseModel)]
            if name in data and nested and isinstance(data[name], dict):
                yield from walk(nested[0], data[name], path + (name,))
            elif name not in data and (bool in kinds or name in PASSING):
                yield path, name, PASSING.get(name, True)
    for section in ("organisation", "alliance", "engagement", "understanding", "governance", "monitoring", "review"):
        if isinstance(partial.get(section), dict):
            model = AllianceDocument.model_fields[section].annotation
            yield from walk(_unwrap(model)[0], partial[section], (section,))
    for index, partner in enumerate(partial.get("partners") or ()):
        yield from walk(Partner, partner, ("partners", index))
    for index, concession in enumerate(partial.get("concessions") or ()):
        yield from walk(Concession, concession, ("concessions", index))


def contradicts(document: dict, path: tuple, name: str, value) -> bool:
    """Whether the passing value would contradict another given fact (the CX checks' pairs)."""
    target = document
    for part in path:
        target = target[part]
    if name == "shared_values":
        return any(p.get("values_alignment") == "low" for p in document.get("partners") or ())
    if name == "values_alignment":
        return False
    if name == "touches_core_objective":
        return bool(target.get("core_objective"))
    if path and path[-1] in ("private", "government") and len(path) == 3:
        return document["partners"][path[1]].get("sector") not in (None, path[-1])
    return path == ("review",) and document["alliance"].get("stage") == "proposed"


def readiness(evaluation) -> dict:
    return {r.dimension: r for r in evaluation.inference.readiness}


@settings(max_examples=300, **SETTINGS)
@given(partial_and_full(), st.data())
def test_a_passing_answer_never_makes_the_verdict_or_readiness_worse(drawn, data):
    partial, full, _ = drawn
    candidates = [c for c in open_scalar_facts(partial, full) if not contradicts(partial, *c)]
    if not candidates:
        return
    path, name, value = data.draw(st.sampled_from(candidates))
    answered = copy.deepcopy(partial)
    target = answered
    for part in path:
        target = target[part]
    target[name] = value
    before, after = evaluate(partial), evaluate(answered)
    where = f"{_text(path + (name,))} = {value!r}"
    assert VERDICT_RANK[after.verdict] <= VERDICT_RANK[before.verdict], where
    old, new = readiness(before), readiness(after)
    for dimension, was in old.items():
        now = new[dimension]
        assert LEVEL_RANK[now.level] >= LEVEL_RANK[was.level], (where, dimension, was.level, now.level)
        if was.low is not None and now.low is not None:
            assert now.low >= was.low, (where, dimension)
