"""The project's own errors; the CLI maps each to an exit code and one clear line."""

from __future__ import annotations

from tahaluf.input_words import in_language


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

    def __reduce__(self):  # raised in a worker process (the web app's pool), shown by the server
        return type(self), (self.file, self.line, self.field, self.problem)

    @property
    def lines(self) -> list[str]:
        """One ``FILE:LINE: field: problem`` line per problem."""
        return [str(self)]

    def lines_in(self, lang: str) -> list[str]:
        """The lines, each problem said in ``lang`` where the catalogue has its words."""
        return [_line(error, lang) for error in getattr(self, "errors", None) or [self]]


def _line(error: InputError, lang: str) -> str:
    where = f"{error.file}:{error.line}" if error.line else error.file
    problem = in_language(error.problem, lang)
    return f"{where}: {error.field}: {problem}" if error.field else f"{where}: {problem}"


class InputErrors(InputError):
    """Every problem found in one input, in line order (a file with two mistakes takes one run)."""

    errors: list[InputError]

    def __init__(self, errors: list[InputError]):
        flat = [one for error in errors for one in (error.errors if isinstance(error, InputErrors) else [error])]
        self.errors = sorted(flat, key=lambda error: (error.file, error.line or 0))
        first = self.errors[0]
        self.file, self.line, self.field, self.problem = first.file, first.line, first.field, first.problem
        TahalufError.__init__(self, "\n".join(str(error) for error in self.errors))

    def __reduce__(self):
        return InputErrors, (self.errors,)

    @property
    def lines(self) -> list[str]:
        return [str(error) for error in self.errors]

    @staticmethod
    def of(errors: list[InputError]) -> InputError:
        """One error as itself, several as one InputErrors."""
        return errors[0] if len(errors) == 1 else InputErrors(errors)


class UsageError(TahalufError):
    """A command was called in a way that cannot work (unknown rule code, bad option)."""

    exit_code = 2


class RunawayRulesError(TahalufError):
    """The rule engine did not settle within its step limit: a rule keeps re-firing."""

    exit_code = 3


class RenderError(TahalufError):
    """A report could not be rendered; nothing was written."""

    exit_code = 4
