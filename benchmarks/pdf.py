"""Time the PDF report as a director's consultant runs it: one whole `tahaluf` process per run.

    python benchmarks/pdf.py [INPUT] [--lang ar|en] [--runs N] [--no-baseline]

INPUT defaults to examples/climate-labour-alliance.yaml. Each run is
`tahaluf evaluate INPUT --format pdf --lang LANG -o TMP.pdf` in a fresh process
(interpreter start, imports, rules, layout, fonts, atomic write); one warm-up
run is not counted. Prints every wall-clock time and the child's CPU time (which
other work on the machine disturbs less), then min and median. Goal: under 2 s.

The same command with `--format json` is timed too, interleaved, as a reference
for how fast the machine is at the moment (it shares start-up, rules and writing,
not WeasyPrint): "PDF cost" is the median difference.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_INPUT = ROOT / "examples" / "climate-labour-alliance.yaml"
GOAL_SECONDS = 2.0


def command() -> list[str]:
    """The installed `tahaluf` script next to this interpreter, else `python -m tahaluf.cli`."""
    script = Path(sys.executable).with_name("tahaluf")
    if script.exists():
        return [str(script)]
    found = shutil.which("tahaluf")
    return [found] if found else [sys.executable, "-m", "tahaluf.cli"]


def timed(argv: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one child process; raises if it fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({result.returncode}):\n{result.stderr}")
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", default=str(DEFAULT_INPUT), help="alliance YAML file")
    parser.add_argument("--lang", choices=("ar", "en"), default="ar")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-baseline", action="store_true", help="do not time the JSON report")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "x.pdf"
        pdf_run = [*command(), "evaluate", args.input, "--format", "pdf", "--lang", args.lang, "-o", str(out)]
        json_run = [*command(), "evaluate", args.input, "--format", "json", "-o", str(Path(folder) / "x.json")]
        print("$", " ".join(pdf_run))
        pdf_times, cpu_times, json_times = [], [], []
        for run in range(args.runs + 1):
            elapsed, cpu = timed(pdf_run)
            reference = None if args.no_baseline else timed(json_run)[0]
            if run:  # the first run warms the disk and font caches
                pdf_times.append(elapsed)
                cpu_times.append(cpu)
                line = f"run {run}: {elapsed:.2f} s (cpu {cpu:.2f} s)"
                if reference is not None:
                    json_times.append(reference)
                    line += f"; json {reference:.2f} s"
                print(line)
        size = out.stat().st_size

    median = statistics.median(pdf_times)
    print(f"pdf: min {min(pdf_times):.2f} s, median {median:.2f} s over {len(pdf_times)} runs "
          f"(cpu min {min(cpu_times):.2f} s, median {statistics.median(cpu_times):.2f} s; {size / 1024:.0f} KiB)")
    if json_times:
        reference = statistics.median(json_times)
        print(f"json (reference): median {reference:.2f} s; PDF cost: median {median - reference:.2f} s")
    print(f"goal < {GOAL_SECONDS:.0f} s: {'met' if median < GOAL_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
