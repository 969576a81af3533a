"""One Unix user per participant and facilitator, the logins file and the printable login sheet.

As The Littlest JupyterHub does, each hub login is backed by a Unix user named with a fixed
prefix (``wps-hn-01`` for participant ``hn-01``), created with ``useradd``; the home is private
(0700) and holds the participant's own copy of the modules, so answers saved there are theirs
alone. Facilitators are also in the Unix group ``<prefix>instructors``, which owns the course.
The hub login is the participant id itself, which nbgrader uses as the student id.

``logins.json`` (root only, 0600) lists every login with its role and one-time code; the login
sheet is made from it. Adding users again never changes a code.
"""

from __future__ import annotations

import grp
import json
import os
import pwd
import secrets
import shutil
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from collections.abc import Sequence
from typing import Literal


from wpskit.errors import InputDataError, WpskitError
from wpskit.files import write_atomically
from wpskit.hub.settings import HubSettings
from wpskit.pages import render
from wpskit.roster import PARTICIPANT_ID, read_roster
from wpskit.words import label

Role = Literal["participant", "facilitator"]
UNIX_NAME_MAX = 32
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read off a paper slip
PRIVATE = 0o600  # the login codes and the login sheet: root alone reads them (written 0600 from the start)


@dataclass(frozen=True)
class Login:
    login: str
    name: str
    role: Role
    code: str


@dataclass(frozen=True)
class UsersResult:
    added: list[str]
    kept: list[str]
    sheet: Path


def new_code() -> str:
    """A one-time code such as ``k7m2-p9xa``: 40 bits, easy to type on a phone."""
    letters = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{letters[:4]}-{letters[4:]}"


def same_code(typed: str, code: str) -> bool:
    """Compare a typed code with the stored one, forgiving case, spaces and the dash."""
    clean = lambda text: "".join(ch for ch in text.lower() if ch.isalnum())  # noqa: E731
    return secrets.compare_digest(clean(typed).encode(), clean(code).encode())


def read_logins(settings: HubSettings) -> dict[str, Login]:
    if not settings.logins.is_file():
        return {}
    data = json.loads(settings.logins.read_text(encoding="utf-8"))
    return {login: Login(login=login, **entry) for login, entry in data.items()}


def _write_logins(settings: HubSettings, logins: dict[str, Login]) -> None:
    data = {login: {k: v for k, v in asdict(entry).items() if k != "login"} for login, entry in sorted(logins.items())}
    write_atomically(settings.logins, json.dumps(data, indent=2, ensure_ascii=False) + "\n", mode=PRIVATE)


def _unix_user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def ensure_group(name: str) -> None:
    subprocess.run(["groupadd", "--force", name], check=True, capture_output=True)


def ensure_unix_user(settings: HubSettings, login: Login) -> Path:
    """Create the Unix user behind a hub login if missing; give it a private home with the modules.

    A facilitator also joins the instructors group and finds the course in their home.
    Nothing that exists is overwritten: a participant's answers stay as they are.
    """
    name = settings.unix_name(login.login)
    if not _unix_user_exists(name):
        # No password: nobody logs in to the machine itself, only to the hub with the code.
        subprocess.run(["useradd", "--create-home", "--shell", "/bin/bash", name], check=True, capture_output=True)
    user = pwd.getpwnam(name)
    home = Path(user.pw_dir)
    os.chmod(home, 0o700)
    modules = home / settings.modules.name
    if settings.modules.is_dir() and not modules.exists():
        shutil.copytree(settings.modules, modules, ignore=shutil.ignore_patterns(
            ".ipynb_checkpoints", "*.responses.json", ".*.lock", "__pycache__"))
        for path in [modules, *modules.rglob("*")]:
            os.chown(path, user.pw_uid, user.pw_gid, follow_symlinks=False)
    if login.role == "facilitator":
        subprocess.run(["gpasswd", "--add", name, settings.instructors_group], check=True, capture_output=True)
        course = home / "course"
        if not course.exists() and not course.is_symlink():
            course.symlink_to(settings.course)
            os.chown(course, user.pw_uid, user.pw_gid, follow_symlinks=False)
    return home


def _check_login(settings: HubSettings, login: str, where: str) -> None:
    if not PARTICIPANT_ID.match(login):
        raise InputDataError(label("error.hub_unusable_login", where=where, login=login))
    if len(settings.unix_name(login)) > UNIX_NAME_MAX:
        raise InputDataError(label("error.hub_login_too_long", where=where, login=login, prefix=settings.prefix,
                                   count=UNIX_NAME_MAX - len(settings.prefix)))


def add_users(settings: HubSettings, roster_csv: Path | str, facilitators: Sequence[str] = (),
              hub_url: str = "") -> UsersResult:
    """Create a hub login and a Unix user for every roster participant and facilitator not yet
    known; keep everybody else (and their code) as they are. Writes the login sheet of all logins.

    The whole roster is checked before anything is created.
    """
    participants = read_roster(roster_csv)
    for participant in participants:
        _check_login(settings, participant.participant_id, f"{roster_csv}, participant_id")
    for facilitator in facilitators:
        _check_login(settings, facilitator, "--facilitator")
    clash = {p.participant_id for p in participants} & set(facilitators)
    if clash:
        raise InputDataError(label("error.hub_participant_and_facilitator", file=roster_csv, logins=", ".join(sorted(clash))))
    _require_root("error.hub_root_to_add_users")
    logins = read_logins(settings)
    wanted: list[tuple[str, str | None, Role]] = [(p.participant_id, p.name, "participant") for p in participants]
    wanted += [(login, login, "facilitator") for login in facilitators]
    ensure_group(settings.instructors_group)
    added, kept = [], []
    for login, name, role in wanted:
        if login in logins:
            kept.append(login)
        else:
            logins[login] = Login(login=login, name=name or login, role=role, code=new_code())
            added.append(login)
            _write_logins(settings, logins)  # a code is on disk before its user exists
        ensure_unix_user(settings, logins[login])
    _write_logins(settings, logins)
    sheet = write_login_sheet(settings, logins, hub_url)
    return UsersResult(added=added, kept=kept, sheet=sheet)


def remove_users(settings: HubSettings) -> list[str]:
    """Take the workshop's users away again: every login in ``logins.json``, its Unix user and home,
    and the instructors group. The course and the exchange stay (they hold the grades)."""
    _require_root("error.hub_root_to_remove_users")
    logins = read_logins(settings)
    for login in logins:
        name = settings.unix_name(login)
        if _unix_user_exists(name):
            subprocess.run(["userdel", "--remove", name], check=True, capture_output=True)
    try:
        grp.getgrnam(settings.instructors_group)
        subprocess.run(["groupdel", settings.instructors_group], check=True, capture_output=True)
    except KeyError:
        pass
    settings.logins.unlink(missing_ok=True)
    (settings.state / "login-sheet.html").unlink(missing_ok=True)
    return sorted(logins)


def write_login_sheet(settings: HubSettings, logins: dict[str, Login], hub_url: str) -> Path:
    """A printable page, one slip per login to cut out: name, login and code, in both languages."""
    page = render(
        "login-sheet.html.j2", hub_url=hub_url, logins=sorted(logins.values(), key=lambda entry: (entry.role != "facilitator", entry.login)))
    path = settings.state / "login-sheet.html"
    write_atomically(path, page, mode=PRIVATE)
    return path


def _require_root(message: str) -> None:
    """Refuse, with the words table's `message`, unless running as root."""
    if os.geteuid() != 0:
        raise WpskitError(label(message))
