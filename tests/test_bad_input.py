"""A corpus of malformed files (issue #16): each is refused with one clear line naming the file and
where in it, a non-zero exit, and a gradebook and course folder byte-identical to before."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from tests.test_grading import BANK
from wpskit.cli import app
from wpskit.course import build_course, import_roster
from wpskit.errors import WpskitError
from wpskit.responses import read_responses

HEAD = "participant_id,form,item_id,score,max_score,response\n"
WIDE = "participant_id,form,t-single,t-multi\n"
BOM = b"\xef\xbb\xbf"

# name -> (command, file name, content, what the one line must say)
ROSTERS = {
    "roster: latin-1": ("roster", "roster.csv", "participant_id,name\np01,José\n".encode("latin-1"), r"line 2 is not UTF-8"),
    "roster: utf-16": ("roster", "roster.csv", "participant_id,name\np01,Hoa\n".encode("utf-16"), r"line 1 is not UTF-8"),
    "roster: empty": ("roster", "roster.csv", b"", r"the file is empty"),
    "roster: only a BOM": ("roster", "roster.csv", BOM, r"the file is empty"),
    "roster: no id column": ("roster", "roster.csv", b"name,gender\nHoa,female\n", r"line 1 \(header\) has no column participant_id"),
    "roster: ragged row": ("roster", "roster.csv", b"participant_id,name\np01,Hoa,extra,more\n", r"line 2 has 4 fields"),
    "roster: duplicate id": ("roster", "roster.csv", b"participant_id\np01\np01\n", r"line 3, column participant_id: 'p01' is already used on line 2"),
    "roster: path-like id": ("roster", "roster.csv", b"participant_id\n../../etc\n", r"line 2, column participant_id: '\.\./\.\./etc' is not a usable id"),
    "roster: formula id": ("roster", "roster.csv", b"participant_id\n=HYPERLINK(\"x\")\n", r"line 2, column participant_id: .* is not a usable id"),
    "roster: unknown gender": ("roster", "roster.csv", b"participant_id,gender\np01,woman?\n", r"line 2, column gender: 'woman\?' is not a known value"),
    "roster: huge id": ("roster", "roster.csv", b"participant_id\n" + b"p" * 5000 + b"\n", r"line 2, column participant_id: .* is not a usable id"),
    "roster: empty id": ("roster", "roster.csv", b"participant_id,name\n,Hoa\n", r"line 2, column participant_id: empty"),
    "roster: header only": ("roster", "roster.csv", b"participant_id,name\n", r"no participants below the header line"),
}
IMPORTS = {
    "tidy: unknown participant": ("import", "paper.csv", (HEAD + "p99,pre,t-single,,,a\n").encode(), r"line 2: participant 'p99' is not in the course"),
    "tidy: unknown item": ("import", "paper.csv", (HEAD + "p01,pre,t-nope,,,a\n").encode(), r"line 2: item 't-nope' is not in form 'pre'"),
    "tidy: unknown form": ("import", "paper.csv", (HEAD + "p01,mid,t-single,,,a\n").encode(), r"line 2: no form 'mid'"),
    "tidy: duplicate row": ("import", "paper.csv", (HEAD + "p01,pre,t-single,,,a\np01,pre,t-single,,,b\n").encode(), r"line 3: p01 / pre / t-single is already on line 2"),
    "tidy: score not a number": ("import", "paper.csv", (HEAD + "p01,pre,t-written,lots,3,x\n").encode(), r"line 2, item t-written: score 'lots' is not a number"),
    "tidy: huge score": ("import", "paper.csv", (HEAD + "p01,pre,t-written,1e308,3,x\n").encode(), r"line 2, item t-written: score 1e308 is outside 0\.\.3"),
    "tidy: NaN score": ("import", "paper.csv", (HEAD + "p01,pre,t-written,nan,3,x\n").encode(), r"line 2, item t-written: score nan is outside"),
    "tidy: negative score": ("import", "paper.csv", (HEAD + "p01,pre,t-written,-1,3,x\n").encode(), r"line 2, item t-written: score -1 is outside"),
    "tidy: bad JSON answer": ("import", "paper.csv", (HEAD + 'p01,pre,t-multi,,,"[""a"", ""b"""\n').encode(), r"line 2, item t-multi: the multi answer .* is not valid JSON"),
    "tidy: wrong JSON type": ("import", "paper.csv", (HEAD + 'p01,pre,t-multi,,,"{""a"": ""1""}"\n').encode(), r"line 2, item t-multi: a multi answer is a list of option keys"),
    "tidy: latin-1": ("import", "paper.csv", (HEAD + "p01,pre,t-written,1,3,José\n").encode("latin-1"), r"line 2 is not UTF-8"),
    "tidy: empty": ("import", "paper.csv", b"", r"the file is empty"),
    "tidy: header only": ("import", "paper.csv", HEAD.encode(), r"no answers or scores below the header line"),
    "tidy: path-like participant": ("import", "paper.csv", (HEAD + "../p01,pre,t-single,,,a\n").encode(), r"line 2: participant '\.\./p01' is not in the course"),
    "wide: unknown option": ("import", "kobo.csv", BOM + (WIDE + "p01,pre,z,a\n").encode(), r"line 2, (column C \(t-single\)|item t-single): 'z' is not an option of t-single"),
    "wide: unknown item column": ("import", "kobo.csv", b"participant_id,form,t-nope\np01,pre,a\n", r"line (1, column C \(t-nope\): not a question|2: item 't-nope' is not in form 'pre')"),
    "wide: ragged row": ("import", "kobo.csv", (WIDE + "p01,pre,a,a;b,c,d\n").encode(), r"line 2 has 6 fields but the header has 4"),
    "wide: no form column": ("import", "kobo.csv", b"participant_id,t-single\np01,a\n", r"(line 1 \(header\) has no column form|no column 'form')"),
    "wide: formula answer": ("import", "kobo.csv", (WIDE + "p01,pre,=cmd|' /C calc'!A0,a\n").encode(), r"line 2, (column C \(t-single\)|item t-single): .* is not an option of t-single"),
    "wide: duplicate participant": ("import", "kobo.csv", (WIDE + "p01,pre,a,a\np01,pre,b,b\n").encode(), r"line 3: p01 / pre( / t-single)? is already on line 2"),
}
SCORES = {
    "scores: score not a number": ("report", "scores.csv", (HEAD + "p01,pre,q1,one,1,a\n").encode(), r"row 2, column score: 'one' is not a number"),
    "scores: infinite score": ("report", "scores.csv", (HEAD + "p01,pre,q1,inf,1,a\n").encode(), r"row 2: a score or maximum is infinite"),
    "scores: zero maximum": ("report", "scores.csv", (HEAD + "p01,pre,q1,0,0,a\n").encode(), r"row 2, column max_score: must be more than 0"),
    "scores: duplicate": ("report", "scores.csv", (HEAD + "p01,pre,q1,1,1,a\np01,PRE,q1,0,1,b\n").encode(), r"row 3: participant_id=p01, form=pre, item_id=q1 answers the same item twice"),
    "scores: missing column": ("report", "scores.csv", b"participant_id,form,item_id,score\np01,pre,q1,1\n", r"missing column\(s\) max_score"),
    "scores: utf-16": ("report", "scores.csv", HEAD.encode("utf-16"), r"not UTF-8"),
}
CORPUS = {**ROSTERS, **IMPORTS, **SCORES}


def folder_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("corpus") / "course"
    build_course(root, BANK)
    import_roster(root, write_csv(root.parent / "roster.csv", "participant_id,name\np01,Nguyễn Thị Hoa\np02,Lê Văn An\n"))
    return root


def test_the_corpus_is_large_and_varied():
    assert len(CORPUS) >= 30
    assert {case[0] for case in CORPUS.values()} == {"roster", "import", "report"}


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_a_malformed_file_is_refused_in_one_line_and_nothing_changes(name, built, tmp_path):
    command, file_name, content, expected = CORPUS[name]
    root = shutil.copytree(built, tmp_path / "course")
    before = folder_digest(root)
    bad = tmp_path / file_name
    bad.write_bytes(content)
    args = {"roster": ["roster", "import", str(bad), "--dir", str(root)],
            "import": ["import", str(bad), "--dir", str(root), "--assessments", str(BANK)],
            "report": ["report", "--scores", str(bad), "--out", str(tmp_path / "out")]}[command]
    result = CliRunner().invoke(app, args)
    assert result.exit_code != 0
    assert isinstance(result.exception, WpskitError), result.exception
    message = str(result.exception)
    assert "\n" not in message and str(bad) in message, message
    assert re.search(expected, message), message
    assert folder_digest(root) == before
    assert not (tmp_path / "out" / "report.json").exists()


@pytest.mark.parametrize(("content", "expected"), [
    (b"{", r"not valid JSON"),
    (b"", r"not valid JSON"),
    (b"\xff\xfe{}", r"cannot be read"),
    (b'{"schema": 1, "form": "pre", "answers": []}', r"pre\.responses\.json"),
    (b'{"schema": 99, "form": "pre", "answers": {}}', r"pre\.responses\.json"),
])
def test_a_malformed_responses_file_is_named(tmp_path, content, expected):
    path = tmp_path / "pre.responses.json"
    path.write_bytes(content)
    with pytest.raises(WpskitError, match=expected) as error:
        read_responses(path)
    assert str(path) in str(error.value) and "\n" not in str(error.value)


def _bank_with(tmp_path: Path, relative: str, edit) -> Path:
    bank = shutil.copytree(BANK, tmp_path / "bank")
    path = bank / relative
    path.write_text(edit(path.read_text(encoding="utf-8") if path.exists() else ""), encoding="utf-8")
    return bank


BANKS = {
    "item bank: YAML syntax": ("items/test.yaml", lambda t: t + "\n- id: [unclosed\n", r"items/test\.yaml: line \d+, column \d+: not valid YAML"),
    "item bank: unknown type": ("items/test.yaml", lambda t: t.replace("type: single", "type: essay", 1), r"items/test\.yaml.*t-single"),
    "item bank: duplicate id": ("items/test.yaml", lambda t: t.replace("id: t-multi", "id: t-single", 1), r"t-single"),
    "form: unknown item": ("forms/pre.yaml", lambda t: t.replace("t-single", "t-nowhere", 1), r"forms/pre\.yaml.*t-nowhere"),
    "survey: not a mapping": ("survey.yaml", lambda t: "- just\n- a list\n", r"survey\.yaml"),
}


@pytest.mark.parametrize("name", sorted(BANKS))
def test_a_malformed_item_bank_form_or_survey_is_refused_in_one_line(name, built, tmp_path):
    relative, edit, expected = BANKS[name]
    root = shutil.copytree(built, tmp_path / "course")
    before = folder_digest(root)
    result = CliRunner().invoke(app, ["course", "build", "--dir", str(root), "--assessments",
                                      str(_bank_with(tmp_path, relative, edit))])
    assert result.exit_code != 0 and isinstance(result.exception, WpskitError), result.exception
    message = str(result.exception)
    assert "\n" not in message and re.search(expected, message), message
    assert folder_digest(root) == before


@pytest.mark.parametrize("name", ["item bank: duplicate id", "survey: not a mapping"])
def test_a_malformed_bank_makes_no_course_folder(name, tmp_path):
    """The first `wpskit course build` with a broken bank leaves nothing behind to clean up."""
    relative, edit, expected = BANKS[name]
    root = tmp_path / "course"
    result = CliRunner().invoke(app, ["course", "build", "--dir", str(root), "--assessments",
                                      str(_bank_with(tmp_path, relative, edit))])
    assert result.exit_code != 0 and re.search(expected, str(result.exception)), result.exception
    assert not root.exists()
