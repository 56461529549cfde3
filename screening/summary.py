"""The summary: counts, the most common reasons, rejected rows; as text and as sheet rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from tahaluf import limits
from tahaluf.screening.ordering import STATUSES


@cache
def words(lang: str) -> dict[str, str]:
    """The summary's words in ``lang`` (labels.yaml screen.summary.*)."""
    from tahaluf import knowledge

    prefix = "screen.summary."
    return {key.removeprefix(prefix): text(lang) for key, text in knowledge.labels().items() if key.startswith(prefix)}

@dataclass
class Summary:
    source: str
    lang: str = "en"
    screened: int = 0
    rejected: int = 0
    blank_rows: int = 0
    counts: Counter = field(default_factory=Counter)
    reasons: Counter = field(default_factory=Counter)  # (kind, rule code) -> rows
    examples: dict = field(default_factory=dict)  # (kind, rule code) -> (row, the first row's reason in words)
    inferences: int = 0
    cache_hits: int = 0
    engine_runs: int = 0  # profiles the engine judged in full; the others reused earlier checks' outcomes
    errors_file: str | None = None
    error_preview: list = field(default_factory=list)
    problems: int = 0  # lines in the errors file (a rejected row may have several)
    output: str | None = None
    seconds: float = 0.0
    jobs_lowered: tuple[int, int] | None = None  # (asked, used) when --jobs was over the cap

    @property
    def rows_in(self) -> int:
        return self.screened + self.rejected

    def words(self) -> dict:
        return words(self.lang)

    def top_reasons(self, n: int = 5) -> list[tuple[int, str, str, str]]:
        """[(rows, code, "not met"|"not yet known", what is wrong)] most common first: what is wrong in
        the words of the first row it was wrong for (the check's message, or the open question), never
        the check's own passing statement."""
        from tahaluf import knowledge

        labels = knowledge.labels()
        top = []
        for (kind, code), count in self.reasons.most_common(n):
            top.append((count, code, labels[f"screen.reason.{kind}"](self.lang),
                        self.examples.get((kind, code), (0, ""))[1]))
        return top

    def status_line(self) -> str:
        w = self.words()
        return "   ".join(f"{w[status]}: {self.counts.get(status, 0)}" for status in STATUSES)

    def totals_line(self) -> str:
        from tahaluf import knowledge

        rows = knowledge.count_phrase("row", self.rows_in, self.lang)
        return knowledge.labels()["screen.totals"](self.lang).format(
            rows=rows, screened=self.screened, rejected=self.rejected)

    def text(self) -> str:
        w = self.words()
        lines = [f"tahaluf screen {self.source}: {self.totals_line()}", f"  {self.status_line()}"]
        if self.jobs_lowered:
            asked, used = self.jobs_lowered
            lines.append("  " + w["jobs_lowered"].format(asked=asked, used=used, per=limits.JOBS_PER_CORE))
        if self.blank_rows:
            lines.append(f"  {w['blank']}: {self.blank_rows}")
        top = self.top_reasons()
        if top:
            lines.append(f"  {w['reasons']}:")
            lines += [f"    {count:>7}  {code} {label}: {summary}" for count, code, label, summary in top]
        if self.rejected:
            if self.errors_file:
                lines.append(f"  {w['errors_in']} {self.errors_file}")
            else:
                lines.append(f"  {w['first_errors']}:")
                for row, column, problem in self.error_preview:
                    lines.append(f"    {w['row']} {row}: {column + ': ' if column else ''}{problem}")
                extra = self.problems - len(self.error_preview)
                if extra > 0:
                    lines.append(f"    … +{extra} {w['more']}")
        from tahaluf import knowledge

        labels = knowledge.labels()  # the language's own comma and semicolon between the figures
        comma, semicolon = labels["label.list_separator"](self.lang), labels["label.item_separator"](self.lang)
        lines.append(f"  {w['profiles']}: {self.inferences} ({w['reused']}: {self.engine_runs}){comma}"
                     f"{w['hits']}: {self.cache_hits}{semicolon}{self.seconds:.1f} {w['seconds']}")
        return "\n".join(lines)

    def rows(self) -> list[tuple[str, Any]]:
        """The summary as (item, value) pairs, for the XLSX summary sheet."""
        w = self.words()
        pairs: list[tuple[str, Any]] = [
            (w["source"], self.source), (w["rows_in"], self.rows_in), (w["screened"], self.screened),
            (w["rejected"], self.rejected),
        ]
        pairs += [(w[status], self.counts.get(status, 0)) for status in STATUSES]
        if self.blank_rows:
            pairs.append((w["blank"], self.blank_rows))
        pairs += [(f"{code} {label}", f"{count} — {summary}") for count, code, label, summary in self.top_reasons()]
        return pairs
