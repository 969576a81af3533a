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

from typing import Iterator

import pytest

from tests.browser.participant import Site
from tests.browser.server import CHROMIUM_ARGS, REPO, find_chromium, jupyter_server


def chromium_path() -> str:
    """The system Chromium, or skip: the reason shows in the summary (`-ra`)."""
    path = find_chromium()
    if path is None:
        pytest.skip("chromium is not installed: the browser tests need Debian's chromium "
                    "(apt-get install chromium; .ci/run does this on CI)")
    return path


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """JupyterLab + Voilà pages, started as `make lab` starts them, on a temporary root."""
    chromium_path()
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    base = tmp_path_factory.mktemp("jupyter")
    with jupyter_server(base) as (url, token, root):
        yield Site(url=url, token=token, root=root, modules=REPO / "modules", log=base / "server.log")


@pytest.fixture(scope="session")
def browser(site: Site):
    from playwright.sync_api import expect, sync_playwright

    # CI runs these beside kernel-heavy tests on 2 cores: a widget's round trip to its kernel
    # can take longer than expect()'s 5 s default there, without anything being wrong.
    expect.set_options(timeout=20_000)
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

