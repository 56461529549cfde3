"""Inference: one profile judged by the partner-level rules (in a worker process or in this one)
into a compact Verdict, reusing the outcomes of earlier profiles' checks (see reuse.py), and
the bounded cache of verdicts by profile.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, NamedTuple

from tahaluf.errors import TahalufError
from tahaluf.model import Alliance, Organisation
from tahaluf.rules import load_all
from tahaluf.rules.base import DIMENSIONS, REGISTRY
from tahaluf.rules.verdict import DECISIVE, PARTNER_STATUS, SEVERITY_RANK, score_bounds, weighted_score
from tahaluf.screening.profiles import models_from_key

DEFAULT_CACHE_SIZE = 50_000  # profiles; roughly 1 KB each


class Verdict(NamedTuple):
    """What one profile's inference says, compactly (cached, and sent between processes)."""

    status: str | None  # None: the rules failed on this profile (see problem)
    score: int | None
    failed: tuple = ()
    unknown: tuple = ()
    guidance: tuple = ()
    reason: tuple | None = None  # (kind "message"|"question", rule code, subject, params, message key)
    problem: str = ""
    reasons: tuple = ()  # every reason, ``reason`` first: each failed check, each decisive one not known
    # The known facts the passing blocker and major checks rest on: ((path, value, rules), ...) (issue 25).
    deciding: tuple = ()
    # A full engine run's findings, for the screener to learn from (reuse.py); None when the
    # verdict came from outcomes already seen. Dropped before the verdict is cached.
    findings: tuple | None = None


_WORKER: dict[str, Any] = {}


def prepare(organisation: dict, alliance: dict, reuse: bool = True) -> None:
    """This process's context for judge_keys: our organisation, the alliance, the partner engine,
    and (unless ``reuse`` is off: a fresh engine run for every profile) the outcomes learned."""
    from tahaluf.rules.engine import engine_for

    _WORKER["organisation"] = Organisation.model_validate(organisation)
    _WORKER["alliance"] = Alliance.model_validate(alliance)
    engine_for("partner")  # build the Rete network once, up front
    _WORKER["reuse"] = new_reuse() if reuse else None


def new_reuse():
    """An empty store of check outcomes for the partner-level engine (one per screening context)."""
    from tahaluf.rules.engine import engine_for
    from tahaluf.screening.reuse import Reuse

    engine_for("derive")
    return Reuse([spec for spec in REGISTRY.values() if spec.partner_level], engine_for("partner").dimensions)


def _judge(key: tuple) -> Verdict:
    from tahaluf.rules.declare import candidate_facts
    from tahaluf.rules.engine import infer

    reuse = _WORKER["reuse"]
    if reuse is not None:
        known = reuse.recall(key)
        if known is not None:
            return verdict_of(*known)
    partner, concessions = models_from_key(key)
    declared = candidate_facts(_WORKER["organisation"], _WORKER["alliance"], partner, concessions)
    try:
        inference = infer(declared, level="partner")
    except TahalufError as error:  # a rule that never settles: this profile's rows are rejected, the batch goes on
        return Verdict(None, None, problem=str(error))
    if reuse is not None:
        reuse.learn(key, inference.findings)
    return verdict_of(inference.findings, inference.verdict)._replace(findings=inference.findings)


def _with_values(finding) -> tuple:
    """A finding's parameters, with the answer at each fact it names (a contradiction's
    ``first_path``: ``first_value``), so that the screener can say the facts in words."""
    named = [(name, path) for name, path in finding.params if name.endswith("_path")]
    if not named:
        return finding.params
    evidence = dict(finding.evidence)
    return finding.params + tuple((name.removesuffix("_path") + "_value", evidence.get(path)) for name, path in named)


def verdict_of(findings, word: str) -> Verdict:
    """A profile's Verdict from its findings and the rules' verdict word."""
    def order(finding):
        return SEVERITY_RANK.get(finding.severity, 9), finding.rule

    failed = sorted((f for f in findings if f.status == "fail"), key=order)
    unknown = sorted((f for f in findings if f.status == "not_assessed" and f.severity in DECISIVE), key=order)
    guidance = tuple(dict.fromkeys(g for f in failed + unknown for g in REGISTRY[f.rule].guidance))
    # The reasons behind the status, the first one foremost: the failed blocker/major checks (red
    # flags and conditions), then the decisive facts nobody knows, then the lesser failures.
    serious = [f for f in failed if f.severity in DECISIVE]
    lesser = [f for f in failed if f.severity not in DECISIVE]
    reasons = tuple((kind, f.rule, f.subject, _with_values(f), f.message)
                    for kind, group in (("message", serious), ("question", unknown), ("message", lesser))
                    for f in group)
    reason = reasons[0] if reasons else None
    status = PARTNER_STATUS[word]
    scored = [(f.status, f.severity) for f in findings if f.dimension in DIMENSIONS]
    assessed = weighted_score(scored) is not None  # nothing assessed: no score (blank), not a band's bottom
    score = banded_score(status, score_bounds(scored)[0]) if assessed else None
    return Verdict(status, score, tuple(f.rule for f in failed), tuple(f.rule for f in unknown),
                   guidance, reason, reasons=reasons, deciding=_deciding(findings))


def _deciding(findings) -> tuple:
    rules: dict[tuple, list[str]] = {}
    for finding in findings:
        if finding.status == "pass" and finding.severity in DECISIVE:
            for path, value in finding.evidence:
                if value is not None and "." in path and not isinstance(value, (list, tuple, dict)):
                    rules.setdefault((path, value), []).append(finding.rule)
    return tuple((path, value, ", ".join(dict.fromkeys(codes))) for (path, value), codes in sorted(rules.items()))


def unverified(verdict: Verdict, evidence: tuple) -> Verdict:
    """A candidate whose row's source is only claimed: each fact its passing blocker and major checks
    rest on is to be confirmed in writing (EV01, a verify condition), so an eligible one is conditional."""
    if not evidence or evidence[2] != "claimed" or not verdict.deciding:
        return verdict
    extra = tuple(("message", "EV01", "", (("fact", path), ("value", value), ("rules", rules)), None)
                  for path, value, rules in verdict.deciding)
    status, score = verdict.status, verdict.score
    if status == "eligible":  # the score kept in its status's band (issue 23), at the same height
        bottom, top = SCORE_BANDS["eligible"]
        height = round(((score or bottom) - bottom) * 100 / (top - bottom))
        status, score = "conditional", banded_score("conditional", height)
    # A red flag stays the first reason of an excluded candidate; else the facts to confirm come first.
    reasons = (*verdict.reasons, *extra) if status == "excluded" else (*extra, *verdict.reasons)
    load_all()
    guidance = tuple(dict.fromkeys((*verdict.guidance, *REGISTRY["EV01"].guidance)))
    return verdict._replace(status=status, score=score, failed=(*verdict.failed, "EV01"), guidance=guidance,
                            reason=reasons[0], reasons=reasons)


# A candidate's score agrees with its status (issue 23): each status has its band, so every
# excluded candidate scores below every conditional one, and every conditional one below every
# eligible one; inside its band, the readiness that counts each open check as failed (a
# candidate nobody knows much about never scores high).
SCORE_BANDS = {"excluded": (0, 32), "conditional": (33, 65), "eligible": (66, 100)}


def banded_score(status: str, low: int | None) -> int:
    """0-100 in the status's band: its bottom for no readiness known, its top for a perfect one."""
    bottom, top = SCORE_BANDS[status]
    return bottom + round((low or 0) * (top - bottom) / 100)


def judge_keys(keys: list[tuple]) -> list[Verdict]:
    return [_judge(key) for key in keys]


class Cache:
    """A bounded LRU map: profile key -> Verdict."""

    def __init__(self, size: int):
        self.size = size
        self.data: OrderedDict = OrderedDict()

    def get(self, key):
        verdict = self.data.get(key)
        if verdict is not None:
            self.data.move_to_end(key)
        return verdict

    def put(self, key, verdict) -> None:
        self.data[key] = verdict
        if len(self.data) > self.size:
            self.data.popitem(last=False)
