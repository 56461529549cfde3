"""Benchmark `tahaluf screen --dask`: the same files screened locally and on a two-worker Dask cluster, side by side.

    python benchmarks/screening_dask.py [--rows 100000] [--distinct-rows 10000] [--engine-rows 4000]
                                        [--repeat 3] [--workers 2]

The files are benchmarks/screening.py's: a realistic one (profiles repeat, the verdict
cache answers most rows), one whose every row is a distinct profile (the checks' outcomes
seen before answer most of them by lookups in the main process), and a smaller distinct
one screened without that reuse ("engine": every row a full experta run on a worker,
where a cluster pays). Each is screened by the real command in a child process, alternately
locally (``--jobs`` = the workers, one process each) and with ``--dask`` against a
``distributed.LocalCluster`` of ``--workers`` worker processes (one thread each)
started here; the outputs are compared byte for byte. Rates are rows per second of
the child's wall time (interpreter start-up included), best and worst of ``--repeat``
runs. The last line printed is one JSON object.

Needs the extra: pip install 'tahaluf[dask]'.
"""

from __future__ import annotations

import argparse
import filecmp
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ORG = ROOT / "examples" / "screening-org.yaml"


def _generators():
    """benchmarks/screening.py's file writers (loaded by path: benchmarks/ is no package)."""
    spec = importlib.util.spec_from_file_location("screening_benchmark", HERE / "screening.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_realistic, module.write_distinct


CHILD = """
import sys
from tahaluf.cli import main
from tahaluf.screening import pipeline

if sys.argv[1] == "no-reuse":  # the engine in full for every distinct profile (no CLI option says so)
    screen_file = pipeline.screen_file
    pipeline.screen_file = lambda *args, **options: screen_file(*args, **options, reuse=False)
    import tahaluf.screening
    tahaluf.screening.screen_file = pipeline.screen_file
sys.exit(main(sys.argv[2:]))
"""


def screen_seconds(candidates: Path, out: Path, extra: list[str], reuse: bool) -> float:
    """The real command in a child process, timed from outside."""
    command = [sys.executable, "-c", CHILD, "reuse" if reuse else "no-reuse", "screen", str(candidates),
               "--org", str(ORG), "-o", str(out), "--errors", f"{out}.errors.csv", "--quiet", *extra]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"screen failed ({done.returncode}): {done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="realistic rows (profiles repeat)")
    parser.add_argument("--distinct-rows", type=int, default=10_000, help="rows, every one a distinct profile")
    parser.add_argument("--engine-rows", type=int, default=4_000,
                        help="distinct rows screened without reusing checks' outcomes: an engine run each")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes, and local --jobs")
    args = parser.parse_args()
    try:
        from distributed import LocalCluster
    except ImportError:
        raise SystemExit("needs the Dask extra: pip install 'tahaluf[dask]'") from None

    write_realistic, write_distinct = _generators()
    report: dict = {"workers": args.workers, "repeat": args.repeat}
    with tempfile.TemporaryDirectory(prefix="tahaluf-bench-dask-") as folder, \
            LocalCluster(n_workers=args.workers, threads_per_worker=1, processes=True, dashboard_address=None,
                         silence_logs=40) as cluster:
        folder = Path(folder)
        realistic, distinct, engine = folder / "realistic.csv", folder / "distinct.csv", folder / "engine.csv"
        write_realistic(realistic, args.rows)
        write_distinct(distinct, args.distinct_rows)
        write_distinct(engine, args.engine_rows, seed=8)
        cases = {"realistic": (realistic, args.rows, True), "distinct": (distinct, args.distinct_rows, True),
                 "engine": (engine, args.engine_rows, False)}
        ways = {"local": ["--jobs", str(args.workers)], "dask": ["--dask", cluster.scheduler_address]}
        for label, (path, rows, reuse) in cases.items():
            rates: dict[str, list[float]] = {way: [] for way in ways}
            for _ in range(args.repeat):
                for way, extra in ways.items():  # alternately, so both see the machine's same moods
                    rates[way].append(rows / screen_seconds(path, folder / f"{label}.{way}.csv", extra, reuse))
            if not filecmp.cmp(folder / f"{label}.local.csv", folder / f"{label}.dask.csv", shallow=False):
                raise SystemExit(f"{label}: the Dask output differs from the local one")
            for way, measured in rates.items():
                report[f"{label}_{way}_best"] = round(max(measured))
                report[f"{label}_{way}_worst"] = round(min(measured))
            report[f"{label}_dask_to_local"] = round(max(rates["dask"]) / max(rates["local"]), 2)
            report[f"{label}_rows"] = rows
            print(f"{label}: {rows:,} rows; local --jobs {args.workers}: {min(rates['local']):,.0f}–"
                  f"{max(rates['local']):,.0f}/s; Dask, {args.workers} workers: {min(rates['dask']):,.0f}–"
                  f"{max(rates['dask']):,.0f}/s (same output)", file=sys.stderr)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
