"""The YAML reader: the values PyYAML writes come back as text, each node at its place."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from citeline.lines import line_starts_of
from citeline.yaml_reader import Node, Stream, read_yaml

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    max_size=12,
)
_KEY = _TEXT.filter(bool)
_DATA = st.recursive(
    st.one_of(_TEXT, st.none()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(_KEY, inner, max_size=4),
    ),
    max_leaves=20,
)


def _plain(node: Node | None) -> object:
    """The node as Python data: dicts, lists, strings and ``None``."""
    assert node is not None
    if node.kind == "map":
        return {key: _plain(pair.value) for key, pair in node.value.items()}  # type: ignore[union-attr]
    if node.kind == "seq":
        return [_plain(item) for item in node.value]  # type: ignore[union-attr]
    return node.value


def _nodes(node: Node):
    yield node
    if node.kind == "map":
        for pair in node.value.values():  # type: ignore[union-attr]
            yield from _nodes(pair.value)
    elif node.kind == "seq":
        for item in node.value:  # type: ignore[union-attr]
            yield from _nodes(item)


@settings(max_examples=300, deadline=None)
@given(_DATA, st.booleans(), st.booleans())
def test_what_pyyaml_writes_reads_back_with_every_scalar_at_its_place(
    data: object, flow: bool, wide: bool
) -> None:
    text = yaml.safe_dump(
        {"root": data}, default_flow_style=flow, allow_unicode=True, width=4096 if wide else 20
    )
    read = read_yaml(text)
    assert read.problems == []
    assert _plain(read.root) == {"root": data}
    starts = line_starts_of(text)
    for node in _nodes(read.root):  # type: ignore[arg-type]
        if node.kind == "scalar" and node.start_index < len(text):
            assert starts[node.line - 1] + node.column - 1 == node.start_index


@settings(max_examples=100, deadline=None)
@given(st.lists(_KEY, min_size=1, max_size=5), st.integers(0, 4))
def test_a_repeated_key_is_reported_at_its_second_place_and_the_first_is_kept(
    keys: list[str], repeat: int
) -> None:
    keys = list(dict.fromkeys(keys))
    again = keys[repeat % len(keys)]
    lines = [yaml.safe_dump({key: f"v{n}"}, allow_unicode=True, width=4096).rstrip("\n")
             for n, key in enumerate([*keys, again])]
    read = read_yaml("\n".join(lines) + "\n")
    assert [(p.line, p.column) for p in read.problems] == [(len(lines), 1)]
    assert "duplicate key" in read.problems[0].message
    assert _plain(read.root) == {key: f"v{n}" for n, key in enumerate(keys)}


def test_null_words_are_nothing_only_when_plain() -> None:
    text = "a: ~\nb: null\nc:\nd: 'null'\ne: NULL\nf: nul\ng: \"\"\nh: Null\n"
    assert _plain(read_yaml(text).root) == {
        "a": None, "b": None, "c": None, "d": "null", "e": None, "f": "nul", "g": "", "h": None,
    }


def test_bad_keys_tags_and_aliases_are_reported_and_their_values_dropped() -> None:
    text = "ok: 1\n? [a]\n: dropped\n'': gone\n!!int n: 3\nx: !!int 4\ny: &a 5\nz: *a\n"
    read = read_yaml(text)
    messages = [(p.line, p.column, p.message.split(";")[0]) for p in read.problems]
    assert messages == [
        (2, 3, "a mapping key must be plain text, not a list"),
        (4, 1, "a mapping key is empty"),
        (5, 1, "YAML tags ('!!int') are not supported"),
        (6, 4, "YAML tags ('!!int') are not supported"),
        (8, 4, "YAML aliases (*a) are not supported"),
    ]
    assert _plain(read.root) == {"ok": "1", "x": "4", "y": "5", "z": None}


def test_a_streamed_list_hands_over_its_mappings_as_they_are_read() -> None:
    text = (
        "title: T\n"
        "events:\n"
        "  - {id: a, tags: [x, y]}\n"
        "  - plain text\n"
        "  - id: b\n"
        "    events: [{id: inner}]\n"
        "events: [{id: again}]\n"
    )
    taken: list[tuple[list[str], str]] = []

    def take(root: Node, item: Node) -> bool:
        taken.append((list(root.value), item.value["id"].value.value))  # type: ignore[union-attr,index]
        return item.value["id"].value.value != "b"  # type: ignore[union-attr,index]

    read = read_yaml(text, stream=Stream("events", take))
    # the top mapping as it stood, each item whole; nested and repeated lists are not streamed
    assert taken == [(["title"], "a"), (["title"], "b")]
    assert _plain(read.root)["events"] == ["plain text", {"id": "b", "events": [{"id": "inner"}]}]  # type: ignore[index]
    assert [p.line for p in read.problems] == [7]  # the repeated key, reported as ever
