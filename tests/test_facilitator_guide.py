"""The facilitator's day played from the guide itself (`facilitator_guide/the-day.md`).

Every `$ wpskit ...` line of the guide's fenced blocks is run, in the guide's order, through the CLI in a
fresh workshop folder (the real item bank and modules), so guide and code cannot drift: a command the CLI
does not know, or one that fails, fails this test naming the guide's line. Between the commands the eight
participants act as in the room: six answer online (their answers file written with ``wpskit.responses``, the
submission placed in nbgrader's exchange as ``nbgrader submit`` leaves it), one through nbgrader's real
fetch and submit, one on paper (a row typed into the answer sheet `wpskit paper` wrote); one online
answers file is truncated. Then the gradebook, the export and the report are checked against a hand
count made here from the answers given.

Lines run as root on the workshop hub (`sudo ... wpskit hub users`) are not run: they create Unix users
and are tested with a real hub in tests/test_hub_room.py. Any other `sudo` line fails the test.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shlex
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from tests.test_facilitator_flow import fetch_answer_submit
from wpskit.cli import app
from wpskit.items import Item, load_item_bank
from wpskit.files import write_atomically
from wpskit.responses import SUFFIX, Answer, Responses, ResponseStore, utc_now

GUIDE = REPO / "facilitator_guide" / "the-day.md"
ROOT_ONLY = {
    "sudo .venv/bin/wpskit hub users roster.csv --facilitator lan": "creates Unix users (root); tests/test_hub_room.py",
    "sudo .venv/bin/wpskit hub users --remove": "removes Unix users (root); tests/test_hub_room.py",
}
ROSTER = """participant_id,name,gender,stakeholder_group
hn-01,Nguyễn Thị Hương,nữ,CSO
hn-02,Trần Văn Nam,nam,media
hn-03,Lê Thị Mai,nữ,academia
hn-04,Phạm Minh Đức,nam,CSO
hn-05,Hoàng Thị Lan,nữ,media
hn-06,Vũ Văn Hải,nam,academia
hn-07,Đỗ Thị Thu,nữ,CSO
hn-08,Bùi Văn Long,nam,media
"""
ONLINE = ["hn-01", "hn-02", "hn-03", "hn-04", "hn-05", "hn-06"]
THROUGH_NBGRADER, ON_PAPER, DAMAGED = "hn-07", "hn-08", "hn-06"
PARTICIPANTS = [*ONLINE, THROUGH_NBGRADER, ON_PAPER]
BANK = load_item_bank(REPO / "assessments")


def guide_commands(path: Path = GUIDE) -> list[tuple[int, str]]:
    """(line number, command) of every `$ ` line inside the guide's fenced blocks, in order."""
    commands, fenced = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip().startswith("```"):
            fenced = not fenced
        elif fenced and line.strip().startswith("$ "):
            commands.append((number, line.strip()[2:]))
    return commands


def is_right(form: str, participant_index: int, item_index: int) -> bool:
    """Who answers what right: about 2 in 3 on the pre-test, 4 in 5 on the post-test."""
    return (item_index + participant_index) % (3 if form == "pre" else 5) != 0


def answer(item: Item, right: bool):
    """An answer worth all of the item's points, or none of them (no partial credit to count)."""
    key = item.key
    if item.type == "single":
        return key if right else next(option for option in item.options if option != key)
    if item.type == "truefalse":
        return str(key).lower() if right else {"true": "false", "false": "true"}[str(key).lower()]
    if item.type == "multi":
        return sorted(key) if right else sorted(set(item.options) - set(key))
    if item.type == "order":
        return list(key) if right else list(reversed(key))
    if item.type == "match":
        targets = [str(key[option]) for option in key]
        return dict(zip(key, targets if right else targets[1:] + targets[:1]))
    if item.type == "text":
        return (key[0] if isinstance(key, list) else key) if right else "Không biết"
    return "Tổ chức một buổi truyền thông ở xã về Chương trình hành động quốc gia."


def answers_of(form: str, participant_id: str) -> dict:
    index = PARTICIPANTS.index(participant_id)
    return {item.id: answer(item, is_right(form, index, number)) for number, item in enumerate(BANK.form_items(form))}


def hand_count_pct(form: str, participant_id: str) -> float:
    """Auto-scored points earned over their maximum (written answers wait for formgrader, left out)."""
    index = PARTICIPANTS.index(participant_id)
    items = [(number, item) for number, item in enumerate(BANK.form_items(form)) if item.type != "written"]
    earned = sum(item.points for number, item in items if is_right(form, index, number))
    return 100 * earned / sum(item.points for _, item in items)


def on_paper(item: Item, value) -> str:
    """The answer as a facilitator types it from the paper form, in the paper's own words."""
    if item.type == "single":
        return value.upper()
    if item.type == "truefalse":
        return "Đúng" if value == "true" else "Sai"
    if item.type == "multi":
        return ";".join(value)
    if item.type == "order":
        return " ".join(value)
    if item.type == "match":
        return " ".join(f"{option}={target}" for option, target in value.items())
    return value


def submit_to_exchange(course: Path, participant_id: str, form: str, answers: dict, language: str) -> Path:
    """A submission in nbgrader's inbound as ``nbgrader submit`` leaves it: the fetched notebooks, the
    answers saved by the widgets' store, timestamp.txt; named <participant>+<form>+<time>+<random>."""
    timestamp = "2026-12-01 09:30:00.000000 UTC"
    random = base64.urlsafe_b64encode(os.urandom(9)).decode("ascii")
    folder = course / "exchange" / "wps-vn" / "inbound" / f"{participant_id}+{form}+{timestamp}+{random}"
    shutil.copytree(course / "release" / form, folder)
    at = utc_now()  # the whole file at once: a widget's save per answer costs an fsync each
    responses = Responses(form, language, {item_id: Answer(value, at) for item_id, value in answers.items()}, at)
    write_atomically(folder / f"{form}{SUFFIX}", json.dumps(responses.to_json(), ensure_ascii=False, indent=2))
    assert ResponseStore(form, directory=folder).load().values() == answers
    (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return folder


class Room:
    """What the participants do between the facilitator's commands."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.course = folder / "course"

    def answer_online(self, form: str) -> None:
        for number, participant_id in enumerate(ONLINE):
            submitted = submit_to_exchange(self.course, participant_id, form, answers_of(form, participant_id),
                                           "vi" if number % 2 else "en")
            if form == "pre" and participant_id == DAMAGED:  # the laptop died while the file was written
                answers = submitted / f"{form}{SUFFIX}"
                answers.write_bytes(answers.read_bytes()[:60])
        fetch_answer_submit(self.folder / "home", THROUGH_NBGRADER, self.course, form,
                            answers_of(form, THROUGH_NBGRADER))

    def answer_on_paper(self, form: str) -> None:
        sheet = self.folder / "paper" / f"{form}.answers.csv"
        header = sheet.read_text(encoding="utf-8-sig").splitlines()[0].split(",")
        answers = answers_of(form, ON_PAPER)
        cells = {"participant_id": ON_PAPER, "form": form}
        cells |= {item_id: on_paper(BANK.items[item_id], value) for item_id, value in answers.items()}
        row = ",".join(f'"{cells.get(column, "")}"' for column in header)
        sheet.write_text("\n".join([",".join(header), row]) + "\n", encoding="utf-8")

    def submit_plan(self) -> None:
        plan = [{"objective": "Tăng sự tham gia của phụ nữ vào ban chỉ huy phòng chống thiên tai",
                 "activity": "Tập huấn cho 30 phụ nữ ở xã", "nap_area": "participation",
                 "partners": "Hội Liên hiệp Phụ nữ", "timeline": "Quý 2/2027", "indicator": "30 phụ nữ được tập huấn",
                 "resources": "20 triệu đồng"}]
        submit_to_exchange(self.course, "hn-01", "day3-04-action-plan", {"d3-04-my-plan": plan}, "vi")


def test_the_guide_lists_real_commands_in_the_days_order():
    commands = [command for _, command in guide_commands()]
    assert commands.index("wpskit release pre") < commands.index("wpskit collect pre") \
        < commands.index("wpskit autograde pre") < commands.index("wpskit release post") \
        < commands.index("wpskit report --course course --out out/report --lang vi")
    assert {"wpskit regrade pre", "wpskit backup --out backups", "wpskit import paper/pre.answers.csv --replace"} \
        <= set(commands)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "facilitator_guide/the-day.md" in readme
    assert "the-day.md" in (REPO / "facilitator_guide" / "assessments.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_whole_day_as_the_guide_writes_it(tmp_path, monkeypatch):
    shutil.copytree(REPO / "assessments", tmp_path / "assessments")
    (tmp_path / "modules").symlink_to(REPO / "modules")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for variable in ("LANG", "LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.setenv(variable, "C.UTF-8")
    room = Room(tmp_path)
    before = {  # what the room does before the guide's command of that line runs, the first time
        "wpskit status pre": lambda: room.answer_online("pre"),
        "wpskit import paper/pre.answers.csv": lambda: room.answer_on_paper("pre"),
        "wpskit status post": lambda: room.answer_online("post"),
        "wpskit import paper/post.answers.csv": lambda: room.answer_on_paper("post"),
        "wpskit collect day3-04-action-plan": room.submit_plan,
    }
    outputs: dict[str, str] = {}
    for number, command in guide_commands():
        if command.startswith("sudo "):
            assert command in ROOT_ONLY, f"the-day.md line {number}: `{command}` needs root; run it in no test?"
            continue
        words = shlex.split(command)
        assert words[0] == "wpskit", f"the-day.md line {number}: `{command}` is not a wpskit command"
        if command in before:
            before.pop(command)()
        result = CliRunner().invoke(app, words[1:])
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"the-day.md line {number}: `{command}` raised {result.exception!r}\n{result.output}"
        assert result.exit_code == 0, f"the-day.md line {number}: `{command}` ended with {result.exit_code}:\n" \
                                      f"{result.output}"
        assert "Traceback" not in result.output
        outputs.setdefault(command, result.output)
    assert not before, f"the guide lost the steps {sorted(before)}"

    said = {command: " ".join(text.split()) for command, text in outputs.items()}
    assert "7 submitted" in said["wpskit status pre"] and "Missing: hn-08" in said["wpskit status pre"]
    assert "Collected 'pre': 7 submissions." in said["wpskit collect pre"]
    assert "Autograded 'pre': 6 of 7 submissions, 1 without readable answers" in said["wpskit autograde pre"]
    assert re.search(r"damaged[^:]*: hn-06", said["wpskit autograde pre"])
    assert "for 1 participant's form" in said["wpskit import paper/pre.answers.csv"]
    assert "0 scores changed" in said["wpskit regrade pre"]

    scores = pd.read_csv(tmp_path / "scores.csv", encoding="utf-8")
    status = scores.status.fillna("")
    assert set(scores[status == "damaged"].participant_id + "/" + scores[status == "damaged"].form) == {"hn-06/pre"}
    auto = scores[scores.score.notna() & (status == "")]
    got = (100 * auto.groupby(["form", "participant_id"]).score.sum()
           / auto.groupby(["form", "participant_id"]).max_score.sum())
    readable = {("pre", pid) for pid in PARTICIPANTS if pid != DAMAGED} | {("post", pid) for pid in PARTICIPANTS}
    assert set(got.index) == readable
    for form, pid in readable:
        assert got[(form, pid)] == pytest.approx(hand_count_pct(form, pid), abs=1e-9), (form, pid)

    report = json.loads((tmp_path / "out" / "report" / "report.json").read_text(encoding="utf-8"))
    assert report["cohort"] == {"n_roster": 8, "n_pre": 7, "n_post": 8, "n_paired": 7}
    pre = [hand_count_pct("pre", pid) for pid in PARTICIPANTS if pid != DAMAGED]
    post = [hand_count_pct("post", pid) for pid in PARTICIPANTS]
    paired_change = [hand_count_pct("post", pid) - hand_count_pct("pre", pid) for pid in PARTICIPANTS if pid != DAMAGED]
    assert report["scores"]["pre"]["mean_pct"] == pytest.approx(sum(pre) / len(pre), abs=1e-3)
    assert report["scores"]["post"]["mean_pct"] == pytest.approx(sum(post) / len(post), abs=1e-3)
    assert report["gain"]["mean_diff_pct"] == pytest.approx(sum(paired_change) / len(paired_change), abs=1e-3)
    assert report["notes"]["scores.unreadable_answers"].endswith("pre: answers file damaged 1")
    assert report["reliability"]["pre"]["alpha"] is not None

    workbook = openpyxl.load_workbook(tmp_path / "plans.xlsx")
    cells = [cell.value for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert "Tập huấn cho 30 phụ nữ ở xã" in cells
    assert (tmp_path / "course" / "feedback" / ON_PAPER / "post" / "post.html").is_file()
    assert len(list((tmp_path / "backups").glob("wpskit-course-*.zip"))) == 3
