"""The one compatibility fix makes experta import and run on this Python."""

import subprocess
import sys


def test_experta_imports_and_runs_in_a_fresh_interpreter():
    # A fresh process: nothing else has patched `collections` before the compat module.
    code = (
        "from tahaluf.experta_compat import KnowledgeEngine, Fact, Rule\n"
        "class Seen(Fact): pass\n"
        "class E(KnowledgeEngine):\n"
        "    fired = []\n"
        "    @Rule(Seen(x=1))\n"
        "    def r(self): self.fired.append(1)\n"
        "e = E(); e.reset(); e.declare(Seen(x=1)); e.run()\n"
        "assert e.fired == [1], e.fired\n"
        "import logging; assert not logging.getLogger().handlers, 'experta basicConfig leaked'\n"
        "print('ok')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"


def test_only_the_compat_module_imports_experta():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts and path.name != "experta_compat.py"
        and not any(part.startswith(".") for part in path.relative_to(root).parts)  # .venv: experta itself
        and any(line.lstrip().startswith(("import experta", "from experta"))
                for line in path.read_text(encoding="utf-8").splitlines())
    ]
    assert offenders == []
