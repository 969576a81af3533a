"""Writing a file so that a reader never sees half of it.

Every file wpskit writes for someone else to read (responses, roster, scores, reports,
plans, notebooks, settings) goes through :func:`write_atomically`: the content goes to a
temporary file in the same directory, is flushed to disk, and replaces the old file with
``os.replace``. A crash, a full disk or a bad value leaves the old file as it was.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable

Content = str | bytes | Callable[[Path], object]


def write_atomically(path: str | Path, content: Content, *, mode: int | None = None) -> Path:
    """Write `content` to `path` in one step; returns the path.

    `content` is text (written as UTF-8), bytes, or a function that writes the file it is
    given (``workbook.save``, ``frame.to_csv``). The file keeps the old file's permissions,
    or gets `mode` (default ``0o644``) when it is new.

    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "sub" / "note.txt"
    >>> write_atomically(path, "Nguyễn Thị Hương\\n").read_text(encoding="utf-8")
    'Nguyễn Thị Hương\\n'
    >>> sorted(p.name for p in path.parent.iterdir())  # no temporary file left behind
    ['note.txt']
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if mode is None:
        mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(descriptor)
    temporary = Path(name)
    try:
        if isinstance(content, str):
            temporary.write_bytes(content.encode("utf-8"))
        elif isinstance(content, bytes):
            temporary.write_bytes(content)
        else:
            content(temporary)
        with open(temporary, "rb") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return path
