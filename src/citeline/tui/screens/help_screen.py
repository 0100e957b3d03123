"""Help: every key binding, grouped, straight from the command table."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from citeline.tui.commands import groups
from citeline.tui.widgets.key_footer import KeyFooter

_KEY_NAMES = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "backspace": "Backspace",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "down": "↓",
    "up": "↑",
    "left": "←",
    "right": "→",
    "space": "Space",
    "tab": "Tab",
}


def key_label(keys: str) -> str:
    """``j, ↓`` for ``"j,down"``; ``Ctrl+P`` for ``"ctrl+p"``."""
    labels = []
    for key in keys.split(","):
        if key.startswith("ctrl+"):
            labels.append("Ctrl+" + key[5:].upper())
        else:
            labels.append(_KEY_NAMES.get(key, key))
    return ", ".join(labels)


def help_table() -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", min_width=16)
    table.add_column()
    for group, commands in groups().items():
        table.add_row(Text(group, style="bold underline"), "")
        for command in commands:
            table.add_row(Text(key_label(command.keys)), Text(command.help))
        table.add_row("", "")
    table.add_row(Text("Search box", style="bold underline"), "")
    table.add_row(Text("Enter"), Text("Select the first match and show its detail"))
    table.add_row(Text("Esc"), Text("Clear the search and leave the box"))
    table.add_row("", "")
    table.add_row(Text("Date box", style="bold underline"), "")
    table.add_row(Text("Enter"), Text("Select the first event from the date typed"))
    table.add_row(Text("Esc"), Text("Close the box, the selection as it was"))
    return table


class HelpScreen(Screen[None]):
    """Every key, grouped; ``Esc`` (or any back key) closes it."""

    CSS_PATH = "../styles/help.tcss"

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body"):
            yield Static(Text("citeline keys", style="bold"), id="help-title")
            yield Static(help_table(), id="help-table")
        yield KeyFooter(compact=True, show_command_palette=False)
