"""The package's jinja2 templates (``wpskit/templates/``), rendered the one way: every value HTML-escaped."""

from __future__ import annotations

import functools
from typing import Any, Callable

import jinja2

from wpskit.words import label

Filters = dict[str, Callable[..., Any]]


def _environment(strict: bool, filters: Filters | None = None) -> jinja2.Environment:
    environment = jinja2.Environment(loader=jinja2.PackageLoader("wpskit", "templates"), autoescape=True,
                                     undefined=jinja2.StrictUndefined if strict else jinja2.Undefined)
    environment.filters.update(filters or {})
    environment.globals.update(zip=zip, label=label)  # label: the words table (words.yaml), as in the code
    return environment


_shared_environment = functools.cache(_environment)  # templates compiled once; filters need their own


def render(name: str, *, strict: bool = False, filters: Filters | None = None, **context: Any) -> str:
    """The template `name` filled in with `context`; `strict` makes a missing value an error, not ``""``.

    >>> render("plan_table.html.j2", titles=["Objective"], rows=[["<b>"]])
    "<table class='wpskit-plan'>...<td data-label='Objective'>&lt;b&gt;</td>..."
    """
    environment = _environment(strict, filters) if filters else _shared_environment(strict)
    return environment.get_template(name).render(**context)
