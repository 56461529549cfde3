"""The candidates template (`tahaluf screen --template FILE`): a sheet ready to fill in, in the user's
language, that the screening reader reads back as it is.

XLSX: a header a column (the column's code in English, fields.yaml's wording in Arabic, both read by
columns.check_columns) with its question as a comment, a dropdown of the choices on every choice
column (their words in the language, which rows.parse_row reads as the values; a list column's
dropdown offers one choice and accepts several typed), one example row, right to left in Arabic.
CSV: the header and the example row. Written atomically; an existing file only with ``force``.
"""

from __future__ import annotations

import io
from pathlib import Path

from tahaluf import knowledge
from tahaluf.errors import UsageError
from tahaluf.files.cells import neutralise
from tahaluf.screening.columns import CHOICES, COLUMNS, choice_words, field_key

# The example row: a vetted NGO, by value (its words come from the knowledge base) or by text label.
EXAMPLE_VALUES = {"sector": "ngo", "past_work_reviewed": True, "past_statements_reviewed": True,
                  "values_alignment": "high", "reputation_risk": "low", "size": "medium", "met": True,
                  "decision_process_understood": True, "understands_our_decisions": True,
                  "effect_on_procedures_understood": True, "constraints_declared": True}
EXAMPLE_TEXTS = ("name", "strengths", "contribution")
TEMPLATE_FORMATS = {".xlsx": "xlsx", ".csv": "csv"}
LAST_ROW = 1_048_576  # a sheet's last row: the dropdowns hold all the way down


def headers(lang: str) -> list[str]:
    fields = knowledge.fields()
    return [fields[field_key(column)].ar if lang == "ar" else column for column in COLUMNS]


def example_row(lang: str) -> list[str]:
    labels, row = knowledge.labels(), []
    for column in COLUMNS:
        if column in EXAMPLE_TEXTS:
            row.append(labels[f"screen.template.example.{column}"](lang))
        elif column in EXAMPLE_VALUES:
            row.append(dict(choice_words(column, lang))[EXAMPLE_VALUES[column]])
        else:
            row.append("")
    return row


def _question(column: str, lang: str) -> str:
    entry = knowledge.fields()[field_key(column)]
    return (entry.question or entry)(lang)


def template_bytes(fmt: str, lang: str) -> bytes:
    if fmt == "csv":
        import csv

        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(headers(lang))
        writer.writerow([neutralise(cell) for cell in example_row(lang)])
        return stream.getvalue().encode("utf-8-sig")
    return _workbook(lang)


def _workbook(lang: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    labels = knowledge.labels()
    book = Workbook()
    sheet = book.active
    from tahaluf.screening.writers import XLSX_SHEETS

    sheet.title = XLSX_SHEETS[lang][0]
    sheet.sheet_view.rightToLeft = knowledge.direction(lang) == "rtl"
    sheet.freeze_panes = "A2"
    lists = book.create_sheet(labels["screen.template.choices"](lang))
    lists.sheet_state = "hidden"  # the dropdowns' sources, out of the way
    lists.sheet_view.rightToLeft = knowledge.direction(lang) == "rtl"
    author, many = labels["screen.template.author"](lang), labels["screen.template.many"](lang)
    sheet.append(headers(lang))
    sheet.append(example_row(lang))
    source = 0
    for index, column in enumerate(COLUMNS, 1):
        letter = get_column_letter(index)
        cell = sheet.cell(1, index)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        listed = COLUMNS[column][2] == CHOICES
        cell.comment = Comment(_question(column, lang) + (f"\n{many}" if listed else ""), author)
        sheet.column_dimensions[letter].width = 36 if index == 1 else 22
        words = choice_words(column, lang)
        if not words:
            continue
        source += 1
        source_letter = get_column_letter(source)
        for row, (_, word) in enumerate(words, 1):
            lists.cell(row, source, word)
        validation = DataValidation(
            type="list", formula1=f"{quote_sheetname(lists.title)}!${source_letter}$1:${source_letter}${len(words)}",
            allow_blank=True, showDropDown=False,
            # A list column takes several choices typed with ';': the dropdown offers one, refuses none.
            showErrorMessage=not listed)
        validation.add(f"{letter}2:{letter}{LAST_ROW}")
        sheet.add_data_validation(validation)
    stream = io.BytesIO()
    book.save(stream)
    return stream.getvalue()


def write_template(path: str | Path, lang: str = "en", force: bool = False) -> None:
    """The template at ``path`` (its extension says XLSX or CSV), atomically; an existing file only with force."""
    from tahaluf.files.output import check_target, write_atomically

    path = Path(path)
    fmt = TEMPLATE_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise UsageError(f"{path}: a template is .xlsx or .csv")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(f"{path} exists; use --force to replace it")
    check_target(path)
    write_atomically(path, template_bytes(fmt, lang))
