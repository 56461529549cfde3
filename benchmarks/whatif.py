"""Time `tahaluf whatif` the old way and the new, side by side in one run; questions-to-settled.

Old: every answer to every deciding question evaluated in full (evaluate_document), as before
issue 22. New: neighbours rerun only the checks a changed fact reaches, and only the questions
that could change the verdict are tried (what_it_takes.could_change). Both give the same answers
(tests/test_neighbours.py, tests/test_whatif_words.py). Inputs: the empty template (`tahaluf init -`)
and the shipped examples. Several runs each; best and worst printed.

Usage: python benchmarks/whatif.py [--runs N]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tahaluf.consultation.what_if as consultation_module
from tahaluf.consultation import answer_value, consult, document_of, with_answer
from tahaluf.evaluation import evaluate_file
from tahaluf.reports.whatif import render_whatif
from tahaluf.what_it_takes import changing_questions, what_it_would_take

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _old(evaluation) -> None:
    """The old way: full evaluations, every deciding question (the neighbourhood switched off)."""
    near = consultation_module._near
    consultation_module._near = lambda consultation: None
    try:
        current = consult(evaluation.document, evaluation)
        changing_questions(current, prune=False)
        what_it_would_take(current)
    finally:
        consultation_module._near = near


def _new(evaluation) -> None:
    render_whatif(evaluation, "en", "text")


def _times(run, evaluation, runs: int) -> tuple[float, float]:
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        run(evaluation)
        found.append(time.perf_counter() - start)
    return min(found), max(found)


def questions_to_settled(evaluation, limit: int = 150) -> int | None:
    """Answering the first open question with its first answer each time: how many until settled."""
    current = consult(evaluation.document, evaluation)
    for asked in range(limit):
        if current.settled:
            return asked
        if not current.questions:
            return None
        question = current.questions[0]
        answer = question.answers()[0]
        if question.kind in ("text", "person") and not answer:
            answer = question.answers()[-1]
        current = consult(document_of(with_answer(current.data, question.parts, answer_value(question, answer))))
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    template = folder / "empty.yaml"
    template.write_text(subprocess.run([sys.executable, "-m", "tahaluf", "init", "-"], capture_output=True,
                                       text=True, check=True).stdout, encoding="utf-8")
    cases = [("empty template", template)] + [(p.name, p) for p in sorted(EXAMPLES.glob("*.yaml"))]
    print(f"{'case':38} {'old best/worst s':>18} {'new best/worst s':>18} {'to settled':>10}")
    for name, path in cases:
        evaluation = evaluate_file(path)
        _new(evaluation)  # warm the engines and caches
        old, new = _times(_old, evaluation, args.runs), _times(_new, evaluation, args.runs)
        settled = questions_to_settled(evaluation)
        print(f"{name:38} {old[0]:8.2f} /{old[1]:6.2f}   {new[0]:8.2f} /{new[1]:6.2f}   {settled!s:>10}")


if __name__ == "__main__":
    main()
