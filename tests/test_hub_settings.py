"""The room's pieces that need no root and no server: settings, codes, the login sheet, the
roles' Jupyter configuration."""

from __future__ import annotations

import json

import pytest

from wpskit.errors import InputDataError
from wpskit.hub.accounts import Login, new_code, same_code, write_login_sheet
from wpskit.hub.room import board_addresses, lan_addresses, role_configs
from wpskit.hub.settings import load_settings


def settings_file(tmp_path, text: str):
    path = tmp_path / "hub" / "settings.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_relative_paths_are_the_projects(tmp_path):
    settings = load_settings(settings_file(tmp_path, "state: srv\nprefix: wps-\n"))
    assert settings.state == tmp_path / "srv" and settings.modules == tmp_path / "modules"
    assert settings.unix_name("hn-01") == "wps-hn-01" and settings.instructors_group == "wps-instructors"


def test_the_board_shows_the_pinned_address_or_every_lan_address(tmp_path):
    pinned = load_settings(settings_file(tmp_path, "ip: 10.20.30.40\nport: 8123\n"))
    assert board_addresses(pinned) == ["10.20.30.40"]
    everywhere = load_settings(settings_file(tmp_path, "port: 8123\n"))
    assert board_addresses(everywhere) == (lan_addresses() or ["127.0.0.1"])
    assert not any(address.startswith("127.") for address in lan_addresses())


def test_a_bad_settings_file_is_one_clear_line(tmp_path):
    with pytest.raises(InputDataError, match=r"settings.yaml: not a valid hub settings file \(prefix: String should"):
        load_settings(settings_file(tmp_path, "prefix: 'Bad Prefix'\n"))
    with pytest.raises(InputDataError, match="no such settings file"):
        load_settings(tmp_path / "missing.yaml")


def test_codes_are_forgiving_to_type_but_exact():
    code = new_code()
    assert len(code) == 9 and code[4] == "-"
    assert same_code(code.upper().replace("-", " "), code)
    assert not same_code(code[:-1], code)


def test_the_login_sheet_has_one_bilingual_slip_per_login(tmp_path):
    settings = load_settings(settings_file(tmp_path, f"state: {tmp_path / 'srv'}\n"))
    logins = {"hn-01": Login("hn-01", "Nguyễn Thị Hương", "participant", "abcd-efgh"),
              "lan": Login("lan", "lan", "facilitator", "jkmn-pqrs")}
    page = write_login_sheet(settings, logins, "http://192.168.1.10:8000/").read_text(encoding="utf-8")
    assert page.count('class="slip"') == 2 and "Nguyễn Thị Hương" in page and "abcd-efgh" in page
    assert "Tên đăng nhập · Username" in page and "Mật khẩu · Password" in page and "http://192.168.1.10:8000/" in page
    assert (settings.state / "login-sheet.html").stat().st_mode & 0o077 == 0


def test_only_facilitators_servers_may_frame_themselves_for_formgrader(tmp_path):
    configs = role_configs(load_settings(settings_file(tmp_path, f"state: {tmp_path / 'srv'}\n")))
    instructor = json.loads(configs["instructor"]["jupyter_server_config.json"])["ServerApp"]["tornado_settings"]
    assert instructor["headers"]["Content-Security-Policy"] == "frame-ancestors 'self'"
    participant = json.loads(configs["participant"]["jupyter_server_config.json"])["ServerApp"]
    assert "headers" not in participant["tornado_settings"]
    assert participant["jpserver_extensions"] == {"nbgrader.server_extensions.formgrader": False}
    assert 'student_id = os.environ.get("JUPYTERHUB_USER"' in configs["participant"]["nbgrader_config.py"]
