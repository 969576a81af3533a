"""One Jupyter server and one headless Chromium for the whole browser test session.

The server is started the way `wpskit lab` starts it (``wpskit.workshop.lab_command``:
JupyterLab with Voilà's pages on the same port, the project's ``voila.json``), on a free
loopback port, serving a temporary folder: every test copies the module it opens into a
fresh sub-folder, so responses files never land in the repository and no test sees
another test's answers.

Chromium is Debian's ``/usr/bin/chromium`` (Playwright never downloads a browser here).
Without it every browser test is skipped with a reason that shows in pytest's summary.
"""

from __future__ import annotations

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

import pytest

from tests.browser.participant import Site

REPO = Path(__file__).resolve().parents[2]
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str:
    """The system Chromium, or skip: the reason shows in the summary (`-ra`)."""
    path = os.environ.get("WPSKIT_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        pytest.skip("chromium is not installed: the browser tests need Debian's chromium "
                    "(apt-get install chromium; .ci/run does this on CI)")
    return path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"jupyter server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.3)
    raise RuntimeError(f"jupyter server did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """JupyterLab + Voilà pages, started as `make lab` starts them, on a temporary root."""
    chromium_path()
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    from wpskit.workshop import install_lab_settings, lab_command

    base = tmp_path_factory.mktemp("jupyter")
    root = base / "root"
    root.mkdir()
    for name in ("config", "runtime", "settings", "workspaces", "ipython"):
        (base / name).mkdir()
    # No announcement pop-ups ("Would you like to receive official Jupyter news?").
    notification = base / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    install_lab_settings()  # as `wpskit lab` does: arrow keys stay with radio buttons and dropdowns
    port, token = free_port(), "wpskit-browser-tests"
    command = lab_command(port, open_browser=False, root_dir=root, token=token, default_url="/lab") + [
        f"--LabApp.user_settings_dir={base / 'settings'}",
        f"--LabApp.workspaces_dir={base / 'workspaces'}",
    ]
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(base / "config"), JUPYTER_RUNTIME_DIR=str(base / "runtime"),
               IPYTHONDIR=str(base / "ipython"), PYTHONUNBUFFERED="1")
    log = base / "server.log"
    with log.open("w") as log_file:
        # cwd is the repository: Voilà reads the project's voila.json from there, as under `make lab`.
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        wait_until_up(f"{url}/api/status?token={token}", process, log)
        yield Site(url=url, token=token, root=root, modules=REPO / "modules", log=log)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.fixture(scope="session")
def browser(site: Site):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def visit(site: Site, browser, request: pytest.FixtureRequest):
    """``visit(notebook, view, width)``: a fresh browser context on a fresh copy of the module.

    On failure the page's screenshot is saved next to the server log for a look.
    """
    contexts = []

    def open_(notebook: str, view: str, width: str = "desktop"):
        from tests.browser.participant import Visit

        context = browser.new_context(**site.viewport(width), locale="vi-VN" if ".vi." in notebook else "en-US")
        context.set_default_timeout(30_000)
        contexts.append(context)
        return Visit(site, context.new_page(), site.copy_module(notebook, request.node.name), view)

    yield open_
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    for number, context in enumerate(contexts):
        if failed:
            for page in context.pages:
                shot = site.log.parent / f"{request.node.name}-{number}.png"
                try:
                    page.screenshot(path=str(shot), full_page=True)
                    print(f"screenshot of the failed page: {shot}")
                except Exception:  # the page may be gone; the failure itself matters more
                    pass
        context.close()
    site.shutdown_kernels()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report

