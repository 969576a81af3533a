"""The room benchmark's two kinds of participant (see bench_room.py): what each answers, a
protocol client that speaks to the page's kernel as the page's JavaScript does, and a real
Chromium page answered with the mouse; both fill in a :class:`Result`."""

from __future__ import annotations

import asyncio
import html as html_lib
import json
import random
import re
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable

from tests.browser.hands import Mouse, answer_correctly
from tests.browser.participant import Question, Site, Visit
from tests.browser.server import CHROMIUM_ARGS, find_chromium
from wpskit.words import label

if TYPE_CHECKING:
    from bench_room import Room

REPO = Path(__file__).resolve().parents[1]
# What tests/browser/hands.py's answer_correctly types, so browser and protocol clients agree.
WRITTEN = {"en": "I will share resolution 1325 with my colleagues — peace and security.",
           "vi": "Tôi sẽ chia sẻ với đồng nghiệp về Nghị quyết 1325 — hòa bình và an ninh."}


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
