"""The core never imports the terminal UI libraries (textual, rich)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import citeline

SRC = Path(__file__).resolve().parents[1] / "src"

#: Every module of the package outside the terminal UI (new ones are picked up too).
CORE = [
    "citeline",
    *sorted(
        module.name
        for module in pkgutil.walk_packages(citeline.__path__, "citeline.")
        if module.name != "citeline.tui" and not module.name.startswith("citeline.tui.")
    ),
]

PROBE = """
import importlib, json, sys
from pathlib import Path
for name in {modules!r}:
    importlib.import_module(name)
from citeline.cli import main
from citeline.loader import load
load(Path({events!r}))  # a whole load, not only the imports
ui = sorted(m for m in sys.modules if m.split(".")[0] in ("textual", "rich"))
print(json.dumps(ui))
"""


def imported_ui_modules(modules: list[str]) -> list[str]:
    events = str(SRC.parent / "events.yaml")
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules, events=events)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PYTHONPATH": str(SRC), "PATH": ""},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_the_core_modules_are_listed() -> None:
    expected = {
        "citeline.model", "citeline.dates", "citeline.anchoring", "citeline.loader",
        "citeline.diagnostics", "citeline.cli", "citeline.search", "citeline.sanitize",
        "citeline.source_files", "citeline.yaml_reader", "citeline.export",
        "citeline.export.json_doc", "citeline.export.ics", "citeline.export.atomic",
    }
    assert expected <= set(CORE)
    assert not any(name.startswith("citeline.tui") for name in CORE)


def test_core_does_not_import_textual_or_rich() -> None:
    assert imported_ui_modules(CORE) == []


def test_the_probe_would_see_an_import() -> None:
    # The same probe does notice the UI package importing textual.
    assert "textual" in imported_ui_modules([*CORE, "citeline.tui.app"])
