"""Several respondents, one assessment: merge their answers about the same alliance.

Each respondent answers in a file of their own. Where everyone who answered a fact agrees,
the fact stands; where they disagree, it is left unknown in the merged assessment and
recorded under ``disputes`` with who said what, so the rules treat it as an open question
(soundness holds) and DS01 makes the disagreement a finding of its own. Nothing any
respondent said is dropped, and the result does not depend on the order of the files.

Input layer: documents in, a merged document out; no I/O.
"""

from __future__ import annotations

from typing import Any

import yaml

from tahaluf.model import AllianceDocument

# Lists whose items are matched across respondents by a key, not by position.
_ITEM_KEYS = {
    "partners": ("name",),
    "concessions": ("what",),
    "events": ("kind", "who", "when"),
    "goals": ("goal",),
    "milestones": ("what",),
}
# What a merged assessment is made of, not a fact about the alliance.
_NOT_FACTS = {"respondent", "respondents", "disputes"}
# A dispute over these cannot leave them unknown (a name is required): the first respondent's
# value stands (respondents sorted by name), and the dispute is still recorded.
_REQUIRED = {"name", "what", "kind", "goal"}


class MergeError(ValueError):
    """Respondents' files that cannot be merged (the message says which and why)."""


def _path(parent: str, key: Any) -> str:
    return f"{parent}[{key}]" if isinstance(key, int) else (f"{parent}.{key}" if parent else str(key))


def _as_text(value: Any) -> Any:
    if isinstance(value, list):
        return [_as_text(item) for item in value]
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_as_text(v)}" for k, v in value.items())
    if value is True or value is False:
        return "yes" if value else "no"
    return str(value)


class _Merger:
    def __init__(self) -> None:
        self.disputes: list[dict] = []

    def value(self, path: str, key: str, answers: list[tuple[str, Any]]) -> Any:
        """One fact: the value all who answered agree on, else a dispute (unknown)."""
        given = [(who, value) for who, value in answers if value is not None]
        if not given:
            return None
        if all(isinstance(value, dict) for _, value in given):
            return self.section(path, given)
        if all(isinstance(value, list) for _, value in given) and key in _ITEM_KEYS:
            return self.items(path, key, given)
        distinct = {repr(_canonical(value)) for _, value in given}
        if len(distinct) == 1:
            return given[0][1]
        self.disputes.append({"path": path, "answers": [{"respondent": who, "value": _as_text(value)}
                                                         for who, value in given]})
        return given[0][1] if key in _REQUIRED else None

    def section(self, path: str, given: list[tuple[str, dict]]) -> dict:
        keys = list(dict.fromkeys(key for _, value in given for key in value))
        merged = {}
        for key in keys:
            if key in _NOT_FACTS:
                continue
            value = self.value(_path(path, key), key, [(who, section.get(key)) for who, section in given])
            if value is not None:
                merged[key] = value
        return merged

    def items(self, path: str, key: str, given: list[tuple[str, list]]) -> list:
        """Items matched by their key (a partner by name): each item merged across those who listed it."""
        fields = _ITEM_KEYS[key]
        identities = list(dict.fromkeys(tuple(item.get(f) for f in fields) for _, items in given for item in items))
        merged: list[Any] = []
        for identity in identities:
            answers = [(who, next((item for item in items if tuple(item.get(f) for f in fields) == identity), None))
                       for who, items in given]
            item = self.value(_path(path, len(merged)), "", answers)
            if item:
                merged.append(item)
        return merged


def _canonical(value: Any) -> Any:
    """Lists of plain values compare as sets: two respondents listing the same strengths in
    another order agree."""
    if isinstance(value, list) and all(not isinstance(item, (dict, list)) for item in value):
        return sorted(map(str, value))
    return value


def merge_documents(named: list[tuple[str, AllianceDocument]]) -> dict:
    """The merged assessment as plain data (valid input for ``evaluate``), from each
    respondent's name and validated document. Respondents are taken in name order, so the
    result is the same whatever the order of the files."""
    if len(named) < 2:
        raise MergeError("merging needs at least two respondents' files")
    names = [name for name, _ in named]
    if len(set(names)) != len(names):
        repeated = sorted({name for name in names if names.count(name) > 1})
        raise MergeError(f"respondent named twice: {', '.join(repeated)} (set `respondent:` in each file)")
    ordered = sorted(named, key=lambda pair: pair[0])
    merger = _Merger()
    dumps = [(name, document.model_dump(mode="json", exclude_none=True)) for name, document in ordered]
    merged = merger.section("", dumps)
    return {"respondents": [name for name, _ in ordered], **({"disputes": merger.disputes} if merger.disputes else {}),
            **merged}


def merged_yaml(merged: dict) -> str:
    """The merged assessment as a YAML file the loader reads back (no anchors, no tags)."""
    class _Plain(yaml.SafeDumper):
        def ignore_aliases(self, data):
            return True

    header = ("# Merged by `tahaluf merge` from the respondents' own files. `disputes` lists the facts\n"
              "# they disagree on, left unknown here; settle them and write the agreed answer in.\n")
    return header + yaml.dump(merged, Dumper=_Plain, allow_unicode=True, sort_keys=False, width=100)
