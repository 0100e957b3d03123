"""The ``citeline`` command: a thin argparse layer over the core and the browser."""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TextIO

from citeline import __version__
from citeline.cache_warmer import LATE_WAIT, CacheWarmer
from citeline.collector import pause_until_resumed
from citeline.export import FORMATS
from citeline.sanitize import excerpt, one_line, visible
from citeline.timeline_path import choose_events_path
from citeline.wording import counted

if TYPE_CHECKING:  # (the core is imported once the arguments are read)
    import argparse

    from citeline.diagnostics import Diagnostic
    from citeline.loader import LoadResult
    from citeline.model import Event, Timeline

EXIT_OK = 0
#: The timeline has errors (the diagnostics say where).
EXIT_INVALID = 1
#: A usage error, or the events file cannot be read as text.
EXIT_USAGE = 2
#: A bug in citeline (reported in one line, never a traceback).
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130

#: Seconds a load may take before the browser shows its loading screen. Showing it
#: costs the load a tenth of a second or so (both want the interpreter), so a load
#: that is nearly done is waited for: at 10,000 events a cached one takes ~0.25 s.
BLINK = 0.25


#: The browser's options, which :func:`browser_options` reads without argparse.
BROWSER_OPTIONS = ("--events", "--event")


def browser_options(argv: Sequence[str]) -> dict[str, str | None] | None:
    """``--events`` and ``--event`` when ``argv`` holds nothing else, read as argparse
    reads them; ``None`` for anything else, which :func:`build_parser`'s parser reads.

    Opening the browser is what the command line does most, and then the parser is
    not needed: importing argparse and building it cost 3 ms of every start (a
    fiftieth of the first frame). Only exact option names are read here, each
    followed by ``=VALUE`` or by a value that cannot be taken for an option (argparse
    refuses ``--events -x`` and reads abbreviations such as ``--ev``: those go to it).
    A later value replaces an earlier one, as in argparse.
    """
    found: dict[str, str | None] = dict.fromkeys(BROWSER_OPTIONS)
    tokens = iter(argv)
    for token in tokens:
        name, equals, value = token.partition("=")
        if name not in found:
            return None
        if not equals:
            value = next(tokens, None)
            if value is None or value.startswith("-"):
                return None
        found[name] = value
    return found


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace | SimpleNamespace:
    """The command line's arguments: the browser's read quickly, the rest by argparse."""
    options = browser_options(sys.argv[1:] if argv is None else argv)
    if options is not None:
        return SimpleNamespace(command=None, events=options["--events"],
                               event=options["--event"])
    return build_parser().parse_args(argv)


def build_parser() -> argparse.ArgumentParser:
    import argparse

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
    export.add_argument("--format", choices=FORMATS, required=True)
    export.add_argument(
        "-o", "--output", metavar="FILE", help="write here instead of stdout ('-': stdout)"
    )
    return parser


def main(
    argv: Sequence[str] | None = None, *, resume_collector: Callable[[], None] | None = None
) -> int:
    """Run the command line; the exit code.

    ``resume_collector``: the garbage collector was paused for the start (see
    :mod:`citeline.__main__`); it is resumed once the arguments are read, or by
    the browser once its timeline shows.
    """
    if sys.stdout is None:  # started with standard output closed (``>&-``)
        sys.stdout = _ClosedOutput()
    if sys.stderr is None:  # closed (``2>&-``): print(file=None) would write into stdout
        sys.stderr = _DroppedOutput()
    for stream in (sys.stdout, sys.stderr):  # a terminal that cannot show a character gets '?'
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="replace")
    try:
        code = _main(argv, resume_collector)
        sys.stdout.flush()  # a closed pipe shows here, not at interpreter exit
        return code
    except KeyboardInterrupt:
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (``citeline list | head``): not an error worth a traceback.
        _discard_stdout()
        return EXIT_OK
    except OSError as error:  # mostly: writing the output failed (a full disk, a lost terminal)
        reason = error.strerror or str(error)
        if error.filename is not None:
            _say(f"citeline: error: {error.filename}: {reason}")
        else:
            _discard_stdout()
            _say(f"citeline: error: cannot write the output: {reason}")
        return EXIT_USAGE
    except Exception as error:  # a bug: say so in one line, never a traceback
        _say(
            f"citeline: internal error: {type(error).__name__}: {excerpt(str(error), 200)};"
            " this is a bug in citeline, please report it with the events file that caused it"
        )
        return EXIT_INTERNAL


class _ClosedOutput(io.TextIOBase):
    """Standard output when there is none: writing fails as into a closed file."""

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:  # (nothing was written: nothing to flush)
        pass


class _DroppedOutput(io.TextIOBase):
    """Standard error when there is none: messages cannot be shown, so they are
    dropped (the exit code still tells), never mixed into standard output."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def _discard_stdout() -> None:
    """Point stdout at the null device so that the final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # no real stdout (captured in tests): nothing to flush
        pass


def _say(message: str) -> None:
    """Print a message on stderr, if there still is one."""
    with contextlib.suppress(OSError, ValueError):
        print(one_line(message), file=sys.stderr)


def _main(argv: Sequence[str] | None, resume_collector: Callable[[], None] | None) -> int:
    args = _arguments(argv)
    events = getattr(args, "events", None)
    if events == "":  # (an unset variable, ``--events "$UNSET"``: not a fall back to another)
        _say("citeline: error: --events is empty; give the path of an events.yaml")
        return EXIT_USAGE
    output = getattr(args, "output", None)
    if output == "":
        _say("citeline: error: -o is empty; give a file name")
        return EXIT_USAGE
    if output is not None and output != "-" and output.endswith(("/", os.sep, "/.")):
        # (the shell refuses 'x/' too: it names a folder, never the file 'x')
        _say(f"{one_line(output)}: error: cannot write: this names a folder; give a file name")
        return EXIT_USAGE
    chosen = choose_events_path(events)
    command = args.command
    if command is None:
        return _browse(chosen.path, args.event, resume_collector)
    if resume_collector is not None:
        resume_collector()
    # validate always checks everything; the other commands may use the cache. What the
    # load made lasts until the command ends: kept out of the collector's sight, it is not
    # walked by the first collection after the load (0.9 s at 100,000 events).
    result = load(chosen.path, use_cache=command != "validate", long_lived=True)
    if command == "validate":
        if result.unreadable:
            return _failed(result, chosen.path)
        return _validate(result, chosen.path)
    if result.timeline is None:
        return _failed(result, chosen.path)
    timeline = result.timeline
    if command == "list":
        return _list(timeline, args.format, sys.stdout)
    if command == "show":
        return _show(timeline, args.id, args.format, sys.stdout)
    return _export(timeline, args.format, None if output == "-" else output, chosen.path)


def load(path: Path, **options: Any) -> LoadResult:
    """:func:`citeline.loader.load`, imported when first called: the browser starts its
    cache warmer before it imports the loader and the model (see :func:`_browse`)."""
    from citeline.loader import load as load_timeline

    return load_timeline(path, **options)


def _failed(result: LoadResult, path: Path) -> int:
    """Report a timeline that cannot be shown: unreadable (2) or with errors (1)."""
    from citeline.diagnostics import summary_line

    _print_diagnostics(result.diagnostics, sys.stderr)
    if result.unreadable:
        return EXIT_USAGE
    print(f"{one_line(str(path))}: {summary_line(*result.counts)};"
          " run 'citeline validate' for the list", file=sys.stderr)
    return EXIT_INVALID


def _print_diagnostics(diagnostics: Sequence[Diagnostic], out: TextIO) -> None:
    for diagnostic in diagnostics:
        print(one_line(str(diagnostic)), file=out)


def terminal_safe_json(data: object, out: TextIO | None = None) -> str:
    """``data`` as indented JSON that is safe to print: every control character escaped.

    When ``out`` cannot encode all of Unicode, everything beyond ASCII is escaped too.
    """
    encoding = getattr(out, "encoding", None) or "utf-8"
    try:
        unicode_out = codecs.lookup(encoding).name.startswith(("utf-8", "utf-16", "utf-32"))
    except LookupError:
        unicode_out = False
    from citeline.export.json_doc import json_text

    return json_text(data, ensure_ascii=not unicode_out)


def _validate(result: LoadResult, path: Path) -> int:
    from citeline.diagnostics import summary_line

    _print_diagnostics(result.diagnostics, sys.stdout)
    shown = one_line(str(path))
    if result.timeline is None:
        print(f"{shown}: invalid: {summary_line(*result.counts)}")
        return EXIT_INVALID
    timeline = result.timeline
    passages = sum(len(e.passages) for e in timeline.events)
    note = f" ({summary_line(*result.counts)})" if result.diagnostics else ""
    print(
        f"{shown}: valid: {counted(len(timeline.events), 'event')},"
        f" {counted(len(timeline.sources), 'source')}, {counted(passages, 'passage')}"
        f" anchored{note}"
    )
    return EXIT_OK


def _list(timeline: Timeline, fmt: str, out: TextIO) -> int:
    if fmt == "json":
        from citeline.export.json_doc import timeline_to_dict

        out.write(terminal_safe_json(timeline_to_dict(timeline), out))
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

        out.write(terminal_safe_json(event_to_dict(event, timeline), out))
        return EXIT_OK
    out.write(render_event_text(event, timeline))
    return EXIT_OK


def _unknown_event_message(timeline: Timeline, event_id: str) -> str:
    from citeline.diagnostics import closest

    ids = [e.id for e in timeline.events]
    near = closest(event_id, ids)
    hint = f"; closest: {', '.join(near)}" if near else "; run 'citeline list' to see the ids"
    return f"citeline: error: no event with id '{one_line(event_id)}'{hint}"


def render_event_text(event: Event, timeline: Timeline) -> str:
    """An event as plain text for the terminal: every field, every passage, wrapped
    in terminal cells (a Chinese character takes two)."""
    from citeline.cell_wrap import cell_width, wrap
    from citeline.dates import format_date

    heading = one_line(event.title)
    lines = [heading, "=" * min(cell_width(heading), 78)]
    when = format_date(event.date)
    lines.append(f"{when} · {one_line(event.place)}" if event.place else when)
    if event.participants:
        lines.append("Participants: " + ", ".join(one_line(p) for p in event.participants))
    if event.tags:
        lines.append("Tags: " + ", ".join(one_line(t) for t in event.tags))
    lines += ["", *wrap(one_line(event.summary), 78), "", "Passages:"]
    for number, passage in enumerate(event.passages, 1):
        source = timeline.source(passage.source_id)
        title = one_line(source.title) if source else passage.source_id
        file = one_line(source.file) if source else "?"
        lines.append(f"  [{number}] {title} — {file}:{passage.line}:{passage.column}")
        for row in visible(passage.text).split("\n"):
            lines += wrap(row, 72, indent="      ")
        if passage.note:
            lines += wrap("note: " + one_line(passage.note), 72, indent="      ")
    return "\n".join(lines) + "\n"


def _export(timeline: Timeline, fmt: str, output: str | None, events_path: Path) -> int:
    from citeline.export import export_text
    from citeline.export.atomic import is_device_or_pipe, write_atomic
    from citeline.export.own_files import own_file

    if output is not None:
        own = own_file(output, timeline, events_path)
        if own is not None:
            print(f"{one_line(output)}: error: this is {own}; write the export to another file",
                  file=sys.stderr)
            return EXIT_USAGE
    text = export_text(timeline, fmt)
    if output is None:
        if sys.stdout.isatty():  # shown, not saved: nothing may act on the terminal
            sys.stdout.write(visible(text.replace("\r\n", "\n")))
            return EXIT_OK
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is None:
            sys.stdout.write(text)
        else:  # the document exactly, in UTF-8, whatever the locale's encoding
            sys.stdout.flush()
            buffer.write(text.encode("utf-8"))
        return EXIT_OK
    shown = one_line(output)
    # A device or pipe is written into, not replaced: what it took before a failure
    # is gone (to the reader, the disk), so it cannot be said that nothing changed.
    replaced = not is_device_or_pipe(output)
    try:
        write_atomic(Path(output), text)
    except (OSError, ValueError) as error:  # ValueError: a NUL in the name
        reason = getattr(error, "strerror", None) or str(error)
        outcome = "; nothing was changed" if replaced else ""
        print(f"{shown}: error: cannot write: {reason}{outcome}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {shown} ({fmt}, {counted(len(timeline.events), 'event')})", file=sys.stderr)
    return EXIT_OK


def _browse(
    path: Path, event_id: str | None, resume_collector: Callable[[], None] | None = None
) -> int:
    """Open the browser on the timeline, or on a loading screen while it loads.

    A load done within a blink (a small or cached timeline) opens straight on
    the timeline, and its errors are printed without the screen ever being
    taken over. A longer one goes on behind the browser's loading screen.
    The interface is imported first: loading meanwhile, on another thread,
    would only slow both down (they take turns on the interpreter lock). On
    another processor, though, a small timeline can be loaded and cached
    meanwhile (see :mod:`citeline.cache_warmer`), and then opens warm. The
    garbage collector is paused until the timeline first shows (see
    :func:`~citeline.collector.pause_until_resumed`), if it is not already.
    """
    if resume_collector is None:
        resume_collector = pause_until_resumed()  # until the first frame (the app resumes it)
    warmer = CacheWarmer.start(path)  # (loads beside the import, where it can)
    try:
        from citeline.pending_load import PendingLoad
        from citeline.tui.app import make_app

        if warmer is not None and not warmer.wait_unless_starved(LATE_WAIT):
            warmer.cancel()  # (too late to help: this process loads it; reaped below)
        pending = PendingLoad(path).start()
        result = pending.wait(timeout=BLINK)
        if result is not None:
            refused = _refusal(result, path, event_id)
            if refused is not None:
                return refused
            app = make_app(
                result.timeline, path, select_event=event_id, load_result=result,
                resume_collector=resume_collector,
            )
        else:
            pending.hold()  # until the loading screen is up (it releases the load)
            app = make_app(
                None, path, select_event=event_id, pending=pending,
                resume_collector=resume_collector,
            )
        app.run()
    finally:
        if warmer is not None:
            warmer.stop()
        resume_collector()  # (if the timeline never showed)
    if app.late_load is not None:  # the load ended behind the loading screen, unusable
        refused = _refusal(app.late_load, path, event_id)
        if refused is not None:
            return refused
    return app.return_code or EXIT_OK


def _refusal(result: LoadResult, path: Path, event_id: str | None) -> int | None:
    """Report why the browser cannot show ``result`` (the exit code), or ``None``."""
    if result.timeline is None:
        return _failed(result, path)
    if event_id is not None and result.timeline.event(event_id) is None:
        print(_unknown_event_message(result.timeline, event_id), file=sys.stderr)
        return EXIT_USAGE
    return None


if __name__ == "__main__":
    sys.exit(main())
