"""Every key command, declared once.

``BINDINGS`` of each screen and widget, the footer, the help screen and the
command palette are all derived from this table, so they cannot drift apart.
"""

from __future__ import annotations

from typing import NamedTuple

from textual.binding import Binding


class Command(NamedTuple):
    id: str
    keys: str  # comma-separated Textual key names; the first is shown
    action: str
    description: str  # short, for the footer
    help: str  # longer, for the help screen and the palette
    group: str
    show: bool = True  # in the footer
    priority: bool = False
    key_display: str | None = None

    def binding(self) -> Binding:
        return Binding(
            self.keys,
            self.action,
            self.description,
            show=self.show,
            priority=self.priority,
            key_display=self.key_display,
            tooltip=self.help,
            id=self.id,
        )


_C = Command

COMMANDS: tuple[Command, ...] = (
    # Moving through the timeline
    _C("timeline.down", "j,down", "move(1)", "Down", "Select the next event", "Timeline",
       show=False),
    _C("timeline.up", "k,up", "move(-1)", "Up", "Select the previous event", "Timeline",
       show=False),
    _C("timeline.page-down", "pagedown,ctrl+d", "page(1)", "Page down", "Move a page down",
       "Timeline", show=False),
    _C("timeline.page-up", "pageup,ctrl+u", "page(-1)", "Page up", "Move a page up",
       "Timeline", show=False),
    _C("timeline.first", "g,home", "first", "First", "Select the first event", "Timeline",
       show=False),
    _C("timeline.last", "G,end", "last", "Last", "Select the last event", "Timeline",
       show=False),
    _C("timeline.enter", "enter,l,right", "enter", "Passages",
       "Go into the selected event's passages", "Timeline", key_display="⏎"),
    # Passages in the detail pane
    _C("passages.down", "j,down", "move(1)", "Down",
       "Next passage (or a line down, while there is more to read)", "Passages", show=False),
    _C("passages.up", "k,up", "move(-1)", "Up",
       "Previous passage (or a line up, as far as the summary)", "Passages", show=False),
    _C("passages.open", "enter,l,right", "open", "Open",
       "Open the source viewer at this passage", "Passages", key_display="⏎"),
    # Anywhere
    _C("app.previous-event", "left_square_bracket", "step_event(-1)", "Prev",
       "Previous event, from any screen (the source viewer follows)", "Anywhere",
       key_display="["),
    _C("app.next-event", "right_square_bracket", "step_event(1)", "Next",
       "Next event, from any screen (the source viewer follows)", "Anywhere", key_display="]"),
    _C("app.back", "escape,h,left,backspace", "back", "Back",
       "Go back one step (like a browser)", "Anywhere", key_display="esc"),
    # (a priority key: taken as it arrives, so the query typed right after it goes into
    # the search field, not to keys of the list; a focused text field types it instead)
    _C("app.search", "slash", "search", "Search",
       "Search titles, summaries, places, participants, tags and quotes", "Anywhere",
       key_display="/", priority=True),
    _C("app.sources", "s", "sources", "Sources", "List every source", "Anywhere"),
    _C("app.coverage", "c", "coverage", "Coverage",
       "Events × sources grid: which source cites what", "Anywhere"),
    _C("app.goto-date", "d", "goto_date", "Date",
       "Go to a date: the first event from it (2022-09-15, Sep 2022, 2022…)", "Anywhere"),
    _C("app.help", "question_mark", "help", "Help", "Show every key", "Anywhere",
       key_display="?"),
    _C("app.palette", "ctrl+p", "command_palette", "Palette",
       "Command palette: go to an event, open a source, export, theme", "Anywhere",
       show=False),
    _C("app.quit", "q", "quit", "Quit", "Quit citeline (in a text box, Esc leaves it first)",
       "Anywhere"),
    _C("app.quit-now", "ctrl+c", "quit", "Quit", "Quit citeline, even from a text box",
       "Anywhere", show=False, priority=True),
    # The source viewer
    _C("source.next", "n", "next_passage", "Next cited",
       "Next cited passage in this source", "Source viewer"),
    _C("source.previous", "N", "previous_passage", "Prev cited",
       "Previous cited passage in this source", "Source viewer"),
    _C("source.down", "j,down", "scroll_lines(1)", "Scroll down", "Scroll down a line",
       "Source viewer", show=False),
    _C("source.up", "k,up", "scroll_lines(-1)", "Scroll up", "Scroll up a line",
       "Source viewer", show=False),
    _C("source.page-down", "pagedown,space", "scroll_pages(1)", "Page down",
       "Scroll down a page", "Source viewer", show=False),
    _C("source.page-up", "pageup", "scroll_pages(-1)", "Page up", "Scroll up a page",
       "Source viewer", show=False),
    _C("source.top", "g,home", "scroll_to_start", "Top", "Go to the top of the source",
       "Source viewer", show=False),
    _C("source.bottom", "G,end", "scroll_to_end", "Bottom", "Go to the end of the source",
       "Source viewer", show=False),
    _C("source.citing", "tab", "focus_citing", "Citing events",
       "Move to the list of events citing this passage", "Source viewer", show=False),
    # Lists (sources, coverage, citing events)
    _C("list.open", "enter", "open", "Open", "Open the item under the cursor", "Lists",
       key_display="⏎"),
    _C("list.down", "j,down", "cursor_down", "Down", "Next item", "Lists", show=False),
    _C("list.up", "k,up", "cursor_up", "Up", "Previous item", "Lists", show=False),
    _C("list.page-down", "pagedown,ctrl+d", "page_down", "Page down", "Move a page down",
       "Lists", show=False),
    _C("list.page-up", "pageup,ctrl+u", "page_up", "Page up", "Move a page up", "Lists",
       show=False),
    _C("list.first", "g,home", "first", "First", "Go to the first item", "Lists", show=False),
    _C("list.last", "G,end", "last", "Last", "Go to the last item", "Lists", show=False),
    # The coverage grid (rows move with the list keys; Esc goes back)
    _C("grid.left", "h,left", "cursor_left", "Left",
       "Previous source column (here only Esc and Backspace go back)", "Coverage grid",
       show=False),
    _C("grid.right", "l,right", "cursor_right", "Right", "Next source column", "Coverage grid",
       show=False),
)

_BY_ID = {command.id: command for command in COMMANDS}

#: The cursor moves every list and grid shares.
LIST_MOVES = ("list.down", "list.up", "list.page-down", "list.page-up", "list.first", "list.last")


def command(command_id: str) -> Command:
    return _BY_ID[command_id]


def bindings(*command_ids: str) -> list[Binding]:
    """The Textual bindings for the given command ids, in the order given."""
    return [_BY_ID[command_id].binding() for command_id in command_ids]


def bindings_for_group(group: str) -> list[Binding]:
    return [c.binding() for c in COMMANDS if c.group == group]


def groups() -> dict[str, list[Command]]:
    """Commands by group, in declaration order, for the help screen."""
    grouped: dict[str, list[Command]] = {}
    for c in COMMANDS:
        grouped.setdefault(c.group, []).append(c)
    return grouped
