"""What a participant does and sees, in a real browser: the helpers of the browser tests.

- :class:`Site` is the running server (JupyterLab and Voilà's pages on one port).
- :class:`Visit` is one participant on one module notebook, in one view: ``"page"``
  (Voilà: ``/voila/render/...``, runs itself) or ``"lab"`` (JupyterLab: *Run → Run All
  Cells* from the menu bar, as the notebook tells them).
- the hands that answer (mouse, keyboard) are in :mod:`tests.browser.hands`.
- :func:`notebook_questions` reads the questions (with their keys and feedback) from the
  module's exercises file, in the order the notebook's code cells show them, so the tests
  answer any module correctly without a second copy of its content.

Everything is read from the DOM, as the participant sees it: question widgets are
``.widget-vbox.wpskit-question``; the verdict is ``.wpskit-verdict``.
"""

from __future__ import annotations

import json
import re
import shutil
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from wpskit.words import label

QUESTIONS = ".widget-vbox.wpskit-question"
SCORE_BOARD = ".widget-html .wpskit-board"
PHONE = {"viewport": {"width": 480, "height": 900}, "device_scale_factor": 1, "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 800}}
# JupyterLab's menu bar: "Run" is "Chạy" in the Vietnamese language pack.
RUN_MENU = {"en": "Run", "vi": "Chạy"}
KERNEL_MENU = {"en": "Kernel", "vi": "Kernel"}
VIETNAMESE = re.compile(r"[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]", re.I)


def language_of(notebook: str) -> str:
    return "vi" if notebook.endswith(".vi.ipynb") else "en"


def words(text: str) -> str:
    return " ".join(text.split())


def button(where, text: str):
    """The button labelled `text` (its icon, a Font Awesome glyph, may come first in its name)."""
    return where.get_by_role("button", name=re.compile(rf"^\W*{re.escape(text)}$"))


# -- the questions of a notebook, read from its exercises file ----------------------------------

EXERCISES_FILE = re.compile(r'\bExercises\(\s*"[^"]+",\s*exercises="([^"]+)"\)')
SHOW_CALL = re.compile(r'\bex\.show\("([^"]+)"\)')
SHOWN_KINDS = {"plan": "action_plan"}


@dataclass
class Question:
    """One ``ex.show("<id>")`` call of a notebook, with the exercise as its YAML file has it."""

    kind: str  # the item type, "confidence", "scenario" or "action_plan"
    spec: dict[str, Any]  # the exercise's entry in <notebook>.exercises.yaml

    def prompt(self, language: str) -> str | None:
        if self.kind == "action_plan" and not self.spec.get("title"):
            return label("plan_title", language)
        text = self.spec.get("title" if self.kind in ("scenario", "action_plan") else "text")
        return text.get(language) if isinstance(text, dict) else None


def notebook_questions(path: Path) -> list[Question]:
    """The exercises `path`'s code cells show, in order, read from the exercises file its
    setup cell names (``Exercises(..., exercises=...)``)."""
    sources = ["".join(cell["source"]) for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]
               if cell["cell_type"] == "code"]
    names = [name for source in sources for name in EXERCISES_FILE.findall(source)]
    if not names:
        return []
    entries = yaml.safe_load((path.parent / names[0]).read_text(encoding="utf-8"))
    exercises = {entry["id"]: entry for entry in entries}
    shown = [exercises[exercise_id] for source in sources for exercise_id in SHOW_CALL.findall(source)]
    return [Question(SHOWN_KINDS.get(spec["type"], spec["type"]), spec) for spec in shown]


# -- the server ---------------------------------------------------------------------------------


@dataclass
class Site:
    url: str
    token: str
    root: Path  # the folder the server serves
    modules: Path  # the repository's modules/ (copied, never served)
    log: Path
    _copies: int = field(default=0)

    def viewport(self, width: str) -> dict[str, Any]:
        return dict(PHONE if width == "phone" else DESKTOP)

    def copy_module(self, notebook: str, test_name: str) -> str:
        """Copy the module folder of `notebook` (a path under modules/) to a fresh folder; its path there."""
        self._copies += 1
        source = self.modules / notebook
        slug = re.sub(r"[^a-z0-9]+", "-", test_name.lower()).strip("-")[:60]
        target = self.root / f"{self._copies:02d}-{slug}" / source.parent.name
        shutil.copytree(source.parent, target, ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
        return (target / source.name).relative_to(self.root).as_posix()

    def api(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
        return json.loads(text) if text else None

    def set_lab_locale(self, language: str) -> None:
        """JupyterLab's menus in `language`, as `wpskit lab --lang vi` makes them (the user setting here)."""
        locale = {"en": "en", "vi": "vi_VN"}[language]
        self.api("PUT", "/lab/api/settings/@jupyterlab/translation-extension:plugin",
                 {"raw": json.dumps({"locale": locale})})

    def wait_for_kernel(self, notebook: str, timeout: float = 60) -> None:
        """Until the notebook's kernel is started and idle: a Run All sent earlier can be lost."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for session in self.api("GET", "/api/sessions"):
                if session["path"] == notebook and session["kernel"]["execution_state"] == "idle":
                    time.sleep(0.2)  # the page's connection to it follows the server's
                    return
            time.sleep(0.1)
        raise AssertionError(f"{notebook}: no idle kernel within {timeout} s")

    def shutdown_kernels(self) -> None:
        for kernel in self.api("GET", "/api/kernels"):
            try:
                self.api("DELETE", f"/api/kernels/{kernel['id']}")
            except OSError:
                pass



SNAPSHOT = """() => {
  const text = e => (e.textContent || '').split(/\\s+/).join(' ').trim();
  const questions = Array.from(document.querySelectorAll('.widget-vbox.wpskit-question')).map(q => ({
    radio: Array.from(q.querySelectorAll('input[type=radio]')).filter(i => i.checked).map(i => text(i.closest('label'))),
    ticked: Array.from(q.querySelectorAll('input[type=checkbox]')).filter(i => i.checked).map(i => text(i.closest('label'))),
    selects: Array.from(q.querySelectorAll('select')).map(s => (s.options[s.selectedIndex] || {}).text),
    typed: Array.from(q.querySelectorAll('input[type=text], textarea')).map(i => i.value),
    rows: Array.from(q.querySelectorAll('.widget-hbox .widget-html-content')).map(text).filter(t => /^\\d+\\./.test(t)),
    verdicts: q.querySelector('textarea') ? [] : Array.from(q.querySelectorAll('.wpskit-verdict')).map(text),
  }));
  const boards = Array.from(document.querySelectorAll('.widget-html .wpskit-board')).map(text);
  return {questions, boards};
}"""

PROBLEMS = """() => {
  const visible = e => !!(e.offsetWidth || e.offsetHeight || e.getClientRects().length);
  const body = document.body.innerText;
  const problems = [];
  for (const phrase of ['Error displaying widget', 'Traceback (most recent call last)', 'There was an error when executing cell',
                        'Model not found', 'Failed to load model class']) {
    if (body.includes(phrase)) problems.push('the page says: ' + phrase);
  }
  for (const e of document.querySelectorAll('[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"], .jp-OutputArea-output.jp-mod-error')) {
    if (visible(e)) problems.push('error output: ' + e.innerText.slice(0, 300));
  }
  return problems;
}"""

FONTS = """(pattern) => {
  const vietnamese = new RegExp(pattern, 'i');
  const bad = [];
  const root = document.querySelector('#rendered_cells') || document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)') || document.body;
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (!vietnamese.test(node.textContent)) continue;
    const element = node.parentElement;
    if (!element || !(element.offsetWidth || element.offsetHeight)) continue;
    const family = getComputedStyle(element).fontFamily;
    if (/mono|courier|consolas|menlo/i.test(family.split(',')[0])) bad.push(node.textContent.trim().slice(0, 60) + ' <- ' + family);
  }
  for (const control of root.querySelectorAll('input, textarea, select, button')) {
    const value = control.value || control.innerText || '';
    const family = getComputedStyle(control).fontFamily;
    if (vietnamese.test(value) && /mono|courier|consolas|menlo/i.test(family.split(',')[0])) bad.push(value.slice(0, 60) + ' <- ' + family);
  }
  return bad;
}"""

OVERFLOW = """() => {
  const width = window.innerWidth;
  const wide = [];
  if (document.documentElement.scrollWidth > width + 1) wide.push('page: ' + document.documentElement.scrollWidth + ' px wide');
  for (const e of document.querySelectorAll('.jupyter-widgets')) {
    const box = e.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || e.scrollWidth > e.clientWidth + 1)) wide.push((e.className || '').slice(0, 80) + ': ' + Math.round(box.right) + ' px / scroll ' + e.scrollWidth);
  }
  return wide;
}"""


@dataclass
class Visit:
    """One participant on one notebook (a fresh copy) in one view."""

    site: Site
    page: Any
    notebook: str  # path under the served root
    view: str  # "page" or "lab"

    @property
    def language(self) -> str:
        return language_of(self.notebook)

    @property
    def source(self) -> Path:
        return self.site.root / self.notebook

    @property
    def questions(self) -> list[Question]:
        return notebook_questions(self.source)

    def url(self) -> str:
        if self.view == "page":
            return f"{self.site.url}/voila/render/{self.notebook}?token={self.site.token}"
        # a workspace of its own: nothing restored from another visit, no "?reset" redirect
        workspace = re.sub(r"[^a-z0-9]+", "-", self.notebook.lower())
        return f"{self.site.url}/lab/workspaces/{workspace}/tree/{self.notebook}?token={self.site.token}"

    # -- opening -----------------------------------------------------------------------------

    def open(self, timeout: float = 90) -> float:
        """Open the module as the participant does; seconds until every question is on screen."""
        if self.view == "lab":
            self.site.set_lab_locale(self.language)
        start = time.monotonic()
        self.page.goto(self.url())
        if self.view == "lab":
            self._run_all_from_menu()
        self.wait_for_questions(timeout)
        return time.monotonic() - start

    def _kernel_idle(self) -> None:
        self.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
        self.page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(state="attached", timeout=60_000)
        self.site.wait_for_kernel(self.notebook)

    def _menu(self, menus: dict[str, str], command: str) -> None:
        self.page.locator(".lm-MenuBar-item", has_text=menus[self.language]).first.click()
        self.page.locator(f".lm-Menu-item[data-command='{command}']:not(.lm-mod-disabled)").first.click()

    def _run_all_from_menu(self) -> None:
        self._kernel_idle()
        if self.page.viewport_size["width"] < 600:
            # On a phone the file browser would take half the screen: close it, as a participant would.
            current = self.page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
            if current.count():
                current.first.click()
        self._menu(RUN_MENU, "runmenu:run-all")

    def reopen(self) -> None:
        """Come back: reload the page (Voilà), or restart the kernel and run all (JupyterLab)."""
        if self.view == "page":
            self.page.reload()
        else:
            self._kernel_idle()
            self._menu(KERNEL_MENU, "runmenu:restart-and-run-all")
            self.page.locator(".jp-Dialog .jp-mod-accept").click()
            # the old outputs go first; then the questions come back one by one
            self.page.locator(QUESTIONS).first.wait_for(state="detached", timeout=60_000)
        self.wait_for_questions(90)

    def wait_for_questions(self, timeout: float = 90) -> None:
        expected = len(self.questions)
        assert expected > 0, f"{self.notebook}: no ex.show("<id>") call found"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            count = self.page.locator(QUESTIONS).count()
            if count >= expected and self.page.locator(f"{QUESTIONS} >> nth={expected - 1}").is_visible():
                # the score board (if any) and the last cell's outputs follow the last question
                self.page.wait_for_timeout(300)
                return
            problems = self.problems()
            assert not problems, f"{self.notebook} ({self.view}): {problems}"
            self.page.wait_for_timeout(250)
        raise AssertionError(f"{self.notebook} ({self.view}): {self.page.locator(QUESTIONS).count()} of "
                             f"{expected} questions on screen after {timeout} s; problems: {self.problems()}")

    # -- what the participant sees ----------------------------------------------------------------

    def problems(self) -> list[str]:
        return self.page.evaluate(PROBLEMS)

    def assert_participant_view(self, phone: bool) -> None:
        """Every widget rendered without error text; no code; no monospace Vietnamese; at
        phone width nothing wider than the screen."""
        page = self.page
        assert not self.problems(), self.problems()
        widgets = page.locator(".jupyter-widgets")
        assert widgets.count() > 0
        shown = page.locator(QUESTIONS).count()
        assert shown == len(self.questions), f"{shown} questions on screen, {len(self.questions)} in the notebook"
        if self.view == "page":
            code = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-InputArea-editor, .cm-editor, .jp-InputPrompt, .jp-OutputPrompt'))
                                    .filter(e => e.offsetWidth || e.offsetHeight).length""")
            assert code == 0, f"{code} code editors or prompts visible on the page"
        else:
            code = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .cm-content:visible").count()
            assert code == 0, f"{code} code cells show their source in JupyterLab (source_hidden missing?)"
        body = page.locator("body").inner_text()
        if self.view == "page":
            # (JupyterLab shows the first line of a hidden cell, a "# label", in its placeholder.)
            for fragment in ("import wpskit", "ex.show(", "use_language("):
                assert fragment not in body, f"code on screen: {fragment!r}"
        if self.language == "vi":
            assert VIETNAMESE.search(body), "no Vietnamese text on a Vietnamese page"
        monospace = page.evaluate(FONTS, VIETNAMESE.pattern)
        assert monospace == [], f"Vietnamese text in a monospace font: {monospace}"
        if phone:
            wide = page.evaluate(OVERFLOW)
            assert wide == [], f"wider than a 480 px phone: {wide}"

    def snapshot(self) -> dict[str, Any]:
        """Every answer as shown on screen (options chosen, text typed, order, verdicts, score)."""
        return self.page.evaluate(SNAPSHOT)

    def saved_answers(self) -> dict[str, Any]:
        files = list(self.source.parent.glob("*.responses.json"))
        assert len(files) == 1, f"expected one responses file next to {self.notebook}, found {files}"
        return json.loads(files[0].read_text(encoding="utf-8"))

    def wait_until_saved(self, item_id: str, value: Any = None, timeout: float = 15) -> None:
        """Wait until the responses file holds `value` (or any value) for `item_id`: the kernel
        has the answer, so a Check pressed now checks it."""
        deadline = time.monotonic() + timeout
        answers: dict[str, Any] = {}
        while time.monotonic() < deadline:
            try:
                answers = self.saved_answers()["answers"]
            except (AssertionError, ValueError):
                answers = {}
            if item_id in answers and (value is None or answers[item_id]["value"] == value):
                return
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{item_id}: {value!r} not saved within {timeout} s; saved: {answers.get(item_id)}")

    def question(self, spec_question: Question):
        prompt = spec_question.prompt(self.language)
        questions = self.page.locator(QUESTIONS)
        if prompt is None:
            raise AssertionError(f"{self.notebook}: a question is not a literal dict; cannot find it by its text")
        found = questions.filter(has=self.page.locator(".wpskit-prompt", has_text=words(prompt)[:120]))
        assert found.count() >= 1, f"no question shows the text {prompt!r}"
        return found.first

    def wait_until_restored(self, before: dict[str, Any], timeout: float = 20) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        after = self.snapshot()
        while after != before and time.monotonic() < deadline:
            self.page.wait_for_timeout(250)
            after = self.snapshot()
        return after
