"""The ``citeline`` command (and ``python -m citeline``): the command line, imported and
started with the garbage collector paused.

Importing the command line, the core and then the interface makes a great
many objects that all last; the young collections they set off find nothing
(23 of them, 2.4-3.7 ms, while the command line alone is imported). The
browser resumes the collector once its timeline shows; any other command,
once its arguments are read (see :func:`citeline.collector.pause_until_resumed`).
"""

from __future__ import annotations

import sys

from citeline.collector import pause_until_resumed


def main() -> int:
    resume_collector = pause_until_resumed()
    try:
        from citeline.cli import main as run_command_line

        return run_command_line(resume_collector=resume_collector)
    finally:
        resume_collector()


if __name__ == "__main__":
    sys.exit(main())
