"""Action plans (Day 3): the rows a participant enters, their exports, and the facilitator's workbook.

A plan is what the :class:`~wpskit.widgets.plan.ActionPlan` widget saves in the responses
file (contract 2) under its id, e.g. ``"d3-04-my-plan"``: a list of rows, each an object
with exactly these keys, all strings (``""`` when not filled in yet)::

    [{"objective": "...", "activity": "...", "nap_area": "participation", "partners": "...",
      "timeline": "...", "indicator": "...", "resources": "..."}]

``nap_area`` is a code, the same in both languages: one of the four pillars of
resolution 1325 (2000) on which Viet Nam's NAP is built (``participation``,
``protection``, ``prevention``, ``relief-recovery``) or ``international-cooperation``,
the NAP's fifth area; ``""`` until one is chosen. Exports show it in the reader's language.

- :func:`plan_to_xlsx` and :func:`plan_to_html` write one participant's plan (the
  widget's "Download Excel" and "Printable page" buttons call them);
- :func:`gather_plans` (``wpskit plans gather``) puts every participant's plan into one
  workbook, one sheet per stakeholder group.

Pure Python, pandas-free and without ipywidgets: the widget, the CLI and tests share it.
The modules: ``rows`` (a plan's rows and their words), ``export`` (one participant's plan
as a workbook or printable page, from the jinja2 templates ``plan.html.j2`` and
``plan_table.html.j2``) and ``gather`` (every participant's plan into one workbook).
"""

from __future__ import annotations

from wpskit.plans.export import TABLE_STYLE, plan_page, plan_table_html, plan_to_html, plan_to_xlsx
from wpskit.plans.gather import FoundPlan, GatheredPlans, find_plans, gather_plans, plan_files_in_course, \
    plan_files_in_folder
from wpskit.plans.rows import NAP_AREAS, PLAN_FIELDS, column_titles, empty_row, nap_area_label, normalise_plan, plan_cells

__all__ = ["NAP_AREAS", "PLAN_FIELDS", "TABLE_STYLE", "FoundPlan", "GatheredPlans", "column_titles", "empty_row",
           "find_plans", "gather_plans", "nap_area_label", "normalise_plan", "plan_cells", "plan_files_in_course",
           "plan_files_in_folder", "plan_page", "plan_table_html", "plan_to_html", "plan_to_xlsx"]
