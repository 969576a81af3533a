"""A form as an XLSForm, for the days participants answer on tablets without network.

KoboToolbox and ODK Central both take an XLSForm (an ``.xlsx`` with the sheets ``survey``,
``choices`` and ``settings``), convert it with pyxform, and send it to KoboCollect / ODK
Collect, which work offline. This module writes that file from the item bank, and names
every question so that the tools' CSV exports come back through ``wpskit import``:

- ``participant_id`` first (required, checked like the roster's ids), then a hidden
  ``form`` field holding the form's id, so an export says which form it is;
- one question per item, in the form's order, named by its item id; ``single``,
  ``truefalse`` and ``multi`` as select questions whose choice names are the option keys;
- an ``order`` item as one select-one per position (``<item>_1``, ``<item>_2``, ...),
  which every ODK client shows, where a ranking widget is not everywhere;
- a ``match`` item as one select-one per option (``<item>_<option>``) among the targets;
- ``text`` and ``written`` items as text.

``_`` never occurs in an item id, so these names cannot collide with one. No key,
feedback or rubric is written: the file goes to a server the facilitator may not own.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from openpyxl import Workbook

from wpskit.errors import ItemBankError
from wpskit.items import LANGUAGES, Item, ItemBank, Language, load_item_bank
from wpskit.roster import PARTICIPANT_ID
from wpskit.spreadsheets import text_only
from wpskit.words import WORDS, label

LANGUAGE_NAMES: dict[Language, str] = {"vi": "Tiếng Việt (vi)", "en": "English (en)"}
PARTICIPANT = "participant_id"
FORM = "form"
TRUE_FALSE_LIST = "truefalse"
# ODK names are XML names; item ids may start with a digit, which XML refuses.
XML_NAME_START = "abcdefghijklmnopqrstuvwxyz_"


Part = Literal["answer", "position", "option", "detail", "score"]


@dataclass(frozen=True)
class AnswerColumn:
    """What one export column holds: the whole answer of `item`, or one part of it."""

    item: Item
    part: Part
    key: str = ""  # the position (1, 2, ...) or the option key


def form_id_of(form_id: str) -> str:
    """The XLSForm's ``form_id``; KoboToolbox and ODK Central name exports after it."""
    return f"wpskit-{form_id}"


def answer_columns(items: list[Item]) -> dict[str, AnswerColumn]:
    """Every column name an answer of these items may come back under, from paper or a tablet.

    ``<item>`` the whole answer (a paper sheet; a select question); ``<item>_<n>`` the
    option put at position n; ``<item>_<option>`` the target matched to an option;
    ``<item>/<option>`` KoboToolbox's 0/1 column of a select-multiple option;
    ``<item>_score`` a hand-given score (a written answer marked on paper).
    """
    columns: dict[str, AnswerColumn] = {}
    for item in items:
        columns[item.id] = AnswerColumn(item, "answer")
        columns[f"{item.id}_score"] = AnswerColumn(item, "score")
        if item.type == "order":
            columns.update({f"{item.id}_{n}": AnswerColumn(item, "position", str(n))
                            for n in range(1, len(item.options) + 1)})
        if item.type == "match":
            columns.update({f"{item.id}_{key}": AnswerColumn(item, "option", key) for key in item.options})
        if item.type == "multi":
            columns.update({f"{item.id}/{key}": AnswerColumn(item, "detail", key) for key in item.options})
    return columns


def _labels(texts: dict[str, str] | None = None, **by_language: str) -> dict[str, str]:
    texts = texts or by_language
    return {f"label::{LANGUAGE_NAMES[language]}": texts[language] for language in LANGUAGES}


def _in_both(name: str) -> dict[str, str]:
    """The words table's text `name` (a tablet's own are ``xlsform.``) in each language."""
    return {language: label(name, language) for language in LANGUAGES}


def _hints(key: str) -> dict[str, str]:
    """The widgets' own hints, except where a tablet is answered differently (order)."""
    texts = _in_both(f"xlsform.{key}" if f"xlsform.{key}" in WORDS else key)
    return {f"hint::{LANGUAGE_NAMES[language]}": texts[language] for language in LANGUAGES}


def _local(item_text) -> dict[str, str]:
    return {language: item_text.in_language(language) for language in LANGUAGES}


def _choices(list_name: str, options: dict) -> list[dict[str, str]]:
    return [{"list_name": list_name, "name": key, **_labels(_local(text))} for key, text in options.items()]


def _order_rows(item: Item) -> list[dict[str, str]]:
    rows = [{"type": "begin_group", "name": f"{item.id}_group", "appearance": "field-list",
             **_labels(_local(item.text)), **_hints("hint_order")}]
    for n in range(1, len(item.options) + 1):
        earlier = [f"${{{item.id}_{m}}}" for m in range(1, n)]
        rows.append({
            "type": f"select_one {item.id}", "name": f"{item.id}_{n}",
            **_labels({language: f"{n}." for language in LANGUAGES}),
            # a later position is required once the first is chosen, and repeats no option
            "required": f"${{{item.id}_1}} != ''" if n > 1 else "",
            "constraint": " and ".join(f". != {name}" for name in earlier),
            **({f"constraint_message::{LANGUAGE_NAMES[lang]}": label("xlsform.order_no_repeat", lang) for lang in LANGUAGES}
               if earlier else {}),
        })
    rows.append({"type": "end_group", "name": ""})
    return rows


def _match_rows(item: Item) -> list[dict[str, str]]:
    rows = [{"type": "begin_group", "name": f"{item.id}_group", "appearance": "field-list",
             **_labels(_local(item.text)), **_hints("hint_match")}]
    rows += [{"type": f"select_one {item.id}_targets", "name": f"{item.id}_{key}", **_labels(_local(text))}
             for key, text in item.options.items()]
    rows.append({"type": "end_group", "name": ""})
    return rows


def _item_rows(item: Item) -> list[dict[str, str]]:
    if item.type == "order":
        return _order_rows(item)
    if item.type == "match":
        return _match_rows(item)
    question_type = {"single": f"select_one {item.id}", "multi": f"select_multiple {item.id}",
                     "truefalse": f"select_one {TRUE_FALSE_LIST}", "text": "text", "written": "text"}[item.type]
    row = {"type": question_type, "name": item.id, **_labels(_local(item.text)), **_hints(f"hint_{item.type}")}
    if item.type == "written":
        row["appearance"] = "multiline"
    return [row]


def _item_choices(item: Item) -> list[dict[str, str]]:
    if item.type in ("single", "multi", "order"):
        return _choices(item.id, item.options)
    if item.type == "match":
        return _choices(f"{item.id}_targets", item.targets)
    return []


def _version(bank: ItemBank, form_id: str) -> str:
    """Changes whenever what a participant sees changes, so the servers tell versions apart."""
    public = [item.public_dict() for item in bank.form_items(form_id)]
    digest = hashlib.sha256(json.dumps(public, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    return digest[:12]


def xlsform_sheets(bank: ItemBank, form_id: str, language: Language = "vi") -> dict[str, list[dict[str, str]]]:
    """The three sheets of the form's XLSForm, as rows of {column: cell}."""
    items = bank.form_items(form_id)
    for item in items:
        if item.id[0] not in XML_NAME_START:
            raise ItemBankError(label("error.xlsform_name_start", id=item.id))
    participant_pattern = PARTICIPANT_ID.pattern
    survey = [
        {"type": "start", "name": "start"},
        {"type": "end", "name": "end"},
        {"type": "text", "name": PARTICIPANT, **_labels(_in_both("xlsform.participant")), "required": "yes",
         "constraint": f"regex(., '{participant_pattern}')",
         **{f"constraint_message::{LANGUAGE_NAMES[lang]}": label("xlsform.participant_rule", lang) for lang in LANGUAGES}},
        {"type": "calculate", "name": FORM, "calculation": f"'{form_id}'"},
    ]
    choices = []
    if any(item.type == "truefalse" for item in items):
        choices += [{"list_name": TRUE_FALSE_LIST, "name": key, **_labels({lang: label(key, lang) for lang in LANGUAGES})}
                    for key in ("true", "false")]
    for item in items:
        survey += _item_rows(item)
        choices += _item_choices(item)
    form = bank.forms[form_id]
    settings = [{"form_title": form.title.in_language(language), "form_id": form_id_of(form_id),
                 "version": _version(bank, form_id), "default_language": LANGUAGE_NAMES[language],
                 "instance_name": f"concat(${{{PARTICIPANT}}}, ' {form_id}')"}]
    return {"survey": survey, "choices": choices, "settings": settings}


def _write_sheet(sheet, rows: list[dict[str, str]]) -> None:
    header = list(dict.fromkeys(column for row in rows for column in row))
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column) or None for column in header])


def write_xlsform(form_id: str, out_dir: Path | str, language: Language = "vi",
                  assessments: Path | str = "assessments") -> Path:
    """Write ``<out_dir>/<form>.xlsform.xlsx`` to upload to KoboToolbox or ODK Central."""
    bank = load_item_bank(assessments)
    sheets = xlsform_sheets(bank, form_id, language)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        _write_sheet(workbook.create_sheet(name), rows)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{form_id}.xlsform.xlsx"
    text_only(workbook).save(path)  # item text that starts with '=' stays text, never a formula
    return path
