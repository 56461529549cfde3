"""Whether a fact path ("partners[0].private.timeline_agreed") names a fact of the input model.

Input layer, no I/O: the loader's check of an evidence entry's ``fact`` (issue 25). The root model is
passed in, so this module imports no model (model.py imports it)."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


def _inner(annotation: Any) -> Any:
    """Optional, Annotated and list undone one level at a time: (the item type, whether it was a list)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
            if len(args) != 1 and not models:
                return annotation
            annotation = models[0] if models else args[0]
        else:
            return annotation


def _step(current: Any, name: str) -> tuple[Any, list[str]]:
    """The type of field ``name`` under ``current`` (None when there is none) and the names offered there."""
    current = _inner(current)
    if typing.get_origin(current) is dict:
        keys = list(typing.get_args(_inner(typing.get_args(current)[0])))
        return (_inner(typing.get_args(current)[1]) if name in keys else None), [str(k) for k in keys]
    if isinstance(current, type) and issubclass(current, BaseModel):
        fields = current.model_fields
        return (fields[name].annotation if name in fields else None), list(fields)
    return None, []


def fact_path_problem(text: str, root: type[BaseModel]) -> str | None:
    """None when ``text`` names a fact of ``root``; else what is wrong, with "did you mean" when a
    field close to the misspelt one exists at that place."""
    parts = text.split(".") if text else []
    if not parts or not all(_PART.fullmatch(part) for part in parts):
        return f"'{text}' is not a fact path (like partners[0].sector)"
    current: Any = root
    done: list[str] = []
    for part in parts:
        match = _PART.fullmatch(part)
        assert match is not None  # checked above
        name, indexes = match.groups()
        found, offered = _step(current, name)
        if found is None:
            close = difflib.get_close_matches(name, offered, n=1)
            where = ".".join(done) or "the file"
            hint = f"; did you mean '{'.'.join([*done, close[0]])}'?" if close else ""
            return f"'{text}' names no fact: {where} has no '{name}'{hint}"
        for _ in range(indexes.count("[")):
            found = _inner(found)
            if typing.get_origin(found) is not list:
                return f"'{text}' names no fact: '{name}' is not a list"
            found = typing.get_args(found)[0]
        current = found
        done.append(part)
    return None
