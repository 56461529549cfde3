"""The product's languages, as data (knowledge/languages.yaml): code, name, direction and the language
a report quotes the guide in beside its own. Light on purpose (no pydantic): the CLI reads the codes
for its --lang choices before anything else is imported."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

_FILE = Path(__file__).parent / "knowledge" / "languages.yaml"
_DIRECTIONS = ("ltr", "rtl")


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # in the language itself
    direction: str  # "ltr" or "rtl"
    quotes_beside: str  # the language of the guide's words quoted beside the report's own
    # The Babel (CLDR) locale for plural rules, numbers and dates; the code itself when not given.
    locale: str = ""
    # The guide's items in this language are a working translation (the guide is in Arabic): reports say so.
    guide_is_translation: bool = False

    def __post_init__(self):
        if not self.locale:
            object.__setattr__(self, "locale", self.code)


@cache
def languages() -> dict[str, Language]:
    """The languages, in the file's order (the first is the default)."""
    with open(_FILE, encoding="utf-8") as handle:
        entries = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    found = {code: Language(code=code, **entry) for code, entry in entries.items()}
    for language in found.values():
        if language.direction not in _DIRECTIONS or language.quotes_beside not in found:
            raise ValueError(f"{_FILE.name}: {language.code}: a direction of {_DIRECTIONS} and a known quotes_beside")
    return found


def language_codes() -> tuple[str, ...]:
    return tuple(languages())


def default_language() -> str:
    return next(iter(languages()))


def direction(lang: str) -> str:
    """"rtl" or "ltr": how text in ``lang`` is written."""
    return languages()[lang].direction
