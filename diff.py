"""Two assessments of one alliance compared: what a director reads when an alliance is reviewed a
year later. Verdict change, findings added, resolved and changed, facts changed, actions done and
overdue. Reasoning layer: snapshots in, a comparison out; no I/O.

A snapshot is made from an evaluated alliance file or from a JSON report (``tahaluf evaluate
--format json``), so either may stand on either side.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tahaluf.errors import InputError
from tahaluf.evaluation import Evaluation, evaluate_file


@dataclass(frozen=True)
class Words:
    """What a view needs to word a finding in any language: its raw subject (a section's key or a
    name), its message's cause key (None: the rule's default) and its parameters."""

    subject: str
    message: str | None = None
    params: tuple = ()


@dataclass(frozen=True)
class Snapshot:
    name: str
    verdict: str
    findings: dict[tuple[str, str], tuple[str, str]]  # (rule, subject) -> (status, severity)
    facts: dict[str, Any]  # input path -> value
    actions: dict[str, str | None] = field(default_factory=dict)  # action -> status
    overdue: frozenset = frozenset()  # actions AP01 found overdue
    # Whether ``facts`` holds every input fact (from the file), or only those its findings cite (from
    # a report): a fact a report does not cite is not known to be unknown, only not cited.
    facts_complete: bool = True
    words: dict[tuple[str, str], Words] = field(default_factory=dict)  # by the findings' keys
    # Whether ``facts`` values are the input's own (True, "confrontational"), or as a report without
    # keys words them (its language's "yes", "unknown"): a view words only the former.
    raw_values: bool = True
    # Fact path -> (source, status, by): where the file says each fact came from (its `evidence:`).
    sources: dict[str, tuple] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    rule: str
    subject: str
    before: str | None  # status (fail / not_assessed / pass) or None when absent
    after: str | None
    severity: str
    words: Words | None = None  # how the snapshot that had the finding failing or open words it


@dataclass(frozen=True)
class Comparison:
    before: str
    after: str
    verdict_before: str
    verdict_after: str
    added: tuple[Change, ...]  # failing or open now, not before
    resolved: tuple[Change, ...]  # failing or open before, met or gone now
    changed: tuple[Change, ...]  # another status or severity, still not met
    facts: tuple[tuple[str, Any, Any], ...]  # (path, before, after)
    actions_done: tuple[str, ...]
    actions_overdue: tuple[str, ...]
    # A list item's name by its path ("partners[0]" -> its name), so a view names whose fact changed.
    names: dict[str, str] = field(default_factory=dict)
    raw_values: bool = True  # as Snapshot.raw_values, for both sides
    sources: dict[str, tuple] = field(default_factory=dict)  # the later side's: who changed a fact, on what

    @property
    def verdict_changed(self) -> bool:
        return self.verdict_before != self.verdict_after


_OPEN = ("fail", "not_assessed")
_RANK = {"blocker": 0, "major": 1, "minor": 2, "info": 3, "strength": 4}


def _flatten(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for key, item in value.items():
            out.update(_flatten(item, f"{path}.{key}" if path else str(key)))
        return out
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        out = {}
        for index, item in enumerate(value):
            out.update(_flatten(item, f"{path}[{index}]"))
        return out
    return {path: value}


def snapshot_of_evaluation(evaluation: Evaluation) -> Snapshot:
    from tahaluf import knowledge

    inference = evaluation.inference
    # Subjects as a JSON report words them (a section or a motive by its English label), so a
    # file and a report of the same assessment compare equal.
    labels = knowledge.labels()
    subject = lambda raw: labels[f"subject.{raw}"].en if f"subject.{raw}" in labels else raw  # noqa: E731
    findings = {(f.rule, subject(f.subject)): (f.status, f.severity) for f in inference.findings}
    words = {(f.rule, subject(f.subject)): Words(f.subject, f.message, tuple(f.params)) for f in inference.findings}
    actions: dict[str, str | None] = {a.what: a.status for a in evaluation.document.actions or ()}
    overdue = frozenset(f.subject for f in inference.findings if f.rule == "AP01" and f.status == "fail")
    facts = _flatten(evaluation.document.model_dump(mode="json", exclude_none=True, exclude={"evidence"}))
    sources = {entry.fact: (entry.source, entry.status, entry.by or "") for entry in evaluation.document.evidence or ()}
    return Snapshot(evaluation.source_name, inference.verdict, findings, facts, actions, overdue, words=words,
                    sources=sources)


def snapshot_keys(snapshot: Snapshot) -> dict:
    """The language-free part of a snapshot of a file, as JSON data: the web history stores it with
    the (English) JSON report, so a page words each state in its own language from the keys."""
    return {"facts": snapshot.facts, **({"sources": snapshot.sources} if snapshot.sources else {}),
            "findings": [{"rule": rule, "subject": subject, "words": {
                "subject": words.subject, "message": words.message, "params": [list(pair) for pair in words.params]}}
                for (rule, subject), words in snapshot.words.items()]}


def _frozen(value: Any) -> Any:
    return tuple(_frozen(item) for item in value) if isinstance(value, list) else value


def _names(facts: dict[str, Any]) -> dict[str, str]:
    """A list item's name by its path: a partner's or an organisation's name, a concession's or an
    action's what, a goal."""
    names: dict[str, str] = {}
    for path, value in facts.items():
        item, _, leaf = path.rpartition(".")
        if item.endswith("]") and leaf in ("name", "what", "goal") and isinstance(value, str):
            names.setdefault(item, value)
    return names


def snapshot_of_report(name: str, report: dict) -> Snapshot:
    """From a JSON report (in English, as subjects are compared by their words): its findings,
    open questions and the facts they cite."""
    findings: dict[tuple[str, str], tuple[str, str]] = {}
    facts: dict[str, Any] = {}
    for entry in [*report.get("findings", ()), *report.get("not_assessed", ())]:
        severity = entry["severity"] if entry["status"] != "pass" else "strength"
        findings[(entry["rule"], entry["subject"])] = (entry["status"], severity)
        facts.update(entry.get("facts") or {})
    keys = report.get("keys")
    if isinstance(keys, dict):  # stored with the report by the web history: every fact, and words by key
        words = {(entry["rule"], entry["subject"]): Words(entry["words"]["subject"], entry["words"]["message"],
                                                          tuple(_frozen(pair) for pair in entry["words"]["params"]))
                 for entry in keys["findings"]}
        sources = {path: tuple(entry) for path, entry in (keys.get("sources") or {}).items()}
        return Snapshot(name, report["verdict"], findings, dict(keys["facts"]), words=words, sources=sources)
    # A report's partners in the file's order: their facts are named by them.
    names = {f"partners[{index}].name": partner.get("name")
             for index, partner in enumerate(report.get("partners") or ()) if isinstance(partner, dict)}
    return Snapshot(name, report["verdict"], findings, {**names, **facts}, facts_complete=False, raw_values=False)


def compare(before: Snapshot, after: Snapshot) -> Comparison:
    added, resolved, changed = [], [], []
    for key in sorted(set(before.findings) | set(after.findings)):
        was, now = before.findings.get(key), after.findings.get(key)
        status_was, status_now = (was or (None, ""))[0], (now or (None, ""))[0]
        severity_was, severity_now = (was or ("", ""))[1], (now or ("", ""))[1]  # the key is on one side at least
        latest, earliest = severity_now or severity_was, severity_was or severity_now
        severity = latest if latest != "strength" else earliest
        # Worded as the side where the check failed or stayed open (before, for one resolved).
        words = (before.words.get(key) if status_was in _OPEN and status_now not in _OPEN else None) \
            or after.words.get(key) or before.words.get(key)
        change = Change(key[0], key[1], status_was, status_now, severity, words)
        if status_now in _OPEN and status_was not in _OPEN:
            added.append(change)
        elif status_was in _OPEN and status_now not in _OPEN:
            resolved.append(change)
        elif status_was in _OPEN and (status_was != status_now or severity_was != severity_now):
            changed.append(change)
    order = lambda change: (_RANK.get(change.severity, 5), change.rule, change.subject)  # noqa: E731
    paths = set(before.facts) | set(after.facts)
    if not (before.facts_complete and after.facts_complete):
        paths = set(before.facts) & set(after.facts)  # a fact one report does not cite did not change for it
    facts = tuple((path, before.facts.get(path), after.facts.get(path))
                  for path in sorted(paths) if before.facts.get(path) != after.facts.get(path))
    done = tuple(what for what, status in after.actions.items()
                 if status == "done" and before.actions.get(what) != "done")
    overdue = tuple(sorted(after.overdue - before.overdue))
    names = {**_names(before.facts), **_names(after.facts)}
    return Comparison(before.name, after.name, before.verdict, after.verdict, tuple(sorted(added, key=order)),
                      tuple(sorted(resolved, key=order)), tuple(sorted(changed, key=order)), facts, done, overdue,
                      names, before.raw_values and after.raw_values, after.sources)


def snapshot_of_file(path: str) -> Snapshot:
    """An alliance file (evaluated now) or a JSON report (as it was written), by its content."""
    import json
    from pathlib import Path

    from tahaluf.loader import read_text

    if str(path).endswith(".json"):
        text = read_text(Path(path))
        try:
            report = json.loads(text)
            if not isinstance(report, dict):
                kinds = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}
                kind = kinds.get(type(report), "a number")
                raise TypeError(f"{kind}, not a JSON object")
            return snapshot_of_report(str(path), report)
        except RecursionError:
            raise InputError(str(path), None, None, "not a Tahaluf JSON report (nested too deeply)") from None
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise InputError(str(path), None, None, f"not a Tahaluf JSON report ({error})") from None
    return snapshot_of_evaluation(evaluate_file(path))
