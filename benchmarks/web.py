"""The web app under load, against a real `tahaluf serve` (uvicorn) on the loopback address.

1. A consultation step as a director's browser makes it: POST the answer, follow the redirect,
   receive the next question's page (goal: median under 100 ms). One session, a fresh
   realistic file (the same start as benchmarks/consultation.py), up to --steps answers.
2. 20 concurrent sessions (threads, one httpx client each, its own cookies and CSRF token), each
   answering up to 50 questions on its own assessment file, all at once against the one server.
   Every answer carries its session's marker; afterwards each file must hold every answer its
   session gave (none lost) and no other session's marker (none crossed).

3. The same load against two servers side by side, one evaluating in its event loop (--workers 0,
   as before the pool) and one with its worker pool, runs alternating: answers per second of each
   (best and worst of --runs), and the pool's ratio in its best and worst run pair (goal >= 1.7x on
   2 cores). The machine's load average is printed before and after (other work skews the figures).
5. A small request during a PDF render (--only pdf): static CSS and the favicon fetched again and again
   while a PDF of the largest example renders, on each --workers server (goal < 100 ms with the pool).
4. Uploads: --uploads lists of --upload-rows tiny rows ("x,ngo", 1.7 M rows ~ 10 MB: the upload
   limit), one after the other; the peak RSS of the server and of its process tree (the screening
   process and its workers too), sampled every 50 ms, and each upload's time to its result page.

Usage: python benchmarks/web.py [--runs N] [--steps N] [--sessions N] [--answers N] [--workers A,B]
                                [--uploads N] [--upload-rows N] [--only steps|compare|uploads|pdf]
Prints each run's figures, the best and worst run, then one JSON line. Loopback only.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx2 as httpx
import yaml

from tahaluf.consultation import parse_path, value_at

START = """\
# Our assessment of the proposed clean-air alliance (kept by the director)
organisation:
  name: {organisation}
  core_objectives:
    - independent advocacy
    - community health
alliance:
  name: Clean Air Alliance   # working title
partners:
  - name: Ministry of Environment
  - name: Acme Cement
  - name: Workers' Union
  - name: City University
"""
# The typed answer a director would give to each kind of free-text question ({m}: the session's marker).
TYPED = {"texts": "{m} item {n}", "goals": "{m} goal {n} by 2027-06-30", "text": "{m} sentence {n}",
         "person": "{m} Person {n}", "partners": "{m} Partner {n}", "date": "2027-06-30", "number": "3"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`tahaluf serve WORKSPACE --port P` as a director starts it (loopback), stopped at the end."""

    def __init__(self, workspace: Path, workers: str | None = None):
        self.port = free_port()
        extra = ["--workers", workers] if workers not in (None, "auto") else []
        self.process = subprocess.Popen([sys.executable, "-m", "tahaluf.cli", "serve", str(workspace),
                                         "--port", str(self.port), *extra], stderr=subprocess.PIPE, text=True,
                                        env=os.environ.copy())
        self.process.stderr.readline()
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.base = f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # requests still open: do not leave the server behind
            self.process.kill()
            self.process.wait(timeout=20)


def field(page: str, name: str) -> str | None:
    found = re.search(rf'name="{name}" value="([^"]*)"', page)
    return html.unescape(found.group(1)) if found else None


def next_answer(page: str, marker: str, number: int) -> tuple[dict, str, str] | None:
    """(form fields, question path, what was sent) for the question on this page, or None when done."""
    form = re.search(r'<form method="post" action="[^"]+/answer" class="answer format-(\w+)"[^>]*>', page)
    if not form:
        return None
    fmt = form.group(1)
    data = {"csrf": field(page, "csrf"), "version": field(page, "version"), "path": field(page, "path"),
            "action": "answer"}
    if fmt in ("bool", "concessions"):
        data["answer"] = "yes" if fmt == "bool" else "no"
    elif fmt == "choice":
        data["answer"] = re.search(r'name="answer" value="([^"]+)"', page).group(1)
    elif 'name="pick"' in page:
        data["pick"] = re.search(r'name="pick" value="([^"]+)"', page).group(1)
    else:
        data["answer"] = TYPED.get(fmt, "{m} answer {n}").format(m=marker, n=number)
    return data, data["path"], data.get("answer", data.get("pick", ""))


def consult(base: str, name: str, marker: str, limit: int, timings: list | None = None) -> list[tuple]:
    """Answer up to ``limit`` questions of ``name`` in one browser session; [(path, sent)]."""
    given = []
    with httpx.Client(base_url=base, follow_redirects=True, timeout=120) as client:
        page = client.get(f"/a/{name}")
        page.raise_for_status()
        for number in range(limit):
            step = next_answer(page.text, marker, number)
            if step is None:
                break
            data, path, sent = step
            start = time.perf_counter()
            page = client.post(f"/a/{name}/answer", data=data)
            elapsed = time.perf_counter() - start
            if page.status_code != 200 or 'role="alert"' in page.text:
                raise AssertionError(f"{name}: {path} = {sent!r} refused ({page.status_code})")
            given.append((path, sent))
            if timings is not None:
                timings.append(elapsed)
    return given


def check(path: Path, marker: str, markers: list[str], given: list[tuple]) -> tuple[int, int]:
    """(answers lost, other sessions' answers found) in this session's file."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    lost = sum(1 for where, sent in given
               if value_at(data, parse_path(where)) is None or (marker in sent and sent not in text))
    crossed = sum(text.count(other + " ") for other in markers if other != marker)
    return lost, crossed


def step_run(workspace: Path, base: str, run: int, steps: int) -> list[float]:
    name = f"single-{run}.yaml"
    (workspace / name).write_text(START.format(organisation="Hope for Health"), encoding="utf-8")
    timings: list[float] = []
    consult(base, name, f"R{run:02d}", steps, timings)
    return timings


def concurrent_run(workspace: Path, base: str, run: int, sessions: int, answers: int) -> dict:
    markers = [f"S{run:02d}x{i:02d}" for i in range(sessions)]
    names = [f"concurrent-{run}-{i:02d}.yaml" for i in range(sessions)]
    for name, marker in zip(names, markers):
        (workspace / name).write_text(START.format(organisation=f"Org {marker}"), encoding="utf-8")
    results: dict[int, list] = {}
    errors: list[str] = []
    timings: list[float] = []
    barrier = threading.Barrier(sessions)

    def session(index: int) -> None:
        barrier.wait()
        try:
            results[index] = consult(base, names[index], markers[index], answers, timings)
        except Exception as error:
            errors.append(f"{names[index]}: {error}")

    started = time.perf_counter()
    threads = [threading.Thread(target=session, args=(i,)) for i in range(sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    lost = crossed = 0
    for index, given in results.items():
        one_lost, one_crossed = check(workspace / names[index], markers[index], markers, given)
        lost, crossed = lost + one_lost, crossed + one_crossed
    given_total = sum(len(g) for g in results.values())
    return {"answers": given_total, "seconds": seconds, "errors": errors, "lost": lost, "crossed": crossed,
            "median": statistics.median(timings) if timings else 0.0,
            "p95": sorted(timings)[int(len(timings) * 0.95)] if timings else 0.0,
            "per_session": sorted(len(g) for g in results.values())}


def process_tree(pid: int) -> list[int]:
    """``pid`` and every live descendant, from /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        one = stack.pop()
        found.append(one)
        stack.extend(children.get(one, ()))
    return found


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """(this process's RSS, the RSS of it and every descendant) in MB, from /proc."""
    def rss(one: int) -> float:
        try:
            with open(f"/proc/{one}/status") as status:
                return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:")) / 1024
        except (OSError, StopIteration):
            return 0.0
    return rss(pid), sum(rss(one) for one in process_tree(pid))


def upload_run(workspace: Path, base: str, pid: int, uploads: int, rows: int) -> dict:
    """Upload ``uploads`` lists of ``rows`` tiny rows one after the other; peak RSS and times."""
    (workspace / "upload-org.yaml").write_text(START.format(organisation="Hope for Health"), encoding="utf-8")
    path = workspace.parent / "tiny.csv"
    with open(path, "wb") as out:
        out.write(b"name,sector\n")
        for _ in range(rows // 100_000):
            out.write(b"x,ngo\n" * 100_000)
        out.write(b"x,ngo\n" * (rows % 100_000))
    peaks = {"server": 0.0, "tree": 0.0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            own, tree = tree_rss_mb(pid)
            peaks["server"], peaks["tree"] = max(peaks["server"], own), max(peaks["tree"], tree)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    times, outcomes = [], []
    try:
        with httpx.Client(base_url=base, timeout=600) as client:
            for _ in range(uploads):
                token = field(client.get("/screen").text, "csrf")
                started = time.perf_counter()
                with open(path, "rb") as handle:
                    response = client.post("/screen", data={"csrf": token, "org": "upload-org.yaml"},
                                           files={"candidates": ("tiny.csv", handle, "text/csv")})
                location = response.headers["location"]
                while 'http-equiv="refresh"' in (page := client.get(location)).text:
                    time.sleep(0.2)
                times.append(time.perf_counter() - started)
                outcomes.append(page.status_code)
    finally:
        stop.set()
        sampler.join()
    return {"uploads": uploads, "rows": rows, "bytes": path.stat().st_size, "statuses": outcomes,
            "seconds": [round(t, 1) for t in times], "peak_server_mb": round(peaks["server"], 1),
            "peak_tree_mb": round(peaks["tree"], 1)}


def cpu_seconds(pid: int) -> tuple[float, float]:
    """(CPU seconds used by this process, by it and its live descendants), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def used(one: int) -> float:
        try:
            with open(f"/proc/{one}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            return 0.0
    return used(pid), sum(used(one) for one in process_tree(pid))


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" on {os.cpu_count()} cores"


def small_during_pdf(base: str, example: str, rounds: int = 3) -> dict:
    """Latencies of small GETs (static CSS, the favicon) made while a PDF renders, over ``rounds`` renders."""
    latencies, renders = [], []
    with httpx.Client(base_url=base, timeout=300) as client:
        client.get(f"/a/{example}/download/pdf/en").raise_for_status()  # warm: fonts, templates
        for _ in range(rounds):
            done = threading.Event()

            def render(done: threading.Event = done) -> None:  # this round's event
                started = time.perf_counter()
                with httpx.Client(base_url=base, timeout=300) as other:
                    other.get(f"/a/{example}/download/pdf/ar").raise_for_status()
                renders.append(time.perf_counter() - started)
                done.set()

            thread = threading.Thread(target=render)
            thread.start()
            time.sleep(0.2)  # the render under way
            while not done.is_set():
                for url in ("/static/app.css", "/static/favicon.svg"):
                    begin = time.perf_counter()
                    client.get(url).raise_for_status()
                    if not done.is_set():
                        latencies.append(time.perf_counter() - begin)
                time.sleep(0.05)
            thread.join()
    latencies.sort()
    return {"small_requests": len(latencies), "render_s": [round(r, 2) for r in renders],
            "median_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
            "max_ms": round(latencies[-1] * 1000, 1) if latencies else None}


def pdf_run(args) -> dict:
    """A small request's latency during PDF renders, on each --workers server."""
    print(f"load average before: {load_average()}")
    example = "climate-labour-alliance.yaml"
    result = {}
    with tempfile.TemporaryDirectory() as folder:
        for kind in args.workers.split(","):
            space = Path(folder) / f"workers-{kind}"
            space.mkdir()
            (space / example).write_bytes((Path(__file__).resolve().parent.parent / "examples" / example).read_bytes())
            server = Server(space, kind)
            try:
                result[kind] = small_during_pdf(server.base, example, args.runs)
            finally:
                server.stop()
            one = result[kind]
            print(f"workers {kind}: {one['small_requests']} small GETs during {len(one['render_s'])} PDF renders "
                  f"({one['render_s']} s): median {one['median_ms']} ms, worst {one['max_ms']} ms (goal < 100 ms)")
    print(f"load average after: {load_average()}")
    return result


def compare_run(args) -> dict:
    """The concurrent load against one server per --workers value, side by side, runs alternating."""
    kinds = args.workers.split(",")
    print(f"load average before: {load_average()}")
    rates: dict[str, list[float]] = {kind: [] for kind in kinds}
    cpu: dict[str, list[tuple[float, float, float]]] = {kind: [] for kind in kinds}  # per answer, and cores used
    bad = {"lost": 0, "crossed": 0, "errors": 0}
    with tempfile.TemporaryDirectory() as folder:
        servers = {}
        try:
            for kind in kinds:
                space = Path(folder) / f"workers-{kind}"
                space.mkdir()
                servers[kind] = (space, Server(space, kind))
                step_run(space, servers[kind][1].base, 99, 3)  # warm
            for run in range(args.runs):
                for kind in kinds:
                    space, server = servers[kind]
                    own, tree = cpu_seconds(server.process.pid)
                    load = concurrent_run(space, server.base, run, args.sessions, args.answers)
                    rates[kind].append(load["answers"] / load["seconds"])
                    own, tree = (now - before for now, before in zip(cpu_seconds(server.process.pid), (own, tree)))
                    cpu[kind].append((own / load["answers"], tree / load["answers"], tree / load["seconds"]))
                    for key in bad:
                        bad[key] += len(load[key]) if key == "errors" else load[key]
                    print(f"workers {kind}, run {run + 1}: {load['answers']} answers in {load['seconds']:.1f} s = "
                          f"{rates[kind][-1]:.1f} answers/s; lost {load['lost']}, crossed {load['crossed']}, "
                          f"errors {len(load['errors'])}; CPU per answer: "
                          f"server process {own * 1000 / load['answers']:.0f} ms, "
                          f"with its workers {tree * 1000 / load['answers']:.0f} ms; "
                          f"cores used {tree / load['seconds']:.2f}")
        finally:
            for _, server in servers.values():
                server.stop()
    print(f"load average after: {load_average()}")
    result = {"workers": kinds, "answers_per_s": {k: [round(r, 1) for r in v] for k, v in rates.items()},
              "cores_used": {k: [round(c[2], 2) for c in v] for k, v in cpu.items()},
              "server_cpu_ms_per_answer": {k: [round(c[0] * 1000) for c in v] for k, v in cpu.items()},
              "tree_cpu_ms_per_answer": {k: [round(c[1] * 1000) for c in v] for k, v in cpu.items()}, **bad}
    print("answers/s, best and worst of {} runs: {}".format(args.runs, "  |  ".join(
        f"workers {kind}: best {max(rates[kind]):.1f}, worst {min(rates[kind]):.1f}" for kind in kinds)))
    if len(kinds) == 2:
        ratios = [b / a for a, b in zip(rates[kinds[0]], rates[kinds[1]])]
        result["ratio_best"], result["ratio_worst"] = round(max(ratios), 2), round(min(ratios), 2)
        print(f"workers {kinds[1]} / workers {kinds[0]}: {result['ratio_worst']}x-{result['ratio_best']}x "
              f"answers per second (worst and best run pair)")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--answers", type=int, default=50)
    parser.add_argument("--workers", default="0,auto", help="servers to compare (auto: one worker per core)")
    parser.add_argument("--uploads", type=int, default=5)
    parser.add_argument("--upload-rows", type=int, default=1_700_000)
    parser.add_argument("--only", choices=("steps", "compare", "uploads", "pdf"), help="run one part only")
    args = parser.parse_args()
    if args.only == "pdf":
        print(json.dumps({"benchmark": "web-pdf-small-requests", **pdf_run(args)}))
        return
    if args.only == "compare":
        print(json.dumps({"benchmark": "web-workers", **compare_run(args)}))
        return
    if args.only == "uploads":
        with tempfile.TemporaryDirectory() as folder:
            workspace = Path(folder) / "ws"
            workspace.mkdir()
            server = Server(workspace)
            try:
                result = upload_run(workspace, server.base, server.process.pid, args.uploads, args.upload_rows)
            finally:
                server.stop()
        print(f"{result['uploads']} uploads of {result['rows']:,} rows ({result['bytes'] / 1e6:.1f} MB): peak RSS "
              f"server {result['peak_server_mb']} MB, tree {result['peak_tree_mb']} MB; pages {result['statuses']}, "
              f"seconds {result['seconds']}")
        print(json.dumps({"benchmark": "web-uploads", **result}))
        return
    with tempfile.TemporaryDirectory() as folder:
        workspace = Path(folder)
        server = Server(workspace)
        try:
            step_run(workspace, server.base, 99, 3)  # warm: templates, the engine, the first session
            medians = []
            for run in range(args.runs):
                times = step_run(workspace, server.base, run, args.steps)
                medians.append(statistics.median(times))
                print(f"step run {run + 1}: {len(times)} answers, median {medians[-1] * 1000:.0f} ms, "
                      f"best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms")
            loads = []
            for run in range(args.runs):
                load = concurrent_run(workspace, server.base, run, args.sessions, args.answers)
                loads.append(load)
                print(f"load run {run + 1}: {args.sessions} sessions, {load['answers']} answers "
                      f"(per session {load['per_session'][0]}-{load['per_session'][-1]}) in {load['seconds']:.1f} s "
                      f"= {load['answers'] / load['seconds']:.0f} answers/s; "
                      f"step median {load['median'] * 1000:.0f} ms, "
                      f"p95 {load['p95'] * 1000:.0f} ms; lost {load['lost']}, crossed {load['crossed']}, "
                      f"errors {len(load['errors'])}")
                for error in load["errors"][:5]:
                    print("  " + error)
        finally:
            server.stop()
    result = {"benchmark": "web", "runs": args.runs,
              "step_median_ms_best_run": round(min(medians) * 1000, 1),
              "step_median_ms_worst_run": round(max(medians) * 1000, 1), "goal_step_median_ms": 100,
              "sessions": args.sessions, "answers_per_session_max": args.answers,
              "load_answers": [load["answers"] for load in loads],
              "load_answers_per_s_best": round(max(run["answers"] / run["seconds"] for run in loads), 1),
              "load_answers_per_s_worst": round(min(run["answers"] / run["seconds"] for run in loads), 1),
              "load_step_median_ms_best": round(min(run["median"] for run in loads) * 1000, 1),
              "load_step_median_ms_worst": round(max(run["median"] for run in loads) * 1000, 1),
              "lost": sum(run["lost"] for run in loads), "crossed": sum(run["crossed"] for run in loads),
              "errors": sum(len(run["errors"]) for run in loads)}
    print(f"consultation step (answer POST -> next question page): median {result['step_median_ms_best_run']}-"
          f"{result['step_median_ms_worst_run']} ms over the runs (goal < 100 ms)")
    print(f"{args.sessions} concurrent sessions: {result['load_answers_per_s_worst']}-"
          f"{result['load_answers_per_s_best']} answers/s, step median {result['load_step_median_ms_best']}-"
          f"{result['load_step_median_ms_worst']} ms; lost {result['lost']}, crossed {result['crossed']}, "
          f"errors {result['errors']}")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
