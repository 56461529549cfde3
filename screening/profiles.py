"""Profiles: what the rules read of a row (its key), the stand-in models judged in its place,
and the markers that put a row's own text back into its reason.
"""

from __future__ import annotations

import operator
import re
from typing import Any, cast

from pydantic import BaseModel

from tahaluf.model import Concession, Partner
from tahaluf.screening.columns import CHOICES, FREE_TEXT, LIST, SECTIONS, field_kinds
from tahaluf.screening.rows import Candidate, Waiting

MARK = "\x00"  # prefix of the stand-ins for free text (clean_text strips NUL from every user text)


class _Shape:
    """How one model enters the profile key: its plain values as they are, its texts reduced."""

    def __init__(self, model: type[BaseModel], skip: tuple = (), prefix: str = ""):
        fields = field_kinds(model, skip)
        self.model, self.prefix = model, prefix
        self.values = tuple(name for name, kind in fields if kind not in FREE_TEXT)
        self.texts = tuple((name, kind) for name, kind in fields if kind in FREE_TEXT)
        getter = operator.attrgetter(*self.values) if self.values else (lambda _: ())
        get = (lambda obj: (getter(obj),)) if len(self.values) == 1 else getter
        # Lists of values (choices, goals) enter the key as tuples: the key must be hashable.
        lists = {name for name, kind in fields if kind == CHOICES}
        if lists & set(self.values):
            self.get_values = lambda obj: tuple(tuple(v) if isinstance(v, list) else v for v in get(obj))
        else:
            self.get_values = get  # nothing to convert (most shapes): no per-value loop

    def names(self) -> tuple[str, ...]:
        """The fields in the order the key holds them: the values, then the texts."""
        return (*self.values, *(name for name, _ in self.texts))

    def key(self, obj: BaseModel | None) -> tuple | None:
        """(values, texts): a text counts as 1 when there, 0 when empty; a list of texts by its length.

        That is all a rule can tell of a text without reading it: the rules read only
        whether a contribution, a benefit or strengths are given.
        """
        if obj is None:
            return None
        texts = []
        for name, kind in self.texts:
            value = getattr(obj, name)
            texts.append(value if value is None else (len(value) if kind == LIST else (1 if value else 0)))
        return self.get_values(obj), tuple(texts)

    def stand_in(self, key: tuple | None, **extra) -> BaseModel | None:
        """A model with this key's values and a marker for each text (constructed: the key came validated)."""
        if key is None:
            return None
        values, texts = key
        fields: dict[str, Any] = {name: list(value) if isinstance(value, tuple) else value
                                  for name, value in zip(self.values, values)}
        for (name, kind), value in zip(self.texts, texts):
            marker = MARK + self.prefix + name
            fields[name] = value if value is None else ([marker] * value if kind == LIST else (marker if value else ""))
        fields.update(extra)
        return self.model.model_construct(**fields)


PARTNER_SHAPE = _Shape(Partner, skip=("name", *SECTIONS))
SECTION_SHAPES = {section: _Shape(model, prefix=f"{section}.") for section, model in SECTIONS.items()}
CONCESSION_SHAPE = _Shape(Concession, prefix="concession.")


def profile_key(partner: Partner, concession: Concession | None, state: int | None) -> tuple:
    """The values the rules read, in a fixed order: equal keys mean equal findings (bar the texts).

    The name and the content of free texts are left out; ``state`` says whether the
    concession is unknown (None), none was asked (0) or one was (1).
    """
    return (PARTNER_SHAPE.key(partner),
            *(shape.key(getattr(partner, section)) for section, shape in SECTION_SHAPES.items()),
            state, CONCESSION_SHAPE.key(concession))


def models_from_key(key: tuple) -> tuple[Partner, list[Concession] | None]:
    """The profile as models, each text replaced by its marker."""
    partner_key, *section_keys, state, concession_key = key
    sections = {section: shape.stand_in(section_key)
                for (section, shape), section_key in zip(SECTION_SHAPES.items(), section_keys)}
    partner = PARTNER_SHAPE.stand_in(partner_key, name=MARK + "name", **sections)
    concessions = None if state is None else ([CONCESSION_SHAPE.stand_in(concession_key)] if state else [])
    # stand_in builds its shape's model: a Partner and Concessions here.
    return cast(Partner, partner), cast("list[Concession] | None", concessions)


_MARKER = re.compile(re.escape(MARK) + r"([a-z_.]+)")


def resolve_markers(value: Any, candidate: Candidate | Waiting) -> Any:
    """A marker left by the profile (see models_from_key) becomes the row's own text."""
    if isinstance(value, str):
        if value.startswith(MARK) and _MARKER.fullmatch(value):
            return candidate.text(value[len(MARK):])
        if MARK in value:  # a rule that quoted a text inside a longer one
            return _MARKER.sub(lambda match: str(candidate.text(match.group(1)) or ""), value)
        return value
    if isinstance(value, (list, tuple)):
        return [resolve_markers(item, candidate) for item in value]
    return value
