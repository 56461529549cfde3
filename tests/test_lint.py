"""Lint and types run as tests: CI runs only pytest, so `ruff check` and `mypy` live here.

ruff checks the whole checkout (library, tests, benchmarks) with the rules chosen in pyproject.toml.
mypy checks the library only. The checkout's root *is* the package `tahaluf`, and the editable install
hides it from mypy, so mypy runs from a temp dir whose `tahaluf` is a symlink to the checkout.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"


def _run(args, cwd):
    done = subprocess.run([sys.executable, "-m", *args], cwd=cwd, capture_output=True, text=True, timeout=300)
    return done.returncode, done.stdout + done.stderr


def test_ruff_is_clean():
    code, out = _run(["ruff", "check", "--no-cache", "--config", str(PYPROJECT), str(ROOT)], ROOT)
    assert code == 0, out


def test_mypy_is_clean(tmp_path):
    (tmp_path / "tahaluf").symlink_to(ROOT, target_is_directory=True)
    code, out = _run(["mypy", "--config-file", str(PYPROJECT), "--cache-dir", str(tmp_path / ".mypy_cache"),
                      "-p", "tahaluf"], tmp_path)
    assert code == 0, out
    # The exclusion must not swallow the library: a count of checked files guards against an empty run.
    assert "source files" in out and "(checked 0 " not in out, out
