"""Writing an output file so that a failure never loses what was there: the new content goes to a
temporary file in the same folder, which replaces the target only when the writer finished.

Hand-written because the standard library has every piece (``tempfile``, ``os.replace``) but no
context manager putting them together, and the few packages that do (``atomicwrites``) are
unmaintained.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

__all__ = ["atomic_write", "same_file"]


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name the same file (symlinks and hard links included)."""
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)  # keep an existing file's permissions
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask  # what open(..., "w") would have given a new file


@contextlib.contextmanager
def atomic_write(target: Path, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """Yield a text file that replaces ``target`` when the block ends without an exception.

    The temporary file sits beside ``target`` (so the final ``Path.replace`` is a rename within one
    file system, atomic on POSIX) and is removed when the block raises: ``target`` is then exactly
    as it was. Raises ``OSError`` when the folder cannot take the temporary file.
    """
    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(dir=folder, prefix=f".{target.name}.", suffix=".tmp")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding=encoding) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(_mode_for(target))
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
