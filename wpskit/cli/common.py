"""What every command shares: the library loader, the option types and the ``--lang`` handling, the two consoles."""

from __future__ import annotations

import importlib
from types import ModuleType

import typer
from rich.console import Console

from wpskit.errors import InputDataError
from wpskit.language import Language, current_language, language_from_locale, use_language
from wpskit.layout import DEFAULT_ASSESSMENTS, DEFAULT_COURSE
from wpskit.words import checked_language, label


def api() -> ModuleType:
    """``wpskit.api``, loaded by the command that needs it: it brings nbgrader, pandas and
    matplotlib (seconds), and ``wpskit --help`` should answer at once."""
    return importlib.import_module("wpskit.api")


AssessmentsOption = typer.Option(DEFAULT_ASSESSMENTS, help="The item bank and forms.")


def output_language(ctx: typer.Context, value: str | None) -> Language:
    """The language the command speaks: --lang, else the locale's (``LANG``/``LC_ALL`` starting ``vi``), checked where
    the options are parsed (exit status 2 and usage, as for any bad option). Everything the command prints, its errors
    included, is in it; the language before is back when the command ends (a notebook or a test calling the app)."""
    try:
        language = language_from_locale() if value is None else checked_language(value)
    except InputDataError:
        raise typer.BadParameter(label("cli.use_en_or_vi")) from None
    before = current_language()
    ctx.call_on_close(lambda: use_language(before))
    global error_language
    error_language = use_language(language)
    return language


def lab_language(ctx: typer.Context, value: str | None) -> str | None:
    """`wpskit lab --lang` also switches JupyterLab's menus, and only when given: None leaves them as they are."""
    output_language(ctx, value)
    return value


LanguageOption = typer.Option(None, "--lang", callback=output_language, show_default="from LANG / LC_ALL",
                              help="Language of what the command prints and writes: en or vi.")
error_language: Language = "en"  # the language of the last command, for the red line main() prints after it ended


console = Console()
error_console = Console(stderr=True)

CourseOption = typer.Option(DEFAULT_COURSE, "--dir", "--course", help="The nbgrader course directory.")
FormArgument = typer.Argument(..., help="The form: pre, post, or another form in assessments/forms/.")


def print_warnings(warnings: list[str]) -> None:
    """The library's warnings about the input (a row skipped, a file missing), a yellow line each on stderr."""
    for warning in warnings:
        error_console.print(f"[yellow]{label('cli.warning')}[/] {warning}", highlight=False, soft_wrap=True)

