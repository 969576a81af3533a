"""Every example in the package's docstrings runs, and shows what it says."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import wpskit

MODULES = sorted(name for _, name, _ in pkgutil.walk_packages(wpskit.__path__, "wpskit."))


@pytest.mark.parametrize("name", MODULES)
def test_the_docstring_examples_of(name: str) -> None:
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE, verbose=False)
    assert result.failed == 0, f"{name}: {result.failed} of {result.attempted} examples failed (run doctest on it)"


def test_the_examples_are_found() -> None:
    attempted = sum(doctest.testmod(importlib.import_module(name), verbose=False).attempted
                    for name in ("wpskit.files", "wpskit.words", "wpskit.responses", "wpskit.language"))
    assert attempted >= 8
