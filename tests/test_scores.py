"""Reading contract-3 scores and rosters: accepted files and the errors a trainer sees."""

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from wpskit.errors import InputDataError
from wpskit.scores import awaiting_hand_grade, awaiting_note, read_roster, read_scores

DATA = Path(__file__).parent / "data" / "stats"


def test_scores_with_bom_are_read_and_normalised():
    scores = read_scores(DATA / "scores_bom.csv")
    assert list(scores.columns) == ["participant_id", "form", "item_id", "score", "max_score", "response"]
    assert set(scores["form"]) == {"pre"}
    assert scores["score"].dtype == "float64"
    assert scores["response"].isna().sum() == 1


def test_roster_keeps_vietnamese_names(tmp_path):
    roster = read_roster(DATA / "roster_bom.csv")
    assert roster.loc[0, "name"] == "Nguyễn Thị Hồng Nhung"
    assert roster.loc[1, "province"] == "Huế"


def test_optional_objective_column_is_kept(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("participant_id,form,item_id,score,max_score,response,objective\np1,pre,q1,1,1,a,D1.1\n",
                    encoding="utf-8")
    assert read_scores(path).loc[0, "objective"] == "D1.1"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scores.csv"
    path.write_text("participant_id,form,item_id,score,max_score,response\n" + text, encoding="utf-8")
    return path


@pytest.mark.parametrize(("rows", "message"), [
    ("p1,pre,q1,one,1,a\n", r"row 2, column score: 'one' is not a number"),
    ("p1,pre,q1,1,1,a\np1,pre,q2,2,1,b\n", r"row 3, column score: 2 is outside 0..1"),
    ("p1,pre,q1,1,0,a\n", r"row 2, column max_score: must be more than 0"),
    ("p1,pre,q1,1,1,a\n,pre,q2,1,1,b\n", r"row 3, column participant_id: empty"),
    ("p1,pre,q1,1,1,a\np1,PRE,q1,0,1,b\n", r"row 3: participant_id=p1, form=pre, item_id=q1 answers the same item twice"),
])
def test_bad_scores_name_file_row_and_column(tmp_path, rows, message):
    path = _write(tmp_path, rows)
    with pytest.raises(InputDataError, match=message) as error:
        read_scores(path)
    assert str(path) in str(error.value)


def test_missing_column_is_named(tmp_path):
    path = tmp_path / "scores.csv"
    path.write_text("participant_id,form,item_id,score\np1,pre,q1,1\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="missing column\\(s\\) max_score"):
        read_scores(path)


def test_missing_file_and_wrong_encoding_are_input_errors(tmp_path):
    with pytest.raises(InputDataError, match="not found"):
        read_scores(tmp_path / "nope.csv")
    path = tmp_path / "latin.csv"
    path.write_bytes("participant_id,name\np1,Đức\n".encode("utf-16"))
    with pytest.raises(InputDataError, match="UTF-8"):
        read_roster(path)


def test_roster_rejects_a_repeated_participant(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("participant_id,gender\np1,nữ\np1,nam\n", encoding="utf-8")
    with pytest.raises(InputDataError, match="line 3, column participant_id: 'p1' is already used on line 2"):
        read_roster(path)


def test_roster_blank_cells_are_missing_and_unknown_columns_dropped(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("participant_id,gender,phone\np1,,0912\n", encoding="utf-8")
    roster = read_roster(path)
    assert "phone" not in roster.columns
    assert pd.isna(roster.loc[0, "gender"])


# --- one loader, two sources, one report (issue #16) ---

def test_an_empty_score_waits_for_a_hand_grade(tmp_path):
    scores = read_scores(_write(tmp_path, "p1,pre,q1,1,1,a\np1,pre,q2,,3,My plan\n"))
    graded, waiting = awaiting_hand_grade(scores)
    assert list(graded["item_id"]) == ["q1"] and list(waiting["item_id"]) == ["q2"]
    assert awaiting_note(waiting).startswith("1 written answer(s) wait for a hand grade") and "q2 (pre 1)" in awaiting_note(waiting)


GENDERS = ["nữ", "Nam", "female", "male", "NỮ", "nam", "female", "F", "nam", "nữ", "m", "female"]


@pytest.fixture(scope="module")
def graded_course(tmp_path_factory):
    """A course with 12 participants' paper answers on pre and post; some written answers not graded yet."""
    from tests.conftest import write_csv
    from tests.test_grading import BANK
    from wpskit.course import build_course, import_roster
    from wpskit.imports import import_scores

    folder = tmp_path_factory.mktemp("loader")
    root = folder / "course"
    build_course(root, BANK)
    ids = [f"p{k:02d}" for k in range(1, 13)]
    roster = write_csv(folder / "roster.csv", "participant_id,name,gender,stakeholder_group\n" + "".join(
        f"{pid},Người {pid},{gender},{'media' if k % 2 else 'academia'}\n"
        for k, (pid, gender) in enumerate(zip(ids, GENDERS))))
    import_roster(root, roster)
    rng = np.random.default_rng(16)
    lines = ["participant_id,form,item_id,score,max_score,response"]
    for form, right in (("pre", 0.35), ("post", 0.8)):
        for k, pid in enumerate(ids):
            good = rng.random(5) < right
            answers = {"t-single": "a" if good[0] else "b", "t-multi": '"[""a"", ""b"", ""d""]"' if good[1] else "c",
                       "t-truefalse": "false" if good[2] else "true", "t-order": '"b,a,c"' if good[3] else '"c,a,b"',
                       "t-match": "a=1;b=2" if good[4] else "a=2;b=1"}
            lines += [f"{pid},{form},{item},,,{answer}" for item, answer in answers.items()]
            written = "" if (form == "post" and k % 4 == 0) else str(k % 4)
            lines.append(f"{pid},{form},t-written,{written},3,\"Plan of {pid}: =SUM(A1)\"")
    import_scores(root, write_csv(folder / "paper.csv", "\n".join(lines) + "\n"), BANK)
    return root, roster, BANK


def test_course_and_exported_csv_give_the_same_report_byte_for_byte(graded_course, tmp_path):
    from wpskit.gradebook import export_scores
    from wpskit.report import write_report_from_files

    root, roster, bank = graded_course
    by_course = write_report_from_files(tmp_path / "a", course=root, roster=roster, item_bank=bank)
    export_scores(root, tmp_path / "scores.csv")
    write_report_from_files(tmp_path / "b", scores=tmp_path / "scores.csv", roster=roster, item_bank=bank)
    assert (tmp_path / "a" / "report.json").read_bytes() == (tmp_path / "b" / "report.json").read_bytes()

    data = by_course.data
    assert "3 written answer(s) wait for a hand grade" in data["notes"]["scores.awaiting_hand_grade"]
    assert "t-written (post 3)" in data["notes"]["scores.awaiting_hand_grade"]
    # a pending answer lowers no one: p01's post percentage is over the auto-graded items' 8 points only
    p01 = by_course.percentages.set_index(["participant_id", "form"]).loc[("p01", "post")]
    assert p01["max_score"] == 8
    genders = {g["group"] for g in data["groups"] if g["variable"] == "gender"}
    assert genders == {"female", "male"}
    assert not any(g["suppressed"] for g in data["groups"] if g["variable"] == "gender")


def test_the_report_reads_the_roster_as_roster_import_does(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("participant_id,gender\np1,nữ\np2,Nam\np3,female\np4,\n", encoding="utf-8")
    roster = read_roster(path)
    assert list(roster["gender"].fillna("-")) == ["female", "male", "female", "-"]
    path.write_text("participant_id,gender\np1,woman?\n", encoding="utf-8")
    with pytest.raises(InputDataError, match=r"line 2, column gender: 'woman\?' is not a known value"):
        read_roster(path)


def test_the_vietnamese_report_words_its_notes_with_numbers_in_vietnamese(tmp_path):
    """The notes on answers waiting for a hand grade and on unreadable submissions carry counts and items:
    report.json keeps them in English (contract 4), the Vietnamese page shows them in Vietnamese."""
    from wpskit.report import write_report

    path = tmp_path / "scores.csv"
    rows = [f"p{k},{form},q1,{k % 2},1,,a" for k in range(1, 7) for form in ("pre", "post")]
    rows += ["p1,pre,q2,,3,,My plan", "p7,post,q1,0,1,damaged,", "p8,pre,q1,0,1,missing,"]
    path.write_text("participant_id,form,item_id,score,max_score,status,response\n" + "\n".join(rows) + "\n",
                    encoding="utf-8")
    write_report(read_scores(path), None, tmp_path / "vi", lang="vi")
    notes = json.loads((tmp_path / "vi" / "report.json").read_text(encoding="utf-8"))["notes"]
    assert notes["scores.awaiting_hand_grade"] == ("1 written answer(s) wait for a hand grade and are left out of both "
                                                   "the score and the maximum until graded: q2 (pre 1)")
    assert notes["scores.unreadable_answers"].endswith(": post: answers file damaged 1; pre: no answers file 1")
    page = (tmp_path / "vi" / "report.html").read_text(encoding="utf-8")
    assert "1 câu trả lời viết đang chờ chấm tay" in page and "q2 (pre 1)" in page
    assert "post: tệp câu trả lời bị hỏng 1; pre: không có tệp câu trả lời 1" in page
    assert "wait for a hand grade" not in page and "answers file damaged" not in page
