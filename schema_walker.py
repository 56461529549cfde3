"""The input model walked in one place: what a fact path (``partners[0].private.goals``) is.

For a path: its type with Optional/Annotated undone (:func:`annotation_at`), the kind of answer
it takes and its choices (:func:`kind_of`), its length limit (:func:`max_length`), its fields
(:func:`field_paths`, :func:`leaf_paths`) and its wording key in knowledge/fields.yaml
(:func:`wording_key`); the path's grammar (:func:`parse_path` ⇄ :func:`format_path`); and the
one reader (:func:`value_at`) and the one writer (:func:`write`, :func:`with_value`) of a value at
a path in plain data. Input layer: no I/O. Everything that asks "what is this field?" asks here.

``model`` is imported as a module, not by name: model.py imports answers.py, which asks here, so
the model's classes are read when a function runs, never while the modules load.
"""

from __future__ import annotations

import copy
import datetime as _dt
import enum
import re
import types
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from pydantic import BaseModel

from tahaluf import model as _model

# How a question about a field is asked and answered. "section" is a model asked field by field;
# "mapping" a fixed set of keys to texts (alliance.motive_evidence); "lines_or_text" one text or several.
KINDS = ("bool", "choice", "choices", "text", "texts", "goals", "date", "number", "person", "items",
         "section", "mapping", "lines_or_text")
_PART = re.compile(r"([^.\[\]]+)|\[(\d+|\*)\]")
_UNION = (typing.Union, types.UnionType)


# The path's grammar ---------------------------------------------------------------------------------


def parse_path(text: str) -> tuple:
    """'partners[0].sector' -> ('partners', 0, 'sector'), '[*]' as '*' (every item); ValueError if no path."""
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


def format_path(path: tuple) -> str:
    """('partners', 0, 'sector') -> 'partners[0].sector', as findings name input paths."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def wording_key(path: tuple) -> str:
    """The path's entry in knowledge/fields.yaml: a list's items as ``[]`` (partners[].sector)."""
    text = ""
    for part in path:
        text += "[]" if isinstance(part, int) or part == "*" else (f".{part}" if text else str(part))
    return text


# Types ----------------------------------------------------------------------------------------------


def alternatives(annotation: Any) -> Iterator[Any]:
    """Every alternative of an annotation, through Annotated and unions (None's type included)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        yield from alternatives(typing.get_args(annotation)[0])
    elif origin in _UNION:
        for arg in typing.get_args(annotation):
            yield from alternatives(arg)
    else:
        yield annotation


def unwrap(annotation: Any) -> Any:
    """Optional and Annotated undone: the type itself (a union of two types, Literal[False] with a name, stays)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in _UNION:
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def accepts_none(annotation: Any) -> bool:
    """Whether the field may be left unknown (None is one of its alternatives)."""
    return any(a is type(None) for a in alternatives(annotation))


def is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def item_of(annotation: Any) -> Any:
    """A list's item type, unwrapped (None when ``annotation`` is no list)."""
    bare = unwrap(annotation)
    return unwrap(typing.get_args(bare)[0]) if typing.get_origin(bare) is list else None


def mapping_keys(annotation: Any) -> tuple:
    """The fixed keys of a mapping keyed by a Literal (alliance.motive_evidence), else ()."""
    bare = unwrap(annotation)
    if typing.get_origin(bare) is not dict:
        return ()
    return _literal_values(unwrap(typing.get_args(bare)[0]))


def _literal_values(annotation: Any) -> tuple:
    if typing.get_origin(annotation) is typing.Literal:
        return tuple(typing.get_args(annotation))
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return tuple(member.value for member in annotation)
    return ()


def annotation_at(path: tuple, root: Any = None) -> Any:
    """The model's type at ``path``, unwrapped (KeyError when the model has no such field).
    ``root``: the model the path starts from (default: the alliance file's)."""
    # A list's items share one type: the shape alone is looked up (a what-if asks thousands of paths).
    return _annotation_at(tuple("*" if isinstance(part, int) else part for part in path),
                          _model.AllianceDocument if root is None else root)


@lru_cache(maxsize=4096)
def _annotation_at(path: tuple, root: Any) -> Any:
    current: Any = root
    for part in path:
        current = unwrap(current)
        origin = typing.get_origin(current)
        if isinstance(part, int) or part == "*":
            if origin is not list:
                raise KeyError(part)
            current = typing.get_args(current)[0]
        elif origin is dict:
            keys, current = typing.get_args(current)
            if part not in _literal_values(unwrap(keys)):
                raise KeyError(part)
        elif is_model(current):
            if part not in current.model_fields:
                raise KeyError(part)
            current = current.model_fields[part].annotation
        else:
            raise KeyError(part)
    return unwrap(current)


def annotation_or_none(path: tuple, root: Any = None) -> Any:
    """:func:`annotation_at`, or None when the model has no such field."""
    try:
        return annotation_at(path, root)
    except KeyError:
        return None


def field_names(path: tuple, root: Any = None) -> list[str]:
    """The field names of the section a value at ``path`` is (list indexes skipped), or [] (a plain
    field, or no such path): what a misspelt key is compared with."""
    current: Any = _model.AllianceDocument if root is None else root
    for part in path:
        if isinstance(part, int):
            continue
        if not is_model(current) or part not in current.model_fields:
            return []
        current = _model_in(current.model_fields[part].annotation)
    return list(fields_of(current)) if is_model(current) else []


def _model_in(annotation: Any) -> Any:
    """The model an annotation holds, through Optional, Annotated and lists."""
    for alternative in alternatives(annotation):
        if is_model(alternative):
            return alternative
        item = item_of(alternative)
        if item is not None and is_model(item):
            return item
    return None


def kind_of(annotation: Any) -> tuple[str, tuple]:
    """(kind, choices) of a field's type: how a question about it is asked and answered (see KINDS)."""
    annotation = unwrap(annotation)
    origin = typing.get_origin(annotation)
    if annotation is bool:
        return "bool", ()
    if _literal_values(annotation):
        return "choice", _literal_values(annotation)
    if origin in _UNION:  # a name, or False for "nobody"; or a text, or several
        either = [unwrap(a) for a in typing.get_args(annotation)]
        return ("lines_or_text" if any(typing.get_origin(a) is list for a in either) else "person"), ()
    if annotation is _dt.date:
        return "date", ()
    if annotation is int:
        return "number", ()
    if annotation is str:
        return "text", ()
    if origin is list:
        item = item_of(annotation)
        if _literal_values(item):
            return "choices", _literal_values(item)
        if item is str:
            return "texts", ()
        if item is _model.Goal:
            return "goals", ()
        return "items", ()
    if origin is dict:
        return "mapping", mapping_keys(annotation)
    if is_model(annotation):
        return "section", ()
    return "text", ()


def max_length(annotation: Any) -> int | None:
    """The first max_length constraint on a type, outside in (a text's characters, a list's items)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        for meta in annotation.__metadata__:
            found = getattr(meta, "max_length", None)
            for inner in getattr(meta, "metadata", ()):
                found = found or getattr(inner, "max_length", None)
            if isinstance(found, int):
                return found
        return max_length(typing.get_args(annotation)[0])
    if origin in _UNION:
        for arg in typing.get_args(annotation):
            found = max_length(arg)
            if found is not None:
                return found
    return None


@dataclass(frozen=True)
class Field:
    """One field of a model, as every reader of the model needs it."""

    name: str
    annotation: Any  # as declared
    kind: str  # one of KINDS
    choices: tuple  # a choice's values (a list of choices': its items' values; a mapping's: its keys)
    max_length: int | None  # characters of a text, items of a list
    required: bool

    @property
    def bare(self) -> Any:
        return unwrap(self.annotation)


@cache
def fields_of(model: type[BaseModel]) -> dict[str, Field]:
    """The fields of a model by name, in its order (shared: not to be changed)."""
    found = {}
    for name, info in model.model_fields.items():
        # pydantic keeps an outermost Annotated's constraints on the field itself, not in its annotation.
        own = next((meta.max_length for meta in info.metadata if isinstance(getattr(meta, "max_length", None), int)),
                   None)
        kind, choices = kind_of(info.annotation)
        found[name] = Field(name, info.annotation, kind, choices, own or max_length(info.annotation),
                            info.is_required())
    return found


def models(root: Any = None) -> Iterator[type[BaseModel]]:
    """Every model the file's format holds, ``root`` first, each once (depth first, in field order)."""
    seen: set[type] = set()
    pending = [_model.AllianceDocument if root is None else root]
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        yield model
        inner = [_model_in(field.annotation) for field in fields_of(model).values()]
        pending += reversed([found for found in inner if found is not None])


def field_paths(path: tuple, annotation: Any = None) -> list[tuple]:
    """A section's own fields as paths, required ones first (a section asked about as a whole)."""
    section = unwrap(annotation) if annotation is not None else annotation_at(path)
    fields = fields_of(section).values()
    return [path + (field.name,) for field in sorted(fields, key=lambda field: not field.required)]


def leaf_paths(root: Any = None, path: tuple = (), index: int | str = 0) -> Iterator[tuple]:
    """Every answerable field under ``root``, in the model's order: a list's items at ``index``
    (0, or "*" for every item), a mapping's fixed keys one by one."""
    model = _model.AllianceDocument if root is None else root
    for field in fields_of(model).values():
        here = path + (field.name,)
        item = item_of(field.annotation)
        if field.kind == "section":
            yield from leaf_paths(field.bare, here, index)
        elif item is not None and is_model(item):
            yield from leaf_paths(item, here + (index,), index)
        elif field.kind == "mapping":
            yield from (here + (key,) for key in field.choices)
        else:
            yield here


# Values at a path in plain data ---------------------------------------------------------------------

REMOVED = object()  # written by :func:`write`: the key or the list's item is taken out


def value_at(data: Any, path: tuple) -> Any:
    """The value at ``path`` in plain data (dicts and lists), None when any step is missing."""
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


def write(data: Any, path: tuple, value: Any, *, section: Callable[[], Any] = dict, items: Callable[[], Any] = list,
          node: Callable[[Any], Any] = copy.deepcopy, none_removes: bool = True) -> None:
    """Write ``value`` at ``path`` in ``data``, in place: sections and lists are made on the way (an
    empty one is filled where it stands), and a list grows to reach an index. ``value`` REMOVED
    takes the key or the item out; None removes the key (``none_removes``) or makes it null where
    it is given (a round-trip file keeps the key and its comment). ``section``, ``items`` and
    ``node`` make the containers and copy the value (ruamel's, for a file written round-trip)."""
    target: Any = data  # a section or a list of items, by turns
    for depth, part in enumerate(path[:-1]):
        made = items if isinstance(path[depth + 1], int) else section
        if isinstance(part, int):
            while len(target) <= part:
                target.append(made())
            if isinstance(target[part], str) and made is section:
                # a goal written as its sentence that gets a date or a measure: {goal: sentence, ...}
                sentence, target[part] = target[part], section()
                target[part]["goal"] = sentence
            if not isinstance(target[part], (dict, list)):
                target[part] = made()
        elif not isinstance(target.get(part), (dict, list)):
            target[part] = made()
        target = target[part]
    last = path[-1]
    if value is REMOVED:
        del target[last]
    elif isinstance(last, int):
        while len(target) <= last:
            target.append(section())
        target[last] = node(value)
    elif value is None:
        if none_removes:
            target.pop(last, None)
        elif last in target:
            target[last] = None
    else:
        target[last] = node(value)


def with_value(data: dict, path: tuple, value: Any) -> dict:
    """A copy of ``data`` with ``value`` at ``path`` (sections made on the way; None removes the fact)."""
    result = copy.deepcopy(data)
    write(result, path, value)
    return result
