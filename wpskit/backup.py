"""One archive of the whole course, between workshop days and after the workshop.

The archive (a zip named ``wpskit-course-<UTC time>.zip``) holds the course folder as it is —
config, roster, forms, submitted, autograded, feedback, imported answers and the exchange when
it lives in the course — so unzipping it gives a course every command works on. An SQLite
gradebook is copied with SQLite's own backup API, which reads one consistent state even while
formgrader or autograde has it open (a file copy could catch half a transaction). A gradebook in
PostgreSQL is not in the archive: the result says which ``pg_dump`` command saves it.

The archive is written under a temporary name and renamed when complete, so a failure (a full
disk, an unreadable file) leaves no half archive behind.
"""

from __future__ import annotations

import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from wpskit.errors import CourseError
from wpskit.files import write_atomically
from wpskit.layout import GRADEBOOK_FILE, open_course, safe_url
from wpskit.words import label

# SQLite's companions of the gradebook: never copied as files (the backup API reads them).
LIVE_DATABASE_FILES = {GRADEBOOK_FILE, f"{GRADEBOOK_FILE}-journal", f"{GRADEBOOK_FILE}-wal", f"{GRADEBOOK_FILE}-shm"}


@dataclass(frozen=True)
class BackupResult:
    archive: Path
    size: int
    files: int
    # How to save a gradebook the archive does not hold (PostgreSQL), else None.
    gradebook_elsewhere: str | None

    def summary(self) -> str:
        return f"Backed up the course ({self.files} files) to {self.archive} ({human_size(self.size)})."


def human_size(size: int) -> str:
    for unit in ("bytes", "kB", "MB"):
        if size < 1000 or unit == "MB":
            return f"{size} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1000  # type: ignore[assignment]
    raise AssertionError("unreachable")


def _copy_sqlite(database: Path, copy: Path) -> None:
    """A consistent copy of an SQLite database that others may have open."""
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        with target:
            source.backup(target)
    finally:
        source.close()
        target.close()


def _libpq_url(url: str) -> str:
    """The database URL as pg_dump reads it: no SQLAlchemy driver name, no password."""
    from sqlalchemy.engine import URL, make_url

    parsed = make_url(url)  # URL.set(password=None) would keep the password: None there means "unchanged"
    return URL.create(parsed.get_backend_name(), username=parsed.username, host=parsed.host, port=parsed.port,
                      database=parsed.database, query=parsed.query).render_as_string(hide_password=False)


def backup_course(course_root: Path | str = "course", out: Path | str = "backups") -> BackupResult:
    """Write ``OUT/wpskit-course-<UTC time>.zip`` with the whole course; nothing is left on failure."""
    course = open_course(course_root)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    if out.resolve().is_relative_to(course.root):
        raise CourseError(label("error.backup_out_inside_course", out=out))
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    archive = out / f"wpskit-course-{stamp}.zip"
    copies = 1
    while archive.exists():  # two backups in one second keep both
        copies += 1
        archive = out / f"wpskit-course-{stamp}-{copies}.zip"
    files = 0

    def write_zip(partial: Path) -> None:
        nonlocal files
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
            for path in sorted(course.root.rglob("*")):
                relative = path.relative_to(course.root)
                if path.is_file() and not (len(relative.parts) == 1 and relative.name in LIVE_DATABASE_FILES):
                    try:
                        zipped.write(path, Path("course") / relative)
                    except PermissionError:
                        raise CourseError(label("error.backup_unreadable", file=path)) from None
                    files += 1
            if course.gradebook_is_sqlite:
                with tempfile.TemporaryDirectory() as scratch:
                    copy = Path(scratch) / GRADEBOOK_FILE
                    _copy_sqlite(course.root / GRADEBOOK_FILE, copy)
                    zipped.write(copy, Path("course") / GRADEBOOK_FILE)
                    files += 1

    write_atomically(archive, write_zip, mode=0o600)  # everyone's answers and grades: its owner alone reads it
    elsewhere = None
    if not course.gradebook_is_sqlite:
        command = f"pg_dump --format=custom --file={out}/gradebook-{stamp}.dump '{_libpq_url(course.gradebook_url)}'"
        elsewhere = label("warning.backup_gradebook_elsewhere", url=safe_url(course.gradebook_url), command=command)
    return BackupResult(archive=archive, size=archive.stat().st_size, files=files, gradebook_elsewhere=elsewhere)
