"""Answers in any language: نعم / لا / لا أعرف, oui / non and every fixed choice, read as the English
value the model names.

The lexicon is data (``knowledge/answers.yaml``: the Arabic forms, and a block per other language
that has answer words). ``model.Strict`` calls :func:`to_english`
before pydantic validates any model, so every way in — the YAML loader, batch screening,
a document built in Python — accepts the same answers. A field takes Arabic answers when
its annotation admits a bool or ``Literal`` values (or a list of them, or a mapping keyed by
them) and no free text (a name stays as written); "don't know" becomes ``None`` (unknown,
as if left out) where the field may be unknown. Every string of such a field is looked up (ASCII
too: "oui" is an answer), and each field remembers the answers it has read.
"""

from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

# Harakat, Quranic marks, tatweel, and invisible marks (zero-width, bidi) that a copied
# answer may carry.
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640"
                    "\u200b-\u200f\u202a-\u202e\u2066-\u2069\u061c\ufeff]")
# Letters written several ways: hamza seated on alef (→ bare alef), on waw or ya (→ bare hamza:
# مسؤول = مسئول); alef maqsura; ta marbuta; the Persian keyboard's ya and kaf.
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "ء", "ئ": "ء", "ى": "ي", "ة": "ه",
                          "ی": "ي", "ک": "ك"})
_EDGE = " \t.,،؛;:!?؟\"'«»()[]-–—"
_ARTICLE = "ال"
YES_NO = {"yes": True, "no": False, "unknown": None}
_MISSING = object()
_SEEN_LIMIT = 1024  # raw answers remembered per field
LONGEST_ANSWER = 100  # characters; the lexicon's longest form is far shorter
_ENGLISH: dict[bool | str, tuple[str, ...]] = {True: ("yes", "true"), False: ("no", "false")}


_LATIN_END = "\u0370"  # Latin letters and their combining accents come before Greek


def _without_accents(text: str) -> str:
    """Latin letters without their accents (é → e, Ç → c); other scripts as they are."""
    if text.isascii():
        return text
    return "".join(char if char >= _LATIN_END else
                   "".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c))
                   for char in text)


def normalise(text: str) -> str:
    """One spelling for the variants a director may type (see knowledge/answers.yaml)."""
    text = _MARKS.sub("", _without_accents(unicodedata.normalize("NFKC", text).casefold())).translate(_LETTERS)
    words = text.strip(_EDGE).split()
    return " ".join(w[len(_ARTICLE):] if len(w) >= 4 and w.startswith(_ARTICLE) else w for w in words)


@dataclass(frozen=True)
class Lexicon:
    yes_no: dict[str, bool | None]  # normalised form -> True / False / None (don't know)
    choices: dict[str, str]         # normalised form -> English value
    shown: dict[str, dict[Any, str]]  # language -> English value (or True / False / None) -> the form to show first
    spelling: dict[str, str]        # normalised form -> as the lexicon writes it


@cache
def lexicon() -> Lexicon:
    """knowledge/answers.yaml, read once."""
    import yaml

    from tahaluf.knowledge import HERE

    with open(HERE / "answers.yaml", encoding="utf-8") as handle:  # trusted package data
        return build_lexicon(yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))


ARABIC = "ar"  # the language of the file's top-level yes_no and choices (the guide's; answers.yaml)


def build_lexicon(data: dict) -> Lexicon:
    """The lexicon from its data, checked: a normalised form stands for one value only, whatever its
    language (an answer is read without knowing its language), and no form is another value's English.
    ``data``: the Arabic forms as ``yes_no`` and ``choices``; another language's under its code."""
    owner: dict[str, tuple] = {}
    yes_no: dict[str, bool | None] = {}
    choices: dict[str, str] = {}
    shown: dict[str, dict[Any, str]] = {}
    spelling: dict[str, str] = {}
    blocks = [(ARABIC, data, "")] + [(lang, block, f"{lang}.") for lang, block in data.items()
                                     if lang not in ("yes_no", "choices")]
    english = {value for _, block, _ in blocks for values in (block.get("choices") or {}).values() for value in values}

    def add(lang: str, forms: list[str], value: Any, into: dict, where: str) -> None:
        if not forms:
            raise ValueError(f"answers.yaml: {where} has no form in {lang}")
        shown.setdefault(lang, {}).setdefault(value, forms[0])
        for form in forms:
            key = normalise(form)
            if not key:
                raise ValueError(f"answers.yaml: {where} has an empty form")
            if owner.setdefault(key, (into is yes_no, value)) != (into is yes_no, value) or (
                    key in english and key != value):
                raise ValueError(f"answers.yaml: {form!r} ({where}) already stands for {owner[key][1]!r}")
            into[key] = value
            spelling.setdefault(key, form)

    for lang, block, prefix in blocks:
        for name, forms in (block.get("yes_no") or {}).items():
            add(lang, forms, YES_NO[name], yes_no, f"{prefix}yes_no.{name}")
        for group, values in (block.get("choices") or {}).items():
            for value, forms in values.items():
                add(lang, forms, value, choices, f"{prefix}choices.{group}.{value}")
    return Lexicon(yes_no, choices, shown, spelling)


@dataclass(frozen=True)
class AnswerField:
    """What a field accepts as a fixed answer: its English values, whether unknown, whether a list."""

    values: frozenset
    optional: bool
    many: bool         # a list of answers
    keyed: bool = False  # a mapping whose keys are the answers (alliance.motive_evidence)

    @cached_property
    def table(self) -> dict[str, Any]:
        """Normalised Arabic form -> the value this field takes for it."""
        words = lexicon()
        table: dict[str, Any] = {form: value for form, value in words.choices.items() if value in self.values}
        table.update({form: value for form, value in words.yes_no.items()
                      if value is not None and any(v is value for v in self.values)})
        if self.optional:
            table.update({form: None for form, value in words.yes_no.items() if value is None})
        return table

    @cached_property
    def _seen(self) -> dict[str, Any]:
        return {}

    def english(self, answer: str) -> Any:
        """The English value for an Arabic answer, or the answer itself when it is not one."""
        if len(answer) > LONGEST_ANSWER:
            return answer  # no answer is that long: not worth normalising, nor remembering
        value = self._seen.get(answer, _MISSING)
        if value is _MISSING:
            value = self.table.get(normalise(answer), _MISSING)
            if len(self._seen) < _SEEN_LIMIT:  # a batch repeats its answers; a hostile one cannot grow this
                self._seen[answer] = value
        return answer if value is _MISSING else value


def answer_field(annotation: Any) -> AnswerField | None:
    """The fixed answers an annotation admits, or None when it admits none or admits free text."""
    from tahaluf.schema_walker import accepts_none, kind_of

    kind, choices = kind_of(annotation)
    values = {"bool": (True, False), "choice": choices, "choices": choices, "mapping": choices}.get(kind, ())
    if not values:
        return None  # free text (an Arabic word is a valid answer as it is), a number, a date, a section
    return AnswerField(frozenset(values), accepts_none(annotation), many=kind == "choices", keyed=kind == "mapping")


@cache
def answer_fields(model: type[BaseModel]) -> dict[str, AnswerField]:
    """The fields of a pydantic model that take fixed answers."""
    from tahaluf.schema_walker import fields_of

    fields = {}
    for name, info in fields_of(model).items():
        spec = answer_field(info.annotation)
        if spec is not None:
            fields[name] = spec
    return fields


def to_english(model: type, data: Any) -> Any:
    """``data`` for ``model`` with every Arabic answer replaced by its English value (a new dict if any)."""
    if not isinstance(data, dict):
        return data
    fields = answer_fields(model)
    changed = None
    for name, value in data.items():
        spec = fields.get(name)
        if spec is None:
            continue
        if value.__class__ is str:
            new = spec.english(value)
            if new is value:
                continue
        elif value.__class__ is list and spec.many:
            new = [item if item.__class__ is not str else spec.english(item) for item in value]
            if new == value:
                continue
        elif value.__class__ is dict and spec.keyed:
            new = _english_keys(name, value, spec)
            if new is value:
                continue
        else:
            continue
        if changed is None:
            changed = dict(data)
        changed[name] = new
    return data if changed is None else changed


def _english_keys(name: str, mapping: dict, spec: AnswerField) -> dict:
    """A mapping keyed by answers, keyed in English; two keys that are one answer are an error."""
    if all(key.__class__ is not str or spec.english(key) is key for key in mapping):
        return mapping
    translated: dict = {}
    written: dict = {}
    for key, value in mapping.items():
        english = spec.english(key) if key.__class__ is str else key
        if english is None:  # "don't know" is no key
            english = key
        if english in translated:
            raise ValueError(f"{name}: {written[english]!r} and {key!r} are the same answer ({english})")
        translated[english], written[english] = value, key
    return translated


def shown(value: Any, lang: str = ARABIC) -> str | None:
    """The form shown in ``lang`` for an English value (``True`` / ``False`` / ``None`` for yes / no / unknown)."""
    return lexicon().shown.get(lang, {}).get(value)


def closest(answer: str, values: typing.Iterable[Any]) -> str | None:
    """The accepted answer (English value or Arabic form) nearest to a wrong one, for 'did you mean'."""
    import difflib

    if len(answer) > LONGEST_ANSWER:
        return None
    words = lexicon()
    values = list(values)
    written: dict[str, str] = {}
    for value in values:
        for english in _ENGLISH.get(value, (str(value),)) if isinstance(value, (bool, str)) else ():
            written.setdefault(english.casefold(), english)
    for form, value in [*words.choices.items(), *words.yes_no.items()]:
        if any(value is v or (isinstance(v, str) and value == v) for v in values):
            written.setdefault(form, words.spelling[form])
    match = difflib.get_close_matches(normalise(answer), list(written), n=1, cutoff=0.6)
    return written[match[0]] if match else None
