"""What people read comes from the words table (words.yaml), not from literals written in the code.

An AST scan of wpskit/ finds text written straight into what a facilitator or trainer sees: a string
or f-string with words handed to print / console.print / typer.echo, or to a WpskitError or
typer.BadParameter raised. A table lookup (``label(...)``, ``counted(...)``) is fine. No module may have
one: new code writes its words into words.yaml in both languages.

``ValueError`` is scanned: pydantic shows a validator's ValueError to whoever wrote the item bank, exercises or
survey file, and a plan's or a form name's check reaches the facilitator. A raise that only a programming error
can reach (a wrong argument to a function, checked before any input gets there) says so with a trailing
``# developer-facing`` comment on one of its lines, and keeps its English for the developer who called wrongly.
Exempt on purpose, by type: ``TypeError`` and ``AssertionError`` (programming errors only), and a URL's scheme
(``http://``) is not words.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ERRORS = {"WpskitError", "InputDataError", "ItemBankError", "CourseError", "BadParameter", "ValueError"}
DEVELOPER_FACING = "# developer-facing"
PRINTS = {"print", "echo"}


def _has_words(node: ast.expr) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return False
    text = re.sub(r"\[[^\]]*\]", "", text)  # [red]...[/]: rich's markup
    return bool(re.search(r"[^\W\d_]{3,}", re.sub(r"\b[a-z]+://", "", text)))


def _words_in(node: ast.expr) -> bool:
    """Words in `node`, or in any part of a string built with ``+`` (``"no plan" + where + "; " + why``)."""
    return _has_words(node) or (isinstance(node, ast.BinOp) and (_words_in(node.left) or _words_in(node.right)))


def _called(node: ast.Call) -> str:
    function = node.func
    return function.attr if isinstance(function, ast.Attribute) else function.id if isinstance(function, ast.Name) else ""


def literal_messages(path: Path) -> list[int]:
    """Line numbers of text with words written straight into a print or a raised error (not one marked
    developer-facing)."""
    lines = []
    source = path.read_text(encoding="utf-8").splitlines()
    for node in ast.walk(ast.parse("\n".join(source))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and _called(node.exc) in ERRORS:
            if any(DEVELOPER_FACING in line for line in source[node.lineno - 1:node.end_lineno]):
                continue
            arguments = node.exc.args
        elif isinstance(node, ast.Call) and _called(node) in PRINTS:
            arguments = node.args
        else:
            continue
        if any(_words_in(argument) for argument in arguments):
            lines.append(node.lineno)
    return sorted(lines)


def test_no_module_writes_a_message_outside_the_words_table():
    found = {str(path.relative_to(ROOT)): lines for path in sorted((ROOT / "wpskit").rglob("*.py"))
             if (lines := literal_messages(path))}
    assert found == {}, (f"messages written in the code instead of words.yaml (module: lines): {found}; "
                         "put them in words.yaml (en and vi) and use label()")


def test_the_scan_finds_a_literal_message_and_accepts_a_table_lookup(tmp_path):
    module = tmp_path / "m.py"
    module.write_text('raise CourseError(f"{x}: no course here")\nraise CourseError(label("error.x", x=1))\n'
                      'console.print("Wrote " + str(p))\nprint(path)\nprint(f"    http://{host}:{port}/")\n'
                      'raise TypeError(f"not a {kind}")\n'
                      'raise ValueError(f"{spec.id}: a match answer is a dict")\n'
                      'raise ValueError(label("error.y"))\n'
                      'raise ValueError(f"pre and post must have the same length")  # developer-facing\n'
                      'raise ValueError(\n    f"language must be {x}, not {y!r}",  # developer-facing: checked by the CLI\n)\n'
                      'raise ValueError("developer-facing")\n'
                      'raise InputDataError("no plan found" + (f" ({x})" if x else "") + "; " + why)\n', encoding="utf-8")
    assert literal_messages(module) == [1, 3, 7, 13, 14]
