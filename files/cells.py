"""The spreadsheet cell guard: a text a spreadsheet would run as a formula stays text.

Shared by every spreadsheet writer (the screening results, the action plan): a CSV cell gets a
leading apostrophe (one-to-one, see :func:`restore`); an XLSX cell is a text cell with Excel's quote
prefix (:func:`formula_like` tells which)."""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")
# A text that begins with an apostrophe gets one too: a spreadsheet would hide its own, and
# without it the prefix could not be told from the text (see restore).
PROTECTED_STARTS = (*FORMULA_STARTS, "'")


def formula_like(value: str) -> bool:
    """Whether a spreadsheet would read ``value`` as a formula (an XLSX cell then holds it as text)."""
    return value.startswith(FORMULA_STARTS)


def neutralise(text: str) -> str:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    return "'" + text if text.startswith(PROTECTED_STARTS) else text


def restore(cell: str) -> str:
    """The text a CSV cell was written from: neutralise undone (exactly: it is one-to-one)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(PROTECTED_STARTS) else cell
