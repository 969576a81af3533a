"""The trainer's report (contract 4): ``report.json``, ``report.xlsx``, ``report.html`` and charts.

One job a module: ``figures`` computes every figure once from tidy scores (``build_report``,
``report.json``, the pseudonyms); ``text`` holds what the figures mean in both languages;
``html`` and ``xlsx`` lay them out; ``write`` is what ``wpskit report`` runs (reads the
course's gradebook or a scores CSV, draws the charts of ``wpskit.charts``, writes the files).
Participants appear only as pseudonyms (P001, ..., in the order of their ids).

Beyond contract 4, ``report.json`` has a ``survey`` key: its fields are listed in the
docstring of ``wpskit.report.figures``.
"""

from wpskit.report.figures import Report, build_report, report_json
from wpskit.report.write import draw_charts, write_report, write_report_from_files

__all__ = ["Report", "build_report", "draw_charts", "report_json", "write_report", "write_report_from_files"]
