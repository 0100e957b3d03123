"""The citing-events panel on its own: wrapping, the cursor, scrolling, the mouse."""

from __future__ import annotations

from textual.app import App, ComposeResult

from citeline.dates import parse_date
from citeline.model import Event
from citeline.tui.messages import EventChosen
from citeline.tui.widgets.citing_events import CitingEvents

from .conftest import screen_lines


def _event(number: int, title: str | None = None) -> Event:
    return Event(
        id=f"e{number}",
        title=title or f"Event number {number}",
        date=parse_date(f"2022-03-{number:02d}"),
        summary="",
        passages=(),
    )


class PanelHost(App[None]):
    """One panel, 34 cells wide (32 of text) and ``height`` rows tall, borderless."""

    CSS = "CitingEvents { width: 34; height: %d; }"

    def __init__(self, height: int = 6) -> None:
        self.CSS = PanelHost.CSS % height
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield CitingEvents()

    def on_event_chosen(self, message: EventChosen) -> None:
        self.chosen.append(message.event_id)


def _panel(app: App) -> CitingEvents:
    return app.query_one(CitingEvents)


async def test_dates_and_titles_wrap_to_the_width_with_the_cursor_on_current() -> None:
    app = PanelHost()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = _panel(app)
        long = "A very long title that cannot fit on one row of the panel"
        panel.show_events([_event(1), _event(2, long), _event(3)], "Cited by 3", "e2")
        await pilot.pause()
        assert panel.event_ids == ["e1", "e2", "e3"] and panel.highlighted == 1
        lines = [line[:34].rstrip() for line in screen_lines(app)[:6]]
        assert lines == [
            " 1 Mar 2022  Event number 1",
            " 2 Mar 2022  A very long title",
            " that cannot fit on one row of",
            " the panel",
            " 3 Mar 2022  Event number 3",
            "",
        ]
        # the date is bold, the highlighted event's rows take the cursor's style
        strips = app.screen._compositor.render_strips()
        date_style = next(seg.style for seg in strips[0] if "Mar" in seg.text)
        title_style = next(seg.style for seg in strips[0] if "Event" in seg.text)
        assert date_style is not None and date_style.bold
        assert title_style is not None and not title_style.bold
        highlighted = panel.get_component_rich_style("citing-events--option-highlighted")
        row = list(strips[2])
        assert row[1].style is not None and row[1].style.bgcolor == highlighted.bgcolor


async def test_keys_move_the_cursor_and_scroll_it_into_view() -> None:
    app = PanelHost(height=4)
    async with app.run_test(size=(40, 10)) as pilot:
        panel = _panel(app)
        panel.show_events([_event(n) for n in range(1, 21)], "Twenty")
        panel.focus()
        await pilot.pause()
        assert panel.highlighted == 0 and panel.scroll_y == 0
        assert panel.virtual_size.height == 20  # one row each: a scrollbar is shown
        await pilot.press("j", "j", "j", "j")
        await pilot.pause()
        assert panel.highlighted == 4 and panel.scroll_y == 1
        await pilot.press("G")
        await pilot.pause()
        assert panel.highlighted == 19 and panel.scroll_y == 16
        assert "20 Mar 2022" in screen_lines(app)[3]
        await pilot.press("pageup")
        await pilot.pause()
        assert panel.highlighted == 15
        await pilot.press("g")
        await pilot.pause()
        assert panel.highlighted == 0 and panel.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert panel.highlighted == 4
        await pilot.press("k", "enter")
        await pilot.pause()
        assert app.chosen == ["e4"]


async def test_a_click_chooses_and_the_mouse_highlights_what_it_is_over() -> None:
    app = PanelHost()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = _panel(app)
        panel.show_events([_event(1), _event(2), _event(3)], "Three")
        await pilot.pause()
        hover = panel.get_component_rich_style("citing-events--option-hover")
        await pilot.hover(CitingEvents, offset=(5, 2))
        await pilot.pause()
        row = list(app.screen._compositor.render_strips()[2])
        assert row[1].style is not None and row[1].style.bgcolor == hover.bgcolor
        await pilot.click(CitingEvents, offset=(5, 2))
        await pilot.pause()
        assert panel.highlighted == 2 and app.chosen == ["e3"]


async def test_the_same_list_again_draws_nothing_and_a_new_one_starts_at_the_top() -> None:
    app = PanelHost(height=4)
    async with app.run_test(size=(40, 10)) as pilot:
        panel = _panel(app)
        events = [_event(n) for n in range(1, 11)]
        panel.show_events(events, "Ten", "e9")
        await pilot.pause()
        assert panel.highlighted == 8 and panel.scroll_y == 5  # its row at the bottom
        lines = screen_lines(app)
        panel.show_events(events, "Ten", "e9")
        assert not panel._repaint_required
        panel.show_events(events[:2], "Two")
        await pilot.pause()
        assert panel.highlighted == 0 and panel.scroll_y == 0
        assert screen_lines(app) != lines
        assert panel.border_title == "Two"
        panel.show_events([], "None")
        await pilot.pause()
        assert panel.highlighted is None and panel.option_count == 0
        await pilot.press("j", "enter")
        assert app.chosen == []


async def test_control_characters_and_markup_in_titles_are_shown_as_text() -> None:
    app = PanelHost()
    async with app.run_test(size=(40, 10)) as pilot:
        panel = _panel(app)
        panel.show_events([_event(1, "[bold]x[/] \x1b]0;pwned\x07")], "One")
        await pilot.pause()
        text = " ".join(line[:34].strip() for line in screen_lines(app)[:2])
        assert text == "1 Mar 2022  [bold]x[/] ␛]0;pwned␇"
