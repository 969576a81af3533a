"""Time from opening a module to its first interactive widget, as a page and in JupyterLab,
against stock Voilà and stock JupyterLab opening a one-widget notebook, same machine, same run.

    .venv/bin/python bench/bench_first_widget.py [--repeat 5] [--module 00-getting-started]

- page: navigation to ``/voila/render/...`` until the first ``.jupyter-widgets`` is visible;
  wpskit's module on the server `wpskit lab` starts (its voila.json) vs a one-widget
  notebook (``ipywidgets.IntSlider()``) on stock ``jupyter lab`` (Voilà's defaults).
- lab: navigation to ``/lab/tree/...``, *Run → Run All Cells* once the kernel is idle, until
  the first widget is visible; same two servers, same notebooks.

Each measurement uses a fresh browser context and a fresh kernel; the median of
``--repeat`` runs is reported (after one warm-up run each). Target: wpskit adds less than
0.5 s to each. Not a test: it prints the numbers.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from tests.browser.server import CHROMIUM_ARGS, find_chromium, jupyter_server  # noqa: E402

ONE_WIDGET = {
    "cells": [{"cell_type": "code", "execution_count": None, "id": "slider", "metadata": {}, "outputs": [],
               "source": ["import ipywidgets\n", "ipywidgets.IntSlider()"]}],
    "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
    "nbformat": 4, "nbformat_minor": 5,
}


def shutdown_kernels(url: str, token: str) -> None:
    headers = {"Authorization": f"token {token}"}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels", headers=headers)) as response:
        kernels = json.load(response)
    for kernel in kernels:
        urllib.request.urlopen(urllib.request.Request(f"{url}/api/kernels/{kernel['id']}", method="DELETE", headers=headers))


def wait_for_kernel(url: str, token: str, path: str) -> None:
    """Until the notebook's kernel is started and idle: a Run All sent earlier can be lost."""
    request = urllib.request.Request(f"{url}/api/sessions", headers={"Authorization": f"token {token}"})
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        with urllib.request.urlopen(request) as response:
            if any(s["path"] == path and s["kernel"]["execution_state"] == "idle" for s in json.load(response)):
                time.sleep(0.2)
                return
        time.sleep(0.05)
    raise RuntimeError(f"{path}: no idle kernel within 90 s")


def first_widget(browser, url: str, token: str, path: str, view: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        start = time.perf_counter()
        if view == "page":
            page.goto(f"{url}/voila/render/{path}?token={token}", wait_until="commit")
        else:
            workspace = f"bench-{time.monotonic_ns()}"  # fresh: nothing restored, no "?reset" redirect
            page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?token={token}", wait_until="commit")
            page.locator(".jp-NotebookPanel .jp-Notebook .jp-Cell").first.wait_for(timeout=90_000)
            page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(state="attached", timeout=90_000)
            wait_for_kernel(url, token, path)
            page.locator(".lm-MenuBar-item", has_text="Run").first.click()
            page.locator(".lm-Menu-item[data-command='runmenu:run-all']:not(.lm-mod-disabled)").click()
        try:
            page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=90_000)
        except Exception:
            shot = Path(tempfile.gettempdir()) / f"bench-{view}-{path.replace('/', '-')}.png"
            page.screenshot(path=str(shot))
            raise RuntimeError(f"{view} {url} {path}: no widget within 90 s (screenshot {shot})") from None
        return time.perf_counter() - start
    finally:
        context.close()
        shutdown_kernels(url, token)


def main(argv: list[str] | None = None) -> int:
    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--module", default="00-getting-started", help="module id from modules/index.yaml")
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        print("chromium is not installed: apt-get install chromium")
        return 1
    entry = next(e for e in yaml.safe_load((REPO / "modules" / "index.yaml").read_text(encoding="utf-8"))
                 if e["id"] == args.module)
    module = f"modules/{entry['path']}"
    with tempfile.TemporaryDirectory(prefix="wpskit-bench-") as temporary:
        base = Path(temporary)
        (base / "wpskit" / "root").mkdir(parents=True)
        (base / "stock" / "root").mkdir(parents=True)
        shutil.copytree(REPO / "modules", base / "wpskit" / "root" / "modules",
                        ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
        (base / "stock" / "root" / "one-widget.ipynb").write_text(json.dumps(ONE_WIDGET), encoding="utf-8")
        with jupyter_server(base / "wpskit") as (wurl, wtoken, wroot), \
                jupyter_server(base / "stock", wpskit=False) as (surl, stoken, _sroot), \
                sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            cases = {
                ("page", "wpskit"): (wurl, wtoken, module),
                ("page", "stock"): (surl, stoken, "one-widget.ipynb"),
                ("lab", "wpskit"): (wurl, wtoken, module),
                ("lab", "stock"): (surl, stoken, "one-widget.ipynb"),
            }
            times: dict[tuple[str, str], list[float]] = {case: [] for case in cases}
            for case, (url, token, path) in cases.items():  # warm-up: caches, kernel spec, first import
                first_widget(browser, url, token, path, case[0])
            for _ in range(args.repeat):  # interleaved, so drift hits both sides alike
                for case, (url, token, path) in cases.items():
                    for stale in wroot.glob("modules/*/*.responses.json"):
                        stale.unlink()
                    times[case].append(first_widget(browser, url, token, path, case[0]))
            browser.close()
    print(f"time to first widget, median of {args.repeat} (s); module {args.module}")
    for view, name in (("page", "Voilà page"), ("lab", "JupyterLab, Run All")):
        ours, stock = statistics.median(times[(view, "wpskit")]), statistics.median(times[(view, "stock")])
        verdict = "OK" if ours - stock < 0.5 else "over the 0.5 s target"
        print(f"  {name:20s} wpskit {ours:5.2f}  stock one-widget {stock:5.2f}  "
              f"added {ours - stock:+.2f} s  ratio {ours / stock:4.2f}  {verdict}")
        print(f"  {'':20s} runs wpskit {[round(t, 2) for t in times[(view, 'wpskit')]]}  "
              f"stock {[round(t, 2) for t in times[(view, 'stock')]]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
