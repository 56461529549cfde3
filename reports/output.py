"""Writing a report: atomically, so an existing file is replaced only by a complete one."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tahaluf.errors import UsageError


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


def write_atomically(path: Path, data: bytes) -> None:
    """Temporary file in the target folder, fsync, then rename over the target."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: folder {folder} does not exist")
    if path.is_symlink():
        # Renaming replaces the link itself, never the file it points at; say so rather than surprise.
        raise UsageError(f"{path}: is a symbolic link; give the real path")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
