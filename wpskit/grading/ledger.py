"""The ledger of graded submissions: a fingerprint of each, so only a changed one is graded again."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from wpskit.files import write_atomically
from wpskit.layout import Course


def _ledger_file(course: Course, form_id: str) -> Path:
    return course.root / "autograded" / f".wpskit-{form_id}.json"


def read_ledger(course: Course, form_id: str) -> dict[str, str]:
    path = _ledger_file(course, form_id)
    try:
        return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    except ValueError:  # a damaged ledger only means grading again
        return {}


def write_ledger(course: Course, form_id: str, ledger: dict[str, str]) -> None:
    path = _ledger_file(course, form_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, json.dumps(ledger, indent=1, sort_keys=True))


def submission_digest(course: Course, form_id: str, participant_id: str) -> str:
    """A fingerprint of everything submitted, so a changed submission is graded again."""
    folder = course.root / "submitted" / participant_id / form_id
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
