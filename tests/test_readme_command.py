"""Issue 10, bullet 7: the README's test command works as written, as root where there is
no sudo (a container) and as a user with sudo.

The line is run by bash exactly as `.ci/run` extracts it, with a PATH holding only small
recording stand-ins for the programs it calls (apt-get, sudo, id, python3, and the `.venv`'s
pip and python): what is tested is the line's own logic, who it asks to install what.

Issue 21, bullet 15: the first command, run as written in a clean clone with a fresh HOME,
installs into a virtual environment of its own (a system Python refuses `pip install`
outside one, PEP 668) and prints a verdict.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support import ROOT

RECORDER = """#!/bin/bash
echo "{name} $*" >> "$LOG"
"""
SUDO = """#!/bin/bash
echo "sudo $*" >> "$LOG"
exec "$@"
"""


def test_command() -> str:
    """The line after the test-command marker, as .ci/run reads it."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("<!-- test-command -->", 1)[1]
    lines = block.split("```sh\n", 1)[1].split("\n```", 1)[0].strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


test_command.__test__ = False  # a helper, not a test


def first_command() -> str:
    """The README's first command: install and evaluate a shipped example."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Set-up: two commands", 1)[1].split("```sh\n", 1)[1].split("\n```", 1)[0]
    lines = block.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def run_as(tmp_path: Path, uid: int, with_sudo: bool) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("apt-get", "python3"):
        (bin_dir / name).write_text(RECORDER.format(name=name), encoding="utf-8")
    (bin_dir / "id").write_text(f"#!/bin/bash\necho {uid}\n", encoding="utf-8")
    if with_sudo:
        (bin_dir / "sudo").write_text(SUDO, encoding="utf-8")
    checkout = tmp_path / "checkout"  # where the line makes .venv: its pip and python are stand-ins too
    (checkout / ".venv" / "bin").mkdir(parents=True)
    for name in ("pip", "python"):
        (checkout / ".venv" / "bin" / name).write_text(RECORDER.format(name=f".venv/bin/{name}"), encoding="utf-8")
    for stub in [*bin_dir.iterdir(), *(checkout / ".venv" / "bin").iterdir()]:
        stub.chmod(0o755)
    log = tmp_path / "log"
    result = subprocess.run(["/bin/bash", "-c", test_command()], cwd=checkout, capture_output=True, text=True,
                            env={"PATH": str(bin_dir), "LOG": str(log), "HOME": str(tmp_path)}, timeout=60)
    assert result.returncode == 0, result.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_as_root_without_sudo(tmp_path):
    calls = run_as(tmp_path, 0, with_sudo=False)
    assert not any(call.startswith("sudo") for call in calls)
    assert calls[0].startswith("apt-get update")
    install = next(call for call in calls if call.startswith("apt-get install"))
    for package in ("poppler-utils", "fonts-hosny-amiri", "chromium", "libpango-1.0-0"):
        assert package in install.split()
    assert "python3-venv" in install.split()  # the environment's module on a fresh Debian/Ubuntu
    assert calls[-3:] == ["python3 -m venv .venv", ".venv/bin/pip install -q .[test,dask]",
                          ".venv/bin/python -m pytest -q -n auto --dist worksteal"]


def test_as_a_user_with_sudo(tmp_path):
    calls = run_as(tmp_path, 1000, with_sudo=True)
    # each apt-get ran through sudo (the stand-in records "sudo apt-get ..." then runs apt-get)
    through_sudo = [call.removeprefix("sudo ") for call in calls if call.startswith("sudo ")]
    direct = [call for call in calls if call.startswith("apt-get")]
    assert direct and through_sudo == direct
    assert calls[-1] == ".venv/bin/python -m pytest -q -n auto --dist worksteal"
    assert not any(call.startswith(("sudo python3", "sudo .venv")) for call in calls)


def test_the_browser_tests_dependencies_are_installed_by_it():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(requirement.startswith("playwright") for requirement in extras["test"])
    assert "chromium" in test_command().split()


def test_ci_run_uses_the_same_line():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci and 'bash -c "$test_command"' in ci


def test_the_dask_tests_dependencies_are_installed_by_it():
    import tomllib

    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["optional-dependencies"]
    assert any(requirement.startswith("dask[distributed]") for requirement in extras["dask"])
    assert "'.[test,dask]'" in test_command().split()  # tests/test_screening_dask.py's cluster


def test_no_pip_install_outside_a_virtual_environment():
    """PEP 668: a system Python refuses `pip install`; both lines install into .venv only."""
    for line in (first_command(), test_command()):
        assert "python3 -m venv .venv" in line
        assert "python3 -m pip" not in line and " pip install" not in line.replace(".venv/bin/pip install", "")


def test_the_first_command_works_as_written_in_a_clean_clone(tmp_path):
    """`git clone` of the repository at HEAD, a fresh HOME, the first command exactly as written."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: there is no HEAD to clone")
    clone, home = tmp_path / "clone", tmp_path / "home"
    home.mkdir()
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True, capture_output=True, timeout=120)
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", head.strip()], check=True, timeout=60)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("VIRTUAL_ENV", "PYTHON")) and key != "HOME"}
    env.update(HOME=str(home), PATH=os.pathsep.join(part for part in os.environ["PATH"].split(os.pathsep)
                                                       if not part.startswith(sys.prefix)))
    result = subprocess.run(["/bin/bash", "-c", first_command()], cwd=clone, env=env, capture_output=True,
                            text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-3000:]
    assert re.search(r"Verdict|Proceed|Do not proceed", result.stdout), result.stdout[-3000:]
    assert (clone / ".venv" / "bin" / "tahaluf").exists()
