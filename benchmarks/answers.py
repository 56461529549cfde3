"""What reading Arabic answers costs: validation with and without the hook, side by side in one run.

Usage: python benchmarks/answers.py [--runs N] [--repeat N]

* document: validating the climate example (``AllianceDocument``) as read from YAML, in
  English, in Arabic (examples/climate-labour-alliance.ar.yaml), and in English with the
  hook bypassed (``answers.to_english`` replaced by the identity): the hook's own cost.
  Repeated validations of one document hit the per-field memo of raw answers, as a batch does.
* row: screening's ``parse_row`` on every row of examples/candidates.csv, English and with
  each answer cell in Arabic, and English with the hook bypassed.
* lexicon: reading knowledge/answers.yaml once (paid on the first Arabic answer only).

Each figure is the best and worst of ``--runs`` runs of ``--repeat`` validations, per item.
The last line printed is one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def per_item(action, items, runs: int, repeat: int) -> tuple[float, float]:
    """Best and worst microseconds per item over ``runs`` runs of ``repeat`` passes."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(repeat):
            for item in items:
                action(item)
        times.append((time.perf_counter() - start) / (repeat * len(items)) * 1e6)
    return round(min(times), 1), round(max(times), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()

    from tahaluf import answers, screening
    from tahaluf.loader import load_yaml, read_text
    from tahaluf.model import AllianceDocument, Concession, Partner

    start = time.perf_counter()
    answers.lexicon.cache_clear()
    answers.lexicon()
    lexicon_ms = round((time.perf_counter() - start) * 1e3, 2)

    examples = ROOT / "examples"
    english = load_yaml(read_text(examples / "climate-labour-alliance.yaml"), "en")[0]
    arabic = load_yaml(read_text(examples / "climate-labour-alliance.ar.yaml"), "ar")[0]
    with open(examples / "candidates.csv", encoding="utf-8-sig", newline="") as stream:
        rows = [{k: v for k, v in row.items() if v} for row in csv.DictReader(stream)]
    arabic_rows = []
    for row in rows:
        translated = {}
        for column, cell in row.items():
            section, name, _ = screening.COLUMNS[column]
            model = {"": Partner, "concession": Concession, **screening.SECTIONS}[section]
            spec = answers.answer_fields(model).get(name)
            meaning = {"yes": True, "no": False}.get(cell, cell) if spec is not None and True in spec.values else cell
            form = answers.shown(meaning) if spec is not None and meaning in spec.values else None
            translated[column] = form or cell
        arabic_rows.append(translated)

    def document(data):
        return AllianceDocument.model_validate(data)

    def row(values):
        return screening.parse_row(values, True, frozenset())

    hook = answers.to_english

    def measure(action, items, repeat, with_hook=True):
        if not with_hook:
            answers.to_english = lambda model, data: data  # the models' hook looks it up on each call
        try:
            return per_item(action, items, 1, repeat)[0]
        finally:
            answers.to_english = hook

    rows_repeat = max(args.repeat // 10, 1)
    cases = {
        "document_en_us": (document, [english], args.repeat, True),
        "document_en_no_hook_us": (document, [english], args.repeat, False),
        "document_ar_us": (document, [arabic], args.repeat, True),
        "row_en_us": (row, rows, rows_repeat, True),
        "row_en_no_hook_us": (row, rows, rows_repeat, False),
        "row_ar_us": (row, arabic_rows, rows_repeat, True),
    }
    # Interleaved run by run, so that a busy machine weighs on every figure alike.
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(args.runs):
        for name, (action, items, repeat, with_hook) in cases.items():
            samples[name].append(measure(action, items, repeat, with_hook))
    figures = {name: (min(values), max(values)) for name, values in samples.items()}

    for name, (best, worst) in figures.items():
        print(f"{name:<24} best {best:>8} µs  worst {worst:>8} µs")
    hook_share = {
        "document": round(figures["document_en_us"][0] / figures["document_en_no_hook_us"][0], 3),
        "row": round(figures["row_en_us"][0] / figures["row_en_no_hook_us"][0], 3),
    }
    print(f"English with the hook / without (best): document x{hook_share['document']}, row x{hook_share['row']}")
    document_ratio = round(figures["document_ar_us"][0] / figures["document_en_us"][0], 3)
    print(f"Arabic / English (best): document x{document_ratio}, "
          f"row x{round(figures['row_ar_us'][0] / figures['row_en_us'][0], 3)}")
    print(f"lexicon read once: {lexicon_ms} ms")
    print(json.dumps({"benchmark": "arabic-answers", **{k: list(v) for k, v in figures.items()},
                      "hook_ratio": hook_share, "lexicon_ms": lexicon_ms}))


if __name__ == "__main__":
    main()
