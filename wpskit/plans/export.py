"""One participant's plan as a printable page or an Excel workbook (the widget's download buttons)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any, Iterable, Sequence

from wpskit.files import write_atomically
from wpskit.language import Language
from wpskit.pages import render
from wpskit.plans.rows import PLAN_FIELDS, column_titles, plan_cells
from wpskit.spreadsheets import text_only
from wpskit.words import label

# The table's style, also shown inside the widget: at phone width each row becomes a card.
TABLE_STYLE = render("plan_table.css")


def plan_table_html(rows: Sequence[dict[str, str]], language: Language) -> str:
    """The plan as an HTML ``<table class="wpskit-plan">`` (no style): every text escaped.

    At phone width (the ``@media`` rule of ``TABLE_STYLE``) each row becomes a card with
    the column titles as labels, so nothing scrolls sideways.
    """
    return render("plan_table.html.j2", titles=column_titles(language), rows=plan_cells(rows, language))


def plan_page(rows: Sequence[dict[str, str]], language: Language, title: str) -> str:
    """A printable, self-contained HTML page of the plan (no script, nothing fetched)."""
    printed = label("plan_printed", language, date=dt.date.today().isoformat())
    return render("plan.html.j2", language=language, title=title, printed=printed,
                  titles=column_titles(language), rows=plan_cells(rows, language))


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
    sheet.title = sheet_name(label("plan_title", language), set())
    write_table(sheet, ["#", *column_titles(language)], [[number, *row] for number, row in enumerate(cells, start=1)])
    sheet.oddHeader.center.text = title or label("plan_title", language)
    return write_atomically(path, text_only(workbook).save, mode=0o644)


WIDTHS = {"#": 5, "objective": 30, "activity": 40, "nap_area": 22, "partners": 25, "timeline": 16, "indicator": 30,
          "resources": 30}


def write_table(sheet, header: list[str], rows: Iterable[list[Any]], widths: Sequence[float] | None = None) -> None:
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


def sheet_name(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique (case-insensitively)."""
    base = _SHEET_FORBIDDEN.sub("-", name).strip("'") or "-"
    candidate, counter = base[:31], 2
    while candidate.lower() in taken:
        suffix = f" ({counter})"
        candidate, counter = base[: 31 - len(suffix)] + suffix, counter + 1
    taken.add(candidate.lower())
    return candidate
