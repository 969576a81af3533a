"""Day 2's practice charts: pictures drawn ahead of time, current, and drawn on the page when missing.

The pages show ``figures/<chart>.<language>.<stamp>.png`` so that a room opening a page at once
does not draw forty charts (``wpskit.widgets.practice``); the stamp is the chart file's contents,
so a chart changed without drawing its pictures again fails here, not in front of participants.
"""

from __future__ import annotations

import base64
import importlib.util
import re
import shutil
import struct
from pathlib import Path
from types import ModuleType

import pytest

from wpskit.language import LANGUAGES
from wpskit.widgets.practice import chart_html

REPO = Path(__file__).resolve().parent.parent
DAY2 = REPO / "modules" / "day2-nts"
DRAW_AGAIN = ".venv/bin/python modules/day2-nts/practice_charts.py"


def _charts_module(folder: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"practice_charts_{abs(hash(folder))}", folder / "practice_charts.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _png_size(picture: bytes) -> tuple[int, int]:
    assert picture[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", picture[16:24])


def _picture_in(page: str) -> bytes:
    found = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert found, "no picture in the chart's HTML"
    return base64.b64decode(found.group(1))


CHARTS = _charts_module(DAY2).CHARTS


def test_every_chart_is_drawn_for_this_version_in_both_languages() -> None:
    expected = {chart.picture_path(language) for chart in CHARTS.values() for language in LANGUAGES}
    missing = sorted(path.name for path in expected if not path.is_file())
    assert not missing, f"modules/day2-nts/figures: no picture {missing} for this version of practice_charts.py; run {DRAW_AGAIN}"
    stale = sorted(path.name for path in (DAY2 / "figures").iterdir() if path not in expected)
    assert not stale, f"modules/day2-nts/figures: {stale} belong to no chart of this version; run {DRAW_AGAIN}"
    for path in expected:
        assert _png_size(path.read_bytes()) == (640, 440), path.name


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_shows_the_picture_drawn_ahead(language: str) -> None:
    chart = CHARTS["concerns"]
    assert _picture_in(chart_html(chart, language)) == chart.picture_path(language).read_bytes()


def test_a_missing_picture_is_drawn_on_the_page(tmp_path: Path) -> None:
    shutil.copytree(DAY2, tmp_path / "day2", ignore=shutil.ignore_patterns("figures", "*.responses.json*", "__pycache__"))
    charts = _charts_module(tmp_path / "day2").CHARTS
    for chart in charts.values():
        picture = _picture_in(chart_html(chart, "vi"))
        assert _png_size(picture) == (640, 440)
        assert picture != CHARTS[chart.name].picture_path("en").read_bytes()  # the Vietnamese one
    assert not (tmp_path / "day2" / "figures").exists(), "a page must not write into the participant's folder"


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_the_table_gives_the_same_figures_in_both_languages(name: str) -> None:
    chart = CHARTS[name]
    tables = {language: chart.table(chart.words[language], language) for language in LANGUAGES}
    figures = {language: [[cell.replace(".", "").replace(",", "") for cell in row[1:]] for row in rows]
               for language, (_, rows) in tables.items()}
    numbers = {language: [[cell for cell in row if cell.isdigit()] for row in table] for language, table in figures.items()}
    assert numbers["en"] == numbers["vi"] and any(numbers["en"])
    for language, (columns, rows) in tables.items():
        assert all(len(row) == len(columns) for row in rows), f"{name} ({language}): a row without every column"
