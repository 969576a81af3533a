"""The official terms of modules/glossary.yaml: no listed wrong variant anywhere people read the kit.

Scanned: every notebook cell (markdown and the code that holds exercise texts), every YAML under modules/
(exercises, index) and assessments/ (item bank, forms, survey), the facilitator's guides, the README and docs,
and the package's words, templates and data files (widget labels, report and plan texts). The glossary itself
and the tests are not scanned: they name the wrong variants on purpose.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
GLOSSARY = REPO / "modules" / "glossary.yaml"
SCANNED = [
    ("modules", ("*.ipynb", "*.yaml", "*.yml", "*.md")),
    ("assessments", ("*.yaml", "*.yml")),
    ("facilitator_guide", ("*.md", "*.ipynb", "*.csv")),
    ("docs", ("*.md",)),
    ("wpskit", ("*.py", "*.yaml", "*.json", "*.j2", "*.html", "*.md")),
]
NOT_SCANNED = {GLOSSARY, REPO / "modules" / "sources.yaml"}


@dataclass(frozen=True)
class Variant:
    concept: str
    pattern: re.Pattern[str]
    shown: str


def fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold()


def load_variants(path: Path = GLOSSARY) -> list[Variant]:
    variants = []
    for entry in yaml.safe_load(path.read_text(encoding="utf-8")):
        for phrase in entry.get("wrong", []):
            variants.append(Variant(entry["id"], re.compile(re.escape(fold(phrase))), phrase))
        for regex in entry.get("wrong_patterns", []):
            variants.append(Variant(entry["id"], re.compile(fold(regex)), regex))
    return variants


def readable_files(root: Path = REPO) -> list[Path]:
    files = [root / "README.md"]
    for folder, patterns in SCANNED:
        for pattern in patterns:
            files += sorted((root / folder).rglob(pattern))
    return [f for f in files if f.is_file() and f not in NOT_SCANNED and ".ipynb_checkpoints" not in f.parts]


def uses_of_wrong_variants(files: list[Path], variants: list[Variant]) -> list[str]:
    """One line per use: file, line, the wrong variant and the glossary entry to follow."""
    found = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            folded = fold(line)
            for variant in variants:
                if variant.pattern.search(folded):
                    found.append(f"{path.relative_to(REPO) if path.is_relative_to(REPO) else path}:{number}: "
                                 f"'{variant.shown}' — see '{variant.concept}' in modules/glossary.yaml")
    return found


@pytest.fixture(scope="module")
def glossary() -> list[dict]:
    return yaml.safe_load(GLOSSARY.read_text(encoding="utf-8"))


def test_every_entry_has_both_terms_a_source_and_something_to_catch(glossary: list[dict]) -> None:
    ids = [entry["id"] for entry in glossary]
    assert len(ids) == len(set(ids))
    for entry in glossary:
        assert entry.get("en") and entry.get("vi") and entry.get("source"), entry["id"]
        assert entry.get("wrong") or entry.get("wrong_patterns"), f"{entry['id']}: list the wrong variants"
        assert entry["vi"] == unicodedata.normalize("NFC", entry["vi"]), entry["id"]


def test_the_key_concepts_are_there(glossary: list[dict]) -> None:
    ids = {entry["id"] for entry in glossary}
    assert {"nap-name", "relief-and-recovery", "survivor", "womens-machinery", "gender-mainstreaming",
            "gender-responsive", "commune-disaster-board", "ha-noi-commitment", "ha-noi-conference", "framing"} <= ids


def test_no_wrong_variant_is_used_anywhere_people_read() -> None:
    found = uses_of_wrong_variants(readable_files(), load_variants())
    assert not found, "use the glossary's term:\n" + "\n".join(found)


def test_the_scan_covers_notebooks_exercises_items_words_and_guides() -> None:
    files = {f.relative_to(REPO).as_posix() for f in readable_files()}
    assert "modules/day3-nap-roles/03-media-awareness.vi.ipynb" in files
    assert "assessments/items/day3.yaml" in files
    assert "facilitator_guide/day3.md" in files
    assert "wpskit/words.py" in files or any(f.startswith("wpskit/widgets/") for f in files)
    assert any(f.endswith(".exercises.yaml") for f in files)


@pytest.mark.parametrize("entry_id", ["survivor", "relief-and-recovery", "ha-noi-commitment", "womens-machinery",
                                      "commune-disaster-board", "framing", "sex-disaggregated", "child"])
def test_a_wrong_variant_put_back_is_caught(tmp_path: Path, glossary: list[dict], entry_id: str) -> None:
    """Each kind of file, with a wrong variant written into it, fails the scan."""
    entry = next(e for e in glossary if e["id"] == entry_id)
    examples = list(entry.get("wrong", [])) or {
        "sex-disaggregated": ["số liệu phân tách theo giới và độ tuổi"],
        "child": ["For a child (under 18), recruiting is trafficking."],
    }[entry_id]
    for phrase in examples:
        notebook = tmp_path / "x.vi.ipynb"
        notebook.write_text('{"cells": [{"source": ["Một câu có ' + phrase.replace('"', '\\"') + ' ở giữa."]}]}',
                            encoding="utf-8")
        guide = tmp_path / "day9.md"
        guide.write_text(f"Line one.\n{phrase.upper()}\n", encoding="utf-8")
        found = uses_of_wrong_variants([notebook, guide], load_variants())
        assert len(found) >= 2 and all(entry_id in line for line in found[:2]), (phrase, found)


def test_the_right_terms_are_not_caught(glossary: list[dict]) -> None:
    """The right terms themselves never match a wrong variant (a pattern too wide would hide real mistakes)."""
    variants = load_variants()
    for entry in glossary:
        for language in ("en", "vi"):
            assert not [v.shown for v in variants if v.pattern.search(fold(entry[language]))], (entry["id"], language)
