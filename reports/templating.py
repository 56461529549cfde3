"""Jinja environments: StrictUndefined everywhere; HTML autoescaped; Markdown escaped by ``finalize``."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import jinja2

TEMPLATES = Path(__file__).parent / "templates"
# Markdown's special characters; an underscore between two letters or digits is left alone
# (CommonMark never reads such an underscore as emphasis), so "do_not_proceed" stays legible.
_MD_SPECIAL = re.compile(r"([\\`*\[\]|<>~]|(?<![^\W_])_|_(?![^\W_]))")


def markdown_escape(value: object) -> str:
    """Make any printed value inert in Markdown: one line, no links, tables or raw HTML."""
    text = " ".join(str(value).splitlines())
    return _MD_SPECIAL.sub(r"\\\1", text)


@cache
def environment(kind: str) -> jinja2.Environment:
    loader = jinja2.FileSystemLoader(TEMPLATES)
    if kind == "html":
        # autoescape=True, not select_autoescape(): our files end in .j2 (see security notes).
        return jinja2.Environment(loader=loader, autoescape=True, undefined=jinja2.StrictUndefined,
                                  trim_blocks=True, lstrip_blocks=True)
    return jinja2.Environment(loader=loader, autoescape=False, undefined=jinja2.StrictUndefined,
                              finalize=markdown_escape, trim_blocks=True, lstrip_blocks=True,
                              keep_trailing_newline=True)


def render(kind: str, template: str, **context) -> str:
    return environment(kind).get_template(template).render(**context)
