"""Writing outputs: regular files only, atomically, with the permissions the user expects.

* An output must be a regular file or not exist yet: a device, FIFO or socket named
  by ``-o`` is refused (replacing ``/dev/null`` by a report would break the system),
  and so is an output that *is* one of the run's inputs (same device and inode).
* Each file is written to a temporary file beside it and renamed over it only when
  complete; files written together (a screening and its errors file) are renamed
  together, or none is (see :class:`OutputSet`).
* A replaced file keeps its mode (and owner, when we may set it); a new one gets
  0666 less the umask, as any program's output.
* Temporary files and folders carry ``tahaluf-PID-HOST`` in their names: what a
  ``kill -9`` leaves behind is recognisable, and the next run removes the ones whose
  process is gone (:func:`sweep_leftovers`).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from tahaluf.errors import UsageError

_HOST = re.sub(r"[^A-Za-z0-9]", "", socket.gethostname())[:24]
_TAG = "tahaluf"
# .NAME.tahaluf-PID-HOST-RANDOM.tmp beside an output; tahaluf-PID-HOST-RANDOM folders in the temp folder.
_LEFTOVER = re.compile(rf"{_TAG}-(\d+)-([A-Za-z0-9]*)-[A-Za-z0-9_]+(\.tmp)?$")


def temp_prefix() -> str:
    return f"{_TAG}-{os.getpid()}-{_HOST}-"


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
    assert out is not None  # to_stdout(None) is True
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


def write_output(content: str | bytes, out: str | None, inputs: Iterable[str | Path] = ()) -> None:
    """Write to ``out`` (a path), or to standard output when ``out`` is None or '-'."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    if to_stdout(out):
        if isinstance(content, str):
            sys.stdout.write(content)
            sys.stdout.flush()
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
        return
    assert out is not None  # to_stdout(None) is True
    write_atomically(Path(out), data, inputs)


def check_target(path: Path, inputs: Iterable[str | Path] = ()) -> None:
    """Fail before any work when ``path`` cannot be replaced safely: exit code 2, one line."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError(f"{path}: folder {folder} does not exist")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise UsageError(f"{path}: cannot write here: {error.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        # Renaming replaces the link itself, never the file it points at; say so rather than surprise.
        raise UsageError(f"{path}: is a symbolic link; give the real path")
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(f"{path}: is a folder")
    if not stat.S_ISREG(info.st_mode):
        from tahaluf.loader import file_kind

        raise UsageError(f"{path}: is {file_kind(info.st_mode)}: outputs are written only to regular files")
    for source in inputs:
        try:
            other = os.stat(source)
        except OSError:
            continue
        if (other.st_dev, other.st_ino) == (info.st_dev, info.st_ino):
            raise UsageError(f"{path}: is the input file {source}; give another output")


def refuse_write_protected(path: str | Path, force: bool = False) -> None:
    """UsageError when ``path`` exists and is write-protected, as ``cp`` and ``rm -i`` would warn:
    its owner's write bit is clear (what counts even for root, who can write anything), or this
    user may not write it. Renaming over it would ignore the mode, so ``--force`` must say so."""
    if force:
        return
    try:
        info = os.stat(path)
    except OSError:
        return  # absent (or unreadable: check_target says why)
    if not stat.S_ISREG(info.st_mode):
        return
    if not info.st_mode & stat.S_IWUSR or not os.access(path, os.W_OK):
        raise UsageError(f"{path}: is write-protected (mode {stat.S_IMODE(info.st_mode):04o}, no write permission "
                         f"for its owner); give --force to replace it anyway")


def current_umask() -> int:
    """The process umask, read without changing it (Linux); else set and restored at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _take_over_permissions(temporary: Path, target: Path) -> None:
    """The replaced file's mode and owner, or 0666 less the umask for a new file."""
    try:
        info = os.stat(target)
    except FileNotFoundError:
        os.chmod(temporary, 0o666 & ~current_umask())
        return
    os.chmod(temporary, stat.S_IMODE(info.st_mode))
    if hasattr(os, "chown"):
        try:
            os.chown(temporary, info.st_uid, info.st_gid)
        except OSError:  # only the owner's group, or root, may give it away: keep ours
            pass


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _temporary_beside(path: Path) -> Path:
    folder = path.parent if str(path.parent) else Path(".")
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name[:80]}.{temp_prefix()}", suffix=".tmp", dir=folder)
    except OSError as error:
        raise UsageError(f"{path}: cannot write here: {error.strerror}") from None
    os.close(handle)
    return Path(name)


class OutputSet:
    """Files written together: each to a temporary file beside it, all renamed into place at
    the end, or none. A file listed with :meth:`remove` (a stale errors file) goes with them.

    The data are flushed to disk before the first rename, so a full disk fails the whole
    set while every target is untouched; if a rename itself fails, the targets renamed
    before it get their previous content back (kept meanwhile as hard links).
    """

    def __init__(self, inputs: Iterable[str | Path] = ()):
        self.inputs = tuple(inputs)
        self.files: list[tuple[Path, Path]] = []  # (target, temporary)
        self.stale: list[Path] = []

    def add(self, path: Path) -> Path:
        check_target(path, self.inputs)
        sweep_leftovers(path.parent if str(path.parent) else Path("."))
        temporary = _temporary_beside(path)
        self.files.append((path, temporary))
        return temporary

    def remove(self, path: Path) -> None:
        check_target(path, self.inputs)
        self.stale.append(path)

    def discard(self, error: BaseException | None = None) -> None:
        """Remove the temporary files; ``error`` (what stopped the writing) is made to name its output."""
        if isinstance(error, OSError):
            _name_target(error, self.files)
        for _, temporary in self.files:
            temporary.unlink(missing_ok=True)
        self.files = []

    def commit(self) -> None:
        try:
            self._commit()
        except OSError as error:
            _name_target(error, self.files)
            raise

    def _commit(self) -> None:
        try:
            for target, temporary in self.files:
                check_target(target, self.inputs)  # again: it may have changed while we worked
                _fsync(temporary)
                _take_over_permissions(temporary, target)
        except BaseException as error:
            self.discard(error)
            raise
        done: list[tuple[Path, Path | None]] = []  # (target, backup of its previous content)
        try:
            for target, temporary in self.files:
                done.append((target, _backup(target)))
                os.replace(temporary, target)
        except BaseException as error:
            _roll_back(done)
            self.discard(error)
            raise
        for _, backup in done:
            if backup is not None:
                backup.unlink(missing_ok=True)
        self.files = []
        for target in self.stale:  # last: it belongs to the content just replaced
            try:
                target.unlink(missing_ok=True)
            except OSError:
                pass

    def __enter__(self) -> OutputSet:
        return self

    def __exit__(self, kind, error, trace) -> Literal[False]:
        if kind is None:
            self.commit()
        else:
            self.discard(error)
        return False


def _name_target(error: OSError, files: list[tuple[Path, Path]]) -> None:
    """A write that failed (a full disk) names the output it was for, never a temporary file or nothing."""
    if isinstance(error, BrokenPipeError) or not files:
        return
    targets = {str(temporary): target for target, temporary in files}
    if error.filename is None or str(error.filename) in targets:
        every = " and ".join(str(target) for target, _ in files)  # which one failed is not known
        error.filename = str(targets.get(str(error.filename), every))


def _backup(target: Path) -> Path | None:
    """A hard link to ``target``'s current content (None when there is none, or links are not possible)."""
    if not target.is_file():
        return None
    backup = _temporary_beside(target)
    backup.unlink()
    try:
        os.link(target, backup)
    except OSError:
        return None
    return backup


def _roll_back(done: list[tuple[Path, Path | None]]) -> None:
    for target, backup in reversed(done):
        try:
            if backup is None:
                target.unlink(missing_ok=True)
            elif os.path.samefile(backup, target):  # never replaced: renaming a link onto itself does nothing
                backup.unlink()
            else:
                os.replace(backup, target)
        except OSError:
            pass


@contextmanager
def atomic_path(path: Path, inputs: Iterable[str | Path] = ()) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; on success rename it over ``path``.

    On any error the temporary file is removed and ``path`` is untouched.
    """
    with OutputSet(inputs) as outputs:
        yield outputs.add(path)


def write_atomically(path: Path, data: bytes, inputs: Iterable[str | Path] = ()) -> None:
    """Write ``data`` to ``path`` through a temporary file, so a reader never sees half of it."""
    with atomic_path(path, inputs) as temporary:
        temporary.write_bytes(data)


# Leftovers of killed runs ---------------------------------------------------------------------------


def _process_gone(pid: int) -> bool:
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, someone else's
        return False
    return False


def sweep_leftovers(folder: Path) -> list[Path]:
    """Remove this host's ``tahaluf-PID-…`` temporary files and folders in ``folder`` whose process is gone."""
    removed: list[Path] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    uid = os.getuid() if hasattr(os, "getuid") else None
    for entry in entries:
        match = _LEFTOVER.search(entry.name)
        if match is None or match.group(2) != _HOST or not _process_gone(int(match.group(1))):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if uid is not None and info.st_uid != uid:
                continue
            if stat.S_ISDIR(info.st_mode):
                shutil.rmtree(entry.path)
            elif stat.S_ISREG(info.st_mode):
                os.unlink(entry.path)
            else:
                continue
        except OSError:
            continue
        removed.append(Path(entry.path))
    return removed


def private_folder() -> Path:
    """A new temporary folder (mode 0700) named for this process; leftovers of dead runs are swept first."""
    base = Path(tempfile.gettempdir())
    sweep_leftovers(base)
    return Path(tempfile.mkdtemp(prefix=temp_prefix(), dir=base))
