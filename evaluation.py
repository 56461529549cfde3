"""The library's front door: evaluate one alliance file (or document) with the rule base."""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from tahaluf.evidence_rules import EvidenceRules
from tahaluf.loader import SourceMap, display_name, load_yaml, read_text, validate
from tahaluf.model import AllianceDocument
from tahaluf.policy.model import Policy
from tahaluf.rules.declare import document_facts, evidence_facts
from tahaluf.rules.engine import Inference, infer
from tahaluf.schema_walker import format_path

DEFAULT_EVIDENCE_RULES = EvidenceRules.model_validate({})  # no policy: evidence is judged when given


@dataclass(frozen=True)
class Evaluation:
    """One evaluated alliance: the input, what the rules concluded, and how to reproduce it."""

    document: AllianceDocument
    inference: Inference
    source_name: str
    source_sha256: str
    # Input path ("partners[0].sector") -> its line in the file, for pointing at facts.
    lines: dict[str, int | None] = field(default_factory=dict, compare=False, repr=False)
    # What was asked of the evidence behind facts (issue 25): a what-if judges its neighbours by it too.
    evidence_rules: EvidenceRules = field(default_factory=lambda: DEFAULT_EVIDENCE_RULES, compare=False, repr=False)
    # The organisation's own policy, judged beside the guide (None: the guide alone, as before).
    policy: Policy | None = None

    @property
    def verdict(self) -> str:
        return self.inference.verdict


def declared_facts(document: AllianceDocument, evidence_rules: EvidenceRules) -> list:
    """Every fact the engine starts from: the document's, and the evidence behind them (if any)."""
    return [*document_facts(document), *evidence_facts(document, evidence_rules.required,
                                                       evidence_rules.max_age_months, _dt.date.today())]


def evaluate_document(document: AllianceDocument, source_name: str = "<document>", source_sha256: str = "",
                      source: SourceMap | None = None, evidence_rules: EvidenceRules | None = None,
                      policy: Policy | None = None) -> Evaluation:
    """``evidence_rules``: what is asked of the evidence behind facts (default: the policy's, else none)."""
    lines = {format_path(path): line for path, line in source.lines.items()} if source else {}
    evidence_rules = evidence_rules or (policy.evidence if policy is not None else DEFAULT_EVIDENCE_RULES)
    return Evaluation(document, infer(declared_facts(document, evidence_rules), policy=policy), source_name,
                      source_sha256, lines, evidence_rules, policy)


def evaluate_file(path: str | Path, evidence_rules: EvidenceRules | None = None,
                  policy: Policy | None = None) -> Evaluation:
    """Read, validate and evaluate one alliance YAML file, '-' for standard input (raises InputError
    on bad input, InputErrors listing every problem when there are several)."""
    name = display_name(path)
    text = read_text(Path(path))
    data, source = load_yaml(text, name, collect=True)
    document = validate(AllianceDocument, data, source, name)
    return evaluate_document(document, name, hashlib.sha256(text.encode("utf-8")).hexdigest(), source,
                             evidence_rules=evidence_rules, policy=policy)
