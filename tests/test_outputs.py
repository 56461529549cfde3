"""Writing outputs (files/output.py) and the XLSX budgets, in-process."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from support import EXAMPLES

from tahaluf.errors import InputError, UsageError
from tahaluf.files import output
from tahaluf.files.output import OutputSet, check_target, private_folder, sweep_leftovers, temp_prefix
from tahaluf.screening import screen_file


def test_a_failed_rename_puts_back_the_files_renamed_before_it(tmp_path, monkeypatch):
    first, second = tmp_path / "out.csv", tmp_path / "out.csv.errors.csv"
    first.write_text("old results", encoding="utf-8")
    second.write_text("old errors", encoding="utf-8")
    real_replace, calls = os.replace, []

    def replace(source, target):  # the OS refusing the second rename (a fault injected, not a stand-in)
        calls.append(target)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_replace(source, target)

    monkeypatch.setattr(output.os, "replace", replace)
    with pytest.raises(OSError), OutputSet() as outputs:
        outputs.add(first).write_text("new results", encoding="utf-8")
        outputs.add(second).write_text("new errors", encoding="utf-8")
    assert first.read_text(encoding="utf-8") == "old results"
    assert second.read_text(encoding="utf-8") == "old errors"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "out.csv.errors.csv"]


def test_inputs_are_compared_by_device_and_inode(tmp_path):
    source = tmp_path / "in.yaml"
    source.write_text("x", encoding="utf-8")
    os.link(source, tmp_path / "same.yaml")
    with pytest.raises(UsageError, match="is the input file"):
        check_target(tmp_path / "same.yaml", [source])
    check_target(tmp_path / "other.yaml", [source])  # a new file is fine


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_leftovers_of_a_dead_process_are_swept_and_a_live_ones_kept(tmp_path):
    dead, host = _dead_pid(), temp_prefix().split("-")[2]
    stale_file = tmp_path / f".out.csv.tahaluf-{dead}-{host}-abc123.tmp"
    stale_folder = tmp_path / f"tahaluf-{dead}-{host}-xyz789"
    live_file = tmp_path / f".out.csv.{temp_prefix()}def456.tmp"
    other = tmp_path / "tahaluf-notes.txt"
    for path in (stale_file, live_file, other):
        path.write_text("x", encoding="utf-8")
    stale_folder.mkdir()
    (stale_folder / "000.pickle").write_bytes(b"rows")
    assert set(sweep_leftovers(tmp_path)) == {stale_file, stale_folder}
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live_file.name, other.name])


def test_private_folder_is_named_for_this_process_and_private(tmp_path, monkeypatch):
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path))
    folder = private_folder()
    assert folder.name.startswith(temp_prefix()) and folder.parent == tmp_path
    assert (folder.stat().st_mode & 0o777) == 0o700


def test_xlsx_shared_strings_and_other_parts_are_capped_from_the_zip_directory(tmp_path, monkeypatch):
    book = openpyxl.Workbook()
    book.active.append(["name", "sector"])
    for index in range(200):
        book.active.append([f"Candidate number {index} with a long enough name", "ngo"])
    plain, path = tmp_path / "plain.xlsx", tmp_path / "c.xlsx"
    book.save(plain)
    with zipfile.ZipFile(plain) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as copy:
        for item in original.infolist():
            copy.writestr(item.filename, original.read(item))
        copy.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>a name</t></si>" * 100 + "</sst>")
    monkeypatch.setattr("tahaluf.limits.XLSX_MAX_STRINGS_BYTES", 1000)
    with pytest.raises(InputError, match=r"sharedStrings.xml' unpacks to more than 1,000 bytes"):
        screen_file(path, EXAMPLES / "screening-org.yaml", jobs=1, progress=False)
    monkeypatch.setattr("tahaluf.limits.XLSX_MAX_STRINGS_BYTES", 10**9)
    monkeypatch.setattr("tahaluf.limits.XLSX_MAX_PART_BYTES", 1000)
    with pytest.raises(InputError, match=r"theme1.xml' unpacks to more than 1,000 bytes"):
        screen_file(path, EXAMPLES / "screening-org.yaml", jobs=1, progress=False)


def test_no_errors_file_without_rejected_rows(tmp_path):
    source = tmp_path / "c.csv"
    source.write_text("name,sector\nA,ngo\nB,union\n", encoding="utf-8")
    summary = screen_file(source, EXAMPLES / "screening-org.yaml", output=str(tmp_path / "o.csv"), jobs=1,
                          progress=False)
    assert summary.rejected == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.csv", "o.csv"]
    assert Path(tmp_path / "o.csv").read_text(encoding="utf-8-sig").count("\n") == 3
