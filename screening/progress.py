"""Progress: a bar on standard error while a batch runs."""

from __future__ import annotations


class ProgressBar:
    """A rich progress bar on standard error when it is a terminal; nothing otherwise."""

    def __init__(self, enabled: bool, label: str):
        self.bar = None
        if enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                TextColumn("rows"), TimeElapsedColumn(), TimeRemainingColumn(),
                                console=Console(stderr=True), transient=True)
            self.task = self.bar.add_task(label, total=None)
            self.bar.start()

    def update(self, rows_done: int, rows_read: int, position: tuple[float, float | None]) -> None:
        """Rows done, out of a total estimated from how far into the file ``rows_read`` rows reach."""
        if self.bar is not None:
            done, total = position
            estimate = round(rows_read * total / done) if done and total else None
            self.bar.update(self.task, completed=rows_done,
                            total=max(estimate, rows_read) if estimate is not None else None)

    def stop(self) -> None:
        if self.bar is not None:
            self.bar.stop()
            self.bar = None
