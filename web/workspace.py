"""The workspace: a folder of alliance YAML files (the format `evaluate` reads), and a trash folder.

Every name a request gives goes through :meth:`Workspace.path`, which accepts only a plain
file name of the workspace itself — no folder part, no ``..``, no hidden file, no symlink —
so no request can read, write or delete anything outside the folder. A file with another hard
link (the same file under a name outside the folder) or of another user is not served either.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tahaluf.errors import InputError
from tahaluf.evaluation import Evaluation, evaluate_file
from tahaluf.files.alliance_file import AllianceFile

DEFAULT_WORKSPACE = "tahaluf-workspace"
TRASH = ".trash"
SUFFIXES = (".yaml", ".yml")
MAX_NAME_BYTES = 120
# Letters and digits of any script, and - _ . and space inside; no path separators, no controls.
_NAME = re.compile(r"^[^\W_][\w\-. ]*\.ya?ml$")
_UNSAFE = re.compile(r"[^\w\- ]+")


class NotInWorkspace(ValueError):
    """A name that is not a plain alliance file of the workspace."""


class NotServable(NotInWorkspace):
    """A file of the workspace that is also elsewhere (another hard link) or belongs to another user:
    serving or writing it would read or change a file outside the folder, or someone else's."""


class VersionConflict(Exception):
    """The file changed since the page that sent this answer was shown (another tab, another program)."""


@dataclass(frozen=True)
class Entry:
    """One assessment in the list: the view decides nothing, the engine gives the verdict."""

    name: str
    alliance: str
    stage: str
    verdict: str | None  # None when the file is not valid input
    problem: str
    modified: str  # last change, local time, to the minute
    for_screening: bool = False  # an organisation file for screening (see for_screening), not an assessment


def for_screening(document) -> bool:
    """Whether a file is an organisation file for screening (``tahaluf screen --org``) by its shape:
    our organisation and the alliance described and nothing else, no partner (not even an empty
    list: the candidates file brings them). A new assessment, its two names alone, is not one."""
    if document.model_fields_set - {"organisation", "alliance", "as_of", "respondent"}:
        return False
    described = (document.organisation.model_fields_set | document.alliance.model_fields_set) - {"name"}
    return bool(described)


def version_of(data: bytes) -> str:
    """The version a page was shown at: the file's SHA-256 (it changes with any change to the file)."""
    return hashlib.sha256(data).hexdigest()


class Workspace:
    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()

    def ensure(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, name: str) -> Path:
        """The file ``name`` names inside the workspace; NotInWorkspace for anything else."""
        name = unicodedata.normalize("NFC", name)
        if (not _NAME.match(name) or len(name.encode("utf-8")) > MAX_NAME_BYTES or ".." in name):
            raise NotInWorkspace(name)
        path = self.root / name
        if path.is_symlink() or path.resolve().parent != self.root:
            raise NotInWorkspace(name)
        return path

    def existing(self, name: str) -> Path:
        """An existing file of the workspace that is its own (NotServable when linked or another's)."""
        path = self.path(name)
        if not path.is_file():
            raise FileNotFoundError(name)
        status = path.lstat()
        if status.st_nlink > 1 or status.st_uid != os.geteuid():
            raise NotServable(name)
        return path

    def names(self) -> list[str]:
        found = []
        for path in self.root.iterdir() if self.root.is_dir() else ():
            try:
                self.existing(path.name)
            except (NotInWorkspace, FileNotFoundError):
                continue
            found.append(path.name)
        return sorted(found, key=str.casefold)

    def entries(self, evaluated: Callable[[str, Evaluation, str], object] | None = None) -> list[Entry]:
        """Each assessment, evaluated; ``evaluated(name, evaluation, input SHA-256)`` is told of each."""
        entries = []
        for name in self.names():
            try:
                found, evaluation, version = self.entry(name)
            except (FileNotFoundError, NotInWorkspace):  # gone (or replaced) since it was listed
                continue
            if evaluated is not None and evaluation is not None:
                evaluated(name, evaluation, version)
            entries.append(found)
        return entries

    def entry(self, name: str) -> tuple[Entry, Evaluation | None, str]:
        """(one assessment's entry, its evaluation or None when not valid input, its version)."""
        path = self.existing(name)
        modified = _dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        raw = path.read_bytes()
        try:
            evaluation = evaluate_file(path)
        except InputError as error:
            return Entry(name, name, "", None, str(error).splitlines()[0], modified), None, version_of(raw)
        document = evaluation.document
        stage = document.alliance.stage or ""
        return (Entry(name, document.alliance.name, stage, evaluation.verdict, "", modified, for_screening(document)),
                evaluation, version_of(raw))

    def new_name(self, alliance: str) -> str:
        """A free file name made from the alliance's name (any script kept, the rest dropped)."""
        stem = _UNSAFE.sub(" ", unicodedata.normalize("NFC", alliance)).strip(" -.")
        stem = re.sub(r"\s+", "-", stem)[:60].strip("-") or "alliance"
        if not stem[0].isalnum():
            stem = "alliance-" + stem
        for number in range(1, 1000):
            name = f"{stem}.yaml" if number == 1 else f"{stem}-{number}.yaml"
            if not (self.root / name).exists():
                return name
        raise FileExistsError(stem)

    def create(self, organisation: str, alliance: str) -> str:
        """A new assessment with the two names it cannot be without (InputError when one is not valid)."""
        self.ensure()
        name = self.new_name(alliance)
        AllianceFile.create(self.path(name), organisation, alliance)
        return name

    def duplicate(self, name: str, is_free: Callable[[str], bool] = lambda _: True) -> str:
        """A byte-for-byte copy of ``name`` (comments and all) under the first free name of
        STEM-copy.yaml, STEM-copy-2.yaml, …; ``is_free(name)`` may refuse a name (one with history)."""
        source = self.existing(name)
        data, mode = source.read_bytes(), stat.S_IMODE(source.stat().st_mode)
        for number in range(1, 1000):
            tail = ("-copy" if number == 1 else f"-copy-{number}") + source.suffix
            stem = source.stem.encode("utf-8")[:MAX_NAME_BYTES - len(tail.encode("utf-8"))]
            candidate = stem.decode("utf-8", "ignore").rstrip(" .-") + tail
            target = self.path(candidate)
            if target.exists() or target.is_symlink() or not is_free(candidate):
                continue
            if self._place(data, mode, target):
                return candidate
        raise FileExistsError(name)

    def _place(self, data: bytes, mode: int, target: Path) -> bool:
        """Write ``target`` whole or not at all, never over an existing file (False when one appeared)."""
        descriptor, temporary = tempfile.mkstemp(prefix=".copy-", dir=self.root)
        try:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(data)
            os.chmod(temporary, mode)
            os.link(temporary, target)  # fails if the name was taken meanwhile: nothing overwritten
            return True
        except FileExistsError:
            return False
        finally:
            os.unlink(temporary)

    def delete(self, name: str) -> str:
        """Move the file to the trash folder (recoverable), under a name stamped with the time."""
        path = self.existing(name)
        trash = self.root / TRASH
        trash.mkdir(exist_ok=True)
        if trash.is_symlink() or trash.resolve().parent != self.root:
            raise NotInWorkspace(TRASH)
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        target = trash / f"{path.stem}.{stamp}{path.suffix}"
        os.replace(path, target)
        return target.name
