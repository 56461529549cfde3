"""Results: the best-first rows written in the chosen format, with headings, statuses and
sectors in the output's language.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tahaluf.files.output import OutputSet
from tahaluf.screening.ordering import STATUSES
from tahaluf.screening.summary import Summary
from tahaluf.screening.summary import words as summary_words
from tahaluf.screening.writers import text_target, write_csv, write_html, write_jsonl, write_xlsx


def write_results(records: Iterator[list], fmt: str, out: Path | None, summary: Summary, lang: str,
                  outputs: OutputSet, scratch: Path) -> None:
    """Write the results to a temporary file of ``outputs`` (committed by the caller) or to standard output."""
    target = outputs.add(out) if out is not None else None
    if fmt == "csv":
        with text_target(target) as stream:
            write_csv(stream, records)
    elif fmt == "jsonl":
        with text_target(target, bom=False) as stream:
            write_jsonl(stream, records)
    elif fmt == "html":
        with text_target(target, bom=False) as stream:
            write_html(stream, records, summary, lang, _html_labels(lang))
    elif target is not None:
        write_xlsx(target, records, summary.rows(), lang, _xlsx_words(lang), scratch)
    else:
        temporary = scratch / "screening.xlsx"  # a zip is written with seeks: not to a pipe
        write_xlsx(temporary, records, summary.rows(), lang, _xlsx_words(lang), scratch)
        with open(temporary, "rb") as stream:
            sys.stdout.flush()
            while block := stream.read(1 << 20):
                sys.stdout.buffer.write(block)
            sys.stdout.buffer.flush()


def _words(lang: str) -> dict[str, str]:
    """The result columns' headings in words (labels.yaml screen.column.*), and the table's title and hint."""
    from tahaluf import knowledge
    from tahaluf.screening.writers import RESULT_COLUMNS

    labels = knowledge.labels()
    words = {column: labels[f"screen.column.{column}"](lang) for column in RESULT_COLUMNS}
    words.update(title=labels["screen.title"](lang), sort_hint=labels["screen.sort_hint"](lang),
                 item_separator=labels["label.item_separator"](lang))
    return words


def _statuses(lang: str) -> dict[str, str]:
    from tahaluf import knowledge

    return {status: knowledge.labels()[f"partner.{status}"](lang) for status in STATUSES}


def _sector_words(lang: str) -> dict[str, str]:
    """Sector codes in the output's language (labels.yaml sector.*): "Research centre", «مركز بحوث»."""
    from tahaluf import knowledge

    return {key.removeprefix("sector."): text(lang) for key, text in knowledge.labels().items()
            if key.startswith("sector.")}


def _html_labels(lang: str) -> dict:
    labels: dict[str, Any] = dict(_words(lang))
    labels.update(_statuses(lang))
    labels["status_rank"] = {status: index for index, status in enumerate(STATUSES)}
    labels["sectors"] = _sector_words(lang)
    return labels


def _xlsx_words(lang: str) -> dict:
    """Headers, status words and sectors of an XLSX in words, in ``lang``."""
    words: dict = _words(lang)
    words.update(item=summary_words(lang)["item"], value=summary_words(lang)["value"], statuses=_statuses(lang),
                 sectors=_sector_words(lang))
    return words
