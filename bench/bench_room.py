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
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from room_clients import (Answer, Result, browser_participant, expected_answers, holds,  # noqa: E402
                          protocol_participant, read_answers)
from tests.browser.participant import Question, notebook_questions  # noqa: E402
from tests.browser.server import find_chromium, free_port, wait_until_up  # noqa: E402
from wpskit.hub.accounts import add_users, read_logins, remove_users  # noqa: E402
from wpskit.hub.room import hub_command, prepare, start_servers  # noqa: E402
from wpskit.hub.settings import HubSettings, load_settings  # noqa: E402

MODULE = "day2-nts/01-what-security-means.ipynb"
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
