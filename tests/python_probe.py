"""Running a few lines of Python in a fresh interpreter that imports this checkout's
citeline: what a start imports is seen only from a new process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def run_probe(code: str, *args: str) -> str:
    """The standard output of ``python -c code args...`` with ``src`` on its path; the
    probe must succeed."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60,
        env={**os.environ, "PYTHONPATH": str(SRC)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout
