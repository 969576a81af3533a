# JupyterHub for the workshop room. `make hub` (`wpskit hub start`) runs it; the room's settings
# are in hub/settings.yaml (or the file $WPSKIT_HUB_SETTINGS names). Logins come from
# `wpskit hub users roster.csv`; each is a Unix user "<prefix><login>" with a private home.
import os
from pathlib import Path

from wpskit.hub.room import SERVICE, server_python, service_token
from wpskit.hub.settings import load_settings

here = Path(__file__).resolve().parent
settings_file = os.environ.get("WPSKIT_HUB_SETTINGS", str(here / "settings.yaml"))
settings = load_settings(settings_file)
c = get_config()  # noqa: F821

c.JupyterHub.bind_url = f"http://{settings.ip}:{settings.port}"
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{settings.hub_port}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
proxy = here.parent / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
c.JupyterHub.db_url = f"sqlite:///{settings.hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(settings.hub_dir / "jupyterhub_cookie_secret")
c.ConfigurableHTTPProxy.pid_file = str(settings.hub_dir / "proxy.pid")

# Who may log in: the logins file `wpskit hub users` writes; facilitators form the "instructors" group.
c.JupyterHub.authenticator_class = "wpskit.hub.jupyterhub.LoginSheetAuthenticator"
c.LoginSheetAuthenticator.settings_file = settings_file
c.Authenticator.allow_all = True
c.Authenticator.manage_groups = True

# Each login's JupyterLab (with Voilà's pages) runs as its own Unix user; participants land on
# the module pages, facilitators in JupyterLab.
c.JupyterHub.spawner_class = "wpskit.hub.jupyterhub.RoomSpawner"
c.RoomSpawner.settings_file = settings_file
# jupyterhub-singleuser, 2.5 s of CPU lighter at every start (wpskit/jupyter_start.py)
c.Spawner.cmd = [str(server_python(settings)), "-m", "wpskit.jupyter_start", "singleuser"]
c.Spawner.default_url = f"/voila/tree/{settings.modules.name}"
c.Spawner.env_keep = ["PATH", "PYTHONPATH", "VIRTUAL_ENV", "LANG", "LC_ALL", "JUPYTER_PATH"]
c.Spawner.start_timeout = 300  # 40 logins in the same minute on a 2-core laptop: servers queue for the CPU
c.Spawner.http_timeout = 300  # measured: 40 cold starts at once took longer than 90 s to answer (bench_room.py)

# `wpskit hub start-servers` starts every participant's server before the session through the
# hub's API, as this service (its token is root's, in the hub's folder).
c.JupyterHub.services = [{"name": SERVICE, "api_token": service_token(settings)}]
c.JupyterHub.load_roles = [{"name": "wpskit-start-servers", "services": [SERVICE],
                            "scopes": ["admin:users", "admin:servers", "list:users"]}]
