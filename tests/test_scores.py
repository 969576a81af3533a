"""Reading contract-3 scores and rosters: accepted files and the errors a trainer sees."""

from pathlib import Path

import pandas as pd
import pytest

from wpskit.errors import InputDataError
from wpskit.scores import read_roster, read_scores

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
    with pytest.raises(InputDataError, match="row 3: participant_id=p1 appears twice"):
        read_roster(path)


def test_roster_blank_cells_are_missing_and_unknown_columns_dropped(tmp_path):
    path = tmp_path / "roster.csv"
    path.write_text("participant_id,gender,phone\np1,,0912\n", encoding="utf-8")
    roster = read_roster(path)
    assert list(roster.columns) == ["participant_id", "gender"]
    assert pd.isna(roster.loc[0, "gender"])
