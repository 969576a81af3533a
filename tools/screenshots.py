"""Screenshots of each module's first screen as a participant sees it (the Voilà page), in
English and Vietnamese: ``docs/screenshots/<module id>.<en|vi>.png``, 1000 x 700.

Run with ``make screenshots`` (or ``.venv/bin/python tools/screenshots.py``). Needs Debian's
chromium; the modules come from ``modules/index.yaml``. Answers given while taking them go
to a temporary copy of ``modules/``, never to the repository.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import yaml  # noqa: E402

from tests.browser.server import CHROMIUM_ARGS, find_chromium, jupyter_server  # noqa: E402

OUT = REPO / "docs" / "screenshots"
SIZE = {"width": 1000, "height": 700}


def shrink(path: Path) -> None:
    """A palette PNG: text pages need few colours, and the files are committed."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=64, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def take(out: Path = OUT, only: str | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    chromium = find_chromium()
    if chromium is None:
        raise SystemExit("chromium is not installed: apt-get install chromium")
    index = yaml.safe_load((REPO / "modules" / "index.yaml").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory(prefix="wpskit-screens-") as temporary:
        base = Path(temporary)
        shutil.copytree(REPO / "modules", base / "root" / "modules",
                        ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
        with jupyter_server(base) as (url, token, _root), sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            for entry in index:
                if only and entry["id"] != only:
                    continue
                for language, key in (("en", "path"), ("vi", "path_vi")):
                    context = browser.new_context(viewport=SIZE, locale="vi-VN" if language == "vi" else "en-US")
                    page = context.new_page()
                    page.goto(f"{url}/voila/render/modules/{entry[key]}?token={token}")
                    page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=90_000)
                    page.wait_for_load_state("networkidle")
                    page.wait_for_timeout(500)
                    path = out / f"{entry['id']}.{language}.png"
                    page.screenshot(path=str(path))
                    shrink(path)
                    written.append(path)
                    print(f"{path.relative_to(REPO)}  {path.stat().st_size // 1024} KB")
                    context.close()
            browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the PNGs (default docs/screenshots)")
    parser.add_argument("--module", help="only this module id (from modules/index.yaml)")
    args = parser.parse_args(argv)
    take(args.out, args.module)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
