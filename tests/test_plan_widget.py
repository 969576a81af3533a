"""The action-plan builder driven through its controls, as clicks and typing would, with no browser;
and its plan read back by a fresh kernel."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import nbformat
import openpyxl
import pytest
from nbclient import NotebookClient

import wpskit
from wpskit.errors import ItemBankError
from wpskit.language import use_language
from wpskit.plans import PLAN_FIELDS
from wpskit.widgets import ActionPlan, Exercises
from wpskit.responses import read_responses

AT = "2024-11-28T09:00:00Z"


@pytest.fixture(autouse=True)
def english():
    use_language("en")
    yield
    use_language("en")


def fill(plan: ActionPlan, **fields: str) -> None:
    for name, value in fields.items():
        plan.fields[name].value = value


FIRST = {"objective": "Tăng số phụ nữ trong ủy ban phòng chống thiên tai", "activity": "Tập huấn\nĐối thoại chính sách",
         "nap_area": "participation", "partners": "Hội LHPN", "timeline": "Quý 1/2025",
         "indicator": "% nữ trong ủy ban", "resources": "30 triệu đồng"}
SECOND = {**dict.fromkeys(PLAN_FIELDS, ""), "objective": "Radio show on the NAP", "nap_area": "international-cooperation"}


def two_rows(tmp_path: Path) -> tuple[Exercises, ActionPlan]:
    ex = Exercises("d3-action-plan", tmp_path, clock=lambda: AT)
    plan = ex.action_plan("d3-my-plan", show=False)
    plan.add_button.click()
    fill(plan, **FIRST)
    plan.add_button.click()
    fill(plan, objective=SECOND["objective"], nap_area=SECOND["nap_area"])
    return ex, plan


def test_rows_typed_into_the_fields_are_saved_exactly(tmp_path):
    ex, plan = two_rows(tmp_path)
    saved = json.loads((tmp_path / "d3-action-plan.responses.json").read_text(encoding="utf-8"))
    assert saved == {"schema": 1, "form": "d3-action-plan", "language": "en",
                     "answers": {"d3-my-plan": {"value": [FIRST, SECOND], "at": AT}}, "updated": AT}
    assert plan.selected == 1 and plan.row_picker.value == 1
    assert [label for label, _ in plan.row_picker.options] == [f"Action 1: {FIRST['objective']}",
                                                               "Action 2: Radio show on the NAP"]
    assert ex.score() == (0, 0, 0, 0)  # a plan is never scored


def test_picking_a_row_edits_that_row(tmp_path):
    _, plan = two_rows(tmp_path)
    plan.row_picker.value = 0
    assert plan.fields["objective"].value == FIRST["objective"] and plan.fields["nap_area"].value == "participation"
    plan.fields["timeline"].value = "Quý 2/2025"
    assert read_responses(plan.store.path).value("d3-my-plan")[0]["timeline"] == "Quý 2/2025"
    assert read_responses(plan.store.path).value("d3-my-plan")[1] == SECOND


def test_move_buttons_reorder_and_the_selection_follows(tmp_path):
    _, plan = two_rows(tmp_path)
    assert plan.down_button.disabled and not plan.up_button.disabled
    plan.up_button.click()
    assert [r["objective"] for r in read_responses(plan.store.path).value("d3-my-plan")] == [
        SECOND["objective"], FIRST["objective"]]
    assert plan.selected == 0 and plan.fields["objective"].value == SECOND["objective"] and plan.up_button.disabled
    plan.down_button.click()
    assert [r["objective"] for r in plan.value] == [FIRST["objective"], SECOND["objective"]]


def test_delete_saves_at_once_and_undo_puts_the_row_back(tmp_path):
    _, plan = two_rows(tmp_path)
    plan.row_picker.value = 0
    plan.delete_button.click()
    assert read_responses(plan.store.path).value("d3-my-plan") == [SECOND]
    assert plan._undo_box.layout.display is None and "Action 1 was deleted." in plan._undo_text.value
    plan.undo_button.click()
    assert read_responses(plan.store.path).value("d3-my-plan") == [FIRST, SECOND]
    assert plan.selected == 0 and plan._undo_box.layout.display == "none"
    plan.delete_button.click()
    plan.delete_button.click()
    assert plan.value == [] and plan.selected is None and plan._editor.layout.display == "none"
    assert "Add an action" in plan._empty.value and plan.xlsx_button.disabled


def test_the_table_follows_every_change_and_escapes_text(tmp_path):
    _, plan = two_rows(tmp_path)
    plan.fields["partners"].value = "<script>alert(1)</script>"
    table = plan.table.value
    assert table.count("<tr>") == 3 and "Radio show on the NAP" in table and "International cooperation" in table
    assert "<script>" not in table and "&lt;script&gt;" in table
    assert "max-width: 640px" in table  # rows become cards at phone width


def test_labels_and_nap_areas_follow_the_language(tmp_path):
    _, plan = two_rows(tmp_path)
    wpskit.use_language("vi")
    assert plan.add_button.description == "Thêm hành động" and plan.xlsx_button.description == "Tải Excel"
    assert plan.html_button.description == "Trang in"
    assert [label for label, _ in plan.fields["nap_area"].options] == [
        "— chọn —", "Sự tham gia", "Bảo vệ", "Phòng ngừa", "Cứu trợ và phục hồi", "Hợp tác quốc tế"]
    assert plan.fields["nap_area"].value == "international-cooperation"  # relabelling keeps the choice
    assert "Hợp tác quốc tế" in plan.table.value and "Mục tiêu" in plan.table.value
    assert plan.fields["objective"].description == "Mục tiêu"  # the accessible name


def test_download_buttons_write_files_next_to_the_notebook_with_a_link(tmp_path):
    _, plan = two_rows(tmp_path)
    plan.xlsx_button.click()
    plan.html_button.click()
    xlsx, page = tmp_path / "d3-my-plan.xlsx", tmp_path / "d3-my-plan.html"
    rows = [list(r) for r in openpyxl.load_workbook(xlsx).active.iter_rows(values_only=True)]
    assert [r[1] for r in rows[1:]] == [FIRST["objective"], SECOND["objective"]]
    assert "Tăng số phụ nữ trong ủy ban phòng chống thiên tai" in page.read_text(encoding="utf-8")
    links = re.findall(r'<a download="([^"]+)" href="data:([^;]+);base64,([^"]+)"', plan.links.value)
    assert [(name, kind) for name, kind, _ in links] == [
        ("d3-my-plan.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("d3-my-plan.html", "text/html")]
    assert base64.b64decode(links[0][2]) == xlsx.read_bytes()
    plan.fields["objective"].value = "changed"
    assert plan.links.value == ""  # a link to the old plan is withdrawn


def test_a_plan_id_must_be_a_slug(tmp_path):
    with pytest.raises(ItemBankError, match="plan id"):
        Exercises("d3", tmp_path).action_plan("My plan", show=False)


def test_a_saved_plan_that_no_longer_fits_starts_blank(tmp_path):
    (tmp_path / "d3.responses.json").write_text(json.dumps(
        {"schema": 1, "form": "d3", "language": "en", "updated": AT,
         "answers": {"d3-my-plan": {"value": [{"objective": 1}], "at": AT}}}), encoding="utf-8")
    plan = Exercises("d3", tmp_path).action_plan("d3-my-plan", show=False)
    assert plan.value is None and plan.selected is None


TYPE_A_PLAN = f"""
plan = ex.widget("d3-my-plan")
plan.add_button.click()
for name, value in {FIRST!r}.items():
    plan.fields[name].value = value
plan.add_button.click()
plan.fields["objective"].value = {SECOND['objective']!r}
plan.fields["nap_area"].value = {SECOND['nap_area']!r}
plan.up_button.click()
"""
READ_BACK = """
import json
plan = ex.widget("d3-my-plan")
print(json.dumps({"value": plan.value, "selected": plan.selected, "field": plan.fields["objective"].value,
                  "rows": plan.table.value.count("<tr>")}, ensure_ascii=False))
"""


def run_in_fresh_kernel(directory: Path, extra: str) -> str:
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import wpskit\nwpskit.use_language('vi')\nfrom wpskit.widgets import Exercises\n"
                                  "ex = Exercises('d3-action-plan')\nex.action_plan('d3-my-plan');"),
        nbformat.v4.new_code_cell(extra),
    ])
    NotebookClient(notebook, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(directory)}}).execute()
    outputs = notebook.cells[-1].outputs
    assert not [o for o in outputs if o.output_type == "error"], outputs
    return "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stdout")


@pytest.mark.slow
def test_a_plan_survives_a_kernel_restart(tmp_path):
    run_in_fresh_kernel(tmp_path, TYPE_A_PLAN)
    shown = json.loads(run_in_fresh_kernel(tmp_path, READ_BACK))
    assert shown == {"value": [SECOND, FIRST], "selected": 0, "field": SECOND["objective"], "rows": 3}
    assert read_responses(tmp_path / "d3-action-plan.responses.json").language == "vi"
