"""Every Arabic text the product shows, with where it comes from: for the glossary and style tests.

guide.yaml is left out: its `ar` texts and `strength_cue`s are the guide's own words, which
stay as the guide stands. In findings, only the Arabic texts count (an English severity_reason
may quote the guide); in answers.yaml, only each value's first form, the one a template and
an error message show (the others are spellings a director may type).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
TEMPLATES = sorted((ROOT / "reports" / "templates").glob("*.j2")) + sorted((ROOT / "web" / "templates").glob("*.j2"))
ARABIC = re.compile("[\u0600-\u06ff]")
_MARKS = re.compile("[\u064b-\u0652\u0670\u0640]")  # harakat, dagger alif, tatweel
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the loader the package reads with


def strip_marks(text: str) -> str:
    return _MARKS.sub("", text)


def _load(path: Path):
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)


def language_values(node, where: str, lang: str = "ar"):
    """The ``lang`` strings under a node of per-language texts ({en, ar, fr}), however deep."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == lang and isinstance(value, str):
                yield where, value
            else:
                yield from language_values(value, f"{where}.{key}", lang)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from language_values(value, f"{where}[{index}]", lang)


def _ar_values(node, where: str):
    return language_values(node, where, "ar")


def _first_forms(node, where: str):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _first_forms(value, f"{where}.{key}")
    elif isinstance(node, list) and node:
        yield where, str(node[0])


def catalogue_texts() -> list[tuple[str, str]]:
    """(where, text) for every Arabic string of the YAML catalogues (not the template's lines)."""
    texts = []
    for path in [KNOWLEDGE / "labels.yaml", KNOWLEDGE / "fields.yaml", KNOWLEDGE / "plurals.yaml",
                 *sorted((KNOWLEDGE / "findings").glob("*.yaml"))]:
        if path.exists():
            texts += _ar_values(_load(path), path.name)
    texts += [(w, t) for w, t in _first_forms(_load(KNOWLEDGE / "answers.yaml"), "answers.yaml") if ARABIC.search(t)]
    return texts


def template_lines() -> list[tuple[str, str]]:
    """(file:line, line) for the Arabic template and the report and web templates."""
    lines = []
    for path in [KNOWLEDGE / "alliance-template.ar.yaml", *TEMPLATES]:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            lines.append((f"{path.name}:{number}", line))
    return lines


def all_texts() -> list[tuple[str, str]]:
    return catalogue_texts() + template_lines()
