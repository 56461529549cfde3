"""What the input layer says about a file's mistakes, from the catalogue (labels.yaml ``error.*``): a
message is a :class:`Said`, a string in the default language that a view can say in its reader's (the
Arabic web page shows Arabic errors), with its parts worded in every language."""

from __future__ import annotations

from typing import Any


def _say(key: str, params: dict, lang: str) -> str:
    from tahaluf import knowledge

    text = knowledge.labels()[key](lang)
    for name, value in params.items():
        if isinstance(value, dict):  # a parameter worded per language
            value = value.get(lang, value[knowledge.default_language()])
        text = text.replace("{" + name + "}", value)
    return text


class Said(str):
    """A message from the catalogue (labels.yaml ``key``, with ``params``): a string in the default language,
    which a view can say in its own (:meth:`in_language`). A parameter is a string or, where its words
    depend on the language, a mapping of language codes to strings."""

    key: str
    params: dict

    def __new__(cls, key: str, **params):
        from tahaluf import knowledge

        said = super().__new__(cls, _say(key, params, knowledge.default_language()))
        said.key, said.params = key, params
        return said

    def __reduce__(self):  # raised in the web app's worker processes
        return _said, (self.key, self.params)

    def in_language(self, lang: str) -> str:
        return _say(self.key, self.params, lang)


def _said(key: str, params: dict) -> Said:
    return Said(key, **params)


def worded(key: str, **params) -> dict[str, str]:
    """A part of a message (labels.yaml ``key``) in every language: a parameter of a :class:`Said`."""
    from tahaluf import knowledge

    return {lang: _say(key, params, lang) for lang in knowledge.language_codes()}


def in_language(text: str, lang: str) -> str:
    """A message in ``lang`` where it came from the catalogue; as it is where not (yet)."""
    return text.in_language(lang) if isinstance(text, Said) else text


def did_you_mean(value: Any, values) -> dict[str, str] | str:
    """"; did you mean 'x'?" in every language, for the accepted answer nearest to a wrong one ("" if none)."""
    from tahaluf import answers

    close = answers.closest(value, values) if isinstance(value, str) and value.strip() else None
    return worded("error.did_you_mean", close=close) if close else ""


def either(expected: str, values: list[str]) -> dict[str, str]:
    """The accepted values, quoted, as pydantic lists them in English ('a', 'b' or 'c'), in each language."""
    from tahaluf import knowledge

    quoted = [repr(value) for value in values]
    said = {lang: (knowledge.labels()["label.list_separator"](lang).join(quoted[:-1])
                   + knowledge.labels()["error.or"](lang) + quoted[-1]) if len(quoted) > 1 else expected
            for lang in knowledge.language_codes()}
    return {**said, knowledge.default_language(): expected}


def forms_hint(values: list[str]) -> dict[str, str] | str:
    """The answers' other words for the values (the Arabic lexicon's first forms), named by their language."""
    from tahaluf import answers

    forms = "، ".join(form for form in map(answers.shown, values) if form)
    return worded("error.in_language", language=language_name(answers.ARABIC), forms=forms) if forms else ""


def language_name(code: str) -> dict[str, str]:
    from tahaluf import knowledge

    return knowledge.labels()[f"language.{code}"].by_language()


def number_in_every_language(value: int) -> dict[str, str]:
    from tahaluf import knowledge

    return {lang: knowledge.number(value, lang) for lang in knowledge.language_codes()}
