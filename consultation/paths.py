"""Plain data and the document: a loaded file's data, validated back into an AllianceDocument; and the
kinds a question may have. A path's grammar, type and kind, and the value at one: tahaluf/schema_walker.py."""

from __future__ import annotations

import copy

from tahaluf.loader import SourceMap, validate
from tahaluf.model import AllianceDocument

# The kinds a question may have: a section is asked field by field, and no check waits for a
# mapping as a whole or for a dispute's answer (lines_or_text).
KINDS = ("bool", "choice", "choices", "text", "texts", "goals", "date", "number", "person", "items")


def as_data(document: AllianceDocument | dict) -> dict:
    """Plain data as a loaded file gives it: unknown facts left out."""
    if isinstance(document, dict):
        return copy.deepcopy(document)
    return document.model_dump(mode="json", exclude_none=True)


def document_of(data: dict, name: str = "<answers>", source: SourceMap | None = None) -> AllianceDocument:
    """Validate plain data (InputError naming the field when an answer does not fit)."""
    return validate(AllianceDocument, data, source or SourceMap(), name)
