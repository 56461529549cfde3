"""Every package of the checkout is installed: a folder with code the list in pyproject.toml leaves out
is missing from `pip install .` (tahaluf.policy once was, and only the clean-clone test saw it)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOT_SHIPPED = {"tests", "benchmarks", "build", "examples", "docs", ".venv", ".git", ".ci"}


def test_every_folder_with_python_code_is_a_listed_package():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["setuptools"]["packages"])
    folders = {path.parent for path in ROOT.rglob("*.py")
               if not NOT_SHIPPED & set(path.relative_to(ROOT).parts) and not any(
                   part.endswith(".egg-info") or part.startswith(".") for part in path.relative_to(ROOT).parts)}
    names = {".".join(("tahaluf", *folder.relative_to(ROOT).parts)) for folder in folders}
    assert names - listed == set()
