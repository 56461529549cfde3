"""Inference: one profile judged by the partner-level rules (in a worker process or in this one)
into a compact Verdict, and the bounded cache of verdicts by profile.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from tahaluf.errors import TahalufError
from tahaluf.knowledge import SEVERITIES
from tahaluf.model import Alliance, Organisation
from tahaluf.rules.verdict import PARTNER_STATUS
from tahaluf.screening.profiles import models_from_key

DECISIVE = ("blocker", "major")
SEVERITY_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}
DEFAULT_CACHE_SIZE = 50_000  # profiles; roughly 1 KB each


class Verdict(NamedTuple):
    """What one profile's inference says, compactly (cached, and sent between processes)."""

    status: str | None  # None: the rules failed on this profile (see problem)
    score: int | None
    failed: tuple = ()
    unknown: tuple = ()
    guidance: tuple = ()
    reason: tuple | None = None  # (kind "message"|"question", rule code, subject, params)
    problem: str = ""


_WORKER: dict[str, Any] = {}


def prepare(organisation: dict, alliance: dict) -> None:
    """This process's context for judge_keys: our organisation, the alliance, the partner engine."""
    from tahaluf.rules.engine import engine_for

    _WORKER["organisation"] = Organisation.model_validate(organisation)
    _WORKER["alliance"] = Alliance.model_validate(alliance)
    engine_for("partner")  # build the Rete network once, up front


def _judge(key: tuple) -> Verdict:
    from tahaluf.rules.base import REGISTRY
    from tahaluf.rules.declare import candidate_facts
    from tahaluf.rules.engine import infer

    partner, concessions = models_from_key(key)
    declared = candidate_facts(_WORKER["organisation"], _WORKER["alliance"], partner, concessions)
    try:
        inference = infer(declared, level="partner")
    except TahalufError as error:  # a rule that never settles: this profile's rows are rejected, the batch goes on
        return Verdict(None, None, problem=str(error))

    def order(finding):
        return SEVERITY_RANK.get(finding.severity, 9), finding.rule

    failed = sorted((f for f in inference.findings if f.status == "fail"), key=order)
    unknown = sorted((f for f in inference.findings if f.status == "not_assessed" and f.severity in DECISIVE),
                     key=order)
    guidance = tuple(dict.fromkeys(g for f in failed + unknown for g in REGISTRY[f.rule].guidance))
    # The reason behind the status: a failed blocker/major check, else the first decisive
    # fact nobody knows, else the worst lesser failure.
    serious = [f for f in failed if f.severity in DECISIVE]
    if serious:
        reason = ("message", serious[0].rule, serious[0].subject, serious[0].params)
    elif unknown:
        reason = ("question", unknown[0].rule, unknown[0].subject, unknown[0].params)
    elif failed:
        reason = ("message", failed[0].rule, failed[0].subject, failed[0].params)
    else:
        reason = None
    return Verdict(PARTNER_STATUS[inference.verdict], inference.score, tuple(f.rule for f in failed),
                   tuple(f.rule for f in unknown), guidance, reason)


def judge_keys(keys: list[tuple]) -> list[Verdict]:
    return [_judge(key) for key in keys]


class Cache:
    """A bounded LRU map: profile key -> Verdict."""

    def __init__(self, size: int):
        self.size, self.data = size, OrderedDict()

    def get(self, key):
        verdict = self.data.get(key)
        if verdict is not None:
            self.data.move_to_end(key)
        return verdict

    def put(self, key, verdict) -> None:
        self.data[key] = verdict
        if len(self.data) > self.size:
            self.data.popitem(last=False)
