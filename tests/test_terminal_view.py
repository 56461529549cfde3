"""Issue 10, bullet 2: on a terminal, `evaluate` shows a rendered view that fits one screen.

Captured through a real pseudo-terminal (the standard library's ``pty``): the program
sees a terminal of a known size on its standard output, as a user's shell would give it.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest
from support import EXAMPLES

ROWS, COLUMNS = 40, 100
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def on_terminal(*args: str, rows: int = ROWS, columns: int = COLUMNS) -> tuple[int, str]:
    """Run `python -m tahaluf ARGS` with its standard output on a pseudo-terminal; (exit code, screen text)."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "TERM")}
    env["TERM"] = "xterm-256color"
    process = subprocess.Popen([sys.executable, "-m", "tahaluf", *args], stdout=terminal, stderr=terminal,
                               stdin=subprocess.DEVNULL, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:  # the terminal closed: the program is done
            break
        if not data:
            break
        chunks.append(data)
    code = process.wait(timeout=120)
    os.close(controller)
    text = b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")
    return code, ANSI.sub("", text)


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_terminal_view_fits_one_screen_and_leads_with_what_to_do(lang):
    code, screen = on_terminal("evaluate", str(EXAMPLES / "core-concession.yaml"), "--lang", lang)
    assert code == 0, screen
    lines = screen.rstrip("\n").split("\n")
    assert len(lines) <= ROWS - 1, len(lines)
    from rich.cells import cell_len

    assert max(cell_len(line) for line in lines) <= COLUMNS
    from tahaluf.evaluation import evaluate_file
    from tahaluf.reports.viewmodel import build_report

    report = build_report(evaluate_file(EXAMPLES / "core-concession.yaml"), lang)
    labels = report.labels
    flat = " ".join(screen.split())
    for phrase in (report.verdict_label, labels["heading.red_flags"], labels["heading.conditions"],
                   labels["heading.questions"]):
        assert phrase in flat, phrase
    flags = flat.index(labels["heading.red_flags"])
    order = [flat.index(report.verdict_label), flags, flat.index("PA01", flags), flat.index("G-PAR-3", flags),
             flat.index(labels["label.must_change"], flags), flat.index(labels["heading.conditions"]),
             flat.index("PA02", flags), flat.index(labels["heading.questions"])]
    assert order == sorted(order)
    # raw Markdown never reaches the screen
    assert "\\_" not in screen and "**" not in screen and "## " not in screen
    # and the way to the full report is given
    assert "--format md" in screen and ".pdf" in screen


def test_a_report_without_red_flags_still_shows_its_conditions():
    from tahaluf.evaluation import evaluate_file
    from tahaluf.reports.viewmodel import build_report

    report = build_report(evaluate_file(EXAMPLES / "existing-alliance-review.yaml"), "en")
    assert report.verdict == "conditions" and not report.red_flags
    code, screen = on_terminal("evaluate", str(EXAMPLES / "existing-alliance-review.yaml"))
    assert code == 0 and "Proceed on conditions" in screen and "Red flags" not in screen
    first = report.next_steps[0]
    assert first.kind in ("fix", "establish") and first.rule in screen
    assert len(screen.rstrip("\n").split("\n")) <= ROWS - 1


def test_a_small_terminal_still_gets_one_screen():
    from tahaluf.evaluation import evaluate_file
    from tahaluf.reports.viewmodel import build_report

    report = build_report(evaluate_file(EXAMPLES / "existing-alliance-review.yaml"), "en")
    code, screen = on_terminal("evaluate", str(EXAMPLES / "existing-alliance-review.yaml"), rows=24, columns=80)
    lines = screen.rstrip("\n").split("\n")
    assert code == 0 and len(lines) <= 23, screen
    assert report.verdict_label in screen and report.next_steps[0].rule in screen


def test_format_md_on_a_terminal_is_raw_markdown():
    code, screen = on_terminal("evaluate", str(EXAMPLES / "core-concession.yaml"), "--format", "md")
    assert code == 0 and screen.startswith("# ") and "\n## " in screen


@pytest.mark.parametrize("fmt", ["pdf"])
def test_a_binary_format_refuses_the_terminal_with_a_hint(fmt):
    code, screen = on_terminal("evaluate", str(EXAMPLES / "core-concession.yaml"), "--format", fmt)
    assert code == 2 and "%PDF" not in screen
    assert screen.count("\n") == 1 and "-o" in screen and f".{fmt}" in screen


def test_a_pipe_still_gets_markdown():
    result = subprocess.run([sys.executable, "-m", "tahaluf", "evaluate", str(EXAMPLES / "core-concession.yaml")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and result.stdout.startswith("# ")
