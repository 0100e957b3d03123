"""The README tells the truth: two Quick start commands, every key in the key table."""

from __future__ import annotations

import re
from pathlib import Path

from citeline.tui.commands import COMMANDS
from citeline.tui.screens.help_screen import key_label

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    match = re.search(rf"^## {title}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, f"no section '{title}'"
    return match.group(1)


def test_quick_start_has_exactly_two_commands() -> None:
    blocks = re.findall(r"```sh\n(.*?)```", _section("Quick start"), re.S)
    commands = [line for block in blocks for line in block.splitlines() if line.strip()]
    assert commands == ["pip install . && citeline", "pip install '.[test]' && pytest"]


def test_ci_runs_the_readme_test_command() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text(encoding="utf-8")
    assert "\npip install '.[test]' && pytest\n" in ci


def test_key_table_lists_every_command() -> None:
    keys = _section("Keys")
    for command in COMMANDS:
        assert f"| `{key_label(command.keys)}` | {command.help} |" in keys, command.id
