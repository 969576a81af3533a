"""The room's settings file (``hub/settings.yaml``) and the paths that follow from it."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from wpskit.errors import InputDataError
from wpskit.words import label, validation_problem

DEFAULT_SETTINGS = Path("hub") / "settings.yaml"
INSTRUCTORS = "instructors"  # the JupyterHub group of facilitators; the Unix group is prefix + this


class HubSettings(BaseModel):
    """What a room needs to know; every other path is derived from ``state``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    state: Path = Path("/srv/wpskit")
    prefix: str = Field("wps-", pattern=r"^[a-z][a-z0-9]{0,7}-$")
    port: int = Field(8000, ge=1, le=65535)
    ip: str = ""  # all interfaces: the room's laptops reach the hub over the LAN
    hub_port: int = Field(8081, ge=1, le=65535)  # JupyterHub's own API, on 127.0.0.1
    proxy_api_port: int = Field(8001, ge=1, le=65535)  # configurable-http-proxy's API, on 127.0.0.1
    modules: Path = Path("modules")
    assessments: Path = Path("assessments")

    @property
    def course(self) -> Path:
        return self.state / "course"

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def logins(self) -> Path:
        """Who may log in, their role and one-time code: readable by root only."""
        return self.state / "logins.json"

    @property
    def hub_dir(self) -> Path:
        """JupyterHub's own database, cookie secret and proxy token."""
        return self.state / "jupyterhub"

    def jupyter_config(self, role: str) -> Path:
        """The Jupyter configuration folder a participant's or facilitator's server reads."""
        return self.state / "jupyter" / role

    @property
    def instructors_group(self) -> str:
        return f"{self.prefix}{INSTRUCTORS}"

    def unix_name(self, login: str) -> str:
        return f"{self.prefix}{login}"


def load_settings(path: Path | str = DEFAULT_SETTINGS) -> HubSettings:
    """The settings file, its relative paths resolved against the project (the file's folder's parent)."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        settings = HubSettings.model_validate(data)
    except FileNotFoundError:
        raise InputDataError(label("error.hub_no_settings_file", file=path)) from None
    except (yaml.YAMLError, ValidationError) as error:
        first = error.errors()[0] if isinstance(error, ValidationError) else None
        where = f" ({validation_problem(first)})" if first else f": {error}"
        raise InputDataError(label("error.hub_bad_settings_file", file=path, where=where)) from None
    project = path.resolve().parent.parent
    return settings.model_copy(update={name: (project / getattr(settings, name)).resolve()
                                       for name in ("state", "modules", "assessments")})
