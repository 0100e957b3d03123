"""Atomic file writes: a file is either left as it was or replaced whole.

The text goes to a temporary file in the target's own directory (so the final
``os.replace`` is a rename within one file system), is flushed and fsynced
(unless the file need not be durable), and only then renamed over the target.
Any failure on the way removes the temporary file and re-raises, leaving the
old file untouched.

A target that exists but is no regular file (a terminal, ``/dev/null``,
``/dev/stdout``, a named pipe) is written into as a shell redirection would:
replacing it would put a regular file where the device or pipe was.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

_NEW_FILE_MODE = 0o666  # reduced by the process umask, as for any new file
_ATTEMPTS = 100


def write_atomic(path: Path | str, text: str | bytes, *, durable: bool = True) -> None:
    """Write ``text`` as UTF-8 (or bytes as they are) to ``path``, replacing any
    existing file whole.

    ``durable=False`` leaves out the two ``fsync`` calls, for a file that can be
    made again and is checked as it is read (a cache entry): the rename still
    replaces it whole, but a crash soon after may lose it. On a slow disk each
    ``fsync`` takes tens of milliseconds.

    Newlines are written exactly as given (no translation), so CRLF text such
    as iCalendar stays CRLF. An existing file keeps its permission bits. A
    symlink is followed: the file it points to is replaced, not the link. A
    device or named pipe is written into, never replaced.
    """
    data = text if isinstance(text, bytes) else text.encode("utf-8")
    if is_device_or_pipe(path):
        _write_into(path, data)
        return
    target = Path(os.path.realpath(path))
    mode = _existing_mode(target)
    fd, temp = _create_temp(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            if mode is not None:
                _chmod(handle.fileno(), temp, mode)
            handle.write(data)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    if durable:
        _fsync_directory(target.parent)


def is_device_or_pipe(path: Path | str) -> bool:
    """Whether ``path`` (its symlinks followed) exists and is neither a file nor a folder.

    The path itself is looked at, not its ``realpath``: ``/dev/stdout`` on a pipe
    resolves to no path at all, but opens the pipe.
    """
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing (the usual case), or no name: as before
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _write_into(path: Path | str, data: bytes) -> None:
    """Write ``data`` into an existing device or pipe, as ``> path`` in a shell does."""
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0))
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


def _existing_mode(target: Path) -> int | None:
    """Permission bits of the file being replaced, or ``None`` if there is none."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        return None


def _create_temp(target: Path) -> tuple[int, Path]:
    """Create and open a fresh, hidden temporary file next to ``target``.

    ``os.open`` with ``O_EXCL`` applies the umask like an ordinary new file
    would (``mkstemp`` would always give 0600). Its name's random part is
    from ``os.urandom`` as ``secrets`` would take it, without ``secrets``,
    whose import (``hmac`` and OpenSSL's bindings) costs 4 ms.
    """
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_ATTEMPTS):
        temp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(temp, flags, _NEW_FILE_MODE), temp
        except FileExistsError:
            continue
    raise FileExistsError(f"could not create a temporary file next to {target}")


def _chmod(fd: int, temp: Path, mode: int) -> None:
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)
    else:  # pragma: no cover - platforms without fchmod
        os.chmod(temp, mode)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable where the platform allows it (best effort)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
