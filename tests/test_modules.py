"""The participant notebooks under modules/, checked against modules/index.yaml.

Generic: every check runs on every module the index lists, so the modules of Days 2 and 3
are checked as soon as their entries are added. A module is a pair of notebooks, English
(``NN-name.ipynb``) and Vietnamese (``NN-name.vi.ipynb``), written from one source:

- the index and the disk agree, and the header says what the index says (title, "⏱ N"
  minutes, objective ids), as the Carpentries test their episodes' metadata;
- the twins match cell by cell (type, ``wpskit.role``, code, exercise ids); their code
  differs only in the ``wpskit.use_language("en"|"vi")`` line;
- participants see no code (hidden code cells) and no outputs are committed;
- facts: resolution years as in wps-facts.md, never the wrong NAP date, every reading
  names its source, the same numbers in both languages;
- a Day 1-3 session shows at least 4 exercises (``ex.show("<id>")``, read from the module's
  ``<notebook>.exercises.yaml``; see tests/test_exercises.py): questions and scenarios. A
  confidence rating or the action plan does not count: it has no answer and no feedback;
- the facilitator guide of each day (``facilitator_guide/dayN.md``) has a section per session
  whose timings add up to the index's minutes and the expected answer of every question id;
- slow: every notebook runs headless from top to bottom without an error.

Day 0 (getting started) is a tour of the widgets rather than a session: the session rules
(roles, "⏱ N", objectives, 4 exercises, tags) apply from Day 1 on.
"""

from __future__ import annotations

import re
import shutil
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import nbformat
import pytest
import yaml

from tests.test_items import RESOLUTION_WITH_YEAR, VIETNAMESE_LETTERS, WRONG_NAP_DATES, facts_table, numbers
from wpskit.exercises import ConfidencePrompt, ModuleExercises, PlanExercise, ScenarioSpec, load_exercises

REPO = Path(__file__).resolve().parents[1]
MODULES = REPO / "modules"
INDEX = MODULES / "index.yaml"
OBJECTIVES = REPO / "assessments" / "objectives.yaml"
GUIDES = REPO / "facilitator_guide"

INDEX_FIELDS = {"day", "session", "id", "path", "path_vi", "title", "minutes", "objectives"}
ROLES = {"header", "reading", "discussion", "exercise-intro", "score", "recap"}
SESSION_MINUTES = range(60, 91)
MIN_EXERCISES = 4

LANGUAGE_LINE = re.compile(r'wpskit\.use_language\("(en|vi)"\)')
SHOW_CALL = re.compile(r'\bex\.show\("([^"]+)"\)')
FORM_NAME = re.compile(r'\bExercises\(\s*"([^"]+)"')
EXERCISES_FILE = re.compile(r'\bExercises\(\s*"[^"]+",\s*exercises="([^"]+)"\)')
UNSCORED = (ConfidencePrompt, PlanExercise)
MINUTES_MARK = re.compile(r"⏱\s*(\d+)")
OBJECTIVE_MARK = re.compile(r"\*\*(D\d+\.\d+)\*\*")
SOURCE_LINE = {"en": re.compile(r"^[*_\s]*Source:", re.MULTILINE), "vi": re.compile(r"^[*_\s]*Nguồn:", re.MULTILINE)}
RUN_ALL = "Run All Cells"  # untranslated in jupyterlab-language-pack-vi-VN: "Chạy → Run All Cells"
WRONG_NAP_DATE = re.compile(r"\b21(?:\s+January\s+2024|\s+tháng\s+0?1\s+năm\s+2024|\s*[/.-]\s*0?1\s*[/.-]\s*2024)", re.IGNORECASE)


@dataclass(frozen=True)
class Module:
    entry: dict[str, Any]

    @property
    def id(self) -> str:
        return self.entry["id"]

    @property
    def is_session(self) -> bool:
        return self.entry["day"] >= 1

    def path(self, language: str) -> Path:
        return MODULES / self.entry["path" if language == "en" else "path_vi"]

    def notebook(self, language: str) -> nbformat.NotebookNode:
        return read_notebook(self.path(language))

    def __str__(self) -> str:
        return self.id


@cache
def read_notebook(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def load_index() -> list[dict[str, Any]]:
    entries = yaml.safe_load(INDEX.read_text(encoding="utf-8"))
    assert isinstance(entries, list) and entries, f"{INDEX}: expected a list of modules"
    return entries


ALL = [Module(entry) for entry in load_index()]
SESSIONS = [m for m in ALL if m.is_session]
NOTEBOOKS = [pytest.param(m, language, id=f"{m.id}-{language}") for m in ALL for language in ("en", "vi")]


def role(cell: nbformat.NotebookNode) -> str | None:
    return cell.get("metadata", {}).get("wpskit", {}).get("role")


def markdown(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "markdown"]


def code(nb: nbformat.NotebookNode) -> list[nbformat.NotebookNode]:
    return [c for c in nb.cells if c.cell_type == "code"]


def question_ids(nb: nbformat.NotebookNode) -> list[str]:
    """The ids of the questions asked, in order (exercises, scenarios, confidence ratings, action plans)."""
    return [i for c in code(nb) for i in SHOW_CALL.findall(c.source)]


def exercises_of(module: Module) -> ModuleExercises:
    """The module's exercises file (``wpskit.exercises``), as its setup cell names it."""
    names = EXERCISES_FILE.findall(code(module.notebook("en"))[0].source)
    assert names, f"{module.path('en').name}: the setup cell names its exercises file: Exercises(..., exercises=...)"
    return load_exercises(module.path("en").parent / names[0])


def exercise_count(module: Module, nb: nbformat.NotebookNode) -> int:
    """Questions and scenarios: confidence ratings and the action plan have no answer to check."""
    data = exercises_of(module)
    return sum(not isinstance(data[i], UNSCORED) for i in question_ids(nb))


@cache
def objectives() -> dict[str, dict[str, str]]:
    return {o["id"]: o["text"] for o in yaml.safe_load(OBJECTIVES.read_text(encoding="utf-8"))}


# --- the index ----------------------------------------------------------------------------


def test_index_entries_are_complete_and_unique() -> None:
    for entry in load_index():
        assert set(entry) == INDEX_FIELDS, f"{entry.get('id')}: fields {sorted(entry)}, expected {sorted(INDEX_FIELDS)}"
        assert set(entry["title"]) == {"en", "vi"}, entry["id"]
        assert isinstance(entry["minutes"], int) and entry["minutes"] > 0, entry["id"]
        assert set(entry["objectives"]) <= set(objectives()), f"{entry['id']}: unknown objectives {entry['objectives']}"
        if entry["day"] >= 1:
            assert entry["minutes"] in SESSION_MINUTES, f"{entry['id']}: {entry['minutes']} minutes, a session is 60-90"
            assert entry["objectives"], f"{entry['id']}: a session names its objectives"
    ids = Counter(m.id for m in ALL)
    assert all(n == 1 for n in ids.values()), f"module ids used twice: {ids}"
    slots = Counter((m.entry["day"], m.entry["session"]) for m in ALL)
    assert all(n == 1 for n in slots.values()), f"two modules in the same day and session: {slots}"


def test_index_and_disk_agree() -> None:
    listed = {m.path(language) for m in ALL for language in ("en", "vi")}
    for path in listed:
        assert path.is_file(), f"modules/index.yaml lists {path.relative_to(MODULES)}, which does not exist"
    on_disk = {p for p in MODULES.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts}
    unlisted = sorted(str(p.relative_to(MODULES)) for p in on_disk - listed)
    assert not unlisted, f"notebooks missing from modules/index.yaml: {unlisted}"
    for m in ALL:
        assert m.entry["path_vi"] == m.entry["path"].removesuffix(".ipynb") + ".vi.ipynb", m.id


# --- each notebook ------------------------------------------------------------------------


@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_committed_without_outputs(module: Module, language: str) -> None:
    for i, cell in enumerate(code(module.notebook(language))):
        assert not cell.outputs, f"{module.path(language).name}, code cell {i}: outputs committed"
        assert cell.execution_count is None, f"{module.path(language).name}, code cell {i}: execution count committed"


@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_participants_see_no_code(module: Module, language: str) -> None:
    nb = module.notebook(language)
    for i, cell in enumerate(code(nb)):
        assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, f"{module.path(language).name}, code cell {i} is not hidden"
        if module.is_session:
            assert "wpskit" in cell.metadata.get("tags", []), f"{module.path(language).name}, code cell {i}: no 'wpskit' tag"
            # JupyterLab shows a hidden cell's first line on its collapsed bar: a label, not code.
            assert cell.source.startswith("# "), f"{module.path(language).name}, code cell {i}: start with a '# label' line"
    if module.is_session:
        for i, cell in enumerate(markdown(nb)):
            assert "`" not in cell.source, f"{module.path(language).name}, markdown cell {i}: code font (the monospace font lacks Vietnamese tone marks)"


@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_opens_with_its_title_and_one_run_all_instruction(module: Module, language: str) -> None:
    nb = module.notebook(language)
    first = nb.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.splitlines()[0] == f"# {module.entry['title'][language]}", f"{module.path(language).name}: title differs from the index"
    assert RUN_ALL in first.source, f"{module.path(language).name}: the first cell says how to run all cells"
    forms = FORM_NAME.findall(code(nb)[0].source)
    assert forms == [module.id], f"{module.path(language).name}: the setup cell opens Exercises({module.id!r}), the index id"


@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_text_is_nfc_and_vietnamese_keeps_its_diacritics(module: Module, language: str) -> None:
    nb = module.notebook(language)
    for i, cell in enumerate(nb.cells):
        assert unicodedata.is_normalized("NFC", cell.source), f"{module.path(language).name}, cell {i}: not NFC"
    if language == "vi":
        for i, cell in enumerate(markdown(nb)):
            assert VIETNAMESE_LETTERS & set(cell.source), f"{module.path('vi').name}, markdown cell {i} has no Vietnamese diacritics"


@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_resolution_years_match_wps_facts(module: Module, language: str) -> None:
    table = facts_table()
    for i, cell in enumerate(module.notebook(language).cells):
        for number, year in RESOLUTION_WITH_YEAR.findall(cell.source):
            where = f"{module.path(language).name}, cell {i}"
            assert number in table, f"{where}: {number} ({year}) is not a WPS resolution"
            assert table[number] == year, f"{where}: {number} ({year}) should be {number} ({table[number]})"


@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_never_the_wrong_nap_date(module: Module, language: str) -> None:
    for i, cell in enumerate(module.notebook(language).cells):
        for wrong in WRONG_NAP_DATES:
            assert wrong not in cell.source, f"{module.path(language).name}, cell {i}: {wrong!r}; the NAP date is 25 January 2024"
        match = WRONG_NAP_DATE.search(cell.source)
        assert match is None, f"{module.path(language).name}, cell {i}: {match.group(0)!r}; the NAP date is 25 January 2024"


# --- the EN/VI twins ----------------------------------------------------------------------


@pytest.mark.parametrize("module", ALL, ids=str)
def test_twins_match_cell_by_cell(module: Module) -> None:
    en, vi = module.notebook("en"), module.notebook("vi")
    assert len(en.cells) == len(vi.cells), f"{module.id}: {len(en.cells)} cells in English, {len(vi.cells)} in Vietnamese"
    for i, (a, b) in enumerate(zip(en.cells, vi.cells)):
        assert a.cell_type == b.cell_type, f"{module.id}, cell {i}: {a.cell_type} in English, {b.cell_type} in Vietnamese"
        assert role(a) == role(b), f"{module.id}, cell {i}: role {role(a)!r} in English, {role(b)!r} in Vietnamese"
        if a.cell_type == "code":
            assert LANGUAGE_LINE.sub("LANGUAGE", a.source) == LANGUAGE_LINE.sub("LANGUAGE", b.source), (
                f"{module.id}, cell {i}: code differs between the twins (only use_language may)"
            )
    assert LANGUAGE_LINE.findall(code(en)[0].source) == ["en"], f"{module.id}: the English setup cell uses use_language('en')"
    assert LANGUAGE_LINE.findall(code(vi)[0].source) == ["vi"], f"{module.id}: the Vietnamese setup cell uses use_language('vi')"


@pytest.mark.parametrize("module", ALL, ids=str)
def test_twins_ask_the_same_questions(module: Module) -> None:
    assert question_ids(module.notebook("en")) == question_ids(module.notebook("vi"))


@pytest.mark.parametrize("module", ALL, ids=str)
def test_twins_give_the_same_numbers(module: Module) -> None:
    """A date or a figure changed in one language only (e.g. 25 January 2024 / ngày 25 tháng 1 năm 2024)."""
    for i, (a, b) in enumerate(zip(markdown(module.notebook("en")), markdown(module.notebook("vi")))):
        assert numbers(a.source, english=True) == numbers(b.source, english=False), (
            f"{module.id}, markdown cell {i}: the numbers differ\n  en: {sorted(numbers(a.source, True).elements())}"
            f"\n  vi: {sorted(numbers(b.source, False).elements())}"
        )


def test_question_ids_are_unique_across_modules_and_the_item_bank() -> None:
    ids = Counter(qid for m in ALL for qid in question_ids(m.notebook("en")))
    assert all(n == 1 for n in ids.values()), f"question ids used twice: {[k for k, n in ids.items() if n > 1]}"
    bank = set()
    for path in (REPO / "assessments" / "items").glob("*.yaml"):
        bank |= {item["id"] for item in yaml.safe_load(path.read_text(encoding="utf-8"))}
    assert not set(ids) & bank, f"module exercise ids that are item bank ids: {sorted(set(ids) & bank)}"


# --- a session (Day 1-3) ------------------------------------------------------------------


@pytest.mark.parametrize("module", SESSIONS, ids=str)
def test_session_header_matches_the_index(module: Module) -> None:
    for language in ("en", "vi"):
        header = module.notebook(language).cells[0]
        name = module.path(language).name
        assert role(header) == "header", f"{name}: the first cell is the header"
        assert [int(n) for n in MINUTES_MARK.findall(header.source)] == [module.entry["minutes"]], (
            f"{name}: '⏱ N' in the header must equal minutes: {module.entry['minutes']} in the index"
        )
        assert OBJECTIVE_MARK.findall(header.source) == module.entry["objectives"], f"{name}: objectives differ from the index"
        for objective in module.entry["objectives"]:
            assert objectives()[objective][language] in header.source, f"{name}: the header quotes {objective} as in objectives.yaml"


@pytest.mark.parametrize("module", SESSIONS, ids=str)
def test_session_structure(module: Module) -> None:
    """Header, readings and exercises, the score board, then the recap with keypoints."""
    for language in ("en", "vi"):
        nb = module.notebook(language)
        name = module.path(language).name
        roles = [role(c) for c in markdown(nb)]
        assert set(roles) <= ROLES, f"{name}: markdown cells need a wpskit.role in {sorted(ROLES)}, found {roles}"
        assert roles[-1] == "recap" and nb.cells[-1].cell_type == "markdown", f"{name}: ends with the recap"
        assert "reading" in roles and "score" in roles, name
        assert nb.cells[-2].source.splitlines()[-1] == "ex.score_board()", f"{name}: the score board comes just before the recap"
        count = exercise_count(module, nb)
        assert count >= MIN_EXERCISES, f"{name}: {count} exercises, at least {MIN_EXERCISES}"
        for i, cell in enumerate(nb.cells):
            if role(cell) == "reading":
                assert SOURCE_LINE[language].search(cell.source), f"{name}, cell {i}: a reading names its source"
        assert all(qid.startswith(f"d{module.entry['day']}-") for qid in question_ids(nb)), f"{name}: ids start with d{module.entry['day']}-"


def test_day1_covers_its_objectives_and_a_scenario() -> None:
    day1 = [m for m in SESSIONS if m.entry["day"] == 1]
    covered = {o for m in day1 for o in m.entry["objectives"]}
    assert covered == {o for o in objectives() if o.startswith("D1.")}
    assert any(isinstance(e, ScenarioSpec) for m in day1 for e in exercises_of(m)), "Day 1 has a branching scenario"


# --- the facilitator guide ---------------------------------------------------------------

GUIDE_SESSION = re.compile(r"^## Session (\d+)\b.*?(\d+) minutes$", re.MULTILINE)
GUIDE_TIMING = re.compile(r"^\|\s*(\d+)\s*min\s*\|", re.MULTILINE)


def guide_sections(day: int) -> dict[int, tuple[int, str]]:
    """session -> (minutes in its heading, its text), from facilitator_guide/day<day>.md."""
    text = (GUIDES / f"day{day}.md").read_text(encoding="utf-8")
    heads = list(GUIDE_SESSION.finditer(text))
    ends = [h.start() for h in heads[1:]] + [len(text)]
    return {int(h.group(1)): (int(h.group(2)), text[h.start():end]) for h, end in zip(heads, ends)}


@pytest.mark.parametrize("day", sorted({m.entry["day"] for m in SESSIONS}))
def test_facilitator_guide_of_each_day(day: int) -> None:
    path = GUIDES / f"day{day}.md"
    assert path.is_file(), f"{path.relative_to(REPO)} is missing: every day with sessions has a facilitator guide"
    text = path.read_text(encoding="utf-8")
    assert "Facilitator only" in text
    sections = guide_sections(day)
    for module in (m for m in SESSIONS if m.entry["day"] == day):
        session, minutes = module.entry["session"], module.entry["minutes"]
        assert session in sections, f"{path.name}: no '## Session {session} · … — {minutes} minutes' heading"
        heading_minutes, section = sections[session]
        assert heading_minutes == minutes, f"{path.name}, session {session}: {heading_minutes} minutes, the index says {minutes}"
        timings = sum(int(n) for n in GUIDE_TIMING.findall(section))
        assert timings == minutes, f"{path.name}, session {session}: the timings add up to {timings}, the index says {minutes}"
        for qid in question_ids(module.notebook("en")):
            assert f"**{qid}**" in section, f"{path.name}, session {session}: no expected answer for {qid}"
    table = facts_table()
    for number, year in RESOLUTION_WITH_YEAR.findall(text):
        assert table.get(number) == year, f"{path.name}: {number} ({year})"
    assert WRONG_NAP_DATE.search(text) is None and not any(w in text for w in WRONG_NAP_DATES), f"{path.name}: wrong NAP date"


# --- run them -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("module, language", NOTEBOOKS)
def test_notebook_runs_headless_without_errors(module: Module, language: str, tmp_path: Path) -> None:
    """Run All in a copy of the module's folder, so no responses file lands in the repository."""
    from nbclient import NotebookClient

    source = module.path(language)
    folder = tmp_path / source.parent.name
    shutil.copytree(source.parent, folder, ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
    nb = nbformat.read(folder / source.name, as_version=4)
    NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    for i, cell in enumerate(code(nb)):
        for output in cell.outputs:
            assert output.output_type != "error", f"{source.name}, code cell {i}: {output.ename}: {output.evalue}"
            assert not (output.output_type == "stream" and output.name == "stderr"), f"{source.name}, code cell {i}: {output.text}"


def test_readme_lists_every_module_in_workshop_order() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    listed = [line for line in readme.splitlines() if line.startswith("| ") and "`modules/" in line]
    assert [line.split("`modules/")[1].split("`")[0] for line in listed] == [m.entry["path"] for m in ALL]
