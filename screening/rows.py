"""Rows: one row's raw values -> validated models (or the row's problems)."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError

from tahaluf.model import Concession, Partner
from tahaluf.screening.columns import CHOICES, COLUMNS, EVIDENCE_COLUMNS, LIST, SECTIONS, TEXT_COLUMNS, english_choices
from tahaluf.screening.readers import RowProblem


class Candidate(NamedTuple):
    """A validated row."""

    row: int
    partner: Partner
    concession: Concession | None
    evidence: tuple = ()  # (source, checked_on, status) when the file gives a source (row_evidence)

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
        return Waiting(self.row, self.partner.name, self.partner.sector, texts, self.evidence)


class Waiting(NamedTuple):
    """A validated row waiting for its verdict: what writing its result needs, no more."""

    row: int
    name: str
    sector: str | None
    texts: dict
    evidence: tuple = ()

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


def row_evidence(values: dict) -> tuple[dict, tuple | list[RowProblem]]:
    """The row's facts without its evidence columns, and its evidence: (source, checked_on, status),
    status ``claimed`` unless the row says more; () when the row names no source."""
    if not any(column in values for column in EVIDENCE_COLUMNS):
        return values, ()
    import datetime as _dt

    from tahaluf.model import EVIDENCE_STATUSES, clean_text

    facts = {column: value for column, value in values.items() if column not in EVIDENCE_COLUMNS}
    source, day, status = (clean_text(str(values.get(column) or "")) for column in EVIDENCE_COLUMNS)
    problems = []
    if status and status.casefold() not in EVIDENCE_STATUSES:
        problems.append(RowProblem("status", f"{status!r} is not one of {', '.join(EVIDENCE_STATUSES)}"))
    if day:
        try:
            day = _dt.date.fromisoformat(day + "-01" if re.fullmatch(r"\d{4}-\d{2}", day) else day).isoformat()
        except ValueError:
            problems.append(RowProblem("checked_on", f"{day!r} is not a date (2026-05 or 2026-05-14)"))
    if problems:
        return facts, problems
    return facts, ((source, day, status.casefold() or "claimed") if source or status else ())


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
