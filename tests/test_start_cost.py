"""What the browser's start costs in imports, warm or cold: dataclasses only for the
model's types."""

from __future__ import annotations

import json
from pathlib import Path

from tests.python_probe import run_probe

BUNDLED = Path(__file__).resolve().parents[1] / "events.yaml"

PROBE = """
import dataclasses, json
made = []
real = dataclasses._process_class
def recording(cls, *args, **kwargs):
    made.append(f"{cls.__module__}.{cls.__qualname__}")
    return real(cls, *args, **kwargs)
dataclasses._process_class = recording
import sys
import citeline.__main__, citeline.cli, citeline.cache, citeline.loader
from citeline.tui.app import make_app
# a cold load (no cache): it imports the YAML reader and the anchoring
result = citeline.loader.load(sys.argv[1], use_cache=False)
assert result.timeline is not None, result.diagnostics
assert "citeline.yaml_reader" in sys.modules and "citeline.anchoring" in sys.modules
print(json.dumps(sorted(name for name in made if name.startswith("citeline."))))
"""

#: The dataclasses a start may make: the model's, and the types the core hands out.
ALLOWED = {
    "citeline.model.PartialDate", "citeline.model.EventDate", "citeline.model.Location",
    "citeline.model.Source", "citeline.model.Passage", "citeline.model.Event",
    "citeline.model.Timeline", "citeline.diagnostics.Diagnostic",
    "citeline.chronology.Chronology", "citeline.loader.LoadResult",
}


def test_the_start_makes_dataclasses_only_for_the_model_and_what_the_core_hands_out() -> None:
    """Python compiles each dataclass's methods from source as its module is imported:
    0.4-2 ms a class. The start's other records are named tuples or plain classes
    (ten of them were dataclasses: about 5 ms of every start; the YAML reader's and
    the anchoring's nine, 3-4 ms of a cold load of the bundled timeline)."""
    made = set(json.loads(run_probe(PROBE, str(BUNDLED))))
    assert "citeline.model.Event" in made  # (the probe sees them)
    assert made <= ALLOWED, sorted(made - ALLOWED)


def test_the_command_line_is_read_before_the_core_is_imported() -> None:
    """The command line imports neither the model, the loader nor the cache: what
    knows the events file early can act on it before them (the model alone, its
    dataclasses, costs 4 ms)."""
    probe = (
        "import sys, json, citeline.cli\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0]"
        " in ('citeline', 'yaml', 'dateutil', 'textual'))))\n"
    )
    imported = set(json.loads(run_probe(probe)))
    assert "citeline.cli" in imported  # (the probe sees them)
    heavy = {"citeline.model", "citeline.loader", "citeline.cache", "citeline.diagnostics",
             "citeline.dates", "yaml", "dateutil", "textual"}
    assert not imported & heavy, sorted(imported & heavy)
