"""A plan's rows as saved in the responses file, checked, and in the reader's words."""

from __future__ import annotations

from typing import Any, Sequence

from wpskit.language import Language
from wpskit.words import label

PLAN_FIELDS = ("objective", "activity", "nap_area", "partners", "timeline", "indicator", "resources")
NAP_AREAS = ("participation", "protection", "prevention", "relief-recovery", "international-cooperation")


def empty_row() -> dict[str, str]:
    """A new row, every field blank."""
    return dict.fromkeys(PLAN_FIELDS, "")


def normalise_plan(value: Any, where: str | None = None) -> list[dict[str, str]]:
    """The plan in its saved form: a list of rows with every key of ``PLAN_FIELDS``.

    A missing key becomes ``""``; anything else that does not fit raises ``ValueError``
    saying which row and field, in the current language (`where` names the plan in the message).

    >>> normalise_plan([{"objective": "Train 20 reporters", "nap_area": "prevention"}])[0]["activity"]
    ''
    >>> normalise_plan([{"objective": 3}])
    Traceback (most recent call last):
    ...
    ValueError: plan, row 1: 'objective' is 3, not text
    """
    where = where or label("error.plans_where_any")
    fields = ", ".join(PLAN_FIELDS)
    if not isinstance(value, list):
        raise ValueError(label("error.plans_not_a_list", where=where, type=type(value).__name__))
    rows = []
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            raise ValueError(label("error.plans_row_not_an_object", where=where, row=number, fields=fields))
        unknown = sorted(set(row) - set(PLAN_FIELDS))
        if unknown:
            raise ValueError(label("error.plans_row_unknown_fields", where=where, row=number, unknown=unknown, fields=fields))
        clean = empty_row()
        for name, text in row.items():
            if text is None:
                continue
            if not isinstance(text, str):
                raise ValueError(label("error.plans_row_not_text", where=where, row=number, field=name, value=text))
            clean[name] = text
        if clean["nap_area"] not in ("", *NAP_AREAS):
            raise ValueError(label("error.plans_row_nap_area", where=where, row=number, value=clean["nap_area"],
                                   areas=", ".join(NAP_AREAS)))
        rows.append(clean)
    return rows


def nap_area_label(code: str, language: Language) -> str:
    """The NAP area in words (``""`` for none chosen)."""
    return label("nap_" + code.replace("-", "_"), language) if code else ""


def column_titles(language: Language) -> list[str]:
    """The column titles of a plan, in ``PLAN_FIELDS`` order."""
    return [label(f"plan_{name}", language) for name in PLAN_FIELDS]


def plan_cells(rows: Sequence[dict[str, str]], language: Language) -> list[list[str]]:
    """The rows as the reader sees them: one list of texts per row, NAP area in words."""
    return [[nap_area_label(row[name], language) if name == "nap_area" else row[name] for name in PLAN_FIELDS]
            for row in normalise_plan(list(rows))]
