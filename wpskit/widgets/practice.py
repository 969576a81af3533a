"""A chart of invented figures for practice: its picture drawn ahead of time, with a table.

Day 2's pages teach reading a chart. Drawing it in the page's kernel cost matplotlib and pandas
(about 1.7 s of CPU, forty times over when a room opens the page in the same minute), so the
picture is drawn once, by running the module's ``practice_charts.py``, into ``figures/`` beside
it, under a name stamped with that file's contents. A page whose picture is missing or stale
(the chart changed since it was drawn) draws it there and then, as before::

    from practice_charts import CONCERNS          # the module's charts: data, words, drawing
    from wpskit.widgets.practice import PracticeChartView
    PracticeChartView(CONCERNS)                   # notice, picture, caption and table; relabels
"""

from __future__ import annotations

import base64
import hashlib
import html
import inspect
import io
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import ipywidgets as widgets

from wpskit.language import LANGUAGES, current_language, on_language_change
from wpskit.words import label

Words = Mapping[str, Any]
FIGURE_SIZE = (6.4, 4.4)  # inches at 100 dpi: 640 x 440 px, readable on a phone held sideways


@dataclass(frozen=True)
class PracticeChart:
    """One chart: `draw(ax, words, language)` draws it on a matplotlib Axes, `table(words, language)`
    gives the same figures as (columns, rows) of text; `words[language]` holds its ``title``,
    ``caption``, ``alt`` text and ``table_caption`` and whatever `draw` and `table` read."""

    name: str
    words: Mapping[str, Words]
    draw: Callable[[Any, Words, str], None]
    table: Callable[[Words, str], tuple[list[str], list[list[str]]]]

    @cached_property
    def _source(self) -> tuple[Path, str]:
        """The file that defines the chart, and the stamp of its contents (read once, not at every relabel)."""
        source = Path(inspect.getsourcefile(self.draw) or "")
        return source, hashlib.sha256(source.read_bytes()).hexdigest()[:12]

    def picture_path(self, language: str) -> Path:
        """``figures/<name>.<language>.<stamp>.png`` beside the file that defines the chart."""
        source, stamp = self._source
        return source.parent / "figures" / f"{self.name}.{language}.{stamp}.png"

    def picture(self, language: str) -> bytes:
        """The PNG drawn ahead of time, or drawn now when there is none for this version."""
        path = self.picture_path(language)
        return path.read_bytes() if path.is_file() else draw_picture(self, language)


def draw_picture(chart: PracticeChart, language: str) -> bytes:
    from matplotlib.figure import Figure  # only here: a page with its picture never loads it

    figure = Figure(figsize=FIGURE_SIZE, dpi=100, layout="constrained")
    chart.draw(figure.subplots(), chart.words[language], language)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def save_pictures(charts: Iterable[PracticeChart]) -> list[Path]:
    """Draw every chart in every language into its ``figures/`` and remove older versions' pictures."""
    saved = []
    for chart in charts:
        for language in LANGUAGES:
            path = chart.picture_path(language)
            path.parent.mkdir(exist_ok=True)
            for old in path.parent.glob(f"{chart.name}.{language}.*.png"):
                old.unlink()
            path.write_bytes(draw_picture(chart, language))
            saved.append(path)
    return saved


def chart_html(chart: PracticeChart, language: str) -> str:
    """The notice (both languages), the picture with its caption, and the same figures as a table."""
    words = chart.words[language]
    image = base64.b64encode(chart.picture(language)).decode("ascii")
    columns, rows = chart.table(words, language)
    head = "".join(
        f'<th scope="col" style="text-align:{"left" if i == 0 else "right"};padding:0.2em 0.6em;border-bottom:1px solid #888">{html.escape(c)}</th>'
        for i, c in enumerate(columns)
    )
    body = "".join(
        "<tr>" + f'<th scope="row" style="text-align:left;padding:0.2em 0.6em;font-weight:normal">{html.escape(row[0])}</th>'
        + "".join(f'<td style="text-align:right;padding:0.2em 0.6em">{html.escape(cell)}</td>' for cell in row[1:]) + "</tr>"
        for row in rows
    )
    notice = "<br>".join(f"<strong>{html.escape(label('practice_notice', lang))}</strong>" for lang in ("en", "vi"))
    return (
        '<div style="max-width:100%;box-sizing:border-box;line-height:1.45;overflow-wrap:anywhere">'
        f'<p style="border-left:4px solid #9a6700;padding:0.2em 0 0.2em 0.6em;margin:0 0 0.6em 0">{notice}</p>'
        f'<figure style="margin:0 0 0.8em 0"><img src="data:image/png;base64,{image}" alt="{html.escape(words["alt"], quote=True)}" style="max-width:100%;height:auto;display:block">'
        f'<figcaption style="font-size:0.95em;margin-top:0.3em">{html.escape(words["caption"])}</figcaption></figure>'
        f'<table style="border-collapse:collapse;max-width:100%;font-size:0.95em"><caption style="text-align:left;font-weight:bold;padding-bottom:0.3em">{html.escape(words["table_caption"])}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


class PracticeChartView(widgets.HTML):
    """The chart in the page's language; the language switch at the top redraws it."""

    def __init__(self, chart: PracticeChart) -> None:
        # 100% wide plus ipywidgets' 2 px margins would make the output scroll sideways on a phone
        super().__init__(chart_html(chart, current_language()),
                         layout=widgets.Layout(width="calc(100% - 2 * var(--jp-widgets-margin, 2px))"))
        self.chart = chart
        on_language_change(self.relabel)

    def relabel(self, language: str) -> None:
        self.value = chart_html(self.chart, language)

