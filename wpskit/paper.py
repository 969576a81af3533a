"""Printable paper forms for days without network, and the CSV to type the answers into.

The paper form lists each question of a form with its options and a place to answer;
the answer sheet CSV has one row per participant and one column per item (the "wide"
layout ``wpskit import`` reads), so answers typed from paper reach the same gradebook
and are scored by the same rule as the online test. A written answer is marked by the
facilitator on paper: its score goes in the column ``<item>_score`` beside it.
For tablets, the same form is written as an XLSForm (``wpskit.xlsform``).
"""

from __future__ import annotations

import csv
from pathlib import Path


from wpskit.items import Item, Language, load_item_bank
from wpskit.errors import ItemBankError
from wpskit.pages import render
from wpskit.survey import load_survey, write_paper_survey
from wpskit.words import label, section
from wpskit.xlsform import write_xlsform

HOW_TO_ANSWER = section("paper")


def answer_sheet_columns(items: list[Item]) -> list[str]:
    """One column per item; a written item also gets ``<item>_score`` for the facilitator's mark."""
    return [column for item in items for column in ([item.id, f"{item.id}_score"] if item.type == "written" else [item.id])]


def write_paper_form(form_id: str, out_dir: Path | str, language: Language = "vi",
                     assessments: Path | str = "assessments", xlsform: bool = False) -> list[Path]:
    """Write ``<form>.<language>.html`` (print it) and ``<form>.answers.csv`` (type answers into it),
    or with `xlsform` the form for KoboToolbox / ODK Central tablets (``<form>.xlsform.xlsx``)."""
    if xlsform:
        return [write_xlsform(form_id, out_dir, language, assessments)]
    bank = load_item_bank(assessments)
    survey = load_survey(assessments, bank.objectives)
    if survey is not None and form_id == survey.id:
        return write_paper_survey(survey, out_dir, language)
    if form_id not in bank.forms:
        known = sorted(bank.forms) + ([survey.id] if survey is not None else [])
        raise ItemBankError(label("error.unknown_form", form=form_id, forms=", ".join(known)))
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    page = out / f"{form_id}.{language}.html"
    page.write_text(render("paper.html.j2", form=bank.forms[form_id], items=bank.form_items(form_id),
                           language=language, how_to_answer=HOW_TO_ANSWER), encoding="utf-8")
    sheet = out / f"{form_id}.answers.csv"
    with sheet.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerow(["participant_id", "form", *answer_sheet_columns(bank.form_items(form_id))])
    return [page, sheet]
