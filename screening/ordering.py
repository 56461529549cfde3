"""Ordering: results spooled to temporary files bucketed by (status, score), so the best-first
order is the concatenation of the buckets and input order is kept inside each.
"""

from __future__ import annotations

import pickle
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tahaluf.files.output import private_folder

STATUSES = ("eligible", "conditional", "excluded")  # best first


def bucket_of(status: str, score: int | None) -> int:
    """Buckets in output order: status (best first), then score from 100 down to 0, then no score."""
    return STATUSES.index(status) * 102 + (101 if score is None else 100 - score)


class Spool:
    """Result rows pickled into one temporary file per (status, score) bucket; input order kept inside.

    The files live in a private temporary folder (mode 0700) and are read back only by
    this process: pickle is safe here and several times faster than JSON.
    """

    def __init__(self):
        self.folder = private_folder()  # named for this process: a kill -9's leftover goes at the next run
        self.files: dict[int, Any] = {}

    def _path(self, bucket: int) -> Path:
        return self.folder / f"{bucket:03d}.pickle"

    def add(self, bucket: int, pickled: bytes) -> None:
        stream = self.files.get(bucket)
        if stream is None:
            stream = self.files[bucket] = open(self._path(bucket), "wb", buffering=1 << 14)  # noqa: SIM115
        stream.write(pickled)

    def records(self) -> Iterator[list]:
        for stream in self.files.values():
            stream.close()
        for bucket in sorted(self.files):
            with open(self._path(bucket), "rb") as stream:
                while True:
                    try:
                        yield pickle.load(stream)
                    except EOFError:
                        break

    def close(self) -> None:
        for stream in self.files.values():
            try:
                stream.close()
            except OSError:  # a full disk: the folder goes anyway
                pass
        shutil.rmtree(self.folder, ignore_errors=True)
