"""Set up what the room's hub needs and run it: the course, nbgrader's exchange, each role's
Jupyter configuration, and JupyterHub itself with the project's ``hub/jupyterhub_config.py``.

nbgrader's exchange follows nbgrader's own multi-instructor layout (``groupshared``): the
exchange root belongs to root and nobody else can create a course there; the course's
``outbound`` (releases) and ``inbound`` (submissions) belong to the instructors group, and
``inbound`` is write-only for participants (0733 with set-gid: a participant can hand in but
cannot list anybody's submission).
"""

from __future__ import annotations

import grp
import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from wpskit.course import CONFIG_TEMPLATE, build_course
from wpskit.errors import WpskitError
from wpskit.hub.accounts import ensure_group, read_logins
from wpskit.hub.settings import HubSettings, load_settings
from wpskit.nbgrader_api import COURSE_ID
from wpskit.words import both_languages, label

PROJECT = Path(__file__).resolve().parents[2]
HUB_CONFIG = PROJECT / "hub" / "jupyterhub_config.py"
MAKE_SHEET = "`wpskit hub users roster.csv`"  # the command that writes the login sheet

_NBGRADER_CONFIG = '''\
# nbgrader for the workshop hub's {role}s, written by `wpskit hub start`.
import os

c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "{course_id}"
c.CourseDirectory.groupshared = True
c.Exchange.root = "{exchange}"
# No Exchange.timezone: a submission's folder name carries its timestamp, and nbgrader's collect
# splits that name on "+", so "+07" (Asia/Ho_Chi_Minh) would turn student "hn-01" into "hn-01+pre".
'''
_PARTICIPANT_NBGRADER = '''\
# The hub login (the participant id), not the Unix login that carries the room's prefix.
c.CourseDirectory.student_id = os.environ.get("JUPYTERHUB_USER", "*")
'''
_INSTRUCTOR_NBGRADER = '''\
# The course ({course}) through the link in the facilitator's home: formgrader only works on a
# course inside the folder JupyterLab serves.
c.CourseDirectory.root = os.path.join(os.path.expanduser("~"), "course")
# Submissions are owned by the prefixed Unix login, not the student id nbgrader compares with.
c.ExchangeCollect.check_owner = False
'''
# Voilà's pages would fetch MathJax from a CDN: the room often has no internet.
_OFFLINE = {"mathjax_url": "null", "mathjax_config": "null"}


def role_configs(settings: HubSettings) -> dict[str, dict[str, str]]:
    """The files of each role's Jupyter configuration folder (``JUPYTER_CONFIG_PATH``)."""
    common = _NBGRADER_CONFIG
    voila = (PROJECT / "voila.json").read_text(encoding="utf-8")
    fields = {"course_id": COURSE_ID, "exchange": settings.exchange, "course": settings.course}
    return {
        "participant": {
            "nbgrader_config.py": (common + _PARTICIPANT_NBGRADER).format(role="participant", **fields),
            "jupyter_server_config.json": json.dumps({"ServerApp": {
                "jpserver_extensions": {"nbgrader.server_extensions.formgrader": False},
                "tornado_settings": _OFFLINE}}, indent=2),
            "labconfig/page_config.json": json.dumps({"disabledExtensions": {
                "@jupyter/nbgrader:formgrader": True, "@jupyter/nbgrader:create-assignment": True}}, indent=2),
            "voila.json": voila,
        },
        "instructor": {
            "nbgrader_config.py": (common + _INSTRUCTOR_NBGRADER).format(role="instructor", **fields),
            # JupyterHub >= 4.1 forbids framing single-user pages (frame-ancestors 'none'), which
            # leaves formgrader's frame in JupyterLab blank (jupyter/nbgrader#1870, #1919). A
            # facilitator's own server may frame itself; participants' servers keep the default.
            "jupyter_server_config.json": json.dumps({"ServerApp": {"tornado_settings": {
                **_OFFLINE, "headers": {"Content-Security-Policy": "frame-ancestors 'self'"}}}}, indent=2),
            "voila.json": voila,
        },
    }


def _reachable_by_everyone(path: Path) -> bool:
    """Can any user run this file (every folder above it searchable, the file executable)?"""
    path = path.resolve()
    return all(part.stat().st_mode & 0o001 for part in [path, *path.parents])


def server_python(settings: HubSettings) -> Path:
    """The Python the single-user servers run: this one, or, when this one sits where other users
    cannot reach it (a pyenv under /root), the shim ``prepare`` made with the system's Python."""
    shim = settings.state / "python" / "bin" / "python"
    return shim if shim.exists() else Path(sys.executable)


def _make_server_python(settings: HubSettings) -> None:
    """Participants' servers run as their own users: when this Python is out of their reach, make a
    tiny environment from the system's Python of the same version that loads this one's packages."""
    if _reachable_by_everyone(Path(sys.executable)):
        return
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = Path("/usr/bin") / version
    if not system.exists() or not _reachable_by_everyone(system):
        raise WpskitError(label("error.hub_python_private", python=sys.executable, system=system))
    shim = settings.state / "python"
    if not (shim / "bin" / "python").exists():
        subprocess.run([str(system), "-m", "venv", "--without-pip", str(shim)], check=True, capture_output=True)
    import site

    (site_packages,) = (shim / "lib" / version).glob("site-packages")
    lines = "".join(f"import site; site.addsitedir({path!r})\n" for path in site.getsitepackages())
    (site_packages / "wpskit-hub.pth").write_text(lines, encoding="utf-8")


def _own(path: Path, group: int, mode: int) -> None:
    os.chown(path, 0, group)
    os.chmod(path, mode)


def prepare(settings: HubSettings) -> None:
    """Create what is missing: the state folder, the course (built from the item bank), the
    exchange and the roles' configuration. Keeps every grade and submission already there."""
    if os.geteuid() != 0:
        raise WpskitError(label("error.hub_needs_root"))
    ensure_group(settings.instructors_group)
    instructors = grp.getgrnam(settings.instructors_group).gr_gid
    settings.state.mkdir(parents=True, exist_ok=True)
    os.chmod(settings.state, 0o755)
    settings.hub_dir.mkdir(mode=0o700, exist_ok=True)
    settings.course.mkdir(exist_ok=True)
    if not (settings.course / "nbgrader_config.py").exists():
        (settings.course / "nbgrader_config.py").write_text(CONFIG_TEMPLATE.format(course_id=COURSE_ID, db_url_line="").replace(
            'c.Exchange.root = os.path.join(here, "exchange")',
            f'c.Exchange.root = "{settings.exchange}"\nc.CourseDirectory.groupshared = True\n'
            'c.ExchangeCollect.check_owner = False  # Unix logins carry the room prefix'), encoding="utf-8")
    build_course(settings.course, settings.assessments)
    for path in [settings.course, *settings.course.rglob("*")]:
        if path.is_symlink():
            continue
        os.chown(path, -1, instructors)
        mode = path.stat().st_mode & 0o7777
        os.chmod(path, (mode | 0o2770) & ~0o007 if path.is_dir() else (mode | 0o660) & ~0o007)
    exchange_course = settings.exchange / COURSE_ID
    for path, mode in ((settings.exchange, 0o755), (exchange_course, 0o2775),
                       (exchange_course / "outbound", 0o2775), (exchange_course / "inbound", 0o2773)):
        path.mkdir(exist_ok=True)
        _own(path, 0 if path == settings.exchange else instructors, mode)
    for role, files in role_configs(settings).items():
        for name, text in files.items():
            path = settings.jupyter_config(role) / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    os.chmod(settings.state / "jupyter", 0o755)
    service_token(settings)
    _make_server_python(settings)


def board_addresses(settings: HubSettings) -> list[str]:
    """The addresses to write on the board: the one the settings pin the hub to, else every LAN address."""
    if settings.ip not in ("", "0.0.0.0"):
        return [settings.ip]
    return lan_addresses() or ["127.0.0.1"]


SERVICE = "wpskit"  # the hub service `wpskit hub start-servers` speaks as (hub/jupyterhub_config.py)


def service_token(settings: HubSettings) -> str:
    """The API token of the room's own hub service, made once and readable by root only."""
    path = settings.hub_dir / "service_token"
    if not path.exists():
        settings.hub_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as file:
            file.write(secrets.token_hex(32))
    return path.read_text().strip()


@dataclass(frozen=True)
class StartedServers:
    ready: list[str]
    failed: dict[str, str]  # login -> why
    seconds: float


def _hub_api(settings: HubSettings, method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{settings.hub_port}/hub/api{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {service_token(settings)}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            text = response.read()
            return response.status, json.loads(text) if text else {}
    except urllib.error.HTTPError as error:
        return error.code, {"message": error.read().decode(errors="replace")[:300]}


def start_servers(settings: HubSettings, parallel: int = 4, timeout: float = 600) -> StartedServers:
    """Start every participant's server before the session (the hub must be running), `parallel`
    at a time, so that 40 logins in the same minute find their pages ready instead of 40 servers
    starting at once on the facilitator's laptop. Facilitators start theirs by logging in (their
    role comes with the login)."""
    try:
        _hub_api(settings, "GET", "/")
    except OSError:
        raise WpskitError(label("error.hub_not_running", port=settings.hub_port)) from None
    logins = sorted(login for login, entry in read_logins(settings).items() if entry.role == "participant")
    start = time.monotonic()

    def one(login: str) -> tuple[str, str | None]:
        status, _ = _hub_api(settings, "GET", f"/users/{login}")
        if status == 404:  # never logged in: the hub learns of them here
            status, reply = _hub_api(settings, "POST", f"/users/{login}")
            if status >= 400:
                return login, reply.get("message", str(status))
        status, reply = _hub_api(settings, "POST", f"/users/{login}/server")
        if status >= 400 and "already running" not in str(reply):
            return login, reply.get("message", str(status))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            _, user = _hub_api(settings, "GET", f"/users/{login}")
            server = (user.get("servers") or {}).get("")
            if server and server.get("ready"):
                return login, None
            if not server or not server.get("pending") and not server.get("ready"):
                return login, "the server stopped while starting (see the hub's log)"
            time.sleep(1)
        return login, f"not ready after {timeout:.0f} s"

    with ThreadPoolExecutor(max_workers=max(1, parallel)) as pool:
        results = list(pool.map(one, logins))
    return StartedServers(ready=[login for login, why in results if why is None],
                          failed={login: why for login, why in results if why is not None},
                          seconds=time.monotonic() - start)


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other people in the room can reach (no loopback, no link-local)."""
    import psutil

    found = []
    for interface, addresses in psutil.net_if_addrs().items():
        for address in addresses:
            if address.family.name == "AF_INET" and not address.address.startswith(("127.", "169.254.")):
                found.append(address.address)
    return found


def hub_command(settings_file: Path) -> tuple[list[str], dict[str, str]]:
    """How to run JupyterHub with the project's configuration and this room's settings."""
    env = dict(os.environ, WPSKIT_HUB_SETTINGS=str(Path(settings_file).resolve()))
    proxy_bin = PROJECT / "node_modules" / ".bin"
    env["PATH"] = os.pathsep.join([str(proxy_bin), str(Path(sys.executable).parent), env.get("PATH", "")])
    return [sys.executable, "-m", "wpskit.jupyter_start", "hub", "-f", str(HUB_CONFIG)], env


def start(settings_file: Path | str) -> int:
    """Set up what is missing, print the address to write on the board, run JupyterHub until
    Ctrl-C (which stops every participant's server too). Returns JupyterHub's exit status."""
    settings = load_settings(settings_file)
    prepare(settings)
    proxy = PROJECT / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        raise WpskitError(label("error.hub_no_proxy", proxy=proxy))
    command, env = hub_command(Path(settings_file))
    addresses = board_addresses(settings)
    print(f"{both_languages('hub.write_address', english_first=True)}:")
    for address in addresses:
        print(f"    http://{address}:{settings.port}/")
    sheet = settings.state / "login-sheet.html"
    print(f"{both_languages('hub.login_sheet', english_first=True)}: {sheet} ({MAKE_SHEET})")
    print(f"{both_languages('hub.stop', english_first=True)}.")
    sys.stdout.flush()
    # Its own session: Ctrl-C in the terminal reaches this process only, which passes it on once. A
    # second SIGINT (the terminal's and ours) cut JupyterHub's clean-up short ("Failed to stop user").
    process = subprocess.Popen(command, env=env, cwd=settings.hub_dir, start_new_session=True)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.send_signal(signal.SIGINT)  # JupyterHub stops the proxy and every single-user server
        try:
            return process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
