"""Results: the best-first rows written in the chosen format, with headings, statuses and
sectors in the output's language.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tahaluf.reports.output import OutputSet
from tahaluf.screening.ordering import STATUSES
from tahaluf.screening.summary import WORDS, Summary
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


_HEADINGS = {
    "en": {"title": "Candidate screening", "rank": "#", "row": "Row", "name": "Name", "sector": "Sector",
           "status": "Status", "score": "Score", "failed": "Failed checks", "not_assessed": "Not assessed",
           "guidance": "Guide", "reason": "Reason", "sort_hint": "Click a column heading to sort."},
    "ar": {"title": "فرز الشركاء المحتملين", "rank": "#", "row": "الصف", "name": "الاسم", "sector": "القطاع",
           "status": "الحالة", "score": "الدرجة", "failed": "فحوص لم تُستوفَ", "not_assessed": "لم يُقيَّم",
           "guidance": "الدليل", "reason": "السبب", "sort_hint": "انقر على عنوان عمود للترتيب."},
}


def _sector_words(lang: str) -> dict[str, str]:
    """Sector codes in the output's language (Arabic outputs are Arabic all the way; English keeps the codes)."""
    from tahaluf import knowledge

    if lang == "en":
        return {}
    return {key.removeprefix("sector."): text(lang) for key, text in knowledge.labels().items()
            if key.startswith("sector.")}


def _html_labels(lang: str) -> dict:
    labels: dict[str, Any] = dict(_HEADINGS[lang])
    labels.update({status: WORDS[lang][status] for status in STATUSES})
    labels["status_rank"] = {status: index for index, status in enumerate(STATUSES)}
    labels["sectors"] = _sector_words(lang)
    return labels


def _xlsx_words(lang: str) -> dict:
    """Headers, status words and sectors of an XLSX in ``lang`` (English keeps the column and status codes)."""
    if lang == "en":
        return {}
    columns = ("rank", "row", "name", "sector", "status", "score", "failed", "not_assessed", "guidance", "reason")
    words: dict[str, Any] = {column: _HEADINGS[lang][column] for column in columns}
    words.update(item=WORDS[lang]["item"], value=WORDS[lang]["value"],
                 statuses={status: WORDS[lang][status] for status in STATUSES}, sectors=_sector_words(lang))
    return words
