"""Judging a policy condition over the facts, three-valued (reasoning layer, no I/O).

A test over an unknown fact is unknown, never false: ``all`` is false once any part is false, true
once every part is true, else unknown; ``any`` the other way round; ``not`` keeps unknown unknown.
``unknown: true`` is the one test that is always known: whether the fact is left out.
A path through a list other than the partner being judged (``concessions[*].what``) holds when it
holds for some item: true if any item makes it true, false if every item makes it false, unknown
otherwise (and unknown when the list itself is unknown).
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from typing import Any

from tahaluf.policy.model import Condition, Leaf

_PART = re.compile(r"([^.\[\]]+)|\[\*\]")
Cited = list[tuple[str, Any]]


def _parts(fact: str) -> list[str]:
    return [match.group(1) or "*" for match in _PART.finditer(fact)]


def _values(view: Mapping, fact: str, partner: int | None) -> list[tuple[str, Any, Mapping]]:
    """(concrete path, value, the mapping holding it) for each item the path reaches."""
    reached: list[tuple[str, Any, Mapping]] = [("", view, view)]
    parts = _parts(fact)
    for position, part in enumerate(parts):
        following: list[tuple[str, Any, Mapping]] = []
        for path, value, holder in reached:
            if part == "*":
                if partner is not None and path == "partners":
                    following.append((f"{path}[{partner}]", value[partner] if value else None, holder))
                elif value is None:
                    return [(path, None, holder)]  # the list is unknown: so is every fact under it
                else:
                    following += [(f"{path}[{i}]", item, item) for i, item in enumerate(value)]
            else:
                child = value.get(part) if isinstance(value, Mapping) else None
                following.append((f"{path}.{part}" if path else part, child, value if isinstance(value, Mapping)
                                  else holder))
        reached = following
        if not reached and position < len(parts) - 1:
            break
    return reached


def _compare(value: Any, leaf: Leaf, holder: Mapping, view: Mapping, answerable: bool = False) -> bool | None:
    if leaf.op == "unknown":
        # ``answerable``: whether it is unknown now is known, but an answer would change it.
        return None if answerable and value is None else (value is None) == leaf.value
    if value is None:
        return None
    if leaf.op in ("greater_than", "less_than"):
        if leaf.currency is not None:
            currency = holder.get("currency") or (view.get("organisation") or {}).get("currency")
            if currency != leaf.currency:
                return None  # another currency (or none said): never converted, so not known
        limit = leaf.value
        if isinstance(value, _dt.date) and isinstance(limit, int):
            limit = _dt.date(limit, 1, 1)
        return value > limit if leaf.op == "greater_than" else value < limit
    items = list(value) if isinstance(value, (list, tuple)) else None
    wanted = leaf.value if isinstance(leaf.value, tuple) else (leaf.value,)
    if leaf.op == "equals":
        return set(items) == set(wanted) if items is not None else value in wanted
    if leaf.op == "in":
        return any(item in wanted for item in items) if items is not None else value in wanted
    # contains: a list holds one of the values; a text holds one of them, whatever the case
    if items is not None:
        return any(item in items for item in wanted)
    return any(str(one).casefold() in str(value).casefold() for one in wanted)


def judge(condition: Condition, view: Mapping, partner: int | None = None,
          answerable: bool = False) -> tuple[bool | None, Cited]:
    """(True / False / None for unknown, the facts read with their values). ``answerable``: judge
    ``unknown:`` tests over unknown facts as unknown, for whether any answer could change the result."""
    if isinstance(condition, Leaf):
        results, cited = [], []
        for path, value, holder in _values(view, condition.fact, partner):
            results.append(_compare(value, condition, holder, view, answerable))
            cited.append((path, value))
        if not results:  # an empty list: nothing to hold for
            return False, cited
        return _any(results), cited
    judged = [judge(part, view, partner, answerable) for part in condition.parts]
    cited = [item for _, facts in judged for item in facts]
    values = [value for value, _ in judged]
    if condition.op == "not":
        return (None if values[0] is None else not values[0]), cited
    return (_all(values) if condition.op == "all" else _any(values)), cited


def _all(values: list[bool | None]) -> bool | None:
    if False in values:
        return False
    return None if None in values else True


def _any(values: list[bool | None]) -> bool | None:
    if True in values:
        return True
    return None if None in values else False
