"""Rows: one row's raw values -> validated models (or the row's problems)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from tahaluf.model import Concession, Partner
from tahaluf.screening.columns import CHOICES, COLUMNS, LIST, SECTIONS, TEXT_COLUMNS, english_choices
from tahaluf.screening.readers import RowProblem


class Candidate(NamedTuple):
    """A validated row."""

    row: int
    partner: Partner
    concession: Concession | None

    @property
    def name(self) -> str:
        return self.partner.name

    @property
    def sector(self) -> str | None:
        return self.partner.sector

    def text(self, column: str) -> Any:
        section, name, _ = COLUMNS[column]
        holder = self.concession if section == "concession" else (
            getattr(self.partner, section) if section else self.partner)
        value = getattr(holder, name, None) if holder is not None else None
        return "; ".join(value) if isinstance(value, list) else value

    def waiting(self) -> Waiting:
        """The same row in little memory, while its verdict is being worked out: only its texts kept."""
        texts = {column: value for column in TEXT_COLUMNS if (value := self.text(column))}
        return Waiting(self.row, self.partner.name, self.partner.sector, texts)


class Waiting(NamedTuple):
    """A validated row waiting for its verdict: what writing its result needs, no more."""

    row: int
    name: str
    sector: str | None
    texts: dict

    def text(self, column: str) -> Any:
        return self.texts.get(column)


def _problems(error: ValidationError, model: type[BaseModel], prefix: str) -> list[RowProblem]:
    from tahaluf.loader import describe

    found = []
    for detail in error.errors(include_url=False):
        path = tuple(p for p in detail["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        column = ".".join(str(p) for p in path if isinstance(p, str))
        found.append(RowProblem(f"{prefix}{column}", describe(detail, model, path)))
    return found


_LIST_SEPARATOR = re.compile("[;\u061b]")  # ; or the Arabic semicolon ؛


def parse_row(values: dict, concession_columns: bool, core_objectives: frozenset
              ) -> tuple[Partner, Concession | None, int | None] | list[RowProblem]:
    """Validate one row: (partner, concession, concession state) or the row's problems.

    Concession state: None = unknown (the file has no concession columns), 0 = none
    asked (the cells are empty), 1 = the one concession given.
    """
    partner: dict = {}
    sections: dict[str, dict] = {}
    words = english_choices()
    for column, value in values.items():
        section, name, kind = COLUMNS[column]
        if value.__class__ is str:
            value = value.strip()
            if not value:
                continue  # an empty cell: unknown
            worded = words.get(column)  # a choice in the reports' English words ("Research centre")
            if kind in (LIST, CHOICES):
                value = [item for item in (part.strip() for part in _LIST_SEPARATOR.split(value)) if item]
                if worded:
                    value = [worded.get(item.casefold(), item) for item in value]
            elif worded:
                value = worded.get(value.casefold(), value)
        elif value is None:
            continue
        if section:
            sections.setdefault(section, {})[name] = value
        else:
            partner[name] = value
    for section in SECTIONS:
        if section in sections:
            partner[section] = sections[section]
    problems: list[RowProblem] = []
    try:
        model = Partner.model_validate(partner)
    except ValidationError as error:
        problems += _problems(error, Partner, "")
    concession, state = None, (0 if concession_columns else None)
    if "concession" in sections:
        state = 1
        try:
            concession = Concession.model_validate(sections["concession"])
        except ValidationError as error:
            problems += _problems(error, Concession, "concession.")
        else:
            # The same check AllianceDocument makes: a concession names one of *our* core objectives.
            if concession.core_objective and core_objectives and concession.core_objective not in core_objectives:
                problems.append(RowProblem("concession.core_objective",
                                           f"concession '{concession.what}' names core objective "
                                           f"'{concession.core_objective}', which is not in "
                                           "organisation.core_objectives"))
    if problems:
        return problems
    return model, concession, state
