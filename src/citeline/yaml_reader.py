"""A strict, bounded YAML reader that keeps every node's place in the file.

PyYAML's loaders resolve timestamps and numbers, keep the last of two equal
keys, recurse once per level of nesting, expand aliases (the "billion laughs")
and, unless told otherwise, construct objects from tags. This reader walks the
parser's event stream instead and builds light nodes of its own:

* every scalar stays a string (plain ``null``/``~``/empty become ``None``);
* duplicate keys, aliases, tags and keys that are not text are reported with
  their line and column, never followed;
* it uses an explicit stack and stops reading at ``MAX_DEPTH`` levels of
  nesting (or after ``MAX_PROBLEMS`` problems), so no input can raise
  ``RecursionError`` or make it work for long on nothing;
* the items of one top-level list can be handed over as each is read
  (:class:`Stream`), so that a long list is never held whole.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from functools import cached_property
from typing import NamedTuple

import yaml

from citeline.lines import cr_as_newlines, line_starts_of
from citeline.sanitize import excerpt

try:  # libyaml's parser, when PyYAML was built with it (it is not re-exported by ``yaml``)
    from yaml._yaml import CParser as _Parser

    #: libyaml reads UTF-8 (given text, it encodes it itself) and reports reader
    #: errors at a byte offset into it.
    _LIBYAML = True
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml.parser import Parser as _PyParser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _Parser(Reader, Scanner, _PyParser):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            _PyParser.__init__(self)

    _LIBYAML = False


#: The deepest nesting of lists and mappings read; a timeline needs five.
MAX_DEPTH = 64
#: Reading stops after this many problems in the YAML itself.
MAX_PROBLEMS = 100
#: What nesting deeper than ``MAX_DEPTH`` is told.
TOO_DEEP = (
    f"lists and mappings nested deeper than {MAX_DEPTH} levels are not supported (a timeline"
    " needs five); remove the extra brackets or indentation"
)
#: Parser events between two calls of the progress callback.
PROGRESS_EVERY = 4096

#: Plain scalars that mean "nothing" (the YAML core schema's null; a match of
#: ``^(?:~|null|Null|NULL|)$``, whose ``$`` also allows one final line break).
_NULL_TEXTS = frozenset(
    word + end for word in ("~", "null", "Null", "NULL", "") for end in ("", "\n")
)
#: Tags that only say "this is text": harmless, so allowed.
_STR_TAGS = {"tag:yaml.org,2002:str", "!!str", "!"}
_CORE_TAG_PREFIX = "tag:yaml.org,2002:"


# The reader's records are plain classes and named tuples, not dataclasses: Python
# compiles a dataclass's methods from source as its module is imported (this module's
# five and the anchoring's four took 3-4 ms of a cold load of the bundled timeline).


class Node:
    """A YAML node: ``kind`` is ``"map"``, ``"seq"`` or ``"scalar"``.

    ``value`` is a ``dict[str, Pair]`` for maps, a ``list[Node]`` for
    sequences and a ``str | None`` for scalars. ``line``/``column`` are 1-based.
    ``style`` is a scalar's: ``None`` (plain), ``"'"``, ``'"'``, ``"|"`` or
    ``">"``. ``reported``: already reported as a problem (an alias, a tag), so
    nothing more is said about it. ``start_index`` and ``end_index``: the
    character offsets of its start and end in the text it was read from.
    """

    __slots__ = ("column", "end_index", "kind", "line", "reported", "start_index", "style",
                 "value")

    def __init__(
        self,
        kind: str,
        line: int,
        column: int,
        value: object = None,
        style: str | None = None,
        reported: bool = False,
        start_index: int = 0,
        end_index: int = 0,
    ) -> None:
        self.kind = kind
        self.line = line
        self.column = column
        self.value = value
        self.style = style
        self.reported = reported
        self.start_index = start_index
        self.end_index = end_index

    def __repr__(self) -> str:
        return (f"Node({self.kind!r}, {self.line}, {self.column}, {self.value!r},"
                f" style={self.style!r})")

    def is_verbatim(self, text: str) -> bool:
        """Whether this scalar's value stands in ``text`` character for character,
        from ``column`` on (after the opening quote, if quoted), so that offsets into
        the value are places in the file. Block scalars never are (they begin on the
        next line); folded lines and escapes make a value differ from its text."""
        if self.kind != "scalar" or not isinstance(self.value, str):
            return False
        start, end = self.start_index, self.end_index
        if self.style in ("'", '"'):
            start, end = start + 1, end - 1
        elif self.style is not None:
            return False
        return end - start == len(self.value) and text[start:end] == self.value

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.value is None

    def describe(self) -> str:
        """``text``, ``a list``, ``a mapping`` or ``nothing``: for type errors."""
        if self.is_null:
            return "nothing"
        return {"map": "a mapping", "seq": "a list", "scalar": "text"}[self.kind]


class Pair:
    """A key of a mapping, where it stands, and its value."""

    __slots__ = ("column", "key", "line", "value")

    def __init__(self, key: str, line: int, column: int, value: Node) -> None:
        self.key = key
        self.line = line
        self.column = column
        self.value = value

    def __repr__(self) -> str:
        return f"Pair({self.key!r}, {self.line}, {self.column}, {self.value!r})"


class Problem(NamedTuple):
    """A fault in the YAML itself, with a 1-based place."""

    line: int
    column: int
    message: str


class ReadResult(NamedTuple):
    """The document's root node (``None`` when it could not be read) and the problems."""

    root: Node | None
    problems: list[Problem]


class Stream(NamedTuple):
    """The items of one list of the top-level mapping, handed over as each is read.

    ``take(root, item)`` is called with the top-level mapping (holding the
    pairs read so far) and each item of the list under ``key`` that is a
    mapping, as soon as it is read; when it returns true the item is not kept
    in the list, so that a long list is never held whole.
    """

    key: str
    take: Callable[[Node, Node], bool]


class _Stop(Exception):
    """Reading cannot usefully go on; the problems say why."""


class _Places:
    """1-based line and column of a character offset, counting lines as editors do.

    The YAML parser also breaks lines at ``\\r``, NEL and the Unicode line and
    paragraph separators; an editor does not, so its marks' own line and
    column would point elsewhere after such a character. Their character
    offset is exact, and is mapped here, lines counted by ``\\n`` (or by
    ``\\r`` in a file without one: the line ends of old Mac files, which
    editors show as lines).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.length = len(text)
        #: no other line breaks: the marks' own line and column are right (and cheaper)
        self.plain = not any(c in text for c in "\r\x85\u2028\u2029")

    @cached_property
    def starts(self) -> tuple[int, ...]:
        # Worked out only when a place is not the mark's own: a problem, another line
        # break, the very end (50 ms for a file of 10,000 events, read for nothing).
        return line_starts_of(cr_as_newlines(self.text))

    def of(self, offset: int) -> tuple[int, int]:
        offset = max(0, min(offset, self.length))
        index = bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def mark(self, mark: yaml.Mark) -> tuple[int, int]:
        if self.plain and mark.index < self.length:  # (the end can be past a last line break)
            return mark.line + 1, mark.column + 1
        return self.of(mark.index)


def read_yaml(
    text: str, progress: Callable[[float], None] | None = None, stream: Stream | None = None
) -> ReadResult:
    """Parse one YAML document from ``text`` into nodes, collecting problems.

    A syntax error stops the reading (the parser cannot go on), and so does
    nesting deeper than ``MAX_DEPTH`` or more than ``MAX_PROBLEMS`` problems:
    the result then has no root, only the problems found so far.
    ``progress``, if given, is called now and then with the share of the text
    read so far (0 to 1); whatever it raises ends the reading, and so does
    whatever ``stream`` (see :class:`Stream`) raises.
    """
    try:
        utf8 = text.encode("utf-8")  # what libyaml reads (once: 0.1 s at 100,000 events)
    except UnicodeEncodeError as error:
        line, column = _Places(text).of(error.start)
        return ReadResult(
            None,
            [Problem(line, column, "this text holds an unpaired surrogate character,"
                     " which is not Unicode text; save the file as UTF-8")],
        )
    problems: list[Problem] = []
    places = _Places(text)
    parser = None
    try:
        # (libyaml's marks count characters whichever it is given: the same places)
        parser = _Parser(utf8 if _LIBYAML else text)
        root = _Builder(problems, places, text, progress, stream).run(parser)
    except _Stop:
        return ReadResult(None, problems)
    except yaml.MarkedYAMLError as error:
        return ReadResult(None, [*problems, _syntax_problem(error, places)])
    except yaml.reader.ReaderError as error:
        return ReadResult(None, [*problems, _reader_problem(error, utf8, places)])
    except yaml.YAMLError as error:  # pragma: no cover - no other errors are known
        return ReadResult(None, [*problems, Problem(1, 1, f"YAML error: {excerpt(str(error))}")])
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    return ReadResult(root, problems)


def _syntax_problem(error: yaml.MarkedYAMLError, places: _Places) -> Problem:
    mark = error.problem_mark or error.context_mark
    what = error.problem or "invalid YAML"
    if "exceeded maximum nesting depth" in what and mark is not None:
        # libyaml's own limit (from PyYAML 6.0.4 on), met while it looks ahead through
        # flow brackets before handing over the first of them: the same problem
        return Problem(*places.mark(mark), TOO_DEEP)
    if error.context:
        what = f"{error.context}, {what}"
    if error.context_mark is not None and "end of stream" in what:
        # Running off the end (an unclosed quote or bracket): where it opened helps more.
        mark = error.context_mark
        what += " (it is never closed)"
    line, column = places.mark(mark) if mark is not None else (1, 1)
    return Problem(
        line,
        column,
        f"YAML syntax: {excerpt(what, 160)}; check the indentation and quoting here"
        " (text with ': ' or '#' in it needs quotes)",
    )


def _reader_problem(error: yaml.reader.ReaderError, utf8: bytes, places: _Places) -> Problem:
    """A character YAML does not allow (a control character, mostly), placed.

    ``utf8``: the text as libyaml read it, whose byte offsets it reports."""
    position = error.position
    if _LIBYAML:
        position = len(utf8[:position].decode("utf-8", "ignore"))
    line, column = places.of(position)
    code = error.character if isinstance(error.character, int) else None
    if code is None:
        return Problem(line, column, f"YAML cannot read this text: {error.reason}")
    char = chr(code)
    name = unicodedata.name(char, "").lower() or _CATEGORY_NAMES.get(
        unicodedata.category(char), "unassigned character"
    )
    escape = f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return Problem(
        line,
        column,
        f"the character U+{code:04X} ({name}) is not allowed in YAML; delete it"
        f' (inside double quotes it can be written as "{escape}")',
    )


_CATEGORY_NAMES = {"Cc": "control character", "Cn": "noncharacter", "Cs": "surrogate"}


def _tag_name(tag: str) -> str:
    if tag.startswith(_CORE_TAG_PREFIX):
        return "!!" + tag[len(_CORE_TAG_PREFIX) :]
    return tag


class _Builder:
    """Turns the event stream into nodes, with a stack instead of recursion."""

    def __init__(
        self,
        problems: list[Problem],
        places: _Places,
        text: str,
        progress: Callable[[float], None] | None = None,
        stream: Stream | None = None,
    ) -> None:
        self.progress = progress
        self.stream = stream
        #: the list whose items go to ``stream.take``, once it has begun
        self.streamed: Node | None = None
        self.problems = problems
        self.places = places
        self.text = text
        self.root: Node | None = None
        # Each frame: [node, pending key Pair (maps) or None, drop-next-value flag]
        self.stack: list[list] = []

    def problem(self, line: int, column: int, message: str) -> None:
        self.problems.append(Problem(line, column, message))
        if len(self.problems) >= MAX_PROBLEMS:
            self.problems.append(
                Problem(line, column, f"stopped reading after {MAX_PROBLEMS} problems in the"
                        " YAML; fix these and run again")
            )
            raise _Stop

    def attach(self, node: Node, *, reported: bool = False) -> None:
        """Put a finished node in its parent; ``reported``: it is already an error."""
        if not self.stack:
            if self.root is None:
                self.root = node
            return
        frame = self.stack[-1]
        parent: Node = frame[0]
        if parent.kind == "seq":
            if (
                parent is self.streamed
                and node.kind == "map"
                and self.stream.take(self.stack[0][0], node)  # type: ignore[union-attr]
            ):
                return
            parent.value.append(node)  # type: ignore[union-attr]
            return
        if frame[1] is None:  # this node is a key
            bad = node.kind != "scalar" or not node.value or reported
            if bad and not reported:
                if node.kind != "scalar":
                    self.problem(node.line, node.column, f"a mapping key must be plain text,"
                                 f" not {node.describe()}; write a field name before the ':'")
                else:
                    self.problem(node.line, node.column,
                                 "a mapping key is empty; write a field name before the ':'")
            frame[1] = Pair("" if bad else node.value, node.line, node.column, node)  # type: ignore[arg-type]
            frame[2] = bad  # a bad key's value is dropped
            return
        pair: Pair = frame[1]
        frame[1] = None
        if frame[2]:
            frame[2] = False
            return
        pair.value = node
        mapping: dict[str, Pair] = parent.value  # type: ignore[assignment]
        first = mapping.get(pair.key)
        if first is not None:
            self.duplicate(pair, first)
            return
        mapping[pair.key] = pair

    def duplicate(self, pair: Pair, first: Pair) -> None:
        self.problem(
            pair.line,
            pair.column,
            f"duplicate key '{excerpt(pair.key, 40)}' (first at line {first.line});"
            " keep one of them",
        )

    def run(self, parser: _Parser) -> Node | None:
        """Build the tree from the parser's events.

        Most events are plain keys and text values in a mapping, or items of a
        list: those are put in place here, without the general :meth:`attach`
        (a key needs no node of its own, only its :class:`Pair`). At 100,000
        events the loop handles some four million parser events, so each
        attribute looked up once per event counts.
        """
        documents = 0
        progress = self.progress
        text_length = self.places.length
        length = max(text_length, 1)
        plain = self.places.plain
        place_of = self.places.of
        stack = self.stack
        get_event = parser.get_event
        scalar_event = yaml.ScalarEvent
        countdown = PROGRESS_EVERY
        while True:
            event = get_event()
            kind = type(event)
            countdown -= 1
            if not countdown:
                countdown = PROGRESS_EVERY
                if progress is not None:
                    progress(min(event.start_mark.index / length, 1.0))
            if kind is scalar_event:
                start = event.start_mark
                start_index = start.index
                if plain and start_index < text_length:
                    line = start.line + 1
                    column = start.column + 1
                else:
                    line, column = place_of(start_index)
                tag = event.tag
                bad_tag = tag is not None and tag not in _STR_TAGS
                if bad_tag:
                    self.bad_tag(line, column, tag)
                value: str | None = event.value
                style = event.style or None
                if style is None and value in _NULL_TEXTS and event.implicit[0]:
                    value = None
                if stack and not bad_tag:
                    frame = stack[-1]
                    parent = frame[0]
                    if parent.kind == "seq":
                        parent.value.append(
                            Node("scalar", line, column, value, style, False, start_index,
                                 event.end_mark.index)
                        )
                        continue
                    pair = frame[1]
                    if pair is None:
                        if value:  # a key: its Pair takes the value that follows
                            frame[1] = Pair(value, line, column, None)  # type: ignore[arg-type]
                            frame[2] = False
                            continue
                    elif not frame[2]:
                        frame[1] = None
                        pair.value = Node("scalar", line, column, value, style, False,
                                          start_index, event.end_mark.index)
                        mapping = parent.value
                        first = mapping.get(pair.key)
                        if first is None:
                            mapping[pair.key] = pair
                        else:
                            self.duplicate(pair, first)
                        continue
                node = Node("scalar", line, column, value, style, bad_tag, start_index,
                            event.end_mark.index)
                self.attach(node, reported=bad_tag)
                continue
            if kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.attach(stack.pop()[0])
                continue
            if kind is yaml.StreamEndEvent:
                break
            if kind is yaml.StreamStartEvent or kind is yaml.DocumentEndEvent:
                continue
            line, column = self.places.mark(event.start_mark)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.problem(
                        line, column, "only one YAML document is allowed; remove this '---'"
                    )
                    break
                continue
            if kind is yaml.AliasEvent:
                self.problem(
                    line,
                    column,
                    f"YAML aliases (*{excerpt(event.anchor or '', 40)}) are not supported;"
                    " write the value out",
                )
                self.attach(Node("scalar", line, column, None, reported=True), reported=True)
                continue
            tag = event.tag
            bad_tag = tag is not None and tag not in _STR_TAGS
            if bad_tag:
                self.bad_tag(line, column, tag)
            # a mapping or a list begins
            if len(stack) >= MAX_DEPTH:
                self.problems.append(Problem(line, column, TOO_DEEP))
                raise _Stop
            if kind is yaml.MappingStartEvent:
                node = Node("map", line, column, {}, reported=bad_tag)
            else:
                node = Node("seq", line, column, [], reported=bad_tag)
                if self.stream is not None and len(stack) == 1:
                    self.begin_stream(node)
            stack.append([node, None, False])
        return self.root

    def begin_stream(self, node: Node) -> None:
        """Stream ``node``'s items if it is the list of ``stream.key`` under the top
        mapping (its first such key: a repeated one is dropped as a duplicate)."""
        root, pair, dropped = self.stack[0]
        if (
            root.kind == "map"
            and pair is not None
            and not dropped
            and pair.key == self.stream.key  # type: ignore[union-attr]
            and pair.key not in root.value
            and not node.reported
        ):
            self.streamed = node

    def bad_tag(self, line: int, column: int, tag: str) -> None:
        self.problem(
            line,
            column,
            f"YAML tags ('{excerpt(_tag_name(tag), 40)}') are not supported; remove it"
            " (citeline reads every value as text)",
        )
