"""The hostile corpus, second round (issue 21): more of `tahaluf` as a whole process against
hostile input and a hostile system. Each case asserts the exit code, one line on standard
error, no traceback and nothing changed on disk but what is expected (see test_hostile_corpus)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from corpus import Snapshot, run_cli
from support import EXAMPLES, free_port
from test_hostile_corpus import _fill, assert_untouched, one_line_error

ALLIANCE = EXAMPLES / "core-concession.yaml"


def folder_with_alliance(tmp_path: Path) -> Path:
    shutil.copy(ALLIANCE, tmp_path / "in.yaml")
    return tmp_path


# 11. Tracebacks -----------------------------------------------------------------------------------


def test_set_past_the_end_of_a_list_says_how_many_and_how_to_add_one(tmp_path):
    folder = folder_with_alliance(tmp_path)
    snapshot = Snapshot(folder)
    run = run_cli(["evaluate", "in.yaml", "--set", "partners[5].name=x"], folder)
    one_line_error(run, 2, "the list partners has 1 item; add one with --set partners[1]")
    assert_untouched(snapshot, run)


def test_set_one_past_the_end_adds_an_item(tmp_path):
    folder = folder_with_alliance(tmp_path)
    run = run_cli(["evaluate", "in.yaml", "--format", "json", "--set", "partners[1].name=Newcomer"], folder)
    assert run.code == 0, run.err
    assert "Newcomer" in run.out.decode()


NOT_REPORTS = {
    "list": ("[1, 2]", "an array"),
    "string": ('"text"', "a string"),
    "null": ("null", "null"),
    "deep": ("[" * 10_000 + "]" * 10_000, "nested too deeply"),
    "deep-object": ('{"a":' * 10_000 + "1" + "}" * 10_000, "nested too deeply"),
}


@pytest.mark.parametrize("name", list(NOT_REPORTS))
def test_diff_with_a_json_side_that_is_not_a_report(name, tmp_path):
    folder = folder_with_alliance(tmp_path)
    text, fragment = NOT_REPORTS[name]
    (folder / "side.json").write_text(text, encoding="utf-8")
    snapshot = Snapshot(folder)
    run = run_cli(["diff", "in.yaml", "side.json"], folder)
    one_line_error(run, 2, fragment)
    assert "side.json: not a Tahaluf JSON report" in run.err
    assert_untouched(snapshot, run)


# 12. merge writes only what check accepts ---------------------------------------------------------


def respondent_files(folder: Path, count: int, partners_each: int = 0) -> list[str]:
    base = yaml.safe_load(ALLIANCE.read_text(encoding="utf-8"))
    names = []
    for index in range(count):
        document = dict(base, respondent=f"R{index:03d}")
        if partners_each:
            document["partners"] = [{"name": f"P{index}-{n}", "sector": "ngo"} for n in range(partners_each)]
        (folder / f"r{index:03d}.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        names.append(f"r{index:03d}.yaml")
    return names


def test_merge_of_more_than_100_respondents_is_refused_up_front(tmp_path):
    files = respondent_files(tmp_path, 101)
    snapshot = Snapshot(tmp_path)
    run = run_cli(["merge", *files, "-o", "merged.yaml"], tmp_path)
    one_line_error(run, 2, "at most 100 respondents")
    assert_untouched(snapshot, run)


def test_merge_whose_union_passes_a_limit_writes_nothing(tmp_path):
    files = respondent_files(tmp_path, 2, partners_each=60)  # 120 partners in all: more than 100
    snapshot = Snapshot(tmp_path)
    run = run_cli(["merge", *files, "-o", "merged.yaml"], tmp_path)
    one_line_error(run, 2, "partners: more than 100 items")
    assert_untouched(snapshot, run)


def test_merge_of_100_respondents_is_a_file_check_accepts(tmp_path):
    files = respondent_files(tmp_path, 100)
    assert run_cli(["merge", *files, "-o", "merged.yaml"], tmp_path).code == 0
    run = run_cli(["check", "merged.yaml"], tmp_path)
    assert run.code == 0, (run.out, run.err)


# 14. What the interview says it saved ---------------------------------------------------------------


def test_interview_of_a_new_file_with_no_input_says_nothing_was_saved(tmp_path):
    snapshot = Snapshot(tmp_path)
    run = run_cli(["interview", "NEW.yaml"], tmp_path)  # standard input: /dev/null
    assert run.code == 1 and "Traceback" not in run.err, run.err
    assert run.lines == ["Nothing saved: NEW.yaml was not created (no answer was given)."], run.err
    assert_untouched(snapshot, run)


# 8. Write-protected targets -------------------------------------------------------------------------

WRITE_PROTECTED = {  # name -> (arguments, the write-protected file)
    "evaluate-output": (["evaluate", "in.yaml", "-o", "out.md"], "out.md"),
    "merge-output": (["merge", "in.yaml", "other.yaml", "-o", "out.yaml"], "out.yaml"),
    "diff-output": (["diff", "in.yaml", "other.yaml", "-o", "out.md"], "out.md"),
    "plan-export": (["plan", "in.yaml", "-o", "out.ics"], "out.ics"),
    "plan-into-file": (["plan", "in.yaml"], "in.yaml"),
    "screen-output": (["screen", "good.csv", "--org", "in.yaml", "-o", "out.csv", "--jobs", "1"], "out.csv"),
    "screen-errors": (["screen", "good.csv", "--org", "in.yaml", "-o", "out.csv", "--jobs", "1"], "out.csv.errors.csv"),
    "interview-file": (["interview", "in.yaml"], "in.yaml"),
}


def write_protected_folder(tmp_path: Path, protected: str) -> Path:
    folder = folder_with_alliance(tmp_path)
    text = ALLIANCE.read_text(encoding="utf-8")
    (folder / "other.yaml").write_text(text.replace("organisation:", "respondent: Other\norganisation:", 1),
                                       encoding="utf-8")
    (folder / "good.csv").write_text("name,sector\nA,ngo\n", encoding="utf-8")
    target = folder / protected
    if not target.exists():
        target.write_text("theirs\n", encoding="utf-8")
    target.chmod(0o444)
    return folder


@pytest.mark.parametrize("name", list(WRITE_PROTECTED))
def test_a_write_protected_target_is_refused(name, tmp_path):
    args, protected = WRITE_PROTECTED[name]
    folder = write_protected_folder(tmp_path, protected)
    snapshot = Snapshot(folder)
    run = run_cli(args, folder)
    one_line_error(run, 2, f"{protected}: is write-protected (mode 0444")
    assert "--force" in run.err
    assert_untouched(snapshot, run)


def test_force_replaces_a_write_protected_output_and_keeps_its_mode(tmp_path):
    folder = write_protected_folder(tmp_path, "out.md")
    run = run_cli(["evaluate", "in.yaml", "-o", "out.md", "--force"], folder)
    assert run.code == 0, run.err
    assert (folder / "out.md").read_text(encoding="utf-8") != "theirs\n"
    assert (folder / "out.md").stat().st_mode & 0o777 == 0o444


# 14. A full disk names the file ---------------------------------------------------------------------


@pytest.mark.parametrize("args, named", [
    (["evaluate", "{folder}/in.yaml", "-o", "out.md"], "out.md: No space left on device"),
    (["evaluate", "{folder}/in.yaml", "-o", "out.pdf"], "out.pdf: No space left on device"),
    (["screen", "{folder}/good.csv", "--org", "{folder}/in.yaml", "-o", "out.csv", "--jobs", "1"], "out.csv"),
])
def test_a_full_disk_names_the_file_it_could_not_write(args, named, tmp_path, small_disk):
    (tmp_path / "inputs").mkdir()
    folder = folder_with_alliance(tmp_path / "inputs")
    (folder / "good.csv").write_text("name,sector\nA,ngo\n", encoding="utf-8")
    _fill(small_disk, 0)
    snapshot = Snapshot(small_disk)
    run = run_cli([arg.format(folder=folder) for arg in args], small_disk)
    one_line_error(run, 1, named)
    assert "No space left on device" in run.err
    assert_untouched(snapshot, run)


# 13. Screening: the real reasons --------------------------------------------------------------------


def screen_folder(tmp_path: Path, name: str, text: str) -> Path:
    shutil.copy(EXAMPLES / "screening-org.yaml", tmp_path / "org.yaml")
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def rejected(folder: Path) -> list[list[str]]:
    import csv

    with open(folder / "out.csv.errors.csv", encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream))[1:]


def screened_rows(folder: Path) -> list[str]:
    import csv

    with open(folder / "out.csv", encoding="utf-8-sig", newline="") as stream:
        return sorted(record["row"] for record in csv.DictReader(stream))


@pytest.mark.parametrize("text, bad, problem", [
    ('name,sector\nA,ngo\nB,ngo\n"C,ngo\nD,ngo\nE,ngo\nF,ngo\n', "4", "a quote opened in this row is never closed"),
    ('name,sector\nA,ngo\nB,ngo\n"C,ngo\nD,ngo\nE,"ngo"\nF,ngo\n', "4", "is not closed on its line"),
])
def test_an_unclosed_quote_in_a_csv_rejects_its_row_alone(text, bad, problem, tmp_path):
    folder = screen_folder(tmp_path, "c.csv", text)
    run = run_cli(["screen", "c.csv", "--org", "org.yaml", "-o", "out.csv", "--jobs", "1"], folder)
    assert run.code == 0, run.err
    assert "6 rows in = 5 screened + 1 rejected" in run.err, run.err
    assert [row[0] for row in rejected(folder)] == [bad] and problem in rejected(folder)[0][2]
    assert screened_rows(folder) == sorted({"2", "3", "4", "5", "6", "7"} - {bad})


@pytest.mark.parametrize("line, problem", [
    ('[{"name": "A"}]', "1: no line is a candidate: expected one JSON object per line"),
    ('{"name": "A", "sector": ngo}', "1: no line is a candidate: not valid JSON: Expecting value"),
    ('{"name": "A", "employees": 1' + "0" * 5000 + "}", "a number has more than 4,300 digits"),
])
def test_a_one_line_jsonl_file_that_cannot_be_read_gives_the_real_reason(line, problem, tmp_path):
    folder = screen_folder(tmp_path, "c.jsonl", line + "\n")
    snapshot = Snapshot(folder)
    run = run_cli(["screen", "c.jsonl", "--org", "org.yaml", "-o", "out.csv", "--jobs", "1"], folder)
    one_line_error(run, 2, problem)
    assert "required column" not in run.err and "nested too deeply" not in run.err
    assert_untouched(snapshot, run)


def test_a_huge_integer_in_a_jsonl_row_is_rejected_for_what_it_is(tmp_path):
    text = '{"name": "A", "sector": "ngo", "employees": 1' + "0" * 5000 + '}\n{"name": "B", "sector": "ngo"}\n'
    folder = screen_folder(tmp_path, "c.jsonl", text)
    run = run_cli(["screen", "c.jsonl", "--org", "org.yaml", "-o", "out.csv", "--jobs", "1"], folder)
    assert run.code == 0, run.err
    assert rejected(folder) == [["1", "", "not valid JSON: a number has more than 4,300 digits"]]


# 9. A failed fork in `screen` -----------------------------------------------------------------------

FAILING_FORK = '''\
import os

_real_fork, _left = os.fork, int(os.environ["TAHALUF_TEST_FORKS_LEFT"])


def _fork():  # as under a process limit (ulimit -u): the first forks succeed, then EAGAIN
    global _left
    if _left <= 0:
        raise BlockingIOError(11, "Resource temporarily unavailable")
    _left -= 1
    return _real_fork()


os.fork = _fork
'''


def processes_marked(mark: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("forks_left", [0, 1, 2])
def test_a_failed_fork_fails_fast_in_one_line_and_leaves_nothing(forks_left, tmp_path):
    import os
    import uuid

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FAILING_FORK, encoding="utf-8")  # the real process's os.fork fails
    (tmp_path / "work").mkdir()
    folder = screen_folder(tmp_path / "work", "c.csv", "name,sector\nA,ngo\nB,ngo\n")
    mark = f"tahaluf-fork-test-{uuid.uuid4().hex}"
    env = {"PYTHONPATH": os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")])),
           "TAHALUF_TEST_FORKS_LEFT": str(forks_left), "TAHALUF_TEST_MARK": mark}
    snapshot = Snapshot(folder)
    run = run_cli(["screen", "c.csv", "--org", "org.yaml", "-o", "out.csv", "--jobs", "3"], folder, env=env,
                  timeout=30)
    one_line_error(run, 1, "cannot start 3 worker processes (Resource temporarily unavailable)")
    assert run.seconds < 10, run.seconds
    assert_untouched(snapshot, run)
    assert processes_marked(mark) == []  # no worker left behind


# 10. --dask that cannot work ------------------------------------------------------------------------


@pytest.fixture()
def tcp_servers():
    """Two plain TCP servers that are not Dask: one answers like a web server, one accepts and says nothing."""
    import socket
    import threading

    servers, stop = [], threading.Event()

    def serve(reply: bytes) -> int:
        listener = socket.create_server(("127.0.0.1", 0))
        listener.settimeout(0.2)
        servers.append(listener)
        held = []

        def loop() -> None:
            while not stop.is_set():
                try:
                    connection, _ = listener.accept()
                except (TimeoutError, OSError):
                    continue
                held.append(connection)  # kept open: a silent server never hangs up
                if reply:
                    connection.sendall(reply)

        threading.Thread(target=loop, daemon=True).start()
        return listener.getsockname()[1]

    yield {"web": serve(b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello" * 4), "silent": serve(b"")}
    stop.set()
    for listener in servers:
        listener.close()


def closed_port() -> int:
    return free_port()  # nobody listens there


DASK_CASES = {  # name -> (address, extra options, what the line says, most seconds)
    "no-port": ("scheduler-without-port", [], "missing port number", 8),
    "bad-port": ("tcp://10.0.0.5:99999", [], "the port must be a number from 1 to 65535", 8),
    "not-a-host": ("tcp://a b:8786", [], "is not a host name or address", 8),
    "http": ("http://127.0.0.1:8787", [], "http:// is a web address", 8),
    "unknown-scheme": ("ftp://127.0.0.1:8786", [], "unknown address scheme 'ftp'", 8),
    "a-web-server": ("tcp://127.0.0.1:{web}", [], "is not a Dask scheduler: it answers in another protocol", 8),
    "a-silent-server": ("tcp://127.0.0.1:{silent}", ["--dask-timeout", "2"], "no Dask handshake within 2 s", 10),
    "silent-default-timeout": ("tcp://127.0.0.1:{silent}", [], "no Dask handshake within 10 s", 18),
    "refused": ("tcp://127.0.0.1:{closed}", [], "cannot reach the Dask scheduler", 8),
    "bad-timeout": ("tcp://127.0.0.1:8786", ["--dask-timeout", "0"], "--dask-timeout must be", 8),
}


@pytest.mark.parametrize("name", list(DASK_CASES))
def test_a_dask_address_that_cannot_work_is_one_line_and_exit_2(name, tmp_path, tcp_servers):
    pytest.importorskip("distributed")
    address, options, fragment, seconds = DASK_CASES[name]
    address = address.format(closed=closed_port(), **tcp_servers)
    folder = screen_folder(tmp_path, "c.csv", "name,sector\nA,ngo\n")
    snapshot = Snapshot(folder)
    run = run_cli(["screen", "c.csv", "--org", "org.yaml", "-o", "out.csv", "--dask", address, *options], folder,
                  timeout=60)
    one_line_error(run, 2, fragment)
    assert "MemoryError" not in run.err
    assert run.seconds < seconds, run.seconds
    assert_untouched(snapshot, run)
