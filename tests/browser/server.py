"""Start and stop a Jupyter server (JupyterLab + Voilà pages) for the browser tests, the
screenshots (tools/screenshots.py) and the benchmark (bench/bench_first_widget.py)."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def find_chromium() -> str | None:
    """Debian's chromium (or $WPSKIT_CHROMIUM); Playwright never downloads a browser here."""
    return os.environ.get("WPSKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float, name: str = "jupyter server") -> None:
    """Until `url` answers 200; the server's log tail in the error when it exits or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@contextlib.contextmanager
def jupyter_server(base: Path, *, wpskit: bool = True, token: str = "wpskit-browser") -> Iterator[tuple[str, str, Path]]:
    """Serve ``base/root`` on a free loopback port; yields (url, token, root).

    ``wpskit=True`` starts it as `wpskit lab` does (``wpskit.workshop.lab_command``, from the
    repository so Voilà reads the project's ``voila.json``; wpskit's page template and JupyterLab
    settings are installed with the package); ``wpskit=False`` is stock ``jupyter lab`` started from an empty folder.
    Settings, workspaces and runtime files stay under `base`.
    """
    from wpskit.workshop import lab_command

    root = base / "root"
    for name in ("root", "config", "runtime", "settings", "workspaces", "ipython", "cwd"):
        (base / name).mkdir(parents=True, exist_ok=True)
    # No announcement pop-up ("Would you like to receive official Jupyter news?").
    notification = base / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    port = free_port()
    if wpskit:
        command = lab_command(port, open_browser=False, root_dir=root, token=token, default_url="/lab")
        cwd = REPO
    else:
        command = [sys.executable, "-m", "jupyter", "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
                   "--ServerApp.open_browser=False", f"--ServerApp.root_dir={root}", f"--IdentityProvider.token={token}"]
        command += ["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []
        cwd = base / "cwd"
    command += [f"--LabApp.user_settings_dir={base / 'settings'}", f"--LabApp.workspaces_dir={base / 'workspaces'}"]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               IPYTHONDIR=str(base / "ipython"), PYTHONUNBUFFERED="1")
    log = base / "server.log"
    with log.open("w") as log_file:
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/api/status?token={token}", process, log, timeout=90)
        yield url, token, root
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
