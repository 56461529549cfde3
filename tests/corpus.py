"""Running `tahaluf` as a whole process on hostile input, and watching what it does around it.

``run_cli`` starts ``python -m tahaluf.cli ARGS`` in a folder and returns its exit code,
standard output and error, wall-clock seconds and peak resident memory (from the
kernel's own accounting of the child, ``wait4``). ``Snapshot`` records every file of a
folder (and this run's traces in the temporary folder), so a test can assert that
nothing was left behind and nothing but the expected outputs changed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMP = Path(tempfile.gettempdir())


@dataclass
class Run:
    code: int
    out: bytes
    err: str
    seconds: float
    peak_mb: float
    pid: int
    temp_left: list[str]  # what the run left in its own temporary folder (TMPDIR)

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def cli_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "tahaluf.cli", *args]


class _PeakSampler(threading.Thread):
    """The child's own peak memory, read from /proc (VmHWM) while it runs.

    ``wait4``'s ru_maxrss is not enough on Linux: a child keeps, across exec, the high-water
    mark of the memory it shared with its parent at fork, so a run started from a large
    test process (after browser or PDF tests) reports the test process's size, not its own.
    VmHWM belongs to the child's new address space alone. (Growth in its last milliseconds
    may be missed; where /proc is unavailable, ru_maxrss is used.)"""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_mb, self._done = pid, None, threading.Event()

    def run(self) -> None:
        path = f"/proc/{self.pid}/status"
        while not self._done.is_set():
            try:
                with open(path, encoding="ascii", errors="replace") as status:
                    for line in status:
                        if line.startswith("VmHWM:"):
                            mb = int(line.split()[1]) / 1024
                            self.peak_mb = mb if self.peak_mb is None else max(self.peak_mb, mb)
            except OSError:
                pass
            self._done.wait(0.002)

    def stop(self) -> None:
        self._done.set()
        self.join()


def run_cli(args: list[str], cwd: Path, timeout: float = 120, stdin=subprocess.DEVNULL, env: dict | None = None,
            during=None, tmpdir: Path | None = None) -> Run:
    """Run the CLI to the end (killed after ``timeout``); ``during(process)`` runs meanwhile.

    The process gets a temporary folder of its own (TMPDIR), so what it leaves there is
    its own, whatever else runs on the machine; it is removed after a run that left nothing.
    """
    own_folder = tmpdir is None
    tmpdir = Path(tempfile.mkdtemp(prefix="corpus-tmp-")) if own_folder else tmpdir
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(cli_argv(*args), cwd=cwd, stdin=stdin, stdout=out, stderr=err,
                                   env={**os.environ, "TMPDIR": str(tmpdir), **(env or {})})
        timer = threading.Timer(timeout, lambda: os.kill(process.pid, signal.SIGKILL))
        timer.start()
        sampler = _PeakSampler(process.pid)
        sampler.start()
        try:
            if during is not None:
                during(process)
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
            sampler.stop()
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        left = sorted(os.listdir(tmpdir))
        if own_folder and not left:
            tmpdir.rmdir()
        return Run(process.returncode, out.read(), err.read().decode("utf-8", "replace"), seconds,
                   sampler.peak_mb if sampler.peak_mb is not None else usage.ru_maxrss / 1024, process.pid, left)


class Snapshot:
    """Every entry under ``folder``: kind, size, mode, inode and modification time."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.entries = self._scan()

    def _scan(self) -> dict[str, tuple]:
        entries = {}
        for path in self.folder.rglob("*"):
            info = path.lstat()
            entries[str(path.relative_to(self.folder))] = (info.st_mode, info.st_size, info.st_ino, info.st_mtime_ns)
        return entries

    def changes(self) -> tuple[set[str], set[str], set[str]]:
        """(added, removed, changed) names since the snapshot."""
        now = self._scan()
        added = set(now) - set(self.entries)
        removed = set(self.entries) - set(now)
        changed = {name for name in set(now) & set(self.entries) if now[name] != self.entries[name]}
        return added, removed, changed


# Generated inputs --------------------------------------------------------------------------------

WORDS = ("تحالف", "partnership", "community", "الصحة", "advocacy", "rights", "مناصرة", "network")


def text(length: int, seed: int = 0) -> str:
    """Mixed Arabic and English words, exactly ``length`` characters."""
    words, size, index = [], 0, seed
    while size < length:
        word = WORDS[index % len(WORDS)]
        words.append(word)
        size += len(word) + 1
        index += 1
    return " ".join(words)[:length].rstrip() or "x"


def largest_document(partners: int, concessions: int, *, list_items: int = 100, text_len: int | None = None) -> str:
    """An alliance file at the limits: every partner and concession with its texts at full length,
    failing as many checks as the rule base has for it (the most findings, the longest report)."""
    from tahaluf import limits

    name_len, text_len = limits.NAME_MAX_CHARS, text_len or limits.TEXT_MAX_CHARS
    document = {
        "organisation": {"name": text(name_len, 1), "core_objectives": [text(120, i) for i in range(5)],
                         "size": "small", "decision_process": text(text_len, 2)},
        "alliance": {"name": text(name_len, 3), "purpose": text(text_len, 4),
                     "goals": [text(120, i) for i in range(10)],
                     "stage": "proposed", "formality": "formal"},
        "partners": [], "concessions": [],
    }
    sectors = ("private", "government", "ngo", "media")
    for index in range(partners):
        sector = sectors[index % len(sectors)]
        partner = {"name": f"P{index} {text(name_len - 8, index)}", "sector": sector,
                   "past_work_reviewed": "no", "past_statements_reviewed": "no", "values_alignment": "low",
                   "reputation_risk": "high", "size": "large",
                   "strengths": [text(12, j) for j in range(list_items)],
                   "weaknesses": [text(12, j) for j in range(list_items)],
                   "contribution": text(text_len, index), "decision_process_understood": "no",
                   "constraints_declared": "no"}
        if sector == "private":
            partner["private"] = {"specific_goals_agreed": "no", "timeline_agreed": "no",
                                  "benefit_to_us": text(text_len, index), "integrity_safeguards": "no"}
        if sector == "government":
            partner["government"] = dict.fromkeys(
                ("structure_mapped", "decision_makers_identified", "information_channel", "invited_to_events",
                 "brings_advocates_together", "grassroots_role", "framework_agreed"), "no")
            partner["government"]["approach"] = "confrontational"
        document["partners"].append(partner)
    for index in range(concessions):
        document["concessions"].append({"what": text(text_len, index), "asked_by": text(name_len, index),
                                        "touches_core_objective": "yes", "can_live_with": "no"})
    return yaml.safe_dump(document, allow_unicode=True, width=10**9, sort_keys=False)


def largest_fitting_document() -> str:
    """The largest document the limits allow: every partner and concession, with as much text as fits the byte cap."""
    from tahaluf import limits

    for items in (100, 60, 40, 25, 15, 10, 5, 0):
        candidate = largest_document(limits.MAX_PARTNERS, limits.MAX_CONCESSIONS, list_items=items)
        if len(candidate.encode("utf-8")) <= limits.ALLIANCE_MAX_BYTES:
            return candidate
    return largest_document(limits.MAX_PARTNERS, 0, list_items=0)
