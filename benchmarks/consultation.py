"""Time answer -> next question in `tahaluf interview` (goal: median under 150 ms on 2 cores).

Each step is what the interview does between the director's Enter and the next question:
write the answer into FILE (ruamel round-trip, checked by the strict loader, atomic
replace), evaluate with the real engine, rank the open questions and decide settledness.
The file starts realistic with every question open: our organisation, the alliance and
four partners known by name only. Each run answers the next question with a representative
answer until --steps answers are given (or nothing is left); several runs, fresh files.

Then, with --cases N (0 to skip), questions-to-settled and questions-to-"only refining" (see
benchmarks/asking.py) on the empty template, the shipped examples and N generated cases;
--out FILE keeps them case by case, to compare two branches.

Usage: python benchmarks/consultation.py [--runs N] [--steps N] [--cases N] [--out FILE]
Prints each run's median, best and worst, the questions asked per case, then one JSON line.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import asking
from tahaluf.cli_interview import step
from tahaluf.consultation import answer_value
from tahaluf.files.alliance_file import AllianceFile

START = """\
# Our assessment of the proposed clean-air alliance (kept by the director)
organisation:
  name: Hope for Health
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


def one_run(folder: Path, steps: int) -> list[float]:
    path = folder / "alliance.yaml"
    path.write_text(START, encoding="utf-8")
    store = AllianceFile.open(path)
    current = step(store)
    times = []
    for _ in range(steps):
        if not current.questions:
            break
        question = current.questions[0]
        answer = question.answers()[0]
        if question.kind in ("text", "person") and not answer:
            answer = question.answers()[-1]
        start = time.perf_counter()
        current = step(store, question.parts, answer_value(question, answer))
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--steps", type=int, default=40)
    parser.add_argument("--cases", type=int, default=200)
    parser.add_argument("--out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        one_run(Path(folder), 3)  # warm: the engine is built once per process
        medians, every = [], []
        for run in range(args.runs):
            times = one_run(Path(folder), args.steps)
            medians.append(statistics.median(times))
            every += times
            print(f"run {run + 1}: {len(times)} answers, median {medians[-1] * 1000:.0f} ms, "
                  f"best {min(times) * 1000:.0f} ms, worst {max(times) * 1000:.0f} ms")
    result = {"benchmark": "answer-to-next-question", "runs": args.runs, "answers": len(every),
              "median_ms": round(statistics.median(every) * 1000, 1), "best_ms": round(min(every) * 1000, 1),
              "worst_ms": round(max(every) * 1000, 1), "best_run_median_ms": round(min(medians) * 1000, 1),
              "worst_run_median_ms": round(max(medians) * 1000, 1), "goal_median_ms": 150}
    print(f"answer -> next question: median {result['median_ms']} ms (runs' medians "
          f"{result['best_run_median_ms']}-{result['worst_run_median_ms']} ms), best {result['best_ms']} ms, "
          f"worst {result['worst_ms']} ms (goal: median < 150 ms)")
    if args.cases:
        result.update(_asked(args.cases, args.out))
    print(json.dumps(result))


def _asked(count: int, out: str | None) -> dict:
    rows = asking.report(count)
    generated = [row for name, row in rows.items() if name.startswith("generated-")]
    for name, row in rows.items():
        if not name.startswith("generated-"):
            print(f"{name}: settled after {row['settled']} questions, only refining after {row['refining']} "
                  f"({row['verdict']})")
    summary = {}
    for key in ("settled", "refining"):
        values = sorted(row[key] for row in generated)
        summary[f"generated_{key}"] = {"mean": round(statistics.mean(values), 1), "median": statistics.median(values),
                                       "max": values[-1], "capped": sum(v >= asking.CAP for v in values)}
        print(f"{len(values)} generated cases, questions to {key}: mean {summary[f'generated_{key}']['mean']}, "
              f"median {summary[f'generated_{key}']['median']}, max {values[-1]}")
    if out:
        Path(out).write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return {"questions": {name: row for name, row in rows.items() if not name.startswith("generated-")}, **summary}


if __name__ == "__main__":
    main()
