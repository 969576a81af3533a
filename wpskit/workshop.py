"""Start the workshop's server: JupyterLab for facilitators (and participants who want it),
the same notebooks as Voilà pages with no code for participants, formgrader for facilitators.

One server serves both: Voilà runs inside JupyterLab as a server extension, so a module
opens at ``/lab/tree/modules/<path>`` (JupyterLab, "Run All") and at
``/voila/render/modules/<path>`` (a page that runs itself). Both run the notebook with
its own folder as working directory, so they share the module's responses file. Voilà's
settings (no tracebacks, no code, light theme) are in the project's ``voila.json``, read
from the folder the server starts in. Its page template (``wpskit``, Voilà's lab template
without CDN stylesheets) and JupyterLab defaults are Jupyter data files installed with the
package (``share/jupyter/`` in the project), so any Voilà or JupyterLab in this environment
finds them.
"""

from __future__ import annotations

import json
import os
import secrets
import sys
from pathlib import Path

from wpskit.files import write_atomically
from wpskit.layout import open_course
from wpskit.words import label

LAB_LOCALES = {"en": "en", "vi": "vi_VN"}
TRANSLATION_PLUGIN = "@jupyterlab/translation-extension:plugin"


def lab_command(
    port: int,
    open_browser: bool,
    *,
    root_dir: str | Path = ".",
    token: str | None = None,
    default_url: str = "/lab/tree/modules",
) -> list[str]:
    return [
        sys.executable, "-m", "wpskit.jupyter_start", "lab",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        f"--ServerApp.open_browser={open_browser}",
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.default_url={default_url}",
        # Voilà's pages would fetch MathJax from a CDN at start-up; "null" keeps them offline.
        "--ServerApp.tornado_settings=mathjax_url=null",
        "--ServerApp.tornado_settings=mathjax_config=null",
    ] + ([f"--IdentityProvider.token={token}"] if token is not None else []) + (
        ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
    )


def page_paths(modules_dir: Path | str = "modules") -> list[str]:
    """The module notebooks (paths from the served folder): in the order of ``index.yaml``
    (English, then Vietnamese, per module) when there is one, else by folder and name."""
    modules = Path(modules_dir)
    index = modules / "index.yaml"
    if index.is_file():
        import yaml

        entries = yaml.safe_load(index.read_text(encoding="utf-8")) or []
        return [f"{modules.name}/{entry[key]}" for entry in entries for key in ("path", "path_vi") if entry.get(key)]
    return [
        path.relative_to(modules.parent).as_posix()
        for path in sorted(modules.glob("*/*.ipynb"))
        if ".ipynb_checkpoints" not in path.parts
    ]


def workshop_urls(port: int, token: str, modules_dir: Path | str = "modules") -> dict[str, str]:
    """What to open: JupyterLab, the index of participant pages, and each module's page."""
    base = f"http://127.0.0.1:{port}"
    urls = {
        label("cli.lab_address"): f"{base}/lab/tree/modules?token={token}",
        label("cli.pages_address"): f"{base}/voila/tree/modules?token={token}",
    }
    for path in page_paths(modules_dir):
        urls["  " + label("cli.page_address", path=path)] = f"{base}/voila/render/{path}?token={token}"
    return urls


def set_lab_language(language: str, prefix: Path | str = sys.prefix) -> Path:
    """Switch JupyterLab's menus to `language` ("vi" or "en") for this environment.

    Writes ``{"@jupyterlab/translation-extension:plugin": {"locale": "vi_VN"}}`` into
    ``<prefix>/share/jupyter/lab/settings/overrides.json``, keeping every other override
    in that file. A participant's own choice (*Settings → Language*) still wins.
    """
    if language not in LAB_LOCALES:
        raise ValueError(f"language must be one of {sorted(LAB_LOCALES)}, not {language!r}")  # developer-facing
    path = Path(prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    overrides = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    overrides.setdefault(TRANSLATION_PLUGIN, {})["locale"] = LAB_LOCALES[language]
    return write_atomically(path, json.dumps(overrides, indent=2, ensure_ascii=False) + "\n")


def start_lab(
    course_dir: Path | str, port: int = 8888, open_browser: bool = False, lab_language: str | None = None
) -> None:
    """Replace this process with JupyterLab (and Voilà's pages) started in the current folder.

    Prints the URLs to open first (JupyterLab, the participant pages), with the access
    token. The course must be inside the folder JupyterLab serves, or formgrader cannot
    show it.
    """
    course = open_course(course_dir)
    if lab_language is not None:
        print(label("cli.lab_language", language=lab_language, file=set_lab_language(lab_language)))
    os.environ["WPSKIT_COURSE"] = str(course.root)
    token = os.environ.get("WPSKIT_TOKEN") or secrets.token_hex(24)
    for what, url in workshop_urls(port, token).items():
        print(f"{what}: {url}")
    sys.stdout.flush()
    command = lab_command(port, open_browser, token=token)
    os.execv(command[0], command)
