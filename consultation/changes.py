"""Changed facts (``tahaluf evaluate --set PATH=VALUE``): an assignment read and written into a
document (reasoning layer, no I/O)."""

from __future__ import annotations

from typing import Any

from tahaluf.consultation.paths import document_of
from tahaluf.errors import InputError
from tahaluf.model import AllianceDocument
from tahaluf.schema_walker import annotation_at, format_path, parse_path, with_value

SET_SOURCE = "--set"


def parse_assignment(text: str) -> tuple[tuple, Any]:
    """'partners[0].sector=private' -> (('partners', 0, 'sector'), 'private'): the value is read as the
    loader reads a YAML value (a string, a [flow, list], empty for unknown); InputError otherwise."""
    from tahaluf.loader import load_yaml

    path_text, equals, value_text = text.partition("=")
    if not equals:
        raise InputError(SET_SOURCE, None, None, f"{text!r} is not PATH=VALUE (like partners[0].sector=private)")
    try:
        path = parse_path(path_text.strip())
    except ValueError as error:
        raise InputError(SET_SOURCE, None, None, str(error)) from None
    try:
        annotation_at(path)
    except KeyError:
        raise InputError(SET_SOURCE, None, path_text.strip(), "no such fact in the input format") from None
    value_text = value_text.strip()
    if not value_text:
        return path, None
    value, _ = load_yaml(value_text, f"{SET_SOURCE} {path_text.strip()}")
    return path, value


def with_changes(data: dict, assignments: list[str]) -> AllianceDocument:
    """The document with each PATH=VALUE written in (InputError naming the --set field when one does not fit)."""
    changed = data
    for text in assignments:
        path, value = parse_assignment(text)
        _check_indexes(changed, path)
        changed = with_value(changed, path, value)
    return document_of(changed, SET_SOURCE)


def _check_indexes(data: dict, path: tuple) -> None:
    """InputError when an index lies past the end of its list (index N of N items adds one)."""
    target: Any = data
    for depth, part in enumerate(path):
        if isinstance(part, int):
            items = target if isinstance(target, list) else []
            if part > len(items):
                shown = format_path(path[:depth])
                count = f"{len(items)} item{'' if len(items) == 1 else 's'}"
                raise InputError(SET_SOURCE, None, format_path(path[:depth + 1]),
                                 f"past the end: the list {shown} has {count}; "
                                 f"add one with --set {shown}[{len(items)}].FIELD=VALUE")
            target = items[part] if part < len(items) else None
        else:
            target = target.get(part) if isinstance(target, dict) else None
