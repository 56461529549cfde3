"""A fact of the input in words: what it is about, its question and the answer.

A finding rests on facts named by their input path (``concessions[0].touches_core_objective``
= True). A reader should see «التنازل الأول — هل يمسّ أحد أهدافنا المركزية؟ نعم» instead:
the item it is about (a partner by its name, another list's item by its rank), the fact's
question from knowledge/fields.yaml (its own ``question``, else its label) and the answer
in the report's language (yes/no, a choice's words, or what the user wrote). The path
stays for JSON and for the small note that gives the line in the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache

from tahaluf import knowledge
from tahaluf.model import AllianceDocument
from tahaluf.schema_walker import fields_of, models

_SEGMENT = re.compile(r"([^.\[\]]+)((?:\[(?:\d+|\*)?\])*)")
_INDEX = re.compile(r"\[(\d+|\*)?\]")


@dataclass(frozen=True)
class FactWords:
    """A fact as a reader reads it. ``about`` and ``answer`` are (text, is_user_value) pairs
    so that a view can isolate what the user wrote; ``question`` is always our own words."""

    about: tuple[tuple[str, bool], ...]  # () for a fact of the whole file (the alliance's stage)
    question: str
    answer: tuple[str, bool]


@cache
def _labels(lang: str) -> dict[str, str]:
    return {key: text(lang) for key, text in knowledge.labels().items()}


@cache
def _choice_fields() -> frozenset[str]:
    """Names of the input format's fields whose answers are choices (a Literal's values), at any
    depth: a choice, a list of them, a mapping keyed by them, and a person (a name, or False)."""
    return frozenset(field.name for model in models() for field in fields_of(model).values()
                     if field.kind in ("choice", "choices", "mapping", "person"))


def is_choice_path(path: str) -> bool:
    """``partners[0].government.approach`` -> is ``approach`` a choice field?"""
    return path.rsplit(".", 1)[-1].split("[", 1)[0] in _choice_fields()


def choice_words(value: object, lang: str) -> str:
    """A choice (``research_centre``) in the language's words («مركز بحثي»); anything else as it is."""
    labels, text = _labels(lang), str(value)
    return labels.get(f"choice.{text}") or labels.get(f"sector.{text}") or text


def value_words(value: object, lang: str, choice: bool = False) -> tuple[str, bool]:
    """An answer in words, and whether it is the user's own text (a name, a goal) or ours."""
    labels = _labels(lang)
    if value is None:
        return labels["label.unknown"], False
    if value is True:
        return labels["label.yes"], False
    if value is False:
        return labels["label.no"], False
    if isinstance(value, (list, tuple)):
        if not value:
            return labels["label.none"], False
        if all(isinstance(v, Mapping) for v in value):  # a list of items: each by what it is
            named = [words for words in (_item_words(v, lang) for v in value) if words is not None]
            if len(named) < len(value):  # an item with no words of its own
                return str(len(value)), False
            return labels["label.item_separator"].join(text for text, _ in named), any(user for _, user in named)
        items = [choice_words(v, lang) if choice else str(v) for v in value]
        return labels["label.list_separator"].join(items), not choice
    if isinstance(value, Mapping):
        return labels["label.yes"], False  # a section that is there (a steering committee)
    if isinstance(value, (int, float)):
        return str(value), False
    return (choice_words(value, lang), False) if choice else (str(value), True)


def _item_words(item: Mapping, lang: str) -> tuple[str, bool] | None:
    """A list's item by what the user called it (a goal, a name), or by its kind (a review event)."""
    for name in ("goal", "name", "what"):
        if item.get(name):
            return str(item[name]), True
    return (choice_words(item["kind"], lang), False) if item.get("kind") else None


def _nth(list_key: str, index: int, lang: str) -> str:
    """«التنازل الأول», "First concession"; past the tenth «التنازل رقم 11», "Concession 11"."""
    labels, words = _labels(lang), knowledge.fields()[list_key]
    item = words.item(lang) if words.item else words(lang)
    ordinal = labels.get(f"ordinal.{'f' if words.feminine else 'm'}.{index + 1}")
    pattern = labels["fact.nth"] if ordinal else labels["fact.number"]
    if not pattern.startswith("{item}"):  # "First concession": the item's word no longer starts the phrase
        item = item[:1].lower() + item[1:]
    return pattern.replace("{ordinal}", ordinal or "").replace("{item}", item).replace("{n}", str(index + 1))


def _every(list_key: str, lang: str) -> str:
    words = knowledge.fields()[list_key]
    pattern = _labels(lang)["fact.every"]
    items = words(lang)
    if not pattern.startswith("{items}"):
        items = items[:1].lower() + items[1:]
    return pattern.replace("{items}", items)


def _is_list(key: str) -> bool:
    return any(other.startswith(f"{key}[].") for other in knowledge.fields())


def describe_fact(path: str, value: object, lang: str, document: AllianceDocument | None = None) -> FactWords:
    """The fact at ``path`` (as a finding's evidence names it) with ``value``, in ``lang``'s words."""
    fields, labels = knowledge.fields(), _labels(lang)
    about: list[tuple[str, bool]] = []
    key = ""
    tail: list[str] = []  # segments with no wording of their own (a motive keyed in a mapping)
    for name, brackets in _SEGMENT.findall(path):
        candidate = f"{key}.{name}" if key else name
        if candidate not in fields and not _INDEX.search(brackets) and key and _is_list(key):
            # ``concessions.can_live_with``: the fact of any item (the list is unknown), or
            # ``concessions.asked``: whether there is any item, asked by the list itself
            about.append((labels.get(f"subject.{key}") or fields[key](lang), False))
            if f"{key}[].{name}" not in fields:
                continue
            key, candidate = f"{key}[]", f"{key}[].{name}"
        if candidate not in fields:
            tail.append(name)
            continue
        key = candidate
        for index in _INDEX.findall(brackets):
            if index == "*":
                about.append((_every(key, lang), False))
            elif index == "":
                about.append((labels.get(f"subject.{key}") or fields[key](lang), False))
            else:
                about.append(_item_name(key, int(index), lang, document))
            key += "[]"
    if key.endswith("[]") and key not in fields:
        key = key[:-2]
    if not key:
        raise KeyError(f"no wording for the fact {path!r} in knowledge/fields.yaml")
    if re.fullmatch(r"disputes\[\d+\]", path) and isinstance(value, str):  # a disagreement cites the fact disputed
        disputed = describe_fact(value, None, lang, document)
        return FactWords((*about, *disputed.about), disputed.question, (labels["fact.disputed"], False))
    words = fields[key]
    about += [(choice_words(name, lang), False) for name in tail]
    whole = key.endswith("[]") or "[*]" in path  # a list's item, or the same fact of every item
    question = words.item(lang) if key.endswith("[]") and words.item else \
        (words if whole or words.question is None else words.question)(lang)
    if not question.rstrip().endswith(("?", "؟")):  # a label ("Sector"), not a question: "Sector: NGO"
        question += ":"
    last = key.rstrip("[]").rsplit(".", 1)[-1]
    answer = value_words(value, lang, choice=last in _choice_fields() or bool(tail))
    if path.startswith(("partners", "concessions")) and "." not in path and isinstance(value, int):
        answer = (str(value), False)  # a count of the list
    return FactWords(tuple(about), question, answer)


def _item_name(key: str, index: int, lang: str, document: AllianceDocument | None) -> tuple[str, bool]:
    """A partner by its name when the document is at hand; any other item by its rank."""
    if key == "partners" and document is not None and document.partners and index < len(document.partners):
        name = document.partners[index].name
        if name:
            return name, True
    return _nth(key, index, lang), False
