"""Action plans (Day 3): the rows a participant enters, their exports, and the facilitator's workbook.

A plan is what the :class:`~wpskit.widgets.plan.ActionPlan` widget saves in the responses
file (contract 2) under its id, e.g. ``"d3-04-my-plan"``: a list of rows, each an object
with exactly these keys, all strings (``""`` when not filled in yet)::

    [{"objective": "...", "activity": "...", "nap_area": "participation", "partners": "...",
      "timeline": "...", "indicator": "...", "resources": "..."}]

``nap_area`` is a code, the same in both languages: one of the four pillars of
resolution 1325 (2000) on which Viet Nam's NAP is built (``participation``,
``protection``, ``prevention``, ``relief-recovery``) or ``international-cooperation``,
the NAP's fifth area; ``""`` until one is chosen. Exports show it in the reader's language.

- :func:`plan_to_xlsx` and :func:`plan_to_html` write one participant's plan (the
  widget's "Download Excel" and "Printable page" buttons call them);
- :func:`gather_plans` (``wpskit plans gather``) puts every participant's plan into one
  workbook, one sheet per stakeholder group.

Pure Python, pandas-free and without ipywidgets: the widget, the CLI and tests share it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from wpskit.errors import InputDataError, WpskitError
from wpskit.files import write_atomically
from wpskit.language import Language
from wpskit.layout import open_course, read_course_roster
from wpskit.responses import SUFFIX, read_responses
from wpskit.roster import read_roster
from wpskit.spreadsheets import text_only
from wpskit.words import label

PLAN_FIELDS = ("objective", "activity", "nap_area", "partners", "timeline", "indicator", "resources")
NAP_AREAS = ("participation", "protection", "prevention", "relief-recovery", "international-cooperation")
NO_GROUP = "(no group)"


def empty_row() -> dict[str, str]:
    """A new row, every field blank."""
    return dict.fromkeys(PLAN_FIELDS, "")


def normalise_plan(value: Any, where: str = "plan") -> list[dict[str, str]]:
    """The plan in its saved form: a list of rows with every key of ``PLAN_FIELDS``.

    A missing key becomes ``""``; anything else that does not fit raises ``ValueError``
    saying which row and field (`where` names the plan in the message).

    >>> normalise_plan([{"objective": "Train 20 reporters", "nap_area": "prevention"}])[0]["activity"]
    ''
    >>> normalise_plan([{"objective": 3}])
    Traceback (most recent call last):
    ...
    ValueError: plan, row 1: 'objective' is 3, not text
    """
    if not isinstance(value, list):
        raise ValueError(f"{where}: a plan is a list of rows, not {type(value).__name__}")
    rows = []
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            raise ValueError(f"{where}, row {number}: a row is an object with the fields {', '.join(PLAN_FIELDS)}")
        unknown = sorted(set(row) - set(PLAN_FIELDS))
        if unknown:
            raise ValueError(f"{where}, row {number}: unknown fields {unknown}; a row has {', '.join(PLAN_FIELDS)}")
        clean = empty_row()
        for name, text in row.items():
            if text is None:
                continue
            if not isinstance(text, str):
                raise ValueError(f"{where}, row {number}: {name!r} is {text!r}, not text")
            clean[name] = text
        if clean["nap_area"] not in ("", *NAP_AREAS):
            raise ValueError(f"{where}, row {number}: nap_area {clean['nap_area']!r} is not one of {', '.join(NAP_AREAS)}")
        rows.append(clean)
    return rows


def nap_area_label(code: str, language: Language) -> str:
    """The NAP area in words (``""`` for none chosen)."""
    return label("nap_" + code.replace("-", "_"), language) if code else ""


def column_titles(language: Language) -> list[str]:
    """The column titles of a plan, in ``PLAN_FIELDS`` order."""
    return [label(f"plan_{name}", language) for name in PLAN_FIELDS]


def plan_cells(rows: Sequence[dict[str, str]], language: Language) -> list[list[str]]:
    """The rows as the reader sees them: one list of texts per row, NAP area in words."""
    return [[nap_area_label(row[name], language) if name == "nap_area" else row[name] for name in PLAN_FIELDS]
            for row in normalise_plan(list(rows))]


# -- one participant's plan -----------------------------------------------------------

TABLE_STYLE = """
table.wpskit-plan { border-collapse: collapse; width: 100%; table-layout: auto; }
table.wpskit-plan th, table.wpskit-plan td { border: 1px solid #b8bfc9; padding: 0.35em 0.5em; text-align: left;
  vertical-align: top; white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal; }
table.wpskit-plan th { background: #eef2f7; }
table.wpskit-plan td.wpskit-plan-number { text-align: right; white-space: nowrap; }
@media (max-width: 640px) {
  table.wpskit-plan thead { display: none; }
  table.wpskit-plan, table.wpskit-plan tbody, table.wpskit-plan tr, table.wpskit-plan td { display: block; width: 100%; box-sizing: border-box; }
  table.wpskit-plan tr { margin-bottom: 0.8em; border: 1px solid #b8bfc9; }
  table.wpskit-plan td { border: none; border-bottom: 1px solid #e3e7ee; }
  table.wpskit-plan td::before { content: attr(data-label); display: block; font-weight: bold; }
  table.wpskit-plan td.wpskit-plan-number { text-align: left; }
}
"""


def plan_table_html(rows: Sequence[dict[str, str]], language: Language) -> str:
    """The plan as an HTML ``<table class="wpskit-plan">`` (no style): every text escaped.

    At phone width (the ``@media`` rule of ``TABLE_STYLE``) each row becomes a card with
    the column titles as labels, so nothing scrolls sideways.
    """
    titles = column_titles(language)
    head = "".join(f"<th scope='col'>{html.escape(title)}</th>" for title in ["#", *titles])
    body = []
    for number, cells in enumerate(plan_cells(rows, language), start=1):
        tds = [f"<td class='wpskit-plan-number' data-label='#'>{number}</td>"]
        tds += [f"<td data-label='{html.escape(title, quote=True)}'>{html.escape(text)}</td>"
                for title, text in zip(titles, cells)]
        body.append("<tr>" + "".join(tds) + "</tr>")
    return f"<table class='wpskit-plan'><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1d1d1d; margin: 1.5em auto;
  max-width: 80em; padding: 0 1em; line-height: 1.4; }}
h1 {{ font-size: 1.5em; margin: 0 0 0.2em 0; }} p.meta {{ color: #555; margin: 0 0 1em 0; }}
{style}
@page {{ size: A4 landscape; margin: 12mm; }}
@media print {{ body {{ margin: 0; max-width: none; }} tr {{ page-break-inside: avoid; }} }}
</style>
</head>
<body>
<h1>{title}</h1>
<p class="meta">{printed}</p>
{table}
</body>
</html>
"""


def plan_page(rows: Sequence[dict[str, str]], language: Language, title: str) -> str:
    """A printable, self-contained HTML page of the plan (no script, nothing fetched)."""
    printed = label("plan_printed", language, date=dt.date.today().isoformat())
    return PAGE.format(lang=language, title=html.escape(title), printed=html.escape(printed), style=TABLE_STYLE,
                       table=plan_table_html(rows, language))


def plan_to_html(rows: Sequence[dict[str, str]], path: str | Path, language: Language = "en",
                 title: str | None = None) -> Path:
    """Write the printable page of one plan (UTF-8) to `path`, atomically; returns the path."""
    page = plan_page(rows, language, title or label("plan_title", language))
    return write_atomically(path, page, mode=0o644)


def plan_to_xlsx(rows: Sequence[dict[str, str]], path: str | Path, language: Language = "en",
                 title: str | None = None) -> Path:
    """Write one plan as an Excel workbook to `path`, atomically; returns the path.

    One sheet: row 1 the column titles (# and the seven fields, in `language`), then one
    row per action in the plan's order, NAP area in words. `title` goes in the printed
    page header.
    """
    from openpyxl import Workbook

    cells = plan_cells(rows, language)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_name(label("plan_title", language), set())
    _table(sheet, ["#", *column_titles(language)], [[number, *row] for number, row in enumerate(cells, start=1)])
    sheet.oddHeader.center.text = title or label("plan_title", language)
    return write_atomically(path, text_only(workbook).save, mode=0o644)


WIDTHS = {"#": 5, "objective": 30, "activity": 40, "nap_area": 22, "partners": 25, "timeline": 16, "indicator": 30,
          "resources": 30}


def _table(sheet, header: list[str], rows: Iterable[list[Any]], widths: Sequence[float] | None = None) -> None:
    """Header in bold, frozen, filterable; text wraps; columns wide enough to read."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = wrap
    widths = widths or [WIDTHS["#"], *(WIDTHS[name] for name in PLAN_FIELDS)]
    for number, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1


_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    base = _SHEET_FORBIDDEN.sub("-", name).strip("'") or "-"
    candidate, counter = base[:31], 2
    while candidate.lower() in taken:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    taken.add(candidate.lower())
    return candidate


# -- gathering every participant's plan ----------------------------------------------


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
            problems.append(f"{error}; skipped")
            continue
        if form is not None and responses.form != form:
            continue
        for answer_id, answer in responses.answers.items():
            if plan is not None and answer_id != plan:
                continue
            if plan is None and not _is_plan(answer.value):
                continue
            try:
                rows = [row for row in normalise_plan(answer.value, where=f"{path}: plan '{answer_id}'")
                        if any(text.strip() for text in row.values())]
            except ValueError as error:
                problems.append(f"{error}; this plan was skipped")
                continue
            if not rows:
                problems.append(f"{participant_id}: plan '{answer_id}' is empty (no action written); not gathered")
                continue
            key = (participant_id, answer_id)
            previous = found.get(key)
            if previous is not None:
                older = path if previous.at >= answer.at else previous.path
                problems.append(f"{participant_id}: plan '{answer_id}' is in {previous.path} and {path}; "
                                f"kept the one saved last, not {older}")
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
        raise InputDataError(f"{root}: no such folder")
    files, problems = [], []
    for path in _responses_files(root):
        participant_id = _participant_from_folder(root, path)
        if participant_id is None:
            problems.append(f"{path}: not inside a participant's folder ({root}/<participant id>/...); skipped")
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
        raise InputDataError("give --course DIR and/or --from DIR: where the participants' answers are")
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
        raise InputDataError("no action plan found" + (f" (form {form!r})" if form else "")
                             + (f" (plan {plan!r})" if plan else "") + "; "
                             + ("; ".join(problems) if problems else "check --course / --from and --form"))

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
        sheet = workbook.create_sheet(_sheet_name(group, taken))
        rows = []
        for found in by_group[group]:
            person = people.get(found.participant_id)
            who = [person.name if person else "", person.organisation if person else "", found.participant_id,
                   found.plan_id]
            rows += [[*who, number, *cells] for number, cells in enumerate(plan_cells(found.rows, language), start=1)]
        _table(sheet, header, rows, widths=[24, 24, 12, 14, *(WIDTHS[c] for c in ("#", *PLAN_FIELDS))])
        result.sheets[sheet.title] = len(rows)
        result.participants[sheet.title] = sorted({f.participant_id for f in by_group[group]})
    write_atomically(out, text_only(workbook).save, mode=0o644)
    return result
