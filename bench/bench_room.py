"""The room at full size: N participants (default 40) log in to the real hub within the same
minute, each opens a Day 2 module page and answers all its questions. Not a test: it prints
the numbers (run as root: it creates N Unix users, with a random prefix, and removes them at the
end, also after Ctrl-C or a failure).

    sudo .venv/bin/python bench/bench_room.py [--participants 40] [--browsers 4] [--prestart]

Two kinds of client, said in the output:

- ``--browsers`` of them are real Chromium pages (Playwright): the hub's login form, the page,
  the first ``.jupyter-widgets`` visible, then every question answered with the mouse.
- the others speak to the page's kernel as the page's own JavaScript does, without drawing it:
  HTTP login (form, cookies, the single-user server's OAuth), ``GET`` of the Voilà page (the
  server runs the notebook while streaming it), the kernel's websocket, ipywidgets' control
  comm (``request_states``) for every widget's state, then one ``update`` message per control
  a participant would change (a radio, a tick box, a drop-down, a text, a scenario button's
  click). Forty headless tabs on the machine that also runs the hub would measure Chromium,
  not the room.

Printed: login -> first widget p50/p95 (a protocol client's "first widget" is the moment it
holds every widget's state, what the page needs to draw them); change -> saved on disk
p50/p95 (protocol clients: after each change a participant makes, a radio, a tick box, a
drop-down, a text, a scenario's choice, the responses file in the participant's home is read
every 20 ms until its answer to that question changed; a question of several changes is several
saves, as on the page, where they come seconds apart), split into the trip to the kernel and the
kernel's own work by the kernel's busy/idle status messages; the machine's memory in use (MemTotal - MemAvailable, peak, and
the part the hub, the servers and the kernels hold); answers lost (every expected answer read
back from each home at the end). ``--prestart`` starts every server first with
``wpskit hub start-servers`` (what a facilitator runs before the session) and times that too.
"""

from __future__ import annotations

import argparse
import asyncio
import html as html_lib
import json
import os
import random
import re
import secrets
import shutil
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, Awaitable, Callable

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser.participant import Mouse, Question, Site, Visit, answer_correctly, notebook_questions  # noqa: E402
from tests.browser.server import CHROMIUM_ARGS, find_chromium, free_port, wait_until_up  # noqa: E402
from wpskit.hub.accounts import add_users, read_logins, remove_users  # noqa: E402
from wpskit.hub.room import hub_command, prepare, start_servers  # noqa: E402
from wpskit.hub.settings import HubSettings, load_settings  # noqa: E402
from wpskit.words import label  # noqa: E402

MODULE = "day2-nts/01-what-security-means.ipynb"
# What tests/browser/participant.py's answer_correctly types, so browser and protocol clients agree.
WRITTEN = {"en": "I will share resolution 1325 with my colleagues — peace and security.",
           "vi": "Tôi sẽ chia sẻ với đồng nghiệp về Nghị quyết 1325 — hòa bình và an ninh."}
NAMES = ["Nguyễn Thị An", "Trần Văn Bình", "Lê Thị Chi", "Phạm Minh Đức", "Hoàng Thị Hà", "Vũ Quốc Hùng"]


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (p95 of 40 values is the 38th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, -(-int(share * 100) * len(ordered) // 100) - 1))]


# -- the machine's memory -------------------------------------------------------------------------


def memory_in_use() -> int:
    fields = dict(line.split(":", 1) for line in Path("/proc/meminfo").read_text().splitlines())
    kib = lambda name: int(fields[name].split()[0])  # noqa: E731
    return (kib("MemTotal") - kib("MemAvailable")) * 1024


class MemoryWatch(threading.Thread):
    """Peak memory in use, sampled every 0.5 s, and every 3 s the resident memory of the hub's
    own processes by kind (hub and proxy, single-user servers, kernels) and of the bench's clients."""

    def __init__(self, uids: set[int], hub_pid: int) -> None:
        super().__init__(daemon=True)
        self.uids, self.hub_pid = uids, hub_pid
        self.baseline = memory_in_use()
        self.peak = self.baseline
        self.peak_parts: dict[str, int] = {}
        self.stop = threading.Event()

    def parts(self) -> dict[str, int]:
        import psutil

        parts = {"hub and proxy": 0, "single-user servers": 0, "kernels": 0, "bench clients (Chromium, this script)": 0}
        hub = psutil.Process(self.hub_pid)
        hub_family = {hub.pid, *(child.pid for child in hub.children(recursive=True))}
        me = psutil.Process()
        mine = {me.pid, *(child.pid for child in me.children(recursive=True))} - hub_family
        for process in psutil.process_iter(["pid", "uids", "cmdline", "memory_info"]):
            info = process.info
            if not info["memory_info"]:
                continue
            rss = info["memory_info"].rss
            if info["uids"] and info["uids"].real in self.uids:
                kind = "kernels" if "ipykernel_launcher" in " ".join(info["cmdline"] or []) else "single-user servers"
                parts[kind] += rss
            elif info["pid"] in hub_family:
                parts["hub and proxy"] += rss
            elif info["pid"] in mine:
                parts["bench clients (Chromium, this script)"] += rss
        return parts

    def run(self) -> None:
        last = 0.0
        while not self.stop.wait(0.5):
            used = memory_in_use()
            self.peak = max(self.peak, used)
            if time.monotonic() - last > 3:
                last = time.monotonic()
                try:
                    parts = self.parts()
                except Exception:  # a process ending mid-read
                    continue
                room = lambda split: sum(v for k, v in split.items() if not k.startswith("bench"))  # noqa: E731
                if room(parts) > room(self.peak_parts):
                    self.peak_parts = parts


# -- what a participant answers -------------------------------------------------------------------


@dataclass
class Answer:
    """One question: what the client does and the value the responses file must then hold."""

    item_id: str
    kind: str
    expected: Any  # None: any value (a scenario's path)


def expected_answers(questions: list[Question], language: str) -> list[Answer]:
    answers = []
    for question in questions:
        spec, kind = question.spec, question.kind
        expected = {"single": spec.get("key"), "truefalse": spec.get("key"), "confidence": 3,
                    "multi": sorted(spec.get("key") or []), "match": spec.get("key"), "written": WRITTEN[language],
                    "text": (spec.get("key") or [None])[0] if isinstance(spec.get("key"), list) else spec.get("key"),
                    "scenario": None}
        if kind not in expected:
            raise SystemExit(f"{kind} questions are not answered by this benchmark's protocol client: choose "
                             f"another module (--module)")
        answers.append(Answer(spec["id"], kind, expected[kind]))
    return answers


@dataclass
class Result:
    login: str
    client: str  # "browser" or "protocol"
    first_widget: float | None = None
    saves: list[float] = field(default_factory=list)
    # per change: (sent -> the kernel starts on it, the kernel's work on it) in seconds
    save_parts: list[tuple[float, float]] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # protocol clients: seconds after login started
    retries: int = 0  # requests sent again after the proxy closed an idle connection
    relaunches: int = 0  # "Spawn failed": the participant pressed Relaunch
    given: list[str] = field(default_factory=list)  # the item ids the client answered
    error: str | None = None
    console: list[str] = field(default_factory=list)  # browser clients: the page's console errors


def read_answers(path: Path) -> dict[str, Any]:
    try:
        return json.loads(path.read_text(encoding="utf-8"))["answers"]
    except (OSError, ValueError, KeyError):
        return {}


def holds(answers: dict[str, Any], answer: Answer) -> bool:
    if answer.item_id not in answers:
        return False
    return answer.expected is None or answers[answer.item_id].get("value") == answer.expected


# -- the protocol client ----------------------------------------------------------------------------

WIDGET_VIEW = re.compile(r'"model_id":\s*"([0-9a-f]{32})"')
START_BUTTON = re.compile(r'<a id="start"[^>]*href="([^"]+)"', re.S)  # the hub's "Launch / Relaunch server"
CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', re.S)


def words(text: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", str(text))).split())


class Kernel:
    """The page's kernel over its websocket: Jupyter messages, and the widget models it holds."""

    def __init__(self, ws) -> None:
        self.ws, self.session = ws, uuid.uuid4().hex
        self.models: dict[str, dict[str, Any]] = {}
        self.changed = asyncio.Event()
        self.last_sent: tuple[str, float] = ("", 0.0)  # the last message's id and when it left (time.time())
        self.handled: dict[str, dict[str, float]] = {}  # message id -> the kernel's "busy"/"idle" moments
        self.reader = asyncio.create_task(self._read())

    def message(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "bench",
                           "session": self.session, "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                           "version": "5.3"},
                "parent_header": {}, "metadata": metadata or {}, "content": content, "buffers": [], "channel": "shell"}

    async def send(self, msg_type: str, content: dict[str, Any], metadata: dict[str, Any] | None = None) -> None:
        message = self.message(msg_type, content, metadata)
        self.last_sent = (message["header"]["msg_id"], time.time())
        await self.ws.send_str(json.dumps(message))

    async def update(self, model_id: str, state: dict[str, Any]) -> None:
        await self.send("comm_msg", {"comm_id": model_id, "data": {"method": "update", "state": state, "buffer_paths": []}})

    async def click(self, model_id: str) -> None:
        await self.send("comm_msg", {"comm_id": model_id, "data": {"method": "custom", "content": {"event": "click"}}})

    async def _read(self) -> None:
        async for frame in self.ws:
            message = json.loads(frame.data)
            kind, content = message["header"]["msg_type"], message["content"]
            data = content.get("data") or {}
            if kind == "status" and message.get("parent_header"):
                moment = datetime.fromisoformat(message["header"]["date"]).timestamp()
                self.handled.setdefault(message["parent_header"]["msg_id"], {})[content["execution_state"]] = moment
                continue
            if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
                self.models[content["comm_id"]] = dict(data.get("state") or {})
            elif kind == "comm_msg" and data.get("method") == "update_states":
                for model_id, model in data["states"].items():
                    self.models[model_id] = dict(model["state"], _model_name=model.get("model_name"))
            elif kind == "comm_msg" and data.get("method") == "update" and content["comm_id"] in self.models:
                self.models[content["comm_id"]].update(data.get("state") or {})
            else:
                continue
            self.changed.set()

    async def request_states(self) -> None:
        control = uuid.uuid4().hex
        from ipywidgets.widgets.widget import __control_protocol_version__

        await self.send("comm_open", {"comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
                        {"version": __control_protocol_version__})
        await self.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}})
        await self.until(lambda: bool(self.models), 60, "no widget states from the kernel")

    async def until(self, condition, timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError(what)
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), 0.5)
            except asyncio.TimeoutError:
                pass

    def descendants(self, model_id: str) -> list[str]:
        found, stack = [], [model_id]
        while stack:
            current = stack.pop(0)
            found.append(current)
            children = self.models.get(current, {}).get("children") or []
            stack.extend(child.removeprefix("IPY_MODEL_") for child in children)
        return found

    def of(self, root: str, model_name: str) -> list[str]:
        return [m for m in self.descendants(root) if self.models.get(m, {}).get("_model_name") == model_name]

    def text(self, root: str) -> str:
        return words(" ".join(str(self.models.get(m, {}).get("value", "")) for m in self.descendants(root)
                              if self.models.get(m, {}).get("_model_name") in ("HTMLModel", "LabelModel")))


async def answer_by_protocol(kernel: Kernel, root: str, question: Question, answer: Answer, language: str,
                             change: Callable[[Awaitable[None]], Awaitable[None]]) -> None:
    """Change the question's controls as a participant's clicks on the page would; every
    change (a message to the kernel) goes through `change`, which times its save."""
    spec, kind = question.spec, answer.kind

    def index_of(model_id: str, text: str) -> int:
        labels = [words(x) for x in kernel.models[model_id]["_options_labels"]]
        return labels.index(words(text))

    if kind in ("single", "truefalse", "confidence"):
        text = (spec["options"][spec["key"]][language] if kind == "single" else
                label(str(spec["key"]).lower(), language) if kind == "truefalse" else label("confidence_3", language))
        (radios,) = kernel.of(root, "RadioButtonsModel")
        await change(kernel.update(radios, {"index": index_of(radios, text)}))
    elif kind == "multi":
        boxes = {words(kernel.models[m]["description"]): m for m in kernel.of(root, "CheckboxModel")}
        for key in spec["key"]:
            await change(kernel.update(boxes[words(spec["options"][key][language])], {"value": True}))
    elif kind == "match":
        for select, option in zip(kernel.of(root, "DropdownModel"), spec["options"]):
            await change(kernel.update(select, {"index": index_of(select, spec["targets"][spec["key"][option]][language])}))
    elif kind in ("written", "text"):
        box = (kernel.of(root, "TextareaModel") + kernel.of(root, "TextModel"))[0]
        await change(kernel.update(box, {"value": answer.expected}))
    elif kind == "scenario":
        end = words(label("scenario_end", language))
        for _ in range(20):
            if end in kernel.text(root):
                return
            buttons = [m for m in kernel.of(root, "ButtonModel") if "wpskit-wrap" in kernel.models[m].get("_dom_classes", [])]
            if not buttons:
                await kernel.until(lambda: end in kernel.text(root) or any(
                    "wpskit-wrap" in kernel.models[m].get("_dom_classes", []) for m in kernel.of(root, "ButtonModel")),
                    30, f"{answer.item_id}: no choice and no end")
                continue
            before = set(buttons)
            await change(kernel.click(buttons[0]))
            await kernel.until(lambda: end in kernel.text(root) or {
                m for m in kernel.of(root, "ButtonModel") if "wpskit-wrap" in kernel.models[m].get("_dom_classes", [])
            } - before, 30, f"{answer.item_id}: the story did not move on")
        raise TimeoutError(f"{answer.item_id}: the story did not end in 20 steps")


async def protocol_participant(room: "Room", login: str, delay: float, result: Result) -> None:
    import aiohttp

    await asyncio.sleep(delay)
    start = time.monotonic()
    page_url = f"{room.url}/user/{login}/voila/render/modules/{room.module}"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True),
                                     timeout=aiohttp.ClientTimeout(total=600)) as http:
        for attempt in range(3):  # a connection the proxy closed while idle is tried again, as browsers do
            try:
                async with http.get(f"{room.url}/hub/login") as response:
                    form = await response.text()
                found = re.search(r'name="_xsrf"\s+value="([^"]+)"', form)
                if not found:
                    raise RuntimeError(f"{login}: no login form at {response.url} ({response.status}): {form[:200]!r}")
                async with http.post(f"{room.url}/hub/login?next=", data={
                        "username": login, "password": room.codes[login], "_xsrf": found.group(1)}) as response:
                    await response.read()
                break
            except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
                if attempt == 2:
                    raise
                result.retries += 1
        if "/hub/login" in str(response.url):
            raise RuntimeError(f"{login}: login refused")
        # As the browser after login: the spawn-pending page until the server is up, then the page.
        result.phases["logged in"] = time.monotonic() - start
        deadline = time.monotonic() + 600
        while True:
            async with http.get(page_url) as response:
                if response.url.path.startswith(f"/user/{login}/voila/render/") and response.status == 200:
                    result.phases["server answers"] = time.monotonic() - start
                body = await response.text()
                landed = str(response.url)
            if response.url.path.startswith(f"/user/{login}/voila/render/") and response.status == 200:
                result.phases["page run and sent"] = time.monotonic() - start
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"{login}: page not reached ({response.status} {landed})")
            relaunch = START_BUTTON.search(body)
            if relaunch:  # "Spawn failed ... Relaunch": the participant presses the button
                result.relaunches += 1
                async with http.get(f"{room.url}{html_lib.unescape(relaunch.group(1))}") as response:
                    await response.read()
            await asyncio.sleep(1)
        config = CONFIG.search(body)
        if not config:
            dump = Path(tempfile.gettempdir()) / f"bench-room-{login}.html"
            dump.write_text(body, encoding="utf-8")
            raise RuntimeError(f"{login}: no kernel id in the page {landed} (saved as {dump})")
        kernel_id = json.loads(config.group(1))["kernelId"]
        shown = WIDGET_VIEW.findall(body)
        ws_url = f"{room.url.replace('http', 'ws', 1)}/user/{login}/api/kernels/{kernel_id}/channels?session_id={uuid.uuid4().hex}"
        xsrf_cookie = {c.key: c.value for c in http.cookie_jar}.get("_xsrf", "")
        async with http.ws_connect(ws_url, headers={"X-XSRFToken": xsrf_cookie}, max_msg_size=0) as ws:
            kernel = Kernel(ws)
            await kernel.request_states()
            result.first_widget = time.monotonic() - start
            questions = [m for m in shown if "wpskit-question" in kernel.models.get(m, {}).get("_dom_classes", [])]
            if len(questions) != len(room.questions):
                raise RuntimeError(f"{login}: {len(questions)} questions on the page, {len(room.questions)} expected")
            responses = room.responses_file(login)
            messages = []  # (id, when it left) of every change sent

            async def change(send: Awaitable[None], item_id: str) -> None:
                """Send one change and wait until the saved answer to `item_id` is no longer what it was."""
                before = read_answers(responses).get(item_id, {}).get("value")
                sent = time.monotonic()
                await send
                messages.append(kernel.last_sent)
                while read_answers(responses).get(item_id, {}).get("value") == before:
                    if time.monotonic() - sent > 60:
                        raise TimeoutError(f"{login}: {item_id} not saved 60 s after a change")
                    await asyncio.sleep(0.02)
                result.saves.append(time.monotonic() - sent)

            for root, question, answer in zip(questions, room.questions, room.answers):
                await asyncio.sleep(random.uniform(1, 4))  # reading the question
                await answer_by_protocol(kernel, root, question, answer, room.language,
                                         lambda send, item_id=answer.item_id: change(send, item_id))
                result.given.append(answer.item_id)
                if not holds(read_answers(responses), answer):
                    raise RuntimeError(f"{login}: {answer.item_id} saved, but not as answered")
            await asyncio.sleep(2)  # the kernel's last "idle"
            for msg_id, left in messages:
                moments = kernel.handled.get(msg_id, {})
                if "busy" in moments and "idle" in moments:
                    result.save_parts.append((moments["busy"] - left, moments["idle"] - moments["busy"]))
            kernel.reader.cancel()


# -- the browser client -----------------------------------------------------------------------------


def browser_participant(room: "Room", login: str, delay: float, result: Result) -> None:
    from playwright.sync_api import sync_playwright

    time.sleep(delay)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            page.set_default_timeout(120_000)
            # What the page's JavaScript complained of, said with a failure ("Error displaying widget" alone says little)
            page.on("console", lambda message: message.type == "error" and result.console.append(message.text[:300]))
            start = time.monotonic()
            page.goto(f"{room.url}/hub/login")
            page.fill("#username_input", login)
            page.fill("#password_input", room.codes[login])
            page.click("#login_submit")
            deadline = time.monotonic() + 600
            while not re.search(rf"/user/{login}/", page.url):  # the module index, after the spawn-pending page
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{login}: still at {page.url}")
                if page.locator("a#start").count() and page.locator("a#start").is_visible():
                    result.relaunches += 1  # "Spawn failed ... Relaunch server"
                    page.locator("a#start").click()
                page.wait_for_timeout(1000)
            page.goto(f"{room.url}/user/{login}/voila/render/modules/{room.module}", timeout=600_000)
            page.locator(".jupyter-widgets").first.wait_for(state="visible", timeout=600_000)
            result.first_widget = time.monotonic() - start
            site = Site(url=room.url, token="", root=room.home(login), modules=REPO / "modules", log=room.log)
            visit = Visit(site=site, page=page, notebook=f"modules/{room.module}", view="page")
            visit.wait_for_questions(300)
            result.given = answer_correctly(visit, Mouse())
        finally:
            browser.close()


# -- the room ---------------------------------------------------------------------------------------


@dataclass
class Room:
    url: str
    settings: HubSettings
    module: str
    log: Path
    codes: dict[str, str] = field(default_factory=dict)

    @property
    def language(self) -> str:
        return "vi" if self.module.endswith(".vi.ipynb") else "en"

    @cached_property  # read once: parsing the exercises file in every client would stall the clients' loop
    def questions(self) -> list[Question]:
        return notebook_questions(self.settings.modules / self.module)

    @cached_property
    def answers(self) -> list[Answer]:
        return expected_answers(self.questions, self.language)

    def home(self, login: str) -> Path:
        return Path(f"/home/{self.settings.unix_name(login)}")

    @cached_property
    def form(self) -> str:
        source = (self.settings.modules / self.module).read_text(encoding="utf-8")
        return re.search(r'Exercises\(\\"([^\\"]+)\\"', source).group(1)

    def responses_file(self, login: str) -> Path:
        return self.home(login) / "modules" / Path(self.module).parent / f"{self.form}.responses.json"


def _requirements() -> str | None:
    if os.geteuid() != 0:
        return "run as root: the room makes one Unix user per participant"
    if find_chromium() is None:
        return "chromium is not installed (apt-get install chromium)"
    if not (REPO / "node_modules" / ".bin" / "configurable-http-proxy").exists() and not shutil.which(
            "configurable-http-proxy"):
        return "configurable-http-proxy is missing: npm ci (make hub does it)"
    return None


def run(args: argparse.Namespace) -> int:
    why = _requirements()
    if why:
        print(why)
        return 1
    prefix = "wpsb" + "".join(secrets.choice(string.ascii_lowercase) for _ in range(3)) + "-"
    state = Path(tempfile.mkdtemp(prefix="wpskit-bench-room-", dir="/tmp"))
    os.chmod(state, 0o755)
    shutil.copytree(REPO / "modules", state / "modules",
                    ignore=shutil.ignore_patterns("*.responses.json*", ".ipynb_checkpoints"))
    port = free_port()
    settings_file = state / "hub" / "settings.yaml"
    settings_file.parent.mkdir()
    settings_file.write_text(
        f"state: {state / 'srv'}\nprefix: {prefix}\nport: {port}\nip: 127.0.0.1\nhub_port: {free_port()}\n"
        f"proxy_api_port: {free_port()}\nmodules: {state / 'modules'}\nassessments: {REPO / 'assessments'}\n",
        encoding="utf-8")
    settings = load_settings(settings_file)
    logins = [f"p{number:02d}" for number in range(1, args.participants + 1)]
    roster = state / "roster.csv"
    roster.write_text("participant_id,name\n" + "".join(f"{login},{NAMES[i % len(NAMES)]}\n" for i, login in enumerate(logins)),
                      encoding="utf-8")
    process = None
    log = state / "hub.log"
    watch = None
    try:
        started = time.monotonic()
        add_users(settings, roster, [], hub_url=f"http://127.0.0.1:{port}/")
        prepare(settings)
        print(f"{args.participants} users ({prefix}*) and the course made in {time.monotonic() - started:.0f} s", flush=True)
        command, env = hub_command(settings_file)
        env.update(JUPYTER_PATH=str(REPO / "share" / "jupyter"), PYTHONPATH=str(REPO))
        with log.open("w") as out:
            process = subprocess.Popen(command, env=env, cwd=settings.hub_dir, stdout=out, stderr=subprocess.STDOUT,
                                       start_new_session=True)
        room = Room(url=f"http://127.0.0.1:{port}", settings=settings, module=args.module, log=log,
                    codes={login: entry.code for login, entry in read_logins(settings).items()})
        wait_until_up(f"{room.url}/hub/api/", process, log, timeout=90, name="JupyterHub")
        import pwd

        watch = MemoryWatch({pwd.getpwnam(settings.unix_name(login)).pw_uid for login in logins}, process.pid)
        watch.start()
        prestart = None
        if args.prestart:
            prestart = start_servers(settings, parallel=args.parallel)
            print(f"wpskit hub start-servers: {len(prestart.ready)} ready in {prestart.seconds:.0f} s, "
                  f"{len(prestart.failed)} failed {prestart.failed or ''}", flush=True)
        results = room_session(room, logins, args)
        time.sleep(3)  # the last saves; then every home is read back
        lost = []  # answered by a client, not (or not so) on disk
        for result in results:
            answers = read_answers(room.responses_file(result.login))
            lost += [f"{result.login}:{a.item_id}" for a in room.answers if a.item_id in result.given and not holds(answers, a)]
        watch.stop.set()
        report(args, room, results, watch, prestart, lost)
        return 0 if not lost and not any(r.error for r in results) else 1
    finally:
        if watch is not None:
            watch.stop.set()
        if process is not None:
            process.send_signal(signal.SIGINT)  # as Ctrl-C: the hub stops every single-user server
            try:
                process.wait(timeout=120)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        if log.exists():
            shutil.copyfile(log, Path(tempfile.gettempdir()) / f"wpskit-bench-room-{prefix[:-1]}.log")
        try:
            remove_users(settings)
        finally:
            shutil.rmtree(state, ignore_errors=True)
        left = [line.split(":")[0] for line in Path("/etc/passwd").read_text().splitlines() if line.startswith(prefix)]
        if left:
            print(f"warning: Unix users left behind: {left}")


def room_session(room: Room, logins: list[str], args: argparse.Namespace) -> list[Result]:
    """Every participant logs in at a moment of the same minute (evenly spread, shuffled)."""
    moments = [args.spread * i / len(logins) for i in range(len(logins))]
    random.shuffle(moments)
    browsers = set(logins[:: max(1, len(logins) // args.browsers)][: args.browsers]) if args.browsers else set()
    results = {login: Result(login, "browser" if login in browsers else "protocol") for login in logins}

    def in_thread(login: str) -> None:
        try:
            browser_participant(room, login, moments[logins.index(login)], results[login])
        except Exception as error:  # reported with the numbers
            results[login].error = why(error)

    threads = [threading.Thread(target=in_thread, args=(login,), daemon=True) for login in browsers]
    for thread in threads:
        thread.start()

    async def protocol_clients() -> None:
        async def one(login: str) -> None:
            try:
                await protocol_participant(room, login, moments[logins.index(login)], results[login])
            except Exception as error:
                results[login].error = why(error)

        await asyncio.gather(*(one(login) for login in logins if login not in browsers))

    asyncio.run(protocol_clients())
    for thread in threads:
        thread.join(timeout=900)
    return list(results.values())


def why(error: Exception) -> str:
    """One line: the error and the bench's line it came from."""
    import traceback

    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == __file__]
    where = f" (bench_room.py:{frames[-1].lineno})" if frames else ""
    return f"{type(error).__name__}: {(str(error).splitlines() or [''])[0][:300]}{where}"


def report(args, room: Room, results: list[Result], watch: MemoryWatch, prestart, lost: list[str]) -> None:
    gib = lambda n: f"{n / 2**30:.2f} GiB"  # noqa: E731
    mode = "servers started ahead (wpskit hub start-servers)" if args.prestart else "cold (each login starts its server)"
    print(f"\nThe room: {args.participants} participants, {mode}; logins spread over {args.spread:.0f} s; "
          f"module {args.module}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; "
          f"load average now {os.getloadavg()[0]:.1f} (other work on the machine counts too)")
    relaunches = sum(r.relaunches for r in results)
    if relaunches:
        print(f"  {relaunches} times a participant saw 'Spawn failed' and pressed Relaunch "
              f"({sum(1 for r in results if r.relaunches)} participants)")
    retries = sum(r.retries for r in results)
    if retries:
        print(f"  {retries} login requests sent again after the proxy closed an idle keep-alive connection")
    if prestart is not None:
        print(f"  start-servers          {len(prestart.ready)} ready in {prestart.seconds:.0f} s (parallel {args.parallel})")
    for client in ("browser", "protocol"):
        times = [r.first_widget for r in results if r.client == client and r.first_widget is not None]
        if times:
            print(f"  login -> first widget  {client:8s} n={len(times):2d}  p50 {percentile(times, .5):5.1f} s  "
                  f"p95 {percentile(times, .95):5.1f} s  max {max(times):5.1f} s")
    everyone = [r.first_widget for r in results if r.first_widget is not None]
    if everyone:
        print(f"  login -> first widget  all      n={len(everyone):2d}  p50 {percentile(everyone, .5):5.1f} s  "
              f"p95 {percentile(everyone, .95):5.1f} s   (target p95 < 30 s with servers started ahead)")
    phases = [r.phases for r in results if r.phases and r.first_widget is not None]
    if phases:
        print("  where the time goes    protocol p50 (s after the login form): " + ", ".join(
            f"{name} {statistics.median(p[name] for p in phases):.1f}" for name in phases[0]) + f", widget states "
            f"{statistics.median(r.first_widget for r in results if r.phases and r.first_widget is not None):.1f}")
    saves = [s for r in results for s in r.saves]
    if saves:
        print(f"  change -> on disk      protocol n={len(saves):3d} p50 {percentile(saves, .5):5.3f} s  "
              f"p95 {percentile(saves, .95):5.3f} s  max {max(saves):5.3f} s   (target p95 < 0.5 s)")
    parts = [p for r in results for p in r.save_parts]
    if parts:
        going, working = [p[0] for p in parts], [p[1] for p in parts]
        print(f"    of which: client -> proxy -> server -> kernel starts on the change "
              f"p50 {percentile(going, .5):5.3f} s p95 {percentile(going, .95):5.3f} s; the kernel's work "
              f"(widget, save, reply) p50 {percentile(working, .5):5.3f} s p95 {percentile(working, .95):5.3f} s")
    print(f"  memory in use          peak {gib(watch.peak)} (before the hub: {gib(watch.baseline)}; "
          f"the room added {gib(watch.peak - watch.baseline)})   (target < 12 GB)")
    print("    resident memory when the room's own processes held the most (RSS; shared pages counted in each):")
    for part, size in watch.peak_parts.items():
        print(f"      {part:38s} {gib(size)}")
    given = sum(len(r.given) for r in results)
    print(f"  answers lost           {len(lost)} of {given} given {lost[:10] if lost else ''}; "
          f"{len(room.answers) * len(results) - given} never given (the client failed first, below)")
    for r in results:
        if r.error:
            print(f"  ! {r.login} ({r.client}): {r.error}")
            for complaint in r.console[:3]:
                print(f"      the page's console: {complaint}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=40)
    parser.add_argument("--browsers", type=int, default=4, help="how many of them are real Chromium pages")
    parser.add_argument("--prestart", action="store_true", help="start every server first (wpskit hub start-servers)")
    parser.add_argument("--parallel", type=int, default=4, help="servers starting at once with --prestart")
    parser.add_argument("--spread", type=float, default=60, help="seconds over which the logins come")
    parser.add_argument("--module", default=MODULE, help="the page, a path under modules/")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
