"""Feedback for each participant: their answer, their points, and — when it can no longer
spoil a later test — the right answer and why, in the language they answered in.

Pre and post share their items (contract 2), so the keys and explanations of a form are
held back while another form with the same items has not been collected yet: the
pre-test's feedback then shows points only. Pages are written where nbgrader's
``release_feedback`` looks for them: ``feedback/<participant>/<form>/<form>.html``, each beside
the receipt of the participant's exchange submission (``timestamp.txt`` and
``submission_secret.txt``, which nbgrader needs to deliver it). A participant who answered on
paper or a tablet has no such receipt: their page is for printing, and release skips them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shutil


from wpskit.answers import decode_answer, describe_answer, describe_key
from wpskit.errors import CourseError, WpskitError
from wpskit.gradebook import read_scores
from wpskit.items import ItemBank, load_item_bank
from wpskit.language import Language
from wpskit.layout import Course, open_course, responses_file, submitted_participants
from wpskit.nbgrader_api import check_nbgrader_result, nbgrader_api
from wpskit.formats import points
from wpskit.pages import render
from wpskit.responses import read_responses
from wpskit.words import checked_language, label, section


def forms_still_open(course: Course, bank: ItemBank, form_id: str) -> list[str]:
    """Other forms that share items with `form_id` and have no submissions collected yet."""
    mine = set(bank.forms[form_id].items)
    return sorted(
        other for other, form in bank.forms.items()
        if other != form_id and mine & set(form.items) and not submitted_participants(course, other)
    )


def _language(course: Course, participant_id: str, form_id: str, default: str) -> Language:
    path = responses_file(course.root, participant_id, form_id)
    try:
        return checked_language((read_responses(path).language or default) if path else default)
    except WpskitError:  # an unreadable file was graded 0 already; its language does not matter
        return checked_language(default)


# What nbgrader's release_feedback reads beside each page: the submission's time and secret.
SUBMISSION_RECEIPT = ("timestamp.txt", "submission_secret.txt")
PAGE_WORDS = section("feedback")


def _submission_receipt(course: Course, participant_id: str, form_id: str) -> Path | None:
    """The folder with nbgrader's receipt of an exchange submission, or None (paper, tablet)."""
    for step in ("autograded", "submitted"):
        folder = course.root / step / participant_id / form_id
        if all((folder / name).is_file() for name in SUBMISSION_RECEIPT):
            return folder
    return None


@dataclass(frozen=True)
class FeedbackResult:
    written: list[Path]
    keys_held_back_for: list[str]
    # Participants whose page nbgrader can deliver (they submitted through the exchange) ...
    deliverable: list[str]
    # ... and those who answered on paper or a tablet: their page is to be printed.
    print_only: list[str]
    released: bool


def write_feedback(course_root: Path | str, form_id: str, assessments: Path | str = "assessments",
                   default_language: str = "en", release: bool = False) -> FeedbackResult:
    """Write one feedback page per graded participant; optionally release them through nbgrader."""
    course = open_course(course_root)
    bank = load_item_bank(assessments)
    if form_id not in bank.forms:
        raise CourseError(label("error.no_form_in_bank", form=form_id, folder=assessments, forms=", ".join(sorted(bank.forms))))
    scores = read_scores(course.root).query("form == @form_id")
    if scores.empty:
        raise CourseError(label("error.nothing_graded", form=form_id))
    open_forms = forms_still_open(course, bank, form_id)
    written, deliverable, print_only = [], [], []
    for participant_id, rows in scores.groupby("participant_id"):
        language = _language(course, participant_id, form_id, default_language)
        by_item = {row.item_id: row for row in rows.itertuples()}
        entries = []
        for item in bank.form_items(form_id):
            row = by_item.get(item.id)
            value = decode_answer(item.type, row.response) if row is not None else None
            entries.append({
                "question": item.text.in_language(language),
                "answer": describe_answer(item, value, language),
                "score": None if row is None or row.score != row.score else row.score,
                "points": item.points,
                "key": None if open_forms or not item.is_auto_graded else describe_key(item, language),
                "why": None if open_forms or item.feedback is None else item.feedback.in_language(language),
            })
        page = course.root / "feedback" / participant_id / form_id / f"{form_id}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(render("feedback.html.j2", form=bank.forms[form_id], language=language, entries=entries,
                               held_back=bool(open_forms), t=PAGE_WORDS[language],
                               points=lambda value, language=language: points(value, language)),
                        encoding="utf-8")
        written.append(page)
        receipt = _submission_receipt(course, participant_id, form_id)
        if receipt is None:
            print_only.append(participant_id)
        else:
            for name in SUBMISSION_RECEIPT:
                shutil.copyfile(receipt / name, page.parent / name)
            deliverable.append(participant_id)
    if release and deliverable:
        api = nbgrader_api(course)
        api.coursedir.student_id_exclude = ",".join(print_only)
        check_nbgrader_result(api.release_feedback(form_id), label("error.nbgrader_release_feedback", form=form_id))
    return FeedbackResult(written=written, keys_held_back_for=open_forms, deliverable=deliverable,
                          print_only=print_only, released=release and bool(deliverable))

