"""Time `tahaluf evaluate EXAMPLE --format json` as a whole process (goal: under 0.3 s).

Usage: python benchmarks/evaluate.py [EXAMPLE] [--runs N]
Prints each figure, then one JSON line with min and median seconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("example", nargs="?", default=str(ROOT / "examples" / "climate-labour-alliance.yaml"))
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    command = [sys.executable, "-m", "tahaluf.cli", "evaluate", args.example, "--format", "json"]
    subprocess.run(command, check=True, capture_output=True)  # warm the file cache and .pyc files
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    probe = subprocess.run([sys.executable, "-c",
                            "import sys, tahaluf.cli as c, contextlib, io\n"
                            "with contextlib.redirect_stdout(io.StringIO()): c.main(sys.argv[1:])\n"
                            "print('weasyprint' in sys.modules)", "evaluate", args.example, "--format", "json"],
                           check=True, capture_output=True, text=True)
    result = {"benchmark": "evaluate-json", "runs": args.runs, "min_s": round(min(times), 3),
              "median_s": round(statistics.median(times), 3), "goal_s": 0.3,
              "weasyprint_imported": probe.stdout.strip() == "True"}
    print(f"evaluate to JSON, whole process: min {result['min_s']} s, median {result['median_s']} s (goal < 0.3 s)")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
