"""Fact paths and the input model's types: the grammar of a path (``partners[0].sector``), reading and
writing a value at one, and the kind of question a field's type asks (reasoning layer, no I/O)."""

from __future__ import annotations

import copy
import datetime as _dt
import re
import types
import typing
from typing import Any

from pydantic import BaseModel

from tahaluf import model
from tahaluf.loader import SourceMap, validate
from tahaluf.model import AllianceDocument

KINDS = ("bool", "choice", "choices", "text", "texts", "goals", "date", "number", "person", "items")
_PART = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]")


def parse_path(text: str) -> tuple:
    """'partners[0].sector' -> ('partners', 0, 'sector'); ValueError when it is not a path."""
    parts: list[str | int] = []
    position = 0
    for match in _PART.finditer(text):
        if match.start() != position + (1 if parts and text[match.start() - 1: match.start()] == "." else 0):
            raise ValueError(f"{text!r} is not a fact path (like partners[0].sector)")
        name, index = match.groups()
        parts.append(name if name is not None else (index if index == "*" else int(index)))
        position = match.end()
    if not parts or position != len(text) or not isinstance(parts[0], str):
        raise ValueError(f"{text!r} is not a fact path (like partners[0].sector)")
    return tuple(parts)


def _unwrap(annotation):
    """Optional and Annotated undone: the type itself (a union with Literal[False] stays)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def annotation_at(path: tuple) -> Any:
    """The input model's type at ``path`` (KeyError when the model has no such field)."""
    current: Any = AllianceDocument
    for part in path:
        current = _unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) or part == "*":
            if origin is not list:
                raise KeyError(part)
            current = typing.get_args(current)[0]
        elif origin is dict:
            keys, current = typing.get_args(current)
            if part not in typing.get_args(_unwrap(keys)):
                raise KeyError(part)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            current = current.model_fields[part].annotation
        else:
            raise KeyError(part)
    return _unwrap(current)


def _safe_annotation(path: tuple) -> Any:
    try:
        return annotation_at(path)
    except KeyError:
        return None


def _is_model(annotation) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def kind_of(annotation) -> tuple[str, tuple[str, ...]]:
    """(kind, choices) of a field's type: how a question about it is asked and answered."""
    annotation = _unwrap(annotation)
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return "bool", ()
    if origin is typing.Literal:
        return "choice", tuple(typing.get_args(annotation))
    if origin in (typing.Union, types.UnionType):  # a name, or False for "nobody"
        return "person", ()
    if annotation is _dt.date:
        return "date", ()
    if annotation is int:
        return "number", ()
    if annotation is str:
        return "text", ()
    if origin is list:
        item = _unwrap(typing.get_args(annotation)[0])
        if typing.get_origin(item) is typing.Literal:
            return "choices", tuple(typing.get_args(item))
        if item is str:
            return "texts", ()
        if item is model.Goal:
            return "goals", ()
        return "items", ()
    if _is_model(annotation):
        return "section", ()
    return "text", ()


def _leaf_paths(path: tuple, annotation) -> list[tuple]:
    """A section asked about as a whole becomes its own fields, required ones first."""
    fields = annotation.model_fields
    ordered = sorted(fields, key=lambda name: not fields[name].is_required())
    return [path + (name,) for name in ordered]


def value_at(data: Any, path: tuple) -> Any:
    current = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(current, list) or part >= len(current):
                return None
            current = current[part]
        else:
            if not isinstance(current, dict):
                return None
            current = current.get(part)
    return current


def with_answer(data: dict, path: tuple, value: Any) -> dict:
    """A copy of ``data`` with ``value`` at ``path`` (sections made on the way; None removes the fact)."""
    result = copy.deepcopy(data)
    target: Any = result  # a section (dict) or a list of items, by turns
    for depth, part in enumerate(path[:-1]):
        following = path[depth + 1]
        if isinstance(part, int):
            if part == len(target):  # one past the end adds an item
                target.append([] if isinstance(following, int) else {})
            if isinstance(target[part], str) and not isinstance(following, int):
                target[part] = {"goal": target[part]}  # a goal written as its sentence gets a date or measure
            target = target[part]
            continue
        if not isinstance(target.get(part), (dict, list)):
            target[part] = [] if isinstance(following, int) else {}
        target = target[part]
    last = path[-1]
    if isinstance(last, int):
        if last == len(target):
            target.append(None)
        target[last] = value
    elif value is None:
        target.pop(last, None)
    else:
        target[last] = copy.deepcopy(value)
    return result


def as_data(document: AllianceDocument | dict) -> dict:
    """Plain data as a loaded file gives it: unknown facts left out."""
    if isinstance(document, dict):
        return copy.deepcopy(document)
    return document.model_dump(mode="json", exclude_none=True)


def document_of(data: dict, name: str = "<answers>", source: SourceMap | None = None) -> AllianceDocument:
    """Validate plain data (InputError naming the field when an answer does not fit)."""
    return validate(AllianceDocument, data, source or SourceMap(), name)
