"""Benchmark `tahaluf screen`: realistic lists, all-distinct lists, and the naive way, in one run.

    python benchmarks/screening.py [--rows 100000] [--distinct-rows 20000] [--million] [--jobs N] [--runs 3] [-O]

* realistic: ``--rows`` candidates whose fact profiles repeat (drawn from a pool of
  profile templates with a long-tailed popularity, as in a donor's database where
  most organisations have been looked at the same few ways); names and free text
  differ on every row.
* distinct: ``--distinct-rows`` candidates whose profiles are all different (a
  scattered walk through sector x yes/no/unknown x levels x ...): the memo cache
  never hits, every row costs an experta run.
* naive: a new engine per candidate, one process, no cache, on a sample of
  ``--naive-sample`` rows of the distinct file, reported as a rate.
* floor: the same distinct rows read, validated and written with no rules run (a
  child process like the screens): how close screening comes to the cost of the I/O.
* ``--million``: a 1,000,000-row realistic file as well, for the memory figure.

The goals (issue 15) are ratios measured side by side in one run: all-distinct at least
60x the naive rate, realistic at least 200x, peak RSS under 300 MB at a million rows.
Each figure is measured ``--runs`` times, interleaved; the JSON gives the best and the
worst of the runs, and the ratios of each run's own figures.

Each screen runs through the real command (``tahaluf.cli.main(["screen", ...])``,
CSV written to a temporary file) in a child process; the parent samples the RSS of
the whole process tree (main + pool workers) from /proc and takes the peak; the
child also reports getrusage for itself and its (joined) workers. The last line
printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ORG = ROOT / "examples" / "screening-org.yaml"

COLUMNS = [
    "name", "sector", "past_work_reviewed", "past_statements_reviewed", "values_alignment", "reputation_risk",
    "size", "strengths", "contribution", "decision_process_understood", "constraints_declared",
    "government.structure_mapped", "government.decision_makers_identified", "government.approach",
    "government.information_channel", "government.invited_to_events", "government.brings_advocates_together",
    "government.grassroots_role", "government.framework_agreed",
    "private.specific_goals_agreed", "private.timeline_agreed", "private.benefit_to_us", "private.integrity_safeguards",
    "concession.what", "concession.touches_core_objective", "concession.core_objective", "concession.can_live_with",
]
SECTORS = ["ngo", "private", "government", "union", "university", "research_centre", "media",
           "consumer_organisation", "other"]
SECTOR_WEIGHTS = [45, 20, 8, 6, 6, 4, 5, 3, 3]
GOV_BOOLS = ["government.structure_mapped", "government.decision_makers_identified", "government.information_channel",
             "government.invited_to_events", "government.brings_advocates_together", "government.grassroots_role",
             "government.framework_agreed"]
WORDS_EN = ["Health", "Rights", "Hope", "Future", "Access", "Care", "Justice", "Equity", "Alliance", "Forum", "Network",
            "Society", "Initiative", "Medical", "Pharma", "Trading", "Union", "Institute", "Media", "Watch"]
WORDS_AR = ["جمعية", "مؤسسة", "شبكة", "مركز", "الأمل", "الصحة", "الحقوق", "المستقبل", "الرعاية", "العدالة", "التنمية",
            "الشباب", "المرأة", "الدواء", "للأبحاث"]
TEXTS = ["Field data from clinics", "Legal analysis", "Media coverage", "Procurement data", "Volunteers",
         "بيانات ميدانية", "تحليل قانوني", "تغطية إعلامية", "متطوعون في المحافظات"]
STRENGTHS = ["reach", "research", "legal expertise", "volunteers", "media", "شبكة واسعة", "خبرة فنية", "تمويل"]
CORE = "Independent advocacy free of industry funding"


def _name(rng: random.Random, index: int) -> str:
    if rng.random() < 0.4:
        return f"{rng.choice(WORDS_AR)} {rng.choice(WORDS_AR)} {index}"
    return f"{rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)} {rng.choice(WORDS_EN)} {index}"


def _pick(rng, options, weights):
    return rng.choices(options, weights)[0]


def _template(rng: random.Random) -> dict:
    """One profile as a spreadsheet user would fill it: many blanks, mostly yes, some no."""
    def yn():
        return _pick(rng, ["", "yes", "no"], [45, 45, 10])

    sector = _pick(rng, SECTORS, SECTOR_WEIGHTS)
    t = {
        "sector": sector, "past_work_reviewed": yn(), "past_statements_reviewed": yn(),
        "values_alignment": _pick(rng, ["", "high", "medium", "low"], [40, 25, 25, 10]),
        "reputation_risk": _pick(rng, ["", "low", "medium", "high"], [40, 40, 15, 5]),
        "size": _pick(rng, ["", "small", "medium", "large"], [50, 20, 20, 10]),
        "strengths": _pick(rng, [0, 1, 2, 3], [40, 30, 20, 10]),
        "contribution": rng.random() < 0.5,
        "decision_process_understood": yn(), "constraints_declared": yn(),
    }
    if sector == "government":
        t.update({column: yn() for column in GOV_BOOLS})
        t["government.approach"] = _pick(rng, ["", "cooperative", "mixed", "confrontational"], [40, 40, 15, 5])
    if sector == "private":
        t.update({"private.specific_goals_agreed": yn(), "private.timeline_agreed": yn(),
                  "private.benefit_to_us": rng.random() < 0.5, "private.integrity_safeguards": yn()})
    if rng.random() < 0.15:
        t.update({"concession.what": True, "concession.touches_core_objective": yn(),
                  "concession.core_objective": rng.random() < 0.3, "concession.can_live_with": yn()})
    return t


def _profile(template: dict) -> tuple:
    return tuple(sorted(template.items()))


def _row(rng: random.Random, index: int, template: dict) -> list[str]:
    cells = {"name": _name(rng, index)}
    for column, value in template.items():
        if column == "strengths":
            cells[column] = "; ".join(rng.sample(STRENGTHS, value)) if value else ""
        elif column in ("contribution", "private.benefit_to_us", "concession.what"):
            cells[column] = rng.choice(TEXTS) if value else ""
        elif column == "concession.core_objective":
            cells[column] = CORE if value else ""
        else:
            cells[column] = value
    return [cells.get(column, "") for column in COLUMNS]


def write_realistic(path: Path, rows: int, seed: int = 5, templates: int = 1000) -> int:
    """Rows drawn from ``templates`` profiles with long-tailed popularity; returns the distinct profiles used."""
    rng = random.Random(seed)
    pool = [_template(rng) for _ in range(templates)]
    weights = [1 / (rank + 1) ** 0.8 for rank in range(templates)]
    used = set()
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        chosen = rng.choices(range(templates), weights, k=rows)
        for index, which in enumerate(chosen):
            used.add(_profile(pool[which]))
            writer.writerow(_row(rng, index, pool[which]))
    return len(used)


# Every candidate distinct: the row index, scattered, read as digits of a mixed radix.
DOMAINS = [
    ("sector", SECTORS), ("past_work_reviewed", ["", "yes", "no"]), ("past_statements_reviewed", ["", "yes", "no"]),
    ("values_alignment", ["", "high", "medium", "low"]), ("reputation_risk", ["", "low", "medium", "high"]),
    ("size", ["", "small", "medium", "large"]), ("decision_process_understood", ["", "yes", "no"]),
    ("constraints_declared", ["", "yes", "no"]), ("strengths", [0, 1, 2, 3]), ("contribution", [False, True]),
    ("government.approach", ["", "cooperative", "mixed", "confrontational"]),
    ("government.structure_mapped", ["", "yes", "no"]), ("private.timeline_agreed", ["", "yes", "no"]),
    ("private.specific_goals_agreed", ["", "yes", "no"]), ("concession.touches_core_objective", ["", "yes", "no"]),
    ("concession.can_live_with", ["", "yes", "no"]),
]


def write_distinct(path: Path, rows: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    space = 1
    for _, values in DOMAINS:
        space *= len(values)
    if rows > space:
        raise SystemExit(f"at most {space:,} distinct rows")
    stride = 1_000_003  # a prime not dividing the space: i -> i*stride mod space is a permutation
    with open(path, "w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream)
        writer.writerow(COLUMNS)
        for index in range(rows):
            number, template = (index * stride) % space, {}
            for column, values in DOMAINS:
                number, digit = divmod(number, len(values))
                template[column] = values[digit]
            if template["concession.touches_core_objective"] or template["concession.can_live_with"]:
                template["concession.what"] = True
            writer.writerow(_row(rng, index, template))
    return rows


# Running a screen in a child process, watching the tree's memory --------------------------


def _tree_rss_kb(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stream:
                stat = stream.read()
            with open(f"/proc/{entry}/statm") as stream:
                pages = int(stream.read().split()[1])
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry))
        rss[int(entry)] = pages * (os.sysconf("SC_PAGE_SIZE") // 1024)
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack += children.get(pid, [])
    return total


def run_screen(candidates: Path, out: Path, jobs: int | None, optimise: bool, mode: str = "--child") -> dict:
    command = [sys.executable] + (["-O"] if optimise else []) + [__file__, mode, str(candidates), str(out)]
    if jobs:
        command.append(str(jobs))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = [0]

    def watch():
        while process.poll() is None:
            try:
                peak[0] = max(peak[0], _tree_rss_kb(process.pid))
            except Exception:
                pass
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    watcher.join()
    if process.returncode != 0:
        raise SystemExit(f"screen failed ({process.returncode}):\n{stderr}")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["tree_peak_rss_mb"] = round(peak[0] / 1024, 1)
    result["summary"] = stderr.strip()
    return result


def child(argv: list[str]) -> None:
    """In the child: the real CLI, timed; then getrusage for this process and its joined workers."""
    candidates, out = argv[0], argv[1]
    from tahaluf.cli import main

    arguments = ["screen", candidates, "--org", str(ORG), "-o", out, "--errors", out + ".errors.csv"]
    if len(argv) > 2:
        arguments += ["--jobs", argv[2]]
    started = time.perf_counter()
    code = main(arguments)
    seconds = time.perf_counter() - started
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"code": code, "seconds": seconds, "self_max_rss_mb": round(me, 1),
                      "worker_max_rss_mb": round(workers, 1)}))
    sys.exit(code)


def floor_child(argv: list[str]) -> None:
    """In the child: read, validate and write every row as screening does, with no rules run."""
    import csv as csv_module

    from tahaluf.files.output import OutputSet
    from tahaluf.screening import check_columns, load_context, parse_row, profile_key
    from tahaluf.screening.readers import open_candidates

    candidates, out = argv[0], Path(argv[1])
    started = time.perf_counter()
    organisation, _ = load_context(ORG)
    core = frozenset(organisation.core_objectives or ())
    outputs = OutputSet(())
    with open_candidates(candidates) as reader, open(outputs.add(out), "w", newline="", encoding="utf-8") as stream:
        has_concessions = check_columns(reader)
        writer = csv_module.writer(stream)
        for row, values in reader.rows():
            parsed = parse_row(values, has_concessions, core)
            if isinstance(parsed, list):
                writer.writerow([row, "rejected"])
                continue
            partner, concession, state = parsed
            profile_key(partner, concession, state)
            writer.writerow([row, partner.name, partner.sector])
    outputs.commit()
    print(json.dumps({"code": 0, "seconds": time.perf_counter() - started}))


# The naive way: a new engine per candidate, one process, no cache -------------------------


def naive_rate(candidates: Path, sample: int) -> float:
    from tahaluf.rules import engine as engine_module
    from tahaluf.rules import facts
    from tahaluf.rules.declare import concession_facts, organisation_fact, partner_fact
    from tahaluf.screening import check_columns, load_context, parse_row
    from tahaluf.screening.readers import open_candidates

    organisation, alliance = load_context(ORG)
    core = frozenset(organisation.core_objectives or ())
    rows = []
    with open_candidates(candidates) as reader:
        has_concessions = check_columns(reader)
        for _, values in reader.rows():
            rows.append(values)
            if len(rows) >= sample:
                break
    engine_class = type(engine_module.engine_for("partner"))
    started = time.perf_counter()
    for values in rows:
        partner, concession, state = parse_row(values, has_concessions, core)
        engine_module._ENGINES["partner"] = engine_class()  # a new engine (a new Rete network) per candidate
        engine_module.infer([
            organisation_fact(organisation),
            facts.Alliance(path="alliance", partners_known=True, **alliance.model_dump()),
            partner_fact(partner, 0),
            *concession_facts(None if state is None else ([concession] if concession else [])),
        ], level="partner")
    return len(rows) / (time.perf_counter() - started)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2:])
        return
    if len(sys.argv) > 1 and sys.argv[1] == "--floor-child":
        floor_child(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--distinct-rows", type=int, default=20_000)
    parser.add_argument("--naive-sample", type=int, default=300)
    parser.add_argument("--million", action="store_true", help="also screen 1,000,000 rows (memory figure)")
    parser.add_argument("--jobs", type=int, help="worker processes (default: the CLI's, every core)")
    parser.add_argument("--runs", type=int, default=3, help="measure every figure this many times (best and worst)")
    parser.add_argument("-O", dest="optimise", action="store_true", help="run the screens under python -O")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="tahaluf-bench-") as folder:
        folder = Path(folder)
        realistic, distinct = folder / "realistic.csv", folder / "distinct.csv"
        started = time.perf_counter()
        profiles = write_realistic(realistic, args.rows)
        write_distinct(distinct, args.distinct_rows)
        print(f"generated {args.rows:,} realistic rows ({profiles:,} distinct profiles) and "
              f"{args.distinct_rows:,} distinct rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)

        figures: dict[str, list[float]] = {name: [] for name in ("realistic", "distinct", "floor", "naive")}
        peaks = []
        for run in range(1, args.runs + 1):
            for label, path, rows in (("realistic", realistic, args.rows), ("distinct", distinct, args.distinct_rows)):
                result = run_screen(path, folder / f"{label}.out.csv", args.jobs, args.optimise)
                figures[label].append(rows / result["seconds"])
                peaks.append(result["tree_peak_rss_mb"])
                print(f"run {run} {label}: {rows:,} rows in {result['seconds']:.2f} s = {figures[label][-1]:,.0f}/s, "
                      f"tree peak RSS {result['tree_peak_rss_mb']} MB\n{result['summary']}", file=sys.stderr)
            result = run_screen(distinct, folder / "floor.out.csv", None, args.optimise, mode="--floor-child")
            figures["floor"].append(args.distinct_rows / result["seconds"])
            figures["naive"].append(naive_rate(distinct, args.naive_sample))
            print(f"run {run} floor (read, validate, write; no rules): {figures['floor'][-1]:,.0f}/s; "
                  f"naive (new engine per candidate, {args.naive_sample} rows): {figures['naive'][-1]:,.0f}/s",
                  file=sys.stderr)

        def ratios(top: str, bottom: str) -> list[float]:
            return [a / b for a, b in zip(figures[top], figures[bottom])]

        def best_worst(values: list[float], digits: int = 0) -> dict:
            return {"best": round(max(values), digits), "worst": round(min(values), digits)}

        report = {
            "runs": args.runs,
            "rows": args.rows,
            "distinct_profiles": profiles,
            "candidates_per_second": best_worst(figures["realistic"]),
            "distinct_rows": args.distinct_rows,
            "distinct_candidates_per_second": best_worst(figures["distinct"]),
            "naive_candidates_per_second": best_worst(figures["naive"], 1),
            "floor_candidates_per_second": best_worst(figures["floor"]),
            "speedup_vs_naive": best_worst(ratios("realistic", "naive"), 1),
            "distinct_speedup_vs_naive": best_worst(ratios("distinct", "naive"), 1),
            "share_of_floor": best_worst(ratios("realistic", "floor"), 2),
            "distinct_share_of_floor": best_worst(ratios("distinct", "floor"), 2),
            "goals": {"distinct_speedup_vs_naive": 60, "speedup_vs_naive": 200, "million_peak_rss_mb": 300},
            "peak_rss_mb": max(peaks),
            "jobs": args.jobs or os.cpu_count(),
            "python_O": args.optimise,
        }
        if args.million:
            million = folder / "million.csv"
            started = time.perf_counter()
            million_profiles = write_realistic(million, 1_000_000)
            print(f"generated 1,000,000 rows ({million.stat().st_size / 1e6:.0f} MB) in "
                  f"{time.perf_counter() - started:.1f} s", file=sys.stderr)
            result = run_screen(million, folder / "million.out.csv", args.jobs, args.optimise)
            print(f"million: {1_000_000 / result['seconds']:,.0f}/s, tree peak RSS {result['tree_peak_rss_mb']} MB "
                  f"(self {result['self_max_rss_mb']} MB, largest worker {result['worker_max_rss_mb']} MB)\n"
                  f"{result['summary']}", file=sys.stderr)
            report.update({
                "million_rows": 1_000_000, "million_distinct_profiles": million_profiles,
                "million_candidates_per_second": round(1_000_000 / result["seconds"]),
                "million_peak_rss_mb": result["tree_peak_rss_mb"],
                "peak_rss_mb": max(report["peak_rss_mb"], result["tree_peak_rss_mb"]),
            })
        print(json.dumps(report))


if __name__ == "__main__":
    main()
