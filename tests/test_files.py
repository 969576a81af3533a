"""One atomic write for every file wpskit writes: all or nothing, permissions kept."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from wpskit.files import write_atomically


def test_text_bytes_and_writers_land_whole(tmp_path: Path) -> None:
    assert write_atomically(tmp_path / "a.txt", "Bình đẳng giới\n").read_bytes() == "Bình đẳng giới\n".encode()
    assert write_atomically(tmp_path / "b.png", b"\x89PNG").read_bytes() == b"\x89PNG"
    write_atomically(tmp_path / "c.csv", lambda path: path.write_text("x\n", encoding="utf-8"))
    assert (tmp_path / "c.csv").read_text(encoding="utf-8") == "x\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.png", "c.csv"]


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = write_atomically(tmp_path / "report.json", "old")

    def broken(temporary: Path) -> None:
        temporary.write_text("half", encoding="utf-8")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        write_atomically(path, broken)
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_permissions_are_kept_or_given(tmp_path: Path) -> None:
    path = write_atomically(tmp_path / "pre.responses.json", "{}", mode=0o600)
    assert os.stat(path).st_mode & 0o777 == 0o600
    write_atomically(path, '{"schema": 1}')
    assert os.stat(path).st_mode & 0o777 == 0o600
    assert os.stat(write_atomically(tmp_path / "new.txt", "x")).st_mode & 0o777 == 0o644
