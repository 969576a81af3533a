"""Every label, button and message exists in English and Vietnamese."""

from __future__ import annotations

import re
import string
import unicodedata

import pytest

import wpskit
from wpskit.language import current_language, use_language
from wpskit.formats import points
from wpskit.words import WORDS, both_languages, fill, label

VIETNAMESE_LETTERS = set("ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ")
# Vietnamese labels that are right without any mark
PLAIN_WORDS_OK = {"Sai", "Trang in", "n"}


def fields(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("name", sorted(WORDS))
def test_every_label_has_english_and_vietnamese(name: str) -> None:
    entry = WORDS[name]
    assert set(entry) == {"en", "vi"}
    for language in ("en", "vi"):
        assert entry[language].strip() == entry[language] and entry[language], (name, language)
        assert unicodedata.is_normalized("NFC", entry[language]), (name, language)
    assert fields(entry["en"]) == fields(entry["vi"]), name


@pytest.mark.parametrize("name", sorted(WORDS))
def test_vietnamese_labels_have_their_diacritics(name: str) -> None:
    vi = WORDS[name]["vi"]
    words = re.findall(r"[^\W\d_]+", re.sub(r"\{\w+\}", "", vi))
    if vi in PLAIN_WORDS_OK or not words:
        return
    assert VIETNAMESE_LETTERS & set(vi.lower()), f"{name}: {vi!r} looks like Vietnamese typed without diacritics"
    assert vi != WORDS[name]["en"], name


def test_right_and_wrong_are_shown_with_a_symbol_and_words() -> None:
    for language in ("en", "vi"):
        assert label("correct", language).startswith("✓ ") and len(label("correct", language)) > 2
        assert label("wrong", language).startswith("✗ ") and len(label("wrong", language)) > 2
        assert label("partly", language, earned=1, points=2).startswith("◐ ")
    assert label("correct", "vi") == "✓ Đúng" and label("wrong", "vi") == "✗ Chưa đúng"
    assert label("saved", "vi") == "Đã lưu ✓"


def test_label_uses_the_current_language_and_fills_fields() -> None:
    before = current_language()
    try:
        wpskit.use_language("vi")
        assert label("check") == "Kiểm tra"
        assert label("try_again") == "Làm lại"
        wpskit.use_language("en")
        assert label("scenario_points", earned=1, best=2) == "Points: 1 of 2"
    finally:
        use_language(before)


def test_both_languages_gives_vietnamese_and_english() -> None:
    text = both_languages("file_set_aside", name="pre.responses.json", backup="x")
    assert "Không đọc được" in text and "could not be read" in text


def test_numbers_use_the_decimal_separator_of_the_language() -> None:
    assert points(2.5, "en") == "2.5" and points(2.5, "vi") == "2,5" and points(3.0, "vi") == "3"
    assert fill("{share:.0%} of {g:.2f}; {n} in {file}", "vi", share=0.456, g=0.4, n=1200, file="a.b") \
        == "46% of 0,40; 1200 in a.b"


def test_use_language_refuses_other_languages() -> None:
    with pytest.raises(ValueError, match="'en' or 'vi'"):
        use_language("fr")


def test_every_reason_a_figure_can_be_missing_has_its_vietnamese() -> None:
    from wpskit.report import figures
    from wpskit.report.text import NOTES_VI
    from wpskit.stats import notes

    reasons = [value for name, value in vars(notes).items() if name.isupper() and isinstance(value, str)]
    reasons += [figures.NO_POST, figures.NO_ROSTER, figures.NO_SURVEY, figures.SURVEY_NOT_COLLECTED]
    assert [reason for reason in reasons if reason not in NOTES_VI] == []


def test_each_part_reads_its_own_section_of_the_one_table() -> None:
    from wpskit import charts, paper
    from wpskit.report.text import SURVEY_TEXT, TEXT

    assert TEXT["vi"]["summary"] == WORDS["report.summary"]["vi"]
    assert SURVEY_TEXT["en"]["title"] == WORDS["report_survey.title"]["en"]
    assert charts.labels("vi")["pre"] == "Kiểm tra đầu vào"
    assert paper.HOW_TO_ANSWER["vi"]["truefalse"] == "Khoanh tròn Đúng hoặc Sai."
