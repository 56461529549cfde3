"""Writing a report: atomically, so an existing file is replaced only by a complete one."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from tahaluf.errors import UsageError


STDOUT = "-"  # as an output name: standard output


def to_stdout(out: str | None) -> bool:
    return out in (None, STDOUT)


def format_for(out: str | None, asked: str | None, suffixes: dict[str, str], default: str) -> str:
    """The output format: the one asked for, else the one ``out``'s extension names, else ``default``.

    A format that contradicts the extension is an error, and so is an extension no format
    has (``-o s.pdf`` for a spreadsheet) unless a format is asked for: a file is never
    written in a format its name does not say.
    """
    if to_stdout(out):
        return asked or default
    suffix = Path(out).suffix.lower()
    named = suffixes.get(suffix)
    if named and asked and asked != named:
        raise UsageError(f"{out}: --format {asked} contradicts the {suffix} extension; "
                         f"drop --format or name the file .{asked}")
    if named:
        return named
    if suffix and not asked:
        known = ", ".join(sorted(suffixes))
        raise UsageError(f"{out}: no format is written as {suffix}; name the file {known}, or give --format")
    return asked or default


def write_output(content: str | bytes, out: str | None) -> None:
    """Write to ``out`` (a path), or to standard output when ``out`` is None or '-'."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if out in (None, "-"):
        if isinstance(content, str):
            sys.stdout.write(content)
            sys.stdout.flush()
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return
    write_atomically(Path(out), data)


def check_target(path: Path) -> None:
    """Fail before any work when ``path`` cannot be replaced atomically."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: folder {folder} does not exist")
    if path.is_symlink():
        # Renaming replaces the link itself, never the file it points at; say so rather than surprise.
        raise UsageError(f"{path}: is a symbolic link; give the real path")
    if path.is_dir():
        raise UsageError(f"{path}: is a folder")


@contextmanager
def atomic_path(path: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success fsync it and rename it over ``path``.

    On any error the temporary file is removed and ``path`` is untouched.
    """
    check_target(path)
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise UsageError(f"{path}: cannot write here: {error.strerror}") from None
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        descriptor = os.open(temporary, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a reader never sees half of it."""
    with atomic_path(path) as temporary:
        temporary.write_bytes(data)
