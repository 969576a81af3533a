"""The end-of-workshop satisfaction and self-assessment survey (Kirkpatrick level 1).

Survey questions are not items of contract 1 (no key, no points, no scored type), so
the survey has its own file, ``assessments/survey.yaml``, validated here, and is built
into its own nbgrader assignment (``survey``) beside the forms::

    id: survey                      # the assignment and responses-file name (default: survey)
    title: {en: ..., vi: ...}
    intro: {en: ..., vi: ...}       # optional, shown above the questions
    confidence:                     # the two prompts of every confidence question
      before: {en: "BEFORE the workshop, how sure were you that you could: {objective}", vi: ...}
      after:  {en: "NOW, how sure are you that you can: {objective}", vi: ...}
    questions:
      - {id: s-relevance, kind: rating, text: {en: ..., vi: ...}}      # 1 strongly disagree .. 5 strongly agree
      - {id: s-conf-d1-1, kind: confidence, objective: D1.1}          # asked twice: before / now
      - {id: s-comment-useful, kind: comment, text: {en: ..., vi: ...}}

Rules (checked on load, with the file and the question id in the message): ids are
unique ``[a-z0-9-]``; a rating or comment has a text; a confidence question names a
learning objective of ``objectives.yaml`` (its text defaults to the objective's) and
every objective has exactly one confidence question, so the survey cannot drift from the
objectives.

Answers in ``survey.responses.json`` (contract 2): a rating ``<id>`` an int 1..5; a
confidence question ``<id>-before`` and ``<id>-after``, ints 1..5 (retrospective
"before the workshop" and "now"); a comment ``<id>`` the text. Nothing is scored:
the notebook has no grade cells (nbgrader generates, releases, collects and autogrades
it all the same; autograding it is never needed), and the report reads the responses
files of ``submitted/`` (:func:`read_survey_answers`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from pprint import pformat
from typing import Any, Literal, get_args

import nbformat
import pandas as pd
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
from pydantic import Field, model_validator

from wpskit.errors import ItemBankError, WpskitError
from wpskit.build import HIDDEN, SCHEMA_VERSION, submit_cell
from wpskit.language import speaking
from wpskit.items import LocalText, Objective, Slug, StrictModel, load_item_bank, read_yaml, validate_entry
from wpskit.layout import imported_participants, open_course, responses_file, submitted_participants
from wpskit.pages import render
from wpskit.responses import read_responses
from wpskit.words import label, section as words_of

SURVEY_FILE = "survey.yaml"
LEVELS = (1, 2, 3, 4, 5)
PHASES = ("before", "after")
Kind = Literal["rating", "confidence", "comment"]

KINDS: tuple[Kind, ...] = get_args(Kind)


def _words(name: str) -> LocalText:
    return LocalText(en=label(name, "en"), vi=label(name, "vi"))


SECTION_TITLES = {kind: _words(f"notebook.survey_{kind}") for kind in KINDS}
SECTION_HINTS = {kind: _words(f"notebook.survey_{kind}_hint") for kind in KINDS}


class ConfidencePrompts(StrictModel):
    before: LocalText
    after: LocalText

    @model_validator(mode="after")
    def _has_placeholder(self) -> "ConfidencePrompts":
        for phase in PHASES:
            for language in ("en", "vi"):
                if "{objective}" not in getattr(getattr(self, phase), language):
                    raise ValueError(label("error.survey_confidence_placeholder", phase=phase, language=language))
        return self


class SurveyQuestion(StrictModel):
    """One survey question (not an item: no key, no points)."""

    id: Slug
    kind: Kind
    text: LocalText | None = None
    objective: str | None = None

    @model_validator(mode="after")
    def _fits_kind(self) -> "SurveyQuestion":
        if self.kind == "confidence" and not self.objective:
            raise ValueError(label("error.survey_confidence_objective"))
        if self.kind != "confidence" and self.objective:
            raise ValueError(label("error.survey_objective_not_confidence", kind=self.kind))
        if self.kind != "confidence" and self.text is None:
            raise ValueError(label("error.survey_text_needed", kind=self.kind))
        return self

    def answer_ids(self) -> list[str]:
        """The ids its answers are saved under: ``<id>`` or ``<id>-before``, ``<id>-after``."""
        return [f"{self.id}-{phase}" for phase in PHASES] if self.kind == "confidence" else [self.id]


class Survey(StrictModel):
    """The validated survey of ``assessments/survey.yaml`` (see the module docstring)."""

    id: Slug = "survey"
    title: LocalText
    intro: LocalText | None = None
    confidence: ConfidencePrompts
    questions: list[SurveyQuestion] = Field(min_length=1)
    objectives: dict[str, Objective] = Field(default_factory=dict)

    def of_kind(self, kind: Kind) -> list[SurveyQuestion]:
        return [q for q in self.questions if q.kind == kind]

    def text_of(self, question: SurveyQuestion) -> LocalText:
        """The question's text; a confidence question's defaults to its objective's."""
        if question.text is not None:
            return question.text
        return self.objectives[question.objective].text  # type: ignore[index]

    def prompt(self, question: SurveyQuestion, phase: str) -> LocalText:
        """A confidence question's "before" or "after" prompt, the objective filled in."""
        template, text = getattr(self.confidence, phase), self.text_of(question)
        return LocalText(en=template.en.format(objective=text.en), vi=template.vi.format(objective=text.vi))


def load_survey(root: Path | str = "assessments", objectives: dict[str, Objective] | None = None) -> Survey | None:
    """The survey of ``<root>/survey.yaml`` checked against the objectives; None if there is no such file.

    `objectives` defaults to those of ``<root>/objectives.yaml``. Raises ``ItemBankError``
    naming the file and the question on the first problem.
    """
    root = Path(root)
    path = root / SURVEY_FILE
    if not path.is_file():
        return None
    if objectives is None:
        objectives = load_item_bank(root).objectives
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise ItemBankError(label("error.survey_not_a_mapping", file=path))
    questions = data.get("questions")
    if isinstance(questions, list):
        for position, entry in enumerate(questions, start=1):
            name = entry.get("id", f"#{position}") if isinstance(entry, dict) else f"#{position}"
            validate_entry(SurveyQuestion, entry, path, label("error.survey_what_question", id=name))
    survey = validate_entry(Survey, {**data, "objectives": objectives}, path, label("error.survey_what_survey"))
    seen: set[str] = set()
    for question in survey.questions:
        clash = seen & ({question.id} | set(question.answer_ids()))
        if clash:
            raise ItemBankError(label("error.survey_id_twice", file=path, question=question.id, id=sorted(clash)[0]))
        seen |= {question.id, *question.answer_ids()}
    asked: dict[str, str] = {}
    for question in survey.of_kind("confidence"):
        if question.objective not in objectives:
            raise ItemBankError(label("error.survey_unknown_objective", file=path, question=question.id,
                                      objective=question.objective, objectives=root / "objectives.yaml"))
        if question.objective in asked:
            raise ItemBankError(label("error.survey_confidence_twice", file=path, question=question.id,
                                      objective=question.objective, other=asked[question.objective]))
        asked[question.objective] = question.id
    missing = [objective for objective in objectives if objective not in asked]
    if missing:
        example = f"- {{id: s-conf-{missing[0].lower().replace('.', '-')}, kind: confidence, objective: {missing[0]}}}"
        raise ItemBankError(label("error.survey_no_confidence", file=path, missing=missing, example=example))
    return survey


# -- the nbgrader source notebook ------------------------------------------------------


def _meta(grade_id: str) -> dict:
    return {"nbgrader": {"grade": False, "solution": False, "locked": True, "task": False, "grade_id": grade_id,
                         "schema_version": SCHEMA_VERSION}}


def _literal(text: LocalText) -> str:
    return pformat(text.model_dump(), width=110, sort_dicts=False)


def survey_notebook(survey: Survey) -> nbformat.NotebookNode:
    """The survey's nbgrader source notebook: locked, hidden question cells and no grade cell."""
    intro = [f"# {survey.title.en}\n", label("notebook.survey_intro", "en"),
             f"\n# {survey.title.vi}\n", label("notebook.survey_intro", "vi")]
    if survey.intro is not None:
        intro += [f"\n{survey.intro.en}", f"\n*{survey.intro.vi}*"]
    cells = [new_markdown_cell("\n".join(intro), metadata=_meta(f"{survey.id}-intro")),
             new_code_cell(f"from wpskit.widgets import Assessment\nsurvey = Assessment({survey.id!r})\n"
                           "survey.language_switch()", metadata={**HIDDEN, **_meta(f"{survey.id}-setup")})]
    section = None
    for question in survey.questions:
        if question.kind != section:
            section = question.kind
            title, hint = SECTION_TITLES[section], SECTION_HINTS[section]
            cells.append(new_markdown_cell(f"## {title.en} / {title.vi}\n\n{hint.en}\n\n*{hint.vi}*",
                                           metadata=_meta(f"{survey.id}-{section}-section")))
        if question.kind == "confidence":
            for phase, answer_id in zip(PHASES, question.answer_ids()):
                source = f"survey.confidence({answer_id!r}, {_literal(survey.prompt(question, phase))});"
                cells.append(new_code_cell(source, metadata={**HIDDEN, **_meta(answer_id)}))
        else:
            call = "rating" if question.kind == "rating" else "comment"
            source = f"survey.{call}({question.id!r}, {_literal(survey.text_of(question))});"
            cells.append(new_code_cell(source, metadata={**HIDDEN, **_meta(question.id)}))
    cells.append(submit_cell(survey.id))
    notebook = new_notebook(cells=cells)
    notebook.metadata.kernelspec = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}
    notebook.metadata.language_info = {"name": "python"}
    return notebook


# -- the answers, for the report --------------------------------------------------------

ANSWER_COLUMNS = ["participant_id", "question", "kind", "objective", "phase", "value"]


@dataclass(frozen=True)
class SurveyAnswers:
    """Every survey answer that could be read, tidy, and why the others could not.

    ``answers``: one row per participant x rating or confidence answer
    (participant_id, question, kind, objective, phase "before"/"after"/"", value 1..5).
    ``comments``: question id -> the texts given (never linked to a participant).
    ``respondents``: participants whose file was read. ``skipped``: participant id ->
    why their file was left out. ``dropped``: (participant id, answer id, why) for single
    answers left out of a file that was read. The reasons are English (report.json keeps them);
    ``reasons_vi`` gives each one's Vietnamese, for the Vietnamese page and warnings.
    """

    survey: Survey
    answers: pd.DataFrame
    comments: dict[str, list[str]] = field(default_factory=dict)
    respondents: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    dropped: list[tuple[str, str, str]] = field(default_factory=list)
    reasons_vi: dict[str, str] = field(default_factory=dict)

    def reason(self, english: str, language: str) -> str:
        """One of the reasons above as a reader of `language` sees it."""
        return self.reasons_vi.get(english, english) if language == "vi" else english


def _level(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        level = int(value)
    except ValueError:
        return None
    return level if level in LEVELS and float(value) == level else None


def _refusal(path: Path, language: str) -> str | None:
    """Why read_responses refuses `path`, in `language` and without the path (it names a participant)."""
    with speaking(language):
        try:
            read_responses(path)
        except WpskitError as error:
            return str(error).removeprefix(f"{path}: ")
    return None


def survey_answers(survey: Survey, files: dict[str, Path | None]) -> SurveyAnswers:
    """Read the survey responses file of each participant (participant id -> path, None if missing).

    A missing or unreadable file skips that participant, with the reason; an answer that is
    not a level 1-5 is dropped, with the reason; everything else is counted.
    """
    by_answer_id = {answer_id: (q, phase) for q in survey.questions
                    for answer_id, phase in zip(q.answer_ids(), PHASES if q.kind == "confidence" else ("",))}
    rows = []
    comments: dict[str, list[str]] = {q.id: [] for q in survey.of_kind("comment")}
    respondents, skipped, dropped = [], {}, []
    reasons_vi: dict[str, str] = {}

    def reason(name: str, **fields: object) -> str:  # English for report.json, its Vietnamese kept beside it
        english = label(name, "en", **fields)
        reasons_vi[english] = label(name, "vi", **fields)
        return english

    for participant_id, path in sorted(files.items()):
        if path is None:
            skipped[participant_id] = reason("note.survey_no_file", file=f"{survey.id}.responses.json")
            continue
        try:
            with speaking("en"):  # the reason goes into report.json, which is English whatever --lang says
                responses = read_responses(path)
        except WpskitError as error:
            skipped[participant_id] = str(error).removeprefix(f"{path}: ")
            reasons_vi[skipped[participant_id]] = _refusal(path, "vi") or skipped[participant_id]
            continue
        if responses.form != survey.id:
            skipped[participant_id] = reason("note.survey_other_form", form=responses.form, survey=survey.id)
            continue
        respondents.append(participant_id)
        for answer_id, answer in responses.answers.items():
            if answer_id not in by_answer_id:
                continue
            question, phase = by_answer_id[answer_id]
            if question.kind == "comment":
                if isinstance(answer.value, str) and answer.value.strip():
                    comments[question.id].append(answer.value.strip())
                continue
            level = _level(answer.value)
            if level is None:
                dropped.append((participant_id, answer_id, reason("note.survey_not_a_level", value=answer.value)))
                continue
            rows.append((participant_id, question.id, question.kind, question.objective or "", phase, level))
    return SurveyAnswers(survey=survey, answers=pd.DataFrame(rows, columns=ANSWER_COLUMNS),
                         comments={q: sorted(texts) for q, texts in comments.items()},
                         respondents=respondents, skipped=skipped, dropped=dropped, reasons_vi=reasons_vi)


def read_survey_answers(course_root: Path | str, survey: Survey) -> SurveyAnswers:
    """The survey answers of every participant who submitted the survey in an nbgrader course,
    or whose paper survey was imported (``wpskit import`` of ``wpskit paper survey``'s sheet)."""
    course = open_course(course_root)
    participants = sorted(set(submitted_participants(course, survey.id)) | set(imported_participants(course, survey.id)))
    return survey_answers(survey, {pid: responses_file(course.root, pid, survey.id) for pid in participants})


# -- on paper ----------------------------------------------------------------------------

def answer_ids(survey: Survey) -> list[str]:
    """Every answer id in the paper form's order (ratings, confidence, comments): its answer sheet's columns."""
    return [answer_id for kind in ("rating", "confidence", "comment") for question in survey.of_kind(kind)
            for answer_id in question.answer_ids()]


def write_paper_survey(survey: Survey, out_dir: Path | str, language: Literal["en", "vi"] = "vi") -> list[Path]:
    """``survey.<language>.html`` to print, and ``survey.answers.csv``: one column per answer id,
    numbered as on the page, for ``wpskit import`` to bring the paper answers into the report."""
    import csv

    sections, number = [], 0
    for kind in ("rating", "confidence", "comment"):
        prompts = []
        for question in survey.of_kind(kind):
            texts = ([survey.prompt(question, phase) for phase in PHASES] if kind == "confidence"
                     else [survey.text_of(question)])
            for text in texts:
                number += 1
                prompts.append((number, text.in_language(language)))
        if prompts:
            sections.append({"kind": kind, "title": SECTION_TITLES[kind], "hint": SECTION_HINTS[kind],
                             "prompts": prompts})
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{survey.id}.{language}.html"
    page.write_text(render("paper_survey.html.j2", survey=survey, sections=sections, language=language,
                           scale=words_of("paper_survey")[language]),
                    encoding="utf-8")
    sheet = out / f"{survey.id}.answers.csv"
    with sheet.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow(["participant_id", "form", *answer_ids(survey)])
    return [page, sheet]
