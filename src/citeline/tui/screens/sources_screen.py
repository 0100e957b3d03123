"""Every source: its title, file, how many events cite it and how much of it."""

from __future__ import annotations

from dataclasses import dataclass, replace

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from citeline.model import Source, Timeline
from citeline.sanitize import one_line
from citeline.tui.commands import LIST_MOVES, bindings
from citeline.tui.messages import SourceRequested
from citeline.tui.widgets.key_footer import KeyFooter
from citeline.wording import counted


@dataclass(frozen=True)
class SourceStats:
    """How much one source is used: citing events, passages, characters covered."""

    source: Source
    events: int
    passages: int
    covered: int  # characters in the union of the cited spans

    @property
    def fraction(self) -> float:
        """Share of the source's characters that some passage quotes (0..1)."""
        return self.covered / len(self.source.text) if self.source.text else 0.0


def source_stats(timeline: Timeline) -> list[SourceStats]:
    """Statistics for every source, in the order the timeline declares them."""
    spans: dict[str, list[tuple[int, int]]] = {s.id: [] for s in timeline.sources}
    events: dict[str, set[str]] = {s.id: set() for s in timeline.sources}
    for event in timeline.events:
        for passage in event.passages:
            if passage.source_id in spans:
                spans[passage.source_id].append((passage.start, passage.end))
                events[passage.source_id].add(event.id)
    stats = []
    for source in timeline.sources:
        covered = 0
        end_so_far = -1
        for start, end in sorted(spans[source.id]):
            start = max(start, end_so_far)
            if end > start:
                covered += end - start
                end_so_far = end
        stats.append(SourceStats(source, len(events[source.id]), len(spans[source.id]), covered))
    return stats


def format_share(fraction: float) -> str:
    """``12.5%``, ``<0.1%`` for a sliver, ``0%`` for nothing."""
    if fraction <= 0:
        return "0%"
    if fraction < 0.001:
        return "<0.1%"
    return f"{fraction * 100:.1f}%"


class SourcesScreen(Screen[None]):
    """A list of the sources; ``Enter`` posts :class:`SourceRequested`."""

    CSS_PATH = "../styles/sources.tcss"
    AUTO_FOCUS = "#sources-list"
    # Enter is a priority binding so the footer shows it over the list's own.
    BINDINGS = [
        replace(binding, priority=True) for binding in bindings("list.open")
    ] + bindings(*LIST_MOVES)

    def __init__(
        self, timeline: Timeline, select: str | None = None, scroll: int | None = None
    ) -> None:
        """``select``: the id of the source the cursor starts on (else the first);
        ``scroll``: the rows the list starts scrolled by (the list as it was left,
        coming back to it), as far as the cursor stays in sight."""
        super().__init__()
        self._timeline = timeline
        self._stats = source_stats(timeline)
        self._first_selection = select
        self._first_scroll = scroll

    def on_mount(self) -> None:
        if self._first_selection is not None:
            self.select_source(self._first_selection)
        if self._first_scroll is not None:
            # (once laid out: the list scrolls to its cursor as it is shown, and only
            # as far as it must, so it keeps this offset wherever the cursor is in sight)
            self.call_after_refresh(self._scroll_list, self._first_scroll)

    def _scroll_list(self, rows: int) -> None:
        option_list = self.option_list
        option_list.scroll_to(y=rows, animate=False, immediate=True)
        option_list.scroll_to_highlight()

    def compose(self) -> ComposeResult:
        yield Static(self._header(), id="sources-header", markup=False)
        yield OptionList(
            *(Option(self._prompt(stats), id=stats.source.id) for stats in self._stats),
            id="sources-list",
            markup=False,
        )
        yield KeyFooter()

    # -- what the app may ask ---------------------------------------------------------

    @property
    def stats(self) -> list[SourceStats]:
        return list(self._stats)

    @property
    def option_list(self) -> OptionList:
        return self.query_one("#sources-list", OptionList)

    @property
    def list_scroll(self) -> int:
        """How many rows the list is scrolled down."""
        return self.option_list.scroll_offset.y

    @property
    def highlighted_source(self) -> str | None:
        """The id of the source under the cursor."""
        index = self.option_list.highlighted
        return None if index is None else self._stats[index].source.id

    def set_timeline(self, timeline: Timeline) -> None:
        """Show a reloaded timeline's sources, the cursor on the same source if it is
        still there (else at its place)."""
        option_list = self.option_list
        index = option_list.highlighted
        kept = option_list.get_option_at_index(index).id if index is not None else None
        self._timeline = timeline
        self._stats = source_stats(timeline)
        self.query_one("#sources-header", Static).update(self._header())
        option_list.clear_options()
        option_list.add_options(
            Option(self._prompt(stats), id=stats.source.id) for stats in self._stats
        )
        if kept is not None and self.select_source(kept):
            return
        if index is not None and self._stats:
            option_list.highlighted = min(index, len(self._stats) - 1)

    def select_source(self, source_id: str) -> bool:
        """Put the cursor on a source."""
        for index, stats in enumerate(self._stats):
            if stats.source.id == source_id:
                self.option_list.highlighted = index
                return True
        return False

    # -- actions: the list keys reach the option list from anywhere on the screen ----

    def action_open(self) -> None:
        self.option_list.action_select()

    def action_cursor_down(self) -> None:
        self.option_list.action_cursor_down()

    def action_cursor_up(self) -> None:
        self.option_list.action_cursor_up()

    def action_page_down(self) -> None:
        self.option_list.action_page_down()

    def action_page_up(self) -> None:
        self.option_list.action_page_up()

    def action_first(self) -> None:
        self.option_list.action_first()

    def action_last(self) -> None:
        self.option_list.action_last()

    @on(OptionList.OptionSelected, "#sources-list")
    def _on_selected(self, message: OptionList.OptionSelected) -> None:
        message.stop()
        if message.option.id is not None:
            self.post_message(SourceRequested(message.option.id))

    # -- helpers ------------------------------------------------------------------------

    def _header(self) -> Text:
        count = len(self._stats)
        text = Text(counted(count, "source"), style="bold", end="")
        uncited = sum(1 for stats in self._stats if not stats.events)
        passages = sum(stats.passages for stats in self._stats)
        text.append(f" · {counted(passages, 'cited passage')}", style="dim")
        if uncited:
            text.append(f" · {uncited} cited by no event", style="dim")
        return text

    @staticmethod
    def _prompt(stats: SourceStats) -> Group:
        """The title, then usage, id, file and author, indented as they wrap."""
        source = stats.source
        title = Text(one_line(source.title), style="bold")
        text = Text(end="")
        text.append(counted(stats.events, "event"))
        text.append(f" · {format_share(stats.fraction)} quoted")
        text.append(" · ", style="dim")
        text.append(one_line(source.id), style="dim")
        text.append(" · ", style="dim")
        text.append(one_line(source.file), style="dim")
        if source.author:
            text.append(" · by ", style="dim")
            text.append(one_line(source.author), style="dim")
        return Group(title, Padding(text, (0, 0, 0, 2)))
