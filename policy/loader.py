"""Reading a policy file: the project's strict YAML loader, then every problem at once as FILE:LINE.

A fact path is checked against the input model (``partners[*].industries``); an unknown one gets a
"did you mean" from the model's own paths. A value is read as the fact's type (``yes`` for a yes/no
fact, a number for an amount, an Arabic answer for a choice), so a typo is found here, not at run time.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from tahaluf import answers, languages, limits
from tahaluf.errors import InputError, InputErrors
from tahaluf.evidence_rules import EvidenceRules
from tahaluf.loader import SourceMap, describe, display_name, format_path, load_yaml, read_text
from tahaluf.model import AllianceDocument, Money
from tahaluf.policy.model import LOGIC, OPERATORS, OUTCOME_KEYS, SEVERITY_OF, Example, Leaf, Logic, Policy, PolicyRule
from tahaluf.schema_walker import annotation_at, parse_path

_ID = re.compile(r"^P[0-9]{1,4}$")
_TOP = ("name", "rules", "examples", "evidence")
_RULE_KEYS = ("id", "title", "text", "severity", "fails_when")
MAX_DEPTH = 12  # conditions nested deeper than this are a mistake, not a policy


@dataclass
class PolicyFile:
    """A policy as read, with the problems found (empty when it is sound)."""

    policy: Policy | None
    problems: list[InputError]


def _model_paths() -> list[str]:
    """Every fact path of the input model, lists as ``[*]``: what a condition may read."""
    found: list[str] = []

    def walk(path: tuple) -> None:
        annotation = annotation_at(path) if path else AllianceDocument
        if typing.get_origin(annotation) is list:
            item = annotation_at(path + ("*",))
            if isinstance(item, type) and issubclass(item, BaseModel):
                annotation, path = item, path + ("*",)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            for name in annotation.model_fields:
                found.append(_text(path + (name,)))
                walk(path + (name,))

    walk(())
    return found


def _text(path: tuple) -> str:
    return "".join(f"[{p}]" if p == "*" else (f".{p}" if i else p) for i, p in enumerate(path))


_PATHS: list[str] = []


def model_paths() -> list[str]:
    if not _PATHS:
        _PATHS.extend(_model_paths())
    return _PATHS


def fact_annotation(fact: str) -> Any:
    """The input model's type at a policy's fact path (KeyError when the model has none)."""
    if fact not in model_paths():
        raise KeyError(fact)
    return annotation_at(parse_path(fact))


class _Reader:
    def __init__(self, name: str, source: SourceMap):
        self.name, self.source = name, source
        self.problems: list[InputError] = []

    def problem(self, path: tuple, problem: str) -> None:
        self.problems.append(InputError(self.name, self.source.line_of(path), format_path(path) or None, problem))

    def words(self, data: Any, path: tuple) -> dict[str, str]:
        """A text in each language: English and Arabic required, any language of knowledge/languages.yaml allowed."""
        if not isinstance(data, dict):
            self.problem(path, "expected a text per language, e.g. {en: ..., ar: ...}")
            return {}
        known = languages.languages()
        for code, text in data.items():
            if code not in known:
                self.problem(path + (code,), f"unknown language; one of {', '.join(known)}")
            elif not isinstance(text, str) or not text.strip():
                self.problem(path + (code,), "expected a text")
        for code in ("en", "ar"):
            if code not in data:
                self.problem(path, f"the {code} text is missing")
        return {code: text.strip() for code, text in data.items() if isinstance(text, str)}

    def condition(self, data: Any, path: tuple, depth: int = 0) -> Leaf | Logic | None:
        if depth > MAX_DEPTH:
            self.problem(path, f"conditions nested more than {MAX_DEPTH} deep")
            return None
        if not isinstance(data, dict) or not data:
            self.problem(path, "expected a condition: all, any, not, or fact with one of " + ", ".join(OPERATORS))
            return None
        logic = [key for key in data if key in LOGIC]
        if logic:
            op = logic[0]
            if len(data) != 1:
                self.problem(path, f"'{op}' stands alone in its condition; put the others inside it")
                return None
            inner = data[op]
            if op == "not":
                part = self.condition(inner, path + (op,), depth + 1)
                return Logic("not", (part,)) if part is not None else None
            if not isinstance(inner, list) or not inner:
                self.problem(path + (op,), f"'{op}' takes a list of conditions")
                return None
            parts = [self.condition(item, path + (op, i), depth + 1) for i, item in enumerate(inner)]
            return Logic(op, tuple(p for p in parts if p is not None)) if None not in parts else None
        return self.leaf(data, path)

    def leaf(self, data: dict, path: tuple) -> Leaf | None:
        unknown = [key for key in data if key not in ("fact", "currency", *OPERATORS)]
        for key in unknown:
            close = difflib.get_close_matches(str(key), [*LOGIC, *OPERATORS, "fact", "currency"], n=1)
            self.problem(path + (key,), "unknown key" + (f"; did you mean '{close[0]}'?" if close else ""))
        ops = [key for key in data if key in OPERATORS]
        fact = data.get("fact")
        if not isinstance(fact, str):
            self.problem(path, "a test names its fact: fact: partners[*].industries")
            return None
        if len(ops) != 1:
            if not (unknown and not ops):  # a misspelt operator is already said
                self.problem(path, f"a test has exactly one of {', '.join(OPERATORS)}")
            return None
        op, value, currency = ops[0], data[ops[0]], data.get("currency")
        try:
            annotation = fact_annotation(fact)
        except (KeyError, ValueError):
            close = difflib.get_close_matches(fact, model_paths(), n=1, cutoff=0.5)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.problem(path + ("fact",), f"'{fact}' is not a fact of the input model{hint}")
            return None
        if unknown:
            return None
        value = self.value(op, value, annotation, path + (op,), fact)
        if currency is not None:
            if op not in ("greater_than", "less_than") or not fact.endswith("funding_offered.amount"):
                self.problem(path + ("currency",), "a currency goes with greater_than or less_than of an amount")
            elif not isinstance(currency, str) or not re.fullmatch(r"[A-Z]{3}", currency):
                self.problem(path + ("currency",), f"{currency!r} is not a currency code (USD, EUR, JOD)")
        return Leaf(fact, op, value, currency)

    def value(self, op: str, value: Any, annotation: Any, path: tuple, fact: str) -> Any:
        """The policy's value read as the fact's own type (an item's type for a list)."""
        if op == "unknown":
            return self.typed(value, bool, path)
        item = annotation
        if typing.get_origin(annotation) is list:
            item = typing.get_args(annotation)[0]
        if isinstance(item, type) and issubclass(item, BaseModel):
            self.problem(path, f"'{fact}' is a section: test one of its facts"
                               + (" (.amount)" if item is Money else ""))
            return None
        if op in ("greater_than", "less_than"):
            return self.typed(value, int, path) if item is int or "date" in str(item) else self._not_number(path, fact)
        if op == "in" or (op in ("contains", "equals") and isinstance(value, list)):
            if not isinstance(value, list) or not value:
                self.problem(path, "expected a list of values")
                return None
            return tuple(self.typed(one, item, path + (i,)) for i, one in enumerate(value))
        if op == "contains" and typing.get_origin(annotation) is not list and item is not str:
            self.problem(path, f"'{fact}' is not a list or a text: use equals or in")
        return self.typed(value, item, path)

    def _not_number(self, path: tuple, fact: str) -> None:
        self.problem(path, f"'{fact}' is not a number: compare it with equals or in")

    def typed(self, value: Any, annotation: Any, path: tuple) -> Any:
        if typing.get_origin(annotation) is typing.Literal:
            value = answers.lexicon().choices.get(answers.normalise(value), value) if isinstance(value, str) else value
        elif annotation is bool and isinstance(value, str):
            value = answers.lexicon().yes_no.get(answers.normalise(value), value)
        try:
            return TypeAdapter(annotation).validate_python(value)
        except ValidationError as exc:
            error = exc.errors(include_url=False)[0]
            self.problem(path, describe(error, AllianceDocument, path))
            return None


def _read(text: str, name: str, sha256: str) -> PolicyFile:
    try:
        data, source = load_yaml(text, name, collect=True, max_values=limits.ALLIANCE_MAX_YAML_VALUES,
                                 what="a policy file")
    except InputError as error:  # a syntax error (or a budget reached) stops the parse: said alone
        return PolicyFile(None, list(error.errors) if isinstance(error, InputErrors) else [error])
    reader = _Reader(name, source)
    reader.problems.extend(source.problems)
    if not isinstance(data, dict):
        reader.problem((), "a policy file is a mapping: name, rules, examples, evidence")
        return PolicyFile(None, reader.problems)
    for key in data:
        if key not in _TOP:
            close = difflib.get_close_matches(str(key), _TOP, n=1)
            reader.problem((key,), "unknown key" + (f"; did you mean '{close[0]}'?" if close else ""))
    rules = _rules(reader, data.get("rules"))
    evidence = EvidenceRules.model_validate({})
    if data.get("evidence") is not None:
        try:
            evidence = EvidenceRules.model_validate(data["evidence"])
        except ValidationError as exc:
            for issue in exc.errors(include_url=False):
                reader.problem(("evidence", *issue["loc"]), describe(issue, EvidenceRules, tuple(issue["loc"])))
    examples = _examples(reader, data.get("examples"), {rule.id for rule in rules})
    if reader.problems:
        return PolicyFile(None, sorted(reader.problems, key=lambda e: e.line or 0))
    policy = Policy(name=str(data.get("name") or name), rules=tuple(rules), examples=tuple(examples),
                    evidence=evidence, source_name=name, sha256=sha256, by_id={rule.id: rule for rule in rules})
    return PolicyFile(policy, [])


def _rules(reader: _Reader, data: Any) -> list[PolicyRule]:
    if not isinstance(data, list) or not data:
        reader.problem(("rules",), "expected a list of rules (id, title, text, severity, fails_when)")
        return []
    rules, seen = [], set()
    for index, entry in enumerate(data):
        path = ("rules", index)
        if not isinstance(entry, dict):
            reader.problem(path, "expected a rule: id, title, text, severity, fails_when")
            continue
        for key in entry:
            if key not in _RULE_KEYS:
                close = difflib.get_close_matches(str(key), _RULE_KEYS, n=1)
                reader.problem(path + (key,), "unknown key" + (f"; did you mean '{close[0]}'?" if close else ""))
        for key in _RULE_KEYS:
            if key not in entry:
                reader.problem(path, f"{key} is missing")
        rule_id = entry.get("id")
        if rule_id is not None and not (isinstance(rule_id, str) and _ID.match(rule_id)):
            reader.problem(path + ("id",), f"{rule_id!r} is not a policy rule id (P1, P2, …)")
        elif rule_id in seen:
            reader.problem(path + ("id",), f"{rule_id} is used by an earlier rule")
        seen.add(rule_id)
        severity = entry.get("severity")
        if severity is not None and severity not in SEVERITY_OF:
            close = difflib.get_close_matches(str(severity), list(SEVERITY_OF), n=1)
            reader.problem(path + ("severity",), f"{severity!r} is not one of {', '.join(SEVERITY_OF)}"
                           + (f"; did you mean '{close[0]}'?" if close else ""))
        title = reader.words(entry.get("title"), path + ("title",)) if "title" in entry else {}
        text = reader.words(entry.get("text"), path + ("text",)) if "text" in entry else {}
        condition = reader.condition(entry["fails_when"], path + ("fails_when",)) if "fails_when" in entry else None
        if condition is not None and isinstance(rule_id, str) and severity in SEVERITY_OF:
            rules.append(PolicyRule(rule_id, title, text, severity, condition, reader.source.line_of(path)))
    return rules


def _examples(reader: _Reader, data: Any, ids: set[str]) -> list[Example]:
    if data is None:
        return []
    if not isinstance(data, list):
        reader.problem(("examples",), "expected a list of examples (name, given, expect)")
        return []
    examples = []
    for index, entry in enumerate(data):
        path = ("examples", index)
        if not isinstance(entry, dict) or not isinstance(entry.get("given"), dict) \
                or not isinstance(entry.get("expect"), dict):
            reader.problem(path, "an example has a name, given (part of an alliance file) and expect")
            continue
        for key in entry:
            if key not in ("name", "given", "expect"):
                reader.problem(path + (key,), "unknown key")
        expect: dict[str, tuple[str, ...]] = {}
        for outcome, listed in entry["expect"].items():
            if outcome not in OUTCOME_KEYS:
                reader.problem(path + ("expect", outcome), f"expected one of {', '.join(OUTCOME_KEYS)}")
                continue
            listed = listed if isinstance(listed, list) else [listed]
            for i, rule_id in enumerate(listed):
                if rule_id not in ids:
                    reader.problem(path + ("expect", outcome, i), f"{rule_id!r} is not a rule of this policy")
            expect[outcome] = tuple(str(rule_id) for rule_id in listed)
        examples.append(Example(str(entry.get("name") or f"example {index + 1}"), entry["given"], expect,
                                reader.source.line_of(path)))
    return examples


def check_policy(path: str | Path) -> PolicyFile:
    """Read a policy file: the policy, or every problem it has (FILE:LINE each)."""
    name = display_name(path)
    text = read_text(Path(path))
    return _read(text, name, hashlib.sha256(text.encode("utf-8")).hexdigest())


def load_policy(path: str | Path) -> Policy:
    """The policy in a file; InputError(s) listing every problem when it has any."""
    read = check_policy(path)
    if read.policy is None:
        raise InputErrors.of(read.problems)
    return read.policy
