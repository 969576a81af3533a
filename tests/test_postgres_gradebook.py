"""A shared gradebook on a real PostgreSQL server: every wpskit command gives, byte for byte,
what it gives on the SQLite gradebook of the same course.

Both courses go through the same steps (build, roster, a submission autograded by nbgrader, a
hand grade as formgrader gives it, paper answers imported); then status, export, feedback and
report run on each and their outputs and files are compared.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from tests.conftest import write_csv
from tests.postgres import create_database, postgres_server, skip_reason
from tests.test_grading import BANK, PARTLY, submit
from wpskit.cli import app
from wpskit.errors import CourseError
from wpskit.layout import Course, open_course
from wpskit.nbgrader_api import open_gradebook

pytestmark = [pytest.mark.slow, pytest.mark.skipif(skip_reason() is not None, reason=skip_reason() or "")]

ROSTER = (
    "participant_id,name,gender,stakeholder_group\n"
    "p01,Nguyễn Thị Hương,nữ,CSO\n"
    "p02,Trần Văn Nam,nam,media\n"
    "p03,Lê Thị Mai,nữ,academia\n"
)
PAPER = (
    "participant_id,form,t-single,t-multi,t-truefalse,t-order,t-match,t-written\n"
    "p01,pre,a,a;b;d,false,\"b,a,c\",a=1;b=2,\n"
    "p03,pre,c,a;d,true,\"a,c,b\",a=2;b=2,Tổ chức một buổi nói chuyện ở xã\n"
    "p01,post,a,a;b;d,false,\"b,a,c\",a=1;b=2,\n"
    "p02,post,a,a;b,false,\"b,a,c\",a=1;b=1,\n"
)
FILES = ["scores.csv", "report/report.json", "report/report.html",
         "course/feedback/p01/pre/pre.html", "course/feedback/p02/pre/pre.html", "course/feedback/p03/pre/pre.html"]


@pytest.fixture(scope="module")
def server():
    with postgres_server() as url:
        yield url


def wpskit(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def run_workshop(folder, db_url: str | None) -> dict[str, str]:
    """The facilitator's commands on one course; what each printed, with the folder taken out (the
    folders' names have the same length: rich wraps long paths)."""
    course = folder / "course"
    init = ["--db-url", db_url] if db_url else []
    wpskit("course", "init", "--dir", str(course), *init)
    outputs = {
        "build": wpskit("course", "build", "--dir", str(course), "--assessments", str(BANK)),
        "roster": wpskit("roster", "import", str(write_csv(folder / "roster.csv", ROSTER)), "--dir", str(course)),
        "release": wpskit("release", "pre", "--dir", str(course)),
    }
    submit(course, "p02", PARTLY, None)
    outputs["autograde"] = wpskit("autograde", "pre", "--dir", str(course))
    with open_gradebook(open_course(course)) as gradebook:  # a facilitator's hand grade in formgrader
        gradebook.find_grade("t-written", "pre", "pre", "p02").manual_score = 1.5
        gradebook.db.commit()
    outputs["import"] = wpskit("import", str(write_csv(folder / "paper.csv", PAPER)), "--dir", str(course),
                               "--assessments", str(BANK))
    outputs["status"] = wpskit("status", "pre", "--dir", str(course))
    outputs["export"] = wpskit("export", str(folder / "scores.csv"), "--dir", str(course))
    outputs["feedback"] = wpskit("feedback", "pre", "--dir", str(course), "--assessments", str(BANK))
    outputs["report"] = wpskit("report", "--course", str(course), "--out", str(folder / "report"), "--json")
    return {step: text.replace(str(folder), "FOLDER") for step, text in outputs.items()}


def test_every_command_gives_the_same_output_on_postgresql_and_sqlite(server, tmp_path):
    db_url = create_database(server, "wps_vn")
    sqlite_outputs = run_workshop(tmp_path / "sqlite", None)
    postgres_outputs = run_workshop(tmp_path / "pg-sql", db_url)

    assert not (tmp_path / "pg-sql" / "course" / "gradebook.db").exists()
    assert Course((tmp_path / "pg-sql" / "course").resolve()).gradebook_url == db_url
    assert postgres_outputs == sqlite_outputs
    for name in FILES:
        assert (tmp_path / "pg-sql" / name).read_bytes() == (tmp_path / "sqlite" / name).read_bytes(), name
    scores = (tmp_path / "pg-sql" / "scores.csv").read_text(encoding="utf-8")
    assert "p02,pre,t-written,1.5,3.0," in scores and "p03,pre,t-written,,3.0,Tổ chức một buổi nói chuyện ở xã" in scores
    assert "p02,pre,t-multi,1.333,2.0," in scores
    assert "'pre': 3 submitted, 1 autograded, 0 missing." in postgres_outputs["status"]


def test_an_unreachable_gradebook_is_one_clear_line(server, tmp_path):
    db_url = create_database(server, "unreachable")
    course = tmp_path / "course"
    wpskit("course", "init", "--dir", str(course), "--db-url", db_url)
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text().replace(db_url, "postgresql://wpskit:s3cret@127.0.0.1:1/nothing"))
    with pytest.raises(CourseError, match=r"nbgrader_config.py: cannot open the gradebook "
                                          r"postgresql://wpskit:\*\*\*@127.0.0.1:1/nothing") as error:
        wpskit("export", str(tmp_path / "scores.csv"), "--dir", str(course))
    assert "s3cret" not in str(error.value) and not (tmp_path / "scores.csv").exists()
