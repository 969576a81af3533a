"""Action plans without a kernel: the saved form, the XLSX and HTML exports, and `wpskit plans gather`."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from wpskit.cli import app
from wpskit.course import import_roster
from wpskit.errors import InputDataError
from wpskit.plans import PLAN_FIELDS, find_plans, gather_plans, normalise_plan, plan_to_html, plan_to_xlsx

AT = "2024-11-28T09:00:00Z"
ROWS = [
    {"objective": "Tăng số phụ nữ tham gia ủy ban phòng chống thiên tai ở xã", "activity": "Tập huấn 2 ngày; đối thoại",
     "nap_area": "participation", "partners": "Hội LHPN tỉnh, UBND xã", "timeline": "Quý 1/2025",
     "indicator": "% thành viên ủy ban là nữ", "resources": "30 triệu đồng"},
    {"objective": "Media guide on reporting gender-based violence", "activity": "Write and test the guide",
     "nap_area": "prevention", "partners": "Journalists' association", "timeline": "2025",
     "indicator": "Newsrooms using the guide", "resources": "Editor, printing"},
    {"objective": "Hỗ trợ phụ nữ sau lũ", "activity": "", "nap_area": "", "partners": "", "timeline": "",
     "indicator": "", "resources": ""},
]
VI_AREAS = {"participation": "Sự tham gia", "prevention": "Phòng ngừa", "": None}
VI_TITLES = ["#", "Mục tiêu", "Hoạt động", "Lĩnh vực của Chương trình hành động quốc gia", "Đối tác",
             "Thời gian thực hiện", "Chỉ số", "Nguồn lực cần có"]


def as_shown(rows, areas):
    return [[number, *((areas[row[f]] if f == "nap_area" else row[f] or None) for f in PLAN_FIELDS)]
            for number, row in enumerate(rows, start=1)]


def test_a_plan_is_normalised_to_every_field_and_refuses_what_does_not_fit():
    assert normalise_plan([{"objective": "x"}]) == [{**dict.fromkeys(PLAN_FIELDS, ""), "objective": "x"}]
    with pytest.raises(ValueError, match="row 2: unknown fields \\['budget'\\]"):
        normalise_plan([{"objective": "x"}, {"budget": "5"}])
    with pytest.raises(ValueError, match="row 1: nap_area 'peace' is not one of"):
        normalise_plan([{"nap_area": "peace"}])
    with pytest.raises(ValueError, match="row 1: a row is an object"):
        normalise_plan(["objective"])
    with pytest.raises(ValueError, match="a plan is a list of rows"):
        normalise_plan({"objective": "x"})


def test_xlsx_export_has_the_same_rows_in_vietnamese(tmp_path):
    path = plan_to_xlsx(ROWS, tmp_path / "plan.xlsx", "vi", title="Kế hoạch của Hội LHPN")
    sheet = openpyxl.load_workbook(path).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert sheet.title == "Kế hoạch hành động"
    assert values[0] == VI_TITLES
    assert values[1:] == as_shown(ROWS, VI_AREAS)
    assert "Kế hoạch của Hội LHPN" in sheet.oddHeader.center.text


class Cells(HTMLParser):
    """The text of every <th> and <td>, row by row."""

    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = ""

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(self._cell)
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data


def test_html_export_is_printable_self_contained_and_has_the_same_rows(tmp_path):
    path = plan_to_html(ROWS, tmp_path / "plan.html", "vi", title="Kế hoạch của Hội LHPN <b>")
    page = path.read_text(encoding="utf-8")
    parser = Cells()
    parser.feed(page)
    assert parser.rows[0] == VI_TITLES
    expected = [[str(n), *("" if v is None else v for v in rest)] for n, *rest in as_shown(ROWS, VI_AREAS)]
    assert parser.rows[1:] == expected
    assert '<meta charset="utf-8">' in page and '<html lang="vi">' in page and "@media print" in page
    assert "Kế hoạch của Hội LHPN &lt;b&gt;" in page  # a title is text, never markup
    for outside in ("<script", "src=", "http://", "https://", "monospace"):
        assert outside not in page


def responses(form: str, answers: dict) -> str:
    return json.dumps({"schema": 1, "form": form, "language": "vi", "updated": AT,
                       "answers": {k: {"value": v, "at": AT} for k, v in answers.items()}}, ensure_ascii=False)


ROSTER = (
    "participant_id,name,gender,stakeholder_group,organisation\n"
    "hn-01,Nguyễn Thị Hương,female,CSO,Hội LHPN Hà Nội\n"
    "hn-02,Trần Văn Nam,male,media,Báo Tuổi Trẻ\n"
    "hn-03,Lê Thị Mai,female,CSO,CARE\n"
    "hn-04,Phạm Minh Đức,male,academia,Học viện Ngoại giao\n"
)


def homes(root: Path) -> Path:
    """The hub's home folders copied off the server: one folder per participant, notebooks below."""
    plans = {"hn-01": ROWS[:2], "jupyter-hn-02": ROWS[1:], "hn-03": ROWS[2:], "hn-09": ROWS[:1]}
    for folder, rows in plans.items():
        day3 = root / folder / "modules" / "day3-roles"
        day3.mkdir(parents=True)
        (day3 / "d3-action-plan.responses.json").write_text(
            responses("d3-action-plan", {"d3-my-plan": rows, "d3-conf": 4, "d3-scenario": ["a", "b"]}), encoding="utf-8")
        (day3 / "other.responses.json").write_text(responses("other", {"q": "b"}), encoding="utf-8")
    broken = root / "hn-04" / "modules" / "day3-roles"
    broken.mkdir(parents=True)
    (broken / "d3-action-plan.responses.json").write_text(
        responses("d3-action-plan", {"d3-my-plan": [{"objective": "x", "nap_area": "peace"}]}), encoding="utf-8")
    return root


def sheet_rows(path: Path) -> dict[str, list[list]]:
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def test_plans_gather_from_home_folders_one_sheet_per_group_and_names_the_bad_file(tmp_path):
    root = homes(tmp_path / "homes")
    roster = write_csv(tmp_path / "roster.csv", ROSTER)
    result = CliRunner().invoke(app, ["plans", "gather", "--from", str(root), "--roster", str(roster),
                                      "--out", str(tmp_path / "plans.xlsx"), "--form", "d3-action-plan"])
    assert result.exit_code == 0, result.output
    assert "hn-04" in result.output and "nap_area 'peace'" in result.output and "warning" in result.output
    sheets = sheet_rows(tmp_path / "plans.xlsx")
    assert list(sheets) == ["CSO", "media", "(no group)"]  # hn-04 (academia) was skipped; hn-09 is not on the roster
    header = sheets["CSO"][0]
    assert header[:5] == ["Name", "Organisation", "Participant id", "Plan", "#"] and header[5] == "Objective"
    cso = sheets["CSO"][1:]
    assert [(r[0], r[2], r[4], r[5]) for r in cso] == [
        ("Nguyễn Thị Hương", "hn-01", 1, ROWS[0]["objective"]), ("Nguyễn Thị Hương", "hn-01", 2, ROWS[1]["objective"]),
        ("Lê Thị Mai", "hn-03", 1, ROWS[2]["objective"])]
    assert cso[0][7] == "Participation" and cso[0][1] == "Hội LHPN Hà Nội"
    assert [(r[2], r[5]) for r in sheets["media"][1:]] == [("hn-02", ROWS[1]["objective"]), ("hn-02", ROWS[2]["objective"])]
    assert [(r[0], r[2]) for r in sheets["(no group)"][1:]] == [(None, "hn-09")]
    assert "Gathered the plans of 4 participants" in result.output


def test_plans_gather_from_a_course_uses_its_roster(course, tmp_path):
    import_roster(course.root, write_csv(tmp_path / "roster.csv", ROSTER))
    for pid, rows in {"hn-01": ROWS[:1], "hn-02": ROWS[1:2], "hn-03": ROWS}.items():
        folder = course.root / "submitted" / pid / "day3"
        folder.mkdir(parents=True)
        (folder / "d3-action-plan.responses.json").write_text(
            responses("d3-action-plan", {"d3-my-plan": rows}), encoding="utf-8")
    result = gather_plans(tmp_path / "out" / "plans.xlsx", course=course.root, language="vi")
    assert result.problems == []
    assert result.sheets == {"CSO": 4, "media": 1}
    assert result.participants == {"CSO": ["hn-01", "hn-03"], "media": ["hn-02"]}
    sheets = sheet_rows(tmp_path / "out" / "plans.xlsx")
    assert sheets["CSO"][0][:2] == ["Họ và tên", "Tổ chức"] and sheets["CSO"][1][7] == "Sự tham gia"


def test_an_unreadable_file_is_named_and_the_rest_is_gathered(tmp_path):
    good, bad = tmp_path / "a.responses.json", tmp_path / "b.responses.json"
    good.write_text(responses("d3", {"plan": ROWS[:1]}), encoding="utf-8")
    bad.write_text('{"schema": 1, "answers": ', encoding="utf-8")
    plans, problems = find_plans([("hn-01", good), ("hn-02", bad)])
    assert [(p.participant_id, p.plan_id, len(p.rows)) for p in plans] == [("hn-01", "plan", 1)]
    assert len(problems) == 1 and str(bad) in problems[0] and "not valid JSON" in problems[0]


def test_two_copies_of_a_plan_keep_the_one_saved_last(tmp_path):
    old, new = tmp_path / "old.responses.json", tmp_path / "new.responses.json"
    old.write_text(responses("d3", {"plan": ROWS[:1]}).replace(AT, "2024-11-27T09:00:00Z"), encoding="utf-8")
    new.write_text(responses("d3", {"plan": ROWS[1:]}), encoding="utf-8")
    for order in ([old, new], [new, old]):
        plans, problems = find_plans([("hn-01", path) for path in order])
        assert [p.path for p in plans] == [new] and "kept the one saved last" in problems[0]


def test_nothing_to_gather_is_a_clear_error(tmp_path):
    (tmp_path / "hn-01").mkdir()
    with pytest.raises(InputDataError, match="no action plan found"):
        gather_plans(tmp_path / "plans.xlsx", folders=[tmp_path])
    with pytest.raises(InputDataError, match="--course DIR and/or --from DIR"):
        gather_plans(tmp_path / "plans.xlsx")


def test_an_empty_plan_or_blank_row_is_not_gathered(tmp_path):
    blank = {field: "" for field in PLAN_FIELDS}
    files = []
    for participant_id, value in (("hn-01", [*ROWS[:1], blank]), ("hn-02", []), ("hn-03", [blank, blank])):
        path = tmp_path / f"{participant_id}.responses.json"
        path.write_text(responses("d3", {"plan": value}), encoding="utf-8")
        files.append((participant_id, path))
    plans, problems = find_plans(files, plan="plan")
    assert [(p.participant_id, len(p.rows)) for p in plans] == [("hn-01", 1)]
    assert problems == [f"{who}: plan 'plan' is empty (no action written); not gathered" for who in ("hn-02", "hn-03")]


@pytest.mark.slow
def test_the_day3_notebook_is_released_submitted_and_collected_as_an_assignment_and_its_plans_gathered(tmp_path):
    """As action-plans.md says: build, release day3-04-action-plan, participants fetch and submit
    through nbgrader's real exchange, collect, gather from the course."""
    from tests.conftest import REPO
    from tests.test_facilitator_flow import participant, wpskit
    from wpskit.responses import ResponseStore

    course = tmp_path / "course"
    built = wpskit("course", "build", "--dir", str(course), "--assessments", str(REPO / "assessments"))
    assert "day3-04-action-plan" in built
    wpskit("roster", "import", str(write_csv(tmp_path / "roster.csv", ROSTER)), "--dir", str(course))
    wpskit("release", "day3-04-action-plan", "--dir", str(course))
    for participant_id, plan in (("hn-01", ROWS[:2]), ("hn-02", [])):
        home = tmp_path / "home" / participant_id
        home.mkdir(parents=True)
        participant(home, participant_id, course, "fetch_assignment", "day3-04-action-plan")
        fetched = home / "day3-04-action-plan"
        assert sorted(p.name for p in fetched.glob("*.ipynb")) == ["04-resources-action-plan.ipynb",
                                                                   "04-resources-action-plan.vi.ipynb"]
        ResponseStore("day3-04-action-plan", directory=fetched).save("d3-04-my-plan", plan, language="vi")
        participant(home, participant_id, course, "submit", "day3-04-action-plan", f"--student={participant_id}")
    assert "2 submissions" in wpskit("collect", "day3-04-action-plan", "--dir", str(course))
    result = CliRunner().invoke(app, ["plans", "gather", "--course", str(course), "--out", str(tmp_path / "plans.xlsx"),
                                      "--form", "day3-04-action-plan", "--plan", "d3-04-my-plan"])
    assert result.exit_code == 0, result.output
    assert "hn-02: plan 'd3-04-my-plan' is empty" in result.output
    assert "Gathered the plans of 1 participants" in result.output
    sheets = sheet_rows(tmp_path / "plans.xlsx")
    assert [row[2] for rows in sheets.values() for row in rows[1:]] == ["hn-01", "hn-01"]
