"""The floor for ``validate``: parse an events file with PyYAML's C loader.

``python bench/c_loader.py FILE`` reads the file as citeline does (bytes,
then UTF-8) and builds plain Python objects with ``yaml.CSafeLoader``
(libyaml's parser and emitter bindings, PyYAML's safe constructor); it
prints the number of events so the work cannot be skipped.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python bench/c_loader.py FILE", file=sys.stderr)
        return 2
    if not hasattr(yaml, "CSafeLoader"):
        print("PyYAML was built without libyaml: no C loader", file=sys.stderr)
        return 2
    text = Path(argv[0]).read_bytes().decode("utf-8")
    data = yaml.load(text, Loader=yaml.CSafeLoader)
    print(len(data.get("events") or []))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
