"""The workshop room, for real: JupyterHub on loopback with configurable-http-proxy, three
participants and one facilitator, each a Unix user with a private home (a test-only prefix,
``wpst`` and three random letters per run so that two runs at once cannot collide; removed afterwards).

The facilitator releases the pre-test through formgrader's API in their own server; each
participant logs in with the code from the login sheet, lands on the module pages, fetches the
pre-test through nbgrader's Assignments API, answers on the Voilà page in Chromium and presses
*Submit*; the facilitator collects and autogrades as their own Unix user, and the gradebook
holds exactly the expected scores. Participant A cannot read B's home or submission. Formgrader
shows inside the facilitator's JupyterLab (nbgrader#1870: blank on JupyterHub >= 4.1 by default).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import stat
import string
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest

from tests.browser.server import CHROMIUM_ARGS, find_chromium, free_port, wait_until_up
from tests.test_grading import BANK
from wpskit.gradebook import read_scores
from wpskit.hub.accounts import add_users, read_logins, remove_users
from wpskit.hub.room import hub_command, prepare, server_python
from wpskit.hub.settings import load_settings

pytestmark = [pytest.mark.slow, pytest.mark.browser, pytest.mark.xdist_group("hub")]

REPO = Path(__file__).resolve().parents[1]
# Unique per run (secrets, not random: a seeded random would repeat it): CI, another checkout and
# xdist workers may run this test at the same time.
PREFIX = "wpst" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(3)) + "-"
PARTICIPANTS = {"ta": "Nguyễn Thị An", "tb": "Trần Văn Bình", "tc": "Lê Thị Chi"}
FACILITATOR = "tf"
# What each participant clicks on the page: (t-single's option, t-truefalse's answer).
CLICKS = {"ta": ("31 October 2000|31 tháng 10 năm 2000", "False|Sai"),
          "tb": ("19 June 2008|19 tháng 6 năm 2008", "False|Sai"),
          "tc": ("31 October 2000|31 tháng 10 năm 2000", "True|Đúng")}
EXPECTED = {("ta", "t-single"): 1.0, ("ta", "t-truefalse"): 1.0, ("tb", "t-single"): 0.0,
            ("tb", "t-truefalse"): 1.0, ("tc", "t-single"): 1.0, ("tc", "t-truefalse"): 0.0}


def _proxy() -> str | None:
    local = REPO / "node_modules" / ".bin" / "configurable-http-proxy"
    return str(local) if local.exists() else shutil.which("configurable-http-proxy")


def _requirements() -> None:
    if os.geteuid() != 0:
        pytest.skip("the hub room test creates Unix users and runs servers as them: it needs root (CI runs as root)")
    if find_chromium() is None:
        pytest.skip("chromium is not installed (apt-get install chromium; .ci/run does this)")
    if _proxy() is None:
        pytest.skip("configurable-http-proxy is missing: `npm ci` in the project (make hub and .ci/run do this)")
    for tool in ("useradd", "userdel", "groupadd", "gpasswd", "runuser"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is missing: the hub needs the shadow tools to create Unix users")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")


@dataclass
class Room:
    url: str
    settings_file: Path
    log: Path

    @property
    def settings(self):
        return load_settings(self.settings_file)

    def code(self, login: str) -> str:
        return read_logins(self.settings)[login].code


@pytest.fixture(scope="module")
def room() -> Iterator[Room]:
    _requirements()
    state = Path(tempfile.mkdtemp(prefix="wpskit-hub-test-", dir="/tmp"))
    os.chmod(state, 0o755)
    modules = state / "modules"
    shutil.copytree(REPO / "modules" / "00-getting-started", modules / "00-getting-started")
    port = free_port()
    settings_file = state / "hub" / "settings.yaml"
    settings_file.parent.mkdir()
    settings_file.write_text(
        f"state: {state / 'srv'}\nprefix: {PREFIX}\nport: {port}\nip: 127.0.0.1\nhub_port: {free_port()}\n"
        f"proxy_api_port: {free_port()}\nmodules: {modules}\nassessments: {BANK}\n", encoding="utf-8")
    settings = load_settings(settings_file)
    roster = state / "roster.csv"
    roster.write_text("participant_id,name\n" + "".join(f"{k},{v}\n" for k, v in PARTICIPANTS.items()),
                      encoding="utf-8")
    log = state / "hub.log"
    process = None
    try:
        add_users(settings, roster, [FACILITATOR], hub_url=f"http://127.0.0.1:{port}/")
        prepare(settings)
        command, env = hub_command(settings_file)
        # wpskit's Jupyter data files from this checkout (an installed wpskit has them in share/jupyter).
        env.update(JUPYTER_PATH=str(REPO / "share" / "jupyter"), PYTHONPATH=str(REPO),
                   PATH=f"{Path(_proxy()).parent}{os.pathsep}{env['PATH']}")
        with log.open("w") as out:
            process = subprocess.Popen(command, env=env, cwd=settings.hub_dir, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/hub/api/", process, log, timeout=90, name="JupyterHub")
        yield Room(url=url, settings_file=settings_file, log=log)
    finally:
        if process is not None:
            process.send_signal(signal.SIGINT)  # as Ctrl-C: the hub stops every single-user server
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log.exists():  # kept for a look after a failure
            shutil.copyfile(log, Path(tempfile.gettempdir()) / f"wpskit-hub-test-{PREFIX[:-1]}.log")
        try:
            remove_users(settings)
        finally:
            shutil.rmtree(state, ignore_errors=True)
        assert not [line for line in Path("/etc/passwd").read_text().splitlines() if line.startswith(PREFIX)]


@pytest.fixture(scope="module")
def browser(room):
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)  # a first login starts a whole JupyterLab server
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def log_in(browser, room: Room, login: str):
    """A fresh browser: the hub's login form, with the code from the login sheet."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{room.url}/hub/login")
    page.fill("#username_input", login)
    page.fill("#password_input", room.code(login))
    page.click("#login_submit")
    page.wait_for_url(re.compile(rf"/user/{login}/"), timeout=120_000)
    return page


def post(page, room: Room, login: str, path: str, **form) -> dict:
    """POST to the login's own server with the browser's cookies, as JupyterLab's frontend does."""
    xsrf = next(c["value"] for c in page.context.cookies() if c["name"] == "_xsrf")
    response = page.request.post(f"{room.url}/user/{login}/{path}", form=form or None,
                                 headers={"X-XSRFToken": xsrf}, timeout=120_000)
    assert response.ok, f"{path}: {response.status} {response.text()[:500]}"
    try:
        return response.json()
    except ValueError:
        raise AssertionError(f"{path}: not JSON: {response.text()[:500]}") from None


def test_the_room_release_fetch_answer_submit_collect_autograde(room, browser):
    from playwright.sync_api import expect

    settings = room.settings
    facilitator = log_in(browser, room, FACILITATOR)
    assert facilitator.url.rstrip("/").endswith(f"/user/{FACILITATOR}/lab") or "/lab" in facilitator.url
    release = post(facilitator, room, FACILITATOR, "formgrader/api/assignment/pre/release")
    assert release["success"], release
    outbound = settings.exchange / "wps-vn" / "outbound" / "pre" / "pre.ipynb"
    assert outbound.is_file()

    for login, (single, truefalse) in CLICKS.items():
        page = log_in(browser, room, login)
        # After login: the module pages, with a link to JupyterLab.
        assert "/voila/tree/modules" in page.url
        expect(page.locator("#wpskit-open-lab")).to_have_attribute("href", f"/user/{login}/lab")
        fetched = post(page, room, login, "assignments/fetch", course_id="wps-vn", assignment_id="pre")
        assert fetched["success"], fetched
        page.goto(f"{room.url}/user/{login}/voila/render/pre/pre.ipynb", timeout=180_000)  # runs the form first
        page.get_by_role("radio", name=re.compile(single)).first.click()
        page.get_by_role("radio", name=re.compile(rf"^({truefalse})$")).first.click()
        expect(page.get_by_text(re.compile("Đã lưu ✓|Saved ✓")).first).to_be_visible()
        page.get_by_role("button", name="Nộp bài / Submit").click()
        expect(page.locator(".wpskit-submit-status")).to_contain_text("✓ Đã nộp bài lúc")
        expect(page.locator(".wpskit-submit-status")).to_contain_text("Submitted at")
        home = Path(f"/home/{PREFIX}{login}")
        saved = json.loads((home / "pre" / "pre.responses.json").read_text(encoding="utf-8"))["answers"]
        assert set(saved) == {"t-single", "t-truefalse"}
        assert stat.S_IMODE(home.stat().st_mode) == 0o700 and home.stat().st_uid == _uid(f"{PREFIX}{login}")
        page.context.close()

    collected = post(facilitator, room, FACILITATOR, "formgrader/api/assignment/pre/collect")
    assert collected["success"], collected
    # Submissions are owned by prefixed Unix logins: the owner check is off, so no false alarm.
    assert "cheating attempt" not in room.log.read_text(encoding="utf-8")
    # Autograde as the facilitator's own Unix user, with the facilitator's configuration.
    output = as_facilitator(room, [str(server_python(settings)), "-m", "wpskit.cli", "autograde", "pre",
                                   "--dir", str(settings.course)])
    assert "Autograded 'pre': 3 of 3 submissions" in output
    scores = read_scores(settings.course)
    got = {(row.participant_id, row.item_id): row.score for row in scores.itertuples()
           if row.item_id in ("t-single", "t-truefalse")}
    assert got == EXPECTED
    totals = scores.groupby("participant_id").score.sum().to_dict()
    assert totals == {"ta": 2.0, "tb": 1.0, "tc": 1.0}
    facilitator.context.close()


def test_a_participant_cannot_read_another_participants_home_or_submission(room, browser):
    settings = room.settings
    a = log_in(browser, room, "ta")
    # Slashes percent-encoded, or the client would resolve ".." before sending.
    for path in (f"api/contents/..%2F{PREFIX}tb", f"api/contents/..%2F{PREFIX}tb%2Fpre%2Fpre.responses.json",
                 f"files/..%2F{PREFIX}tb%2Fpre%2Fpre.responses.json"):
        response = a.request.get(f"{room.url}/user/ta/{path}")
        assert response.status in (400, 403, 404), (path, response.status, response.text()[:300])
    a.context.close()
    # The same Unix user A's kernels and terminals run as.
    probe = (
        "import os, sys\n"
        "for path in sys.argv[1:]:\n"
        "    try:\n"
        "        open(path).read() if os.path.isfile(path) or '.' in os.path.basename(path) else os.listdir(path)\n"
        "        print('READ', path)\n"
        "    except PermissionError:\n"
        "        print('DENIED', path)\n")
    inbound = settings.exchange / "wps-vn" / "inbound"
    targets = [f"/home/{PREFIX}tb", f"/home/{PREFIX}tb/pre/pre.responses.json", str(inbound), str(settings.course),
               str(settings.logins)]
    output = subprocess.run(["runuser", "-u", f"{PREFIX}ta", "--", str(server_python(settings)), "-c", probe, *targets],
                            capture_output=True, text=True, check=True, cwd="/").stdout
    assert output.split("\n")[:-1] == [f"DENIED {target}" for target in targets]
    # ... while the facilitators' group lists them all (root here stands in for it).
    assert sorted(path.name.split("+")[0] for path in inbound.iterdir()) == ["ta", "tb", "tc"]


def test_formgrader_shows_inside_the_facilitators_jupyterlab(room, browser):
    from playwright.sync_api import expect

    page = log_in(browser, room, FACILITATOR)
    page.goto(f"{room.url}/user/{FACILITATOR}/lab")
    page.locator(".lm-MenuBar-itemLabel").get_by_text("Nbgrader", exact=True).click()
    page.locator(".lm-Menu-itemLabel").get_by_text("Formgrader", exact=True).click()
    frame = page.frame_locator("iframe[src*='formgrader']")
    expect(frame.get_by_text("Manage Assignments").first).to_be_visible()
    expect(frame.get_by_text("pre", exact=True).first).to_be_visible()
    page.context.close()


def as_facilitator(room: Room, command: list[str]) -> str:
    settings = room.settings
    env = {"HOME": f"/home/{PREFIX}{FACILITATOR}", "PATH": f"{server_python(settings).parent}:/usr/bin:/bin",
           "PYTHONPATH": str(REPO), "JUPYTER_CONFIG_PATH": str(settings.jupyter_config("instructor"))}
    result = subprocess.run(["runuser", "-u", f"{PREFIX}{FACILITATOR}", "--", "env", *[f"{k}={v}" for k, v in env.items()],
                             *command], capture_output=True, text=True, cwd="/", timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _uid(name: str) -> int:
    import pwd

    return pwd.getpwnam(name).pw_uid
