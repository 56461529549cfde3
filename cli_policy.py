"""`tahaluf policy check|test FILE`: the organisation's policy file checked, and its own examples run.
Thin: the library (tahaluf.policy) does the work; this prints its lines and sets the exit code."""

from __future__ import annotations

from tahaluf.loader import display_name


def cmd_policy(args) -> int:
    from tahaluf.policy import check_policy

    read = check_policy(args.file)
    if read.policy is None:  # every problem at once, FILE:LINE: problem
        for problem in read.problems:
            print(problem)
        return 2
    if args.action == "check":
        if not args.quiet:
            print(f"{display_name(args.file)}: ok ({len(read.policy.rules)} rules, "
                  f"{len(read.policy.examples)} examples)")
        return 0
    from tahaluf.policy.examples import run_examples

    results = run_examples(read.policy)
    print(f"== [{display_name(args.file)}] {'FAIL' if any(not r.passed for r in results) else 'PASS'}")
    for result in results:
        where = f"L:{result.example.line or 0:4d}"
        print(f"{where} | {'PASS' if result.passed else 'FAIL'} | {result.example.name}")
        if result.error:
            print(f"{' ' * len(where)} |      | the example is not a valid alliance file: {result.error}")
        for rule_id, wanted, got in result.mismatches:
            print(f"{' ' * len(where)} |      | {rule_id}: expected {wanted}, got {got}")
    failed = sum(not result.passed for result in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def load_policy_option(path: str | None):
    """``--policy FILE`` read and checked (every problem at once, exit 2), or None without one."""
    if path is None:
        return None
    from tahaluf.policy import load_policy

    return load_policy(path)
