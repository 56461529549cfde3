"""The guide and the finding texts, as data shipped with the package.

``guide.yaml`` holds every item of the guide (Arabic as the guide has it, with the reading
where it has a slip, and English) and how faithfully the rules encode it: for the few that
are context rather than advice, why they are background.
``findings/*.yaml`` hold, per rule code, its severity and the texts a report
prints: summary, message (and one per cause, ``messages``), pass message (a strength), fix
and interview question.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, model_validator

from tahaluf.languages import default_language, direction, language_codes, languages  # noqa: F401 (the knowledge's languages)

HERE = Path(__file__).parent
# Trusted package data, read on every run: the C parser when PyYAML has it (10x faster).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load(path: Path):
    with open(path, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SAFE_LOADER)


def _validated(model, value, path: Path, key: str = ""):
    """``value`` as ``model``; a mistake names the file and the key (``labels.yaml: verdict.proceed: …``)."""
    from pydantic import ValidationError

    try:
        return model.model_validate(value)
    except ValidationError as error:
        where = f"{path.name}: {key}: " if key else f"{path.name}: "
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or key or '-'}: {e['msg']}" for e in error.errors())
        raise ValueError(where + problems) from None
SEVERITIES = ("blocker", "major", "minor", "info", "strength")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


# The language the guide is written in: its items' words stand under this code as the guide has them.
GUIDE_LANGUAGE = "ar"


class Texts(_Strict):
    """A text in every registered language, keyed by code (``{en: …, ar: …}``); a subclass may declare
    other fields beside the codes. Every language of knowledge/languages.yaml must be present and no
    other key is allowed, so a new language is a row there and its texts here, never a code change."""

    model_config = ConfigDict(extra="allow", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _every_language(cls, data):
        if not isinstance(data, dict):
            return data
        codes = language_codes()
        unknown = [key for key in data if key not in cls.model_fields and key not in codes]
        if unknown:
            raise ValueError(f"{', '.join(map(str, unknown))}: not a field nor a language of languages.yaml "
                             f"({', '.join(codes)})")
        missing = [code for code in codes if code not in data]
        if missing:
            raise ValueError(f"no text in {', '.join(missing)} (every language of languages.yaml needs one)")
        wrong = [code for code in codes if not isinstance(data[code], str)]
        if wrong:
            raise ValueError(f"{', '.join(wrong)}: a text is a string")
        return data

    def text(self, lang: str) -> str:
        return self.__pydantic_extra__[lang]  # type: ignore[index]

    def __call__(self, lang: str) -> str:
        return self.text(lang)

    def by_language(self) -> dict[str, str]:
        """Every language's text, in the registry's order (as the JSON outputs print them)."""
        return {code: Texts.text(self, code) for code in language_codes()}  # a guide item's words as they stand


Bilingual = Texts  # the name the views have long used


class Section(Texts):
    code: str
    own_title: bool = False  # the guide has no such heading: the title is the project's wording


Strength = Literal["must", "should", "may", "descriptive"]
# A rule's default severity: that of the strongest wording among the items it cites.
WORDING_SEVERITY = {"must": "major", "should": "minor", "may": "info", "descriptive": "info"}
_SEVERITY_RANK = ("info", "minor", "major", "blocker")


# How faithfully the rules encode an item: they check what it says at its scope (faithful), part
# of it or at a narrower scope (partial), cite it without testing it (cited_only), or no rule
# encodes it, for the reason given (background).
Fidelity = Literal["faithful", "partial", "cited_only", "background"]


class Correction(_Strict):
    original: str  # the guide's words, a slip as it stands
    reading: str  # what the context requires


class GuideItem(Texts):
    """An item of the guide: its text in every language; under GUIDE_LANGUAGE, the guide's words as they
    stand, slips included (any other language's text is a working translation)."""

    id: str
    section: str
    # The reading where the guide has a slip: the original with each correction's original replaced.
    ar_corrected: str | None = None
    corrections: list[Correction] = []
    strength: Strength  # the force of the item's own Arabic wording
    strength_cue: str  # the Arabic words that decide it, as they stand in ``ar``
    tested_by: list[str] = []  # input fact paths whose answers test the item (partners[] for any partner)
    fidelity: Fidelity
    fidelity_reason: str  # one line: what the rules check of it (and what not), or why it is background

    @model_validator(mode="after")
    def _consistent(self):
        if "\n" in self.fidelity_reason.strip() or not self.fidelity_reason.strip():
            raise ValueError(f"{self.id}: fidelity_reason is one line")
        if (self.fidelity == "background") == bool(self.tested_by):
            raise ValueError(f"{self.id}: a background item records no facts that test it; any other does")
        reading = self.original
        for correction in self.corrections:
            if correction.original not in reading:
                raise ValueError(f"{self.id}: corrections: {correction.original!r} is not in the guide's words")
            reading = reading.replace(correction.original, correction.reading)
        if (self.ar_corrected is not None or self.corrections) and reading != self.ar_corrected:
            raise ValueError(f"{self.id}: ar_corrected is not ar with its corrections applied")
        return self

    @property
    def original(self) -> str:
        """The guide's words as they stand (in GUIDE_LANGUAGE)."""
        return Texts.text(self, GUIDE_LANGUAGE)

    @property
    def background(self) -> str | None:
        """Why no rule encodes the item (None when rules do)."""
        return self.fidelity_reason if self.fidelity == "background" else None

    def text(self, lang: str) -> str:
        """The item as a report quotes it: in the guide's language, the reading where the guide has a slip."""
        return (self.ar_corrected or self.original) if lang == GUIDE_LANGUAGE else Texts.text(self, lang)


class Guide(_Strict):
    title: Bilingual
    version: str
    sections: list[Section]
    items: list[GuideItem]


class FindingText(_Strict):
    severity: Literal["blocker", "major", "minor", "info"]
    summary: Bilingual
    message: Bilingual
    # A rule that fails (or stays open) for several causes says which, one message per cause:
    # the key is what the rule's Outcome names (Outcome.message); ``message`` is the default.
    messages: dict[str, Bilingual] | None = None
    fix: Bilingual
    # A red flag resting on known facts, lifted: what would have to change (``whatif``), with {subject}.
    lift: Bilingual | None = None
    question: Bilingual
    passed: Bilingual | None = None  # when set, a pass is reported as a strength
    # The question when the check applies only if an unknown fact turns out so (Outcome.applies_if),
    # keyed by that fact; without one, the question is prefixed with labels' applies_if.<field>.<value>.
    question_if: dict[str, Bilingual] | None = None
    # Why the severity departs from the default that the guide's wording gives (guide.yaml's strength).
    severity_reason: str | None = None

    def message_for(self, key: str | None) -> Bilingual:
        """The message for the cause ``key`` (None: the default); an unknown key is an error."""
        if key is None:
            return self.message
        if not self.messages or key not in self.messages:
            raise KeyError(f"no message {key!r} in this rule's texts")
        return self.messages[key]


@cache
def guide() -> Guide:
    return _validated(Guide, _load(HERE / "guide.yaml"), HERE / "guide.yaml")


@cache
def guide_items() -> dict[str, GuideItem]:
    return {item.id: item for item in guide().items}


def default_severity(guidance) -> str:
    """The severity the guide's own wording gives a rule citing ``guidance`` (its strongest item)."""
    items = guide_items()
    return max((WORDING_SEVERITY[items[g].strength] for g in guidance), key=_SEVERITY_RANK.index)


@cache
def findings() -> dict[str, FindingText]:
    """Every rule's texts, from all files in findings/ (one per area)."""
    entries: dict[str, FindingText] = {}
    for path in sorted((HERE / "findings").glob("*.yaml")):
        for code, entry in (_load(path) or {}).items():
            if code in entries:
                raise ValueError(f"{path.name}: rule {code} already has texts in another file")
            entries[code] = _validated(FindingText, entry, path, code)
    return entries


@cache
def version() -> str:
    """The guide's version plus a digest of every knowledge file, so a report can be reproduced."""
    digest = hashlib.sha256()
    for path in sorted(HERE.rglob("*.yaml")):
        digest.update(path.relative_to(HERE).as_posix().encode())
        digest.update(path.read_bytes())
    return f"{guide().version}+{digest.hexdigest()[:12]}"


@cache
def labels() -> dict[str, Bilingual]:
    path = HERE / "labels.yaml"
    return {key: _validated(Texts, value, path, key) for key, value in _load(path).items()}


class FieldText(Texts):
    """A fact's wording in the full form; a list of items also names one item and its add button."""

    item: Bilingual | None = None
    add: Bilingual | None = None
    question: Bilingual | None = None  # the fact asked as a question of its own, where the label is not one
    feminine: bool = False  # the item's Arabic word takes feminine ordinals («المحطة الأولى»)


@cache
def fields() -> dict[str, FieldText]:
    """The full form's wording, by input fact path (a list's items as ``[]``, as ``tested_by`` names them)."""
    path = HERE / "fields.yaml"
    return {key: _validated(FieldText, value, path, key) for key, value in _load(path).items()}


@cache
def typed_words(meaning: str) -> frozenset[str]:
    """The words a person may type for ``meaning`` (typed_words.yaml: yes, no, skip …), in every language,
    case-folded. Each entry names every registered language and no other."""
    path = HERE / "typed_words.yaml"
    entry = _load(path)[meaning]
    if set(entry) != set(language_codes()):
        raise ValueError(f"{path.name}: {meaning}: give the words of exactly {', '.join(language_codes())}")
    return frozenset(word.casefold() for words in entry.values() for word in words)


@cache
def _plural_form(lang: str):
    from babel import Locale  # imported on first use: most runs print no count

    return Locale.parse(languages()[lang].locale).plural_form


def plural_categories(lang: str) -> tuple[str, ...]:
    """The CLDR plural categories a language's counted nouns must give (its rules' tags, and "other")."""
    order = ("zero", "one", "two", "few", "many", "other")
    tags = set(_plural_form(lang).tags) | {"other"}
    return tuple(tag for tag in order if tag in tags)


@cache
def plurals() -> dict[str, dict[str, dict[str, str]]]:
    """Counted nouns (plurals.yaml): noun -> language -> CLDR category -> phrase with {n}."""
    entries = _load(HERE / "plurals.yaml")
    for noun, by_lang in entries.items():
        unknown = set(by_lang) - set(language_codes())
        if unknown:
            raise ValueError(f"plurals.yaml: {noun}: {', '.join(sorted(unknown))} is not a language of languages.yaml")
        for lang in language_codes():
            categories = plural_categories(lang)
            if set(by_lang.get(lang) or ()) != set(categories):
                raise ValueError(f"plurals.yaml: {noun}.{lang} must give exactly {', '.join(categories)}")
    return entries


def number(value: int, lang: str) -> str:
    """A number as the language writes it (Babel, the language's CLDR locale): 12,000 · 12 000."""
    from babel.numbers import format_decimal

    return format_decimal(value, locale=languages()[lang].locale)


def count_phrase(noun: str, count: int, lang: str) -> str:
    """``count`` with ``noun`` as the language's plural rules want it: «سؤالان», «3 أسئلة», «88 سؤالاً»."""
    return plurals()[noun][lang][_plural_form(lang)(count)].replace("{n}", str(count))
