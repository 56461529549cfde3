"""`tahaluf screen --dask`: the same output as a local run, on a real two-worker Dask LocalCluster.

The cluster is started once for the module, in a child process (two worker processes, one thread each),
and closed after. Each comparison screens the same file locally (jobs=1 and jobs=2)
and on the cluster, and compares the files byte for byte (XLSX: every cell of every
sheet) and the summaries.
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import distributed  # the dask extra: the README's test command installs it
import openpyxl
import pytest
from support import EXAMPLES, free_port

from tahaluf.cli import main
from tahaluf.errors import TahalufError, UsageError
from tahaluf.screening import screen_file

ORG = EXAMPLES / "screening-org.yaml"
CANDIDATES = EXAMPLES / "candidates.csv"


# The cluster runs in a child process: this one forks local workers (jobs=2), best with no thread about.
CLUSTER = """
import sys
from distributed import LocalCluster
if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0",
                      silence_logs=50) as cluster:
        print(cluster.scheduler_address, flush=True)
        sys.stdin.read()  # until the tests are done
"""


@pytest.fixture(scope="module")
def address(tmp_path_factory) -> str:
    log = tmp_path_factory.mktemp("cluster") / "cluster.log"
    with open(log, "w") as stderr:
        process = subprocess.Popen([sys.executable, "-c", CLUSTER], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=stderr, text=True)
    try:
        address = process.stdout.readline().strip()
        assert address.startswith("tcp://"), log.read_text()
        yield address
    finally:
        process.stdin.close()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# What a summary says that may differ between two runs of one file: the time, the paths, and how many
# profiles the engine judged in full rather than by reusing checks' outcomes (that depends on when
# the workers' results come back: jobs=1 and jobs=2 differ too). The outputs never do.
UNSTEADY = ("seconds", "output", "errors_file", "engine_runs")


def summary_facts(summary) -> dict:
    return {name: value for name, value in vars(summary).items() if name not in UNSTEADY}


def sheets(path: Path) -> dict[str, list[tuple]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return {name: list(book[name].iter_rows(values_only=True)) for name in book.sheetnames}
    finally:
        book.close()


def screen_three_ways(folder: Path, candidates: Path, suffix: str, address: str) -> dict[str, tuple]:
    """The same file screened in-process, by two local workers and on the cluster: (output, errors, summary).

    Each run writes ``out.SUFFIX`` in a folder of its own, named relatively (the HTML names its errors file).
    """
    runs = {}
    here = Path.cwd()
    for label, options in (("jobs1", {"jobs": 1}), ("jobs2", {"jobs": 2}), ("dask", {"dask": address})):
        (folder / label).mkdir()
        os.chdir(folder / label)
        try:
            summary = screen_file(candidates, ORG, output=f"out{suffix}", progress=False, **options)
        finally:
            os.chdir(here)
        runs[label] = (folder / label / f"out{suffix}", folder / label / f"out{suffix}.errors.csv", summary)
    return runs


def assert_same(runs: dict[str, tuple], suffix: str) -> None:
    local_out, local_errors, local_summary = runs["jobs1"]
    for label in ("jobs2", "dask"):
        out, errors, summary = runs[label]
        if suffix == ".xlsx":
            assert sheets(out) == sheets(local_out), label
        else:
            assert out.read_bytes() == local_out.read_bytes(), label
        assert errors.read_bytes() == local_errors.read_bytes(), label
        assert summary_facts(summary) == summary_facts(local_summary), label


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".jsonl", ".html"])
def test_example_on_the_cluster_is_the_local_output(tmp_path, address, suffix):
    runs = screen_three_ways(tmp_path, CANDIDATES, suffix, address)
    assert_same(runs, suffix)
    summary = runs["dask"][2]
    assert (summary.screened, summary.rejected, summary.inferences) == (23, 3, 23)


def test_without_reuse_the_cluster_runs_the_engine_for_every_profile(tmp_path, address):
    local, dask = tmp_path / "local.csv", tmp_path / "dask.csv"
    screen_file(CANDIDATES, ORG, output=str(local), jobs=1, progress=False)
    summary = screen_file(CANDIDATES, ORG, output=str(dask), dask=address, reuse=False, progress=False)
    assert dask.read_bytes() == local.read_bytes()
    assert summary.engine_runs == summary.inferences == 23


# A generated file: thousands of rows, profiles repeating and distinct, bad rows among them -----------------

YES_NO = ["", "yes", "no"]
DOMAINS = {
    "sector": ["ngo", "private", "government", "union", "university", "media", "other"],
    "past_work_reviewed": YES_NO, "past_statements_reviewed": YES_NO,
    "values_alignment": ["", "high", "medium", "low"], "reputation_risk": ["", "low", "medium", "high"],
    "size": ["", "small", "medium", "large"], "strengths": ["", "reach", "research; media"],
    "contribution": ["", "Field data", "بيانات ميدانية"], "decision_process_understood": YES_NO,
    "constraints_declared": YES_NO, "government.approach": ["", "cooperative", "mixed", "confrontational"],
    "government.structure_mapped": YES_NO, "private.specific_goals_agreed": YES_NO,
    "private.timeline_agreed": YES_NO, "private.benefit_to_us": ["", "Price data"],
    "concession.what": ["", "", "", "Drop the pricing campaign"], "concession.touches_core_objective": YES_NO,
    "concession.can_live_with": YES_NO,
}
VETTED = {"sector": "ngo", "past_work_reviewed": "yes", "past_statements_reviewed": "yes", "values_alignment": "high",
          "reputation_risk": "low", "strengths": "reach", "contribution": "Field data",
          "decision_process_understood": "yes", "constraints_declared": "yes"}  # eligible
# Values no column takes: each makes its row a rejected one.
BAD = {"sector": "privat", "values_alignment": "very high", "past_work_reviewed": "maybe", "size": "huge"}


def write_generated(path: Path, rows: int, seed: int = 15) -> None:
    rng = random.Random(seed)
    columns = ["name", *DOMAINS]
    pool = [{column: rng.choice(values) for column, values in DOMAINS.items()} for _ in range(140)]
    pool += [{**dict.fromkeys(DOMAINS, ""), **VETTED, "size": size} for size in DOMAINS["size"]] * 3
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(columns)
        for index in range(rows):
            draw = rng.random()
            if draw < 0.01:
                writer.writerow([""] * len(columns))  # blank: skipped and counted
                continue
            # Four rows in five from a pool of common profiles, the rest drawn afresh.
            cells = dict(rng.choice(pool)) if draw < 0.8 else {c: rng.choice(v) for c, v in DOMAINS.items()}
            if not cells["concession.what"]:  # a concession's details without the concession: a rejected row
                cells.update({"concession.touches_core_objective": "", "concession.can_live_with": ""})
            if rng.random() < 0.04:
                column = rng.choice(list(BAD))
                cells[column] = BAD[column]
            cells["name"] = f"{rng.choice(['=cmd', 'Hope', 'جمعية', 'Care'])} {index}"
            writer.writerow([cells[column] for column in columns])


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("generated") / "registry.csv"
    write_generated(path, 3000)
    return path


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_generated_file_on_the_cluster_is_the_local_output(tmp_path, address, generated, suffix):
    runs = screen_three_ways(tmp_path, generated, suffix, address)
    assert_same(runs, suffix)
    summary = runs["dask"][2]
    assert summary.rejected > 50 and summary.blank_rows > 10  # the bad rows were there and were counted
    assert summary.screened > 2500 and summary.cache_hits > 1000 and summary.inferences > 400
    assert set(summary.counts) == {"eligible", "conditional", "excluded"}


def test_tasks_in_flight_stay_bounded(tmp_path, address, generated, monkeypatch):
    """Backpressure: the screener waits for old tasks before it sends new ones."""
    from tahaluf.screening import cluster as cluster_module
    from tahaluf.screening import pipeline, screener

    # Small chunks and jobs, so that this short file makes many tasks.
    monkeypatch.setattr(pipeline, "CHUNK_ROWS", 16)
    monkeypatch.setattr(screener, "JOB_PROFILES", 4)
    seen = {"tasks": 0, "most": 0}
    submit = cluster_module.DaskJudge.submit

    def counting(judge, keys):
        job = submit(judge, keys)
        seen["tasks"] += 1
        seen["most"] = max(seen["most"], len(judge.in_flight))
        return job

    monkeypatch.setattr(cluster_module.DaskJudge, "submit", counting)
    head = tmp_path / "head.csv"
    head.write_text("".join(generated.read_text(encoding="utf-8").splitlines(keepends=True)[:1201]), encoding="utf-8")
    screen_file(head, ORG, output=str(tmp_path / "out.csv"), dask=address, reuse=False, progress=False)
    # Two jobs per worker thread not yet read back, plus the jobs of the chunk just read.
    bound = screener.UNLEARNED_JOBS_PER_WORKER * 2 + 16 // 4
    assert seen["tasks"] > 5 * bound and seen["most"] <= bound, seen


# Errors: one line, a non-zero exit, nothing written ----------------------------------------------------------


def closed_port() -> int:
    return free_port()  # nobody listens there


def test_unreachable_scheduler_is_one_line_and_nothing_is_written(tmp_path, capsys):
    import dask

    out = tmp_path / "out.csv"
    with dask.config.set({"distributed.comm.timeouts.connect": "2s"}):
        code = main(["screen", str(CANDIDATES), "--org", str(ORG), "-o", str(out),
                     "--dask", f"tcp://127.0.0.1:{closed_port()}"])
    err = capsys.readouterr().err
    assert code == 2  # issue 21: like any --dask that cannot work, a usage error
    assert err.startswith("tahaluf: cannot reach the Dask scheduler at tcp://127.0.0.1:")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_malformed_address_is_a_usage_error(tmp_path, capsys):
    out = tmp_path / "out.csv"
    code = main(["screen", str(CANDIDATES), "--org", str(ORG), "-o", str(out), "--dask", "scheduler-without-port"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith("tahaluf: --dask scheduler-without-port: missing port number")
    assert list(tmp_path.iterdir()) == []


def test_jobs_and_dask_together_are_a_usage_error(tmp_path, address):
    with pytest.raises(UsageError, match="--jobs and --dask exclude each other"):
        screen_file(CANDIDATES, ORG, output=str(tmp_path / "out.csv"), jobs=2, dask=address, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_a_worker_with_other_rules_is_refused(tmp_path, address, monkeypatch):
    from tahaluf.screening import cluster as cluster_module

    # As if this machine's tahaluf were another version than the workers'.
    monkeypatch.setattr(cluster_module, "rules_fingerprint", lambda: "another-version")
    with pytest.raises(TahalufError, match=r"has other rules than this machine .*install the same tahaluf"):
        screen_file(CANDIDATES, ORG, output=str(tmp_path / "out.csv"), dask=address, progress=False)
    assert list(tmp_path.iterdir()) == []


def test_a_dying_worker_is_one_line(address):
    from tahaluf.screening import load_context
    from tahaluf.screening.cluster import DaskJudge, _Job

    judge = DaskJudge(*load_context(ORG), address)
    try:
        # A task that kills whichever worker runs it, as the kernel's OOM killer would.
        job = _Job(judge, judge.client.submit(os._exit, 1, pure=False))
        with pytest.raises(TahalufError, match=r"^Dask workers died while judging .*nothing was written$"):
            job.result()
    finally:
        judge.close(False)
    with distributed.Client(address) as client:  # the nanny restarts them: the cluster goes on
        client.wait_for_workers(2, timeout=30)


# Ctrl-C and the local path --------------------------------------------------------------------------------


def test_ctrl_c_cancels_the_tasks_and_writes_nothing(tmp_path, address):
    big = tmp_path / "big.csv"
    write_generated(big, 20_000, seed=16)  # thousands of distinct profiles: seconds of work for the cluster
    out = tmp_path / "out.csv"
    with distributed.Client(address) as watcher:
        def tasks() -> int:
            return watcher.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks))

        process = subprocess.Popen([sys.executable, "-m", "tahaluf.cli", "screen", str(big), "--org", str(ORG),
                                    "-o", str(out), "--dask", address], stderr=subprocess.PIPE, text=True)
        try:
            deadline = time.monotonic() + 30
            while tasks() == 0:  # the screen has reached the cluster
                assert process.poll() is None and time.monotonic() < deadline, "the screen never reached the cluster"
                time.sleep(0.05)
            process.send_signal(signal.SIGINT)
            _, err = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
        assert process.returncode == 130 and err == "tahaluf: interrupted\n"
        assert list(tmp_path.iterdir()) == [big]
        deadline = time.monotonic() + 10
        while tasks():  # the cancelled tasks leave the scheduler
            assert time.monotonic() < deadline, "tasks left on the cluster after Ctrl-C"
            time.sleep(0.1)


BLOCK_DASK = "import sys; sys.modules['dask'] = sys.modules['distributed'] = None; "


def run_without_dask(arguments: list[str]) -> subprocess.CompletedProcess:
    code = BLOCK_DASK + f"from tahaluf.cli import main; sys.exit(main({arguments!r}))"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)


def test_local_screening_needs_no_dask(tmp_path):
    out = tmp_path / "out.csv"
    done = run_without_dask(["screen", str(CANDIDATES), "--org", str(ORG), "-o", str(out), "--jobs", "2"])
    assert done.returncode == 0, done.stderr
    assert "23 screened + 3 rejected" in done.stderr and out.exists()


def test_dask_without_the_extra_says_to_install_it(tmp_path):
    out = tmp_path / "out.csv"
    done = run_without_dask(["screen", str(CANDIDATES), "--org", str(ORG), "-o", str(out),
                             "--dask", "tcp://127.0.0.1:8786"])
    assert done.returncode == 2
    assert done.stderr == "tahaluf: --dask needs the Dask extra: pip install 'tahaluf[dask]' (dask missing)\n"
    assert list(tmp_path.iterdir()) == []


def test_a_local_screen_imports_no_dask():
    code = ("import sys; from tahaluf.screening import screen_file; "
            f"screen_file({str(CANDIDATES)!r}, {str(ORG)!r}, output=None, jobs=1, progress=False); "
            "sys.exit(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')) or 0)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
