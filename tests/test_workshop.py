"""`wpskit lab`'s pieces that need no server: the command line, the URLs, the JupyterLab settings files."""

from __future__ import annotations

import json

import pytest

from wpskit.workshop import install_lab_settings, lab_command, set_lab_language, workshop_urls


def test_set_lab_language_merges_into_overrides(tmp_path):
    path = tmp_path / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"@jupyterlab/apputils-extension:themes": {"theme": "JupyterLab Dark"},
                                "@jupyterlab/translation-extension:plugin": {"displayLanguage": "x"}}))
    assert set_lab_language("vi", prefix=tmp_path) == path
    overrides = json.loads(path.read_text())
    assert overrides["@jupyterlab/translation-extension:plugin"] == {"displayLanguage": "x", "locale": "vi_VN"}
    assert overrides["@jupyterlab/apputils-extension:themes"] == {"theme": "JupyterLab Dark"}
    set_lab_language("en", prefix=tmp_path)
    assert json.loads(path.read_text())["@jupyterlab/translation-extension:plugin"]["locale"] == "en"
    with pytest.raises(ValueError):
        set_lab_language("fr", prefix=tmp_path)


def test_lab_settings_keep_arrow_keys_for_widgets(tmp_path):
    path = install_lab_settings(prefix=tmp_path)
    shortcuts = json.loads(path.read_text())["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    assert {s["command"] for s in shortcuts if s.get("disabled")} == {"notebook:move-cursor-down", "notebook:move-cursor-up"}
    assert all(":not(input):not(select)" in s["selector"] for s in shortcuts if not s.get("disabled"))
    assert not (path.parent.parent / "overrides.json").exists()


def test_one_server_for_lab_and_pages():
    command = lab_command(8899, False, root_dir="/srv/x", token="t")
    assert command[1:4] == ["-m", "jupyter", "lab"]
    assert "--ServerApp.ip=127.0.0.1" in command and "--IdentityProvider.token=t" in command
    urls = workshop_urls(8899, "t")
    assert urls["Participant pages (no code), index"] == "http://127.0.0.1:8899/voila/tree/modules?token=t"
    assert any(url.endswith("/voila/render/modules/00-getting-started/00-getting-started.vi.ipynb?token=t")
               for url in urls.values())


def test_lab_settings_ask_participants_nothing_about_jupyter_news(tmp_path):
    settings = json.loads(install_lab_settings(prefix=tmp_path).read_text())
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}


def test_the_printed_jupyterlab_url_opens_the_modules():
    assert workshop_urls(8899, "t")["JupyterLab (facilitators; participants who want it)"] == \
        "http://127.0.0.1:8899/lab/tree/modules?token=t"
