"""Whether a fact path ("partners[0].private.timeline_agreed") names a fact of the input model.

Input layer, no I/O: the loader's check of an evidence entry's ``fact`` (issue 25). The root model is
passed in (model.py imports this module); the fields are the schema walker's."""

from __future__ import annotations

import difflib
import re

from pydantic import BaseModel

_PART = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)((?:\[\d+\])*)")


def fact_path_problem(text: str, root: type[BaseModel]) -> str | None:
    """None when ``text`` names a fact of ``root``; else what is wrong, with "did you mean" when a
    field close to the misspelt one exists at that place."""
    # Imported here: the walker reads model.py, which imports this module.
    from tahaluf.schema_walker import annotation_or_none, fields_of, is_model, item_of, mapping_keys

    parts = text.split(".") if text else []
    if not parts or not all(_PART.fullmatch(part) for part in parts):
        return f"'{text}' is not a fact path (like partners[0].sector)"
    path: tuple = ()
    for part in parts:
        match = _PART.fullmatch(part)
        assert match is not None  # checked above
        name, indexes = match.groups()
        here = annotation_or_none(path, root)
        if annotation_or_none(path + (name,), root) is None:
            offered = [str(key) for key in mapping_keys(here)] or (list(fields_of(here)) if is_model(here) else [])
            close = difflib.get_close_matches(name, offered, n=1)
            done = ".".join(parts[:len([p for p in path if isinstance(p, str)])])
            where = done or "the file"
            hint = f"; did you mean '{'.'.join([*filter(None, [done]), close[0]])}'?" if close else ""
            return f"'{text}' names no fact: {where} has no '{name}'{hint}"
        path += (name,)
        for _ in range(indexes.count("[")):
            if item_of(annotation_or_none(path, root)) is None:
                return f"'{text}' names no fact: '{name}' is not a list"
            path += (0,)
    return None
