"""Building the experta engine once and running it per evaluation.

The engine class is composed from every RuleSet in ``rules/`` plus the
derivations; it is built once per process and ``reset()`` for each evaluation
(building the Rete network is the expensive part). Batch screening uses a second
engine composed of the partner-level checks only: the same rule objects.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from tahaluf.errors import RunawayRulesError
from tahaluf.experta_compat import KnowledgeEngine
from tahaluf.rules import base, facts
from tahaluf.rules.base import DIMENSIONS, REGISTRY
from tahaluf.rules.verdict import Derivations, score_bounds, weighted_score, worst_verdict

# Each check fires at most once per subject and the derivations a few times per
# finding: a run that needs more steps than this is a rule re-firing on itself.
MAX_STEPS = 20_000


@dataclass(frozen=True)
class FindingResult:
    id: str
    rule: str
    status: str
    severity: str
    dimension: str
    subject: str
    evidence: tuple
    params: tuple
    applies_if: tuple = ()
    message: str | None = None  # the message key (Outcome.message): None for the rule's default


@dataclass(frozen=True)
class DerivedResult:
    id: str
    kind: str  # gate | fix | establish | strengthen | readiness
    because: tuple
    dimension: str | None = None
    score: int | None = None
    level: str | None = None
    not_assessed: tuple = ()
    coverage: int | None = None  # share (0-100) of the dimension's weight that was assessed
    low: int | None = None  # the score if every unknown check failed
    high: int | None = None  # the score if every unknown check passed


@dataclass(frozen=True)
class Inference:
    verdict: str
    verdict_because: tuple
    findings: tuple[FindingResult, ...]
    gates: tuple[DerivedResult, ...]
    conditions: tuple[DerivedResult, ...]
    readiness: tuple[DerivedResult, ...]

    @property
    def score(self) -> int | None:
        """Overall readiness 0-100: the weighted share of assessed checks that passed."""
        return weighted_score((f.status, f.severity) for f in self.findings if f.dimension in DIMENSIONS)

    @property
    def coverage(self) -> int | None:
        """The share (0-100) of the scored checks' weight that was assessed: a score is only
        as good as what is known behind it."""
        return score_bounds((f.status, f.severity) for f in self.findings if f.dimension in DIMENSIONS)[2]


class _Base(KnowledgeEngine):
    """Bookkeeping shared by every composed engine."""

    severities: dict[str, str] = {}
    dimensions: tuple[str, ...] = DIMENSIONS

    def reset(self, **kwargs):
        self.findings_ledger: list[dict] = []
        self._counter = 0
        super().reset(**kwargs)

    def next_id(self, prefix: str) -> str:
        self._counter += 1
        return f"{prefix}{self._counter}"

    def ids_of(self, fact_type: type[facts.Fact]) -> tuple:
        return tuple(f["id"] for f in self.facts.values() if isinstance(f, fact_type))

    def record_finding(self, code: str, outcome: base.Outcome, matched: dict) -> None:
        spec = REGISTRY[code]
        # The finding is about the partner or concession it judged, else the section it read.
        ordered = [matched[name] for name in spec.inputs if name in matched]
        ordered += [matched[name] for name in sorted(matched) if name not in spec.inputs]
        inputs = [f for f in ordered if isinstance(f, facts.Fact) and "path" in f]
        subject = next((f for f in inputs if isinstance(f, (facts.Partner, facts.Concession))),
                       inputs[0] if inputs else None)
        finding = {
            "id": self.next_id("F"), "rule": code, "status": outcome.status,
            "severity": outcome.severity or self.severities[code], "dimension": spec.dimension,
            "subject": base.subject_of(subject) if subject is not None else "",
            "evidence": outcome.evidence, "params": outcome.params, "applies_if": outcome.applies_if,
            "message": outcome.message,
        }
        self.findings_ledger.append(finding)
        if outcome.status != "pass":
            # Only failures and unknowns can raise a gate or a condition; readiness reads
            # passes from the ledger. Every fact declared costs a pass through the whole
            # network, so passes stay out of working memory.
            self.declare(facts.Finding(**finding))


def _compose(name: str, specs: list[base.RuleSpec], severities: dict[str, str], support: bool = False) -> type:
    members = {spec.method: spec.rule for spec in specs}
    if support:
        members.update(base.SUPPORT)
    members["severities"] = severities
    # Readiness is assessed only for the dimensions this engine's checks can inform.
    informed = {spec.dimension for spec in specs}
    members["dimensions"] = tuple(name for name in DIMENSIONS if name in informed)
    return type(name, (Derivations, _Base), members)


_ENGINES: dict[str, KnowledgeEngine] = {}


def engine_for(level: str = "alliance") -> KnowledgeEngine:
    """The process's engine for whole alliances (``alliance``), single candidates (``partner``), or
    the derivations alone (``derive``)."""
    if level not in _ENGINES:
        from tahaluf import knowledge
        from tahaluf.rules import load_all

        load_all()
        severities: dict[str, str] = {code: entry.severity for code, entry in knowledge.findings().items()}
        # "derive": the derivations alone, for findings already known (screening's reuse).
        specs = [s for s in REGISTRY.values() if level == "alliance" or (level == "partner" and s.partner_level)]
        _ENGINES[level] = _compose(f"Tahaluf{level.title()}Engine", specs, severities, level == "alliance")()
    return _ENGINES[level]


def infer(declared: Iterable[Any], level: str = "alliance") -> Inference:
    """Run the rule base over input facts and collect what it concluded."""
    engine = engine_for(level)
    engine.reset()
    engine.declare(*declared, *(facts.Dimension(name=name) for name in engine.dimensions))
    engine.run(steps=MAX_STEPS)
    if engine.agenda.activations:
        raise RunawayRulesError(f"the rules did not settle within {MAX_STEPS:,} steps")
    return _collect(engine)


def run_checks(engine: KnowledgeEngine, declared: Iterable[Any]) -> list[FindingResult]:
    """The findings of ``engine``'s checks over the input facts (its derivations run too, unread):
    a what-if's neighbour reruns only the checks a changed fact can reach (neighbours.py)."""
    engine.reset()
    engine.declare(*declared, *(facts.Dimension(name=name) for name in engine.dimensions))
    engine.run(steps=MAX_STEPS)
    if engine.agenda.activations:
        raise RunawayRulesError(f"the rules did not settle within {MAX_STEPS:,} steps")
    return [FindingResult(**finding) for finding in engine.findings_ledger]


def derived(findings: Iterable[FindingResult], dimensions: Iterable[str]) -> Inference:
    """The whole inference the derivation rules draw from these findings (ids given afresh)."""
    engine = _derive_run(findings, dimensions)
    return _collect(engine)


# The derivations of one dimension's part: (dimension, scored, its findings' statuses and severities in
# order) -> that part's Inference. A what-if's neighbours change one or two dimensions' findings at a time.
_PARTS: dict[tuple, Inference] = {}
MAX_PARTS = 4096


def _renamed(result: DerivedResult, ids: dict[str, str]) -> DerivedResult:
    return replace(result, id=ids[result.id], because=tuple(ids[i] for i in result.because),
                   not_assessed=tuple(ids[i] for i in result.not_assessed))


def derived_by_part(findings: Iterable[FindingResult], dimensions: Iterable[str]) -> Inference:
    """As :func:`derived`, drawn dimension by dimension, each distinct part by the derivation rules once.

    Every derivation reads one finding or one dimension's findings, so each dimension's part is
    derived alone (as screening does); the verdict is the worst of the parts' verdicts
    (rules.verdict.worst_verdict), and it rests on what the parts with that verdict rest on.
    tests/test_neighbours.py holds it to the full evaluation."""
    findings = list(findings)
    scored = tuple(dimensions)
    parts: dict[str, list[int]] = {name: [] for name in scored}
    for index, finding in enumerate(findings):
        parts.setdefault(finding.dimension, []).append(index)
    ids = {index: f"F{index + 1}" for index in range(len(findings))}
    counter = len(findings)
    words: list[str] = []
    because: list[tuple[str, tuple]] = []
    gates: list[DerivedResult] = []
    conditions: list[DerivedResult] = []
    readiness: list[DerivedResult] = []
    for name, members in parts.items():
        part = [findings[index] for index in members]
        key = (name, name in scored, tuple((f.status, f.severity) for f in part))
        drawn = _PARTS.get(key)
        if drawn is None:
            if len(_PARTS) >= MAX_PARTS:
                _PARTS.clear()
            drawn = _PARTS[key] = derived(part, (name,) if name in scored else ())
        # The part's own ids -> this inference's: its findings by position, its derived results afresh.
        local = {finding.id: ids[index] for finding, index in zip(drawn.findings, members)}
        for result in drawn.gates + drawn.conditions + drawn.readiness:
            counter += 1
            local[result.id] = f"{result.id.rstrip('0123456789')}{counter}"
        gates += (_renamed(result, local) for result in drawn.gates)
        conditions += (_renamed(result, local) for result in drawn.conditions)
        readiness += (_renamed(result, local) for result in drawn.readiness)
        words.append(drawn.verdict)
        because.append((drawn.verdict, tuple(local[i] for i in drawn.verdict_because)))
    verdict = worst_verdict(words)
    return Inference(
        verdict=verdict, verdict_because=tuple(i for word, ids_ in because if word == verdict for i in ids_),
        findings=tuple(replace(finding, id=ids[index]) for index, finding in enumerate(findings)),
        gates=tuple(gates), conditions=tuple(conditions), readiness=tuple(readiness),
    )


def _derive_run(findings: Iterable[FindingResult], dimensions: Iterable[str]) -> KnowledgeEngine:
    engine = engine_for("derive")
    engine.reset()
    for finding in findings:
        record = {name: getattr(finding, name) for name in FindingResult.__dataclass_fields__}
        record["id"] = engine.next_id("F")  # learned in different runs: ids may repeat
        engine.findings_ledger.append(record)
        if finding.status != "pass":  # as record_finding: passes are read from the ledger only
            engine.declare(facts.Finding(**record))
    engine.declare(*(facts.Dimension(name=name) for name in dimensions))
    engine.run(steps=MAX_STEPS)
    return engine


def derive(findings: Iterable[FindingResult], dimensions: Iterable[str]) -> str:
    """The verdict the derivation rules draw from these findings alone, with readiness assessed
    for ``dimensions``: the checks' half of ``infer`` already done (by an earlier run)."""
    engine = _derive_run(findings, dimensions)
    verdicts = [fact["word"] for fact in engine.facts.values() if isinstance(fact, facts.Verdict)]
    if len(verdicts) != 1:
        raise RunawayRulesError("the rules reached no verdict")
    return verdicts[0]


def _collect(engine: _Base) -> Inference:
    gates, conditions, readiness, verdict = [], [], [], None
    findings = [FindingResult(**finding) for finding in engine.findings_ledger]
    for fact in engine.facts.values():
        if isinstance(fact, facts.Gate):
            gates.append(DerivedResult(id=fact["id"], kind="gate", because=fact["because"]))
        elif isinstance(fact, facts.Condition):
            conditions.append(DerivedResult(id=fact["id"], kind=fact["kind"], because=fact["because"],
                                            dimension=fact.get("dimension")))
        elif isinstance(fact, facts.Readiness):
            readiness.append(DerivedResult(
                id=fact["id"], kind="readiness", because=fact["because"], dimension=fact["dimension"],
                score=fact["score"], level=fact["level"], not_assessed=fact["not_assessed"],
                coverage=fact["coverage"], low=fact["low"], high=fact["high"],
            ))
        elif isinstance(fact, facts.Verdict):
            verdict = fact
    if verdict is None:  # cannot happen while the three verdict rules cover every case
        raise RunawayRulesError("the rules reached no verdict")
    return Inference(
        verdict=verdict["word"], verdict_because=verdict["because"], findings=tuple(findings),
        gates=tuple(gates), conditions=tuple(conditions), readiness=tuple(readiness),
    )
