"""The action-plan builder (Day 3): a participant's organisation's actions, as rows of a table.

::

    ex = Exercises("d3-action-plan")          # ./d3-action-plan.responses.json
    plan = ex.action_plan("d3-my-plan")       # optional title={"en": ..., "vi": ...}

Saved value (under the plan's id in the responses file, contract 2): the list of rows,
each with exactly the keys of :data:`wpskit.plans.PLAN_FIELDS`, all strings; ``nap_area``
a code of :data:`wpskit.plans.NAP_AREAS` or ``""``::

    [{"objective": "...", "activity": "...", "nap_area": "protection", "partners": "...",
      "timeline": "...", "indicator": "...", "resources": "..."}]

Every keystroke saves, like every other answer, and a re-run notebook restores the plan.

Keyboard and touch, no dragging: "Add an action" appends a row and opens it for editing;
"Action you are editing" (a dropdown) picks the row the labelled fields below it edit; the
↑ / ↓ buttons move that row; "Delete this action" removes it at once and offers "Undo"
until the next change of rows. The plan is shown as a table that follows every change
(each row becomes a card at phone width). "Download Excel" and "Printable page" write
``<plan id>.xlsx`` / ``<plan id>.html`` next to the notebook (``wpskit.plans``) and show a
download link. The link carries the file itself (a ``data:`` URL with ``download``): an
HTML widget's relative link is not resolved against the notebook's folder by JupyterLab
or Voilà, while a data URL downloads the same file in both, offline.
"""

from __future__ import annotations

import base64
import html
import mimetypes
from pathlib import Path
from typing import Any, Mapping

import ipywidgets as widgets
import traitlets

from wpskit.errors import ItemBankError
from wpskit.items import ID_PATTERN, LocalText
from wpskit.language import current_language
from wpskit.plans import NAP_AREAS, PLAN_FIELDS, TABLE_STYLE, empty_row, nap_area_label, normalise_plan, \
    plan_table_html, plan_to_html, plan_to_xlsx
from wpskit.widgets.base import Mode, _Question
from wpskit.widgets.look import escape, full_width, hide_label, own_layout
from wpskit.words import WORDS, label
from wpskit.widgets.spec import QuestionSpec
from wpskit.responses import ResponseStore

LONG_FIELDS = ("activity", "resources")
NO_AREA = ""
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def plan_spec(plan_id: str, title: Mapping[str, str] | LocalText | None = None) -> QuestionSpec:
    """The spec of an action plan: its id and title (default "Action plan / Kế hoạch hành động")."""
    if not isinstance(plan_id, str) or not ID_PATTERN.match(plan_id):
        raise ItemBankError(label("error.plan_id", id=plan_id))
    if title is None:
        text = LocalText.model_validate(WORDS["plan_title"])
    else:
        text = title if isinstance(title, LocalText) else LocalText.model_validate(dict(title))
    return QuestionSpec(id=plan_id, type="plan", text=text, options={}, targets={}, points=0)  # type: ignore[arg-type]


def download_link(path: Path, text: str) -> str:
    """An ``<a download>`` carrying the file as a data URL: works in JupyterLab and Voilà, offline."""
    kind = XLSX_TYPE if path.suffix == ".xlsx" else mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    data = base64.b64encode(path.read_bytes()).decode("ascii")
    return (f'<a download="{html.escape(path.name, quote=True)}" href="data:{kind};base64,{data}">'
            f"{escape(text)}</a>")


class ActionPlan(_Question):
    """Rows of actions (objective, activity, NAP area, partners, timeline, indicator,
    resources needed): edit, reorder, delete with undo, see as a table, export to Excel
    and a printable page. Never scored, no Check button. See the module docstring."""

    hint = "hint_plan"
    checkable = False

    def __init__(self, plan_id: str, store: ResponseStore, mode: Mode = "exercise",
                 title: Mapping[str, str] | LocalText | None = None, **kwargs: Any) -> None:
        self._selected: int | None = None
        self._undo: tuple[int, dict[str, str]] | None = None
        self._exported: dict[str, Path] = {}
        self._export_error: str | None = None
        super().__init__(plan_spec(plan_id, title), store, mode, **kwargs)

    # -- controls ------------------------------------------------------------------------

    def _build_controls(self) -> list[widgets.Widget]:
        self.row_picker = widgets.Dropdown(options=[], value=None, layout=full_width())
        self.row_picker.observe(self._picked, names="value")
        self._picker_label = widgets.HTML()
        self.fields: dict[str, widgets.Widget] = {}
        self._field_labels: dict[str, widgets.HTML] = {}
        editors = []
        for name in PLAN_FIELDS:
            if name == "nap_area":
                control = widgets.Dropdown(options=self._area_options(), value=NO_AREA, layout=full_width())
            elif name in LONG_FIELDS:
                control = widgets.Textarea(value="", rows=3, continuous_update=True, layout=full_width())
            else:
                control = widgets.Text(value="", continuous_update=True, layout=full_width())
            control.observe(self._from_controls, names="value")
            self.fields[name] = control
            self._field_labels[name] = widgets.HTML()
            editors.append(widgets.VBox([self._field_labels[name], control], layout=full_width()))

        def button(icon: str, action) -> widgets.Button:
            made = widgets.Button(icon=icon, layout=widgets.Layout(width="auto"))
            made.on_click(lambda _b: action())
            made.add_class("wpskit-wrap")
            return made

        self.up_button = button("arrow-up", lambda: self.move(-1))
        self.down_button = button("arrow-down", lambda: self.move(+1))
        self.delete_button = button("trash", self.delete_row)
        self.add_button = button("plus", self.add_row)
        self.add_button.button_style = "primary"
        self.undo_button = button("undo", self.undo)
        self.xlsx_button = button("file-excel-o", self.download_excel)
        self.html_button = button("print", self.printable_page)
        self._empty = widgets.HTML()
        self._undo_text = widgets.HTML()
        self._undo_box = widgets.HBox([self._undo_text, self.undo_button],
                                      layout=own_layout(width="100%", max_width="100%", flex_flow="row wrap",
                                                        align_items="center"))
        self._editor = widgets.VBox(
            [self._picker_label, self.row_picker, *editors,
             widgets.HBox([self.up_button, self.down_button, self.delete_button], layout=full_width(flex_flow="row wrap"))],
            layout=own_layout(width="100%", max_width="100%", border="1px solid var(--jp-border-color2, #ccc)",
                              padding="0.4em 0.6em", margin="0.4em 0"),
        )
        self.table = widgets.HTML(layout=full_width())
        self.links = widgets.HTML(layout=full_width())
        return [self._editor, self._empty, self._undo_box, self.add_button, self.table,
                widgets.HBox([self.xlsx_button, self.html_button], layout=full_width(flex_flow="row wrap")), self.links]

    def _area_options(self) -> list[tuple[str, str]]:
        language = current_language()
        return [(label("choose"), NO_AREA)] + [(nap_area_label(code, language), code) for code in NAP_AREAS]

    # -- the rows ----------------------------------------------------------------------

    @property
    def rows(self) -> list[dict[str, str]]:
        """The plan now (a copy): what is saved."""
        return [dict(row) for row in (self.value or [])]

    @property
    def selected(self) -> int | None:
        """The row the fields edit (0 = first), None when the plan has no rows."""
        return self._selected

    def select(self, index: int) -> None:
        """Edit row `index` (0 = first) in the fields."""
        if not 0 <= index < len(self.rows):
            raise IndexError(f"the plan has {len(self.rows)} rows; there is no row {index + 1}")
        self._selected = index
        self._refresh()

    def add_row(self) -> None:
        """Append a blank row and open it for editing (saved at once)."""
        rows = self.rows + [empty_row()]
        self._selected = len(rows) - 1
        self._undo = None
        self.value = rows
        self.fields["objective"].focus()

    def delete_row(self) -> None:
        """Delete the row being edited; "Undo" puts it back until the rows change again."""
        rows = self.rows
        if self._selected is None or not rows:
            return
        index = self._selected
        self._undo = (index, rows.pop(index))
        self._selected = min(index, len(rows) - 1) if rows else None
        self.value = rows

    def undo(self) -> None:
        """Put the last deleted row back where it was."""
        if self._undo is None:
            return
        index, row = self._undo
        rows = self.rows
        rows.insert(min(index, len(rows)), row)
        self._undo = None
        self._selected = min(index, len(rows) - 1)
        self.value = rows

    def move(self, step: int) -> None:
        """Move the row being edited one place up (-1) or down (+1); it stays selected."""
        rows = self.rows
        if self._selected is None:
            return
        other = self._selected + step
        if not 0 <= other < len(rows):
            return
        rows[self._selected], rows[other] = rows[other], rows[self._selected]
        self._selected = other
        self._undo = None
        self.value = rows

    # -- value ---------------------------------------------------------------------------

    @traitlets.validate("value")
    def _valid_value(self, proposal: traitlets.Bunch) -> Any:
        if proposal.value is None:
            return None
        try:
            return normalise_plan(proposal.value, where=label("error.plans_where", id=self.spec.id))
        except ValueError as error:
            raise traitlets.TraitError(str(error)) from error

    def _read_controls(self) -> Any:
        rows = self.rows
        if self._selected is None or self._selected >= len(rows):
            return self.value
        rows[self._selected] = {name: self.fields[name].value or "" for name in PLAN_FIELDS}
        return rows

    def _show_value(self, value: Any) -> None:
        count = len(value or [])
        if count == 0:
            self._selected = None
        elif self._selected is None or self._selected >= count:
            self._selected = 0
        if self._exported:  # a link made before this change would download the old plan
            self._exported.clear()
            self._render_links()
        self._refresh()

    def _picked(self, change: traitlets.Bunch) -> None:
        if not self._syncing and change.new is not None:
            self.select(change.new)

    # -- rendering -----------------------------------------------------------------------

    def _refresh(self) -> None:
        """Show the selected row in the fields, the picker, the buttons, the table; saves nothing."""
        syncing, self._syncing = self._syncing, True
        try:
            rows = self.rows
            language = current_language()
            self.row_picker.options = [(self._row_title(n, row), n) for n, row in enumerate(rows)]
            self.row_picker.value = self._selected
            row = rows[self._selected] if self._selected is not None else empty_row()
            for name in PLAN_FIELDS:
                self.fields[name].value = row[name]
            has_rows = bool(rows)
            self._editor.layout.display = None if has_rows else "none"
            self._empty.value = "" if has_rows else f'<div class="wpskit-muted">{escape(label("plan_empty"))}</div>'
            self.up_button.disabled = not has_rows or self._selected == 0
            self.down_button.disabled = not has_rows or self._selected == len(rows) - 1
            self.delete_button.disabled = not has_rows
            self.xlsx_button.disabled = self.html_button.disabled = not has_rows
            self._undo_box.layout.display = None if self._undo is not None else "none"
            if self._undo is not None:
                self._undo_text.value = f'<span role="status">{escape(label("plan_deleted", n=self._undo[0] + 1))}</span>'
            self.table.value = (f"<style>{TABLE_STYLE}</style>" + plan_table_html(rows, language)) if has_rows else ""
        finally:
            self._syncing = syncing

    def _row_title(self, index: int, row: dict[str, str]) -> str:
        name = label("plan_row", n=index + 1)
        objective = " ".join(row["objective"].split())
        return f"{name}: {objective[:60]}{'…' if len(objective) > 60 else ''}" if objective else name

    def _label_controls(self) -> None:
        self._picker_label.value = f"<strong>{escape(label('plan_editing'))}</strong>"
        hide_label(self.row_picker, label("plan_editing"))
        for name in PLAN_FIELDS:
            text = label(f"plan_{name}")
            self._field_labels[name].value = f"<strong>{escape(text)}</strong>"
            hide_label(self.fields[name], text)
        area = self.fields["nap_area"]
        chosen = area.value
        area.options = self._area_options()
        area.value = chosen if chosen in (NO_AREA, *NAP_AREAS) else NO_AREA
        for control, name in ((self.up_button, "move_up"), (self.down_button, "move_down"),
                              (self.delete_button, "plan_delete"), (self.add_button, "plan_add"),
                              (self.undo_button, "plan_undo"), (self.xlsx_button, "plan_xlsx"),
                              (self.html_button, "plan_html")):
            control.description = label(name)
            control.tooltip = label(name)
        self._refresh()
        self._render_links()

    # -- exports -------------------------------------------------------------------------

    def _title(self) -> str:
        return self.spec.text.in_language(current_language())

    def download_excel(self) -> Path | None:
        """Write ``<plan id>.xlsx`` next to the notebook and show a link to it; returns its path."""
        return self._export("xlsx", lambda path: plan_to_xlsx(self.rows, path, current_language(), self._title()))

    def printable_page(self) -> Path | None:
        """Write ``<plan id>.html`` (printable) next to the notebook and show a link to it; returns its path."""
        return self._export("html", lambda path: plan_to_html(self.rows, path, current_language(), self._title()))

    def _export(self, kind: str, write) -> Path | None:
        path = self.store.directory / f"{self.spec.id}.{kind}"
        try:
            write(path)
        except (OSError, ValueError) as error:
            self._export_error = type(error).__name__
            self._exported.pop(kind, None)
            self._render_links()
            return None
        self._export_error = None
        self._exported[kind] = path
        self._render_links()
        return path

    def _render_links(self) -> None:
        parts = []
        if self._export_error:
            parts.append(f'<div role="alert">{escape(label("plan_not_written", reason=self._export_error))}</div>')
        for kind in ("xlsx", "html"):
            path = self._exported.get(kind)
            if path is not None and path.is_file():
                parts.append(f'<div role="status">{escape(label("plan_file_ready", name=path.name))} '
                             f'{download_link(path, label("plan_download", name=path.name))}</div>')
        self.links.value = "".join(parts)
