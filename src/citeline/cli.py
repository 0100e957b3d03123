"""The ``citeline`` command: a thin argparse layer over the core and the browser."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from citeline import __version__
from citeline.diagnostics import Diagnostic, closest, summary_line
from citeline.loader import LoadResult, load
from citeline.model import Event, Timeline
from citeline.sanitize import one_line, visible
from citeline.timeline_path import choose_events_path

EXIT_OK = 0
EXIT_INVALID = 1
EXIT_USAGE = 2

FORMAT_NAMES = ("json", "timelinejs", "markdown", "csv", "ics")


def build_parser() -> argparse.ArgumentParser:
    events_help = (
        "the timeline to read (default: $CITELINE_EVENTS, else ./events.yaml,"
        " else the bundled China–Russia timeline)"
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--events", metavar="FILE", default=argparse.SUPPRESS, help=events_help)

    parser = argparse.ArgumentParser(
        prog="citeline",
        description="Browse a timeline whose every event cites the exact words of its sources.",
        epilog="Run 'citeline COMMAND --help' for the options of a command.",
    )
    parser.add_argument("--version", action="version", version=f"citeline {__version__}")
    parser.add_argument("--events", metavar="FILE", default=None, help=events_help)
    parser.add_argument("--event", metavar="ID", help="open the browser with this event selected")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    commands.add_parser(
        "validate",
        parents=[common],
        help="check the timeline and print every problem",
        description="Check the timeline: every field, date and quote. Exit 0 when valid, 1 when"
        " it has errors, 2 when the file cannot be read.",
    )
    listing = commands.add_parser(
        "list", parents=[common], help="print the events in date order",
        description="Print the events in date order: one line each, or JSON.",
    )
    listing.add_argument("--format", choices=("text", "json"), default="text")
    show = commands.add_parser(
        "show", parents=[common], help="print one event with its resolved passages",
        description="Print one event with every passage it quotes, placed in its source.",
    )
    show.add_argument("id", metavar="ID", help="the event id")
    show.add_argument("--format", choices=("text", "json"), default="text")
    export = commands.add_parser(
        "export", parents=[common], help="write the timeline in another format",
        description="Write the timeline with its citations as JSON, TimelineJS JSON, Markdown,"
        " CSV or iCalendar. Without -o it goes to standard output; with -o the file is written"
        " whole or not at all.",
    )
    export.add_argument("--format", choices=FORMAT_NAMES, required=True)
    export.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``citeline list | head``): not an error worth a traceback.
        sys.stderr.close()
        return EXIT_OK


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    chosen = choose_events_path(getattr(args, "events", None))
    result = load(chosen.path)
    if _unreadable(result):
        _print_diagnostics(result.diagnostics, sys.stderr)
        return EXIT_USAGE
    command = args.command
    if command == "validate":
        return _validate(result, chosen.path)
    if result.timeline is None:
        _print_diagnostics(result.diagnostics, sys.stderr)
        print(f"{chosen.path}: {summary_line(result.diagnostics)};"
              " run 'citeline validate' for the list", file=sys.stderr)
        return EXIT_INVALID
    timeline = result.timeline
    if command == "list":
        return _list(timeline, args.format, sys.stdout)
    if command == "show":
        return _show(timeline, args.id, args.format, sys.stdout)
    if command == "export":
        return _export(timeline, args.format, args.output)
    return _browse(timeline, chosen.path, args.event, result.diagnostics)


def _unreadable(result: LoadResult) -> bool:
    """True when the events file itself could not be read (no line to point at)."""
    return result.timeline is None and any(
        d.line is None and d.is_error for d in result.diagnostics
    )


def _print_diagnostics(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    for diagnostic in diagnostics:
        print(one_line(str(diagnostic)), file=out)


def _validate(result: LoadResult, path: Path) -> int:
    _print_diagnostics(result.diagnostics, sys.stdout)
    if result.timeline is None:
        print(f"{path}: invalid: {summary_line(result.diagnostics)}")
        return EXIT_INVALID
    timeline = result.timeline
    passages = sum(len(e.passages) for e in timeline.events)
    note = f" ({summary_line(result.diagnostics)})" if result.diagnostics else ""
    print(
        f"{path}: valid: {len(timeline.events)} events, {len(timeline.sources)} sources,"
        f" {passages} passages anchored{note}"
    )
    return EXIT_OK


def _list(timeline: Timeline, fmt: str, out: TextIO) -> int:
    if fmt == "json":
        from citeline.export.json_doc import timeline_to_dict

        json.dump(timeline_to_dict(timeline), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    from citeline.dates import format_date

    dates = [format_date(e.date) for e in timeline.events]
    width = min(max((len(d) for d in dates), default=0), 24)
    id_width = min(max((len(e.id) for e in timeline.events), default=0), 32)
    for event, date in zip(timeline.events, dates, strict=True):
        out.write(f"{date:<{width}}  {event.id:<{id_width}}  {one_line(event.title)}\n")
    return EXIT_OK


def _show(timeline: Timeline, event_id: str, fmt: str, out: TextIO) -> int:
    event = timeline.event(event_id)
    if event is None:
        print(_unknown_event_message(timeline, event_id), file=sys.stderr)
        return EXIT_USAGE
    if fmt == "json":
        from citeline.export.json_doc import event_to_dict

        json.dump(event_to_dict(event, timeline), out, ensure_ascii=False, indent=2)
        out.write("\n")
        return EXIT_OK
    out.write(render_event_text(event, timeline))
    return EXIT_OK


def _unknown_event_message(timeline: Timeline, event_id: str) -> str:
    ids = [e.id for e in timeline.events]
    near = closest(event_id, ids)
    hint = f"; closest: {', '.join(near)}" if near else "; run 'citeline list' to see the ids"
    return f"citeline: error: no event with id '{one_line(event_id)}'{hint}"


def render_event_text(event: Event, timeline: Timeline) -> str:
    """An event as plain text for the terminal: every field, every passage."""
    from citeline.dates import format_date

    lines = [one_line(event.title), "=" * min(len(event.title), 78)]
    when = format_date(event.date)
    lines.append(f"{when} · {one_line(event.place)}" if event.place else when)
    if event.participants:
        lines.append("Participants: " + ", ".join(one_line(p) for p in event.participants))
    if event.tags:
        lines.append("Tags: " + ", ".join(one_line(t) for t in event.tags))
    lines += ["", *textwrap.wrap(one_line(event.summary), 78), "", "Passages:"]
    for number, passage in enumerate(event.passages, 1):
        source = timeline.source(passage.source_id)
        title = one_line(source.title) if source else passage.source_id
        file = source.file if source else "?"
        lines.append(f"  [{number}] {title} — {file}:{passage.line}:{passage.column}")
        for row in visible(passage.text).split("\n"):
            lines += textwrap.wrap(row, 72, initial_indent="      ", subsequent_indent="      ")
        if passage.note:
            lines += textwrap.wrap("note: " + one_line(passage.note), 72,
                                   initial_indent="      ", subsequent_indent="      ")
    return "\n".join(lines) + "\n"


def _export(timeline: Timeline, fmt: str, output: str | None) -> int:
    from citeline.export import export_text
    from citeline.export.atomic import write_atomic

    text = export_text(timeline, fmt)
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_atomic(Path(output), text)
    except OSError as error:
        print(f"{output}: error: cannot write: {error.strerror or error}; nothing was changed",
              file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {output} ({fmt}, {len(timeline.events)} events)", file=sys.stderr)
    return EXIT_OK


def _browse(
    timeline: Timeline, path: Path, event_id: str | None, diagnostics: Sequence[Diagnostic]
) -> int:
    if event_id is not None and timeline.event(event_id) is None:
        print(_unknown_event_message(timeline, event_id), file=sys.stderr)
        return EXIT_USAGE
    from citeline.tui.app import make_app

    app = make_app(timeline, path, select_event=event_id)
    app.run()
    return app.return_code or EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
