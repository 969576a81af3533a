"""The XLSForm for KoboToolbox / ODK Collect: pyxform (their converter) must accept it, and it holds no key."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from tests.conftest import REPO
from tests.test_grading import BANK
from wpskit.errors import ItemBankError
from wpskit.items import load_item_bank
from wpskit.paper import write_paper_form
from wpskit.xlsform import answer_columns, write_xlsform


def sheet_rows(path, sheet):
    values = list(load_workbook(path)[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], row)) for row in values[1:]]


@pytest.fixture(scope="module")
def pre_xlsform(tmp_path_factory):
    return write_xlsform("pre", tmp_path_factory.mktemp("xlsform"), "vi", BANK)


def test_the_xlsform_converts_with_pyxform_in_both_languages(pre_xlsform):
    warnings: list[str] = []
    xform = convert(str(pre_xlsform), warnings=warnings).xform
    assert warnings == []
    assert 'lang="Tiếng Việt (vi)"' in xform and 'lang="English (en)"' in xform
    assert "Nghị quyết 1325 được thông qua khi nào?" in xform and "When was resolution 1325 adopted?" in xform
    assert 'id="wpskit-pre"' in xform


def test_participant_first_then_one_question_per_item_in_the_forms_order(pre_xlsform):
    names = [(row["type"], row["name"]) for row in sheet_rows(pre_xlsform, "survey")]
    answers = [name for kind, name in names if kind not in ("start", "end", "begin_group", "end_group")]
    assert answers == ["participant_id", "form", "t-single", "t-multi", "t-truefalse", "t-order_1", "t-order_2",
                       "t-order_3", "t-match_a", "t-match_b", "t-written"]
    types = dict((name, kind) for kind, name in names)
    assert types["t-single"] == "select_one t-single"
    assert types["t-multi"] == "select_multiple t-multi"
    assert types["t-truefalse"] == "select_one truefalse"
    assert types["t-order_2"] == "select_one t-order"
    assert types["t-match_b"] == "select_one t-match_targets"
    assert types["t-written"] == "text"
    survey = sheet_rows(pre_xlsform, "survey")
    assert {"label::Tiếng Việt (vi)", "label::English (en)"} <= set(survey[0])
    form_field = next(row for row in survey if row["name"] == "form")
    assert (form_field["type"], form_field["calculation"]) == ("calculate", "'pre'")


def test_choices_are_the_option_keys_and_true_false_in_both_languages(pre_xlsform):
    choices = {(row["list_name"], row["name"]): row["label::Tiếng Việt (vi)"] for row in sheet_rows(pre_xlsform, "choices")}
    assert choices[("truefalse", "false")] == "Sai"
    assert choices[("t-single", "a")] == "31 tháng 10 năm 2000"
    assert choices[("t-match_targets", "2")] == "Cứu trợ và phục hồi"
    settings = sheet_rows(pre_xlsform, "settings")[0]
    assert settings["form_id"] == "wpskit-pre" and len(settings["version"]) == 12
    assert settings["default_language"] == "Tiếng Việt (vi)"


def test_no_key_feedback_or_rubric_anywhere_in_the_file(pre_xlsform):
    bank = load_item_bank(BANK)
    cells = {str(cell) for sheet in load_workbook(pre_xlsform) for row in sheet.iter_rows(values_only=True)
             for cell in row if cell is not None}
    secrets = {text for item in bank.items.values() if item.feedback for text in (item.feedback.en, item.feedback.vi)}
    secrets |= {c.text.en for item in bank.items.values() for c in item.rubric}
    assert not cells & secrets
    assert not {"key", "feedback", "rubric", "correct"} & {c.casefold() for c in cells}


def test_item_text_that_looks_like_a_formula_stays_text(tmp_path):
    bank = shutil.copytree(BANK, tmp_path / "bank")
    items = bank / "items" / "test.yaml"
    items.write_text(items.read_text(encoding="utf-8").replace('"When was resolution 1325 adopted?"',
                                                               '"=HYPERLINK(\\"http://x\\")"'), encoding="utf-8")
    path = write_xlsform("pre", tmp_path / "out", "en", bank)
    cell = next(c for row in load_workbook(path)["survey"].iter_rows() for c in row if c.value and "HYPERLINK" in c.value)
    assert cell.data_type == "s"


def test_every_xlsform_question_name_comes_back_as_an_answer_column(pre_xlsform):
    bank = load_item_bank(BANK)
    columns = answer_columns(bank.form_items("pre"))
    named = {row["name"] for row in sheet_rows(pre_xlsform, "survey") if row["type"] not in
             ("start", "end", "begin_group", "end_group", "calculate") and row["name"] != "participant_id"}
    assert named <= set(columns)


def test_an_item_id_starting_with_a_digit_is_refused_by_name(tmp_path):
    bank = shutil.copytree(BANK, tmp_path / "bank")
    for path in [bank / "items" / "test.yaml", bank / "forms" / "pre.yaml", bank / "forms" / "post.yaml"]:
        path.write_text(path.read_text(encoding="utf-8").replace("t-single", "1-single"), encoding="utf-8")
    with pytest.raises(ItemBankError, match=r"item '1-single': an XLSForm question name must start with a letter"):
        write_xlsform("pre", tmp_path / "out", "vi", bank)


def test_paper_command_writes_the_xlsform(tmp_path):
    written = write_paper_form("pre", tmp_path, "en", BANK, xlsform=True)
    assert [path.name for path in written] == ["pre.xlsform.xlsx"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("java") is None, reason="ODK Validate needs Java (apt-get install default-jre-headless; .ci/run does)")
def test_odk_validate_accepts_the_workshop_forms(tmp_path):
    """ODK Validate (shipped with pyxform) is the check ODK Central runs on upload: the real item bank."""
    for form in ("pre", "post"):
        path = write_xlsform(form, tmp_path, "vi", REPO / "assessments")
        convert(str(path), validate=True)  # raises ODKValidateError on any problem
