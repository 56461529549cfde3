"""The columns of a candidates file: derived from the model, so a new fact is a new column
without touching this package; and the whole-file checks on a file's header.
"""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel

from tahaluf.errors import InputError
from tahaluf.model import Concession, GovernmentTerms, Partner, PrivateTerms
from tahaluf.screening.readers import CandidateReader

# TEXT and LIST (of texts) are free text, reduced in the profile; VALUE and CHOICES (a list of
# choices or goals, ";"-separated in a cell like LIST) are read by the rules and kept whole.
TEXT, LIST, VALUE, CHOICES = "text", "list", "value", "choices"
FREE_TEXT = (TEXT, LIST)


def _kind(annotation: Any) -> str:
    origin = typing.get_origin(annotation)
    if origin is typing.Literal:
        return VALUE
    if origin is typing.Annotated:
        return _kind(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        kinds = {_kind(arg) for arg in typing.get_args(annotation) if arg is not type(None)}
        return kinds.pop() if len(kinds) == 1 else VALUE
    if origin in (list, tuple):
        # A list of free texts is reduced in the profile; a list of choices or of goals is
        # read by the rules (PR03: endorsement; PR01: a goal's measure), so it is a value.
        (item,) = typing.get_args(annotation)[:1] or (str,)
        return LIST if _kind(item) == TEXT else CHOICES
    if annotation is str:
        return TEXT
    return VALUE


def field_kinds(model: type[BaseModel], skip: tuple = ()) -> tuple[tuple[str, str], ...]:
    return tuple((name, _kind(info.annotation)) for name, info in model.model_fields.items() if name not in skip)


PARTNER_FIELDS = field_kinds(Partner, skip=("name", "government", "private"))
SECTIONS: dict[str, type[BaseModel]] = {"government": GovernmentTerms, "private": PrivateTerms}
SECTION_FIELDS = {section: field_kinds(model) for section, model in SECTIONS.items()}
CONCESSION_FIELDS = field_kinds(Concession)

# column name -> (section, field, kind); section "" is the partner itself.
COLUMNS: dict[str, tuple[str, str, str]] = {"name": ("", "name", TEXT)}
COLUMNS.update({name: ("", name, kind) for name, kind in PARTNER_FIELDS})
for _section, _section_fields in SECTION_FIELDS.items():
    COLUMNS.update({f"{_section}.{name}": (_section, name, kind) for name, kind in _section_fields})
COLUMNS.update({f"concession.{name}": ("concession", name, kind) for name, kind in CONCESSION_FIELDS})
TEXT_COLUMNS = tuple(column for column, (_, _, kind) in COLUMNS.items() if kind in FREE_TEXT)


def check_columns(reader: CandidateReader) -> bool:
    """Whole-file checks on the header (before any row): unknown, repeated or missing columns.

    Returns whether the file has concession columns at all (if not, the concession is unknown).
    """
    import difflib

    seen: dict[str, int | None] = {}
    for name, line in reader.columns:
        if name in seen:
            raise InputError(reader.name, line, name, "the column is given twice")
        seen[name] = line
        if name not in COLUMNS:
            close = difflib.get_close_matches(name, list(COLUMNS), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            raise InputError(reader.name, line, name,
                             f"unknown column{hint}; known columns: {', '.join(COLUMNS)}")
    if "name" not in seen:
        unreadable = getattr(reader, "unreadable", None)
        if unreadable is not None:  # no row could even be read: say why, not that a column is missing
            line, reason = unreadable
            raise InputError(reader.name, line, reason.field or None, f"no line is a candidate: {reason.problem}")
        raise InputError(reader.name, 1, "name", "required column is missing")
    return any(name.startswith("concession.") for name in seen)
