"""The project's own errors; the CLI maps each to an exit code and one clear line."""

from __future__ import annotations


class TahalufError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class InputError(TahalufError):
    """The user's input is malformed: says which file, line and field."""

    exit_code = 2

    def __init__(self, file: str, line: int | None, field: str | None, problem: str):
        self.file, self.line, self.field, self.problem = file, line, field, problem
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {field}: {problem}" if field else f"{where}: {problem}")


class UsageError(TahalufError):
    """A command was called in a way that cannot work (unknown rule code, bad option)."""

    exit_code = 2


class RunawayRulesError(TahalufError):
    """The rule engine did not settle within its step limit: a rule keeps re-firing."""

    exit_code = 3


class RenderError(TahalufError):
    """A report could not be rendered; nothing was written."""

    exit_code = 4
