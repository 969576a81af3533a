"""`wpskit lab`'s pieces that need no server: the command line, the URLs, the JupyterLab settings
files, and wpskit's Jupyter data files as the package installs them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wpskit.workshop import lab_command, set_lab_language, workshop_urls

REPO = Path(__file__).resolve().parents[1]
LAB_SETTINGS = REPO / "share" / "jupyter" / "lab" / "settings" / "overrides.d" / "wpskit.json"


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


def test_lab_settings_keep_arrow_keys_for_widgets():
    shortcuts = json.loads(LAB_SETTINGS.read_text())["@jupyterlab/shortcuts-extension:shortcuts"]["shortcuts"]
    assert {s["command"] for s in shortcuts if s.get("disabled")} == {"notebook:move-cursor-down", "notebook:move-cursor-up"}
    assert all(":not(input):not(select)" in s["selector"] for s in shortcuts if not s.get("disabled"))


def test_one_server_for_lab_and_pages():
    command = lab_command(8899, False, root_dir="/srv/x", token="t")
    assert command[1:4] == ["-m", "wpskit.jupyter_start", "lab"]
    assert "--ServerApp.ip=127.0.0.1" in command and "--IdentityProvider.token=t" in command
    urls = workshop_urls(8899, "t")
    assert urls["Participant pages (no code), index"] == "http://127.0.0.1:8899/voila/tree/modules?token=t"
    assert any(url.endswith("/voila/render/modules/00-getting-started/00-getting-started.vi.ipynb?token=t")
               for url in urls.values())


def test_lab_settings_ask_participants_nothing_about_jupyter_news():
    settings = json.loads(LAB_SETTINGS.read_text())
    assert settings["@jupyterlab/apputils-extension:notification"] == {"fetchNews": "false", "checkForUpdates": False}


def test_the_printed_jupyterlab_url_opens_the_modules():
    assert workshop_urls(8899, "t")["JupyterLab (facilitators; participants who want it)"] == \
        "http://127.0.0.1:8899/lab/tree/modules?token=t"


def test_every_jupyter_data_file_is_declared_for_installation():
    """Voilà started any way (a hub's single-user server, `voila` in the project folder) finds the
    `wpskit` template only if the package installs it into share/jupyter/, as pyproject declares."""
    import tomllib

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["setuptools"]["data-files"]
    listed = {(target, Path(source).name) for target, sources in declared.items() for source in sources}
    on_disk = {(path.parent.relative_to(REPO).as_posix(), path.name)
               for path in (REPO / "share" / "jupyter").rglob("*") if path.is_file()}
    assert listed == on_disk
    assert all(source == f"{target}/{Path(source).name}" for target, sources in declared.items() for source in sources)


def test_the_installed_package_put_its_jupyter_data_where_jupyter_looks():
    """A wheel installs share/jupyter/ as data files; `make install`'s editable install links them in."""
    from jupyter_core.paths import jupyter_path

    templates = [Path(p) / "wpskit" for p in jupyter_path("voila", "templates") if (Path(p) / "wpskit").is_dir()]
    assert templates, "Voilà finds no 'wpskit' template: run `make install`"
    for name in ("conf.json", "index.html.j2", "tree.html"):
        assert (templates[0] / name).read_bytes() == (REPO / "share/jupyter/voila/templates/wpskit" / name).read_bytes()
    overrides = [Path(p) / "overrides.d" / "wpskit.json" for p in jupyter_path("lab", "settings")]
    assert any(path.is_file() for path in overrides), "JupyterLab finds no wpskit settings: run `make install`"
