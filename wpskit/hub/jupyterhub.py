"""The two JupyterHub classes ``hub/jupyterhub_config.py`` uses: logins from the login sheet,
and single-user servers started as the participant's own Unix user with their role's settings."""

from __future__ import annotations

import os
import sys

from jupyterhub.auth import Authenticator
from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import HasTraits, Unicode

from wpskit.hub.accounts import read_logins, same_code
from wpskit.hub.settings import INSTRUCTORS, HubSettings, load_settings


class _RoomSettings(HasTraits):
    settings_file = Unicode(help="The room's settings file (hub/settings.yaml).").tag(config=True)

    @property
    def settings(self) -> HubSettings:
        return load_settings(self.settings_file)


class LoginSheetAuthenticator(_RoomSettings, Authenticator):
    """A login and its one-time code, as printed on the login sheet (``wpskit hub users``).

    Facilitators come back in the ``instructors`` group (with ``manage_groups``)."""

    async def authenticate(self, handler, data):
        login = (data.get("username") or "").strip().lower()
        entry = read_logins(self.settings).get(login)
        if entry is None or not same_code(data.get("password") or "", entry.code):
            return None
        return {"name": login, "groups": [INSTRUCTORS] if entry.role == "facilitator" else []}


class RoomSpawner(_RoomSettings, LocalProcessSpawner):
    """JupyterLab with Voilà's pages, run as the login's Unix user (``<prefix><login>``).

    Participants land on the pages and read the participant configuration; facilitators land in
    JupyterLab with formgrader and read the instructor configuration (``wpskit.hub.room``).
    """

    @property
    def unix_name(self) -> str:
        return self.settings.unix_name(self.user.name)

    @property
    def role(self) -> str:
        return "instructor" if INSTRUCTORS in {group.name for group in self.user.groups} else "participant"

    def make_preexec_fn(self, name):
        become_user = set_user_setuid(self.unix_name)
        # Facilitators share the course through their group (nbgrader's groupshared); a participant's
        # files are theirs alone.
        umask = 0o002 if self.role == "instructor" else 0o077

        def preexec():
            os.umask(umask)
            become_user()

        return preexec

    def user_env(self, env):
        import pwd

        user = pwd.getpwnam(self.unix_name)
        env.update(USER=user.pw_name, HOME=user.pw_dir, SHELL=user.pw_shell or "/bin/bash")
        return env

    def get_env(self):
        env = super().get_env()
        # The role's configuration first, then this environment's (its enabled server extensions,
        # labextensions, Voilà templates), also when the server runs the shim Python of
        # ``wpskit.hub.room.server_python``, whose own prefix holds none of them.
        env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(
            [str(self.settings.jupyter_config(self.role)), os.path.join(sys.prefix, "etc", "jupyter")])
        env["JUPYTER_PATH"] = os.pathsep.join(
            filter(None, [env.get("JUPYTER_PATH"), os.path.join(sys.prefix, "share", "jupyter")]))
        env["JUPYTERLAB_DIR"] = os.path.join(sys.prefix, "share", "jupyter", "lab")
        return env

    async def start(self):
        if self.role == "instructor":
            self.default_url = "/lab"
        return await super().start()
