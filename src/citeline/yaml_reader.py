"""A strict, bounded YAML reader that keeps every node's place in the file.

PyYAML's loaders resolve timestamps and numbers, keep the last of two equal
keys, recurse once per level of nesting, expand aliases (the "billion laughs")
and, unless told otherwise, construct objects from tags. This reader walks the
C parser's event stream instead and builds light nodes of its own:

* every scalar stays a string (plain ``null``/``~``/empty become ``None``);
* duplicate keys, aliases, tags and nesting deeper than ``MAX_DEPTH`` are
  reported with their line and column, never followed;
* it uses an explicit stack, so no input can raise ``RecursionError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

try:  # libyaml's parser, when PyYAML was built with it
    from yaml import CParser as _Parser
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser as _PyParser  # type: ignore[assignment]
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)


MAX_DEPTH = 64
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_STR_TAGS = {"tag:yaml.org,2002:str", "!!str"}


@dataclass(slots=True)
class Node:
    """A YAML node: ``kind`` is ``"map"``, ``"seq"`` or ``"scalar"``.

    ``value`` is a ``dict[str, Pair]`` for maps, a ``list[Node]`` for
    sequences and a ``str | None`` for scalars. ``line``/``column`` are 1-based.
    """

    kind: str
    line: int
    column: int
    value: object = None
    style: str | None = None  # scalar style: None (plain), "'", '"', "|", ">"

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.value is None

    def describe(self) -> str:
        """``text``, ``a list`` or ``a mapping``: for type errors."""
        return {"map": "a mapping", "seq": "a list", "scalar": "text"}[self.kind]


@dataclass(slots=True)
class Pair:
    """A key of a mapping, where it stands, and its value."""

    key: str
    line: int
    column: int
    value: Node


@dataclass
class Problem:
    """A fault in the YAML itself, with a 1-based place."""

    line: int
    column: int
    message: str


@dataclass
class ReadResult:
    root: Node | None
    problems: list[Problem] = field(default_factory=list)


def _place(mark: yaml.Mark) -> tuple[int, int]:
    return mark.line + 1, mark.column + 1


def read_yaml(text: str) -> ReadResult:
    """Parse one YAML document from ``text`` into nodes, collecting problems.

    A syntax error stops the reading (the parser cannot go on), so the result
    then has no root and the syntax error as its only problem.
    """
    problems: list[Problem] = []
    parser = _Parser(text)
    try:
        root = _build(parser, problems)
    except yaml.MarkedYAMLError as error:
        return ReadResult(None, [_syntax_problem(error)])
    except yaml.YAMLError as error:  # pragma: no cover - unplaced reader errors
        return ReadResult(None, [Problem(1, 1, f"YAML error: {error}")])
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    return ReadResult(root, problems)


def _syntax_problem(error: yaml.MarkedYAMLError) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = _place(mark) if mark is not None else (1, 1)
    what = error.problem or "invalid YAML"
    if error.context:
        what = f"{error.context}, {what}"
    return Problem(
        line,
        column,
        f"YAML syntax: {what}; check the indentation and quoting here"
        " (text with ': ' or '#' in it needs quotes)",
    )


def _build(parser: _Parser, problems: list[Problem]) -> Node | None:
    """Turn the event stream into nodes, with a stack instead of recursion."""
    root: Node | None = None
    documents = 0
    # Each frame: [node, pending key (for maps) or None]
    stack: list[list] = []
    too_deep_at: int | None = None  # stack height where skipping began

    def attach(node: Node | None, key_event: yaml.ScalarEvent | None = None) -> None:
        nonlocal root
        if not stack:
            if root is None:
                root = node
            return
        frame = stack[-1]
        parent: Node = frame[0]
        if node is None:
            return
        if parent.kind == "seq":
            parent.value.append(node)  # type: ignore[union-attr]
            return
        if frame[1] is None:  # this node is a key
            if node.kind != "scalar":
                problems.append(
                    Problem(node.line, node.column, "a mapping key must be plain text")
                )
                frame[1] = Pair("", node.line, node.column, node)
                frame.append(False)  # the key is bad: drop its value
                return
            frame[1] = Pair(node.value or "", node.line, node.column, node)
            return
        pair: Pair = frame[1]
        frame[1] = None
        if len(frame) > 2:
            frame.pop()
            return
        pair.value = node
        mapping: dict[str, Pair] = parent.value  # type: ignore[assignment]
        if pair.key in mapping:
            first = mapping[pair.key]
            problems.append(
                Problem(
                    pair.line,
                    pair.column,
                    f"duplicate key '{pair.key}' (first at line {first.line});"
                    " keep one of them",
                )
            )
            return
        mapping[pair.key] = pair

    while True:
        event = parser.get_event()
        kind = type(event)
        if kind is yaml.StreamEndEvent:
            break
        if kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
            continue
        if kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                line, column = _place(event.start_mark)
                problems.append(
                    Problem(line, column, "only one YAML document is allowed; remove this '---'")
                )
                break
            continue
        line, column = _place(event.start_mark)
        if kind is yaml.AliasEvent:
            problems.append(
                Problem(
                    line,
                    column,
                    f"YAML aliases (*{event.anchor}) are not supported; write the value out",
                )
            )
            attach(Node("scalar", line, column, None))
            continue
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _STR_TAGS:
            problems.append(
                Problem(line, column, f"YAML tags ({tag}) are not supported; remove it")
            )
        if kind is yaml.ScalarEvent:
            value: str | None = event.value
            if event.style is None and event.implicit[0] and _NULL.match(value or ""):
                value = None
            attach(Node("scalar", line, column, value, event.style))
            continue
        if kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            node = Node("map", line, column, {}) if kind is yaml.MappingStartEvent else Node(
                "seq", line, column, []
            )
            if len(stack) >= MAX_DEPTH and too_deep_at is None:
                too_deep_at = len(stack)
                problems.append(
                    Problem(
                        line,
                        column,
                        f"nesting deeper than {MAX_DEPTH} levels is not supported",
                    )
                )
            stack.append([node, None])
            continue
        if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            frame = stack.pop()
            if too_deep_at is not None:
                if len(stack) > too_deep_at:
                    continue
                too_deep_at = None
                attach(Node("scalar", frame[0].line, frame[0].column, None))
                continue
            attach(frame[0])
            continue
    return root
