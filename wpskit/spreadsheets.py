"""Spreadsheets that cannot run participant text.

openpyxl stores any string starting with ``=`` as a formula, so an action-plan cell
``=HYPERLINK("http://…"&A1, "Click")`` or a roster's group name would run in Excel or
LibreOffice when a facilitator opens the file. wpskit never writes a formula on purpose:
``text_only`` turns every such cell back into plain text just before a workbook is
saved, and every XLSX wpskit writes passes through it. CSVs meant for spreadsheets use
``wpskit.answers.spreadsheet_safe`` instead (a ``'`` in front, which import removes).
"""

from __future__ import annotations

from typing import Any


def text_only(workbook: Any) -> Any:
    """Store every cell of an openpyxl workbook that would be a formula as the text it is; returns the workbook."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return workbook
