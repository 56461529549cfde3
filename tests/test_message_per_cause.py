"""One message per cause: a check that fails for different reasons says which one.

A rule's finding names a message key (``Outcome(..., message="no_owner")``) or none (the
rule's default message); knowledge holds one text per key (``messages:`` beside
``message:``). Which causes a rule has is found by experiment over its fixtures
(tests/rules/CODE.yaml), not by reading its code:

    a fact the failing finding cites is a *cause* of that failure when leaving that one
    fact out (unknown) stops the rule failing for that subject, while it still applies.

Why by experiment and not statically (an AST over each body's ``return "fail"`` sites):
most checks compute their status (``status_of``, ``require_true``, a helper another rule
shares), so the causes do not part where the code returns: MN02 failed for three
causes (no owner, no written role, no scope) at one ``return``. Leaving a fact out is
what every rule is written to accept (unknown is never false), so it is a small,
meaningful experiment that judges behaviour whatever the code looks like. A failure
with two causes at once (no one fact's absence clears it) is over-determined: the rule
says the first in its own order, and it is left out of the comparison.

The tests: fail cases that share a message key share a cause (one message never stands
for two causes); every key a rule's texts define is said by some fixture (no message no
cause reaches) and every key a fixture names exists. The fixture test itself
(test_rule_fixtures.py) checks that the engine's finding uses the key the case names.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from functools import cache

import pytest
import yaml
from support import build_document
from test_rule_fixtures import FIXTURES

from tahaluf import knowledge
from tahaluf.errors import InputError
from tahaluf.evaluation import evaluate_document

# Rules that do not say each cause yet, with why; the test fails once one no longer needs it.
PENDING: dict[str, str] = {}

_TOKEN = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _parts(path: str) -> list | None:
    """``partners[0].private.company_gets`` -> ['partners', 0, 'private', 'company_gets']; None for a
    path that is no single input fact (``partners[*].size``)."""
    if "*" in path:
        return None
    return [int(index) if index else name for name, index in _TOKEN.findall(path)]


def _without(facts: dict, path: str) -> dict | None:
    """The fixture's facts with the fact at ``path`` left out; None when the fixture does not give it."""
    parts = _parts(path)
    if not parts:
        return None
    data = copy.deepcopy(facts)
    parent = data
    for part in parts[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return None
    if not isinstance(parent, dict) or parts[-1] not in parent:
        return None
    del parent[parts[-1]]
    return data


def _general(path: str) -> str:
    """A cause names a field, not a partner: ``partners[1].private.goals`` -> ``partners[].private.goals``."""
    return re.sub(r"\[\d+\]", "[]", path)


def _findings(facts: dict, rule: str, subject: str) -> list:
    return [f for f in evaluate_document(build_document(facts)).inference.findings
            if f.rule == rule and f.subject == subject]


def causes(rule: str, facts: dict, finding) -> frozenset[str]:
    """The facts the failing ``finding`` cites whose absence alone stops the rule failing for its
    subject, the rule still applying (a fact whose absence makes the rule not apply, or apply
    only if it turns out so, decides whether it applies: it is no cause)."""
    found = set()
    for path, _value in finding.evidence:
        knocked = _without(facts, path)
        if knocked is None:
            continue
        try:
            after = _findings(knocked, rule, finding.subject)
        except InputError:  # a field its item cannot be without (an event's kind): not a fact to leave out
            continue
        if after and all(f.status != "fail" and not f.applies_if for f in after):
            found.add(_general(path))
    return frozenset(found)


@cache
def _specs() -> dict[str, dict]:
    return {path.stem: yaml.safe_load(path.read_text(encoding="utf-8")) for path in FIXTURES}


@pytest.mark.parametrize("rule", sorted(_specs()))
def test_failures_that_share_a_message_share_a_cause(rule):
    by_key: dict[str | None, list[tuple[str, frozenset]]] = defaultdict(list)
    for case in _specs()[rule]["cases"]:
        if case["expect"] != "fail":
            continue
        facts = case.get("facts") or {}
        for finding in _findings(facts, rule, case["subject"]) if "subject" in case else \
                [f for f in evaluate_document(build_document(facts)).inference.findings if f.rule == rule]:
            found = causes(rule, facts, finding)
            if found:  # over-determined failures (two causes at once) are left out
                by_key[finding.message].append((case["name"], found))
    mixed = {key: cases for key, cases in by_key.items() if not frozenset.intersection(*(f for _, f in cases))}
    if rule in PENDING:
        assert mixed, f"{rule} now says each cause: remove it from PENDING"
        return
    assert not mixed, (f"{rule}: a message stands for different causes; give each cause its own message "
                       f"(Outcome(..., message=KEY), knowledge messages: KEY): {mixed}")


def test_every_message_variant_is_said_by_a_fixture_and_every_key_named_exists():
    texts = knowledge.findings()
    said: dict[str, set] = defaultdict(set)
    for rule, spec in _specs().items():
        for case in spec["cases"]:
            if "message" in case:
                assert case["expect"] != "pass", f"{rule} {case['name']!r}: a passing case says no failure message"
                assert case["message"] in (texts[rule].messages or {}), \
                    f"{rule} {case['name']!r}: no message {case['message']!r} in its texts"
                said[rule].add(case["message"])
    unsaid = {rule: sorted(set(text.messages or ()) - said[rule]) for rule, text in texts.items()}
    assert not {rule: keys for rule, keys in unsaid.items() if keys}, "messages said by no fixture case"


def test_a_cause_is_found_by_leaving_one_fact_out():
    # The experiment itself, on a known case: MN02 with no owner fails because of the owner.
    facts = {"monitoring": {"owner": "nobody", "owner_role_defined": True, "what_is_monitored": ["jobs created"]}}
    (finding,) = _findings(facts, "MN02", "monitoring")
    assert causes("MN02", facts, finding) == {"monitoring.owner"}
    # A partner's field is a cause whichever partner it is; its sector decides whether PR03 applies.
    facts = {"partners": [{"name": "Acme", "sector": "private", "private": {"integrity_safeguards": False}}]}
    (finding,) = _findings(facts, "PR03", "Acme")
    assert causes("PR03", facts, finding) == {"partners[].private.integrity_safeguards"}


def test_every_message_key_written_in_a_rule_module_exists_in_knowledge():
    # A key no fixture reaches would still fail a report (FindingText.message_for): read them all.
    import ast
    from pathlib import Path

    known = {key for text in knowledge.findings().values() for key in (text.messages or ())}
    written = set()
    for path in (Path(__file__).resolve().parent.parent / "rules").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.keyword) and node.arg == "message":  # "key", or "key" if ... else None
                value = node.value.body if isinstance(node.value, ast.IfExp) else node.value
                if isinstance(value, ast.Constant):
                    written.add(value.value)
            elif isinstance(node, (ast.keyword, ast.Assign)) and isinstance(node.value, ast.Dict) and (
                    isinstance(node, ast.keyword) and node.arg == "messages"
                    # a table of keys (procedures._QUALITY_MESSAGE)
                    or isinstance(node, ast.Assign) and node.targets[0].__dict__.get("id", "").endswith("_MESSAGE")):
                written.update(v.value for v in node.value.values if isinstance(v, ast.Constant))
    written.discard(None)
    assert written and written <= known, sorted(written - known)
    assert written == known, sorted(known - written)  # and every key in knowledge is one a rule writes
