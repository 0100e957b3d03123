"""The browser's options, read without argparse: the same reading as argparse's, or none."""

from __future__ import annotations

import contextlib
import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citeline.cli import browser_options, build_parser
from tests.python_probe import run_probe

#: Tokens the two readings could disagree on: options, abbreviations, values that look
#: like options, commands, the end of options, '=' in odd places.
TOKENS = [
    "--events", "--event", "--events=a.yaml", "--event=x", "--events=", "--event=-y",
    "--events==", "--ev", "--even", "--eventsx", "--evENTS", "-e", "-h", "--help",
    "--version", "--", "-", "-1", "-x y", "", "a.yaml", "b c", "list", "validate",
    "show", "export", "--format", "json", "--output=o", "=", "x=y",
]


def argparse_reading(argv: list[str]) -> dict[str, str | None] | None:
    """What argparse makes of ``argv`` for the browser: its two options, or ``None`` when
    it refuses ``argv``, prints something or reads a command."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:
            return None
    if args.command is not None:
        return None
    return {"--events": args.events, "--event": args.event}


@given(st.lists(st.sampled_from(TOKENS), max_size=6))
def test_a_reading_without_argparse_is_argparse_s(argv: list[str]) -> None:
    quick = browser_options(argv)
    if quick is not None:
        assert quick == argparse_reading(argv)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["--events", "--event"]),
            st.text(max_size=8).filter(lambda value: not value.startswith("-")),
            st.booleans(),
        ),
        max_size=4,
    )
)
def test_the_browser_s_options_are_read_without_argparse(
    options: list[tuple[str, str, bool]],
) -> None:
    """Any mix of the two options, with '=' or not, and any values but option-like ones."""
    argv: list[str] = []
    for name, value, joined in options:
        argv += [f"{name}={value}"] if joined else [name, value]
    quick = browser_options(argv)
    assert quick is not None
    assert quick == argparse_reading(argv)


@pytest.mark.parametrize(
    "argv",
    [
        ["--ev", "x"],  # an abbreviation (argparse reads it)
        ["--events", "-x"],  # a value like an option (argparse refuses it)
        ["--events"],  # no value
        ["list"],
        ["--events", "x", "validate"],
        ["--", "x"],
        ["-h"],
        ["--version"],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert browser_options(argv) is None


def test_opening_the_browser_does_not_import_argparse() -> None:
    """Reading ``--events FILE --event ID`` imports no argparse (3 ms of every start)."""
    probe = (
        "import sys, json, citeline.cli\n"
        "args = citeline.cli._arguments(['--events', 'e.yaml', '--event=x'])\n"
        "print(json.dumps([args.command, args.events, args.event, 'argparse' in sys.modules]))\n"
    )
    assert json.loads(run_probe(probe)) == [None, "e.yaml", "x", False]
