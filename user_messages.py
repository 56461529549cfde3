"""A message built from a trusted knowledge template and untrusted user values.

``str(message)`` is plain text (for JSON and Markdown). ``message.__html__()`` is
what Jinja's autoescape prints: the template's words escaped, each user value
escaped *and* isolated in ``<bdi>`` so a name cannot reorder the sentence around
it (Arabic text with Latin names, or a hostile name with bidi characters).
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

_FORMATTER = string.Formatter()


@dataclass(frozen=True)
class Message:
    parts: tuple[tuple[str, bool], ...]  # (text, is_user_value)

    def __str__(self) -> str:
        return "".join(text for text, _ in self.parts)

    def __html__(self) -> str:
        return Markup("").join(
            Markup("<bdi>{}</bdi>").format(text) if user else escape(text) for text, user in self.parts
        )

    def __bool__(self) -> bool:
        return bool(str(self))


def fill(template: str, values: dict[str, object]) -> Message:
    """Fill ``{name}`` fields of a knowledge template with user values (missing ones stay visible).

    A value that is itself a :class:`Message` is spliced in part by part, so its own
    trusted words stay trusted and its user values stay isolated one by one.
    """
    parts: list[tuple[str, bool]] = []
    for literal, field in _fields(template):
        if literal:
            parts.append((literal, False))
        if field is not None:
            value = values.get(field)
            if isinstance(value, Message):
                parts.extend(value.parts)
            else:
                parts.append((str(value), True) if value is not None else ("{" + field + "}", False))
    return Message(tuple(parts))


@lru_cache(maxsize=1024)
def _fields(template: str) -> tuple[tuple[str, str | None], ...]:
    """A template's (literal, field) pairs: parsed once (screening fills one per row)."""
    return tuple((literal, field) for literal, field, _spec, _conversion in _FORMATTER.parse(template))


def join(messages, separator: str) -> Message:
    """Messages one after the other, ``separator`` (trusted words) between them."""
    parts: list[tuple[str, bool]] = []
    for index, message in enumerate(messages):
        if index and separator:
            parts.append((separator, False))
        parts.extend(message.parts)
    return Message(tuple(parts))

