"""Where the timeline cache keeps its entries, and whether it is on.

Apart from :mod:`citeline.cache` so that the command line can tell whether
an entry exists (see :mod:`citeline.cache_warmer`) before it imports the
cache, the model and the loader.
"""

from __future__ import annotations

import os
from pathlib import Path

try:  # hashlib's own BLAKE2, without hashlib, whose OpenSSL bindings take 2-6 ms to load
    from _blake2 import blake2b
except ImportError:  # (a Python built without it)
    from hashlib import blake2b

#: Set (to anything but the empty string), the cache is neither read nor written.
ENV_DISABLE = "CITELINE_NO_CACHE"


def cache_dir() -> Path:
    """``$XDG_CACHE_HOME/citeline``, else ``~/.cache/citeline``."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "citeline"


def enabled() -> bool:
    return not os.environ.get(ENV_DISABLE)


def entry_path(events_path: Path) -> Path:
    """Where the entry for this events file lives (one per file, overwritten)."""
    key = blake2b(str(events_path.resolve()).encode(), digest_size=16).hexdigest()
    return cache_dir() / f"{key}.json"


__all__ = ["ENV_DISABLE", "blake2b", "cache_dir", "enabled", "entry_path"]
