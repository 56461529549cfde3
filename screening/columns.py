"""The columns of a candidates file: derived from the model, so a new fact is a new column
without touching this package; and the whole-file checks on a file's header.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import BaseModel

from tahaluf.errors import InputError
from tahaluf.model import Concession, GovernmentTerms, Partner, PrivateTerms
from tahaluf.schema_walker import fields_of, wording_key
from tahaluf.screening.readers import CandidateReader

# TEXT and LIST (of texts) are free text, reduced in the profile; VALUE and CHOICES (a list of
# choices or goals, ";"-separated in a cell like LIST) are read by the rules and kept whole.
TEXT, LIST, VALUE, CHOICES = "text", "list", "value", "choices"
FREE_TEXT = (TEXT, LIST)


# The schema walker's kind of answer -> how a column is read (any other kind is a VALUE): a list of
# free texts is reduced in the profile; a list of choices or of goals is read by the rules (PR03:
# endorsement; PR01: a goal's measure), so it is kept whole.
_READ_AS = {"text": TEXT, "texts": LIST, "choices": CHOICES, "goals": CHOICES, "items": CHOICES}


def field_kinds(model: type[BaseModel], skip: tuple = ()) -> tuple[tuple[str, str], ...]:
    return tuple((name, _READ_AS.get(spec.kind, VALUE)) for name, spec in fields_of(model).items() if name not in skip)


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
# Where a candidate's facts come from (issue 25): the whole row's source, the day it was checked,
# and its status (claimed unless the column says more). Not facts: the rules never read them.
EVIDENCE_COLUMNS = ("source", "checked_on", "status")


def _choices_of(column: str) -> tuple:
    """The fixed answers a column takes (a choice's values, or True and False), else ()."""
    section, name, _ = COLUMNS[column]
    model: Any = {"": Partner, "concession": Concession}.get(section) or SECTIONS[section]
    spec = fields_of(model)[name]
    return (True, False) if spec.kind == "bool" else spec.choices if spec.kind in ("choice", "choices") else ()


@cache
def choice_words(column: str, lang: str) -> tuple[tuple[Any, str], ...]:
    """A choice column's values and their words in ``lang`` (empty for any other column): English as
    the reports print them (labels.yaml), Arabic as the Arabic answers' lexicon shows them first.
    Both are read back as the values (see english_choice)."""
    from tahaluf import knowledge
    from tahaluf.answers import lexicon

    values = _choices_of(column)
    if not values:
        return ()
    labels, shown = knowledge.labels(), lexicon().shown.get(lang, {})
    words = []
    for value in values:
        if isinstance(value, bool):
            word = labels["label.yes" if value else "label.no"](lang)
        elif value in shown:  # a language with answer words: the first form its lexicon gives
            word = shown[value]
        else:
            word = labels[f"sector.{value}" if column == "sector" else f"choice.{value}"](lang)
        words.append((value, word))
    return tuple(words)


@cache
def english_choices() -> dict[str, dict[str, str]]:
    """Per choice column: an English word, lower-cased (``research centre``) -> its value."""
    return {column: {word.casefold(): value for value, word in choice_words(column, "en") if isinstance(value, str)}
            for column in COLUMNS if choice_words(column, "en")}


def field_key(column: str) -> str:
    """The column's entry in knowledge/fields.yaml (a partner's fact, or the concession's)."""
    if column.startswith("concession."):
        return wording_key(("concessions", 0, column.removeprefix("concession.")))
    return wording_key(("partners", 0, *column.split(".")))


@cache
def header_words() -> dict[str, str]:
    """Every way a header may name a column -> the column: its code, and fields.yaml's wording
    (label and question, English and Arabic), spelling-normalised as answers are. One wording
    names one column: a clash is an error in the knowledge base, not a guess at reading time."""
    from tahaluf import knowledge
    from tahaluf.answers import normalise

    fields = knowledge.fields()
    words: dict[str, str] = {}
    for column in COLUMNS:
        entry = fields[field_key(column)]
        forms = [*entry.by_language().values(), *(entry.question.by_language().values() if entry.question else ())]
        for form in (column, *(normalise(text) for text in forms)):
            if words.setdefault(form, column) != column:
                raise ValueError(f"fields.yaml: {form!r} names both {words[form]} and {column}")
    return words


def column_of(header: str) -> str | None:
    """The column a header names, in either language (None: no column)."""
    if header in COLUMNS:
        return header
    from tahaluf.answers import normalise

    return header_words().get(normalise(header))


def _guess(header: str) -> str | None:
    """The nearest known header, in the header's own script (an Arabic header gets an Arabic guess)."""
    import difflib

    from tahaluf import knowledge
    from tahaluf.answers import normalise

    fields = knowledge.fields()
    # The codes, and every language's wording, nearest in the header's own script: an ASCII header
    # gets a code, any other the wording closest to it.
    if header.isascii():
        close = difflib.get_close_matches(header, list(COLUMNS), n=1)
        if close:
            return close[0]
    shown = {normalise(fields[field_key(c)](lang)): fields[field_key(c)](lang)
             for lang in knowledge.language_codes() if lang != knowledge.default_language() for c in COLUMNS}
    close = difflib.get_close_matches(normalise(header), list(shown), n=1)
    return shown[close[0]] if close else None


def check_columns(reader: CandidateReader) -> bool:
    """Whole-file checks on the header (before any row): unknown, repeated or missing columns.

    A header may be a column's code or its wording in either language (fields.yaml); the reader
    is told the columns its headers name. Returns whether the file has concession columns at
    all (if not, the concession is unknown).
    """
    seen: dict[str, int | None] = {}
    renamed: dict[str, str] = {}
    for name, line in reader.columns:
        column = name if name in EVIDENCE_COLUMNS else column_of(name)
        if column is None:
            close = _guess(name)
            hint = f" (did you mean '{close}'?)" if close else ""
            raise InputError(reader.name, line, name,
                             f"unknown column{hint}; known columns: {', '.join(COLUMNS)}")
        if column in seen:
            raise InputError(reader.name, line, name, "the column is given twice")
        seen[column] = line
        if column != name:
            renamed[name] = column
    if renamed:
        reader.rename(renamed)
    if "name" not in seen:
        unreadable = getattr(reader, "unreadable", None)
        if unreadable is not None:  # no row could even be read: say why, not that a column is missing
            line, reason = unreadable
            raise InputError(reader.name, line, reason.field or None, f"no line is a candidate: {reason.problem}")
        raise InputError(reader.name, 1, "name", "required column is missing")
    return any(name.startswith("concession.") for name in seen)
