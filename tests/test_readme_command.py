"""Issue 10, bullet 7: the README's test command works as written, as root where there is
no sudo (a container) and as a user with sudo.

The line is run by bash exactly as `.ci/run` extracts it, with a PATH holding only small
recording stand-ins for the programs it calls (apt-get, sudo, id, python3): what is tested
is the line's own logic, who it asks to install what.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

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


def run_as(tmp_path: Path, uid: int, with_sudo: bool) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("apt-get", "python3"):
        (bin_dir / name).write_text(RECORDER.format(name=name), encoding="utf-8")
    (bin_dir / "id").write_text(f"#!/bin/bash\necho {uid}\n", encoding="utf-8")
    if with_sudo:
        (bin_dir / "sudo").write_text(SUDO, encoding="utf-8")
    for stub in bin_dir.iterdir():
        stub.chmod(0o755)
    log = tmp_path / "log"
    result = subprocess.run(["/bin/bash", "-c", test_command()], cwd=ROOT, capture_output=True, text=True,
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
    assert calls[-2:] == ["python3 -m pip install -q .[test,dask]", "python3 -m pytest -q"]


def test_as_a_user_with_sudo(tmp_path):
    calls = run_as(tmp_path, 1000, with_sudo=True)
    # each apt-get ran through sudo (the stand-in records "sudo apt-get ..." then runs apt-get)
    through_sudo = [call.removeprefix("sudo ") for call in calls if call.startswith("sudo ")]
    direct = [call for call in calls if call.startswith("apt-get")]
    assert direct and through_sudo == direct
    assert calls[-1] == "python3 -m pytest -q" and not any(call.startswith("sudo python3") for call in calls)


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
