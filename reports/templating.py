"""Jinja environments: StrictUndefined everywhere; HTML autoescaped; Markdown escaped by ``finalize``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup

from tahaluf import limits
from tahaluf.user_messages import Message

TEMPLATES = Path(__file__).parent / "templates"
# Markdown's special characters; an underscore between two letters or digits is left alone
# (CommonMark never reads such an underscore as emphasis), so "do_not_proceed" stays legible.
# "&" too: a character reference (&#x202E;) would come back as the bidi override the loader removed.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>~&]|(?<![^\W_])_|_(?![^\W_]))")


def markdown_escape(value: object) -> str:
    """Make any printed value inert in Markdown: one line, no links, tables or raw HTML, and no
    character references (``&#x202E;`` would come back as the bidi override the loader removed)."""
    text = " ".join(str(value).splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


_LONG_RUN = re.compile(rf"[^\s\u200b]{{{limits.REPORT_WORD_CHARS + 1},}}")


def breakable(text: str) -> str:
    """A run of more than REPORT_WORD_CHARS characters without a space gets a zero-width space
    every REPORT_WORD_CHARS: a line can break there, so a hostile 2,000-character "word" lays
    out as a paragraph instead of overflowing (and slowing) the PDF's layout."""
    size = limits.REPORT_WORD_CHARS
    return _LONG_RUN.sub(lambda run: "\u200b".join(run[0][i:i + size] for i in range(0, len(run[0]), size)), text)


def html_display(value: object) -> object:
    """``finalize`` of the HTML environment: user text made breakable (markup of our own is left alone)."""
    if isinstance(value, Message):
        return Message(tuple((breakable(text) if user else text, user) for text, user in value.parts))
    if isinstance(value, str) and not isinstance(value, Markup):
        return breakable(value)
    return value


@cache
def environment(kind: str) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(TEMPLATES)
    if kind == "html":
        # autoescape=True, not select_autoescape(): our files end in .j2 (see security notes).
        return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                  finalize=html_display, trim_blocks=True, lstrip_blocks=True)
    return jinja2.Environment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
                              finalize=markdown_escape, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def render(kind: str, template: str, **context) -> str:
    return environment(kind).get_template(template).render(**context)
