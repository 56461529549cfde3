"""The values a fact may hold, cleaned at the door: user text without bidi or control characters, a
name, a person or a known "nobody", a day (a month reads as its first day). Input layer: model.py
builds the alliance file's sections from them."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from tahaluf import limits

# Bidi embeddings/overrides/isolates and marks (Trojan Source), plus C0/C1 controls
# other than tab and newline: stripped from every piece of user text at the door.
_UNSAFE_CHARS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    return _UNSAFE_CHARS.sub("", value).strip()


def clean_name(value: str) -> str:
    """A name made only of control or bidi characters (or spaces) is no name."""
    value = clean_text(value)
    if not value:
        raise ValueError("is empty once control and bidi characters are removed")
    return value


Text = Annotated[str, StringConstraints(max_length=limits.TEXT_MAX_CHARS), AfterValidator(clean_text)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=limits.NAME_MAX_CHARS), AfterValidator(clean_name)]
TextList = Annotated[list[Text], Field(max_length=limits.LIST_MAX_ITEMS)]

def nobody_words() -> frozenset[str]:
    """"Known none" where the guide cares about absence: the keyword `nobody` (or `none`, `لا أحد`, in
    knowledge/typed_words.yaml) says there is no such person; leaving the field out says it is unknown."""
    from tahaluf.knowledge import typed_words

    return typed_words("nobody")


def _nobody_to_false(value):
    if isinstance(value, str) and value.strip().casefold() in nobody_words():
        return False
    return value


PersonOrNobody = Annotated[Name | Literal[False], BeforeValidator(_nobody_to_false)]


def _month_to_date(value):
    """Accept 2027-01 as well as 2027-01-15: a month reads as its first day."""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        return value.strip() + "-01"
    return value


Day = Annotated[_dt.date, BeforeValidator(_month_to_date)]
