"""The README's Python example runs, in a fresh process over the bundled corpus, and every value it
marks with '→' is what the line gives."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def example() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return re.search(r"```python\n(.*?)```", text, re.S).group(1)


def checked(code: str) -> str:
    """The example with each `expr  # → value` line turned into an assertion."""
    out = []
    for line in code.splitlines():
        m = re.match(r"(?P<expr>[^#]+?)\s+#\s*→\s*(?P<value>.+?)(?:\s{2,}.*)?$", line)
        if m:
            value = ast.literal_eval(m["value"])
            out.append(f"_got = {m['expr']}")
            out.append(f"assert _got == {value!r}, (_got, {line!r})")
        else:
            out.append(line)
    return "\n".join(out)


def test_the_example_marks_values_to_check():
    assert checked(example()).count("assert _got") >= 3


def test_readme_python_example_runs(tmp_path):
    env = {**os.environ, "RAG_INDEX_DIR": str(tmp_path / "index")}
    done = subprocess.run(
        [sys.executable, "-c", checked(example())],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "[1]" in done.stdout
