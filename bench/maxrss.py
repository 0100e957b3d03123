"""Run a command and record its peak memory, for machines without ``/usr/bin/time``.

``python bench/maxrss.py OUT -- COMMAND...`` runs COMMAND and writes to OUT
the two lines of GNU ``time -v`` that the runner reads: ``Maximum resident
set size (kbytes): N`` (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss``)
and ``Exit status: N``. The command's own exit status is passed on.
"""

from __future__ import annotations

import resource
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print("usage: python bench/maxrss.py OUT -- COMMAND...", file=sys.stderr)
        return 2
    code = subprocess.call(argv[2:])
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    Path(argv[0]).write_text(
        f"\tMaximum resident set size (kbytes): {peak}\n\tExit status: {code}\n", "utf-8"
    )
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
