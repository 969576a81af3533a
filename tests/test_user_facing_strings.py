"""What people read comes from the words table (words.yaml), not from literals written in the code.

An AST scan of wpskit/ finds text written straight into what a facilitator or trainer sees: a string
or f-string with words handed to print / console.print / typer.echo, or to a WpskitError or
typer.BadParameter raised. A table lookup (``label(...)``, ``counted(...)``) is fine. Modules not yet moved
to the table are counted below: the count may only go down (move a message, lower its number); a module
that gains one fails, so new code writes its words into words.yaml in both languages.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERRORS = {"WpskitError", "InputDataError", "ItemBankError", "CourseError", "BadParameter"}
PRINTS = {"print", "echo"}
# Messages still in English only, by module (a ratchet: lower a number when you move messages to words.yaml).
# Item bank, exercises and widget-spec errors are for the content authors who edit the YAML.
STILL_IN_ENGLISH = {
    "wpskit/api.py": 1,
    "wpskit/hub/room.py": 5,
    "wpskit/hub/settings.py": 2,
    "wpskit/language.py": 1,
    "wpskit/nbgrader_api.py": 1,
    "wpskit/report/figures.py": 1,
    "wpskit/workshop.py": 1,
}


def _has_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return False
    return bool(re.search(r"[^\W\d_]{3,}", re.sub(r"\[[^\]]*\]", "", text)))  # [red]...[/]: rich's markup


def _called(node: ast.Call) -> str:
    function = node.func
    return function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(function, ast.Name) else ""


def literal_messages(path: Path) -> list[int]:
    """Line numbers of text with words written straight into a print or a raised error."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _called(node.exc) in ERRORS:
            arguments = node.exc.args
        elif isinstance(node, ast.Call) and _called(node) in PRINTS:
            arguments = node.args
        else:
            continue
        if any(_has_words(argument) or (isinstance(argument, ast.BinOp) and (_has_words(argument.left) or
                                                                             _has_words(argument.right)))
               for argument in arguments):
            lines.append(node.lineno)
    return lines


def test_no_module_writes_more_messages_outside_the_words_table_than_it_did():
    found = Counter({str(path.relative_to(ROOT)): len(literal_messages(path))
                     for path in sorted((ROOT / "wpskit").rglob("*.py"))})
    found = +found  # drop zeros
    grown = {module: (count, STILL_IN_ENGLISH.get(module, 0)) for module, count in found.items()
             if count > STILL_IN_ENGLISH.get(module, 0)}
    assert grown == {}, ("messages written in the code instead of words.yaml (found, allowed): "
                         f"{grown}; put them in words.yaml (en and vi) and use label()")
    shrunk = {module: (found.get(module, 0), allowed) for module, allowed in STILL_IN_ENGLISH.items()
              if found.get(module, 0) < allowed}
    assert shrunk == {}, f"fewer English-only messages than allowed (found, allowed): {shrunk}; lower the numbers"


def test_the_scan_finds_a_literal_message_and_accepts_a_table_lookup(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('raise CourseError(f"{x}: no course here")\nraise CourseError(label("error.x", x=1))\n'
                      'console.print("Wrote " + str(p))\nprint(path)\n', encoding="utf-8")
    assert literal_messages(module) == [1, 3]
