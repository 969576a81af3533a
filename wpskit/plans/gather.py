"""Every participant's plan, from the course's submissions or the hub's home folders, into one workbook."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from wpskit.errors import InputDataError, WpskitError
from wpskit.files import write_atomically
from wpskit.language import Language
from wpskit.layout import open_course, read_course_roster
from wpskit.plans.export import WIDTHS, sheet_name, write_table
from wpskit.plans.rows import PLAN_FIELDS, normalise_plan, plan_cells
from wpskit.responses import SUFFIX, read_responses
from wpskit.roster import read_roster
from wpskit.spreadsheets import text_only
from wpskit.words import label

NO_GROUP = "(no group)"


@dataclass(frozen=True)
class FoundPlan:
    """One participant's plan as found on disk."""

    participant_id: str
    plan_id: str
    rows: list[dict[str, str]]
    path: Path
    at: str


@dataclass
class GatheredPlans:
    """What ``gather_plans`` wrote: rows per sheet, participants per sheet, and every problem."""

    out: Path
    sheets: dict[str, int] = field(default_factory=dict)
    participants: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        people = sum(len(ids) for ids in self.participants.values())
        sheets = ", ".join(f"{name} ({len(self.participants[name])})" for name in self.sheets) or label("cli.nothing")
        return label("cli.plans_gathered", people=people, file=self.out, sheets=sheets)


def _responses_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob(f"*{SUFFIX}") if path.is_file())


def _participant_from_folder(root: Path, path: Path) -> str | None:
    """The participant of a file under a ``--from`` folder: its first folder below `root`.

    That is the JupyterHub user's folder (``/home/hn-01/...``); The Littlest JupyterHub
    names home folders ``jupyter-<user>``, so that prefix is dropped.
    """
    parts = path.relative_to(root).parts
    if len(parts) < 2:
        return None
    return parts[0].removeprefix("jupyter-")


def _is_plan(value: Any) -> bool:
    """A non-empty list of objects: the shape only an action plan saves (a scenario saves a list of strings)."""
    return isinstance(value, list) and bool(value) and all(isinstance(row, dict) for row in value)


def find_plans(files: Iterable[tuple[str, Path]], form: str | None = None,
               plan: str | None = None) -> tuple[list[FoundPlan], list[str]]:
    """Plans in responses files given as (participant id, path) pairs, and a message per problem.

    `form` keeps only responses files of that form (the notebook's name, e.g.
    ``day3-04-action-plan``); `plan` only answers with that id. Without `plan`, every answer
    that is a list of objects counts as a plan. Blank rows (an action added, nothing typed)
    are dropped, and a plan with no row left is named and not gathered: it is nobody's plan. A file that cannot be read, or a plan
    with a malformed row, is left out with a message naming the file; the others are kept.
    A participant with two copies of the same plan keeps the one saved last.
    """
    found: dict[tuple[str, str], FoundPlan] = {}
    problems: list[str] = []
    for participant_id, path in files:
        try:
            responses = read_responses(path)
        except WpskitError as error:
            problems.append(label("error.plans_file_skipped", error=error))
            continue
        if form is not None and responses.form != form:
            continue
        for answer_id, answer in responses.answers.items():
            if plan is not None and answer_id != plan:
                continue
            if plan is None and not _is_plan(answer.value):
                continue
            try:
                rows = [row for row in normalise_plan(answer.value, where=label("error.plans_where_file", file=path, id=answer_id))
                        if any(text.strip() for text in row.values())]
            except ValueError as error:
                problems.append(label("error.plans_plan_skipped", error=error))
                continue
            if not rows:
                problems.append(label("error.plans_empty", participant=participant_id, plan=answer_id))
                continue
            key = (participant_id, answer_id)
            previous = found.get(key)
            if previous is not None:
                older = path if previous.at >= answer.at else previous.path
                problems.append(label("error.plans_twice", participant=participant_id, plan=answer_id,
                                      first=previous.path, second=path, older=older))
                if older == path:
                    continue
            found[key] = FoundPlan(participant_id, answer_id, rows, path, answer.at)
    return sorted(found.values(), key=lambda p: (p.participant_id, p.plan_id)), problems


def plan_files_in_course(course_root: Path) -> list[tuple[str, Path]]:
    """(participant id, responses file) of every submission collected in an nbgrader course."""
    submitted = Path(course_root) / "submitted"
    return [(path.relative_to(submitted).parts[0], path)
            for path in _responses_files(submitted) if len(path.relative_to(submitted).parts) >= 3] \
        if submitted.is_dir() else []


def plan_files_in_folder(root: Path) -> tuple[list[tuple[str, Path]], list[str]]:
    """(participant id, responses file) under a folder of participants' folders, and the files left out."""
    root = Path(root)
    if not root.is_dir():
        raise InputDataError(label("error.plans_no_such_folder", folder=root))
    files, problems = [], []
    for path in _responses_files(root):
        participant_id = _participant_from_folder(root, path)
        if participant_id is None:
            problems.append(label("error.plans_outside_folder", file=path, root=root))
        else:
            files.append((participant_id, path))
    return files, problems


GATHER_COLUMNS = ("name", "organisation", "participant", "plan_id", "#", *PLAN_FIELDS)


def gather_plans(out: str | Path, *, course: str | Path | None = None, folders: Sequence[str | Path] = (),
                 roster: str | Path | None = None, form: str | None = None, plan: str | None = None,
                 language: Language = "en") -> GatheredPlans:
    """Gather every participant's action plan into one workbook, one sheet per stakeholder group.

    Plans come from the submissions of an nbgrader course (``course/submitted/<id>/<assignment>/``,
    when the Day 3 notebook is released and collected as an assignment) and/or from
    `folders` holding one folder per participant (``<folder>/<participant id>/**/*.responses.json``,
    e.g. the hub's home folders copied off the server). The roster (``--roster``, else the
    course's) gives each participant's name, organisation and stakeholder group;
    participants without a group, or not on the roster, go to the sheet ``(no group)``.

    Names appear here on purpose: an action plan is the participant's own work, which the
    facilitator hands back and follows up with them and their organisation. (The learning-gain
    report, by contrast, never shows a name.)

    Each sheet lists every row of every plan in its group: name, organisation,
    participant id, plan id, row number, then the seven fields (NAP area in words).
    A file or plan that cannot be read is named in ``problems`` and the rest is gathered.
    """
    from openpyxl import Workbook


    if course is None and not folders:
        raise InputDataError(label("error.plans_where_answers"))
    files: list[tuple[str, Path]] = []
    problems: list[str] = []
    people = {}
    if course is not None:
        opened = open_course(course)
        files += plan_files_in_course(opened.root)
        people = {p.participant_id: p for p in read_course_roster(opened)}
    for folder in folders:
        found_files, skipped = plan_files_in_folder(Path(folder))
        files += found_files
        problems += skipped
    if roster is not None:
        people = {p.participant_id: p for p in read_roster(Path(roster))}
    plans, found_problems = find_plans(files, form=form, plan=plan)
    problems += found_problems
    if not plans:
        which = "".join(" " + label(name, **{key: value}) for name, key, value in
                        (("error.plans_which_form", "form", form), ("error.plans_which_plan", "plan", plan)) if value)
        raise InputDataError(label("error.plans_none_found", which=which,
                                   why="; ".join(problems) or label("error.plans_check_options")))

    by_group: dict[str, list[FoundPlan]] = {}
    for found in plans:
        person = people.get(found.participant_id)
        group = person.stakeholder_group if person is not None and person.stakeholder_group else NO_GROUP
        by_group.setdefault(group, []).append(found)
    order = sorted(g for g in by_group if g != NO_GROUP) + ([NO_GROUP] if NO_GROUP in by_group else [])

    workbook = Workbook()
    workbook.remove(workbook.active)
    header = ["#" if column == "#" else label(f"plan_{column}", language) for column in GATHER_COLUMNS]
    result = GatheredPlans(out=Path(out), problems=problems)
    taken: set[str] = set()
    for group in order:
        sheet = workbook.create_sheet(sheet_name(group, taken))
        rows = []
        for found in by_group[group]:
            person = people.get(found.participant_id)
            who = [person.name if person else "", person.organisation if person else "", found.participant_id,
                   found.plan_id]
            rows += [[*who, number, *cells] for number, cells in enumerate(plan_cells(found.rows, language), start=1)]
        write_table(sheet, header, rows, widths=[24, 24, 12, 14, *(WIDTHS[c] for c in ("#", *PLAN_FIELDS))])
        result.sheets[sheet.title] = len(rows)
        result.participants[sheet.title] = sorted({f.participant_id for f in by_group[group]})
    write_atomically(out, text_only(workbook).save, mode=0o644)
    return result
