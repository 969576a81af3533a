"""Paper and offline forms into a real gradebook: the same scores as online, all or nothing."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from openpyxl.utils import get_column_letter

from tests.conftest import gradebook_digest, write_csv
from tests.kobo_export import central_csv, kobo_csv, read_questions
from tests.test_grading import ALL_RIGHT, ALL_WRONG, BANK, CASES, FULL, PARTLY, ZERO, submit
from wpskit.course import build_course, import_roster, release
from wpskit.grading import autograde
from wpskit.errors import InputDataError
from wpskit.gradebook import export_scores, read_scores
from wpskit.imports import import_scores
from wpskit.items import load_item_bank
from wpskit.paper import write_paper_form
from wpskit.scoring import score_answer

ROSTER = "participant_id,name\n" + "".join(f"{p},Người {p}\n" for p in sorted(CASES))


@pytest.fixture(scope="module")
def fresh_course(tmp_path_factory):
    """A built course with the roster and no submissions, copied for each test."""
    root = tmp_path_factory.mktemp("fresh") / "course"
    build_course(root, BANK)
    import_roster(root, write_csv(root.parent / "roster.csv", ROSTER))
    return root


@pytest.fixture
def course_root(fresh_course, tmp_path):
    return shutil.copytree(fresh_course, tmp_path / "course")


WIDE = (
    "participant_id,form,t-single,t-multi,t-truefalse,t-order,t-match\n"
    "p01,pre,a,a;b;d,false,\"b,a,c\",a=1;b=2\n"
    "p03,pre,a,a;b,FALSE,\"a,b,c\",a=1;b=1\n"
    "p02,pre,c,,true,,\n"
)


def test_wide_answer_sheet_is_scored_like_the_online_test(course_root, tmp_path):
    result = import_scores(course_root, write_csv(tmp_path / "kobo.csv", WIDE, bom=True), BANK)
    assert result.submissions == 3
    scores = read_scores(course_root).set_index(["participant_id", "item_id"])
    assert scores.loc[("p01", "t-multi"), "score"] == 2
    assert scores.loc[("p03", "t-order"), "score"] == 1.333
    assert scores.loc[("p03", "t-match"), "score"] == 1
    assert scores.loc[("p02", "t-multi"), "score"] == 0
    assert scores.loc[("p03", "t-multi"), "response"] == '["a", "b"]'
    assert pd.isna(scores.loc[("p01", "t-written"), "score"])  # still waits for a hand grade


def test_reimporting_the_same_file_changes_nothing(course_root, tmp_path):
    sheet = write_csv(tmp_path / "kobo.csv", WIDE)
    import_scores(course_root, sheet, BANK)
    before = read_scores(course_root)
    again = import_scores(course_root, sheet, BANK)
    assert again.changed == 0
    pd.testing.assert_frame_equal(read_scores(course_root), before)


def test_export_then_import_into_a_fresh_course_gives_identical_scores(course_root, fresh_course, tmp_path):
    import_scores(course_root, write_csv(tmp_path / "paper.csv", WIDE), BANK)
    first = read_scores(course_root)
    exported = tmp_path / "scores.csv"
    assert export_scores(course_root, exported) == len(first)
    other = shutil.copytree(fresh_course, tmp_path / "other")
    import_scores(other, exported, BANK)
    pd.testing.assert_frame_equal(read_scores(other), first)


BROKEN = {
    "unknown participant": ("p01,pre,a\np99,pre,b\n", r"line 3: participant 'p99' is not in the course"),
    "unknown option": ("p01,pre,a\np02,pre,z\n", r"line 3, column C \(t-single\): 'z' is not an option"),
    "duplicate row": ("p01,pre,a\np01,pre,b\n", r"line 3: p01 / pre is already on line 2"),
    "unknown form": ("p01,pre,a\np02,mid,a\n", r"line 3: no form 'mid'"),
}


@pytest.mark.parametrize("fault", sorted(BROKEN))
def test_a_broken_row_is_named_and_nothing_is_imported(course_root, tmp_path, fault):
    rows, message = BROKEN[fault]
    bad = write_csv(tmp_path / "bad.csv", "participant_id,form,t-single\n" + rows)
    before = gradebook_digest(course_root)
    with pytest.raises(InputDataError, match=message):
        import_scores(course_root, bad, BANK)
    assert gradebook_digest(course_root) == before
    assert not (course_root / "imported").exists()


def test_a_score_out_of_range_is_refused(course_root, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", "participant_id,form,item_id,score,max_score,response\np01,pre,t-written,5,3,\n")
    with pytest.raises(InputDataError, match=r"line 2, item t-written: score 5 is outside 0..3"):
        import_scores(course_root, bad, BANK)


# --- KoboToolbox and ODK Central exports of the XLSForm, as they come -------------------------

WRITTEN = "Tổ chức một chương trình phát thanh; chỉ số: \"số người nghe\"\ntrên hai dòng"
RIGHT = {**ALL_RIGHT, "t-written": WRITTEN}
# participant -> (answers, submission time); p04 handed in a blank form; p05 submitted twice,
# the later (right) answers listed first, so the time, not the row order, decides
TABLETS = [
    ("p01", RIGHT, "2024-11-26T02:10:00"),
    ("p02", ALL_WRONG, "2024-11-26T02:11:00"),
    ("p05", RIGHT, "2024-11-26T02:30:00"),
    ("p03", PARTLY, "2024-11-26T02:12:00"),
    ("p04", {}, "2024-11-26T02:13:00"),
    ("p05", ALL_WRONG, "2024-11-26T02:14:00"),
]


def tablet_fields(answers: dict) -> dict:
    """What KoboCollect / ODK Collect store for these answers in the form's own fields."""
    fields = {"start": "2024-11-26T09:00:00.000+07:00", "end": "2024-11-26T09:20:00.000+07:00", "form": "pre"}
    for item_id, value in answers.items():
        if item_id == "t-order":
            fields.update({f"t-order_{n}": option for n, option in enumerate(value, start=1)})
        elif item_id == "t-match":
            fields.update({f"t-match_{option}": target for option, target in value.items()})
        else:
            fields[item_id] = value
    return fields


def tablet_submissions() -> list[dict]:
    return [{"participant_id": pid, "_submission_time": at, **tablet_fields(answers)} for pid, answers, at in TABLETS]


def expected_scores() -> dict[tuple[str, str], float | None]:
    """The score each answer earns online: wpskit.scoring, the rule of the hidden tests."""
    bank = load_item_bank(BANK)
    latest = {pid: answers for pid, answers, _ in sorted(TABLETS, key=lambda t: t[2])}
    return {(pid, item.id): score_answer(item, answers.get(item.id))
            for pid, answers in latest.items() for item in bank.form_items("pre")}


EXPORTS = {
    "kobo, groups in headers": lambda q, s: kobo_csv(q, s, groups_in_headers=True),
    "kobo, no groups in headers": lambda q, s: kobo_csv(q, s, groups_in_headers=False),
    "odk central": central_csv,
}


@pytest.mark.parametrize("outer_group", [None, "pretest"])
@pytest.mark.parametrize("export", sorted(EXPORTS))
def test_tablet_exports_import_with_the_scores_of_the_online_test(course_root, tmp_path, export, outer_group):
    xlsform = write_paper_form("pre", tmp_path / "paper", "vi", BANK, xlsform=True)[0]
    exported = EXPORTS[export](read_questions(xlsform, outer_group), tablet_submissions())
    result = import_scores(course_root, write_csv(tmp_path / "export.csv", exported), BANK)
    stamp = "2024-11-26T02:30:00" + (".000Z" if export == "odk central" else "")
    # lines as an editor shows them: p01's written answer spans two
    assert result.warnings == [f"Submitted more than once, the latest submission counts: p05: line 5 ({stamp}), not line 9"]
    scores = read_scores(course_root).set_index(["participant_id", "item_id"])
    expected = expected_scores()
    assert sorted(set(scores.index)) == sorted(expected)
    for (pid, item_id), score in expected.items():
        got = scores.loc[(pid, item_id), "score"]
        assert (pd.isna(got) if score is None else got == score), (pid, item_id, got, score)
    # and by hand, as tests/test_grading.py counts them
    for pid, answers in {"p01": FULL, "p02": ZERO, "p04": ZERO, "p05": FULL}.items():
        assert {k: scores.loc[(pid, k), "score"] for k in FULL} == answers
    assert scores.loc[("p03", "t-order"), "score"] == 1.333
    assert scores.loc[("p05", "t-written"), "response"] == WRITTEN
    assert scores.loc[("p01", "t-multi"), "response"] == '["a", "b", "d"]'
    assert import_scores(course_root, tmp_path / "export.csv", BANK).changed == 0


def test_a_kobo_export_without_the_form_column_needs_form(course_root, tmp_path):
    xlsform = write_paper_form("pre", tmp_path / "paper", "vi", BANK, xlsform=True)[0]
    questions = [q for q in read_questions(xlsform) if q.name != "form"]
    sheet = write_csv(tmp_path / "export.csv", kobo_csv(questions, tablet_submissions()[:2]))
    with pytest.raises(InputDataError, match=r"no column 'form'; name the form, e.g. --form pre"):
        import_scores(course_root, sheet, BANK)
    assert import_scores(course_root, sheet, BANK, form="pre").submissions == 2


def test_a_ticked_box_that_contradicts_the_answer_is_named(course_root, tmp_path):
    xlsform = write_paper_form("pre", tmp_path / "paper", "vi", BANK, xlsform=True)[0]
    text = kobo_csv(read_questions(xlsform), tablet_submissions()[1:2])  # p02 ticked c only
    header, row = text.splitlines()
    cells = row.split('";"')
    column = header.split('";"').index("t-multi/a")
    cells[column] = "1"
    before = gradebook_digest(course_root)
    with pytest.raises(InputDataError, match=rf"line 2, column {get_column_letter(column + 1)} \(t-multi/a\): says 1 "
                                             r"but the answer in column \w+ is 'c'"):
        import_scores(course_root, write_csv(tmp_path / "x.csv", header + "\n" + '";"'.join(cells) + "\n"), BANK)
    assert gradebook_digest(course_root) == before


# --- paper answer sheets: the paper's own words, both separators, every problem named --------

PAPER = (
    "participant_id;form;t-single;t-multi;t-truefalse;t-order;t-match;t-written;t-written_score\n"
    "p01;pre;A;A, B, D;Sai;B A C;\"a=1;b=2\";Viết tay;2,5\n"
    "P03;pre;a;a b;False;a,b,c;a-1 b-1;;\n"
    "p02;pre;(c);;Đúng;;;;\n"
)


def test_a_semicolon_sheet_in_the_paper_forms_own_words(course_root, tmp_path):
    import_scores(course_root, write_csv(tmp_path / "paper.csv", PAPER, bom=True), BANK)
    scores = read_scores(course_root).set_index(["participant_id", "item_id"])
    assert {k: scores.loc[("p01", k), "score"] for k in FULL} == FULL
    assert {k: scores.loc[("p03", k), "score"] for k in FULL} == CASES["p03"][2]
    assert scores.loc[("p02", "t-truefalse"), "score"] == 0
    assert scores.loc[("p01", "t-written"), "score"] == 2.5  # the facilitator's mark on paper
    assert pd.isna(scores.loc[("p03", "t-written"), "score"])  # not marked yet: waits for a hand grade


UNREADABLE = {
    "mistyped match": ("t-match", "a-4;b-1", r"line 2, column C \(t-match\): '4' is not a target of t-match"),
    "match without pairs": ("t-match", "a4 b1", r"column C \(t-match\): cannot read 'a4'"),
    "true/false word": ("t-truefalse", "Có lẽ", r"column C \(t-truefalse\): 'Có lẽ' is not an answer to a true/false"),
    "order missing one": ("t-order", "b a", r"column C \(t-order\): an order answer lists every option of t-order once"),
    "multi unknown": ("t-multi", "a;x", r"column C \(t-multi\): 'x' is not an option of t-multi"),
    "score not a number": ("t-written_score", "hai", r"column C \(t-written_score\): score 'hai' is not a number"),
    "unknown column": ("t-singel", "a", r"line 1, column C \(t-singel\): not a question of the item bank"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_every_unreadable_answer_is_named_by_line_and_column(course_root, tmp_path, case):
    column, value, message = UNREADABLE[case]
    sheet = write_csv(tmp_path / "paper.csv", f"participant_id,form,{column}\np01,pre,{value}\n")
    before = gradebook_digest(course_root)
    with pytest.raises(InputDataError, match=message):
        import_scores(course_root, sheet, BANK)
    assert gradebook_digest(course_root) == before


@pytest.mark.slow
def test_paper_answers_for_someone_who_answered_online_need_replace(graded, tmp_path):
    """p03 answered online (PARTLY); the paper sheet says otherwise: refused, the difference shown."""
    sheet = write_csv(tmp_path / "paper.csv", "participant_id,form,t-single,t-multi\np03,pre,c,a;b\n")
    before = gradebook_digest(graded)
    with pytest.raises(InputDataError, match=r"would replace answers given online; nothing was imported(.|\n)*"
                                             r"p03 / pre \(answered online, course/submitted/p03/pre\): t-single 1 → 0$"):
        import_scores(graded, sheet, BANK)
    assert gradebook_digest(graded) == before
    import_scores(graded, sheet, BANK, replace=True)
    scores = read_scores(graded).set_index(["participant_id", "item_id"])
    assert scores.loc[("p03", "t-single"), "score"] == 0


@pytest.fixture
def graded(tmp_path, fresh_course):
    """A course where p03 answered online and was autograded (real nbgrader)."""
    root = shutil.copytree(fresh_course, tmp_path / "graded")
    release(root, "pre")
    submit(root, "p03", PARTLY, None)
    autograde(root, "pre")
    return root
