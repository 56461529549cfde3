"""The evaluation of a neighbour of one state, without running every check again (reasoning layer).

A what-if evaluates many neighbours of one document: the same file with one answer (or a few)
written in. A check's finding depends only on the facts its patterns match (and the fact types
it declares with ``memory=``, read from working memory): when no fact of those types
changed, its findings are the base's. So a neighbour runs an engine composed of only the checks
that read a changed type of fact, keeps the base's findings for the others, and draws gates,
conditions, readiness and the verdict with the derivation rules over the combined findings —
the engine's own derivations, not a copy of them, run dimension by dimension and each distinct
dimension's part once (rules.engine.derived_by_part). tests/test_neighbours.py holds every result
to :func:`evaluate_document` on the same document.
"""

from __future__ import annotations

from collections import defaultdict
from functools import cache

from tahaluf import knowledge
from tahaluf.evaluation import Evaluation, evaluate_document
from tahaluf.model import AllianceDocument
from tahaluf.rules import load_all
from tahaluf.rules.base import DIMENSIONS, REGISTRY
from tahaluf.rules.declare import document_facts
from tahaluf.rules.engine import FindingResult, _Base, derived_by_part, engine_for, run_checks

_EVIDENCE = frozenset({"DecidingFact", "EvidenceItem"})  # fact types only a file with evidence declares


@cache
def _types_read() -> dict[str, frozenset[str]]:
    """Rule code -> the fact types its outcome can depend on."""
    load_all()
    return {code: frozenset({type(p).__name__ for p in spec.rule} | set(spec.memory))
            for code, spec in REGISTRY.items()}


@cache
def _engine(codes: frozenset[str]):
    """An engine of only these checks (built once per set: a what-if meets few sets)."""
    severities = {code: entry.severity for code, entry in knowledge.findings().items()}
    specs = [REGISTRY[code] for code in sorted(codes)]
    # The checks alone: the derivations run once, over every finding, in ``derived``.
    members = {spec.method: spec.rule for spec in specs}
    members.update(severities=severities, dimensions=())
    return type("TahalufNeighbourEngine", (_Base,), members)()


def _by_type(declared: list) -> dict[str, list]:
    grouped: dict[str, list] = defaultdict(list)
    for fact in declared:
        grouped[type(fact).__name__].append(dict(fact))
    return grouped


class Neighbourhood:
    """Evaluates documents near ``base`` (any document may be given; the further, the more checks run)."""

    def __init__(self, base: Evaluation):
        self.base = base
        self.facts = _by_type(document_facts(base.document))
        self.findings: dict[str, list[FindingResult]] = defaultdict(list)
        for finding in base.inference.findings:
            self.findings[finding.rule].append(finding)

    def evaluate(self, document: AllianceDocument) -> Evaluation:
        rules = self.base.evidence_rules
        if document.evidence or rules.required:
            # The evidence checks read every check's findings (rules/evidence.py): the whole run.
            return evaluate_document(document, "<what-if>", evidence_rules=rules)
        declared = document_facts(document)
        mine = _by_type(declared)
        changed = {name for name in set(mine) | set(self.facts) if mine.get(name) != self.facts.get(name)}
        affected = frozenset(code for code, types in _types_read().items() if types & changed)
        kept = [f for code, found in self.findings.items()
                if code not in affected and not _types_read()[code] & _EVIDENCE for f in found]
        new = run_checks(_engine(affected), declared) if affected else []
        inference = derived_by_part(kept + new, engine_for().dimensions or DIMENSIONS)
        return Evaluation(document, inference, "<what-if>", "")
