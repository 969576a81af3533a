"""Numbers for people in their language (wpskit.formats); report.json keeps plain numbers."""

from __future__ import annotations

import re

import openpyxl
import pytest

from tests.test_report import cohort
from wpskit.formats import decimal, number, p_value, percent, points
from wpskit.report import write_report


@pytest.mark.parametrize(("value", "en", "vi"), [
    (20.334, "20.3", "20,3"), (60.0, "60", "60"), (1.333, "1.3", "1,3"), (0.05, "0.1", "0,1"), (None, "-", "-"),
    (1234.5, "1234.5", "1234,5"),
])
def test_points_have_one_decimal_and_the_language_s_decimal_sign(value, en, vi):
    assert (points(value, "en"), points(value, "vi")) == (en, vi)


def test_p_values_effect_sizes_and_percentages_are_rounded_as_people_read_them():
    assert [p_value(p, "vi") for p in (0.0370, 0.05, 0.5, 0.0004)] == ["p = 0,037", "p = 0,05", "p = 0,5", "p < 0,001"]
    assert decimal(0.4567, "vi") == "0,46" and decimal(-0.2, "en", 2, signed=True) == "-0.20"
    assert percent(45.25, "vi") == "45,2%" and percent(float("nan"), "vi") == "-"
    assert number(12345.678, "vi", ",.1f") == "12.345,7" and number(12345.678, "en", ",.1f") == "12,345.7"


def test_a_vietnamese_report_writes_every_number_with_a_decimal_comma_and_json_stays_plain(tmp_path):
    scores, roster = cohort()
    write_report(scores, roster, tmp_path / "en", lang="en")
    write_report(scores, roster, tmp_path / "vi", lang="vi")
    assert (tmp_path / "en" / "report.json").read_bytes() == (tmp_path / "vi" / "report.json").read_bytes()
    html = (tmp_path / "vi" / "report.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="num[^"]*">\s*([^<]*?)\s*</td>', html)
    assert len(cells) > 50
    assert [cell for cell in cells if re.search(r"\d\.\d", cell)] == []
    assert any(re.fullmatch(r"\d+,\d", cell) for cell in cells)
    summary = re.search(r"<table.*?</table>", html, re.S).group(0)
    assert not re.search(r"\d\.\d", re.sub(r"<[^>]+>", "", summary)), "a decimal point in the Vietnamese summary"
    assert re.search(r"p (=|&lt;) 0,\d", summary)
    english = (tmp_path / "en" / "report.html").read_text(encoding="utf-8")
    assert re.search(r"p (=|&lt;) 0\.\d", english)


def test_the_vietnamese_workbook_keeps_numbers_with_a_format_and_titles_everything_in_vietnamese(tmp_path):
    scores, roster = cohort()
    write_report(scores, roster, tmp_path, lang="vi")
    workbook = openpyxl.load_workbook(tmp_path / "report.xlsx")
    assert workbook.sheetnames == ["Tổng quan", "Học viên", "Câu hỏi", "Nhóm", "Mục tiêu"]
    summary = {row[2]: row for row in workbook["Tổng quan"].iter_rows(min_row=2, values_only=True)}
    raw = re.compile(r"^[a-z_]+(\.[a-z_0-9]+)*$")  # a report.json key or a column key, not words
    for sheet in workbook:
        titles = [cell.value for cell in sheet[1]]
        assert not [title for title in titles if raw.match(title)], (sheet.title, titles)
    assert not [figure for figure, *_ in summary.values() if raw.match(figure)]
    figure, value, key, _note = summary["gain.hake_g"]
    assert figure == "Mức tiến bộ chuẩn hoá (g của Hake)" and isinstance(value, float)
    cells = {row[2].value: row[1] for row in workbook["Tổng quan"].iter_rows(min_row=2)}
    assert cells["gain.hake_g"].number_format == "0.00" and cells["gain.mean_pre_pct"].number_format == "0.0"
    assert cells["gain.p_t"].number_format == "0.000" and cells["cohort.n_paired"].number_format == "0"
    assert "gain.d_z_ci95_lo" in cells and isinstance(cells["gain.d_z_ci95_hi"].value, float)
    options = [row[7] for row in workbook["Câu hỏi"].iter_rows(min_row=2, values_only=True) if row[7]]
    assert options and all(not re.search(r"\d\.\d", text) for text in options)


def test_chart_axes_of_a_vietnamese_report_write_a_decimal_comma():
    from wpskit.report import build_report, draw_charts

    scores, roster = cohort()
    figures = draw_charts(build_report(scores, roster), "vi")
    ticks = [axis.get_major_formatter()(0.5, 0) for figure in figures.values() for ax in figure.axes
             for axis in (ax.xaxis, ax.yaxis) if type(axis.get_major_formatter()).__name__ == "FuncFormatter"]
    assert "0,5" in ticks and "0.5" not in ticks
