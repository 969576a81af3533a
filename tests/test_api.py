"""The library API has a function for every command, under the command's name."""

from __future__ import annotations

import inspect

import pytest
import typer

from wpskit import api
from wpskit.errors import InputDataError
from wpskit.cli import app

# Python names for commands whose own name cannot be one; `bench` runs a script of the source checkout.
PYTHON_NAMES = {"import": "import_answers"}
NOT_LIBRARY = {"bench"}


def commands(typer_app: typer.Typer, prefix: str = "") -> list[str]:
    names = [prefix + (command.name or command.callback.__name__) for command in typer_app.registered_commands]
    for group in typer_app.registered_groups:
        names += commands(group.typer_instance, f"{prefix}{group.name} ")
    return names


def test_every_command_has_its_api_function_with_a_docstring_example() -> None:
    names = [name for name in commands(app) if name not in NOT_LIBRARY]
    assert len(names) >= 14
    for name in names:
        function = getattr(api, PYTHON_NAMES.get(name, name.replace(" ", "_").replace("-", "_")), None)
        assert callable(function), f"wpskit {name}: no wpskit.api function of that name"
        assert "Example: ``api." in (function.__doc__ or ""), f"api.{function.__name__}: give an example"
        hints = inspect.get_annotations(function)
        assert "return" in hints and all(p in hints for p in inspect.signature(function).parameters), function.__name__


def test_a_wrong_language_is_one_clear_error() -> None:
    with pytest.raises(InputDataError, match="--lang 'fr': use en or vi"):
        api.paper("pre", lang="fr")
