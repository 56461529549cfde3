"""The `tahaluf` command: parse arguments, call the library, map its errors to exit codes.

Exit codes: 0 done; 2 bad input or usage; 3 the rules did not settle; 4 a report
could not be rendered; 130 interrupted.
"""

from __future__ import annotations

import argparse
import sys

if __package__ in (None, ""):  # `python cli.py` from a checkout: load this folder as the package
    import importlib.util
    import pathlib

    _root = pathlib.Path(__file__).resolve().parent
    _spec = importlib.util.spec_from_file_location("tahaluf", _root / "__init__.py",
                                                   submodule_search_locations=[str(_root)])
    _package = importlib.util.module_from_spec(_spec)
    sys.modules["tahaluf"] = _package
    _spec.loader.exec_module(_package)

from tahaluf import __version__  # noqa: E402
from tahaluf.errors import TahalufError  # noqa: E402

FORMATS = ("md", "json", "html", "pdf")
LANGS = ("en", "ar")


def cmd_evaluate(args) -> None:
    from tahaluf.evaluation import evaluate_file
    from tahaluf.reports.render import render_report
    from tahaluf.reports.output import write_output

    evaluation = evaluate_file(args.file)
    write_output(render_report(evaluation, args.format, args.lang, explain=args.explain), args.output)


def cmd_schema(args) -> None:
    from tahaluf.catalogue import json_schema

    sys.stdout.write(json_schema())


def cmd_init(args) -> None:
    from tahaluf.catalogue import write_template

    write_template(args.output, force=args.force)
    print(f"wrote {args.output}", file=sys.stderr)


def cmd_rules(args) -> None:
    from tahaluf.catalogue import rules_listing

    sys.stdout.write(rules_listing(args.format))


def cmd_explain(args) -> None:
    from tahaluf.catalogue import rule_documentation

    sys.stdout.write(rule_documentation(args.code))


def cmd_guide(args) -> None:
    from tahaluf.catalogue import guide_listing

    sys.stdout.write(guide_listing(args.format, args.lang))


def cmd_screen(args) -> None:
    from tahaluf.screening import screen_file

    summary = screen_file(args.candidates, args.org, output=args.output, fmt=args.format, jobs=args.jobs,
                          lang=args.lang, errors=args.errors)
    print(summary.text(), file=sys.stderr)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tahaluf", description="Advice on whether, and on what terms, to enter a proposed alliance.")
    parser.add_argument("--version", action="version", version=f"tahaluf {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    evaluate = commands.add_parser("evaluate", help="evaluate one alliance file and print the advice report")
    evaluate.add_argument("file", help="alliance YAML file (see `tahaluf init`)")
    evaluate.add_argument("--format", choices=FORMATS, default="md", help="report format (default: md)")
    evaluate.add_argument("--lang", choices=LANGS, default="en", help="report language (default: en)")
    evaluate.add_argument("-o", "--output", help="write here instead of standard output (atomically)")
    evaluate.add_argument("--explain", action="store_true", help="show how the verdict was derived, down to the facts")
    evaluate.set_defaults(run=cmd_evaluate)

    schema = commands.add_parser("schema", help="print the JSON Schema of the input format")
    schema.set_defaults(run=cmd_schema)

    init = commands.add_parser("init", help="write a commented alliance template to fill in")
    init.add_argument("output", nargs="?", default="alliance.yaml", help="file to write (default: alliance.yaml)")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.set_defaults(run=cmd_init)

    rules = commands.add_parser("rules", help="list every rule")
    rules.add_argument("--format", choices=("text", "json"), default="text")
    rules.set_defaults(run=cmd_rules)

    explain = commands.add_parser("explain", help="print one rule's documentation with the guide's words")
    explain.add_argument("code", help="rule code, e.g. PR01")
    explain.set_defaults(run=cmd_explain)

    guide = commands.add_parser("guide", help="print the guide item by item with the rules that encode it")
    guide.add_argument("--format", choices=("text", "json"), default="text")
    guide.add_argument("--lang", choices=LANGS, default="en")
    guide.set_defaults(run=cmd_guide)

    screen = commands.add_parser("screen", help="screen a list of candidate partners, best first")
    screen.add_argument("candidates", help="candidates: CSV, XLSX, JSONL or YAML, one candidate partner a row")
    screen.add_argument("--org", required=True, help="alliance YAML giving our organisation and the alliance")
    screen.add_argument("-o", "--output", help="write here instead of standard output (atomically)")
    screen.add_argument("--format", choices=("csv", "xlsx", "jsonl", "html"),
                        help="output format (default: from the -o extension, else csv)")
    screen.add_argument("--jobs", type=int, help="worker processes (default: every core; 1 = in-process)")
    screen.add_argument("--lang", choices=LANGS, default="en", help="language of the reasons (default: en)")
    screen.add_argument("--errors", metavar="ERRORS_FILE",
                        help="CSV of rejected rows (default: OUTPUT.errors.csv with -o, else only summarised)")
    screen.set_defaults(run=cmd_screen)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        args.run(args)
    except TahalufError as error:
        print(f"tahaluf: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # a disk full, a file vanished mid-run: one line, never a traceback
        where = f"{error.filename}: " if error.filename else ""
        print(f"tahaluf: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("tahaluf: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
