"""Roster import into a real nbgrader gradebook: good files round-trip, bad ones change nothing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import gradebook_digest, write_csv
from wpskit.cli import app
from wpskit.course import import_roster, name_from_parts
from wpskit.nbgrader_api import open_gradebook
from wpskit.errors import InputDataError
from wpskit.roster import read_roster

GOOD = (
    "participant_id,name,gender,stakeholder_group,organisation,province,email,role\n"
    "p001,Nguyễn Thị Hương,nữ,CSO,Hội LHPN,Hà Nội,huong@example.org,trainer\n"
    "p002,Trần Văn Nam,male,media,Báo Phụ nữ,Đà Nẵng,,journalist\n"
    "p003,Lê Thị Ánh Tuyết,,academia,,Huế,,\n"
)


def gradebook_students(course):
    with open_gradebook(course) as gradebook:
        return {s.id: (name_from_parts(s.last_name, s.first_name), s.email) for s in gradebook.students}


def test_vietnamese_names_read_back_identical_through_nbgrader(course, tmp_path):
    roster = write_csv(tmp_path / "roster.csv", GOOD, bom=True)
    changes = import_roster(course.root, roster)
    assert changes.summary() == "3 added, 0 updated, 0 unchanged"
    assert gradebook_students(course) == {
        "p001": ("Nguyễn Thị Hương", "huong@example.org"),
        "p002": ("Trần Văn Nam", None),
        "p003": ("Lê Thị Ánh Tuyết", None),
    }
    kept = {p.participant_id: p for p in read_roster(course.roster_file)}
    assert kept["p001"].gender == "female" and kept["p001"].province == "Hà Nội"
    assert kept["p001"].extra == {"role": "trainer"}


def test_import_twice_reports_unchanged_then_updated(course, tmp_path):
    roster = write_csv(tmp_path / "roster.csv", GOOD)
    import_roster(course.root, roster)
    assert import_roster(course.root, roster).summary() == "0 added, 0 updated, 3 unchanged"
    write_csv(roster, GOOD.replace("Trần Văn Nam", "Trần Văn Nam Anh"))
    assert import_roster(course.root, roster).updated == ["p002"]
    assert gradebook_students(course)["p002"][0] == "Trần Văn Nam Anh"


def test_dry_run_writes_nothing(course, tmp_path):
    roster = write_csv(tmp_path / "roster.csv", GOOD)
    assert import_roster(course.root, roster, dry_run=True).summary() == "3 added, 0 updated, 0 unchanged"
    assert gradebook_students(course) == {}
    assert not course.roster_file.exists()


BAD_ROSTERS = {
    "missing id": ("participant_id,name\np001,A\n,B\n", r"line 3, column participant_id: empty"),
    "duplicate id": ("participant_id,name\np001,A\np002,B\np001,C\n", r"line 4.*'p001' is already used on line 2"),
    "no header": ("p001,Nguyễn Thị Hương\np002,B\n", r"line 1 \(header\) has no column participant_id"),
    "bad gender": ("participant_id,gender\np001,femme\n", r"line 2, column gender: 'femme'"),
    "bad id": ("participant_id\nNguyễn Hương\n", r"line 2, column participant_id: 'Nguyễn Hương'.*'nguyen-huong'"),
    "ragged row": ("participant_id,name\np001,A,extra\n", r"line 2 has 3 fields but the header has 2"),
    "empty file": ("", r"the file is empty"),
    "header only": ("participant_id,name\n", r"no participants below the header"),
}


@pytest.mark.parametrize("fault", sorted(BAD_ROSTERS))
def test_bad_roster_gives_one_line_error_and_changes_nothing(course, tmp_path, fault):
    import_roster(course.root, write_csv(tmp_path / "good.csv", GOOD))
    before = gradebook_digest(course.root), course.roster_file.read_bytes()
    text, message = BAD_ROSTERS[fault]
    bad = write_csv(tmp_path / "bad.csv", text)
    with pytest.raises(InputDataError, match=message) as raised:
        import_roster(course.root, bad)
    assert str(bad) in str(raised.value) and "\n" not in str(raised.value)
    after = gradebook_digest(course.root), course.roster_file.read_bytes()
    assert after == before


def test_wrong_encoding_is_named(course, tmp_path):
    latin = tmp_path / "latin.csv"
    latin.write_bytes("participant_id,name\np001,Nguyễn\n".encode("utf-16"))
    with pytest.raises(InputDataError, match=r"latin.csv: line 1 is not UTF-8 text; save the file as 'CSV UTF-8'"):
        import_roster(course.root, latin)


def test_cli_prints_one_red_line_and_exits_1(course, tmp_path):
    bad = write_csv(tmp_path / "bad.csv", "participant_id\np001\np001\n")
    result = CliRunner().invoke(app, ["roster", "import", str(bad), "--dir", str(course.root)])
    assert result.exit_code == 1
    assert isinstance(result.exception, InputDataError)
